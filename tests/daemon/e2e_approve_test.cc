// End to end: exact approvals of held sets with the real binary against mm-emulator. A
// truncated roster holds 40 deactivations; `rostersync held` lists the set, `approve` applies
// exactly those 40 and audits the approver; a replay, a changed plan and an unknown id apply
// nothing (exit 5); `reject` dismisses a set.
#include <gtest/gtest.h>
#include <pwd.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "tests/daemon/e2e_support.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace rostersync::testing {
namespace {

constexpr int kPeople = 45;
constexpr int kKept = 5;  // the truncated export keeps the first five rows

class E2eApproveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    emu_ = SeededEmulator(dir_);
    ASSERT_TRUE(emu_->ok());
    E2eConfig c;
    c.url = emu_->url();
    config_ = WriteConfig(dir_, c);
    WriteRoster(kPeople);
    CliRun first = Cli({"sync"});
    ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
    ASSERT_EQ(Deactivated(), 0);
  }
  CliRun Cli(std::vector<std::string> args) {
    args.insert(args.begin(), {"--config", config_});
    return RunRostersync(dir_, args);
  }
  void WriteRoster(int rows) {
    dir_.Write("roster.csv", RosterCsv(NumberedPeople(rows)));
  }
  int Deactivated() {
    int n = 0;
    for (const EmuUser& u : ParseEmuUsers(emu_->Get("/__emu/state"))) {
      n += u.delete_at > 0 && u.username.rfind("person", 0) == 0;
    }
    return n;
  }
  // Truncates the roster: the sync holds 40 deactivations (exit 4) and records the set.
  std::string HoldForty() {
    WriteRoster(kKept);
    CliRun held = Cli({"sync"});
    EXPECT_EQ(held.exit_code, 4) << held.out << held.err;
    EXPECT_EQ(Deactivated(), 0);
    CliRun list = Cli({"held", "--json"});
    EXPECT_EQ(list.exit_code, 0) << list.err;
    const std::string id = HeldId(list.out);
    EXPECT_EQ(id.size(), 16u) << list.out;
    EXPECT_NE(list.out.find("40 deactivate"), std::string::npos) << list.out;
    return id;
  }

  TempDir dir_;
  std::unique_ptr<Emulator> emu_;
  std::string config_;
};

TEST_F(E2eApproveTest, ApprovingAHeldSetAppliesExactlyItsActionsAndAuditsTheApprover) {
  const std::string id = HoldForty();
  CliRun approve = Cli({"approve", id});
  EXPECT_EQ(approve.exit_code, 0) << approve.out << approve.err;
  EXPECT_NE(approve.out.find("40 of 40 held action(s) applied"), std::string::npos)
      << approve.out << approve.err;
  EXPECT_EQ(Deactivated(), kPeople - kKept);
  const passwd* pw = ::getpwuid(::geteuid());
  ASSERT_NE(pw, nullptr);
  CliRun audit = Cli({"audit", "--json"});
  EXPECT_NE(audit.out.find("\"action\":\"approve\""), std::string::npos) << audit.out;
  EXPECT_NE(audit.out.find("\"username\":\"" + std::string(pw->pw_name) + "\""),
            std::string::npos);
  CliRun list = Cli({"held"});
  EXPECT_NE(list.out.find("approved"), std::string::npos) << list.out;
  // A replay of the same approval applies nothing.
  const long writes = ChangingRequests(*emu_);
  CliRun again = Cli({"approve", id});
  EXPECT_EQ(again.exit_code, 5) << again.out << again.err;
  EXPECT_NE(again.err.find("already approved"), std::string::npos) << again.err;
  EXPECT_EQ(ChangingRequests(*emu_), writes);
}

TEST_F(E2eApproveTest, AnApprovalOfASetThePlanNoLongerHoldsUnchangedAppliesNothing) {
  const std::string id = HoldForty();
  WriteRoster(kKept + 1);  // person6 is back: one approved deactivation vanished
  const long writes = ChangingRequests(*emu_);
  CliRun approve = Cli({"approve", id});
  EXPECT_EQ(approve.exit_code, 5) << approve.out << approve.err;
  EXPECT_NE(approve.err.find("P6 deactivate: no longer planned"), std::string::npos)
      << approve.err;
  EXPECT_EQ(Deactivated(), 0);
  EXPECT_EQ(ChangingRequests(*emu_), writes);
  CliRun unknown = Cli({"approve", "0123456789abcdef"});
  EXPECT_EQ(unknown.exit_code, 5) << unknown.err;
  EXPECT_EQ(Deactivated(), 0);
}

TEST_F(E2eApproveTest, OnlyReleasesTheNamedKeysAndRejectDismissesASet) {
  const std::string id = HoldForty();
  CliRun some = Cli({"approve", id, "--only", "P6,P7", "--only", "P8"});
  EXPECT_EQ(some.exit_code, 0) << some.out << some.err;
  EXPECT_EQ(Deactivated(), 3);
  // The rest is a new held set (37 deactivations); rejecting it applies nothing.
  CliRun list = Cli({"held", "--json"});
  const std::string rest = HeldId(list.out);
  ASSERT_EQ(rest.size(), 16u) << list.out;
  EXPECT_NE(rest, id);
  CliRun reject = Cli({"reject", rest});
  EXPECT_EQ(reject.exit_code, 0) << reject.out << reject.err;
  EXPECT_EQ(Cli({"approve", rest}).exit_code, 5);
  EXPECT_EQ(Deactivated(), 3);
  CliRun again = Cli({"sync"});  // the same plan: still held, the set stays rejected
  EXPECT_EQ(again.exit_code, 4);
  EXPECT_EQ(HeldId(Cli({"held", "--json"}).out, "rejected"), rest);
}

}  // namespace
}  // namespace rostersync::testing
