// Internal to api/: the user-list decoders, the hot path of ListAllUsers. The simdjson
// decoder (json_user_simd.h) takes every well-formed page it can decode exactly; the rest go
// to a streaming (SAX) decoder that fills User values straight from Poco's JSON tokenizer
// (2-3x faster than building a Poco object tree). Both follow the tree decoder's rules; when
// the Poco one meets a shape it does not handle (a nested value inside props/notify_props/
// timezone) it reports `fallback` and the caller uses the tree decoder. fuzz/api_json_fuzz.cc
// checks that all of them agree. Stateless functions; thread-safe.
#ifndef ROSTERSYNC_API_JSON_USER_STREAM_H_
#define ROSTERSYNC_API_JSON_USER_STREAM_H_

#include <string>
#include <vector>

#include "sync/status.h"
#include "sync/user.h"

namespace rostersync::api {

// Decodes a JSON array of users (list == true) or one user object into *users.
// Returns Invalid on malformed JSON or a wrongly typed known field. Sets *fallback (and
// returns Ok with undefined *users) when the tree decoder must be used instead.
Status StreamDecodeUsers(const std::string& text, bool list, std::vector<User>* users,
                         bool* fallback);

// The Poco streaming decoder alone (no simdjson first), for comparison and benchmarks.
Status PocoStreamDecodeUsers(const std::string& text, bool list, std::vector<User>* users,
                             bool* fallback);

// The tree decoder (json_codec.cc) for the same inputs, for comparison in the fuzz target.
Result<std::vector<User>> DecodeUsersTree(const std::string& text, bool list);

}  // namespace rostersync::api

#endif  // ROSTERSYNC_API_JSON_USER_STREAM_H_
