// The rate limiter's state outlives the process (api/rate_limiter.h ExportState, kept in the
// state store as "rate_limit"): a sync started right after another one emptied a
// rate-limited server's bucket starts paced instead of spending its first requests on 429s.
#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <string>

#include "api/rate_limiter.h"
#include "state/open_store.h"
#include "tests/daemon/e2e_support.h"

namespace rostersync::testing {
namespace {

long Stat(const Emulator& emu, const char* name) {
  try {
    Poco::JSON::Parser parser;
    auto stats = parser.parse(emu.Get("/__emu/stats")).extract<Poco::JSON::Object::Ptr>();
    return stats->getValue<long>(name);
  } catch (const std::exception&) {
    return -1;
  }
}

TEST(E2eRateLimitStateTest, ASyncRightAfterAnotherStartsPacedAndSeesNo429) {
  E2eBed bed;
  ASSERT_TRUE(bed.emu.ok());
  const std::string config = WriteConfig(bed.dir, bed.c);
  // Adoption and creates first, without a limit: what follows are quiet cycles.
  CliRun first = RunRostersync(bed.dir, {"--config", config, "sync"});
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  // 1 request/s, burst 2 (X-Ratelimit-Limit 3): a quiet cycle sends more requests than the
  // bucket holds, so it ends paced with the bucket empty.
  bed.emu.Send("PUT", "/__emu/rate_limit", "{\"per_second\": 1, \"burst\": 2}");
  CliRun drain = RunRostersync(bed.dir, {"--config", config, "sync"});
  ASSERT_EQ(drain.exit_code, 0) << drain.out << drain.err;
  const long requests_before = Stat(bed.emu, "requests_total");
  const long limited_before = Stat(bed.emu, "rate_limited_total");
  ASSERT_GE(requests_before, 0);
  ASSERT_GE(limited_before, 0);

  // A new process at once: without the saved state its first request finds the bucket
  // empty (a token comes back only every second) and is answered 429.
  CliRun next = RunRostersync(bed.dir, {"--config", config, "sync"});
  ASSERT_EQ(next.exit_code, 0) << next.out << next.err;
  const long requests = Stat(bed.emu, "requests_total") - requests_before;
  const long limited = Stat(bed.emu, "rate_limited_total") - limited_before;
  EXPECT_GT(requests, 3);  // more than the bucket holds: the state mattered
  EXPECT_EQ(limited, 0) << requests << " requests, " << limited << " answered 429\n" << next.err;

  // What the processes kept: the limiter's line under "rate_limit", never a secret.
  Result<std::unique_ptr<StateStore>> store =
      OpenStateStoreForReading("sqlite:" + bed.dir.File("state.db"));
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  Result<std::optional<std::string>> saved = (*store)->GetValue(api::kRateLimitStateName);
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  ASSERT_TRUE(saved->has_value());
  EXPECT_EQ((*saved)->rfind("rl1 ", 0), 0u) << **saved;
  EXPECT_EQ((*saved)->find(bed.c.token), std::string::npos);
}

}  // namespace
}  // namespace rostersync::testing
