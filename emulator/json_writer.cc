#include "emulator/json_writer.h"

#include <cmath>
#include <cstdio>

namespace mmemu {

void AppendJsonString(std::string* out, const std::string& s) {
  out->push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out->append(buf);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

void JsonWriter::Separator() {
  if (need_comma_) out_.push_back(',');
}

JsonWriter& JsonWriter::BeginObject() {
  Separator();
  out_.push_back('{');
  need_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::EndObject() {
  out_.push_back('}');
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::BeginArray() {
  Separator();
  out_.push_back('[');
  need_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::EndArray() {
  out_.push_back(']');
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::Key(const std::string& key) {
  Separator();
  AppendJsonString(&out_, key);
  out_.push_back(':');
  need_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::String(const std::string& value) {
  Separator();
  AppendJsonString(&out_, value);
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::Int(int64_t value) {
  Separator();
  out_.append(std::to_string(value));
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::Double(double value) {
  Separator();
  if (!std::isfinite(value)) value = 0;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", value);
  out_.append(buf);
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::Bool(bool value) {
  Separator();
  out_.append(value ? "true" : "false");
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::Null() {
  Separator();
  out_.append("null");
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::Raw(const std::string& json) {
  Separator();
  out_.append(json);
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::StringMap(const std::map<std::string, std::string>& map) {
  BeginObject();
  for (const auto& [k, v] : map) Field(k, v);
  return EndObject();
}

}  // namespace mmemu
