// mm-emulator's --latency-ms as a benchmark needs it: every API request waits M ms in its
// handler thread, so concurrent requests wait at the same time (a real server's cost per
// request, not a queue), and /__emu/stats counts the body bytes each way.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

#include "emulator/test/emu_client.h"
#include "tests/support/child_process.h"

namespace mmemu::test {
namespace {

using rostersync::testing::Emulator;

int64_t ElapsedMs(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now() - since)
      .count();
}

TEST(EmulatorLatencyTest, TwelveConcurrentRequestsWaitTogetherWithDefaultThreads) {
  Emulator emu({"--latency-ms", "400"});
  ASSERT_TRUE(emu.ok());
  EmuClient warm(emu.port(), emu.admin_token());
  auto one = std::chrono::steady_clock::now();
  ASSERT_EQ(warm.Get("/api/v4/users/me").status, 200);
  EXPECT_GE(ElapsedMs(one), 400);  // the latency applies to one request

  constexpr int kClients = 12;  // more than rostersync's 8 connections
  std::vector<int> status(kClients, 0);
  std::vector<std::thread> threads;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&, i] {
      EmuClient c(emu.port(), emu.admin_token());
      status[i] = c.Get("/api/v4/users?page=0&per_page=10").status;
    });
  }
  for (auto& t : threads) t.join();
  const int64_t wall = ElapsedMs(start);
  for (int s : status) EXPECT_EQ(s, 200);
  EXPECT_GE(wall, 400);
  // Serialized they would take 12 x 400 ms; waiting together, one
  // latency plus overhead (with room for a loaded machine).
  EXPECT_LT(wall, 3 * 400) << "the 12 requests did not wait concurrently";
}

TEST(EmulatorLatencyTest, StatsCountBodyBytesOfApiRequestsOnly) {
  Emulator emu({"--generate", "5"});
  ASSERT_TRUE(emu.ok());
  EmuClient c(emu.port(), emu.admin_token());
  ASSERT_EQ(c.Post("/__emu/stats/reset", "").status, 200);
  HttpResult page = c.Get("/api/v4/users?page=0&per_page=200");
  ASSERT_EQ(page.status, 200);
  const std::string ids = R"(["nope1","nope2"])";
  HttpResult by_ids = c.Post("/api/v4/users/ids", ids);
  ASSERT_EQ(by_ids.status, 200);
  auto stats = Obj(c.Get("/__emu/stats").body);
  EXPECT_EQ(stats->getValue<int64_t>("requests_total"), 2);
  EXPECT_EQ(stats->getValue<int64_t>("request_bytes_total"),
            static_cast<int64_t>(ids.size()));
  EXPECT_EQ(stats->getValue<int64_t>("response_bytes_total"),
            static_cast<int64_t>(page.body.size() + by_ids.body.size()));
  ASSERT_EQ(c.Post("/__emu/stats/reset", "").status, 200);
  EXPECT_EQ(Obj(c.Get("/__emu/stats").body)->getValue<int64_t>("response_bytes_total"), 0);
}

}  // namespace
}  // namespace mmemu::test
