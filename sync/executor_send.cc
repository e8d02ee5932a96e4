// Executor, part 2: one action sent to the server (Send), the lookup of an account a create
// may have made (FindCreated), the generated password, and the retry of a patch that touched
// a field the identity provider owns.
#include <algorithm>
#include <random>

#include "sync/executor.h"
#include "sync/text.h"

namespace rostersync {
namespace {

constexpr char kLower[] = "abcdefghijkmnopqrstuvwxyz";
constexpr char kUpper[] = "ABCDEFGHJKLMNPQRSTUVWXYZ";
constexpr char kDigits[] = "23456789";
// A subset of the server's symbol set (model.SYMBOLS): no space, quotes or backslash, so the
// password survives any shell or form it is pasted into.
constexpr char kSymbols[] = "!#$%&()*+,-./:;<=>?@[]^_|~";
constexpr char kProviderAttributeSet[] =
    "api.user.patch_user.login_provider_attribute_set.app_error";

// Removes `field` from the patch; true if it was set.
bool DropField(UserPatch* patch, const std::string& field) {
  std::optional<std::string>* slot = field == "username"     ? &patch->username
                                     : field == "email"      ? &patch->email
                                     : field == "first_name" ? &patch->first_name
                                     : field == "last_name"  ? &patch->last_name
                                     : field == "nickname"   ? &patch->nickname
                                     : field == "position"   ? &patch->position
                                                             : nullptr;
  if (slot == nullptr || !slot->has_value()) return false;
  slot->reset();
  return true;
}

}  // namespace

std::string GeneratePassword(const PasswordPolicy& policy) {
  const size_t length = static_cast<size_t>(std::min(72, std::max(32, policy.min_length)));
  const std::string classes[] = {kLower, kUpper, kDigits, kSymbols};
  std::string all;
  for (const std::string& c : classes) all += c;
  std::random_device rd;  // a CSPRNG on the platforms we build for
  auto pick = [&rd](const std::string& from) {
    return from[std::uniform_int_distribution<size_t>(0, from.size() - 1)(rd)];
  };
  std::string out;
  for (const std::string& c : classes) out += pick(c);  // one of each class, always
  while (out.size() < length) out += pick(all);
  for (size_t i = out.size() - 1; i > 0; --i) {  // Fisher-Yates: the classes anywhere
    std::swap(out[i], out[std::uniform_int_distribution<size_t>(0, i)(rd)]);
  }
  return out;
}

Result<User> Executor::FindCreated(const std::string& username, const std::string& email,
                                   bool* nobody_holds_it) {
  if (nobody_holds_it != nullptr) *nobody_holds_it = false;
  auto by_name = api_.GetUserByUsername(Lower(username));
  if (by_name.ok() && EqualsIgnoreCase(by_name->email, email)) return by_name;
  if (!by_name.ok() && !by_name.status().IsNotFound()) return by_name.status();
  auto by_email = api_.GetUserByEmail(Lower(email));
  if (by_email.ok() && EqualsIgnoreCase(by_email->username, username)) return by_email;
  if (!by_email.ok() && !by_email.status().IsNotFound()) return by_email.status();
  if (nobody_holds_it != nullptr) *nobody_holds_it = !by_name.ok() && !by_email.ok();
  return Status::NotFound("no account with username " + username + " and email " + email);
}

Status Executor::Send(Action* action, Sent* sent) {
  const Action& a = *action;
  const std::string& id = sent->user_id;
  if (a.type != ActionType::kCreate && a.type != ActionType::kPasswordReset && id.empty()) {
    return Status::Invalid(std::string(ActionName(a.type)) + " of " + a.key +
                           ": no user id (was the account created?)");
  }
  switch (a.type) {
    case ActionType::kCreate: return SendCreate(a, sent);
    case ActionType::kUpdate: return SendPatch(action, sent);
    case ActionType::kDeactivate: return SendDeactivate(id, sent);
    case ActionType::kReactivate: return api_.SetUserActive(id, true);
    case ActionType::kRole: return api_.UpdateUserRoles(id, a.roles);
    case ActionType::kGuest:
    case ActionType::kPromote: return SendGuest(a, id, sent);
    case ActionType::kAuth: return api_.UpdateUserAuth(id, a.auth_service, a.auth_data);
    case ActionType::kVerifyEmail: return api_.VerifyUserEmail(id);
    case ActionType::kPasswordReset: return api_.SendPasswordResetEmail(a.email);
    case ActionType::kJoinTeam:
    case ActionType::kJoinChannel:
    case ActionType::kLeaveChannel:
    case ActionType::kLeaveTeam: return SendMembership(a, &sent->note);
  }
  return Status::Internal("unknown action type");
}

Status Executor::SendCreate(const Action& action, Sent* sent) {
  NewUser user = action.new_user;
  if (user.auth_service.empty() && user.password.empty()) {
    user.password = options_.password_generator();
  }
  // A 5xx answer or a lost answer may hide an applied create: look it up, adopt it if it
  // exists, and only when it provably does not (NotFound by username and by email) send
  // the create once more. Bounded to one extra attempt; never a duplicate.
  constexpr int kMaxCreateAttempts = 2;
  Status last;
  for (int attempt = 1; attempt <= kMaxCreateAttempts; ++attempt) {
    auto created = api_.CreateUser(user);
    if (created.ok()) {
      sent->user_id = created->id;
      sent->answer = *created;
      if (attempt > 1) sent->note = "created on the second attempt; no account after the first";
      return Status::Ok();
    }
    last = created.status();
    const bool retryable = last.code() == Status::Code::kTransient || last.IsOutcomeUnknown();
    if (!retryable) return last;
    bool nobody_holds_it = false;
    auto found = FindCreated(user.username, user.email, &nobody_holds_it);
    if (found.ok()) {
      sent->user_id = found->id;
      sent->answer = *found;
      sent->note = "create answer lost; the account exists and was adopted";
      return Status::Ok();
    }
    if (!found.status().IsNotFound()) {
      return found.status().Annotate("create of " + user.username + " may have happened");
    }
    if (!nobody_holds_it) break;  // someone else holds the name or email: do not resend
  }
  if (!last.IsOutcomeUnknown()) return last;
  Status s = Status::OutcomeUnknown("create of " + user.username +
                                    ": no answer and no such account; the next cycle "
                                    "retries");
  return s.WithHttp(last.http_status(), last.request_id(), last.error_id());
}

Status Executor::SendDeactivate(const std::string& id, Sent* sent) {
  Status s = api_.DeactivateUser(id);
  if (!s.ok() || !options_.revoke_tokens_on_deactivate) return s;
  // The server revokes sessions itself and refuses a deactivated user's tokens; they
  // would work again after a reactivation, so the policy can revoke them for good.
  auto tokens = api_.GetUserAccessTokens(id);
  if (!tokens.ok()) {
    sent->note = "deactivated; listing access tokens failed: " + tokens.status().ToString();
    return Status::Ok();
  }
  int revoked = 0;
  for (const auto& t : *tokens) {
    if (!t.is_active) continue;
    Status r = api_.RevokeUserAccessToken(t.id);
    if (r.ok()) {
      ++revoked;
      // Which token went, by id and description (never its value): a reactivation
      // cannot bring it back, so the audit tells the admin what to re-issue.
      sent->extra.push_back({"access_token", t.id + " (" + t.description + ")", "revoked"});
    } else if (sent->note.empty()) {
      sent->note = "deactivated; revoking access token " + t.id + " failed: " + r.ToString();
    }
  }
  if (revoked > 0) {
    sent->extra.push_back({"access_tokens", std::to_string(revoked) + " active", "revoked"});
  }
  return Status::Ok();
}

Status Executor::SendGuest(const Action& action, const std::string& id, Sent* sent) {
  bool demote = action.type == ActionType::kGuest;
  Status s = demote ? api_.DemoteUserToGuest(id) : api_.PromoteGuestToUser(id);
  if (s.code() != Status::Code::kNotImplemented) return s;
  // 501 means "already in that state" or "no license": read back to tell them apart.
  auto user = api_.GetUser(id);
  if (user.ok() && user->HasRole("system_guest") == demote) {
    sent->note = demote ? "already a guest" : "already a member";
    return Status::Ok();
  }
  return s;
}

Status Executor::SendPatch(Action* a, Sent* sent) {
  auto patched = api_.PatchUser(sent->user_id, a->patch);
  if (patched.ok() || patched.status().error_id() != kProviderAttributeSet) {
    if (patched.ok()) sent->answer = *patched;
    return patched.ok() ? Status::Ok() : patched.status();
  }
  // 409: the patch touched a field the identity provider sets, and failed whole. Drop the
  // fields the server says the provider owns (or, if that cannot be told, the names and the
  // username), retry once and report what was not changed.
  Status conflict = patched.status();
  std::vector<std::string> dropped;
  auto user = api_.GetUser(sent->user_id);
  if (user.ok()) {
    for (const std::string& field : options_.capabilities.OwnedFields(user->auth_service)) {
      if (DropField(&a->patch, field)) dropped.push_back(field);
    }
  }
  if (dropped.empty()) {
    for (const char* field : {"first_name", "last_name", "username"}) {
      if (DropField(&a->patch, field)) dropped.push_back(field);
    }
  }
  std::string names;
  for (const std::string& field : dropped) names += (names.empty() ? "" : " ") + field;
  if (dropped.empty() || a->patch.empty()) {
    return conflict.Annotate(names.empty()
                                 ? "no field to drop"
                                 : "only provider-owned fields (" + names + ") to change");
  }
  a->changes.erase(std::remove_if(a->changes.begin(), a->changes.end(),
                                  [&](const FieldChange& c) {
                                    return std::find(dropped.begin(), dropped.end(), c.field) !=
                                           dropped.end();
                                  }),
                   a->changes.end());
  if (!a->patch.username) a->username = user.ok() ? user->username : a->username;
  sent->note = "not changed, set by the identity provider (409 login_provider_attribute_set): " +
               names;
  sent->drift.push_back(EscapeControl(a->username) + " (key=" + EscapeControl(a->key) +
                        "): " + names + " set by the identity provider; the server refused to "
                        "change them, the rest was retried once");
  patched = api_.PatchUser(sent->user_id, a->patch);
  if (!patched.ok()) return patched.status().Annotate("retry without " + names);
  sent->answer = *patched;
  return Status::Ok();
}

}  // namespace rostersync
