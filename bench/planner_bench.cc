// planner_bench: MakePlan over N roster rows x N server users x N ledger entries with 1% of
// people changed (0.25% each: renamed last name, changed email, joiner, leaver).
// Run: planner_bench --benchmark_filter=/100000   (one size per process for a clean peak RSS)
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <cstdio>
#include <string>
#include <vector>

#include "sync/planner.h"

namespace rostersync {
namespace {

constexpr int64_t kNow = 1795953600000;

long PeakRssKb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

struct Data {
  Roster roster;
  std::vector<User> users;
  Ledger ledger;
};

void Generate(int n, Data* d) {
  d->users.reserve(n);
  d->roster.entries.reserve(n);
  for (int i = 0; i < n; ++i) {
    std::string id = "uid" + std::to_string(1000000000 + i);
    std::string name = "user" + std::to_string(i);
    User u;
    u.id = id;
    u.username = name;
    u.email = name + "@example.com";
    u.first_name = "First" + std::to_string(i % 977);
    u.last_name = "Last" + std::to_string(i % 1499);
    u.position = "Engineer";
    u.roles = "system_user";
    u.create_at = kNow - 1000;
    d->users.push_back(u);
    std::string key = "E" + std::to_string(100000000 + i);
    LedgerEntry e;
    e.key = key;
    e.user_id = id;
    e.set_values["email_verified"] = "true";
    e.set_values["active"] = "true";
    d->ledger.emplace_hint(d->ledger.end(), key, std::move(e));
    int change = i % 400;  // 4 of every 400 people (1%) change
    if (change == 1) continue;  // leaver: absent from the roster
    RosterEntry r;
    r.key = key;
    r.username = name;
    r.email = change == 2 ? name + ".new@example.com" : u.email;
    r.first_name = u.first_name;
    r.last_name = change == 3 ? u.last_name + "-Jones" : u.last_name;
    r.position = u.position;
    r.where = "roster.csv:" + std::to_string(i + 2);
    d->roster.entries.push_back(r);
    if (change == 4) {  // joiner
      r.key = "N" + std::to_string(100000000 + i);
      r.username = "joiner" + std::to_string(i);
      r.email = r.username + "@example.com";
      d->roster.entries.push_back(r);
    }
  }
  d->roster.row_count = static_cast<int64_t>(d->roster.entries.size());
}

void BM_MakePlan(benchmark::State& state) {
  int n = static_cast<int>(state.range(0));
  Data d;
  Generate(n, &d);
  long base_kb = PeakRssKb();
  PlannerInput in;
  in.roster = &d.roster;
  in.users = &d.users;
  in.ledger = &d.ledger;
  in.self_user_id = "self";
  in.now_ms = kNow;
  PlannerOptions options;
  size_t actions = 0;
  for (auto _ : state) {
    Plan plan = MakePlan(in, options);
    actions = plan.actions.size();
    benchmark::DoNotOptimize(plan);
  }
  long peak_kb = PeakRssKb();
  state.counters["actions"] = static_cast<double>(actions);
  state.counters["input_rss_MB"] = base_kb / 1024.0;
  state.counters["peak_rss_MB"] = peak_kb / 1024.0;
  state.counters["planner_extra_MB"] = (peak_kb - base_kb) / 1024.0;
}
// The floor: Plan.ledger_after is a full copy of the ledger.
void BM_CopyLedger(benchmark::State& state) {
  Data d;
  Generate(static_cast<int>(state.range(0)), &d);
  for (auto _ : state) {
    Ledger copy = d.ledger;
    benchmark::DoNotOptimize(copy);
  }
}
BENCHMARK(BM_CopyLedger)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MakePlan)->Arg(100000)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_MakePlan)->Arg(1000000)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
}  // namespace rostersync

BENCHMARK_MAIN();
