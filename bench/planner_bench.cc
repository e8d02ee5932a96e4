// planner_bench: MakePlan over N roster rows x N server users x N ledger entries with 1% of
// people changed (0.25% each: renamed last name, changed email, joiner, leaver).
// Run: planner_bench --benchmark_filter=/100000   (one size per process for a clean peak RSS)
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "sync/planner.h"

// Heap accounting for the planner's own memory: live bytes now and the peak since Reset.
namespace heap {
std::atomic<long long> live{0};
std::atomic<long long> peak{0};
void ResetPeak() { peak.store(live.load()); }
}  // namespace heap

void* operator new(size_t n) {
  void* p = std::malloc(n + 16);
  if (p == nullptr) throw std::bad_alloc();
  *static_cast<size_t*>(p) = n;
  long long now = heap::live.fetch_add(static_cast<long long>(n)) + static_cast<long long>(n);
  long long old = heap::peak.load();
  while (now > old && !heap::peak.compare_exchange_weak(old, now)) {
  }
  return static_cast<char*>(p) + 16;
}
void operator delete(void* p) noexcept {
  if (p == nullptr) return;
  char* base = static_cast<char*>(p) - 16;
  heap::live.fetch_sub(static_cast<long long>(*reinterpret_cast<size_t*>(base)));
  std::free(base);
}
void operator delete(void* p, size_t) noexcept { operator delete(p); }

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
    int change = i % 400;       // 4 of every 400 people (1%) change
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
  PlannerInput in;
  in.roster = &d.roster;
  in.users = &d.users;
  in.ledger = &d.ledger;
  in.self_user_id = "self";
  in.now_ms = kNow;
  PlannerOptions options;
  size_t actions = 0;
  size_t ledger_changes = 0;
  long long input_heap = heap::live.load();
  heap::ResetPeak();
  for (auto _ : state) {
    Plan plan = MakePlan(in, options);
    actions = plan.actions.size();
    ledger_changes = plan.ledger_after.size() + plan.ledger_removed.size();
    benchmark::DoNotOptimize(plan);
  }
  long peak_kb = PeakRssKb();
  state.counters["actions"] = static_cast<double>(actions);
  state.counters["ledger_changes"] = static_cast<double>(ledger_changes);
  state.counters["input_heap_MB"] = static_cast<double>(input_heap) / (1 << 20);
  state.counters["planner_heap_MB"] =
      static_cast<double>(heap::peak.load() - input_heap) / (1 << 20);  // planner's own peak
  state.counters["peak_rss_MB"] = peak_kb / 1024.0;                     // process, input included
}
// Reference: what a full copy of the ledger costs (Plan.ledger_after was one before it became
// a delta).
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
// One plan, for profilers: --benchmark_filter=BM_MakePlanOnce under perf or callgrind.
BENCHMARK(BM_MakePlan)
    ->Name("BM_MakePlanOnce")
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

}  // namespace
}  // namespace rostersync

BENCHMARK_MAIN();
