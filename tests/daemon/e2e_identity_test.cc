// End to end, the real rostersync binary against mm-emulator: the identity-damage scenarios
// of a realistic rollout. A fill-down key slip, an export re-saved as Windows-1252, a new hire
// whose username belongs to an outside consultant, two rows sharing one SSO id and accounts
// from before rostersync: none of them may cost or merge an identity. (The terminated system
// admin is in e2e_guards_test.cc.)
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

std::string Seed(const std::vector<std::string>& names, const std::string& domain) {
  std::string out = "{\"users\": [";
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string& n = names[i];
    out += std::string(i ? "," : "") + "{\"username\": \"" + n + "\", \"email\": \"" + n + "@" +
           domain + "\", \"first_name\": \"" + n + "\", \"roles\": \"system_user\", " +
           "\"password\": \"Seed-passw0rd!\", \"token\": \"" + n + "-token\"}";
  }
  return out + "]}";
}

class E2eIdentityTest : public ::testing::Test {
 protected:
  void Start(const std::string& seed, std::vector<std::string> flags = {}) {
    flags.insert(flags.end(), {"--seed", dir_.Write("seed.json", seed)});
    emu_ = std::make_unique<Emulator>(flags);
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
  void SetMaxDeactivations(int n) {
    ASSERT_TRUE(EditFile(config_, "max_deactivations: 1\n",
                         "max_deactivations: " + std::to_string(n) + "\n"));
  }

  TempDir dir_;
  std::unique_ptr<Emulator> emu_;
  std::string config_;
};

// Scenario 1: rows 3-5 got row 6's employee id (E5) by a fill-down slip. The four rows are
// rejected; bob, carol and dave (keys E2-E4, now in no valid row) are named in them and are
// held, not deactivated: their sessions stay, the plan names each row, exit 4.
TEST_F(E2eIdentityTest, FillDownKeySlipHoldsTheDeactivationsOfThePeopleInTheRejectedRows) {
  Start(Seed({"bob", "carol", "dave", "erin"}, "example.com"));
  SetMaxDeactivations(10);  // the slip must be caught by the rejected rows, not the cap
  Rows good = {{"E1", "alice", "alice@example.com", "Alice", "Archer", "active"},
               {"E2", "bob", "bob@example.com", "Bob", "Builder", "active"},
               {"E3", "carol", "carol@example.com", "Carol", "Cooper", "active"},
               {"E4", "dave", "dave@example.com", "Dave", "Dunn", "active"},
               {"E5", "erin", "erin@example.com", "Erin", "Ek", "active"}};
  dir_.Write("roster.csv", RosterCsv(good));
  CliRun first = Run({"sync"});
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  for (const char* name : {"bob", "carol", "dave"})
    OpenSession(*emu_, std::string(name) + "-token");

  Rows slipped = good;
  for (int row : {1, 2, 3}) slipped[row][0] = "E5";
  dir_.Write("roster.csv", RosterCsv(slipped));
  CliRun plan = Run({"plan", "--detailed-exitcode"});
  EXPECT_EQ(plan.exit_code, 4) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("Plan: 0 actions, 3 held, 4 rejected rows"), std::string::npos)
      << plan.out;
  // Each held deactivation names the row its person is in.
  const std::vector<std::pair<std::string, std::string>> held = {
      {"bob", "roster.csv:3"}, {"carol", "roster.csv:4"}, {"dave", "roster.csv:5"}};
  for (const auto& [name, row] : held) {
    size_t line = plan.out.find("- deactivate  " + name + " ");
    ASSERT_NE(line, std::string::npos) << name << "\n" << plan.out;
    std::string text = plan.out.substr(line, plan.out.find('\n', line) - line);
    EXPECT_NE(text.find("[held: rejected_row " + dir_.File(row) + "]"), std::string::npos) << text;
  }
  EXPECT_NE(plan.out.find("Rejected rows (4)"), std::string::npos) << plan.out;

  CliRun sync = Run({"sync"});
  EXPECT_EQ(sync.exit_code, 4) << sync.out << sync.err;
  auto users = ReadState(*emu_);
  for (const char* name : {"bob", "carol", "dave", "erin"}) {
    EXPECT_EQ(users[name].delete_at, 0) << name << " was deactivated";
  }
  for (const char* name : {"bob", "carol", "dave"}) {
    EXPECT_EQ(users[name].sessions, 1) << name << "'s session was revoked";
  }
}

// Scenario 2: the same export re-saved as Windows-1252 is refused whole, in one line naming
// the encoding, with nothing applied (not even the ASCII rows' pending update); with
// roster.csv.encoding: windows-1252 it syncs with the right accented names.
TEST_F(E2eIdentityTest, Windows1252ExportIsRefusedUntilTheEncodingIsConfigured) {
  Start("{\"users\": []}");
  Rows rows = {{"E1", "jose.muller", "jose@example.com", "José", "Müller", "active"},
               {"E2", "zoe.angstrom", "zoe@example.com", "Zoë", "Ångström", "active"},
               {"E3", "carol", "carol@example.com", "Carol", "Cooper", "active"}};
  dir_.Write("roster.csv", RosterCsv(rows));
  CliRun first = Run({"sync"});
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;

  rows[0][4] = "Müller-Núñez";  // HR changed two names, then Excel saved the file
  rows[2][4] = "Cooper-Smith";
  dir_.Write("roster.csv", AsWindows1252(RosterCsv(rows)));
  long writes = emu_->WritesTotal();
  CliRun sync = Run({"sync"});
  EXPECT_NE(sync.exit_code, 0) << sync.out << sync.err;
  // One line (the command's error; the log line says the same), not a line per row.
  std::string last = sync.err.substr(sync.err.rfind('\n', sync.err.size() - 2) + 1);
  EXPECT_NE(last.find("roster.csv is not UTF-8 (looks like Windows-1252"), std::string::npos)
      << sync.err;
  EXPECT_NE(last.find("roster.csv.encoding: windows-1252"), std::string::npos) << sync.err;
  EXPECT_EQ(sync.err.find("rejected"), std::string::npos) << sync.err;
  EXPECT_EQ(sync.out.find("rejected"), std::string::npos) << sync.out;
  EXPECT_EQ(emu_->WritesTotal(), writes) << "nothing may be applied from a mis-decoded roster";
  EXPECT_EQ(ReadState(*emu_)["carol"].last_name, "Cooper");

  ASSERT_TRUE(EditFile(config_, "csv: {path: ", "csv: {encoding: windows-1252, path: "));
  CliRun fixed = Run({"sync"});
  ASSERT_EQ(fixed.exit_code, 0) << fixed.out << fixed.err;
  auto users = ReadState(*emu_);
  EXPECT_EQ(users["jose.muller"].first_name, "José");
  EXPECT_EQ(users["jose.muller"].last_name, "Müller-Núñez");
  EXPECT_EQ(users["zoe.angstrom"].last_name, "Ångström");
  EXPECT_EQ(users["carol"].last_name, "Cooper-Smith");
  EXPECT_EQ(users.size(), 4u) << "admin and the three people, no one duplicated";
}

// Scenario 2 as reported: usernames made from the names, and a letter Windows-1252 cannot
// hold (ł) saved by Excel as '?'. The file is refused whole, so Małgorzata is not renamed to
// magorzata.miller nor her first name to "Ma?gorzata". (Her name cannot survive that save at
// all, which is why the test above configures the encoding with names 1252 can hold.)
TEST_F(E2eIdentityTest, Windows1252ResaveThatLostALetterRenamesNoOne) {
  Start("{\"users\": []}");
  ASSERT_TRUE(EditFile(config_, "  username: {column: username}\n",
                       "  username: {template: \"{first_name}.{last_name}\", transform: [ascii, "
                       "lower, mattermost_username]}\n"));
  Rows rows = {{"E1", "", "malgorzata@example.com", "Małgorzata", "Miller", "active"},
               {"E2", "", "jose@example.com", "José", "Müller", "active"}};
  dir_.Write("roster.csv", RosterCsv(rows));
  CliRun first = Run({"sync"});
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  ASSERT_EQ(ReadState(*emu_).count("malgorzata.miller"), 1u) << first.out;

  ASSERT_EQ(AsWindows1252("Małgorzata,José"), "Ma?gorzata,Jos\xE9");
  dir_.Write("roster.csv", AsWindows1252(RosterCsv(rows)));
  long writes = emu_->WritesTotal();
  CliRun plan = Run({"plan", "--detailed-exitcode"});
  EXPECT_EQ(plan.exit_code, 1) << plan.out << plan.err;
  EXPECT_EQ(plan.out.find("magorzata"), std::string::npos) << plan.out;
  CliRun sync = Run({"sync"});
  EXPECT_EQ(sync.exit_code, 1) << sync.out << sync.err;
  EXPECT_NE(sync.err.find("roster.csv is not UTF-8 (looks like Windows-1252"), std::string::npos)
      << sync.err;
  EXPECT_EQ(emu_->WritesTotal(), writes);
  auto users = ReadState(*emu_);
  EXPECT_EQ(users.count("magorzata.miller"), 0u);
  EXPECT_EQ(users["malgorzata.miller"].first_name, "Małgorzata");
}

// Scenario 3: with match.order [email, username], a new hire maria.garcia@example.com finds
// the outside consultant's account maria.garcia (another email) by username only: held as
// ambiguous, the consultant's email unchanged, no account adopted or created, exit 4.
TEST_F(E2eIdentityTest, UsernameOnlyMatchWithAnotherEmailIsHeldAsAmbiguous) {
  Start(Seed({"maria.garcia"}, "agency-partner.com"));
  Rows rows = kE2eRoster;
  rows.push_back({"E7", "maria.garcia", "maria.garcia@example.com", "Maria", "Garcia", "active"});
  dir_.Write("roster.csv", RosterCsv(rows));
  CliRun plan = Run({"plan", "--detailed-exitcode"});
  EXPECT_EQ(plan.exit_code, 4) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("ambiguous"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("maria.garcia@agency-partner.com"), std::string::npos) << plan.out;

  CliRun sync = Run({"sync"});
  EXPECT_EQ(sync.exit_code, 4) << sync.out << sync.err;
  auto users = ReadState(*emu_);
  EXPECT_EQ(users["maria.garcia"].email, "maria.garcia@agency-partner.com");
  EXPECT_EQ(users["maria.garcia"].last_name, "") << "the consultant's account was adopted";
  EXPECT_EQ(users.size(), 5u) << "admin, alice, bob, carol and the consultant";
}

// Scenario 4: two rows carry the same SSO id: both are rejected and neither account is moved
// to SAML, so Alice's SSO login can never land in Bob's account. The rest of the roster is
// trusted and carol and dave move to SAML as asked.
TEST_F(E2eIdentityTest, SharedAuthDataRejectsBothRowsAndMigratesNoOne) {
  Start(Seed({"alice", "bob", "carol", "dave"}, "example.com"), {"--licensed"});
  SetMaxDeactivations(10);
  ASSERT_TRUE(EditFile(config_, "fields:\n",
                       "fields:\n  auth_service: {column: auth_service}\n"
                       "  auth_data: {column: auth_data}\n"));
  auto csv = [](const std::string& service, const std::string& alice_id,
                const std::string& bob_id) {
    auto row = [&](const std::string& key, const std::string& name, const std::string& id) {
      return key + "," + name + "," + name + "@example.com," + name + ",Lee,active," +
             (id.empty() ? "" : service) + "," + id + "\n";
    };
    return "employee_id,username,email,first_name,last_name,status,auth_service,auth_data\n" +
           row("E1", "alice", alice_id) + row("E2", "bob", bob_id) +
           row("E3", "carol", service.empty() ? "" : "carol@corp.example") +
           row("E4", "dave", service.empty() ? "" : "dave@corp.example");
  };
  dir_.Write("roster.csv", csv("", "", ""));
  CliRun first = Run({"sync"});
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;

  dir_.Write("roster.csv", csv("saml", "alice@corp.example", "alice@corp.example"));
  CliRun plan = Run({"plan", "--detailed-exitcode"});
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  EXPECT_EQ(plan.out.find("not trusted"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("Rejected rows (2)"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("auth_data 'alice@corp.example'"), std::string::npos) << plan.out;
  std::vector<std::string> auth_lines;  // "# auth ..." lines: carol's and dave's only
  for (size_t at = plan.out.find("\n# auth"); at != std::string::npos;
       at = plan.out.find("\n# auth", at + 1)) {
    auth_lines.push_back(plan.out.substr(at + 1, plan.out.find('\n', at + 1) - at - 1));
  }
  EXPECT_EQ(auth_lines.size(), 2u) << plan.out;
  if (auth_lines.size() == 2) {
    EXPECT_NE(auth_lines[0].find("carol"), std::string::npos) << auth_lines[0];
    EXPECT_NE(auth_lines[1].find("dave"), std::string::npos) << auth_lines[1];
  }

  CliRun sync = Run({"sync"});
  EXPECT_EQ(sync.exit_code, 0) << sync.out << sync.err;
  auto users = ReadState(*emu_);
  for (const char* name : {"alice", "bob"}) {
    EXPECT_EQ(users[name].auth_service, "") << name;
    EXPECT_EQ(users[name].auth_data, "") << name;
    EXPECT_EQ(users[name].delete_at, 0) << name;
  }
  EXPECT_EQ(users["carol"].auth_service, "saml");
  EXPECT_EQ(users["carol"].auth_data, "carol@corp.example");
  EXPECT_EQ(users["dave"].auth_data, "dave@corp.example");
}

// Scenario 6: a first rollout finds accounts in scope that match no roster row and are in no
// ledger. `report` (the default) lists them under their heading; `deactivate` plans their
// deactivation, held above policy.max_deactivations and applied within it.
TEST_F(E2eIdentityTest, UnmatchedAccountsAreReportedThenDeactivatedWithinTheCap) {
  Start(Seed({"ex.one", "ex.two"}, "example.com"));
  dir_.Write("roster.csv", RosterCsv(kE2eRoster));
  CliRun report = Run({"plan"});
  ASSERT_EQ(report.exit_code, 0) << report.out << report.err;
  EXPECT_NE(report.out.find("Unmatched accounts (2;"), std::string::npos) << report.out;
  EXPECT_NE(report.out.find("? unmatched   ex.one"), std::string::npos) << report.out;
  EXPECT_NE(report.out.find("? unmatched   ex.two"), std::string::npos) << report.out;
  EXPECT_EQ(report.out.find("- deactivate"), std::string::npos) << report.out;

  ASSERT_TRUE(EditFile(config_, "policy:\n", "policy:\n  unmatched_accounts: deactivate\n"));
  CliRun held = Run({"sync"});  // max_deactivations: 1, two to deactivate
  EXPECT_EQ(held.exit_code, 4) << held.out << held.err;
  EXPECT_NE(held.out.find("max_deactivations"), std::string::npos) << held.out;
  auto users = ReadState(*emu_);
  EXPECT_EQ(users["ex.one"].delete_at, 0);
  EXPECT_EQ(users["ex.two"].delete_at, 0);

  SetMaxDeactivations(2);
  CliRun sync = Run({"sync"});
  EXPECT_EQ(sync.exit_code, 0) << sync.out << sync.err;
  users = ReadState(*emu_);
  EXPECT_NE(users["ex.one"].delete_at, 0);
  EXPECT_NE(users["ex.two"].delete_at, 0);
  EXPECT_EQ(users["alice"].delete_at, 0);
}

}  // namespace
}  // namespace rostersync::testing
