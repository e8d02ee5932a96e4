// Percent-encoding helpers (see url_util.h).
#include "api/url_util.h"

#include <cctype>

namespace rostersync::api {

std::string Seg(const std::string& segment) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : segment) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

Query& Query::Str(const std::string& name, const std::string& value) {
  text_ += (text_.empty() ? "?" : "&") + Seg(name) + "=" + Seg(value);
  return *this;
}

Query& Query::Opt(const std::string& name, const std::optional<std::string>& value) {
  if (value) Str(name, *value);
  return *this;
}

Query& Query::Int(const std::string& name, std::optional<int64_t> value) {
  if (value) Str(name, std::to_string(*value));
  return *this;
}

Query& Query::Bool(const std::string& name, std::optional<bool> value) {
  if (value) Str(name, *value ? "true" : "false");
  return *this;
}

Query& Query::AddNonEmpty(const std::string& name, const std::string& value) {
  if (!value.empty()) Str(name, value);
  return *this;
}

}  // namespace rostersync::api
