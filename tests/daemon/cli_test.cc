#include "daemon/cli.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace rostersync::daemon {
namespace {

TEST(CommandLineTest, ParsesTheConfigBeforeTheCommandAndItsOptions) {
  auto cl = ParseCommandLine({"--config", "/tmp/c.yaml", "plan", "--json", "--detailed-exitcode"});
  ASSERT_TRUE(cl.ok()) << cl.status().ToString();
  EXPECT_EQ(cl->config_path, "/tmp/c.yaml");
  EXPECT_EQ(cl->command, "plan");
  EXPECT_TRUE(cl->Has("--json"));
  EXPECT_TRUE(cl->Has("--detailed-exitcode"));
}

TEST(CommandLineTest, DefaultsTheConfigPath) {
  auto cl = ParseCommandLine({"status"});
  ASSERT_TRUE(cl.ok());
  EXPECT_EQ(cl->config_path, "/etc/rostersync/config.yaml");
  EXPECT_FALSE(cl->config_given);
}

TEST(CommandLineTest, TakesOptionValuesSeparateOrWithEquals) {
  auto cl = ParseCommandLine({"--config=/c.yaml", "audit", "--since", "24h", "--user=jdoe"});
  ASSERT_TRUE(cl.ok()) << cl.status().ToString();
  EXPECT_EQ(cl->config_path, "/c.yaml");
  EXPECT_EQ(cl->Get("--since"), "24h");
  EXPECT_EQ(cl->Get("--user"), "jdoe");
}

TEST(CommandLineTest, SyncUserNeedsExactlyOneKey) {
  auto ok = ParseCommandLine({"sync-user", "E1234"});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->positionals, std::vector<std::string>{"E1234"});
  EXPECT_FALSE(ParseCommandLine({"sync-user"}).ok());
  EXPECT_FALSE(ParseCommandLine({"sync-user", "a", "b"}).ok());
}

TEST(CommandLineTest, RejectsUnknownCommandsAndOptionsSayingWhereToLook) {
  auto bad_command = ParseCommandLine({"frobnicate"});
  ASSERT_FALSE(bad_command.ok());
  EXPECT_NE(bad_command.status().message().find("--help"), std::string::npos);
  auto bad_option = ParseCommandLine({"plan", "--force"});
  ASSERT_FALSE(bad_option.ok());
  EXPECT_NE(bad_option.status().message().find("plan --help"), std::string::npos);
  EXPECT_FALSE(ParseCommandLine({"audit", "--since"}).ok());  // missing value
  EXPECT_FALSE(ParseCommandLine({"status", "extra"}).ok());
}

TEST(CommandLineTest, HelpWorksGloballyAndPerCommand) {
  auto global = ParseCommandLine({"--help"});
  ASSERT_TRUE(global.ok());
  EXPECT_TRUE(global->help);
  auto per = ParseCommandLine({"sync-user", "--help"});
  ASSERT_TRUE(per.ok());
  EXPECT_TRUE(per->help);
  EXPECT_EQ(per->command, "sync-user");
}

TEST(CommandLineTest, HelpDescribesEveryCommandAndOption) {
  std::string all = HelpText("");
  for (const char* c :
       {"check-config", "plan", "sync", "sync-user", "run", "status", "audit", "demo", "version"}) {
    EXPECT_NE(all.find(c), std::string::npos) << c;
    EXPECT_NE(HelpText(c).find("Usage: rostersync"), std::string::npos) << c;
  }
  EXPECT_NE(HelpText("plan").find("--detailed-exitcode"), std::string::npos);
  EXPECT_NE(HelpText("sync").find("--force"), std::string::npos);
  EXPECT_NE(HelpText("run").find("--pidfile FILE"), std::string::npos);
  EXPECT_NE(HelpText("audit").find("--since DURATION"), std::string::npos);
}

TEST(CommandLineTest, JoinsRepeatedOnlyAndRefusesAValueForASwitch) {
  auto cl = ParseCommandLine({"approve", "SET1", "--only", "a", "--only=b,c"});
  ASSERT_TRUE(cl.ok()) << cl.status().ToString();
  EXPECT_EQ(cl->Get("--only"), "a,b,c");
  auto inline_switch = ParseCommandLine({"plan", "--json=yes"});
  ASSERT_FALSE(inline_switch.ok());
  EXPECT_EQ(inline_switch.status().message(), "option --json takes no value");
}

TEST(CommandLineTest, SaysWhereAnOptionWentWrong) {
  auto before = ParseCommandLine({"--json", "plan"});
  ASSERT_FALSE(before.ok());
  EXPECT_EQ(before.status().message(),
            "unknown option --json before the command; see rostersync --help");
  auto no_value = ParseCommandLine({"audit", "--since"});
  ASSERT_FALSE(no_value.ok());
  EXPECT_EQ(no_value.status().message(),
            "option --since needs a value; see rostersync audit --help");
  auto no_config = ParseCommandLine({"--config"});
  ASSERT_FALSE(no_config.ok());
  EXPECT_EQ(no_config.status().message(), "option --config needs a value; see rostersync --help");
  auto extra = ParseCommandLine({"status", "extra"});
  ASSERT_FALSE(extra.ok());
  EXPECT_EQ(extra.status().message(), "status takes no arguments; see rostersync status --help");
  auto version = ParseCommandLine({"--version"});
  ASSERT_TRUE(version.ok()) << version.status().ToString();
  EXPECT_EQ(version->command, "version");
}

// plan never fails its caller unless asked (--detailed-exitcode): the help and
// docs/contract.md say so in so many words.
TEST(CommandLineTest, HelpAndContractSayPlanExitsZeroUnlessDetailedExitcode) {
  auto flat = [](std::string text) {
    std::string out;
    for (char c : text) {
      if (c == '\n') c = ' ';
      if (!(c == ' ' && !out.empty() && out.back() == ' ')) out += c;
    }
    return out;
  };
  const std::string all = flat(HelpText(""));
  EXPECT_NE(all.find("plan exits 0 whatever it found"), std::string::npos) << all;
  EXPECT_NE(all.find("unless --detailed-exitcode asks for 2 and 4"), std::string::npos) << all;
  EXPECT_NE(flat(HelpText("plan")).find("without it plan exits 0 whatever it found"),
            std::string::npos);
  std::ifstream in(std::string(ROSTERSYNC_SOURCE_DIR) + "/docs/contract.md");
  std::stringstream contract;
  contract << in.rdbuf();
  const std::string doc = flat(contract.str());
  EXPECT_NE(doc.find("`plan` exits 0 whatever it found"), std::string::npos);
  EXPECT_NE(doc.find("unless `--detailed-exitcode` asks for 2 and 4"), std::string::npos);
}

}  // namespace
}  // namespace rostersync::daemon
