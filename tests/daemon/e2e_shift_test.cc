// End to end, the real rostersync binary against mm-emulator: an account an admin deactivated
// by hand is not reactivated silently (even one rostersync adopted), and a roster whose keys
// slipped by one row changes no identity (mass_identity_change holds it, exit 4).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/daemon/e2e_identity_support.h"
#include "tests/daemon/e2e_support.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace rostersync::testing {
namespace {

using Rows = std::vector<std::vector<std::string>>;

std::string Seed(const std::vector<std::string>& names) {
  std::string out = "{\"users\": [";
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string& n = names[i];
    out += std::string(i ? "," : "") + "{\"username\": \"" + n + "\", \"email\": \"" + n +
           "@example.com\", \"first_name\": \"" + n + "\", \"last_name\": \"L" + n +
           "\", \"roles\": \"system_user\", \"password\": \"Seed-passw0rd!\"}";
  }
  return out + "]}";
}

class E2eShiftTest : public ::testing::Test {
 protected:
  void Start(const std::string& seed) {
    emu_ = std::make_unique<Emulator>(
        std::vector<std::string>{"--seed", dir_.Write("seed.json", seed)});
    ASSERT_TRUE(emu_->ok()) << "mm-emulator did not start: " << EmulatorBinary();
    E2eConfig c;
    c.url = emu_->url();
    config_ = WriteConfig(dir_, c);
  }
  CliRun Run(const std::vector<std::string>& args) {
    std::vector<std::string> all = {"--config", config_};
    all.insert(all.end(), args.begin(), args.end());
    return RunRostersync(dir_, all);
  }

  TempDir dir_;
  std::unique_ptr<Emulator> emu_;
  std::string config_;
};

// bob existed before rostersync and was adopted by email; then an admin deactivated him
// (DELETE /api/v4/users/{id}) while the roster still lists him: attention, exit 4, not
// reactivated until sync --force.
TEST_F(E2eShiftTest, AdoptedAccountDeactivatedByAnAdminIsNotReactivatedSilently) {
  Start(Seed({"bob", "carol"}));
  Rows rows = {{"E1", "bob", "bob@example.com", "bob", "Lbob", "active"},
               {"E2", "carol", "carol@example.com", "carol", "Lcarol", "active"}};
  dir_.Write("roster.csv", RosterCsv(rows));
  CliRun first = Run({"sync"});
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  const std::string bob_id = ReadState(*emu_)["bob"].id;
  ASSERT_FALSE(bob_id.empty());
  emu_->Send("DELETE", "/api/v4/users/" + bob_id, "");
  ASSERT_NE(ReadState(*emu_)["bob"].delete_at, 0) << "the admin's deactivation did not happen";

  CliRun plan = Run({"plan", "--detailed-exitcode"});
  EXPECT_EQ(plan.exit_code, 4) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("E1 bob was deactivated outside rostersync; reactivate with sync "
                          "--force"),
            std::string::npos)
      << plan.out;
  CliRun sync = Run({"sync"});
  EXPECT_EQ(sync.exit_code, 4) << sync.out << sync.err;
  EXPECT_NE(ReadState(*emu_)["bob"].delete_at, 0) << "bob was reactivated silently";

  CliRun forced = Run({"sync", "--force"});
  EXPECT_EQ(forced.exit_code, 0) << forced.out << forced.err;
  EXPECT_EQ(ReadState(*emu_)["bob"].delete_at, 0) << "--force did not reactivate bob";
}

// 30 people; from row 11 on every key takes the next row's key (a fill-down slip in the key
// column; the last row gets a new key E131): each key is still unique but names its
// neighbour, and E111 is absent. Nobody is renamed, re-addressed or deactivated; one
// "! held" line says why.
TEST_F(E2eShiftTest, KeysShiftedByOneRowChangeNoIdentity) {
  std::vector<std::string> names;
  Rows rows;
  for (int i = 1; i <= 30; ++i) {
    std::string n = "p" + std::to_string(100 + i);
    names.push_back(n);
    rows.push_back({"E" + std::to_string(100 + i), n, n + "@example.com", n, "L" + n, "active"});
  }
  Start(Seed(names));
  dir_.Write("roster.csv", RosterCsv(rows));
  CliRun first = Run({"sync"});
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  auto before = ReadState(*emu_);

  rows[20][5] = "terminated";  // p121 leaves in this export...
  Rows shifted = rows;         // ...whose key column slipped from row 11 on
  for (int i = 10; i < 30; ++i) shifted[i][0] = "E" + std::to_string(100 + i + 2);
  dir_.Write("roster.csv", RosterCsv(shifted));
  CliRun plan = Run({"plan", "--detailed-exitcode"});
  EXPECT_EQ(plan.exit_code, 4) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("email/username changes at once"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("rows shifted? check the export"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("[held: mass_identity_change]"), std::string::npos) << plan.out;

  long writes = emu_->WritesTotal();
  CliRun sync = Run({"sync"});
  EXPECT_EQ(sync.exit_code, 4) << sync.out << sync.err;
  auto after = ReadState(*emu_);
  for (const std::string& n : names) {
    EXPECT_EQ(after[n].email, before[n].email) << n << "\n" << sync.out;
    EXPECT_EQ(after[n].first_name, before[n].first_name) << n;
    EXPECT_EQ(after[n].delete_at, 0) << n << " was deactivated\n" << sync.out;
  }
  EXPECT_EQ(emu_->WritesTotal(), writes) << sync.out;
}

}  // namespace
}  // namespace rostersync::testing
