// Loading users into the emulator: the admin account, seed JSON files
// ({"users":[...],"bots":[...],"teams":[...]}) and deterministic generated users for
// benchmarks.
// Callers hold the store's unique lock.
#ifndef ROSTERSYNC_TESTS_EMULATOR_SEED_H_
#define ROSTERSYNC_TESTS_EMULATOR_SEED_H_

#include <Poco/JSON/Object.h>

#include <string>

#include "emulator/user_store.h"

namespace mmemu {

// Creates user "admin" (system_user system_admin, admin@example.com) owning `token`.
void CreateAdmin(UserStore* store, const std::string& token);

// Adds the users and bots in `json`, then its teams. Returns the number of users added, or -1 with *error set
// (naming the entry and the problem); entries before the bad one stay added.
int LoadSeedJson(UserStore* store, const std::string& json, std::string* error);

// Adds the "teams" section of a parsed seed (teams, their channels and memberships; see
// docs/emulator.md). Returns the number of teams added, or -1 with *error set.
int LoadSeedTeams(UserStore* store, const Poco::JSON::Object::Ptr& root, std::string* error);

// Adds n users user000001.. (offset by those already generated), deterministic ids.
void GenerateUsers(UserStore* store, int n);

}  // namespace mmemu

#endif  // ROSTERSYNC_TESTS_EMULATOR_SEED_H_
