#include "config/config_loader.h"

#include <gtest/gtest.h>

#include "tests/config/config_test_util.h"

namespace rostersync {
namespace {

using testing::ConfigFixture;
using testing::ProblemsAt;

// Extra lines appended to ConfigFixture::Valid() start at this line.
constexpr int kExtraLine = 7;

bool HasText(const std::vector<ConfigProblem>& ps, const std::string& text) {
  for (const ConfigProblem& p : ps) {
    if (p.message.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(ConfigLoaderTest, AcceptsMinimalConfigAndFillsDefaults) {
  ConfigFixture f;
  ConfigLoad load = ParseConfig(f.Valid(), "c.yaml");
  ASSERT_TRUE(load.ok()) << load.Report();
  EXPECT_EQ(load.Report(), "");
  const Config& c = load.config;
  EXPECT_EQ(c.path, "c.yaml");
  EXPECT_EQ(c.mattermost.url, "https://chat.example.com");
  EXPECT_EQ(c.mattermost.timeout_ms, 30'000);
  EXPECT_EQ(c.schedule.interval_ms, 15 * 60'000);
  EXPECT_EQ(c.policy.deactivate, DeactivateMode::kOn);
  EXPECT_TRUE(c.policy.max_deactivations.percent);
  EXPECT_EQ(c.policy.max_deactivations.value, 5);
  EXPECT_EQ(c.state.database, "sqlite:/var/lib/rostersync/state.db");
}

TEST(ConfigLoaderTest, DefaultsToFourColumnFieldsWhenNoFieldIsMapped) {
  ConfigFixture f;
  ConfigLoad load = ParseConfig(f.Valid("fields: {update: [email]}\n"), "c.yaml");
  ASSERT_TRUE(load.ok()) << load.Report();
  ASSERT_EQ(load.config.fields.specs.size(), 4u);
  for (const char* name : {"username", "email", "first_name", "last_name"}) {
    ASSERT_EQ(load.config.fields.specs.count(name), 1u) << name;
    EXPECT_EQ(load.config.fields.specs.at(name).column, name);
  }
}

TEST(ConfigLoaderTest, ReportsUnknownKeyWithPlaceAndSuggestion) {
  ConfigFixture f;
  ConfigLoad load = ParseConfig(f.Valid("schedule:\n  intervall: 5m\n"), "config.yaml");
  EXPECT_FALSE(load.ok());
  auto at = ProblemsAt(load, "schedule.intervall");
  ASSERT_EQ(at.size(), 1u);
  EXPECT_EQ(at[0].ToString(), "config.yaml:" + std::to_string(kExtraLine + 1) +
                                  ":3: schedule.intervall: unknown key; did you mean 'interval'?");
}

TEST(ConfigLoaderTest, UnknownKeyFarFromAnyKnownOneHasNoSuggestion) {
  ConfigFixture f;
  ConfigLoad load = ParseConfig(f.Valid("frobnicate: 1\n"), "c.yaml");
  auto at = ProblemsAt(load, "frobnicate");
  ASSERT_EQ(at.size(), 1u);
  EXPECT_EQ(at[0].message, "unknown key");
}

TEST(ConfigLoaderTest, ReportsWrongTypesAtTheValue) {
  ConfigFixture f;
  ConfigLoad load = ParseConfig(f.Valid("schedule:\n  run_on_start: maybe\n  interval: [1m]\n"
                                        "policy: [create]\n"),
                                "c.yaml");
  EXPECT_FALSE(load.ok());
  auto b = ProblemsAt(load, "schedule.run_on_start");
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].line, kExtraLine + 1);
  EXPECT_EQ(b[0].column, 17);
  EXPECT_TRUE(HasText(b, "true or false"));
  EXPECT_TRUE(HasText(ProblemsAt(load, "schedule.interval"), "found a list"));
  EXPECT_TRUE(HasText(ProblemsAt(load, "policy"), "expected a map"));
}

TEST(ConfigLoaderTest, RejectsNonNumbersAndNumbersBelowTheMinimum) {
  ConfigFixture f;
  std::string yaml = f.Valid();
  yaml.insert(yaml.find("roster:"), "  concurrency: 0\n  rate_limit: {per_second: fast}\n");
  ConfigLoad load = ParseConfig(yaml, "c.yaml");
  EXPECT_TRUE(HasText(ProblemsAt(load, "mattermost.concurrency"), ">= 1"));
  EXPECT_TRUE(HasText(ProblemsAt(load, "mattermost.rate_limit.per_second"), "a number >= 0"));
}

TEST(ConfigLoaderTest, ReportsBadDurationWithWhatIsAccepted) {
  ConfigFixture f;
  ConfigLoad load = ParseConfig(f.Valid("schedule: {interval: 15x}\n"), "c.yaml");
  auto at = ProblemsAt(load, "schedule.interval");
  ASSERT_EQ(at.size(), 1u);
  EXPECT_EQ(at[0].line, kExtraLine);
  EXPECT_NE(at[0].message.find("'15x'"), std::string::npos);
  EXPECT_NE(at[0].message.find("ms, s, m, h or d"), std::string::npos);
}

TEST(ConfigLoaderTest, ReportsMissingRequiredKeys) {
  ConfigFixture f;
  ConfigLoad load = ParseConfig("mattermost:\n  token_file: " + f.token_file() + "\n", "c.yaml");
  EXPECT_FALSE(load.ok());
  EXPECT_TRUE(HasText(ProblemsAt(load, "mattermost.url"), "missing required key"));
  EXPECT_TRUE(HasText(ProblemsAt(load, "roster.key"), "missing required key"));
  EXPECT_EQ(ProblemsAt(load, "mattermost.url")[0].line, 1);  // at its section
  EXPECT_EQ(ProblemsAt(load, "roster.key")[0].line, 0);      // no roster: section at all
}

TEST(ConfigLoaderTest, ReportsInvalidEnumValuesWithSuggestion) {
  ConfigFixture f;
  ConfigLoad load = ParseConfig(
      f.Valid("logging: {level: warning, format: xml}\npolicy: {deactivate: sometimes}\n"
              "scope: {auth_services: [\"\", sam1]}\n"),
      "c.yaml");
  EXPECT_TRUE(HasText(ProblemsAt(load, "logging.level"), "did you mean 'warn'?"));
  EXPECT_TRUE(HasText(ProblemsAt(load, "logging.format"), "text | json"));
  EXPECT_TRUE(HasText(ProblemsAt(load, "policy.deactivate"), "true, false or report"));
  EXPECT_TRUE(HasText(ProblemsAt(load, "scope.auth_services"), "did you mean 'saml'?"));
  std::string yaml = f.Valid();
  yaml.insert(yaml.find("  key:"), "  source: ftp\n  sql: {connector: oracle}\n");
  load = ParseConfig(yaml, "c.yaml");
  EXPECT_TRUE(HasText(ProblemsAt(load, "roster.source"), "csv | sql"));
  EXPECT_TRUE(HasText(ProblemsAt(load, "roster.sql.connector"), "sqlite | postgresql | mysql"));
}

TEST(ConfigLoaderTest, AcceptsDeactivateReportMode) {
  ConfigFixture f;
  ConfigLoad load = ParseConfig(f.Valid("policy: {deactivate: report}\n"), "c.yaml");
  ASSERT_TRUE(load.ok()) << load.Report();
  EXPECT_EQ(load.config.policy.deactivate, DeactivateMode::kReport);
  load = ParseConfig(f.Valid("policy: {deactivate: false}\n"), "c.yaml");
  EXPECT_EQ(load.config.policy.deactivate, DeactivateMode::kOff);
}

TEST(ConfigLoaderTest, ReadsUnmatchedAccountsPolicy) {
  ConfigFixture f;
  ConfigLoad load = ParseConfig(f.Valid(), "c.yaml");
  ASSERT_TRUE(load.ok()) << load.Report();
  EXPECT_EQ(load.config.policy.unmatched_accounts, UnmatchedMode::kReport);
  for (auto [text, mode] : {std::pair{"leave", UnmatchedMode::kLeave},
                            std::pair{"report", UnmatchedMode::kReport},
                            std::pair{"deactivate", UnmatchedMode::kDeactivate}}) {
    load = ParseConfig(f.Valid(std::string("policy: {unmatched_accounts: ") + text + "}\n"),
                       "c.yaml");
    ASSERT_TRUE(load.ok()) << load.Report();
    EXPECT_EQ(load.config.policy.unmatched_accounts, mode) << text;
  }
  load = ParseConfig(f.Valid("policy: {unmatched_accounts: remove}\n"), "c.yaml");
  EXPECT_FALSE(load.ok());
  EXPECT_TRUE(HasText(ProblemsAt(load, "policy.unmatched_accounts"), "leave | report | deactivate"))
      << load.Report();
}

TEST(ConfigLoaderTest, RejectsAuthDataAsMatchKeyWithTheReason) {
  ConfigFixture f;
  ConfigLoad load = ParseConfig(f.Valid("match: {order: [email, auth_data, nick]}\n"), "c.yaml");
  auto at = ProblemsAt(load, "match.order");
  ASSERT_EQ(at.size(), 2u);
  EXPECT_NE(at[0].message.find("blanks auth_data"), std::string::npos);
  EXPECT_NE(at[1].message.find("email | username"), std::string::npos);
}

TEST(ConfigLoaderTest, ParsesMaxDeactivationsAsPercentOrCount) {
  ConfigFixture f;
  ConfigLoad load = ParseConfig(f.Valid("policy: {max_deactivations: 12}\n"), "c.yaml");
  ASSERT_TRUE(load.ok()) << load.Report();
  EXPECT_EQ(load.config.policy.max_deactivations, (Threshold{false, 12}));
  load = ParseConfig(f.Valid("policy: {max_deactivations: 20%}\n"), "c.yaml");
  EXPECT_EQ(load.config.policy.max_deactivations, (Threshold{true, 20}));
  for (const char* bad : {"150%", "-1", "five", "5 %"}) {
    load = ParseConfig(f.Valid(std::string("policy: {max_deactivations: \"") + bad + "\"}\n"),
                       "c.yaml");
    EXPECT_FALSE(ProblemsAt(load, "policy.max_deactivations").empty()) << bad;
  }
}

TEST(ConfigLoaderTest, ParsesDeactivateAfterAsCyclesOrDuration) {
  ConfigFixture f;
  ConfigLoad load = ParseConfig(f.Valid("policy: {deactivate_after: 3}\n"), "c.yaml");
  EXPECT_EQ(load.config.policy.deactivate_after_cycles, 3);
  EXPECT_EQ(load.config.policy.deactivate_after_ms, 0);
  load = ParseConfig(f.Valid("policy: {deactivate_after: 2d}\n"), "c.yaml");
  EXPECT_EQ(load.config.policy.deactivate_after_cycles, 0);
  EXPECT_EQ(load.config.policy.deactivate_after_ms, 2 * 86'400'000LL);
  load = ParseConfig(f.Valid("policy: {deactivate_after: 2 weeks}\n"), "c.yaml");
  EXPECT_FALSE(ProblemsAt(load, "policy.deactivate_after").empty());
}

TEST(ConfigLoaderTest, AdminListenBeyondLoopbackNeedsTokenFile) {
  ConfigFixture f;
  ConfigLoad load = ParseConfig(f.Valid("admin: {listen: \"0.0.0.0:9187\"}\n"), "c.yaml");
  EXPECT_TRUE(HasText(ProblemsAt(load, "admin.listen"), "admin.token_file"));
  load = ParseConfig(f.Valid("admin: {listen: \"[::1]:9187\"}\n"), "c.yaml");
  EXPECT_TRUE(load.ok()) << load.Report();
  load = ParseConfig(
      f.Valid("admin: {listen: \"0.0.0.0:9187\", token_file: " + f.token_file() + "}\n"), "c.yaml");
  EXPECT_TRUE(load.ok()) << load.Report();
  load = ParseConfig(f.Valid("admin: {listen: \"127.0.0.1\"}\n"), "c.yaml");
  EXPECT_TRUE(HasText(ProblemsAt(load, "admin.listen"), "HOST:PORT"));
}

TEST(ConfigLoaderTest, StateDatabaseMustBeSqliteOrPostgresql) {
  ConfigFixture f;
  EXPECT_TRUE(ParseConfig(f.Valid("state: {database: \"sqlite:/tmp/x.db\"}\n"), "c").ok());
  EXPECT_TRUE(
      ParseConfig(f.Valid("state: {database: \"postgresql:host=h dbname=d\"}\n"), "c").ok());
  ConfigLoad load = ParseConfig(f.Valid("state: {database: \"mysql:x\"}\n"), "c.yaml");
  EXPECT_TRUE(HasText(ProblemsAt(load, "state.database"), "sqlite:PATH or postgresql:CONNINFO"));
  load = ParseConfig(f.Valid("state: {database: \"postgresql:password=hunter2\"}\n"), "c.yaml");
  EXPECT_EQ(load.Report().find("hunter2"), std::string::npos);
}

TEST(ConfigLoaderTest, ReportsDuplicateKeys) {
  ConfigFixture f;
  ConfigLoad load = ParseConfig(f.Valid("logging:\n  level: info\n  level: debug\n"), "c.yaml");
  auto at = ProblemsAt(load, "logging.level");
  ASSERT_EQ(at.size(), 1u);
  EXPECT_EQ(at[0].line, kExtraLine + 2);
  EXPECT_NE(at[0].message.find("duplicate"), std::string::npos);
}

TEST(ConfigLoaderTest, ReportsYamlSyntaxErrorWithItsLine) {
  ConfigLoad load = ParseConfig("mattermost:\n  url: x\n  bad: [unclosed\nroster: {}\n", "c.yaml");
  ASSERT_EQ(load.problems.size(), 1u);
  EXPECT_GE(load.problems[0].line, 3);
  EXPECT_NE(load.problems[0].message.find("YAML syntax error"), std::string::npos);
}

TEST(ConfigLoaderTest, MissingFileIsOneProblemSayingWhatToDo) {
  ConfigFixture f;
  ConfigLoad load = LoadConfigFile(f.dir().File("absent.yaml"));
  ASSERT_EQ(load.problems.size(), 1u);
  EXPECT_NE(load.problems[0].message.find("--config"), std::string::npos);
  EXPECT_FALSE(load.ok());
}

TEST(ConfigLoaderTest, LoadsFileFromDisk) {
  ConfigFixture f;
  ConfigLoad load = LoadConfigFile(f.dir().Write("c.yaml", f.Valid()));
  EXPECT_TRUE(load.ok()) << load.Report();
  EXPECT_EQ(load.config.path, f.dir().File("c.yaml"));
}

TEST(ConfigLoaderTest, ToPlannerOptionsCarriesPolicyScopeMatchAndFields) {
  ConfigFixture f;
  ConfigLoad load =
      ParseConfig(f.Valid("fields:\n  username: {column: login}\n  email: {column: mail}\n"
                          "  nickname: {column: nick}\n  update: [email, nickname]\n"
                          "match: {order: [username]}\nscope: {protected_users: [root, admin]}\n"
                          "policy: {create: false, deactivate: report, max_deactivations: 3}\n"),
                  "c.yaml");
  ASSERT_TRUE(load.ok()) << load.Report();
  PlannerOptions o = ToPlannerOptions(load.config);
  EXPECT_EQ(o.update_fields, (std::set<std::string>{"email", "nickname"}));
  EXPECT_EQ(o.mapped_fields, (std::set<std::string>{"username", "email", "nickname"}));
  EXPECT_EQ(o.match.order, (std::vector<std::string>{"username"}));
  EXPECT_EQ(o.scope.protected_users, (std::vector<std::string>{"root", "admin"}));
  EXPECT_FALSE(o.policy.create);
  EXPECT_EQ(o.policy.deactivate, DeactivateMode::kReport);
  EXPECT_EQ(o.policy.max_deactivations, (Threshold{false, 3}));
  EXPECT_FALSE(o.force);
}

}  // namespace
TEST(ConfigDefaultsTest, StalledExportAndPasswordResetAreOnByDefault) {
  ConfigFixture f;
  ConfigLoad load = ParseConfig(f.Valid(), "min.yaml");
  ASSERT_TRUE(load.ok()) << load.Report();
  EXPECT_EQ(load.config.roster.max_age_ms, 7LL * 24 * 3600 * 1000);
  EXPECT_TRUE(load.config.policy.send_password_reset);
  EXPECT_TRUE(ToPlannerOptions(load.config).policy.send_password_reset);
  ConfigLoad off = ParseConfig(
      f.Valid("policy:\n  onboarding: {send_password_reset: false}\n").replace(
          f.Valid().find("roster:\n") + 8, 0, "  max_age: 0\n"),
      "off.yaml");
  ASSERT_TRUE(off.ok()) << off.Report();
  EXPECT_EQ(off.config.roster.max_age_ms, 0);
  EXPECT_FALSE(off.config.policy.send_password_reset);
}

}  // namespace rostersync
