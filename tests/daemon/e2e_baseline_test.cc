// End to end: a roster a person vouched for becomes the accepted baseline. A mass leave above
// policy.max_deactivations is held (exit 4); once a person approves the held set (or forces
// it through with `sync --force`) and it is applied, the next cycle compares against that
// roster: it is trusted (exit 0) and updates apply. A roster that shrinks again after that
// is judged anew, against the approved one.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/daemon/e2e_support.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace rostersync::testing {
namespace {

constexpr int kPeople = 45;
constexpr int kLeft = 42;  // three leave at once: more than policy.max_deactivations=1

std::vector<std::vector<std::string>> People(int n, const std::string& last_name_of_1 = "1") {
  std::vector<std::vector<std::string>> rows;
  for (int i = 1; i <= n; ++i) {
    const std::string id = std::to_string(i);
    rows.push_back({"P" + id, "person" + id, "person" + id + "@example.com", "Person",
                    i == 1 ? last_name_of_1 : id, "active"});
  }
  return rows;
}

// The held_id of the first waiting held set in `held --json` output.
std::string WaitingId(const std::string& json) {
  auto at = json.find("\"decision\":\"waiting\"");
  if (at == std::string::npos) return "";
  auto id = json.rfind("\"held_id\":\"", at);
  return id == std::string::npos ? "" : json.substr(id + 11, 16);
}

class E2eBaselineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    emu_ = std::make_unique<Emulator>(
        std::vector<std::string>{"--seed", dir_.Write("seed.json", kE2eSeed)});
    ASSERT_TRUE(emu_->ok());
    E2eConfig c;
    c.url = emu_->url();
    config_ = WriteConfig(dir_, c);
    dir_.Write("roster.csv", RosterCsv(People(kPeople)));
    CliRun first = Cli({"sync"});
    ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
    // Three people leave at once: held, as a truncated export would be.
    dir_.Write("roster.csv", RosterCsv(People(kLeft)));
    CliRun held = Cli({"sync"});
    ASSERT_EQ(held.exit_code, 4) << held.out << held.err;
    ASSERT_EQ(Deactivated(), 0);
  }
  CliRun Cli(std::vector<std::string> args) {
    args.insert(args.begin(), {"--config", config_});
    return RunRostersync(dir_, args);
  }
  int Deactivated() {
    int n = 0;
    for (const EmuUser& u : ParseEmuUsers(emu_->Get("/__emu/state"))) {
      n += u.delete_at > 0 && u.username.rfind("person", 0) == 0;
    }
    return n;
  }
  // After the leave was released: a later cycle is trusted and an update applies, in an
  // incremental and in a full cycle.
  void ExpectTrustedAfterwards() {
    dir_.Write("roster.csv", RosterCsv(People(kLeft, "Renamed")));
    CliRun next = Cli({"sync"});
    EXPECT_EQ(next.exit_code, 0) << next.out << next.err;
    EXPECT_EQ(next.out.find("not trusted"), std::string::npos) << next.out;
    std::optional<EmuUser> one = FindEmuUser(emu_->Get("/__emu/state"), "person1");
    ASSERT_TRUE(one.has_value());
    EXPECT_EQ(one->last_name, "Renamed");
    CliRun full = Cli({"sync", "--full"});
    EXPECT_EQ(full.exit_code, 0) << full.out << full.err;
  }

  TempDir dir_;
  std::unique_ptr<Emulator> emu_;
  std::string config_;
};

TEST_F(E2eBaselineTest, AnApprovedMassLeaveBecomesTheBaseline) {
  CliRun list = Cli({"held", "--json"});
  const std::string id = WaitingId(list.out);
  ASSERT_EQ(id.size(), 16u) << list.out;
  CliRun approve = Cli({"approve", id});
  ASSERT_EQ(approve.exit_code, 0) << approve.out << approve.err;
  EXPECT_EQ(Deactivated(), kPeople - kLeft);
  ExpectTrustedAfterwards();
  // Two more leave: judged anew against the approved roster (42 rows), held again.
  dir_.Write("roster.csv", RosterCsv(People(kLeft - 2, "Renamed")));
  CliRun again = Cli({"sync"});
  EXPECT_EQ(again.exit_code, 4) << again.out << again.err;
  EXPECT_NE((again.out + again.err).find("than the last accepted roster (42 rows)"),
            std::string::npos)
      << again.out << again.err;
  EXPECT_EQ(Deactivated(), kPeople - kLeft);
}

TEST_F(E2eBaselineTest, AForcedMassLeaveBecomesTheBaseline) {
  CliRun forced = Cli({"sync", "--force"});
  ASSERT_EQ(forced.exit_code, 0) << forced.out << forced.err;
  EXPECT_EQ(Deactivated(), kPeople - kLeft);
  ExpectTrustedAfterwards();
}

// docs/operations.md: from an untrusted roster only creates go ahead; every change to an
// existing account (here an update) is held with the deactivations.
TEST_F(E2eBaselineTest, AHeldMassLeaveNobodyDecidedStaysHeldAndIsNotTheBaseline) {
  std::vector<std::vector<std::string>> rows = People(kLeft, "Renamed");
  rows.push_back({"P99", "joiner99", "joiner99@example.com", "New", "Joiner", "active"});
  dir_.Write("roster.csv", RosterCsv(rows));
  CliRun again = Cli({"sync", "--full"});
  EXPECT_EQ(again.exit_code, 4) << again.out << again.err;
  EXPECT_NE((again.out + again.err).find("than the last accepted roster (45 rows)"),
            std::string::npos)
      << again.out << again.err;
  EXPECT_EQ(Deactivated(), 0);
  const std::string state = emu_->Get("/__emu/state");
  std::optional<EmuUser> one = FindEmuUser(state, "person1");
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(one->last_name, "1");  // the update is held
  EXPECT_TRUE(FindEmuUser(state, "joiner99").has_value());  // the create went ahead
}

}  // namespace
}  // namespace rostersync::testing
