// Fault injection and rate limiting of mm-emulator, as a client observes them.
#include <gtest/gtest.h>

#include "emulator/test/emu_fixture.h"

namespace mmemu::test {
namespace {

class EmulatorFaultTest : public EmulatorTest {
 protected:
  void ClearFaults() {
    SetFaults(R"({"error_rate":0,"latency_ms":0,"jitter_ms":0,"reset_before_rate":0,
                  "reset_after_rate":0,"truncate_rate":0,"stall_rate":0})");
  }
};

TEST_F(EmulatorFaultTest, InjectsServerErrorsWithAppErrorBodyButSparesAdminRoutes) {
  SetFaults(R"({"error_rate":1.0})");
  auto r = admin_->Get("/api/v4/users");
  EXPECT_TRUE(r.status == 500 || r.status == 502 || r.status == 503) << r.status;
  EXPECT_EQ(Obj(r.body)->getValue<int>("status_code"), r.status);
  EXPECT_EQ(admin_->Get("/__emu/stats").status, 200);
}

TEST_F(EmulatorFaultTest, ResetBeforeWriteLeavesNoUser) {
  SetFaults(R"({"reset_before_rate":1.0})");
  auto r = admin_->Post("/api/v4/users",
                        R"({"username":"rb","email":"rb@example.com","password":"longenough"})");
  EXPECT_EQ(r.status, 0);
  EXPECT_FALSE(r.error.empty());
  ClearFaults();
  EXPECT_EQ(admin_->Get("/api/v4/users/username/rb").status, 404);
}

TEST_F(EmulatorFaultTest, ResetAfterWriteLeavesUserCreated) {
  SetFaults(R"({"reset_after_rate":1.0})");
  auto r = admin_->Post("/api/v4/users",
                        R"({"username":"ra","email":"ra@example.com","password":"longenough"})");
  EXPECT_EQ(r.status, 0);
  EXPECT_FALSE(r.error.empty());
  ClearFaults();
  EXPECT_EQ(admin_->Get("/api/v4/users/username/ra").status, 200);
  auto stats = Obj(admin_->Get("/__emu/stats").body);
  EXPECT_EQ(stats->getValue<int>("writes_total"), 1);
}

TEST_F(EmulatorFaultTest, TruncatesBodies) {
  SetFaults(R"({"truncate_rate":1.0})");
  auto r = admin_->Get("/api/v4/users");
  EXPECT_FALSE(r.error.empty()) << "body: " << r.body;
  ClearFaults();
  EXPECT_TRUE(admin_->Get("/api/v4/users").error.empty());
}

TEST_F(EmulatorFaultTest, StallsPastClientTimeout) {
  SetFaults(R"({"stall_rate":1.0,"stall_ms":5000})");
  EmuClient impatient(emu_->port(), emu_->admin_token());
  impatient.set_timeout_ms(300);
  auto r = impatient.Get("/api/v4/users/me");
  EXPECT_EQ(r.status, 0);
  EXPECT_FALSE(r.error.empty());
  ClearFaults();
  EXPECT_EQ(impatient.Get("/api/v4/users/me").status, 200);
}

TEST_F(EmulatorFaultTest, AddsLatency) {
  SetFaults(R"({"latency_ms":5000})");
  EmuClient impatient(emu_->port(), emu_->admin_token());
  impatient.set_timeout_ms(300);
  EXPECT_EQ(impatient.Get("/api/v4/users/me").status, 0);
  EXPECT_EQ(impatient.Get("/__emu/stats").status, 200);  // admin routes have no latency
  ClearFaults();
  EXPECT_EQ(impatient.Get("/api/v4/users/me").status, 200);
}

TEST_F(EmulatorFaultTest, SameSeedReproducesSameFaults) {
  auto run = [&] {
    SetFaults(R"({"error_rate":0.5,"seed":42})");
    std::string statuses;
    for (int i = 0; i < 24; ++i)
      statuses += std::to_string(admin_->Get("/api/v4/users/me").status) + ",";
    return statuses;
  };
  std::string first = run();
  EXPECT_EQ(first, run());
  EXPECT_NE(first.find("200"), std::string::npos);
  EXPECT_NE(first.find("50"), std::string::npos);
}

TEST_F(EmulatorFaultTest, FaultFlagsApplyFromStart) {
  Start({"--error-rate", "1", "--fault-seed", "7"});
  EXPECT_GE(admin_->Get("/api/v4/users").status, 500);
  auto faults = Obj(admin_->Get("/__emu/faults").body);
  EXPECT_EQ(faults->getValue<int>("seed"), 7);
}

TEST_F(EmulatorFaultTest, RateLimitsPerTokenWithServerHeaders) {
  Start({"--rate-limit", "1", "--burst", "2"});
  auto first = admin_->Get("/api/v4/users/me");
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.Header("x-ratelimit-limit"), "3");
  EXPECT_EQ(first.Header("x-ratelimit-remaining"), "2");
  EXPECT_FALSE(first.Header("x-ratelimit-reset").empty());
  EXPECT_TRUE(first.Header("retry-after").empty());
  HttpResult limited;
  for (int i = 0; i < 10 && limited.status != 429; ++i) limited = admin_->Get("/api/v4/users/me");
  ASSERT_EQ(limited.status, 429);
  EXPECT_EQ(limited.body, "limit exceeded\n");
  EXPECT_EQ(limited.Header("content-type").rfind("text/plain", 0), 0u);
  EXPECT_FALSE(limited.Header("retry-after").empty());
  EXPECT_EQ(limited.Header("x-ratelimit-remaining"), "0");
  EmuClient other(emu_->port(), "unknown-token");  // its own bucket
  EXPECT_EQ(other.Get("/api/v4/users/me").status, 401);
  EXPECT_GE(Obj(admin_->Get("/__emu/stats").body)->getValue<int>("rate_limited_total"), 1);
  ASSERT_EQ(admin_->Put("/__emu/rate_limit", R"({"per_second":0,"burst":0})").status, 200);
  auto off = admin_->Get("/api/v4/users/me");
  EXPECT_EQ(off.status, 200);
  EXPECT_TRUE(off.Header("x-ratelimit-limit").empty());
}

TEST_F(EmulatorFaultTest, RejectsInvalidFaultSettings) {
  EXPECT_EQ(admin_->Put("/__emu/faults", R"({"error_rate":2})").status, 400);
  EXPECT_EQ(admin_->Put("/__emu/faults", "not json").status, 400);
}

}  // namespace
}  // namespace mmemu::test
