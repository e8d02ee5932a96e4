// Planner entry points: MakePlan runs a PlanBuilder over everyone; MakePlanForKey keeps one
// person's actions, notices and ledger entry, with the guards evaluated on what is kept.
#include "sync/planner.h"

#include <algorithm>

#include "sync/clock.h"
#include "sync/planner_internal.h"

namespace rostersync {
namespace planner_internal {

Plan PlanBuilder::Build(const std::string* only_key) {
  today_ = UtcDate(in_.now_ms);
  IndexUsers();
  ResolveIdentities();
  DetectRenames();
  // One ordered pass over rows and ledger (both sorted by key): ledger_after is built by
  // appending at the end, O(n) with no lookups.
  auto absent = absent_.begin();
  auto append = [this](std::optional<LedgerEntry>* entry) {
    if (entry->has_value()) {
      std::string key = (*entry)->key;
      ledger_after_.emplace_hint(ledger_after_.end(), std::move(key), std::move(**entry));
    }
  };
  for (size_t i = 0; i <= rows_.size(); ++i) {
    while (absent != absent_.end() && (i == rows_.size() || (*absent)->first < rows_[i]->key)) {
      std::optional<LedgerEntry> after((*absent)->second);
      after->key = (*absent)->first;
      PlanAbsent((*absent)->second, &after);
      append(&after);
      ++absent;
    }
    if (i == rows_.size()) break;
    std::optional<LedgerEntry> after;
    if (identities_[i].known != nullptr) {
      after = *identities_[i].known;
      after->key = rows_[i]->key;
    }
    PlanRow(*rows_[i], identities_[i], &after);
    append(&after);
  }

  if (only_key != nullptr) {
    const std::string& key = *only_key;
    actions_.erase(std::remove_if(actions_.begin(), actions_.end(),
                                  [&](const Action& a) { return a.key != key; }),
                   actions_.end());
    notices_.erase(std::remove_if(notices_.begin(), notices_.end(),
                                  [&](const KeyedNotice& n) { return n.key != key; }),
                   notices_.end());
    if (!InRoster(key) && ledger_.count(key) == 0) {
      Notice(key, key + " is neither in the roster nor in the ledger; nothing to do");
    }
    Ledger restricted = ledger_;
    auto after = ledger_after_.find(key);
    if (after == ledger_after_.end()) {
      restricted.erase(key);
    } else {
      restricted[key] = after->second;
    }
    ledger_after_.swap(restricted);
  }
  ApplyGuards();

  std::stable_sort(actions_.begin(), actions_.end(), [](const Action& a, const Action& b) {
    if (a.key != b.key) return a.key < b.key;
    return static_cast<int>(a.type) < static_cast<int>(b.type);
  });
  std::stable_sort(notices_.begin(), notices_.end(),
                   [](const KeyedNotice& a, const KeyedNotice& b) { return a.key < b.key; });

  Plan plan;
  plan.actions = std::move(actions_);
  plan.holds = std::move(holds_);
  plan.notices.reserve(notices_.size());
  for (KeyedNotice& notice : notices_) plan.notices.push_back(std::move(notice.text));
  plan.ledger_after = std::move(ledger_after_);
  plan.managed_users = managed_;
  plan.roster_rows = static_cast<int>(roster_.row_count > 0
                                          ? roster_.row_count
                                          : static_cast<int64_t>(roster_.entries.size()));
  plan.rejected_rows = static_cast<int>(roster_.rejected.size());
  return plan;
}

}  // namespace planner_internal

Plan MakePlan(const PlannerInput& input, const PlannerOptions& options) {
  return planner_internal::PlanBuilder(input, options).Build(nullptr);
}

Plan MakePlanForKey(const PlannerInput& input, const PlannerOptions& options,
                    const std::string& key) {
  return planner_internal::PlanBuilder(input, options).Build(&key);
}

}  // namespace rostersync
