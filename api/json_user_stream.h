// Internal to api/: a streaming (SAX) decoder for User and User lists, the hot path of
// ListAllUsers. It fills User values straight from Poco's JSON tokenizer instead of building
// a Poco object tree (about 2-3x faster). It follows the tree decoder's rules exactly; when
// it meets a shape it does not handle (a nested value inside props/notify_props/timezone)
// it reports `fallback` and the caller uses the tree decoder. fuzz/api_json_fuzz.cc checks
// that both decoders agree. Stateless functions; thread-safe.
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

// The tree decoder (json_codec.cc) for the same inputs, for comparison in the fuzz target.
Result<std::vector<User>> DecodeUsersTree(const std::string& text, bool list);

}  // namespace rostersync::api

#endif  // ROSTERSYNC_API_JSON_USER_STREAM_H_
