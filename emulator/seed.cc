#include "emulator/seed.h"

#include <Poco/JSON/Parser.h>

#include <cstdio>

#include "emulator/users_routes.h"

namespace mmemu {

namespace {

constexpr int64_t kSeedEpochMs = 1700000000000;  // fixed: generated data is reproducible

std::string DeterministicId(uint64_t n) {
  static const char kAlphabet[] = "ybndrfg8ejkmcpqxot1uwisza345h769";
  std::string id(26, 'a');
  uint64_t x = n * 0x9E3779B97F4A7C15ULL + 0x5eed;
  for (size_t i = 0; i < id.size(); ++i) {
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBULL;
    x ^= x >> 31;
    id[i] = kAlphabet[x % 32];
  }
  return id;
}

std::string CheckFree(UserStore* store, const EmuUser& u) {
  if (store->FindById(u.id)) return "duplicate id " + u.id;
  if (store->FindByUsername(u.username)) return "duplicate username " + u.username;
  if (store->FindByEmail(u.email)) return "duplicate email " + u.email;
  if (store->FindByAuthData(u.auth_data)) return "duplicate auth_data for " + u.username;
  return "";
}

int64_t GetInt(const Poco::JSON::Object::Ptr& obj, const std::string& key, int64_t dflt) {
  return obj->has(key) ? obj->getValue<int64_t>(key) : dflt;
}

// Reads the string and map fields of one seed entry into *u; false if one has the wrong type.
bool ReadSeedFields(const Poco::JSON::Object::Ptr& obj, EmuUser* u) {
  bool bad = false;
  ReadString(obj, "id", &u->id, &bad);
  for (auto [key, dst] : std::initializer_list<std::pair<const char*, std::string*>>{
           {"username", &u->username},
           {"email", &u->email},
           {"nickname", &u->nickname},
           {"first_name", &u->first_name},
           {"last_name", &u->last_name},
           {"position", &u->position},
           {"auth_data", &u->auth_data},
           {"auth_service", &u->auth_service},
           {"password", &u->password},
           {"roles", &u->roles},
           {"locale", &u->locale},
           {"remote_id", &u->remote_id}}) {
    ReadString(obj, key, dst, &bad);
  }
  ReadStringMap(obj, "props", &u->props, &bad);
  ReadStringMap(obj, "notify_props", &u->notify_props, &bad);
  ReadStringMap(obj, "timezone", &u->timezone, &bad);
  return !bad;
}

// Fills the derived and defaulted fields of a seed entry; bots get their own.
void FillSeedDefaults(UserStore* store, const Poco::JSON::Object::Ptr& obj, bool bots, EmuUser* u) {
  u->username = ToLower(u->username);
  u->email = ToLower(u->email);
  if (u->id.empty()) u->id = store->NewId();
  int64_t now = NowMs();
  u->create_at = GetInt(obj, "create_at", now);
  u->update_at = GetInt(obj, "update_at", u->create_at);
  u->delete_at = GetInt(obj, "delete_at", 0);
  u->email_verified = obj->has("email_verified") && obj->getValue<bool>("email_verified");
  if (bots) {
    bool bad = false;  // a bot's description or display_name of the wrong type is ignored
    u->is_bot = true;
    if (u->email.empty()) u->email = u->username + "@localhost";
    std::string description;
    ReadString(obj, "description", &description, &bad);
    u->bot_description = description;
    std::string display;
    if (ReadString(obj, "display_name", &display, &bad) && u->first_name.empty()) {
      u->first_name = display;
    }
  } else {
    u->is_bot = obj->has("is_bot") && obj->getValue<bool>("is_bot");
  }
  if (u->locale.empty()) u->locale = "en";
  if (u->notify_props.empty()) u->notify_props = DefaultNotifyProps(u->username);
  if (u->timezone.empty()) u->timezone = DefaultTimezone();
  if (!u->password.empty()) u->last_password_update = u->create_at;
}

// Adds one seed entry (and its token, if any); false, with *error, if it is malformed or clashes.
bool AddSeedEntry(UserStore* store, const Poco::JSON::Object::Ptr& obj, bool bots,
                  const std::string& where, std::string* error) {
  auto u = std::make_unique<EmuUser>();
  if (!ReadSeedFields(obj, u.get())) {
    *error = where + ": a field has the wrong JSON type";
    return false;
  }
  FillSeedDefaults(store, obj, bots, u.get());
  std::string err = ValidateUser(*u);
  if (err.empty()) err = CheckFree(store, *u);
  if (!err.empty()) {
    *error = where + " (" + u->username + "): " + err;
    return false;
  }
  std::string token;
  bool bad = false;  // a token of the wrong type is ignored
  ReadString(obj, "token", &token, &bad);
  EmuUser* stored = store->Insert(std::move(u));
  if (!token.empty()) store->AddToken(stored->id, token, "seeded token");
  return true;
}

// Adds the entries of root[section] ("users" or "bots"): their count, or -1 with *error.
int LoadSeedSection(UserStore* store, const Poco::JSON::Object::Ptr& root, const char* section,
                    std::string* error) {
  if (!root->has(section)) return 0;
  auto list = root->getArray(section);
  if (!list) {
    *error = std::string("\"") + section + "\" must be an array";
    return -1;
  }
  const bool bots = std::string(section) == "bots";
  int added = 0;
  for (size_t i = 0; i < list->size(); ++i) {
    auto obj = list->getObject(static_cast<unsigned>(i));
    std::string where = std::string(section) + "[" + std::to_string(i) + "]";
    if (!obj) {
      *error = where + " is not an object";
      return -1;
    }
    if (!AddSeedEntry(store, obj, bots, where, error)) return -1;
    ++added;
  }
  return added;
}

}  // namespace

void CreateAdmin(UserStore* store, const std::string& token) {
  auto u = std::make_unique<EmuUser>();
  u->id = DeterministicId(0);
  u->create_at = u->update_at = kSeedEpochMs;
  u->username = "admin";
  u->email = "admin@example.com";
  u->email_verified = true;
  u->roles = "system_user system_admin";
  u->password = "admin-password-unused";
  u->last_password_update = kSeedEpochMs;
  u->notify_props = DefaultNotifyProps(u->username);
  u->timezone = DefaultTimezone();
  EmuUser* stored = store->Insert(std::move(u));
  store->AddToken(stored->id, token, "emulator admin token");
}

int LoadSeedJson(UserStore* store, const std::string& json, std::string* error) {
  Poco::JSON::Object::Ptr root = ParseObject(json);
  if (!root) {
    *error = "seed must be a JSON object {\"users\":[...],\"bots\":[...]}";
    return -1;
  }
  int added = 0;
  try {
    for (const char* section : {"users", "bots"}) {
      int n = LoadSeedSection(store, root, section, error);
      if (n < 0) return -1;
      added += n;
    }
    if (LoadSeedTeams(store, root, error) < 0) return -1;
  } catch (const std::exception& e) {
    *error = std::string("seed: ") + e.what();
    return -1;
  }
  return added;
}

void GenerateUsers(UserStore* store, int n) {
  static const char* kFirst[] = {"Ada",      "Alan",   "Grace",   "Linus",  "Barbara", "Ken",
                                 "Margaret", "Dennis", "Frances", "Edsger", "Radia",   "Donald"};
  static const char* kLast[] = {"Lovelace", "Turing",  "Hopper", "Torvalds", "Liskov",  "Thompson",
                                "Hamilton", "Ritchie", "Allen",  "Dijkstra", "Perlman", "Knuth"};
  static const char* kPosition[] = {"Engineer", "Designer", "Manager", "Analyst", "Support"};
  static int generated = 0;  // a second --generate/POST continues the numbering
  const StringMap notify = DefaultNotifyProps("");
  const StringMap tz = DefaultTimezone();
  for (int i = 0; i < n; ++i) {
    int k = ++generated;
    char name[32];
    std::snprintf(name, sizeof name, "user%06d", k);
    auto u = std::make_unique<EmuUser>();
    u->id = DeterministicId(static_cast<uint64_t>(k));
    u->create_at = u->update_at = kSeedEpochMs + k;
    u->username = name;
    u->email = std::string(name) + "@example.com";
    u->first_name = kFirst[k % 12];
    u->last_name = kLast[(k / 12) % 12];
    u->position = kPosition[k % 5];
    u->notify_props = notify;
    u->timezone = tz;
    if (store->FindByUsername(u->username) || store->FindById(u->id)) continue;
    store->Insert(std::move(u));
  }
}

}  // namespace mmemu
