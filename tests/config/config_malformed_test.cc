// One broken file reports every problem at once; malformed input never crashes.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <random>

#include "config/config_loader.h"
#include "tests/config/config_test_util.h"

namespace rostersync {
namespace {

using testing::ConfigFixture;

TEST(ConfigMalformedTest, ReportsEveryProblemOfABrokenFileWithLines) {
  ConfigFixture f;
  const std::string yaml =
      "mattermost:\n"                      // 1
      "  url: https://chat.example.com\n"  // 2
      "  timout: 30s\n"                    // 3 unknown key
      "  token: abc\n"                     // 4 inline token
      "  token_file: " +
      f.dir().File("missing") +
      "\n"                         // 5 missing file
      "  concurrency: lots\n"      // 6 wrong type
      "roster:\n"                  // 7
      "  source: ftp\n"            // 8 bad enum; roster.key missing
      "schedule:\n"                // 9
      "  interval: 15x\n"          // 10 bad duration
      "match:\n"                   // 11
      "  order: [auth_data]\n"     // 12 rejected match key
      "admin:\n"                   // 13
      "  listen: 0.0.0.0:9187\n"   // 14 beyond loopback, no token
      "logging: {level: loud}\n";  // 15 bad enum
  ConfigLoad load = ParseConfig(yaml, "config.yaml");
  EXPECT_FALSE(load.ok());
  const std::vector<std::pair<std::string, int>> expected = {
      {"mattermost.timout", 3},      {"mattermost.token", 4}, {"mattermost.token_file", 5},
      {"mattermost.concurrency", 6}, {"roster.source", 8},    {"roster.key", 7},
      {"schedule.interval", 10},     {"match.order", 12},     {"admin.listen", 14},
      {"logging.level", 15}};
  for (const auto& [path, line] : expected) {
    auto at = testing::ProblemsAt(load, path);
    ASSERT_FALSE(at.empty()) << path << "\n" << load.Report();
    EXPECT_EQ(at[0].line, line) << at[0].ToString();
  }
  EXPECT_NE(load.Report().find("config.yaml:3:3: mattermost.timout: unknown key; did you mean "
                               "'timeout'?\n"),
            std::string::npos)
      << load.Report();
  // Sorted by position: line numbers never go down.
  int last = 0;
  for (const ConfigProblem& p : load.problems) {
    if (p.line == 0) continue;
    EXPECT_GE(p.line, last);
    last = p.line;
  }
}

TEST(ConfigMalformedTest, SurvivesMalformedCorpus) {
  const std::vector<std::string> corpus = {
      "",
      "~",
      "- a\n- b\n",
      "just a string",
      "mattermost:\n\turl: x\n",  // tab indentation
      "mattermost: {url: [}\n",
      "mattermost: &a [*a]\n",
      "? [complex, key]\n: value\n",
      "{[1]: 2}",
      "mattermost:\n  url: !!binary aGVsbG8=\n",
      "fields:\n  role: {map: [1, 2], column: [x]}\n",
      "fields:\n  active: {true: {a: b}, false: 3}\n",
      "fields: [1]\nmatch: {order: {a: b}}\npolicy: {max_deactivations: [1]}\n",
      "roster: {csv: {delimiter: \"\"}}\n",
      "\xff\xfe\x00\x01garbage\x80\x81",
      std::string("mattermost:\n  url: a\0b\n", 22),
      "%YAML 9.9\n---\na: b\n",
      "--- a\n--- b\n",
      "mattermost: {url: x, url: y, url: z}\n",
  };
  for (const std::string& text : corpus) {
    ConfigLoad load = ParseConfig(text, "m.yaml");
    EXPECT_FALSE(load.ok()) << "accepted: " << text;
    EXPECT_FALSE(load.Report().empty());
  }
}

TEST(ConfigMalformedTest, DeepNestingIsAProblemNotACrash) {
  for (const auto& [open, close] : {std::pair<char, char>{'[', ']'}, {'{', '}'}}) {
    std::string deep(100'000, open);
    ConfigLoad load = ParseConfig("mattermost: " + deep, "deep.yaml");
    EXPECT_FALSE(load.ok());
    std::string nested = std::string(5'000, open) + std::string(5'000, close);
    EXPECT_FALSE(ParseConfig("mattermost: " + nested, "deep.yaml").ok());
  }
  std::string indented = "a:\n";
  for (int i = 1; i < 3'000; ++i) indented += std::string(i, ' ') + "a:\n";
  EXPECT_FALSE(ParseConfig(indented, "deep.yaml").ok());
}

TEST(ConfigMalformedTest, HugeInputIsHandled) {
  ConfigFixture f;
  std::string huge = f.Valid("scope:\n  protected_users:\n");
  for (int i = 0; i < 50'000; ++i) huge += "    - user" + std::to_string(i) + "\n";
  ConfigLoad load = ParseConfig(huge, "huge.yaml");
  EXPECT_TRUE(load.ok()) << load.Report().substr(0, 500);
  EXPECT_EQ(load.config.scope.protected_users.size(), 50'000u);
  std::string many_unknown;
  for (int i = 0; i < 5'000; ++i) many_unknown += "k" + std::to_string(i) + ": 1\n";
  EXPECT_GE(ParseConfig(many_unknown, "u.yaml").problems.size(), 5'000u);
}

TEST(ConfigMalformedTest, RandomBytesNeverCrash) {
  std::mt19937 rng(12345);  // fixed seed: reproducible
  const std::string alphabet = "abc:{}[],-?&*!|>'\"#%@` \t\n\\01~.";
  for (int round = 0; round < 2'000; ++round) {
    std::string text;
    const int len = static_cast<int>(rng() % 200);
    for (int i = 0; i < len; ++i) text += alphabet[rng() % alphabet.size()];
    ConfigLoad load = ParseConfig(text, "r.yaml");
    (void)load.Report();
  }
}

}  // namespace
TEST(ConfigMalformedTest, AliasBombIsRefusedWithoutExpanding) {
  ConfigFixture f;
  // Ten levels of nine aliases each: 9^10 (3.4 billion) nodes if expanded.
  std::string bomb = f.Valid("scope:\n  protected_users: &l0 [x, x, x, x, x, x, x, x, x]\n");
  bomb += "x_bomb:\n";
  for (int level = 1; level <= 10; ++level) {
    const std::string prev = "*l" + std::to_string(level - 1);
    bomb += "  l" + std::to_string(level) + ": &l" + std::to_string(level) + " [";
    for (int k = 0; k < 9; ++k) bomb += (k ? ", " : "") + prev;
    bomb += "]\n";
  }
  const auto start = std::chrono::steady_clock::now();
  ConfigLoad load = ParseConfig(bomb, "bomb.yaml");
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_FALSE(load.ok());
  EXPECT_NE(load.Report().find("alias"), std::string::npos) << load.Report();
  EXPECT_LT(took, std::chrono::seconds(2));
}

TEST(ConfigMalformedTest, FewAliasesAreStillAccepted) {
  ConfigFixture f;
  ConfigLoad load = ParseConfig(
      f.Valid("scope:\n  protected_users: &names [saml, ldap]\n  auth_services: *names\n"),
      "alias.yaml");
  EXPECT_TRUE(load.ok()) << load.Report();
}

TEST(ConfigMalformedTest, OversizedFileIsRefusedUnread) {
  ConfigFixture f;
  std::string big = f.Valid("# " + std::string(2 << 20, 'x') + "\n");
  ConfigLoad load = ParseConfig(big, "big.yaml");
  EXPECT_FALSE(load.ok());
  EXPECT_NE(load.Report().find("more than the 1048576"), std::string::npos) << load.Report().substr(0, 300);
}

TEST(ConfigMalformedTest, OnlyARegularFileIsReadAsConfig) {
  ConfigFixture f;
  ConfigLoad zero = LoadConfigFile("/dev/zero");  // never slurped
  EXPECT_FALSE(zero.ok());
  EXPECT_NE(zero.Report().find("not a regular file"), std::string::npos) << zero.Report();
  const std::string fifo = f.dir().File("config.fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const auto start = std::chrono::steady_clock::now();
  ConfigLoad pipe = LoadConfigFile(fifo);  // no writer: must not block
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_NE(pipe.Report().find("not a regular file"), std::string::npos) << pipe.Report();
  std::string big = f.Valid("# " + std::string(2 << 20, 'x') + "\n");
  ConfigLoad from_file = LoadConfigFile(f.dir().Write("big.yaml", big));
  EXPECT_NE(from_file.Report().find("more than the 1048576"), std::string::npos)
      << from_file.Report().substr(0, 300);
}

}  // namespace rostersync
