// Held sets in the daemon: record, list, approve, reject (held_sets.h).
#include "daemon/held_sets.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <tuple>

#include "daemon/exit_codes.h"
#include "daemon/json_views.h"
#include "sync/held_set.h"
#include "sync/text.h"

namespace rostersync::daemon {
namespace {

constexpr int kLookBack = 10000;  // held sets searched for an id

using Identity = std::tuple<std::string, std::string, std::string>;  // key, action, target

std::string Join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

Result<HeldSetRecord> FindHeldSet(StateStore& store, const std::string& held_id) {
  Result<std::vector<HeldSetRecord>> sets = store.RecentHeldSets(kLookBack);
  if (!sets.ok()) return sets.status();
  for (const HeldSetRecord& s : *sets) {
    if (s.held_id == held_id) return s;
  }
  return Status::NotFound("no held set " + EscapeControl(held_id) +
                          "; `rostersync held` lists the held sets");
}

void AuditDecision(StateStore& store, AuditSink* audit, const HeldDecision& d,
                   const std::string& run_id, AuditResult result, const std::string& detail,
                   int64_t now_ms) {
  AuditRecord rec;
  rec.ts_ms = now_ms;
  rec.run_id = run_id;
  rec.action = d.approve ? AuditAction::kApprove : AuditAction::kReject;
  rec.key = "held:" + d.held_id;
  rec.user_id = d.approver_id.empty() ? "unknown" : d.approver_id;
  rec.username = d.approver;
  rec.result = result;
  rec.error = detail;
  if (store.AppendAudit(rec).ok() && audit != nullptr) audit->Write(rec);
}

DecisionOutcome Refuse(StateStore& store, AuditSink* audit, const HeldDecision& d,
                       const std::string& run_id, const std::string& why, int64_t now_ms) {
  AuditDecision(store, audit, d, run_id, AuditResult::kRefused, why, now_ms);
  DecisionOutcome out;
  out.exit_code = kExitRefused;
  out.message = std::string(d.approve ? "approval" : "rejection") + " refused, nothing was " +
                "applied: " + why;
  return out;
}

// Counts the released actions among the outcomes, and those of them that succeeded.
void CountReleased(const std::set<Identity>& released, const ExecutionReport& report,
                   DecisionOutcome* out) {
  for (const ActionOutcome& o : report.outcomes) {
    const Action& a = o.action;
    HeldItem item = HeldItemOf(a);
    if (released.count(Identity{item.key, item.action, item.target}) == 0) continue;
    out->applied += o.status.ok() ? 1 : 0;
  }
}

}  // namespace

std::set<std::string> ParseOnlyKeys(const std::string& list) {
  std::set<std::string> keys;
  size_t start = 0;
  while (!list.empty()) {
    size_t comma = list.find(',', start);
    std::string key = list.substr(start, comma == std::string::npos ? comma : comma - start);
    if (!key.empty()) keys.insert(key);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return keys;
}

std::string CliApprover() {
  if (const passwd* pw = ::getpwuid(::geteuid()); pw != nullptr && pw->pw_name != nullptr) {
    return pw->pw_name;
  }
  if (const char* user = std::getenv("USER"); user != nullptr && *user != '\0') return user;
  return "uid:" + std::to_string(::geteuid());
}

Result<HeldSetRecord> RecordHeldSet(StateStore& store, const Plan& plan,
                                    const std::string& run_id, int64_t now_ms) {
  std::vector<HeldItem> items = HeldItemsOf(plan);
  const std::string id = HeldSetId(items);
  if (id.empty()) return HeldSetRecord{};
  Result<HeldSetRecord> existing = FindHeldSet(store, id);
  if (existing.ok()) return existing;
  if (existing.status().code() != Status::Code::kNotFound) return existing.status();
  HeldSetRecord record;
  record.held_id = id;
  record.created_ms = now_ms;
  record.run_id = run_id;
  record.summary = HeldSummary(items);
  record.items = EncodeHeldItems(items);
  Status s = store.PutHeldSet(record);
  if (!s.ok()) return s;
  return record;
}

namespace {

// Marks the waiting set rejected: it stays held, and is not offered again.
DecisionOutcome RejectHeldSet(StateStore& store, AuditSink* audit, const HeldDecision& d,
                              HeldSetRecord record, int64_t now_ms) {
  record.decision = "rejected";
  record.approvers = d.approver;
  record.decided_ms = now_ms;
  record.detail = "dismissed until the plan changes";
  if (Status s = store.PutHeldSet(record); !s.ok()) return {kExitError, s.ToString()};
  AuditDecision(store, audit, d, "", AuditResult::kOk, record.summary + ": " + record.detail,
                now_ms);
  return {kExitOk, "rejected held set " + d.held_id + " (" + record.summary +
                       "): dismissed until the plan changes"};
}

bool NeedsSecondApprover(const HeldSetRecord& record, int above) {
  if (above <= 0) return false;
  Result<std::vector<HeldItem>> items = DecodeHeldItems(record.items);
  int deactivations = 0;
  for (const HeldItem& i : items.ok() ? *items : std::vector<HeldItem>{}) {
    deactivations += i.action == "deactivate" ? 1 : 0;
  }
  return deactivations > above;
}

// The first of two approvals: recorded (decision "pending"), nothing applied yet.
DecisionOutcome FirstOfTwo(StateStore& store, AuditSink* audit, const HeldDecision& d,
                           HeldSetRecord record, int64_t now_ms) {
  record.decision = "pending";
  record.approvers = d.approver;
  record.decided_ms = now_ms;
  record.detail = "needs a second approver (more than " +
                  std::to_string(d.second_approver_above) + " deactivations)";
  if (Status s = store.PutHeldSet(record); !s.ok()) return {kExitError, s.ToString()};
  AuditDecision(store, audit, d, "", AuditResult::kPending,
                record.summary + ": " + record.detail, now_ms);
  DecisionOutcome out{kExitOk, "first approval of held set " + d.held_id + " (" +
                                   record.summary + ") recorded; it " + record.detail +
                                   "; nothing was applied yet"};
  out.pending = true;
  return out;
}

// Why an approval was refused: the --only keys that are not in the set, when there are
// any (the plan need not have changed), else the plan's differences.
std::string RefusalText(const std::string& held_id, const std::vector<std::string>& differences) {
  const std::string kNotIn = ": not in this held set";
  std::vector<std::string> unknown;
  for (const std::string& d : differences) {
    const size_t n = kNotIn.size();
    if (d.size() > n && d.compare(d.size() - n, n, kNotIn) == 0) {
      unknown.push_back(d.substr(0, d.size() - n));
    }
  }
  if (unknown.empty()) return "the plan changed: " + Join(differences, "; ");
  return "--only " + EscapeControl(Join(unknown, ",")) + ": not in held set " + held_id +
         " (`rostersync held` lists its keys)";
}

// Re-plans and applies exactly the approved held actions, or refuses with the difference.
DecisionOutcome ApproveHeldSet(StateStore& store, AuditSink* audit, const HeldDecision& d,
                               HeldSetRecord record, int64_t now_ms, const CycleFn& run_cycle) {
  Result<std::vector<HeldItem>> items = DecodeHeldItems(record.items);
  if (!items.ok()) return {kExitError, items.status().ToString()};
  std::vector<std::string> differences;
  std::set<Identity> released;
  CycleRequest request;
  request.apply = true;
  request.command = RunCommand::kApprove;
  request.before_apply = [&](Plan* plan) {
    ReleaseDecision rd = MatchApproved(*items, d.only_keys, *plan);
    if (!rd.ok()) {
      differences = rd.differences;
      if (differences.empty()) differences.push_back("nothing to release");
      return Status::Conflict("held set " + d.held_id + " no longer matches the plan");
    }
    for (size_t n : rd.release) {
      HeldItem i = HeldItemOf(plan->actions[n]);
      released.insert(Identity{i.key, i.action, i.target});
    }
    ReleaseActions(rd, plan);
    return Status::Ok();
  };
  DecisionOutcome out;
  out.cycle = run_cycle(request);
  out.cycle_ran = true;
  if (!differences.empty()) {
    DecisionOutcome refused = Refuse(store, audit, d, out.cycle.run_id,
                                     RefusalText(d.held_id, differences), now_ms);
    refused.cycle = std::move(out.cycle);
    refused.cycle_ran = true;
    return refused;
  }
  if (!out.cycle.status.ok()) {
    out.exit_code = kExitError;
    out.message = "the approval's cycle failed, nothing was released: " +
                  out.cycle.status.ToString();
    return out;
  }
  out.released = static_cast<int>(released.size());
  CountReleased(released, out.cycle.report, &out);
  record.decision = "approved";
  record.approvers = d.approver;
  record.decided_ms = now_ms;
  record.detail = std::to_string(out.applied) + " of " + std::to_string(out.released) +
                  " held action(s) applied" + (d.only_keys.empty() ? "" : " (--only)");
  if (Status s = store.PutHeldSet(record); !s.ok()) return {kExitError, s.ToString()};
  AuditDecision(store, audit, d, out.cycle.run_id,
                out.applied == out.released ? AuditResult::kOk : AuditResult::kFailed,
                record.summary + ": " + record.detail, now_ms);
  out.exit_code = out.applied == out.released ? kExitOk : kExitFailed;
  out.message = "approved held set " + d.held_id + " (" + record.summary + "): " + record.detail;
  return out;
}

}  // namespace

DecisionOutcome DecideHeldSet(StateStore& store, AuditSink* audit, const HeldDecision& d,
                              int64_t now_ms, const CycleFn& run_cycle) {
  Result<HeldSetRecord> found = FindHeldSet(store, d.held_id);
  if (!found.ok()) {
    if (found.status().code() == Status::Code::kNotFound) {
      return Refuse(store, audit, d, "", found.status().message(), now_ms);
    }
    return DecisionOutcome{kExitError, found.status().ToString()};
  }
  HeldSetRecord record = *found;
  if (!record.decision.empty() && record.decision != "pending") {
    return Refuse(store, audit, d, "",
                  "held set " + d.held_id + " was already " + record.decision + " by " +
                      EscapeControl(record.approvers) + " at " + UtcTimestamp(record.decided_ms),
                  now_ms);
  }
  if (!d.approve) return RejectHeldSet(store, audit, d, std::move(record), now_ms);
  if (!NeedsSecondApprover(record, d.second_approver_above)) {
    return ApproveHeldSet(store, audit, d, std::move(record), now_ms, run_cycle);
  }
  if (record.decision.empty()) return FirstOfTwo(store, audit, d, std::move(record), now_ms);
  if (record.approvers == d.approver) {
    return Refuse(store, audit, d, "",
                  "held set " + d.held_id + " needs a second approver other than " +
                      EscapeControl(d.approver), now_ms);
  }
  HeldDecision both = d;
  both.approver = record.approvers + "," + d.approver;
  return ApproveHeldSet(store, audit, both, std::move(record), now_ms, run_cycle);
}

std::string DecisionToJson(const std::string& held_id, bool approve, const DecisionOutcome& out) {
  return "{\"held_id\":" + JsonString(held_id) + ",\"decision\":" +
         JsonString(!approve ? "rejected" : out.pending ? "pending" : "approved") +
         ",\"exit_code\":" + std::to_string(out.exit_code) +
         ",\"released\":" + std::to_string(out.released) +
         ",\"applied\":" + std::to_string(out.applied) + ",\"message\":" +
         JsonString(out.message) + "}";
}

std::string HeldSetsToJson(const std::vector<HeldSetRecord>& sets) {
  std::string out = "{\"held\":[";
  for (size_t n = 0; n < sets.size(); ++n) {
    const HeldSetRecord& s = sets[n];
    Result<std::vector<HeldItem>> items = DecodeHeldItems(s.items);
    std::string actions;
    for (const HeldItem& i : items.ok() ? *items : std::vector<HeldItem>{}) {
      std::string changes;
      for (const FieldChange& c : i.changes) {
        changes += std::string(changes.empty() ? "" : ",") + "{\"field\":" + JsonString(c.field) +
                   ",\"from\":" + JsonString(c.from) + ",\"to\":" + JsonString(c.to) + "}";
      }
      actions += std::string(actions.empty() ? "" : ",") + "{\"action\":" + JsonString(i.action) +
                 ",\"key\":" + JsonString(i.key) + ",\"username\":" + JsonString(i.username) +
                 ",\"target\":" + JsonString(i.target) + ",\"changes\":[" + changes + "]}";
    }
    out += std::string(n == 0 ? "" : ",") + "{\"held_id\":" + JsonString(s.held_id) +
           ",\"created\":" + JsonString(UtcTimestamp(s.created_ms)) +
           ",\"run_id\":" + JsonString(s.run_id) + ",\"summary\":" + JsonString(s.summary) +
           ",\"actions\":[" + actions + "],\"decision\":" +
           JsonString(s.decision.empty() ? "waiting" : s.decision) +
           ",\"approvers\":" + JsonString(s.approvers) + ",\"decided\":" +
           JsonString(s.decided_ms == 0 ? "" : UtcTimestamp(s.decided_ms)) +
           ",\"detail\":" + JsonString(s.detail) + "}";
  }
  return out + "]}";
}

std::string HeldSetsToText(const std::vector<HeldSetRecord>& sets) {
  if (sets.empty()) return "Nothing is held.\n";
  std::string out;
  char line[512];
  std::snprintf(line, sizeof(line), "%-16s  %-22s  %-9s  %s\n", "HELD_ID", "CREATED", "DECISION",
                "ACTIONS");
  out += line;
  for (const HeldSetRecord& s : sets) {
    std::string decision = s.decision.empty() ? "waiting" : s.decision;
    std::string who = s.decision.empty() ? "" : "  by " + EscapeControl(s.approvers) + " at " +
                                                    UtcTimestamp(s.decided_ms) + ": " +
                                                    EscapeControl(s.detail);
    std::snprintf(line, sizeof(line), "%-16s  %-22s  %-9s  ", EscapeControl(s.held_id).c_str(),
                  UtcTimestamp(s.created_ms).c_str(), decision.c_str());
    out += line + EscapeControl(s.summary) + who + "\n";
  }
  out += "\nApprove exactly one set: rostersync approve HELD_ID [--only KEY,...]; dismiss it: "
         "rostersync reject HELD_ID\n";
  return out;
}

}  // namespace rostersync::daemon
