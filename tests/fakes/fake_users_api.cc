// FakeUsersApi: server rules from docs/server-facts.md (see the header), enforced in memory.
#include "tests/fakes/fake_users_api.h"
#include "tests/fakes/fake_users_api_internal.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

namespace rostersync::testing {
namespace {

using fake_internal::Http;

bool ValidUsername(const std::string& u) {
  static const std::set<std::string> kReserved{"all", "channel", "matterbot", "system"};
  if (u.empty() || u.size() > 64 || kReserved.count(u)) return false;
  return std::all_of(u.begin(), u.end(), [](unsigned char c) {
    return std::islower(c) || std::isdigit(c) || c == '.' || c == '-' || c == '_';
  });
}

bool ValidEmail(const std::string& e) {
  if (e.empty() || e.size() > 128 || Lower(e) != e) return false;
  auto at = e.find('@');
  if (at == std::string::npos || at == 0 || at + 1 == e.size()) return false;
  if (e.find('@', at + 1) != std::string::npos) return false;
  return std::none_of(e.begin(), e.end(), [](unsigned char c) {
    return std::isspace(c) || c == '<' || c == '>' || c == '"' || c == ',';
  });
}

}  // namespace

bool ValidRolesForFake(const std::string& roles) {
  static const std::set<std::string> kBuiltIn{
      "system_guest", "system_user", "system_admin", "system_post_all",
      "system_post_all_public", "system_user_access_token", "system_user_manager",
      "system_read_only_admin", "system_manager", "system_custom_group_admin"};
  std::istringstream in(roles);
  int base = 0;
  int count = 0;
  for (std::string r; in >> r; ++count) {
    if (!kBuiltIn.count(r)) return false;
    if (r == "system_user" || r == "system_guest") ++base;
  }
  return count > 0 && base == 1;
}

FakeUsersApi::FakeUsersApi() {
  User me;
  me.id = "me";
  me.username = "rostersync";
  me.email = "rostersync@example.com";
  me.roles = "system_user system_admin";
  AddUser(me);
}

User FakeUsersApi::AddUser(User user) {
  std::lock_guard<std::mutex> lock(mu_);
  if (user.id.empty()) user.id = "u" + std::to_string(next_id_++);
  if (user.roles.empty()) user.roles = "system_user";
  if (user.create_at == 0) user.create_at = now_ms_;
  users_[user.id].user = user;
  return user;
}

std::optional<User> FakeUsersApi::FindUser(const std::string& id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = users_.find(id);
  if (it == users_.end()) return std::nullopt;
  return it->second.user;
}

std::optional<User> FakeUsersApi::FindByUsername(const std::string& username) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [id, s] : users_) {
    if (s.user.username == username) return s.user;
  }
  return std::nullopt;
}

std::vector<User> FakeUsersApi::AllUsers() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<User> out;
  for (const auto& [id, s] : users_) out.push_back(s.user);
  return out;
}

std::string FakeUsersApi::AuthData(const std::string& id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = users_.find(id);
  return it == users_.end() ? "" : it->second.auth_data;
}

std::string FakeUsersApi::Password(const std::string& id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = users_.find(id);
  return it == users_.end() ? "" : it->second.password;
}

UserAccessToken FakeUsersApi::AddToken(const std::string& user_id,
                                       const std::string& description) {
  std::lock_guard<std::mutex> lock(mu_);
  UserAccessToken t;
  t.id = "t" + std::to_string(next_id_++);
  t.user_id = user_id;
  t.description = description;
  t.token = "secret-token-" + t.id;
  tokens_[t.id] = t;
  return t;
}

std::vector<UserAccessToken> FakeUsersApi::Tokens(const std::string& user_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<UserAccessToken> out;
  for (const auto& [id, t] : tokens_) {
    if (t.user_id == user_id) out.push_back(t);
  }
  return out;
}

std::vector<std::string> FakeUsersApi::PasswordResetsSent() const {
  std::lock_guard<std::mutex> lock(mu_);
  return resets_;
}

void FakeUsersApi::set_now_ms(int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  now_ms_ = now_ms;
}

void FakeUsersApi::set_check_provider_attributes(bool on) {
  std::lock_guard<std::mutex> lock(mu_);
  check_provider_attributes_ = on;
}

void FakeUsersApi::set_capabilities(const ServerCapabilities& capabilities) {
  std::lock_guard<std::mutex> lock(mu_);
  capabilities_ = capabilities;
}

void FakeUsersApi::HideFromListing(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  hidden_.insert(id);
}

std::string FakeUsersApi::PendingEmail(const std::string& id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = users_.find(id);
  return it == users_.end() ? "" : it->second.pending_email;
}

void FakeUsersApi::ConfirmPendingEmail(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = users_.find(id);
  if (it == users_.end() || it->second.pending_email.empty()) return;
  it->second.user.email = it->second.pending_email;
  it->second.user.email_verified = true;
  it->second.user.update_at = now_ms_;  // the server's VerifyEmail sets UpdateAt
  it->second.pending_email.clear();
}

int FakeUsersApi::Calls(const std::string& method) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = calls_.find(method);
  return it == calls_.end() ? 0 : it->second;
}

int FakeUsersApi::Writes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return writes_;
}

void FakeUsersApi::ResetCounters() {
  std::lock_guard<std::mutex> lock(mu_);
  calls_.clear();
  writes_ = 0;
}

void FakeUsersApi::FailNext(const std::string& method, Status status, int times) {
  std::lock_guard<std::mutex> lock(mu_);
  for (int i = 0; i < times; ++i) fail_next_[method].push_back(status);
}

void FakeUsersApi::FailWhere(FaultPredicate predicate) {
  std::lock_guard<std::mutex> lock(mu_);
  fail_where_ = std::move(predicate);
}

void FakeUsersApi::OutcomeUnknownAfterApply(const std::string& method, int times) {
  std::lock_guard<std::mutex> lock(mu_);
  outcome_unknown_[method] += times;
}

void FakeUsersApi::ClearFaults() {
  std::lock_guard<std::mutex> lock(mu_);
  fail_next_.clear();
  outcome_unknown_.clear();
  fail_where_ = nullptr;
}

namespace {
thread_local std::string t_fake_request_id;
}  // namespace

std::string FakeUsersApi::LastRequestId() const { return t_fake_request_id; }

std::optional<Status> FakeUsersApi::Enter(const std::string& method, const std::string& arg,
                                          bool write) {
  ++calls_[method];
  if (write) t_fake_request_id = "fake-req-" + std::to_string(++writes_);
  auto it = fail_next_.find(method);
  if (it != fail_next_.end() && !it->second.empty()) {
    Status s = it->second.front();
    it->second.pop_front();
    return s;
  }
  if (fail_where_) return fail_where_(method, arg);
  return std::nullopt;
}

bool FakeUsersApi::TakeOutcomeUnknown(const std::string& method) {
  auto it = outcome_unknown_.find(method);
  if (it == outcome_unknown_.end() || it->second == 0) return false;
  --it->second;
  return true;
}

FakeUsersApi::Stored* FakeUsersApi::Find(const std::string& id) {
  auto it = users_.find(id);
  return it == users_.end() ? nullptr : &it->second;
}

User FakeUsersApi::Sanitized(const Stored& s, bool profile) const {
  User u = s.user;  // auth_data lives beside the User: never shown
  if (profile) u.email_verified.reset();  // SanitizeProfile drops it (lists, others)
  return u;
}

Status FakeUsersApi::ProviderOwned(const User& u, const UserPatch& p) const {
  const std::set<std::string>& owned = capabilities_.OwnedFields(u.auth_service);
  struct Field {
    const char* name;
    const std::optional<std::string>* asked;
    const std::string* current;
  };
  const Field fields[] = {{"username", &p.username, &u.username},
                          {"email", &p.email, &u.email},
                          {"first_name", &p.first_name, &u.first_name},
                          {"last_name", &p.last_name, &u.last_name},
                          {"nickname", &p.nickname, &u.nickname},
                          {"position", &p.position, &u.position}};
  for (const auto& [name, asked, current_ptr] : fields) {
    const std::string& current = *current_ptr;
    if (!asked->has_value() || owned.count(name) == 0) continue;
    bool folded = std::string(name) == "username" || std::string(name) == "email";
    if ((folded ? Lower(**asked) : **asked) == current) continue;
    return Http(Status::Conflict(std::string(name) + " is set by the login provider"), 409,
                "api.user.patch_user.login_provider_attribute_set.app_error");
  }
  return Status::Ok();
}

Status FakeUsersApi::CheckUsernameEmail(const std::string& username, const std::string& email,
                                        const std::string& self_id) const {
  if (!ValidUsername(username)) {
    return Http(Status::Invalid("invalid username"), 400, "model.user.is_valid.username.app_error");
  }
  if (!ValidEmail(email)) {
    return Http(Status::Invalid("invalid email"), 400, "model.user.is_valid.email.app_error");
  }
  for (const auto& [id, s] : users_) {
    if (id == self_id) continue;
    if (s.user.username == username) {
      return Http(Status::Conflict("username exists"), 400,
                  "app.user.save.username_exists.app_error");
    }
    if (s.user.email == email) {
      return Http(Status::Conflict("email exists"), 400, "app.user.save.email_exists.app_error");
    }
  }
  return Status::Ok();
}

}  // namespace rostersync::testing
