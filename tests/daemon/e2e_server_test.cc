// End to end against mm-emulator --realistic: licensed, guest accounts disabled, email
// verification on, passwords of 40 bytes with all four classes, SAML first and last names
// owned by the provider, listing skew, replica lag, per-IP rate limit, name cleaning and
// locale replacement, all at once. A full sync, a rename, an email change, a leaver and a
// guest joiner converge; later cycles send no write; nobody has more access than the roster.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "tests/daemon/e2e_support.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace rostersync::testing {
namespace {

constexpr char kSeed[] = R"({
  "users": [
    {"username": "carol", "email": "carol@example.com", "first_name": "Carol",
     "last_name": "Old", "roles": "system_user", "password": "Seed-passw0rd!-Seed-passw0rd!-Seed-pass"},
    {"username": "eve", "email": "eve@example.com", "first_name": "Eve", "last_name": "Saml",
     "auth_service": "saml", "auth_data": "eve-key", "roles": "system_user"}
  ]
})";

std::string Roster(const std::vector<std::vector<std::string>>& rows) {
  std::string out = "employee_id,username,email,first_name,last_name,role,status\n";
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) out += (i ? "," : "") + row[i];
    out += "\n";
  }
  return out;
}

std::string Config(const TempDir& dir, const std::string& url) {
  dir.Write("mm-token", "admin-token-for-tests\n");
  return dir.Write(
      "config.yaml",
      "mattermost:\n  url: " + url + "\n  token_file: " + dir.File("mm-token") +
          "\n  retries: {max_attempts: 4, base_delay: 50ms, max_delay: 2s}\n  timeout: 10s\n"
          "roster:\n  source: csv\n  csv: {path: " + dir.File("roster.csv") +
          "}\n  key: employee_id\n"
          "fields:\n  username: {column: username}\n  email: {column: email}\n"
          "  first_name: {column: first_name}\n  last_name: {column: last_name}\n"
          "  role: {column: role, map: {guest: system_guest, member: system_user}}\n"
          "  active: {column: status, true: [active], false: [terminated]}\n"
          "policy:\n  max_deactivations: 100%\n"
          "state:\n  database: \"sqlite:" + dir.File("state.db") + "\"\n"
          "audit:\n  file: " + dir.File("audit.jsonl") + "\n");
}

class E2eServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string seed = dir_.Write("seed.json", kSeed);
    emu_ = std::make_unique<Emulator>(
        std::vector<std::string>{"--seed", seed, "--realistic", "--generate", "250"});
    ASSERT_TRUE(emu_->ok()) << "mm-emulator did not start: " << EmulatorBinary();
    config_ = Config(dir_, emu_->url());
  }
  // One cycle. Cycles of the service are minutes apart; here they are spaced past the
  // emulator's replica lag (100 ms), as a real server's replicas have caught up by then.
  CliRun Sync() {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    return RunRostersync(dir_, {"--config", config_, "sync"});
  }
  std::vector<EmuUser> Users() { return ParseEmuUsers(emu_->Get("/__emu/state")); }
  // Requests that change something: every non-GET request but POST /users/ids (a read
  // sent as POST, which the emulator's writes_total counts too).
  long Writes() {
    try {
      Poco::JSON::Parser parser;
      auto stats = parser.parse(emu_->Get("/__emu/stats")).extract<Poco::JSON::Object::Ptr>();
      long writes = stats->getValue<long>("writes_total");
      auto routes = stats->getObject("by_route");
      if (routes && routes->has("POST /api/v4/users/ids")) {
        writes -= routes->getValue<long>("POST /api/v4/users/ids");
      }
      return writes;
    } catch (const std::exception&) {
      return -1;
    }
  }
  // Another cycle sends no write.
  CliRun ExpectNoWrite(const std::string& when) {
    long before = Writes();
    CliRun again = Sync();
    EXPECT_EQ(again.exit_code, 4) << when << "\n" << again.out << again.err;  // gina is held
    EXPECT_EQ(Writes(), before) << when << "\n" << again.out << again.err;
    EXPECT_GE(before, 0);
    return again;
  }
  // Nobody holds more access than the roster gives: no guest row became an account, no
  // one but the admin is a system admin, and leavers are deactivated.
  void ExpectNoExtraAccess(const std::set<std::string>& leavers) {
    for (const EmuUser& u : Users()) {
      EXPECT_NE(u.username, "gina") << "a guest row became a full member";
      if (u.username != "admin") EXPECT_EQ(u.roles.find("system_admin"), std::string::npos);
      if (leavers.count(u.username) > 0) EXPECT_NE(u.delete_at, 0) << u.username;
    }
  }

  TempDir dir_;
  std::unique_ptr<Emulator> emu_;
  std::string config_;
};

TEST_F(E2eServerTest, ConvergesOnARealisticServerAndThenSendsNothing) {
  std::vector<std::vector<std::string>> rows = {
      {"E1", "alice", "alice@example.com", "Alice", "Archer", "member", "active"},
      {"E2", "bob", "bob@example.com", "Bob", "Builder", "member", "active"},
      {"E3", "carol", "carol@example.com", "Carol", "Cooper", "member", "active"},
      {"E4", "dave", "dave@example.com", "Dave", "Leaver", "member", "active"},
      {"E5", "eve", "eve@example.com", "Evelyn", "Saml", "member", "active"},
      {"E6", "gina", "gina@example.com", "Gina", "Guest", "guest", "active"},
      // An adopted account at the page boundary that the listing skew skips once alice,
      // bob and dave exist: every later listing misses it; POST /users/ids still finds it.
      {"E7", "user000194", "user000194@example.com", "Una", "Paged", "member", "active"}};
  dir_.Write("roster.csv", Roster(rows));
  CliRun first = Sync();
  EXPECT_EQ(first.exit_code, 4) << first.out << first.err;  // the guest is held
  EXPECT_NE(first.out.find("guest accounts are disabled"), std::string::npos) << first.out;
  std::vector<EmuUser> users = Users();
  for (const char* name : {"alice", "bob", "dave"}) {
    EXPECT_NE(FindUser(users, name), nullptr) << name << " not created\n" << first.out << first.err;
  }
  ASSERT_NE(FindUser(users, "carol"), nullptr);
  EXPECT_EQ(FindUser(users, "carol")->last_name, "Cooper");
  ExpectNoExtraAccess({});
  CliRun second = ExpectNoWrite("second cycle");
  EXPECT_NE(second.err.find("the listing missed 1 account(s) the ledger knows"),
            std::string::npos)
      << "the listing skew did not hit a managed account\n" << second.err;

  rows[0][1] = "alice.archer";              // a rename
  rows[1][2] = "bob.builder@example.com";   // an email change, pending verification
  rows.erase(rows.begin() + 3);             // dave leaves
  dir_.Write("roster.csv", Roster(rows));
  CliRun change = Sync();
  EXPECT_EQ(change.exit_code, 4) << change.out << change.err;
  users = Users();
  EXPECT_NE(FindUser(users, "alice.archer"), nullptr) << change.out << change.err;
  ExpectNoExtraAccess({"dave"});
  ExpectNoWrite("after the changes");
  ExpectNoWrite("third cycle after the changes");

  users = Users();
  const EmuUser* bob = FindUser(users, "bob");
  ASSERT_NE(bob, nullptr);
  EXPECT_EQ(bob->email, "bob@example.com") << "the server keeps the old email until verified";
  std::string confirmed = emu_->Send("POST", "/__emu/users/" + bob->id + "/confirm_email", "{}");
  EXPECT_NE(confirmed.find("bob.builder@example.com"), std::string::npos) << confirmed;
  ExpectNoWrite("after bob verified");
  users = Users();
  ASSERT_NE(FindUser(users, "bob"), nullptr);
  EXPECT_EQ(FindUser(users, "bob")->email, "bob.builder@example.com");
}

}  // namespace
}  // namespace rostersync::testing

namespace rostersync::testing {
namespace {

// What the server allows is shown where an administrator looks: the plan header,
// `check-config`, `status` (from the last sync's run record) and `--json`.
TEST_F(E2eServerTest, ShowsWhatTheServerAllowsInPlanCheckConfigStatusAndJson) {
  dir_.Write("roster.csv", Roster({{"E1", "alice", "alice@example.com", "Alice", "Adams",
                                    "member", "active"}}));
  CliRun plan = RunRostersync(dir_, {"--config", config_, "plan"});
  EXPECT_NE(plan.out.find("Server: server "), std::string::npos) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("guests off"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("email verification on"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("passwords >= 40"), std::string::npos) << plan.out;

  CliRun check = RunRostersync(dir_, {"--config", config_, "check-config"});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_NE(check.out.find("server: server "), std::string::npos) << check.out;

  CliRun json = RunRostersync(dir_, {"--config", config_, "plan", "--json"});
  EXPECT_NE(json.out.find("\"server\":{\"summary\":"), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("\"guest_accounts\":false"), std::string::npos) << json.out;

  CliRun sync = Sync();
  EXPECT_NE(sync.exit_code, 1) << sync.out << sync.err;
  CliRun status = RunRostersync(dir_, {"--config", config_, "status"});
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_NE(status.out.find("Server (as of "), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("licensed, guests off"), std::string::npos) << status.out;
  CliRun status_json = RunRostersync(dir_, {"--config", config_, "status", "--json"});
  EXPECT_NE(status_json.out.find("\"server\":\"server "), std::string::npos) << status_json.out;
}

}  // namespace
}  // namespace rostersync::testing
