// Internal to api/: the table of known User fields (name, JSON kind, member pointer) shared
// by the two user-list decoders (json_user_stream.cc, json_user_simd.cc). The same fields as
// Fill(User) in json_codec.cc. Immutable after first use; thread-safe.
#ifndef ROSTERSYNC_API_JSON_USER_FIELDS_H_
#define ROSTERSYNC_API_JSON_USER_FIELDS_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sync/user.h"

namespace rostersync::api::user_fields {

enum class Kind { kStr, kInt, kBool, kOptBool, kMap };

struct Field {
  const char* name;
  Kind kind;
  std::string User::*str = nullptr;
  int64_t User::*i64 = nullptr;
  bool User::*flag = nullptr;
  std::optional<bool> User::*opt = nullptr;
  StringMap User::*map = nullptr;
};

inline Field S(const char* n, std::string User::*m) { Field f{n, Kind::kStr}; f.str = m; return f; }
inline Field I(const char* n, int64_t User::*m) { Field f{n, Kind::kInt}; f.i64 = m; return f; }
inline Field B(const char* n, bool User::*m) { Field f{n, Kind::kBool}; f.flag = m; return f; }
inline Field O(const char* n, std::optional<bool> User::*m) {
  Field f{n, Kind::kOptBool};
  f.opt = m;
  return f;
}
inline Field M(const char* n, StringMap User::*m) { Field f{n, Kind::kMap}; f.map = m; return f; }

inline const std::vector<Field>& Fields() {
  static const std::vector<Field> fields = {
      S("id", &User::id), I("create_at", &User::create_at), I("update_at", &User::update_at),
      I("delete_at", &User::delete_at), S("username", &User::username),
      S("first_name", &User::first_name), S("last_name", &User::last_name),
      S("nickname", &User::nickname), S("email", &User::email),
      O("email_verified", &User::email_verified), S("auth_service", &User::auth_service),
      S("roles", &User::roles), S("locale", &User::locale), S("position", &User::position),
      B("is_bot", &User::is_bot), S("bot_description", &User::bot_description),
      B("mfa_active", &User::mfa_active), I("last_password_update", &User::last_password_update),
      I("last_picture_update", &User::last_picture_update),
      I("failed_attempts", &User::failed_attempts),
      I("last_activity_at", &User::last_activity_at),
      S("terms_of_service_id", &User::terms_of_service_id),
      I("terms_of_service_create_at", &User::terms_of_service_create_at),
      S("remote_id", &User::remote_id), M("props", &User::props),
      M("notify_props", &User::notify_props), M("timezone", &User::timezone),
  };
  return fields;
}

// The field named `key`, or nullptr for a field the decoders ignore.
inline const Field* Find(std::string_view key) {
  static const auto* const index = [] {
    auto* m = new std::unordered_map<std::string_view, const Field*>();
    for (const Field& f : Fields()) (*m)[f.name] = &f;
    return m;
  }();
  auto it = index->find(key);
  return it == index->end() ? nullptr : it->second;
}

inline std::size_t IndexOf(const Field* f) { return static_cast<std::size_t>(f - Fields().data()); }

}  // namespace rostersync::api::user_fields

#endif  // ROSTERSYNC_API_JSON_USER_FIELDS_H_
