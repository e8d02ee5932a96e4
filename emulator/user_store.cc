#include "emulator/user_store.h"

#include <algorithm>
#include <chrono>

namespace mmemu {

namespace {
constexpr char kIdAlphabet[] = "ybndrfg8ejkmcpqxot1uwisza345h769";

bool ByUsername(const EmuUser* a, const std::string& name) { return a->username < name; }
}  // namespace

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

UserStore::UserStore() : rng_(0x6d6d656d75ULL) {}

std::string UserStore::NewId() {
  std::string id(26, 'a');
  for (auto& c : id) c = kIdAlphabet[rng_() % 32];
  return id;
}

EmuUser* UserStore::FindById(const std::string& id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second.get();
}

EmuUser* UserStore::FindByUsername(const std::string& username) const {
  auto it = by_username_.find(username);
  return it == by_username_.end() ? nullptr : it->second;
}

EmuUser* UserStore::FindByEmail(const std::string& email) const {
  auto it = by_email_.find(email);
  return it == by_email_.end() ? nullptr : it->second;
}

EmuUser* UserStore::FindByAuthData(const std::string& auth_data) const {
  if (auth_data.empty()) return nullptr;
  auto it = by_auth_data_.find(auth_data);
  return it == by_auth_data_.end() ? nullptr : it->second;
}

void UserStore::SortedInsert(EmuUser* user) {
  auto pos = std::lower_bound(sorted_.begin(), sorted_.end(), user->username, ByUsername);
  sorted_.insert(pos, user);
}

void UserStore::SortedErase(EmuUser* user, const std::string& username) {
  // `user` may already carry its new name while it still sits at the old name's place:
  // search by the name it was sorted under, which for `user` is `username`.
  auto key = [&](const EmuUser* u) -> const std::string& {
    return u == user ? username : u->username;
  };
  auto pos = std::lower_bound(sorted_.begin(), sorted_.end(), username,
                              [&](const EmuUser* u, const std::string& name) { return key(u) < name; });
  for (; pos != sorted_.end() && key(*pos) == username; ++pos) {
    if (*pos == user) {
      sorted_.erase(pos);
      return;
    }
  }
}

EmuUser* UserStore::Insert(std::unique_ptr<EmuUser> user) {
  EmuUser* u = user.get();
  u->profile_json = UserToJson(*u, UserView::kProfileAdmin);
  by_username_[u->username] = u;
  by_email_[u->email] = u;
  if (!u->auth_data.empty()) by_auth_data_[u->auth_data] = u;
  // Bulk generation appends in order; keep that O(1).
  if (sorted_.empty() || sorted_.back()->username < u->username) {
    sorted_.push_back(u);
  } else {
    SortedInsert(u);
  }
  by_id_[u->id] = std::move(user);
  return u;
}

void UserStore::NoteLag(const std::string& id, std::shared_ptr<const EmuUser> before) {
  if (replica_lag_ms_ <= 0) return;
  const int64_t now = NowMs();
  for (auto it = lagged_.begin(); it != lagged_.end();) {
    it = it->second.until_ms <= now ? lagged_.erase(it) : std::next(it);
  }
  lag_until_ms_ = now + replica_lag_ms_;
  auto it = lagged_.find(id);
  if (it != lagged_.end()) {
    it->second.until_ms = now + replica_lag_ms_;  // the replica still shows the older state
  } else {
    lagged_[id] = Lagged{std::move(before), now + replica_lag_ms_};
  }
}

void UserStore::NoteCreated(const std::string& id) { NoteLag(id, nullptr); }

const UserStore::Lagged* UserStore::LaggedView(const std::string& id) const {
  auto it = lagged_.find(id);
  if (it == lagged_.end() || it->second.until_ms <= NowMs()) return nullptr;
  return &it->second;
}

void UserStore::Updated(EmuUser* user, const EmuUser& before, bool record_lag) {
  if (record_lag && replica_lag_ms_ > 0) NoteLag(user->id, std::make_shared<EmuUser>(before));
  if (before.username != user->username) {
    by_username_.erase(before.username);
    by_username_[user->username] = user;
    SortedErase(user, before.username);
    SortedInsert(user);
  }
  if (before.email != user->email) {
    by_email_.erase(before.email);
    by_email_[user->email] = user;
  }
  if (before.auth_data != user->auth_data) {
    if (!before.auth_data.empty()) by_auth_data_.erase(before.auth_data);
    if (!user->auth_data.empty()) by_auth_data_[user->auth_data] = user;
  }
  user->profile_json = UserToJson(*user, UserView::kProfileAdmin);
}

void UserStore::Erase(const std::string& id) {
  EmuUser* u = FindById(id);
  if (!u) return;
  by_username_.erase(u->username);
  by_email_.erase(u->email);
  if (!u->auth_data.empty()) by_auth_data_.erase(u->auth_data);
  SortedErase(u, u->username);
  teams_.EraseUser(id);
  for (auto it = tokens_.begin(); it != tokens_.end();) {
    if (it->second.user_id == id) {
      token_ids_.erase(it->second.id);
      it = tokens_.erase(it);
    } else {
      ++it;
    }
  }
  sessions_.erase(id);
  lagged_.erase(id);
  by_id_.erase(id);
}

EmuUser* UserStore::Authenticate(const std::string& token) {
  auto it = tokens_.find(token);
  if (it == tokens_.end() || !it->second.is_active) return nullptr;
  EmuUser* u = FindById(it->second.user_id);
  if (!u || !u->IsActive()) return nullptr;
  auto& sessions = sessions_[u->id];
  int64_t now = NowMs();
  for (auto& s : sessions) {
    if (s.token == token) {
      s.last_activity_at = now;
      return u;
    }
  }
  sessions.push_back(SessionRecord{NewId(), token, u->id, now, now});
  return u;
}

TokenRecord* UserStore::AddToken(const std::string& user_id, const std::string& token,
                                 const std::string& description) {
  TokenRecord rec{NewId(), token.empty() ? NewId() : token, user_id, description, true};
  token_ids_[rec.id] = rec.token;
  auto& slot = tokens_[rec.token];
  slot = rec;
  return &slot;
}

TokenRecord* UserStore::FindTokenById(const std::string& token_id) {
  auto it = token_ids_.find(token_id);
  if (it == token_ids_.end()) return nullptr;
  auto t = tokens_.find(it->second);
  return t == tokens_.end() ? nullptr : &t->second;
}

bool UserStore::RevokeToken(const std::string& token_id) {
  auto it = token_ids_.find(token_id);
  if (it == token_ids_.end()) return false;
  std::string token = it->second;
  auto t = tokens_.find(token);
  if (t != tokens_.end()) {
    auto s = sessions_.find(t->second.user_id);
    if (s != sessions_.end()) {
      auto& v = s->second;
      v.erase(std::remove_if(v.begin(), v.end(),
                             [&](const SessionRecord& r) { return r.token == token; }),
              v.end());
    }
    tokens_.erase(t);
  }
  token_ids_.erase(it);
  return true;
}

std::vector<const TokenRecord*> UserStore::TokensOf(const std::string& user_id) const {
  std::vector<const TokenRecord*> out;
  for (const auto& [_, t] : tokens_) {
    if (t.user_id == user_id) out.push_back(&t);
  }
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->id < b->id; });
  return out;
}

std::vector<const TokenRecord*> UserStore::AllTokens() const {
  std::vector<const TokenRecord*> out;
  for (const auto& [_, t] : tokens_) out.push_back(&t);
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->id < b->id; });
  return out;
}

}  // namespace mmemu
