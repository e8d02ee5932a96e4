// End to end with the real binary and mm-emulator: team and channel memberships from the
// roster (membership.*, policy.membership sync). One company team with channels per
// department and office (300 people); a team per business unit; a full team.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "sync/text.h"
#include "tests/daemon/e2e_support.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace rostersync::testing {
namespace {

constexpr char kSeed[] = R"({
  "users": [
    {"username": "carol", "email": "carol@example.com", "first_name": "Carol",
     "last_name": "Old", "roles": "system_user", "password": "Seed-passw0rd!"}
  ],
  "teams": [{"name": "company", "display_name": "Company", "members": ["carol"],
             "channels": [{"name": "dept-eng"}, {"name": "dept-sales", "members": ["carol"]},
                          {"name": "dept-engineering"}, {"name": "dept-ops"},
                          {"name": "office-paris"}, {"name": "office-berlin"},
                          {"name": "office-london"}, {"name": "random", "members": ["carol"]}]},
            {"name": "retail", "display_name": "Retail"},
            {"name": "wholesale", "display_name": "Wholesale",
             "channels": [{"name": "buyers"}]}]
})";

constexpr char kMembership[] =
    "membership:\n"
    "  teams: [{team: company}]\n"
    "  channels:\n"
    "    - {team: company, channel: \"dept-{department}\"}\n"
    "    - {team: company, channel: \"office-{location}\"}\n";

struct Person {
  std::string key, username, department, location;
  std::string status = "active";
};

// username -> the team's current members and each channel's members, from /__emu/state.
struct Memberships {
  std::set<std::string> team;                              // usernames
  std::map<std::string, std::set<std::string>> channels;  // channel -> usernames
};

Memberships Read(const Emulator& emu, const std::string& team_name = "company") {
  const std::string state = emu.Get("/__emu/state");
  std::map<std::string, std::string> names;
  for (const EmuUser& u : ParseEmuUsers(state)) names[u.id] = u.username;
  Memberships out;
  Poco::JSON::Parser parser;
  auto root = parser.parse(state).extract<Poco::JSON::Object::Ptr>();
  auto teams = root->getArray("teams");
  for (size_t i = 0; teams && i < teams->size(); ++i) {
    auto team = teams->getObject(static_cast<unsigned>(i));
    if (team->getValue<std::string>("name") != team_name) continue;
    auto members = team->getArray("members");
    for (size_t m = 0; m < members->size(); ++m) {
      auto row = members->getObject(static_cast<unsigned>(m));
      if (row->optValue<int64_t>("delete_at", 0) == 0) {
        out.team.insert(names[row->getValue<std::string>("user_id")]);
      }
    }
    auto channels = team->getArray("channels");
    for (size_t c = 0; c < channels->size(); ++c) {
      auto channel = channels->getObject(static_cast<unsigned>(c));
      auto& set = out.channels[channel->getValue<std::string>("name")];
      auto ids = channel->getArray("member_ids");
      for (size_t m = 0; m < ids->size(); ++m) {
        set.insert(names[ids->getElement<std::string>(static_cast<unsigned>(m))]);
      }
    }
  }
  return out;
}

// Requests since the last stats reset that change something (POST .../ids are reads).
int Writes(const Emulator& emu) {
  Poco::JSON::Parser parser;
  auto log = parser.parse(emu.Get("/__emu/requests?limit=10000")).extract<Poco::JSON::Array::Ptr>();
  int n = 0;
  for (size_t i = 0; i < log->size(); ++i) {
    auto r = log->getObject(static_cast<unsigned>(i));
    const std::string method = r->getValue<std::string>("method");
    const std::string path = r->getValue<std::string>("path");
    const bool read = method == "GET" || (path.size() > 4 && path.substr(path.size() - 4) == "/ids");
    if (!read && path.rfind("/__emu", 0) != 0) ++n;
  }
  return n;
}

// Lines of audit.jsonl with this action and result.
int AuditLines(const TempDir& dir, const std::string& action, const std::string& result) {
  const std::string file = TempDir::Read(dir.File("audit.jsonl"));
  const std::string a = "\"action\":\"" + action + "\"";
  const std::string r = "\"result\":\"" + result + "\"";
  int n = 0;
  size_t start = 0;
  while (start < file.size()) {
    size_t end = file.find('\n', start);
    if (end == std::string::npos) end = file.size();
    const std::string line = file.substr(start, end - start);
    n += line.find(a) != std::string::npos && line.find(r) != std::string::npos;
    start = end + 1;
  }
  return n;
}

class E2eMembershipTest : public ::testing::Test {
 protected:
  void SetUp() override {
    emu_ = std::make_unique<Emulator>(std::vector<std::string>{
        "--seed", dir_.Write("seed.json", kSeed), "--max-users-per-team", "1000"});
    ASSERT_TRUE(emu_->ok());
    const char* departments[] = {"Eng", "Sales", "Ops"};
    const char* locations[] = {"Paris", "Berlin", "London"};
    for (int i = 1; i <= kPeople; ++i) {
      people_.push_back({"E" + std::to_string(i), "p" + std::to_string(i),
                         departments[(i - 1) % 3], locations[(i - 1) / 3 % 3]});
    }
    people_.push_back({"E" + std::to_string(kPeople + 1), "carol", "Eng", "Paris"});
    WriteRoster();
    Configure(kMembership);
  }
  void Configure(const std::string& membership) {
    E2eConfig c;
    c.url = emu_->url();
    c.admin_port = FreePort();
    c.extra = membership;
    std::string text = TempDir::Read(WriteConfig(dir_, c));
    const std::string policy = "  max_deactivations: 1\n";
    text.replace(text.find(policy), policy.size(), policy + "  membership: sync\n");
    config_ = dir_.Write("config.yaml", text);
  }
  void WriteRoster() {
    std::string csv = "employee_id,username,email,first_name,last_name,status,department,location\n";
    for (const Person& p : people_) {
      csv += p.key + "," + p.username + "," + p.username + "@example.com,F" + p.username + ",L" +
             p.username + "," + p.status + "," + p.department + "," + p.location + "\n";
    }
    dir_.Write("roster.csv", csv);
  }
  CliRun Sync() { return RunRostersync(dir_, {"--config", config_, "sync"}); }

  static constexpr int kPeople = 300;

  TempDir dir_;
  std::unique_ptr<Emulator> emu_;
  std::vector<Person> people_;
  std::string config_;
};

TEST_F(E2eMembershipTest, PutsEveryoneInTheTeamAndChannelsMovesAndHoldsARenamedDepartment) {
  CliRun first = Sync();
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  Memberships m = Read(*emu_);
  for (const Person& p : people_) {
    EXPECT_EQ(m.team.count(p.username), 1u) << p.username;
    EXPECT_EQ(m.channels["dept-" + Lower(p.department)].count(p.username), 1u) << p.username;
    EXPECT_EQ(m.channels["office-" + Lower(p.location)].count(p.username), 1u) << p.username;
  }
  EXPECT_EQ(m.channels["dept-eng"].size(), 101u);  // 100 and carol
  EXPECT_EQ(m.channels["office-london"].size(), 99u);

  // A second cycle sends no writes.
  emu_->Send("POST", "/__emu/stats/reset", "");
  CliRun second = Sync();
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  EXPECT_EQ(Writes(*emu_), 0) << emu_->Get("/__emu/requests?limit=10000");

  // A mover changes channels in one cycle; carol's hand-added memberships stay.
  people_[0].department = "Sales";
  WriteRoster();
  CliRun moved = Sync();
  ASSERT_EQ(moved.exit_code, 0) << moved.out << moved.err;
  m = Read(*emu_);
  EXPECT_EQ(m.channels["dept-sales"].count("p1"), 1u);
  EXPECT_EQ(m.channels["dept-eng"].count("p1"), 0u);
  EXPECT_EQ(m.channels["dept-sales"].count("carol"), 1u) << "added by hand: never removed";
  EXPECT_EQ(m.channels["random"].count("carol"), 1u);

  // A leaver is deactivated and nothing else: the memberships stay as the server leaves them.
  people_[kPeople - 1].status = "terminated";  // p300, in Ops
  WriteRoster();
  emu_->Send("POST", "/__emu/stats/reset", "");
  CliRun left = Sync();
  ASSERT_EQ(left.exit_code, 0) << left.out << left.err;
  EXPECT_EQ(Writes(*emu_), 1) << emu_->Get("/__emu/requests?limit=10000");
  m = Read(*emu_);
  EXPECT_EQ(m.channels["dept-ops"].count("p300"), 1u);
  EXPECT_EQ(m.team.count("p300"), 1u);

  // Eng renamed to Engineering for everyone: the joins go ahead, the removals are held.
  for (Person& p : people_) {
    if (p.department == "Eng") p.department = "Engineering";
  }
  WriteRoster();
  CliRun renamed = Sync();
  EXPECT_EQ(renamed.exit_code, 4) << renamed.out << renamed.err;
  m = Read(*emu_);
  EXPECT_EQ(m.channels["dept-engineering"].size(), 100u);  // 99 left in Eng and carol
  EXPECT_EQ(m.channels["dept-eng"].size(), 100u) << "removals held by max_membership_removals";
  EXPECT_EQ(m.channels["dept-sales"].count("carol"), 1u) << "added by hand: never removed";
  CliRun plan = RunRostersync(dir_, {"--config", config_, "plan"});
  EXPECT_NE(plan.out.find("max_membership_removals"), std::string::npos) << plan.out;
  // The hold is audited once: the next cycle's hold text counts more memberships (the joins
  // above were added), but it is the same hold of the same removals.
  const int held = AuditLines(dir_, "leave_channel", "held");
  EXPECT_EQ(held, 100);
  CliRun again = Sync();
  EXPECT_EQ(again.exit_code, 4) << again.out << again.err;
  EXPECT_EQ(AuditLines(dir_, "leave_channel", "held"), held);
}

// A team per business unit: `when` picks the team; a channel rule implies its team.
TEST_F(E2eMembershipTest, ATeamPerBusinessUnit) {
  Configure(
      "membership:\n"
      "  teams:\n"
      "    - {team: retail, when: {column: department, equals: Sales}}\n"
      "    - {team: wholesale, when: {column: department, equals: Ops}}\n"
      "  channels:\n"
      "    - {team: wholesale, channel: buyers, when: {column: department, equals: Ops}}\n");
  CliRun first = Sync();
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  Memberships retail = Read(*emu_, "retail");
  Memberships wholesale = Read(*emu_, "wholesale");
  EXPECT_EQ(retail.team.size(), 100u);
  EXPECT_EQ(wholesale.team.size(), 100u);
  EXPECT_EQ(wholesale.channels["buyers"].size(), 100u);
  for (const Person& p : people_) {
    EXPECT_EQ(retail.team.count(p.username), p.department == "Sales" ? 1u : 0u) << p.username;
    EXPECT_EQ(wholesale.team.count(p.username), p.department == "Ops" ? 1u : 0u) << p.username;
  }
  EXPECT_EQ(Read(*emu_).team, std::set<std::string>{"carol"}) << "company is not configured";
  emu_->Send("POST", "/__emu/stats/reset", "");
  CliRun second = Sync();
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  EXPECT_EQ(Writes(*emu_), 0) << emu_->Get("/__emu/requests?limit=10000");
}

// A full team (MaxUsersPerTeam 50 on the emulator, the server's default): one attention line
// naming the setting, exit 4, and no join of that team after the first refused batch.
TEST_F(E2eMembershipTest, AFullTeamIsOneAttentionLineNamingTheSetting) {
  const std::string faults = emu_->Send("PUT", "/__emu/faults", R"({"max_users_per_team": 50})");
  ASSERT_NE(faults.find("\"max_users_per_team\":50"), std::string::npos) << faults;
  CliRun first = Sync();
  EXPECT_EQ(first.exit_code, 4) << first.out << first.err;
  EXPECT_EQ(Read(*emu_).team.size(), 50u);
  size_t lines = 0;
  for (size_t at = first.out.find("is full"); at != std::string::npos;
       at = first.out.find("is full", at + 1)) {
    ++lines;
  }
  EXPECT_EQ(lines, 1u) << first.out;
  EXPECT_NE(first.out.find("TeamSettings.MaxUsersPerTeam"), std::string::npos) << first.out;
  EXPECT_EQ(first.out.find("failed join_"), std::string::npos) << first.out;
  // Accounts created this cycle join one by one: the joins stop soon after the first refusal
  // (those already under way finish), not one refused request per person.
  Poco::JSON::Parser parser;
  auto log = parser.parse(emu_->Get("/__emu/requests?limit=10000")).extract<Poco::JSON::Array::Ptr>();
  int joins = 0;
  for (size_t i = 0; i < log->size(); ++i) {
    auto r = log->getObject(static_cast<unsigned>(i));
    const std::string path = r->getValue<std::string>("path");
    joins += r->getValue<std::string>("method") == "POST" && path.rfind("/api/v4/teams/", 0) == 0 &&
             path.find("/members") != std::string::npos && path.find("/ids") == std::string::npos;
  }
  EXPECT_GE(joins, 50);
  EXPECT_LE(joins, 49 + 16) << "joins sent after the team was known full";
  // The refused joins are held, never failed, and audited once while the team stays full:
  // two more cycles add no held record (each person has two channels in the full team).
  EXPECT_EQ(AuditLines(dir_, "join_team", "failed"), 0);
  const int team_holds = AuditLines(dir_, "join_team", "held");
  const int channel_holds = AuditLines(dir_, "join_channel", "held");
  EXPECT_GT(team_holds, 200);
  EXPECT_GT(channel_holds, 400);
  for (int cycle = 2; cycle <= 3; ++cycle) {
    CliRun again = Sync();
    EXPECT_EQ(again.exit_code, 4) << again.out << again.err;
    EXPECT_EQ(AuditLines(dir_, "join_team", "held"), team_holds) << "cycle " << cycle;
    EXPECT_EQ(AuditLines(dir_, "join_channel", "held"), channel_holds) << "cycle " << cycle;
    EXPECT_EQ(AuditLines(dir_, "join_team", "failed"), 0) << "cycle " << cycle;
  }
}

}  // namespace
}  // namespace rostersync::testing
