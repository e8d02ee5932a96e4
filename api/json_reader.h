// Internal to api/: typed field readers over a parsed Poco JSON object, shared by the
// codec files. Each returns Invalid naming the field when a known field has the wrong type.
// Not a public header (it names Poco types). Stateless; thread-safe.
#ifndef ROSTERSYNC_API_JSON_READER_H_
#define ROSTERSYNC_API_JSON_READER_H_

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <string>

#include "sync/status.h"
#include "sync/user.h"

namespace rostersync::api::json {

using Var = Poco::Dynamic::Var;

// Parses `text`; Invalid (with the parser's position message) on malformed JSON.
Result<Var> Parse(const std::string& text);

// The value as an object / array, or Invalid("<what>: expected object").
Result<Poco::JSON::Object::Ptr> AsObject(const Var& value, const std::string& what);
Result<Poco::JSON::Array::Ptr> AsArray(const Var& value, const std::string& what);

// Field readers: an absent or null field leaves *out unchanged and returns Ok.
Status Str(const Poco::JSON::Object::Ptr& o, const char* field, std::string* out);
Status Int(const Poco::JSON::Object::Ptr& o, const char* field, int64_t* out);
Status Bool(const Poco::JSON::Object::Ptr& o, const char* field, bool* out);
Status OptBool(const Poco::JSON::Object::Ptr& o, const char* field, std::optional<bool>* out);
Status OptInt(const Poco::JSON::Object::Ptr& o, const char* field, std::optional<int64_t>* out);
// An object whose scalar values become strings (true -> "true", 3 -> "3"); nested
// objects/arrays are kept as their JSON text. Server "StringMap"s are often sent with
// booleans (timezone.useAutomaticTimezone), so this is lenient on value types only.
Status Map(const Poco::JSON::Object::Ptr& o, const char* field, StringMap* out);
Status ToStringMap(const Var& value, const std::string& what, StringMap* out);

// Scalar conversions used by the readers, exposed for arrays of scalars.
Status VarToString(const Var& v, const std::string& what, std::string* out);
Status VarToInt(const Var& v, const std::string& what, int64_t* out);

}  // namespace rostersync::api::json

#endif  // ROSTERSYNC_API_JSON_READER_H_
