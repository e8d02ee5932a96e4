// membership_bench: team and channel membership reads and writes at N people (default 100000)
// with 20 teams/channels mapped (one company team, 12 department channels, 7 office channels),
// through AddMembershipPlan and the Executor over the in-memory FakeMembershipApi.
// Requests are counted as the HTTP client would send them (api/client.h: 200 ids per
// POST .../members/ids, 256 users per batch add). Prints one "membership:" line per cycle:
//   membership_bench [N]           first cycle (everyone joins), no-op, 1% movers, no-op
//   membership_bench N --steady    memberships seeded as after a first cycle; one no-op cycle
//                                  only (its peak RSS is the steady state's, not the apply's)
// Memory guard (the machine may be shared): a run whose projected peak RSS exceeds --max-mb M
// (default 2000) is not started. The full run projects 13.5 KB a person (three Actions of
// 1.4 KB each in the plan and again in the executor's report), --steady 2.7 KB; above the
// limit the full run falls back to --steady, and above that nothing runs. The address space
// is also capped at M + 1 GB, so a wrong projection ends in bad_alloc, not a swapped machine.
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <optional>
#include <vector>

#include "sync/clock.h"
#include "sync/executor.h"
#include "sync/membership_planner.h"
#include "tests/fakes/fake_membership_api.h"
#include "tests/fakes/fake_users_api.h"
#include "tests/fakes/memory_state_store.h"

namespace rostersync {
namespace {

constexpr int kDepartments = 12;
constexpr int kOffices = 7;
constexpr size_t kIdsPerRead = 200;  // api::Client::kMembersByIdsChunk

// The fake, with every call counted as the HTTP requests the real client sends for it.
class CountingApi : public testing::FakeMembershipApi {
 public:
  long reads = 0;
  long writes = 0;
  Result<TeamRef> FindTeam(const std::string& name) override {
    ++reads;
    return FakeMembershipApi::FindTeam(name);
  }
  Result<ChannelRef> FindChannel(const std::string& team, const std::string& name) override {
    ++reads;
    return FakeMembershipApi::FindChannel(team, name);
  }
  Result<std::vector<std::string>> TeamMembersAmong(const std::string& team,
                                                    const std::vector<std::string>& ids) override {
    reads += static_cast<long>((ids.size() + kIdsPerRead - 1) / kIdsPerRead);
    return FakeMembershipApi::TeamMembersAmong(team, ids);
  }
  Result<std::vector<std::string>> ChannelMembersAmong(
      const std::string& channel, const std::vector<std::string>& ids) override {
    reads += static_cast<long>((ids.size() + kIdsPerRead - 1) / kIdsPerRead);
    return FakeMembershipApi::ChannelMembersAmong(channel, ids);
  }
  Result<std::vector<MemberAddResult>> AddTeamMembers(const std::string& team,
                                                      const std::vector<std::string>& ids) override {
    ++writes;
    return FakeMembershipApi::AddTeamMembers(team, ids);
  }
  Status AddTeamMember(const std::string& team, const std::string& id) override {
    ++writes;
    return FakeMembershipApi::AddTeamMember(team, id);
  }
  Status RemoveTeamMember(const std::string& team, const std::string& id) override {
    ++writes;
    return FakeMembershipApi::RemoveTeamMember(team, id);
  }
  Status AddChannelMember(const std::string& channel, const std::string& id) override {
    ++writes;
    return FakeMembershipApi::AddChannelMember(channel, id);
  }
  Status RemoveChannelMember(const std::string& channel, const std::string& id) override {
    ++writes;
    return FakeMembershipApi::RemoveChannelMember(channel, id);
  }
};

// The state store as the daemon uses it: journal entries and audit records go to its
// database, not to memory, so they are counted here and dropped (kept, they were ~1 KB per
// action: 3 GB of a 1M-person first cycle that is not rostersync's). The ledger is kept once,
// and the planner reads it in place (the daemon plans from the one ledger it loaded; a copy
// here would stand for the database's, which is on disk).
class LedgerOnlyStore : public testing::MemoryStateStore {
 public:
  std::atomic<long> journaled{0};
  std::atomic<long> audited{0};

  const Ledger& ledger() const { return ledger_; }  // between cycles only (no lock)
  Ledger* mutable_ledger() { return &ledger_; }     // setup only

  Result<Ledger> LoadLedger() override {
    std::lock_guard<std::mutex> lock(mu_);
    return ledger_;
  }
  Status PutLedgerEntry(const LedgerEntry& entry) override {
    std::lock_guard<std::mutex> lock(mu_);
    ledger_[entry.key] = entry;
    return Status::Ok();
  }
  Status DeleteLedgerEntry(const std::string& key) override {
    std::lock_guard<std::mutex> lock(mu_);
    ledger_.erase(key);
    return Status::Ok();
  }
  Status PutLedger(const Ledger& ledger) override {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [key, entry] : ledger) ledger_[key] = entry;
    return Status::Ok();
  }
  Result<int64_t> JournalBegin(const JournalEntry&) override { return ++journaled; }
  Status CompleteAction(int64_t, JournalState, const std::optional<AuditRecord>& audit,
                        const std::optional<LedgerEntry>& ledger) override {
    if (audit) ++audited;
    return ledger ? PutLedgerEntry(*ledger) : Status::Ok();
  }
  Status AppendAudit(const AuditRecord&) override {
    ++audited;
    return Status::Ok();
  }

 private:
  std::mutex mu_;
  Ledger ledger_;
};

long PeakRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

struct World {
  CountingApi members;
  testing::FakeUsersApi users_api;
  LedgerOnlyStore store;
  FakeClock clock{1'790'000'000'000};
  MembershipOptions options;
  Roster roster;
  std::vector<User> users;
};

// Seeds what a first cycle leaves: everyone in the team and their two channels, recorded in
// the ledger as added by rostersync.
void SeedSteadyState(World* w) {
  Ledger& ledger = *w->store.mutable_ledger();
  for (const RosterEntry& e : w->roster.entries) {
    LedgerEntry& entry = ledger.at(e.key);
    w->members.SeedTeamMember("team-company", entry.user_id);
    entry.set_values["member:team:team-company"] = "company";
    for (const std::string& channel :
         {"dept-" + e.attributes.at("department"), "office-" + e.attributes.at("location")}) {
      w->members.SeedChannelMember("chan-company-" + channel, entry.user_id);
      entry.set_values["member:channel:chan-company-" + channel] = "company/" + channel;
    }
  }
}

void Generate(int n, World* w) {
  w->members.AddTeam("company");
  for (int d = 0; d < kDepartments; ++d) w->members.AddChannel("company", "dept-d" + std::to_string(d));
  for (int o = 0; o < kOffices; ++o) w->members.AddChannel("company", "office-o" + std::to_string(o));
  w->members.set_max_users_per_team(n + 1);
  w->options.rules = {{"company", "", "", std::nullopt},
                      {"company", "dept-{department}", "", std::nullopt},
                      {"company", "office-{location}", "", std::nullopt}};
  w->options.mode = MembershipMode::kSync;
  w->users.reserve(n);
  w->roster.entries.reserve(n);
  Ledger& ledger = *w->store.mutable_ledger();
  for (int i = 0; i < n; ++i) {
    User u;
    u.id = "uid" + std::to_string(1000000000 + i);
    u.username = "user" + std::to_string(i);
    RosterEntry e;
    e.key = "E" + std::to_string(i);
    e.username = u.username;
    e.attributes["department"] = "d" + std::to_string(i % kDepartments);
    e.attributes["location"] = "o" + std::to_string(i % kOffices);
    LedgerEntry& entry = ledger[e.key];
    entry.key = e.key;
    entry.user_id = u.id;
    w->roster.entries.push_back(std::move(e));
    w->users.push_back(std::move(u));
  }
}

// One cycle: plan (reads) then apply (writes) unless `apply` is false.
void Cycle(const char* name, World* w, bool apply) {
  w->members.reads = w->members.writes = 0;
  const Ledger& ledger = w->store.ledger();
  auto start = std::chrono::steady_clock::now();
  Plan plan;
  AddMembershipPlan(w->members, w->options, w->roster, w->users, ledger, &plan);
  const double plan_s = Seconds(start);
  double apply_s = 0;
  int failed = 0;
  if (apply && !plan.actions.empty()) {
    ExecutorOptions options;
    options.concurrency = 8;
    options.run_id = name;
    options.membership = &w->members;
    options.verify_after = false;
    Executor executor(w->users_api, w->store, nullptr, w->clock, options);
    start = std::chrono::steady_clock::now();
    failed = executor.Apply(plan).failed;
    apply_s = Seconds(start);
  }
  std::printf("membership: %-8s %zu people: %zu actions (%d failed, %d held), %ld read requests "
              "in %.2fs, %ld write requests in %.2fs, peak RSS %ld MB\n",
              name, w->roster.entries.size(), plan.actions.size(), failed, plan.CountHeld(),
              w->members.reads, plan_s, w->members.writes, apply_s, PeakRssMb());
  std::fflush(stdout);
}

}  // namespace
}  // namespace rostersync

int main(int argc, char** argv) {
  using namespace rostersync;
  int n = argc > 1 ? std::atoi(argv[1]) : 100000;
  bool steady = false;
  long max_mb = 2000;
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--steady") {
      steady = true;
    } else if (arg == "--max-mb" && i + 1 < argc) {
      max_mb = std::atol(argv[++i]);
    } else {
      n = 0;  // usage
    }
  }
  if (n < 100 || max_mb < 100) {
    std::fprintf(stderr, "usage: membership_bench [N>=100] [--steady] [--max-mb M]\n");
    return 2;
  }
  // Projections from the measured peaks (docs/membership.md, "Cost at scale"), with 10% slack.
  const long full_mb = 100 + static_cast<long>(n) * 135 / 10000;
  const long steady_mb = 100 + static_cast<long>(n) * 27 / 10000;
  if (!steady && full_mb > max_mb) {
    std::printf("membership: the full run at %d people projects %ld MB peak RSS (over --max-mb "
                "%ld): running --steady instead\n", n, full_mb, max_mb);
    steady = true;
  }
  if (steady && steady_mb > max_mb) {
    std::printf("membership: --steady at %d people projects %ld MB peak RSS (over --max-mb %ld): "
                "not run\n", n, steady_mb, max_mb);
    return 0;
  }
  const rlim_t cap = static_cast<rlim_t>(max_mb + 1024) * 1024 * 1024;
  rlimit limit{};
  if (getrlimit(RLIMIT_AS, &limit) == 0 && (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur > cap)) {
    limit.rlim_cur = cap;
    setrlimit(RLIMIT_AS, &limit);
  }
  World w;
  Generate(n, &w);
  if (steady) {
    SeedSteadyState(&w);
    std::printf("membership: setup (fakes, roster, ledger) peak RSS %ld MB\n", PeakRssMb());
    Cycle("steady", &w, false);
    return 0;
  }
  Cycle("first", &w, true);   // everyone joins the team and two channels
  Cycle("no-op", &w, true);   // reads only, 0 writes
  for (int i = 0; i < n; i += 100) {  // 1% movers: another department
    w.roster.entries[i].attributes["department"] = "d" + std::to_string((i / 100 + 1) % kDepartments);
  }
  Cycle("movers", &w, true);  // 1% leave one channel and join another
  Cycle("no-op", &w, false);
  return 0;
}
