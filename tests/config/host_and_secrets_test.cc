// ReadSecretFile, the one secret-file reader (mattermost.token_file, admin.token_file). The
// loopback check is tested in tests/daemon/admin_hardening_test.cc.
#include "config/host_and_secrets.h"

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace rostersync {
namespace {

using ::rostersync::testing::TempDir;

TEST(ReadSecretFileTest, TrimsTheContentAndNeverShowsItInErrors) {
  TempDir dir;
  const std::string path = dir.Write("token", "  s3cret-token-value \n\n");
  auto token = ReadSecretFile(path, "admin.token_file " + path);
  ASSERT_TRUE(token.ok()) << token.status().ToString();
  EXPECT_EQ(*token, "s3cret-token-value");
  auto blank = ReadSecretFile(dir.Write("blank", " \n\t\n"), "admin.token_file");
  ASSERT_TRUE(blank.ok());
  EXPECT_EQ(*blank, "") << "an empty file is the caller's to refuse, with its own words";
  auto missing = ReadSecretFile(dir.File("absent"), "mattermost.token_file (value not shown)");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Status::Code::kIoError);
  EXPECT_NE(missing.status().message().find("cannot read mattermost.token_file (value not "
                                            "shown): No such file"),
            std::string::npos)
      << missing.status().message();
}

}  // namespace
}  // namespace rostersync
