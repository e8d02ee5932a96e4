// OpenStateStore's refusals: a second store on one SQLite file, an unknown scheme, and a
// database password that never reaches an error or a shown URL.
#include <gtest/gtest.h>

#include <string>

#include "state/open_store.h"
#include "tests/support/temp_dir.h"

namespace rostersync {
namespace {

using ::rostersync::testing::TempDir;

TEST(OpenStateStoreTest, RefusesASecondStoreOnTheSameSqliteFile) {
  TempDir dir;
  std::string url = "sqlite:" + dir.File("state.db");
  auto first = OpenStateStore(url);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto second = OpenStateStore(url);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("in use by another rostersync process"),
            std::string::npos)
      << second.status().ToString();
  first->reset();
  EXPECT_TRUE(OpenStateStore(url).ok()) << "the lock is released with the store";
}

TEST(OpenStateStoreTest, RejectsAnUnknownScheme) {
  auto store = OpenStateStore("mysql:host=x password=hunter22");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Status::Code::kInvalid);
  EXPECT_EQ(store.status().message().find("hunter22"), std::string::npos);
}

TEST(OpenStateStoreTest, NeverShowsThePostgresPasswordInErrors) {
  const std::string kSecret = "S3cr3t-Pg-Pass";
  auto store = OpenStateStore("postgresql:host=127.0.0.1 port=1 dbname=nope user=nobody "
                              "password=" + kSecret + " connect_timeout=2");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Status::Code::kIoError);
  EXPECT_EQ(store.status().ToString().find(kSecret), std::string::npos)
      << store.status().ToString();
}

TEST(OpenStateStoreTest, RedactsPasswordsInDatabaseUrls) {
  EXPECT_EQ(RedactDatabaseUrl("postgresql:host=db password=abc dbname=x"),
            "postgresql:host=db password=*** dbname=x");
  EXPECT_EQ(RedactDatabaseUrl("postgresql:password='a b' host=db"),
            "postgresql:password=*** host=db");
  EXPECT_EQ(RedactDatabaseUrl("sqlite:/var/lib/state.db"), "sqlite:/var/lib/state.db");
}

}  // namespace
}  // namespace rostersync
