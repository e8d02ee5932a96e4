// Executor: auditing held actions once. A hold is recorded when it starts, when its reason
// changes and when it comes back after it lapsed; the ledger remembers what is held now.
// A hold is one action of one person on one target (its `changes`: the team or channel of a
// membership action), so a person's holds on two channels are two holds; its reason is
// compared without its counts ("51 removals (of 840 ...)" and "(of 891 ...)" are one reason).
#include <map>
#include <set>

#include "sync/executor.h"

namespace rostersync {
namespace {

// LedgerEntry::reported prefix: "held:deactivate" while that action of the person is held.
constexpr char kHeldMark[] = "held:";

// The reason of a hold without its numbers: every run of digits becomes "#".
std::string ReasonKind(const std::string& reason) {
  std::string out;
  out.reserve(reason.size());
  for (size_t i = 0; i < reason.size(); ++i) {
    const bool digit = reason[i] >= '0' && reason[i] <= '9';
    if (!digit) {
      out += reason[i];
    } else if (i == 0 || reason[i - 1] < '0' || reason[i - 1] > '9') {
      out += '#';
    }
  }
  return out;
}

// Whether two records are of the same action of the person on the same target.
bool SameAction(const AuditRecord& a, const AuditRecord& b) {
  return a.action == b.action && a.changes == b.changes;
}

}  // namespace

bool Executor::HeldAlreadyAudited(const AuditRecord& held, const Ledger& stored) {
  const std::string mark = kHeldMark + std::string(ToString(held.action));
  if (auto it = stored.find(held.key);
      it != stored.end() && it->second.reported.count(mark) == 0) {
    return false;  // not held at the end of the last cycle that covered this person
  }
  AuditQuery q;
  q.key = held.key;
  q.limit = 200;  // the person's newest records; older history does not decide
  auto records = store_.QueryAudit(q);
  if (!records.ok()) return false;  // audit again rather than lose a hold
  for (auto it = records->rbegin(); it != records->rend(); ++it) {
    if (!SameAction(*it, held)) continue;
    // The newest record of this action of the person: the same hold is not audited again.
    return it->result == AuditResult::kHeld && ReasonKind(it->error) == ReasonKind(held.error) &&
           it->user_id == held.user_id;
  }
  return false;
}

void Executor::MarkHolds(const Plan& plan, const Ledger& stored,
                         const std::vector<std::string>& removed_keys, Ledger* changed) const {
  std::map<std::string, std::set<std::string>> held;  // key -> marks held now
  for (const Action& a : plan.actions) {
    if (a.held) held[a.key].insert(kHeldMark + std::string(ActionName(a.type)));
  }
  std::set<std::string> removed(removed_keys.begin(), removed_keys.end());
  auto update = [&](const std::string& key, const LedgerEntry& entry) {
    if (removed.count(key) > 0) return;
    if (!options_.only_key.empty() && key != options_.only_key) return;
    std::set<std::string> want;
    for (const std::string& r : entry.reported) {
      if (r.rfind(kHeldMark, 0) != 0) want.insert(r);
    }
    if (auto h = held.find(key); h != held.end()) want.insert(h->second.begin(), h->second.end());
    if (want == entry.reported) return;
    LedgerEntry next = entry;
    next.reported = std::move(want);
    (*changed)[key] = std::move(next);
  };
  for (const auto& [key, entry] : *changed) update(key, entry);
  for (const auto& [key, entry] : stored) {
    if (changed->count(key) == 0) update(key, entry);
  }
}

}  // namespace rostersync
