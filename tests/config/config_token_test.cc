#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "config/config_loader.h"
#include "tests/config/config_test_util.h"

namespace rostersync {
namespace {

using testing::ConfigFixture;
using testing::kSecretToken;
using testing::ProblemsAt;

TEST(ReadMattermostTokenTest, ReadsTrimmedTokenFromFile) {
  ConfigFixture f;
  MattermostConfig mm;
  mm.token_file = f.dir().Write("t", "  \n" + std::string(kSecretToken) + " \r\n");
  Result<std::string> token = ReadMattermostToken(mm);
  ASSERT_TRUE(token.ok()) << token.status().ToString();
  EXPECT_EQ(*token, kSecretToken);
}

TEST(ReadMattermostTokenTest, ReadsTokenFromEnvironment) {
  MattermostConfig mm;
  mm.token_env = "ROSTERSYNC_TEST_TOKEN_ENV";
  ::setenv(mm.token_env.c_str(), kSecretToken, 1);
  Result<std::string> token = ReadMattermostToken(mm);
  ::unsetenv(mm.token_env.c_str());
  ASSERT_TRUE(token.ok()) << token.status().ToString();
  EXPECT_EQ(*token, kSecretToken);
}

TEST(ReadMattermostTokenTest, FailsWhenNeitherOrBothAreSet) {
  MattermostConfig none;
  EXPECT_EQ(ReadMattermostToken(none).status().code(), Status::Code::kInvalid);
  MattermostConfig both;
  both.token_file = "/x";
  both.token_env = "X";
  EXPECT_EQ(ReadMattermostToken(both).status().code(), Status::Code::kInvalid);
}

TEST(ReadMattermostTokenTest, FailsOnMissingFileOrUnsetVariable) {
  ConfigFixture f;
  MattermostConfig mm;
  mm.token_file = f.dir().File("absent");
  Result<std::string> r = ReadMattermostToken(mm);
  EXPECT_EQ(r.status().code(), Status::Code::kIoError);
  EXPECT_NE(r.status().message().find(mm.token_file), std::string::npos);
  MattermostConfig env;
  env.token_env = "ROSTERSYNC_TEST_SURELY_UNSET_VARIABLE";
  EXPECT_EQ(ReadMattermostToken(env).status().code(), Status::Code::kInvalid);
}

TEST(ReadMattermostTokenTest, ErrorsNeverContainTheToken) {
  ConfigFixture f;
  MattermostConfig mm;
  // Two words in the file: refused, and neither word is echoed.
  mm.token_file = f.dir().Write("t", std::string(kSecretToken) + " other\n");
  Result<std::string> r = ReadMattermostToken(mm);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().ToString().find(kSecretToken), std::string::npos);
  // The token pasted where the file name belongs is not echoed either.
  MattermostConfig pasted;
  pasted.token_file = kSecretToken;
  r = ReadMattermostToken(pasted);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().ToString().find(kSecretToken), std::string::npos);
  MattermostConfig empty;
  empty.token_file = f.dir().Write("empty", " \n");
  EXPECT_EQ(ReadMattermostToken(empty).status().code(), Status::Code::kInvalid);
}

TEST(ConfigTokenTest, RefusesInlineTokenWithoutEchoingIt) {
  ConfigFixture f;
  ConfigLoad load = ParseConfig("mattermost:\n  url: https://chat.example.com\n  token: " +
                                    std::string(kSecretToken) + "\nroster: {key: id}\n",
                                "c.yaml");
  EXPECT_FALSE(load.ok());
  auto at = ProblemsAt(load, "mattermost.token");
  ASSERT_EQ(at.size(), 1u);
  EXPECT_EQ(at[0].line, 3);
  EXPECT_NE(at[0].message.find("put it in token_file or token_env"), std::string::npos);
  EXPECT_EQ(load.Report().find(kSecretToken), std::string::npos);
}

TEST(ConfigTokenTest, TokenPastedIntoTokenFileIsNotEchoed) {
  ConfigLoad load = ParseConfig("mattermost:\n  url: https://c.example.com\n  token_file: " +
                                    std::string(kSecretToken) + "\nroster: {key: id}\n",
                                "c.yaml");
  EXPECT_FALSE(ProblemsAt(load, "mattermost.token_file").empty());
  EXPECT_EQ(load.Report().find(kSecretToken), std::string::npos);
}

TEST(ConfigTokenTest, MissingTokenFileIsAnError) {
  ConfigFixture f;
  std::string yaml = f.Valid();
  yaml.replace(yaml.find(f.token_file()), f.token_file().size(), f.dir().File("nope"));
  ConfigLoad load = ParseConfig(yaml, "c.yaml");
  EXPECT_FALSE(load.ok());
  auto at = ProblemsAt(load, "mattermost.token_file");
  ASSERT_EQ(at.size(), 1u);
  EXPECT_FALSE(at[0].warning);
  EXPECT_EQ(at[0].line, 3);
}

TEST(ConfigTokenTest, TokenFileThatIsADirectoryIsAnError) {
  ConfigFixture f;
  std::string yaml = f.Valid();
  yaml.replace(yaml.find(f.token_file()), f.token_file().size(), f.dir().path());
  EXPECT_FALSE(ParseConfig(yaml, "c.yaml").ok());
}

TEST(ConfigTokenTest, GroupReadableTokenFileIsAWarning) {
  ConfigFixture f;
  ::chmod(f.token_file().c_str(), 0640);
  ConfigLoad load = ParseConfig(f.Valid(), "c.yaml");
  EXPECT_TRUE(load.ok()) << load.Report();
  auto at = ProblemsAt(load, "mattermost.token_file");
  ASSERT_EQ(at.size(), 1u);
  EXPECT_TRUE(at[0].warning);
  EXPECT_NE(at[0].message.find("0640"), std::string::npos);
  ::chmod(f.token_file().c_str(), 0600);
  EXPECT_TRUE(ProblemsAt(ParseConfig(f.Valid(), "c.yaml"), "mattermost.token_file").empty());
}

TEST(ConfigTokenTest, NeitherTokenFileNorTokenEnvIsAnError) {
  ConfigLoad load =
      ParseConfig("mattermost: {url: https://c.example.com}\nroster: {key: id}\n", "c.yaml");
  EXPECT_FALSE(load.ok());
  EXPECT_EQ(ProblemsAt(load, "mattermost.token_file").size(), 1u);
}

TEST(ConfigTokenTest, BothTokenFileAndTokenEnvIsAnError) {
  ConfigFixture f;
  std::string yaml = f.Valid();
  yaml.insert(yaml.find("roster:"), "  token_env: MM_TOKEN\n");
  ConfigLoad load = ParseConfig(yaml, "c.yaml");
  EXPECT_FALSE(load.ok());
  auto at = ProblemsAt(load, "mattermost.token_env");
  ASSERT_EQ(at.size(), 1u);
  EXPECT_EQ(at[0].line, 4);
}

TEST(ConfigTokenTest, TokenEnvAloneIsAccepted) {
  ConfigFixture f;
  std::string yaml = f.Valid();
  yaml.replace(yaml.find("token_file: " + f.token_file()),
               std::string("token_file: ").size() + f.token_file().size(), "token_env: MM_TOKEN");
  ::setenv("MM_TOKEN", kSecretToken, 1);
  ConfigLoad load = ParseConfig(yaml, "c.yaml");
  ::unsetenv("MM_TOKEN");
  EXPECT_TRUE(load.ok()) << load.Report();
  EXPECT_EQ(load.config.mattermost.token_env, "MM_TOKEN");
}

}  // namespace
}  // namespace rostersync
