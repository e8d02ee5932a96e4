#include "sync/status.h"

#include <gtest/gtest.h>

#include <string>

namespace rostersync {
namespace {

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(StatusTest, TransientAndRateLimitedAreRetryable) {
  EXPECT_TRUE(Status::Transient("reset").IsTransient());
  EXPECT_TRUE(Status::RateLimited("429").IsTransient());
  EXPECT_FALSE(Status::Conflict("taken").IsTransient());
  EXPECT_FALSE(Status::OutcomeUnknown("sent").IsTransient());
}

TEST(StatusTest, ToStringNamesKindHttpStatusAndErrorId) {
  Status s = Status::Conflict("username taken");
  s.WithHttp(400, "req-1", "app.user.save.username_exists.app_error");
  EXPECT_EQ(s.ToString(),
            "Conflict: username taken (HTTP 400 app.user.save.username_exists.app_error)");
  EXPECT_EQ(s.request_id(), "req-1");
}

TEST(StatusTest, AnnotatePrependsContextAndKeepsKind) {
  Status s = Status::Invalid("bad email").Annotate("roster.csv:12");
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_EQ(s.message(), "roster.csv:12: bad email");
  EXPECT_TRUE(Status::Ok().Annotate("x").ok());
}

TEST(ResultTest, HoldsValueOrError) {
  Result<int> good(42);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 42);
  Result<int> bad(Status::NotFound("no such user"));
  EXPECT_FALSE(bad.ok());
  EXPECT_TRUE(bad.status().IsNotFound());
}

TEST(ResultTest, MovesValueOut) {
  Result<std::string> r(std::string("abc"));
  std::string s = std::move(r).value();
  EXPECT_EQ(s, "abc");
}

}  // namespace
}  // namespace rostersync
