// RefusalBudget: per-address and total counts of refused clicks (approval_refusals.h).
#include "daemon/approval_refusals.h"

namespace rostersync::daemon {
namespace {

constexpr int64_t kWindowMs = 60'000;
constexpr char kOtherSources[] = "other addresses";

}  // namespace

RefusalBudget::Verdict RefusalBudget::Count(const std::string& source, int64_t now_ms) {
  if (total_.count == 0 || now_ms - total_.start_ms >= kWindowMs) total_ = Window{now_ms};
  ++total_.count;
  std::string key = source.empty() ? "unknown" : source;
  if (sources_.count(key) == 0 && sources_.size() >= kMaxTrackedSources) key = kOtherSources;
  Window& w = sources_[key];
  if (w.count == 0) w.start_ms = now_ms;  // an ended window is taken by TakeEnded first
  ++w.count;
  Verdict v;
  v.over = w.count > kRefusalsPerSource || total_.count > kRefusalsInTotal;
  v.audit = w.count <= kAuditedRefusalsPerSource && total_.count <= kAuditedRefusalsInTotal;
  if (!v.audit) v.first_unaudited = ++w.unaudited == 1;
  return v;
}

std::vector<RefusalBudget::Summary> RefusalBudget::TakeEnded(int64_t now_ms) {
  std::vector<Summary> ended;
  for (auto it = sources_.begin(); it != sources_.end();) {
    if (now_ms - kWindowMs < it->second.start_ms) {  // still open (never overflows)
      ++it;
      continue;
    }
    if (it->second.unaudited > 0) ended.push_back(Summary{it->first, it->second.unaudited});
    it = sources_.erase(it);
  }
  return ended;
}

}  // namespace rostersync::daemon
