// In-memory user database of the emulator: users indexed by id, username, email and
// auth_data, a username-sorted vector for paging, tokens, sessions and sent password
// resets, and the TeamStore. Thread-safety: callers lock mu() (shared for reads, unique
// for writes) and hold it across every call below; the store itself never locks.
#ifndef ROSTERSYNC_TESTS_EMULATOR_USER_STORE_H_
#define ROSTERSYNC_TESTS_EMULATOR_USER_STORE_H_

#include <cstdint>
#include <memory>
#include <random>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "emulator/teams_store.h"
#include "emulator/user.h"

namespace mmemu {

struct TokenRecord {
  std::string id;
  std::string token;
  std::string user_id;
  std::string description;
  bool is_active = true;
};

struct SessionRecord {
  std::string id;
  std::string token;
  std::string user_id;
  int64_t create_at = 0;
  int64_t last_activity_at = 0;
};

int64_t NowMs();

class UserStore {
 public:
  UserStore();
  UserStore(const UserStore&) = delete;
  UserStore& operator=(const UserStore&) = delete;

  std::shared_mutex& mu() const { return mu_; }

  // A new random 26-char Mattermost-style id (also used for tokens). Needs the unique lock.
  std::string NewId();

  EmuUser* FindById(const std::string& id) const;
  EmuUser* FindByUsername(const std::string& username) const;
  EmuUser* FindByEmail(const std::string& email) const;
  EmuUser* FindByAuthData(const std::string& auth_data) const;

  // Adds a validated user whose username/email/auth_data are free. Returns the stored user.
  EmuUser* Insert(std::unique_ptr<EmuUser> user);
  // Re-indexes `user` after a change from `before` and refreshes its cached JSON. With a
  // replica lag set and `record_lag`, reads see `before` for that long.
  void Updated(EmuUser* user, const EmuUser& before, bool record_lag = true);
  // A user created through the API: with a replica lag, reads miss it for that long.
  void NoteCreated(const std::string& id);

  // Replica lag (0 = off). The lag state is written under the unique lock and read under
  // the shared one.
  void set_replica_lag_ms(int ms) { replica_lag_ms_ = ms; }
  // What a lagging replica shows for `id`: nullptr when it is up to date, else the lagged
  // entry (`before` null: the replica does not have the user yet).
  struct Lagged {
    std::shared_ptr<const EmuUser> before;
    int64_t until_ms = 0;
  };
  const Lagged* LaggedView(const std::string& id) const;
  // False once every lag has run out (lists then take the fast path again).
  bool AnyLag() const { return !lagged_.empty() && NowMs() < lag_until_ms_; }
  // Removes the user and its tokens/sessions (permanent delete).
  void Erase(const std::string& id);

  // Users sorted by username (bytewise, like a C-collated database).
  const std::vector<EmuUser*>& Sorted() const { return sorted_; }
  size_t size() const { return by_id_.size(); }

  // Token -> active user, or nullptr when unknown, disabled, or its user is deactivated.
  // Records a session for the token's user the first time it is seen.
  EmuUser* Authenticate(const std::string& token);
  TokenRecord* AddToken(const std::string& user_id, const std::string& token,
                        const std::string& description);
  TokenRecord* FindTokenById(const std::string& token_id);
  bool RevokeToken(const std::string& token_id);
  std::vector<const TokenRecord*> TokensOf(const std::string& user_id) const;
  std::vector<const TokenRecord*> AllTokens() const;

  std::vector<SessionRecord>& SessionsOf(const std::string& user_id) { return sessions_[user_id]; }
  void RevokeSessions(const std::string& user_id) { sessions_.erase(user_id); }
  const std::unordered_map<std::string, std::vector<SessionRecord>>& sessions() const {
    return sessions_;
  }

  // Teams, channels and memberships (guarded by the same mutex).
  TeamStore& teams() { return teams_; }
  const TeamStore& teams() const { return teams_; }

  std::vector<std::string>& password_resets() { return password_resets_; }
  const std::vector<std::string>& password_resets() const { return password_resets_; }

 private:
  void SortedInsert(EmuUser* user);
  void SortedErase(EmuUser* user, const std::string& username);
  void NoteLag(const std::string& id, std::shared_ptr<const EmuUser> before);

  mutable std::shared_mutex mu_;
  std::mt19937_64 rng_;
  std::unordered_map<std::string, std::unique_ptr<EmuUser>> by_id_;
  std::unordered_map<std::string, EmuUser*> by_username_;
  std::unordered_map<std::string, EmuUser*> by_email_;
  std::unordered_map<std::string, EmuUser*> by_auth_data_;
  std::vector<EmuUser*> sorted_;
  std::unordered_map<std::string, TokenRecord> tokens_;                   // by token value
  std::unordered_map<std::string, std::string> token_ids_;                // token id -> token value
  std::unordered_map<std::string, std::vector<SessionRecord>> sessions_;  // by user id
  std::vector<std::string> password_resets_;
  TeamStore teams_;
  int replica_lag_ms_ = 0;
  int64_t lag_until_ms_ = 0;  // the latest until_ms in lagged_
  std::unordered_map<std::string, Lagged> lagged_;  // by user id
};

}  // namespace mmemu

#endif  // ROSTERSYNC_TESTS_EMULATOR_USER_STORE_H_
