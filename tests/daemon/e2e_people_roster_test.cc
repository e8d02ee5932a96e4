// End to end: a realistic 300-person HR export (accented names turned into usernames, a few
// contractors as guests, a few leavers, one bad row, a terminated system admin) against a
// server with existing accounts, a consultant and accounts from before rostersync. The text
// plan starts with its summary and keeps the documented section order; `plan --json` parses
// and carries the attention items, rejected rows and unmatched accounts.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tests/daemon/e2e_identity_support.h"
#include "tests/daemon/e2e_support.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace rostersync::testing {
namespace {

// {as written by HR, as the username transliterates it}
using Name = std::pair<std::string, std::string>;
const std::vector<Name> kFirst = {
    {"José", "jose"},         {"Zoë", "zoe"},       {"Hương", "huong"},   {"Łukasz", "lukasz"},
    {"François", "francois"}, {"Søren", "soren"},   {"Ana", "ana"},       {"Björn", "bjorn"},
    {"Chloé", "chloe"},       {"Dmitri", "dmitri"}, {"Élodie", "elodie"}, {"Fatima", "fatima"},
    {"Gonçalo", "goncalo"},   {"Ines", "ines"},     {"Jürgen", "jurgen"}, {"Kai", "kai"},
    {"Léa", "lea"},           {"Mateo", "mateo"},   {"Núria", "nuria"},   {"Oskar", "oskar"}};
const std::vector<Name> kLast = {{"Müller", "muller"},       {"Ångström", "angstrom"},
                                 {"Nguyễn", "nguyen"},       {"Żak", "zak"},
                                 {"Lefèvre", "lefevre"},     {"Ødegaard", "odegaard"},
                                 {"García", "garcia"},       {"Çelik", "celik"},
                                 {"Dvořák", "dvorak"},       {"Brontë", "bronte"},
                                 {"Kowalski", "kowalski"},   {"Šimić", "simic"},
                                 {"Østergård", "ostergard"}, {"Peña", "pena"},
                                 {"Smith", "smith"}};

struct Person {
  std::string key, first, last, username, email, kind = "staff", status = "active";
};

std::vector<Person> People() {
  std::vector<Person> people;
  for (size_t i = 0; i < 300; ++i) {
    const Name& f = kFirst[i % kFirst.size()];
    const Name& l = kLast[i / kFirst.size()];
    people.push_back({"E" + std::to_string(1000 + i), f.first, l.first, f.second + "." + l.second,
                      "p" + std::to_string(i) + "@example.com"});
  }
  for (size_t i = 5; i < 9; ++i) people[i].status = "terminated";      // leavers with accounts
  for (size_t i = 9; i < 12; ++i) people[i].kind = "contractor";       // become guests
  for (size_t i = 290; i < 295; ++i) people[i].kind = "contractor";    // new contractors
  for (size_t i = 295; i < 300; ++i) people[i].status = "terminated";  // left before joining
  people[12].status = "terminated";                                    // a system admin leaves
  people[250].email = "not-an-email";                                  // a bad row
  return people;
}

std::string Csv(const std::vector<Person>& people) {
  std::string out = "employee_id,first_name,last_name,email,kind,status\n";
  for (const Person& p : people) {
    out +=
        p.key + "," + p.first + "," + p.last + "," + p.email + "," + p.kind + "," + p.status + "\n";
  }
  return out;
}

// The first 40 people have accounts (5 with an old last name, 12 a system admin); so do a
// consultant holding new hire 260's username, and two ex-employees from before rostersync.
std::string Seed(const std::vector<Person>& people) {
  auto user = [](const std::string& username, const std::string& email, const std::string& first,
                 const std::string& last, const std::string& roles) {
    return "{\"username\": \"" + username + "\", \"email\": \"" + email + "\", \"first_name\": \"" +
           first + "\", \"last_name\": \"" + last + "\", \"roles\": \"" + roles +
           "\", \"password\": \"Seed-passw0rd!\"}";
  };
  std::string out = "{\"users\": [";
  for (size_t i = 0; i < 40; ++i) {
    const Person& p = people[i];
    out += user(p.username, p.email, p.first, i < 5 ? "Old" : p.last,
                i == 12 ? "system_user system_admin" : "system_user") +
           ",";
  }
  out +=
      user(people[260].username, "consultant@agency-partner.com", "Con", "Partner", "system_user");
  out += "," + user("old.timer1", "old1@example.com", "Old", "Timer", "system_user");
  out += "," + user("old.timer2", "old2@example.com", "Old", "Timer", "system_user");
  return out + "], \"bots\": [{\"username\": \"build-bot\", \"display_name\": \"CI\"}]}";
}

constexpr char kFields[] =
    "fields:\n"
    "  username: {template: \"{first_name}.{last_name}\", transform: [ascii, lower, "
    "mattermost_username]}\n"
    "  email: {column: email}\n"
    "  first_name: {column: first_name}\n"
    "  last_name: {column: last_name}\n"
    "  role: {column: kind, map: {staff: system_user, contractor: guest}}\n"
    "  active: {column: status, true: [active], false: [terminated]}\n"
    "policy:\n";

class E2ePeopleRosterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<Person> people = People();
    emu_ = std::make_unique<Emulator>(
        std::vector<std::string>{"--licensed", "--seed", dir_.Write("seed.json", Seed(people))});
    ASSERT_TRUE(emu_->ok()) << "mm-emulator did not start: " << EmulatorBinary();
    dir_.Write("roster.csv", Csv(people));
    E2eConfig c;
    c.url = emu_->url();
    config_ = WriteConfig(dir_, c);
    std::string text = TempDir::Read(config_);
    size_t from = text.find("fields:\n"), to = text.find("policy:\n");
    ASSERT_TRUE(from != std::string::npos && to != std::string::npos);
    dir_.Write("config.yaml", text.substr(0, from) + kFields + text.substr(to + 8));
    ASSERT_TRUE(EditFile(config_, "max_deactivations: 1\n", "max_deactivations: 10\n"));
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

TEST_F(E2ePeopleRosterTest, PlanReadsSummaryFirstThenSectionsInTheDocumentedOrder) {
  CliRun plan = Run({"plan", "--detailed-exitcode"});
  ASSERT_EQ(plan.exit_code, 4) << plan.out << plan.err;
  const std::string& out = plan.out;
  EXPECT_EQ(out.rfind("Plan: ", 0), 0u) << out;
  std::string summary = out.substr(0, out.find('\n'));
  for (const char* part : {"1 attention item", "3 held", "1 rejected row", "2 unmatched accounts",
                           "4 deactivate", "253 create", "5 update", "8 guest"}) {
    EXPECT_NE(summary.find(part), std::string::npos) << part << " in: " << summary;
  }
  size_t last = 0;
  for (const char* heading :
       {"\nAttention (1):\n", "\nHeld (1):\n", "\nDeactivations (4):\n", "\nCreates (253):\n",
        "\nUpdates (5):\n", "\nRole, guest and auth changes (8):\n", "\nRejected rows (1):\n",
        "\nUnmatched accounts (2;", "\nNotes ("}) {
    size_t at = out.find(heading);
    ASSERT_NE(at, std::string::npos) << heading << "\n" << out;
    EXPECT_GT(at, last) << heading << " out of order\n" << out;
    last = at;
  }
  EXPECT_NE(out.find("! attention   E1012 goncalo.muller is a leaver but holds system_admin"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("+ create      jose.nguyen"), std::string::npos) << out;  // person 40
  EXPECT_NE(out.find("+ create      huong.smith"), std::string::npos) << out;  // person 282
  EXPECT_EQ(out.find("\n~ verify_email"), std::string::npos) << "shown on the create's line";
  EXPECT_NE(out.find("roster.csv:252"), std::string::npos) << out;  // person 250's row
  EXPECT_NE(out.find("roster rows adopt an existing account (--verbose lists them)"),
            std::string::npos)
      << out;
}

TEST_F(E2ePeopleRosterTest, JsonPlanParsesAndCarriesAttentionRejectedRowsAndUnmatched) {
  CliRun json = Run({"plan", "--json", "--detailed-exitcode"});
  ASSERT_EQ(json.exit_code, 4) << json.err;
  Poco::JSON::Object::Ptr root;
  ASSERT_NO_THROW(root = Poco::JSON::Parser().parse(json.out).extract<Poco::JSON::Object::Ptr>())
      << json.out;
  EXPECT_EQ(root->getValue<int>("exit_code"), 4);
  auto doc = root->getObject("plan");
  ASSERT_TRUE(doc);
  auto attention = doc->getArray("attention");
  ASSERT_TRUE(attention && attention->size() == 1) << json.out;
  EXPECT_EQ(attention->getObject(0)->getValue<std::string>("key"), "E1012");
  auto rejected = doc->getArray("rejected");
  ASSERT_TRUE(rejected && rejected->size() == 1) << json.out;
  EXPECT_EQ(rejected->getObject(0)->getValue<std::string>("key"), "E1250");
  EXPECT_EQ(root->getArray("rejected_rows")->size(), 1u);
  auto unmatched = doc->getArray("unmatched_accounts");
  ASSERT_TRUE(unmatched && unmatched->size() == 2) << json.out;
  EXPECT_EQ(doc->getObject("summary")->getValue<int>("create"), 253);
  EXPECT_EQ(emu_->WritesTotal(), 0) << "plan must not write";
}

// Applied: the accented names arrive intact, contractors are guests, leavers are gone, and
// the next plan has nothing left but what needs a person.
TEST_F(E2ePeopleRosterTest, SyncAppliesNamesGuestsAndLeaversAndLeavesWhatNeedsAPerson) {
  CliRun sync = Run({"sync"});
  EXPECT_EQ(sync.exit_code, 4) << sync.out << sync.err;
  auto users = ReadState(*emu_);
  EXPECT_EQ(users["jose.nguyen"].first_name, "José");
  EXPECT_EQ(users["huong.smith"].first_name, "Hương");
  EXPECT_EQ(users["lukasz.dvorak"].last_name, "Dvořák");
  EXPECT_EQ(users["ines.smith"].roles, "system_guest");  // person 293, a new contractor
  EXPECT_EQ(users["fatima.muller"].roles, "system_guest");
  EXPECT_NE(users["soren.muller"].delete_at, 0);
  EXPECT_EQ(users["goncalo.muller"].delete_at, 0) << "the admin is left to a person";
  EXPECT_EQ(users["jose.pena"].email, "consultant@agency-partner.com");
  CliRun again = Run({"plan", "--detailed-exitcode"});
  EXPECT_EQ(again.exit_code, 4) << again.out;
  EXPECT_EQ(again.out.rfind("Plan: 0 actions, 3 held, 1 attention item, 1 rejected row, 2 "
                            "unmatched accounts",
                            0),
            0u)
      << again.out;
}

}  // namespace
}  // namespace rostersync::testing
