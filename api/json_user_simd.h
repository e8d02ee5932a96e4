// Internal to api/: the fast path of the user-list decoder, on simdjson (parsed into its DOM,
// which validates the whole document, then copied field by field into User values). It only
// takes documents it can decode exactly as the tree decoder would; anything else (malformed
// JSON, a wrongly typed field, a nested value or non-integral number inside a map) makes it
// decline, and the Poco decoders decide, so errors and their messages do not change.
// Thread-safe (one simdjson parser per thread).
#ifndef ROSTERSYNC_API_JSON_USER_SIMD_H_
#define ROSTERSYNC_API_JSON_USER_SIMD_H_

#include <string>
#include <vector>

#include "sync/user.h"

namespace rostersync::api {

// Decodes a JSON array of users (list == true) or one user object into *users and returns
// true, or returns false (leaving *users alone) when the Poco decoders must be used instead.
// With keep_maps == false, props, notify_props and timezone are checked (an object or null,
// as the other decoders require) but left empty.
bool SimdDecodeUsers(const std::string& text, bool list, std::vector<User>* users,
                     bool keep_maps = true);

}  // namespace rostersync::api

#endif  // ROSTERSYNC_API_JSON_USER_SIMD_H_
