// Internal to api/: percent-encoding of path segments and query strings. Stateless.
#ifndef ROSTERSYNC_API_URL_UTIL_H_
#define ROSTERSYNC_API_URL_UTIL_H_

#include <cstdint>
#include <optional>
#include <string>

namespace rostersync::api {

// Encodes one path segment: everything outside unreserved characters is %XX.
std::string Seg(const std::string& segment);

// Builds "?a=1&b=x" (or "") from optional parameters, in insertion order.
class Query {
 public:
  Query& Str(const std::string& name, const std::string& value);
  Query& Opt(const std::string& name, const std::optional<std::string>& value);
  Query& Int(const std::string& name, std::optional<int64_t> value);
  Query& Bool(const std::string& name, std::optional<bool> value);
  Query& AddNonEmpty(const std::string& name, const std::string& value);
  std::string str() const { return text_; }

 private:
  std::string text_;
};

}  // namespace rostersync::api

#endif  // ROSTERSYNC_API_URL_UTIL_H_
