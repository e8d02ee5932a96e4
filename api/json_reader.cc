// Typed field readers over Poco JSON (see json_reader.h).
#include "api/json_reader.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <cmath>
#include <limits>
#include <sstream>

namespace rostersync::api::json {

namespace {

bool IsObject(const Var& v) { return v.type() == typeid(Poco::JSON::Object::Ptr); }
bool IsArray(const Var& v) { return v.type() == typeid(Poco::JSON::Array::Ptr); }

Status WrongType(const std::string& what, const char* expected) {
  return Status::Invalid("JSON field '" + what + "': expected " + expected);
}

// Absent or null: the caller keeps its default.
bool Missing(const Poco::JSON::Object::Ptr& o, const char* field, Var* value) {
  if (!o->has(field)) return true;
  *value = o->get(field);
  return value->isEmpty();
}

}  // namespace

Result<Var> Parse(const std::string& text) {
  try {
    Poco::JSON::Parser parser;
    // Poco's parser cannot hold a bare top-level scalar (`42`): wrap it in an array.
    const std::size_t first = text.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && text[first] != '{' && text[first] != '[') {
      Var wrapped = parser.parse("[" + text + "]");
      auto arr = wrapped.extract<Poco::JSON::Array::Ptr>();
      if (arr.isNull() || arr->size() != 1) {
        return Status::Invalid("malformed JSON in server answer: not a single value");
      }
      return arr->get(0);
    }
    return parser.parse(text);
  } catch (const Poco::Exception& e) {
    return Status::Invalid("malformed JSON in server answer: " + e.displayText());
  } catch (const std::exception& e) {
    return Status::Invalid(std::string("malformed JSON in server answer: ") + e.what());
  }
}

Result<Poco::JSON::Object::Ptr> AsObject(const Var& value, const std::string& what) {
  if (!IsObject(value)) return WrongType(what, "object");
  auto ptr = value.extract<Poco::JSON::Object::Ptr>();
  if (ptr.isNull()) return WrongType(what, "object");
  return ptr;
}

Result<Poco::JSON::Array::Ptr> AsArray(const Var& value, const std::string& what) {
  if (!IsArray(value)) return WrongType(what, "array");
  auto ptr = value.extract<Poco::JSON::Array::Ptr>();
  if (ptr.isNull()) return WrongType(what, "array");
  return ptr;
}

Status VarToString(const Var& v, const std::string& what, std::string* out) {
  if (!v.isString()) return WrongType(what, "string");
  *out = v.extract<std::string>();
  return Status::Ok();
}

Status VarToInt(const Var& v, const std::string& what, int64_t* out) {
  if (v.isString() || v.isBoolean() || !v.isNumeric()) return WrongType(what, "integer");
  try {
    if (v.isInteger()) {
      if (v.type() == typeid(Poco::UInt64) &&
          v.extract<Poco::UInt64>() > static_cast<Poco::UInt64>(std::numeric_limits<int64_t>::max())) {
        return WrongType(what, "integer within int64");
      }
      *out = v.convert<Poco::Int64>();
      return Status::Ok();
    }
    double d = v.convert<double>();
    // Integral doubles (1.7e12) are fine; fractions and out-of-range values are not.
    if (!std::isfinite(d) || std::floor(d) != d || std::fabs(d) > 9.0e18) {
      return WrongType(what, "integer");
    }
    *out = static_cast<int64_t>(d);
    return Status::Ok();
  } catch (const Poco::Exception&) {
    return WrongType(what, "integer");
  }
}

Status Str(const Poco::JSON::Object::Ptr& o, const char* field, std::string* out) {
  Var v;
  if (Missing(o, field, &v)) return Status::Ok();
  return VarToString(v, field, out);
}

Status Int(const Poco::JSON::Object::Ptr& o, const char* field, int64_t* out) {
  Var v;
  if (Missing(o, field, &v)) return Status::Ok();
  return VarToInt(v, field, out);
}

Status Bool(const Poco::JSON::Object::Ptr& o, const char* field, bool* out) {
  Var v;
  if (Missing(o, field, &v)) return Status::Ok();
  if (!v.isBoolean()) return WrongType(field, "boolean");
  *out = v.extract<bool>();
  return Status::Ok();
}

Status OptBool(const Poco::JSON::Object::Ptr& o, const char* field, std::optional<bool>* out) {
  Var v;
  if (Missing(o, field, &v)) return Status::Ok();
  if (!v.isBoolean()) return WrongType(field, "boolean");
  *out = v.extract<bool>();
  return Status::Ok();
}

Status OptInt(const Poco::JSON::Object::Ptr& o, const char* field, std::optional<int64_t>* out) {
  Var v;
  if (Missing(o, field, &v)) return Status::Ok();
  int64_t value = 0;
  Status s = VarToInt(v, field, &value);
  if (s.ok()) *out = value;
  return s;
}

Status ToStringMap(const Var& value, const std::string& what, StringMap* out) {
  auto obj = AsObject(value, what);
  if (!obj.ok()) return obj.status();
  StringMap map;
  for (const auto& [key, v] : **obj) {
    if (v.isEmpty()) {
      map[key] = "";
    } else if (v.isString()) {
      map[key] = v.extract<std::string>();
    } else if (v.isBoolean()) {
      map[key] = v.extract<bool>() ? "true" : "false";
    } else if (IsObject(v) || IsArray(v)) {
      std::ostringstream text;
      Poco::JSON::Stringifier::stringify(v, text);
      map[key] = text.str();
    } else {
      try {
        map[key] = v.convert<std::string>();
      } catch (const Poco::Exception&) {
        return WrongType(what + "." + key, "scalar");
      }
    }
  }
  *out = std::move(map);
  return Status::Ok();
}

Status Map(const Poco::JSON::Object::Ptr& o, const char* field, StringMap* out) {
  Var v;
  if (Missing(o, field, &v)) return Status::Ok();
  return ToStringMap(v, field, out);
}

}  // namespace rostersync::api::json
