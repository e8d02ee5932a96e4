// Executor::Apply's parts: grouping a plan's actions by person (auditing the held ones),
// running the people on a worker pool, and writing the ledger as applied.
#include <algorithm>
#include <atomic>
#include <thread>

#include "sync/executor.h"

namespace rostersync {

Executor::People Executor::GroupByPerson(const Plan& plan, const Ledger& stored,
                                         ExecutionReport* report) {
  People people;
  report->outcomes.resize(plan.actions.size());
  for (size_t i = 0; i < plan.actions.size(); ++i) {
    const Action& a = plan.actions[i];
    report->outcomes[i].action = a;
    report->outcomes[i].user_id = a.user_id;
    if (a.held) {
      ++report->held;
      AuditRecord rec = MakeAudit(a, a.user_id, Status::Ok(), AuditResult::kHeld);
      rec.error = a.held_reason;
      if (!HeldAlreadyAudited(rec, stored) && store_.AppendAudit(rec).ok()) WriteSink(rec);
      continue;
    }
    if (!people.groups.count(a.key)) people.keys.push_back(a.key);
    people.groups[a.key].push_back(i);
  }
  for (const auto& key : people.keys) {
    LedgerEntry base;
    base.key = key;
    if (auto it = plan.ledger_after.find(key); it != plan.ledger_after.end()) {
      base = it->second;
    } else if (auto st = stored.find(key); st != stored.end()) {
      base = st->second;
    }
    if (base.user_id.empty() && stored.count(key)) base.user_id = stored.at(key).user_id;
    people.working[key] = base;
    people.keep[key] = false;
  }
  return people;
}

void Executor::RunPeople(const Plan& plan, const Ledger& stored, People* people,
                         ExecutionReport* report) {
  const std::vector<std::string>& keys = people->keys;
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t k = next++; k < keys.size(); k = next++) {
      const std::string& key = keys[k];
      auto st = stored.find(key);
      ApplyPerson(people->groups.at(key), plan, st == stored.end() ? nullptr : &st->second,
                  &report->outcomes, &people->working.at(key), &people->keep.at(key));
    }
  };
  size_t threads = std::min<size_t>(options_.concurrency, keys.size());
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
}

void Executor::WriteLedger(const Plan& plan, const Ledger& stored, People* people,
                           ExecutionReport* report) {
  // The plan's ledger delta plus each person's entry as applied; only changed entries are
  // written (the store upserts), then the removed ones are deleted.
  Ledger changed = plan.ledger_after;
  std::vector<std::string> removed = plan.ledger_removed;
  for (auto& [key, entry] : people->working) {
    if (people->keep.at(key)) {  // never drop what the ledger knew because a create said "exists"
      changed.erase(key);
      continue;
    }
    if (entry.user_id.empty()) {  // a create that did not happen
      changed.erase(key);
      if (stored.count(key) > 0) removed.push_back(key);
    } else {
      changed[key] = std::move(entry);
    }
  }
  MarkHolds(plan, stored, removed, &changed);
  report->ledger_status = changed.empty() ? Status::Ok() : store_.PutLedger(changed);
  for (const std::string& key : removed) {
    Status s = store_.DeleteLedgerEntry(key);
    if (!s.ok() && report->ledger_status.ok()) report->ledger_status = s;
  }
}

}  // namespace rostersync
