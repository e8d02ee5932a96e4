// Roster benchmark: read, map and validate 100k generated rows from a CSV file in a temp
// dir (CsvSource + MapRoster + ApplyIntegrityGate). Target: <= 150 ms, <= 100 MB peak RSS.
// Run: build/<dir>/bench/roster_bench   (prints peak RSS after the run)
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "roster/roster_loader.h"

namespace rostersync {
namespace {

constexpr int kRows = 100'000;

std::string MakeCsv(const std::string& dir) {
  const std::string path = dir + "/roster.csv";
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) std::abort();
  std::fputs("employee_id,first_name,last_name,email,preferred_name,title,kind,status,upn\n", f);
  static const char* kFirst[] = {"José", "Øyvind", "Anna", "Łukasz", "Mary Ann", "Chen", "Zoë"};
  static const char* kLast[] = {"Ñúñez", "Åsheim", "Smith", "Dvořák", "O'Neil", "Li", "Brontë"};
  static const char* kKind[] = {"staff", "staff", "staff", "contractor", "admin"};
  static const char* kStatus[] = {"active", "active", "leave", "terminated"};
  for (int i = 0; i < kRows; ++i) {
    // Surnames are unique but for every 100th row, which repeats its neighbour's name:
    // about 1% of the usernames collide and get a suffix, as in a real export.
    const int n = i % 100 == 99 ? i - 1 : i;
    std::fprintf(f, "E%06d,%s,%s%d,user%d@example.com,\"%s, the %d\",Engineer %d,%s,%s,u%d@corp\n",
                 i, kFirst[n % 7], kLast[(n / 7) % 7], n, i, kFirst[i % 7], i, i % 13, kKind[i % 5],
                 kStatus[i % 4], i);
  }
  std::fclose(f);
  return path;
}

Config MakeConfig(const std::string& path) {
  Config c;
  c.roster.csv.path = path;
  c.roster.min_rows = 1000;
  auto col = [](const char* name, std::vector<std::string> tr = {}) {
    FieldSpec s;
    s.column = name;
    s.transform = std::move(tr);
    return s;
  };
  FieldSpec username;
  username.templ = "{first_name}.{last_name}";
  username.transform = {"ascii", "lower", "mattermost_username"};
  c.fields.specs["username"] = username;
  c.fields.specs["email"] = col("email", {"trim", "lower"});
  c.fields.specs["first_name"] = col("first_name");
  c.fields.specs["last_name"] = col("last_name");
  c.fields.specs["nickname"] = col("preferred_name");
  c.fields.specs["position"] = col("title");
  c.fields.specs["locale"].value = "en";
  c.fields.specs["auth_service"].value = "saml";
  c.fields.specs["auth_data"] = col("upn");
  FieldSpec role = col("kind");
  role.map = {{"admin", "system_admin"}, {"staff", "system_user"}, {"contractor", "guest"}};
  role.default_value = "system_user";
  c.fields.specs["role"] = role;
  FieldSpec active = col("status");
  active.true_values = {"active", "leave"};
  active.false_values = {"terminated"};
  c.fields.specs["active"] = active;
  return c;
}

void BM_LoadRoster100k(benchmark::State& state) {
  char dir_template[] = "/tmp/roster_bench_XXXXXX";
  const char* dir = mkdtemp(dir_template);
  if (dir == nullptr) std::abort();
  const std::string path = MakeCsv(dir);
  const Config config = MakeConfig(path);
  auto source = MakeRosterSource(config.roster);
  size_t entries = 0, rejected = 0;
  for (auto _ : state) {
    Result<Roster> roster = LoadRoster(**source, config, std::nullopt, 0);
    if (!roster.ok()) {
      state.SkipWithError(roster.status().message().c_str());
      break;
    }
    entries = roster->entries.size();
    rejected = roster->rejected.size();
    benchmark::DoNotOptimize(roster->fingerprint);
  }
  state.counters["entries"] = static_cast<double>(entries);
  state.counters["rejected"] = static_cast<double>(rejected);
  state.counters["rows_per_s"] = benchmark::Counter(static_cast<double>(kRows),
                                                    benchmark::Counter::kIsIterationInvariantRate);
  std::remove(path.c_str());
  rmdir(dir);
}
BENCHMARK(BM_LoadRoster100k)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace rostersync

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("peak RSS: %.1f MB\n", static_cast<double>(usage.ru_maxrss) / 1024.0);
  return 0;
}
