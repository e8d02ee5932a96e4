// RefusalBudget: what refused clicks on approvals.listen may cost. Refusals (forged,
// malformed, expired, not an approver, too large, ...) are counted per source address and in
// total, in one-minute windows, apart from the signed clicks' own rate limit, so a flood of
// forged clicks never blocks a signed one and never floods the audit trail. Not thread-safe.
#ifndef ROSTERSYNC_DAEMON_APPROVAL_REFUSALS_H_
#define ROSTERSYNC_DAEMON_APPROVAL_REFUSALS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace rostersync::daemon {

// Per address and minute: audited one by one up to here, then counted into one summary.
constexpr int kAuditedRefusalsPerSource = 10;
// Per address and minute: beyond, a forged or malformed click is answered 429.
constexpr int kRefusalsPerSource = 30;
// From all addresses together, per minute: audited one by one / answered before 429.
constexpr int kAuditedRefusalsInTotal = 100;
constexpr int kRefusalsInTotal = 300;
// Addresses tracked at once; refusals from further addresses share one count.
constexpr size_t kMaxTrackedSources = 1024;

class RefusalBudget {
 public:
  struct Verdict {
    bool audit = true;   // write this refusal's own audit record
    bool over = false;   // over the per-address or total limit: answer 429
    bool first_unaudited = false;  // the window's first refusal not audited one by one
  };
  struct Summary {
    std::string source;
    int more = 0;  // refusals not audited one by one
  };
  // Counts one refusal from `source` (an address) at now_ms.
  Verdict Count(const std::string& source, int64_t now_ms);
  // The summaries of the windows that ended by now_ms (those with unaudited refusals), and
  // forgets those windows; INT64_MAX: all of them.
  std::vector<Summary> TakeEnded(int64_t now_ms);

 private:
  struct Window {
    int64_t start_ms = 0;
    int count = 0;
    int unaudited = 0;
  };
  std::map<std::string, Window> sources_;
  Window total_;
};

}  // namespace rostersync::daemon

#endif  // ROSTERSYNC_DAEMON_APPROVAL_REFUSALS_H_
