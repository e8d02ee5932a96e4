// Executor::Apply: per-person ordering and the write-ahead journal (the worker pool and the
// ledger write: executor_apply.cc).
#include "sync/executor.h"

#include <algorithm>
#include <map>
#include <set>

#include "sync/plan_json.h"
#include "sync/planner.h"
#include "sync/text.h"

namespace rostersync {
namespace {

int SuccessHttpStatus(ActionType type) { return type == ActionType::kCreate ? 201 : 200; }

}  // namespace

Executor::Executor(UsersApi& api, StateStore& store, AuditSink* audit_file, const Clock& clock,
                   ExecutorOptions options)
    : api_(api), store_(store), audit_(audit_file), clock_(clock), options_(std::move(options)) {
  if (options_.concurrency < 1) options_.concurrency = 1;
  if (!options_.password_generator) {
    options_.password_generator = [policy = options_.capabilities.password] {
      return GeneratePassword(policy);
    };
  }
}

AuditRecord Executor::MakeAudit(const Action& action, const std::string& user_id,
                                const Status& status, AuditResult result) const {
  AuditRecord r;
  r.ts_ms = clock_.NowMs();
  r.run_id = options_.run_id;
  r.action = AuditActionOf(action.type);
  r.key = action.key;
  r.user_id = user_id;
  r.username = action.username;
  r.changes = action.changes;
  r.result = result;
  if (result == AuditResult::kOk) {
    r.http_status = SuccessHttpStatus(action.type);
  } else if (!status.ok()) {
    r.http_status = status.http_status();
    r.request_id = status.request_id();
    r.error = status.ToString();
  }
  return r;
}

void Executor::WriteSink(const AuditRecord& record) {
  if (audit_ != nullptr) audit_->Write(record);
}

void Executor::Progress() {
  std::lock_guard<std::mutex> lock(mu_);
  ++done_;
  if (options_.on_progress) options_.on_progress(done_, total_);
}

namespace {

// Whether `later` cannot run once `failed` (an earlier action of the same person) failed.
// Nothing runs after a failed create or reactivation (no account, or an inactive one); a
// role change needs the promotion before it; verifying a new email needs the email change.
// Everything else is independent: a failed name patch never blocks a role change or a
// deactivation.
bool DependsOn(const Action& later, const Action& failed) {
  switch (failed.type) {
    case ActionType::kCreate:
    case ActionType::kReactivate: return true;
    case ActionType::kPromote: return later.type == ActionType::kRole;
    case ActionType::kUpdate:
      return later.type == ActionType::kVerifyEmail && failed.patch.email.has_value();
    default: return false;
  }
}

void Restore(const std::map<std::string, std::string>& from, const std::string& field,
             LedgerEntry* entry) {
  auto it = from.find(field);
  if (it == from.end()) {
    entry->set_values.erase(field);
  } else {
    entry->set_values[field] = it->second;
  }
}

bool IsExistsError(const Status& s) {
  const std::string& id = s.error_id();
  return id == "app.user.save.username_exists.app_error" ||
         id == "app.user.save.email_exists.app_error";
}

}  // namespace

Status Executor::ExplainExists(const Action& a, const LedgerEntry* stored, const Status& s) {
  const bool by_name = s.error_id().find("username_exists") != std::string::npos;
  const std::string& value = by_name ? a.new_user.username : a.new_user.email;
  std::string what = std::string(by_name ? "username " : "email ") + EscapeControl(value);
  auto holder = by_name ? api_.GetUserByUsername(Lower(value)) : api_.GetUserByEmail(Lower(value));
  if (!holder.ok()) {
    return s.Annotate(what + " is taken and looking up its account failed (" +
                      holder.status().ToString() + "); the ledger is kept");
  }
  if (stored != nullptr && stored->user_id == holder->id) {
    return s.Annotate(what + " belongs to account " + holder->id + ", which the ledger already "
                      "links to " + a.key + " (the listing missed it); the ledger is kept");
  }
  return s.Annotate(what + " is held by account " + EscapeControl(holder->username) + " (" +
                    holder->id + "), which is not linked to " + a.key +
                    "; resolve by hand (the ledger is kept)");
}

void Executor::ApplyPerson(const std::vector<size_t>& indexes, const Plan& plan,
                           const LedgerEntry* stored, std::vector<ActionOutcome>* outcomes,
                           LedgerEntry* entry, bool* keep_stored) {
  // A failed action's fields keep what was durably true before this run, unless an earlier
  // action of this person set them in this run (update email, then a failed verify_email:
  // email_verified stays "false").
  std::set<std::string> set_this_run;
  auto revert = [&](const Action& a) {
    for (const auto& [field, value] : ActionSetValues(a)) {
      if (set_this_run.count(field) > 0) continue;
      if (stored != nullptr) {
        Restore(stored->set_values, field, entry);
      } else {
        entry->set_values.erase(field);
      }
    }
  };
  std::vector<std::pair<Action, Status::Code>> failed;  // this person's failures so far
  bool created = false;        // a create of this person succeeded in this run
  bool email_pending = false;  // a patched email awaits the person's verification
  std::vector<Verified> applied;
  for (size_t index : indexes) {
    ActionOutcome& out = (*outcomes)[index];
    Action a = plan.actions[index];
    if (a.user_id.empty() && a.type != ActionType::kCreate) a.user_id = entry->user_id;
    out.user_id = a.user_id;
    const bool state_failed = state_failed_.load();
    if (state_failed || (options_.stop != nullptr && options_.stop->stop_requested())) {
      // Stopping: no new action starts (nothing journaled, the ledger entry reverted).
      out.status = state_failed
                       ? Status::IoError("not started: the state database failed")
                       : Status::Transient("not started: rostersync is stopping");
      AuditRecord rec = MakeAudit(a, a.user_id, out.status, AuditResult::kFailed);
      if (store_.AppendAudit(rec).ok()) WriteSink(rec);
      revert(a);
      failed.emplace_back(a, out.status.code());
      Progress();
      continue;
    }
    auto blocker = std::find_if(failed.begin(), failed.end(),
                                [&](const auto& f) { return DependsOn(a, f.first); });
    if (blocker != failed.end() || (email_pending && a.type == ActionType::kVerifyEmail)) {
      // Skipped: failed when it depends on a failure; ok (not sent) for verifying an email
      // that the server keeps pending until the person verifies it.
      out.status = blocker == failed.end()
                       ? Status::Ok()
                       : Status(blocker->second, "skipped: the earlier " +
                                                     std::string(ActionName(blocker->first.type)) +
                                                     " of " + a.key + " failed");
      AuditRecord rec = MakeAudit(a, a.user_id, out.status,
                                  out.status.ok() ? AuditResult::kOk : AuditResult::kFailed);
      if (out.status.ok()) rec.error = "not sent: the new email is pending verification";
      if (store_.AppendAudit(rec).ok()) WriteSink(rec);
      if (!out.status.ok()) {
        revert(a);
        failed.emplace_back(a, out.status.code());
      }
      Progress();
      continue;
    }
    if (HoldForFullTeam(a, &out)) {  // a team known to be full (executor_membership.cc)
      Progress();
      continue;
    }
    Sent sent;
    Status s = SendJournaled(&a, &sent, entry, &set_this_run, &email_pending, &applied);
    out.user_id = sent.user_id;
    if (!s.ok()) {
      revert(a);
      if (a.type == ActionType::kCreate && IsExistsError(s)) {
        s = ExplainExists(a, stored, s);
        if (stored != nullptr) *entry = *stored;
        *keep_stored = true;
      }
      if (a.type == ActionType::kGuest && created) ReportFullMember(a, s);
      failed.emplace_back(a, s.code());
    } else if (a.type == ActionType::kCreate) {
      created = true;
    }
    out.status = s;
    if (!s.ok()) NoteRefusedJoin(a, &out);
    Progress();
  }
  const bool stopping = options_.stop != nullptr && options_.stop->stop_requested();
  if (options_.verify_after && !stopping) VerifyPerson(applied);
}

Status Executor::SendJournaled(Action* action, Sent* sent, LedgerEntry* entry,
                               std::set<std::string>* set_this_run, bool* email_pending,
                               std::vector<Verified>* applied) {
  Action& a = *action;
  JournalEntry journal;
  journal.run_id = options_.run_id;
  journal.type = a.type;
  journal.key = a.key;
  journal.user_id = a.user_id;
  journal.username = a.type == ActionType::kCreate ? a.new_user.username : a.username;
  journal.email = a.type == ActionType::kCreate ? a.new_user.email : a.email;
  journal.payload = ActionToJson(a);
  journal.state = JournalState::kPending;
  journal.created_ms = clock_.NowMs();
  auto journal_id = store_.JournalBegin(journal);
  if (!journal_id.ok()) StateFailed(journal_id.status());
  sent->user_id = a.user_id;
  Status s = journal_id.ok() ? Send(&a, sent)
                             : journal_id.status().Annotate("not sent: journaling failed");
  AddDrift(sent->drift);
  AuditRecord rec =
      MakeAudit(a, sent->user_id, s, s.ok() ? AuditResult::kOk : AuditResult::kFailed);
  if (s.ok()) rec.request_id = api_.LastRequestId();
  HoldRefusedJoinRecord(a, s, &rec);  // a full team's refusal is held (executor_membership.cc)
  rec.changes.insert(rec.changes.end(), sent->extra.begin(), sent->extra.end());
  if (a.type == ActionType::kDeactivate) {  // a failure is loud next cycle (planner)
    if (s.ok()) {
      entry->set_values.erase(kDeactivateFailed);
    } else {
      entry->set_values[kDeactivateFailed] = s.message().substr(0, 200);
    }
  }
  std::optional<LedgerEntry> ledger;
  Action as_stored = a;
  if (s.ok()) {
    const std::map<std::string, std::string> before = entry->set_values;
    RecordAppliedAction(a, sent->user_id, entry);
    if (sent->answer) {
      std::vector<std::string> drift;
      std::string pending;
      RecordServerAnswer(a, *sent->answer, before, entry, &drift, &pending, &as_stored);
      AddDrift(drift);
      if (!pending.empty()) {
        *email_pending = true;
        sent->note += (sent->note.empty() ? "" : "; ") + pending;
      }
    }
    for (const auto& field_value : ActionSetValues(a)) set_this_run->insert(field_value.first);
    ledger = *entry;
    if (!sent->note.empty()) rec.error = sent->note;
  }
  if (journal_id.ok()) {
    Status c = store_.CompleteAction(
        *journal_id, s.ok() ? JournalState::kDone : JournalState::kFailed, rec, ledger);
    if (c.ok()) {
      WriteSink(rec);
    } else {
      StateFailed(c);
      // Applied, but not recorded: the journal entry stays pending.
      if (s.ok()) s = c.Annotate("applied but not recorded (resolved at the next start)");
    }
  } else if (store_.AppendAudit(rec).ok()) {
    WriteSink(rec);
  }
  if (s.ok()) applied->push_back(Verified{as_stored, sent->user_id, sent->answer.has_value()});
  return s;
}

void Executor::StateFailed(const Status& status) {
  std::lock_guard<std::mutex> lock(mu_);
  if (state_status_.ok()) state_status_ = status;
  state_failed_ = true;
}

void Executor::ReportFullMember(const Action& a, const Status& demote) {
  AddDrift({EscapeControl(a.username) + " (key=" + EscapeControl(a.key) +
            "): created as a full member, but the demote to guest failed (" +
            demote.ToString() + "); it has more access than the roster gives until it is "
            "demoted"});
}

void Executor::AddDrift(const std::vector<std::string>& lines) {
  if (lines.empty()) return;
  std::lock_guard<std::mutex> lock(mu_);
  drift_.insert(drift_.end(), lines.begin(), lines.end());
}

void Executor::VerifyPerson(const std::vector<Verified>& done) {
  if (done.empty()) return;
  std::string user_id;
  for (const auto& o : done) {
    if (!o.user_id.empty()) user_id = o.user_id;
  }
  if (user_id.empty()) return;
  // A create or patch was already checked against the server's answer; reading it back
  // would only add a replica's stale view of it. A 2xx to a (de)activation or a role change
  // is proof enough (the server stores exactly what was sent or fails the request), so those
  // are not read back either: one request per write (issue 16).
  auto unreadable = [](const Verified& o) {
    return o.answered || o.action.type == ActionType::kDeactivate ||
           o.action.type == ActionType::kReactivate || o.action.type == ActionType::kRole ||
           o.action.type == ActionType::kPasswordReset ||
           o.action.type == ActionType::kVerifyEmail || IsMembershipAction(o.action.type);
  };
  bool only_unreadable = std::all_of(done.begin(), done.end(), unreadable);
  if (only_unreadable) return;
  auto user = api_.GetUser(user_id);
  std::vector<std::string> drift;
  if (!user.ok()) {
    drift.push_back(done.front().action.key + ": reading the user back failed: " +
                    user.status().ToString());
  } else {
    for (const auto& o : done) {
      if (unreadable(o)) continue;
      auto d = ActionDrift(o.action, *user);
      drift.insert(drift.end(), d.begin(), d.end());
    }
  }
  AddDrift(drift);
}

ExecutionReport Executor::Apply(const Plan& plan) {
  Result<Ledger> loaded = store_.LoadLedger();
  if (loaded.ok()) return Apply(plan, *loaded);
  ExecutionReport report;  // nothing applied: the stored ledger is what guards each action
  report.ledger_status =
      loaded.status().Annotate("cannot load the ledger; nothing was applied");
  return report;
}

ExecutionReport Executor::Apply(const Plan& plan, const Ledger& stored) {
  ExecutionReport report;
  People people = GroupByPerson(plan, stored, &report);
  {
    std::lock_guard<std::mutex> lock(mu_);
    done_ = 0;
    total_ = plan.CountActive();
    drift_.clear();
    state_status_ = Status::Ok();
    state_failed_ = false;
  }
  PrejoinTeams(plan);  // membership team joins in batches (executor_membership.cc)
  RunPeople(plan, stored, &people, &report);
  for (const auto& o : report.outcomes) {
    if (o.action.held) continue;
    if (o.status.ok()) ++report.ok; else ++report.failed;
  }
  ReportFullTeams(plan, &report);
  WriteLedger(plan, stored, &people, &report);
  std::lock_guard<std::mutex> lock(mu_);
  report.drift = drift_;
  report.state_status = state_status_;
  return report;
}

}  // namespace rostersync
