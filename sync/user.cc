// User, UserPatch and NewUser: role test and equality.
#include "sync/user.h"

#include <tuple>

#include "sync/text.h"

namespace rostersync {

bool User::HasRole(const std::string& role) const { return HasWord(roles, role); }

bool User::operator==(const User& o) const {
  auto tie = [](const User& u) {
    return std::tie(u.id, u.create_at, u.update_at, u.delete_at, u.username, u.first_name,
                    u.last_name, u.nickname, u.email, u.email_verified, u.auth_service, u.roles,
                    u.locale, u.position, u.is_bot, u.bot_description, u.mfa_active,
                    u.last_password_update, u.last_picture_update, u.failed_attempts,
                    u.last_activity_at, u.terms_of_service_id, u.terms_of_service_create_at,
                    u.remote_id, u.props, u.notify_props, u.timezone);
  };
  return tie(*this) == tie(o);
}

bool UserPatch::empty() const { return *this == UserPatch{}; }

bool UserPatch::operator==(const UserPatch& o) const {
  auto tie = [](const UserPatch& p) {
    return std::tie(p.username, p.email, p.first_name, p.last_name, p.nickname, p.position,
                    p.locale, p.password, p.props, p.notify_props, p.timezone);
  };
  return tie(*this) == tie(o);
}

bool NewUser::operator==(const NewUser& o) const {
  auto tie = [](const NewUser& u) {
    return std::tie(u.username, u.email, u.first_name, u.last_name, u.nickname, u.position,
                    u.locale, u.auth_service, u.auth_data, u.password, u.email_verified, u.props,
                    u.notify_props);
  };
  return tie(*this) == tie(o);
}

}  // namespace rostersync
