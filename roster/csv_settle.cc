// Waiting for a CSV export to settle (csv_settle.h).
#include "roster/csv_settle.h"

#include <sys/stat.h>

#include <algorithm>

namespace rostersync {
namespace {

struct Stamp {
  bool ok = false;
  int64_t size = 0;
  int64_t mtime_ns = 0;
  bool operator==(const Stamp& o) const {
    return ok == o.ok && size == o.size && mtime_ns == o.mtime_ns;
  }
  int64_t mtime_ms() const { return mtime_ns / 1'000'000; }
};

Stamp StatFile(const std::string& path) {
  struct stat st {};
  Stamp out;
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return out;
  out.ok = true;
  out.size = static_cast<int64_t>(st.st_size);
  out.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  return out;
}

}  // namespace

Status WaitForSettledCsv(const std::string& path, int64_t settle_ms, const SettleSeams& seams) {
  if (settle_ms <= 0) return Status::Ok();
  Env& env = seams.env != nullptr ? *seams.env : Env::Default();
  const Clock& clock = seams.clock != nullptr ? *seams.clock : env;
  Stamp seen = StatFile(path);
  if (!seen.ok) return Status::Ok();
  const int64_t start = clock.NowMs();
  const int64_t deadline = start + 2 * settle_ms;
  int64_t seen_since = start;
  for (;;) {
    const int64_t now = clock.NowMs();
    const int64_t age = now - seen.mtime_ms();
    const int64_t unchanged = now - seen_since;
    if (age >= settle_ms || unchanged >= settle_ms) return Status::Ok();
    if (now >= deadline) {
      return Status::IoError(
          "roster.csv " + path + " is still being written (modified " +
          std::to_string(std::max<int64_t>(age, 0) / 1000) + "s ago, roster.csv.settle is " +
          std::to_string(settle_ms / 1000) + "s); nothing was applied and the next cycle "
          "reads it again. Export to a temporary file and rename it into place");
    }
    int64_t wait = std::min(settle_ms - std::max<int64_t>(age, 0), settle_ms - unchanged);
    wait = std::max<int64_t>(1, std::min(wait, deadline - now));
    const bool stopped = seams.sleep ? seams.sleep(wait) : env.SleepFor(wait, seams.stop);
    if (stopped) {
      return Status::Transient("rostersync is stopping: the roster was not read; nothing was "
                               "applied");
    }
    Stamp now_seen = StatFile(path);
    if (!now_seen.ok) return Status::Ok();  // gone or replaced by a non-file: the read says so
    if (!(now_seen == seen)) {
      seen = now_seen;
      seen_since = clock.NowMs();
    }
  }
}

Status WaitForRosterToSettle(const RosterConfig& config, const StopToken* stop, Env& env) {
  if (config.source != "csv") return Status::Ok();
  SettleSeams seams;
  seams.env = &env;
  seams.stop = stop;
  return WaitForSettledCsv(config.csv.path, config.csv.settle_ms, seams);
}

}  // namespace rostersync
