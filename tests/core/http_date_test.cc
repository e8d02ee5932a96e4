// ParseHttpDate (sync/http_date.h): the server's Date header, the source of an incremental
// cycle's watermark.
#include "sync/http_date.h"

#include <gtest/gtest.h>

namespace rostersync {
namespace {

TEST(HttpDateTest, ParsesAnImfFixdate) {
  EXPECT_EQ(ParseHttpDate("Thu, 01 Jan 1970 00:00:00 GMT"), 0);
  EXPECT_EQ(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777000);
  EXPECT_EQ(ParseHttpDate("Sun, 29 Nov 2026 12:00:00 GMT"), 1795953600000);
  EXPECT_EQ(ParseHttpDate("Tue, 29 Feb 2028 23:59:59 GMT"), 1835481599000);
}

TEST(HttpDateTest, RefusesAnythingElse) {
  EXPECT_EQ(ParseHttpDate(""), std::nullopt);
  EXPECT_EQ(ParseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT"), std::nullopt);  // RFC 850
  EXPECT_EQ(ParseHttpDate("Sun Nov  6 08:49:37 1994"), std::nullopt);        // asctime
  EXPECT_EQ(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 UTC"), std::nullopt);
  EXPECT_EQ(ParseHttpDate("Sun, 06 Foo 1994 08:49:37 GMT"), std::nullopt);
  EXPECT_EQ(ParseHttpDate("Sun, 06 Nov 1994 24:49:37 GMT"), std::nullopt);
  EXPECT_EQ(ParseHttpDate("Sun, 0x Nov 1994 08:49:37 GMT"), std::nullopt);
}

}  // namespace
}  // namespace rostersync
