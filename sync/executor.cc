// Executor::Apply: per-person ordering, bounded worker threads, write-ahead journal.
#include "sync/executor.h"

#include <algorithm>
#include <atomic>
#include <random>
#include <set>
#include <thread>

#include "sync/plan_json.h"
#include "sync/planner.h"
#include "sync/text.h"

namespace rostersync {
namespace {

std::string RandomPassword() {
  static const char kChars[] =
      "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789-_.!";
  std::random_device rd;
  std::uniform_int_distribution<size_t> pick(0, sizeof(kChars) - 2);
  std::string out;
  for (int i = 0; i < 32; ++i) out += kChars[pick(rd)];
  return out;
}

int SuccessHttpStatus(ActionType type) { return type == ActionType::kCreate ? 201 : 200; }

}  // namespace

Executor::Executor(UsersApi& api, StateStore& store, AuditSink* audit_file, const Clock& clock,
                   ExecutorOptions options)
    : api_(api), store_(store), audit_(audit_file), clock_(clock), options_(std::move(options)) {
  if (options_.concurrency < 1) options_.concurrency = 1;
  if (!options_.password_generator) options_.password_generator = RandomPassword;
}

AuditRecord Executor::MakeAudit(const Action& action, const std::string& user_id,
                                const Status& status, const std::string& result) const {
  AuditRecord r;
  r.ts_ms = clock_.NowMs();
  r.run_id = options_.run_id;
  r.action = ActionName(action.type);
  r.key = action.key;
  r.user_id = user_id;
  r.username = action.username;
  r.changes = action.changes;
  r.result = result;
  if (result == "ok") {
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

Result<User> Executor::FindCreated(const std::string& username, const std::string& email,
                                   bool* nobody_holds_it) {
  if (nobody_holds_it != nullptr) *nobody_holds_it = false;
  auto by_name = api_.GetUserByUsername(Lower(username));
  if (by_name.ok() && EqualsIgnoreCase(by_name->email, email)) return by_name;
  if (!by_name.ok() && !by_name.status().IsNotFound()) return by_name.status();
  auto by_email = api_.GetUserByEmail(Lower(email));
  if (by_email.ok() && EqualsIgnoreCase(by_email->username, username)) return by_email;
  if (!by_email.ok() && !by_email.status().IsNotFound()) return by_email.status();
  if (nobody_holds_it != nullptr) *nobody_holds_it = !by_name.ok() && !by_email.ok();
  return Status::NotFound("no account with username " + username + " and email " + email);
}

Status Executor::Send(const Action& a, std::string* user_id, std::vector<FieldChange>* extra,
                      std::string* note) {
  if (a.type != ActionType::kCreate && a.type != ActionType::kPasswordReset && user_id->empty()) {
    return Status::Invalid(std::string(ActionName(a.type)) + " of " + a.key +
                           ": no user id (was the account created?)");
  }
  const std::string& id = *user_id;
  switch (a.type) {
    case ActionType::kCreate: {
      NewUser user = a.new_user;
      if (user.auth_service.empty() && user.password.empty()) {
        user.password = options_.password_generator();
      }
      // A 5xx answer or a lost answer may hide an applied create: look it up, adopt it if it
      // exists, and only when it provably does not (NotFound by username and by email) send
      // the create once more. Bounded to one extra attempt; never a duplicate.
      constexpr int kMaxCreateAttempts = 2;
      Status last;
      for (int attempt = 1; attempt <= kMaxCreateAttempts; ++attempt) {
        auto created = api_.CreateUser(user);
        if (created.ok()) {
          *user_id = created->id;
          if (attempt > 1) *note = "created on the second attempt; no account after the first";
          return Status::Ok();
        }
        last = created.status();
        const bool retryable =
            last.code() == Status::Code::kTransient || last.IsOutcomeUnknown();
        if (!retryable) return last;
        bool nobody_holds_it = false;
        auto found = FindCreated(user.username, user.email, &nobody_holds_it);
        if (found.ok()) {
          *user_id = found->id;
          *note = "create answer lost; the account exists and was adopted";
          return Status::Ok();
        }
        if (!found.status().IsNotFound()) {
          return found.status().Annotate("create of " + user.username + " may have happened");
        }
        if (!nobody_holds_it) break;  // someone else holds the name or email: do not resend
      }
      if (!last.IsOutcomeUnknown()) return last;
      Status s = Status::OutcomeUnknown("create of " + user.username +
                                        ": no answer and no such account; the next cycle "
                                        "retries");
      return s.WithHttp(last.http_status(), last.request_id(), last.error_id());
    }
    case ActionType::kUpdate: {
      auto patched = api_.PatchUser(id, a.patch);
      return patched.ok() ? Status::Ok() : patched.status();
    }
    case ActionType::kDeactivate: {
      Status s = api_.DeactivateUser(id);
      if (!s.ok()) return s;
      // The server revokes sessions itself; personal access tokens would work again after
      // a reactivation, so revoke those.
      auto tokens = api_.GetUserAccessTokens(id);
      if (!tokens.ok()) {
        *note = "deactivated; listing access tokens failed: " + tokens.status().ToString();
        return Status::Ok();
      }
      int revoked = 0;
      for (const auto& t : *tokens) {
        if (!t.is_active) continue;
        Status r = api_.RevokeUserAccessToken(t.id);
        if (r.ok()) {
          ++revoked;
        } else if (note->empty()) {
          *note = "deactivated; revoking access token " + t.id + " failed: " + r.ToString();
        }
      }
      if (revoked > 0) {
        extra->push_back({"access_tokens", std::to_string(revoked) + " active", "revoked"});
      }
      return Status::Ok();
    }
    case ActionType::kReactivate: return api_.SetUserActive(id, true);
    case ActionType::kRole: return api_.UpdateUserRoles(id, a.roles);
    case ActionType::kGuest:
    case ActionType::kPromote: {
      bool demote = a.type == ActionType::kGuest;
      Status s = demote ? api_.DemoteUserToGuest(id) : api_.PromoteGuestToUser(id);
      if (s.code() != Status::Code::kNotImplemented) return s;
      // 501 means "already in that state" or "no license": read back to tell them apart.
      auto user = api_.GetUser(id);
      if (user.ok() && user->HasRole("system_guest") == demote) {
        *note = demote ? "already a guest" : "already a member";
        return Status::Ok();
      }
      return s;
    }
    case ActionType::kAuth: return api_.UpdateUserAuth(id, a.auth_service, a.auth_data);
    case ActionType::kVerifyEmail: return api_.VerifyUserEmail(id);
    case ActionType::kPasswordReset: return api_.SendPasswordResetEmail(a.email);
  }
  return Status::Internal("unknown action type");
}

void Executor::ApplyPerson(const std::vector<size_t>& indexes, const Plan& plan,
                           const LedgerEntry* stored, std::vector<ActionOutcome>* outcomes,
                           LedgerEntry* entry) {
  // A failed action's fields keep what was durably true before this run, unless an earlier
  // action of this person set them in this run (update email, then a failed verify_email:
  // email_verified stays "false").
  std::set<std::string> set_this_run;
  auto revert = [&](const Action& a) {
    for (const auto& [field, value] : ActionSetValues(a)) {
      if (set_this_run.count(field) > 0) continue;
      const std::string* before = nullptr;
      if (stored != nullptr) {
        auto it = stored->set_values.find(field);
        if (it != stored->set_values.end()) before = &it->second;
      }
      if (before != nullptr) {
        entry->set_values[field] = *before;
      } else {
        entry->set_values.erase(field);
      }
    }
  };
  Status failed;  // the first failure of this person
  std::string failed_action;
  std::vector<const ActionOutcome*> applied;
  for (size_t index : indexes) {
    ActionOutcome& out = (*outcomes)[index];
    Action a = plan.actions[index];
    if (a.user_id.empty() && a.type != ActionType::kCreate) a.user_id = entry->user_id;
    out.user_id = a.user_id;
    if (!failed.ok()) {
      out.status = Status(failed.code(), "skipped: the earlier " + failed_action + " of " +
                                             a.key + " failed");
      revert(a);
      AuditRecord rec = MakeAudit(a, a.user_id, out.status, "failed");
      if (store_.AppendAudit(rec).ok()) WriteSink(rec);
      Progress();
      continue;
    }
    JournalEntry journal;
    journal.run_id = options_.run_id;
    journal.type = a.type;
    journal.key = a.key;
    journal.user_id = a.user_id;
    journal.username = a.type == ActionType::kCreate ? a.new_user.username : a.username;
    journal.email = a.type == ActionType::kCreate ? a.new_user.email : a.email;
    journal.payload = ActionToJson(a);
    journal.state = "pending";
    journal.created_ms = clock_.NowMs();
    auto journal_id = store_.JournalBegin(journal);
    Status s;
    std::string user_id = a.user_id;
    std::vector<FieldChange> extra;
    std::string note;
    if (!journal_id.ok()) {
      s = journal_id.status().Annotate("not sent: journaling failed");
    } else {
      s = Send(a, &user_id, &extra, &note);
    }
    out.user_id = user_id;
    AuditRecord rec = MakeAudit(a, user_id, s, s.ok() ? "ok" : "failed");
    rec.changes.insert(rec.changes.end(), extra.begin(), extra.end());
    if (s.ok() && !note.empty()) rec.error = note;
    if (a.type == ActionType::kDeactivate) {  // a failure is loud next cycle (planner)
      if (s.ok()) {
        entry->set_values.erase(kDeactivateFailed);
      } else {
        entry->set_values[kDeactivateFailed] = s.message().substr(0, 200);
      }
    }
    std::optional<LedgerEntry> ledger;
    if (s.ok()) {
      RecordAppliedAction(a, user_id, entry);
      for (const auto& field_value : ActionSetValues(a)) set_this_run.insert(field_value.first);
      ledger = *entry;
    } else {
      revert(a);
    }
    if (journal_id.ok()) {
      Status c = store_.CompleteAction(*journal_id, s.ok() ? "done" : "failed", rec, ledger);
      if (c.ok()) {
        WriteSink(rec);
      } else if (s.ok()) {  // applied, but not recorded: the journal entry stays pending
        s = c.Annotate("applied but not recorded (resolved at the next start)");
      }
    } else if (store_.AppendAudit(rec).ok()) {
      WriteSink(rec);
    }
    out.status = s;
    if (s.ok()) {
      applied.push_back(&out);
    } else {
      failed = s;
      failed_action = ActionName(a.type);
    }
    Progress();
  }
  if (options_.verify_after) VerifyPerson(applied);
}

void Executor::VerifyPerson(const std::vector<const ActionOutcome*>& done) {
  if (done.empty()) return;
  std::string user_id;
  for (const auto* o : done) {
    if (!o->user_id.empty()) user_id = o->user_id;
  }
  if (user_id.empty()) return;
  bool only_unreadable = std::all_of(done.begin(), done.end(), [](const ActionOutcome* o) {
    return o->action.type == ActionType::kPasswordReset ||
           o->action.type == ActionType::kVerifyEmail;
  });
  if (only_unreadable) return;
  auto user = api_.GetUser(user_id);
  std::vector<std::string> drift;
  if (!user.ok()) {
    drift.push_back(done.front()->action.key + ": reading the user back failed: " +
                    user.status().ToString());
  } else {
    for (const auto* o : done) {
      auto d = ActionDrift(o->action, *user);
      drift.insert(drift.end(), d.begin(), d.end());
    }
  }
  if (drift.empty()) return;
  std::lock_guard<std::mutex> lock(mu_);
  drift_.insert(drift_.end(), drift.begin(), drift.end());
}

ExecutionReport Executor::Apply(const Plan& plan) {
  ExecutionReport report;
  report.outcomes.resize(plan.actions.size());
  Ledger stored;
  if (auto loaded = store_.LoadLedger(); loaded.ok()) stored = std::move(*loaded);
  std::vector<std::string> keys;  // people in order of their first action
  std::map<std::string, std::vector<size_t>> groups;
  for (size_t i = 0; i < plan.actions.size(); ++i) {
    const Action& a = plan.actions[i];
    report.outcomes[i].action = a;
    report.outcomes[i].user_id = a.user_id;
    if (a.held) {
      ++report.held;
      AuditRecord rec = MakeAudit(a, a.user_id, Status::Ok(), "held");
      rec.error = a.held_reason;
      if (store_.AppendAudit(rec).ok()) WriteSink(rec);
      continue;
    }
    if (!groups.count(a.key)) keys.push_back(a.key);
    groups[a.key].push_back(i);
  }
  // Each person's working ledger entry; only that person's worker touches it.
  std::map<std::string, LedgerEntry> working;
  for (const auto& key : keys) {
    LedgerEntry base;
    base.key = key;
    if (auto it = plan.ledger_after.find(key); it != plan.ledger_after.end()) {
      base = it->second;
    } else if (auto st = stored.find(key); st != stored.end()) {
      base = st->second;
    }
    if (base.user_id.empty() && stored.count(key)) base.user_id = stored.at(key).user_id;
    working[key] = base;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    done_ = 0;
    total_ = plan.CountActive();
    drift_.clear();
  }
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t k = next++; k < keys.size(); k = next++) {
      const std::string& key = keys[k];
      auto st = stored.find(key);
      ApplyPerson(groups[key], plan, st == stored.end() ? nullptr : &st->second,
                  &report.outcomes, &working[key]);
    }
  };
  size_t threads = std::min<size_t>(options_.concurrency, keys.size());
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();

  for (const auto& o : report.outcomes) {
    if (o.action.held) continue;
    if (o.status.ok()) ++report.ok; else ++report.failed;
  }
  // The plan's ledger delta plus each person's entry as applied; only changed entries are
  // written (the store upserts), then the removed ones are deleted.
  Ledger changed = plan.ledger_after;
  std::vector<std::string> removed = plan.ledger_removed;
  for (auto& [key, entry] : working) {
    if (entry.user_id.empty()) {  // a create that did not happen
      changed.erase(key);
      if (stored.count(key) > 0) removed.push_back(key);
    } else {
      changed[key] = std::move(entry);
    }
  }
  report.ledger_status = changed.empty() ? Status::Ok() : store_.PutLedger(changed);
  for (const std::string& key : removed) {
    Status s = store_.DeleteLedgerEntry(key);
    if (!s.ok() && report.ledger_status.ok()) report.ledger_status = s;
  }
  std::lock_guard<std::mutex> lock(mu_);
  report.drift = drift_;
  return report;
}

}  // namespace rostersync
