// JSON <-> value types for the Users API. Decoding is tolerant of unknown fields and exact
// on known ones: a known field of the wrong type gives Invalid naming the field; absent or
// null fields keep their default (std::nullopt for optionals). Encoders send only set fields.
// Stateless free functions; thread-safe. Poco JSON stays inside the .cc files.
#ifndef ROSTERSYNC_API_JSON_CODEC_H_
#define ROSTERSYNC_API_JSON_CODEC_H_

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "api/models.h"
#include "api/teams_models.h"
#include "sync/status.h"
#include "sync/user.h"
#include "sync/users_api.h"

namespace rostersync::api {

// Decodes one JSON document into T. Defined (explicitly instantiated) for User,
// UserAccessToken, every struct in api/models.h that the server returns, Team, Channel,
// TeamMember, ChannelMember and TeamMemberWithError (api/teams_models.h), for
// std::vector of each of those, for std::vector<std::string>, StringMap,
// std::map<std::string, std::vector<User>>, int64_t and double (bare numbers) and bool
// ({"mfa_required": b}). Invalid on malformed JSON or a wrongly typed known field.
template <typename T>
Result<T> Decode(const std::string& json);
// User lists (the ListAllUsers hot path) use a streaming decoder with the same rules.
template <>
Result<std::vector<User>> Decode<std::vector<User>>(const std::string& json);

// A page of GET /users as ListAllUsers keeps it for the planner: decoded by the same rules
// (the same errors), but props, notify_props and timezone are not kept, since nothing
// downstream reads a listed user's maps (about 1.4 KB per user; docs/PERFORMANCE.md).
struct PlannerUsers {
  std::vector<User> users;
};
template <>
Result<PlannerUsers> Decode<PlannerUsers>(const std::string& json);

// Request bodies. Only set (or, for NewUser, non-empty) fields are written.
std::string EncodeNewUser(const NewUser& user);
std::string EncodeUserPatch(const UserPatch& patch);
std::string EncodeUserUpdate(const UserUpdate& update);
std::string EncodeLoginRequest(const LoginRequest& request);
std::string EncodeSearchUsersRequest(const SearchUsersRequest& request);
std::string EncodeSwitchAccountTypeRequest(const SwitchAccountTypeRequest& request);
std::string EncodeStringArray(const std::vector<std::string>& values);
// Encodes a flat object of string fields ({"token_id": "..."}).
std::string EncodeStringFields(const std::vector<std::pair<std::string, std::string>>& fields);
std::string EncodeStringMap(const StringMap& map);
// A flat object with typed values, written in the given order.
struct JsonField {
  std::string name;
  std::variant<std::string, bool, int64_t, StringMap> value;
};
std::string EncodeFields(const std::vector<JsonField>& fields);

}  // namespace rostersync::api

#endif  // ROSTERSYNC_API_JSON_CODEC_H_
