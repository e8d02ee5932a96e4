// Executor: applies a Plan through the UsersApi seam with a write-ahead journal in the
// StateStore, one audit record per applied, failed or held action, and ledger provenance.
// Holds references to the api, store, sink and clock (not owned; they must outlive it).
// Apply and ResolvePending are not reentrant: call them from one thread; they use
// options.concurrency worker threads internally.
#ifndef ROSTERSYNC_SYNC_EXECUTOR_H_
#define ROSTERSYNC_SYNC_EXECUTOR_H_

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sync/audit_sink.h"
#include "sync/clock.h"
#include "sync/membership_api.h"
#include "sync/plan.h"
#include "sync/state_store.h"
#include "sync/status.h"
#include "sync/stop_token.h"
#include "sync/users_api.h"

namespace rostersync {

struct ExecutorOptions {
  int concurrency = 8;       // worker threads (people applied in parallel); <1 means 1
  std::string run_id;        // written into journal entries and audit records
  // Re-read users changed by guest/promote or auth actions (no answer body) and report
  // drift; creates and patches are checked against their answer, and a 2xx to a role change
  // or a (de)activation is taken as proof (no read-back: one request per write).
  bool verify_after = true;
  std::function<void(int done, int total)> on_progress;  // called from worker threads
  // Decodes a journal payload (state/audit_json.h ActionFromJson). Without it ResolvePending
  // uses only the journal's columns (type, key, user_id, username, email).
  std::function<Result<Action>(const std::string& payload)> decode_action;
  // Password for new email/password accounts (auth_service ""); a random 32-char one by
  // default. Never stored, logged or audited. Tests inject a known one to grep for it.
  std::function<std::string()> password_generator;
  // What the server allows, as read at the start of the cycle: the password policy for
  // generated passwords, email verification (a patched email stays pending).
  ServerCapabilities capabilities;
  // Applies join/leave actions (membership.*); without it they fail as "not configured".
  MembershipApi* membership = nullptr;
  // Not owned; may be null. Once stop is requested no new action starts: the rest fail
  // "not started: rostersync is stopping" (audited, ledger unchanged, nothing journaled).
  const StopToken* stop = nullptr;
  // policy.revoke_tokens_on_deactivate: after a deactivation, list the user's personal
  // access tokens and revoke the active ones. Off: a deactivation is one request.
  bool revoke_tokens_on_deactivate = false;
  // Set when the plan covers one person only (a per-key sync): what is remembered as held
  // for everyone else is left alone (see HeldAlreadyAudited).
  std::string only_key;
};

struct ActionOutcome {
  Action action;
  Status status;
  std::string user_id;  // the user acted on (the new id for a create)
};

struct ExecutionReport {
  std::vector<ActionOutcome> outcomes;  // in plan order (held ones included)
  int ok = 0;
  int failed = 0;
  int held = 0;
  std::vector<std::string> drift;  // "jdoe: last_name is \"A\" on the server, expected \"B\""
  Status ledger_status;            // saving the merged ledger at the end (IoError if it failed)
  // The first state-store failure while applying (journaling or recording an action): no
  // action started after it; the cycle stops as a state error (cycle/stage_apply.cc).
  Status state_status;
  // Found while applying, one line per problem (a full team: executor_membership.cc); the
  // cycle adds them to the plan's attention items.
  std::vector<std::string> attention;
};

class Executor {
 public:
  Executor(UsersApi& api, StateStore& store, AuditSink* audit_file, const Clock& clock,
           ExecutorOptions options);
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // Resolves journal entries left pending by a crash (after waiting up to 2 s for requests
  // still queued at the server): a create is looked up by username then email and adopted if
  // found (ledger + one ok audit record), other actions are checked by reading the user back.
  // What did not happen is marked abandoned with one failed audit record (the next plan
  // redoes it). Then re-appends to the audit sink records committed but not copied before the
  // crash, and marks runs left "running" by a dead process "interrupted".
  // Returns the first error that left an entry pending (do not plan then: a create could
  // be duplicated); safe to retry.
  Status ResolvePending();

  // Applies the plan's non-held actions (held ones get a "held" audit record). Actions of
  // one person run in order; a failure skips only that person's later actions that depend
  // on it (everything after a failed create or reactivation; a role change after a failed
  // promotion; verify_email after a failed email change). Persists the plan's ledger delta
  // plus what actually happened: per success, RecordAppliedAction corrected by the server's
  // answer (RecordServerAnswer); a failed action leaves its fields as they were; a create
  // answered "exists" leaves the stored entry untouched. ledger_status says if persisting
  // failed. A failed demote right after a create is reported as drift (a full member).
  // `stored` is the ledger the plan was made from (the cycle loads it once and hands it
  // over, docs/design.md). The one-argument form loads it; when that fails nothing is
  // applied and ledger_status says why.
  ExecutionReport Apply(const Plan& plan, const Ledger& stored);
  ExecutionReport Apply(const Plan& plan);

 private:
  // An applied action as the server stored it, for the read-back check.
  struct Verified {
    Action action;
    std::string user_id;
    bool answered = false;  // checked against the server's answer already (create, patch)
  };
  // One person's actions in order; `keep_stored` is set when the stored ledger entry must
  // stay exactly as it was (a create answered "exists").
  void ApplyPerson(const std::vector<size_t>& indexes, const Plan& plan,
                   const LedgerEntry* stored, std::vector<ActionOutcome>* outcomes,
                   LedgerEntry* entry, bool* keep_stored);
  // What sending one action gave: the user acted on, audit extras, a note for the audit
  // record, the server's answer to a create or patch, and drift found on the way.
  struct Sent {
    std::string user_id;
    std::vector<FieldChange> extra;
    std::string note;
    std::optional<User> answer;
    std::vector<std::string> drift;
  };
  // Sends `action`; a patch retried without provider-owned fields is narrowed in place.
  Status Send(Action* action, Sent* sent);
  Status SendPatch(Action* action, Sent* sent);
  // Send's larger cases: a create (adopting or retrying one whose answer was lost), a
  // deactivation (revoking access tokens when configured), a demote or promote.
  Status SendCreate(const Action& action, Sent* sent);
  Status SendDeactivate(const std::string& id, Sent* sent);
  Status SendGuest(const Action& action, const std::string& id, Sent* sent);
  // Journals, sends, audits and records one action (ledger as the server answered).
  Status SendJournaled(Action* action, Sent* sent, LedgerEntry* entry,
                       std::set<std::string>* set_this_run, bool* email_pending,
                       std::vector<Verified>* applied);
  // A create answered username/email "exists": whose account it is, in the status text.
  Status ExplainExists(const Action& action, const LedgerEntry* stored, const Status& status);
  void AddDrift(const std::vector<std::string>& lines);
  // A guest's create succeeded but its demote failed: a full member, reported as drift.
  void ReportFullMember(const Action& guest, const Status& demote);
  // Looks up an account a create may have made: by username (email must match too), then
  // by email (username must match). NotFound when no such account exists.
  // `nobody_holds_it` (optional) is set true only when both the username and the email lookups
  // answered NotFound, so a repeated create cannot collide with or duplicate any account.
  Result<User> FindCreated(const std::string& username, const std::string& email,
                           bool* nobody_holds_it = nullptr);
  Status ResolveOne(const JournalEntry& entry, Ledger* ledger);
  // executor_membership.cc: batch team joins before the per-person pass, and one membership
  // action (using the batch's answer for a join when it has one).
  void PrejoinTeams(const Plan& plan);
  Status SendMembership(const Action& action, std::string* note);
  // A full team (MaxUsersPerTeam): once the server refused a join as "max_accounts", the
  // team's other joins (and the refused people's channel joins in it) are not sent but held
  // (outcome.action.held, audited "held"); ReportFullTeams counts them and adds one
  // attention line per team. HoldForFullTeam is called before sending, NoteRefusedJoin after.
  bool HoldForFullTeam(const Action& action, ActionOutcome* out);
  void NoteRefusedJoin(const Action& action, ActionOutcome* out);
  // The record of a join the server refused as "max_accounts" says "held" (not "failed"),
  // with the full team's hold reason, as HoldForFullTeam's records do.
  static void HoldRefusedJoinRecord(const Action& action, const Status& sent, AuditRecord* rec);
  void ReportFullTeams(const Plan& plan, ExecutionReport* report);
  void VerifyPerson(const std::vector<Verified>& done);
  // executor_apply.cc: Apply's parts. People: those with unheld actions, in order of their
  // first action; their action indexes; each one's working ledger entry (only that person's
  // worker touches it); and whether the stored entry must stay as it is (keep_stored).
  struct People {
    std::vector<std::string> keys;
    std::map<std::string, std::vector<size_t>> groups;
    std::map<std::string, LedgerEntry> working;
    std::map<std::string, bool> keep;
  };
  // Sizes report->outcomes, audits the held actions and groups the others by person.
  People GroupByPerson(const Plan& plan, const Ledger& stored, ExecutionReport* report);
  void RunPeople(const Plan& plan, const Ledger& stored, People* people,
                 ExecutionReport* report);  // ApplyPerson on options_.concurrency threads
  // Writes the ledger as applied (report->ledger_status).
  void WriteLedger(const Plan& plan, const Ledger& stored, People* people, ExecutionReport* report);
  void Progress();
  AuditRecord MakeAudit(const Action& action, const std::string& user_id,
                        const Status& status, AuditResult result) const;
  void WriteSink(const AuditRecord& record);
  // True when the newest audit record of this person's action is this same hold (same
  // reason and changes) and, for a person in the ledger, the hold did not lapse since (the
  // entry's `reported` still holds "held:<action>"): a hold is audited when it starts, when
  // its reason changes and when it comes back after it lapsed.
  bool HeldAlreadyAudited(const AuditRecord& held, const Ledger& stored);
  // Records in `changed` which actions of whom are held now ("held:<action>" in `reported`)
  // and drops the marks of holds that lapsed (only for people the plan covers and keeps).
  void MarkHolds(const Plan& plan, const Ledger& stored,
                 const std::vector<std::string>& removed_keys, Ledger* changed) const;

  UsersApi& api_;
  StateStore& store_;
  AuditSink* audit_;
  const Clock& clock_;
  ExecutorOptions options_;
  std::mutex mu_;                    // guards drift_, state_status_ and progress counting
  std::vector<std::string> drift_;
  Status state_status_;              // the first state-store failure of this Apply
  std::atomic<bool> state_failed_{false};
  void StateFailed(const Status& status);  // records it; no new action starts after it
  int done_ = 0;
  int total_ = 0;
  // "team_id/user_id" -> the batch add's answer (PrejoinTeams); read-only while workers run.
  std::map<std::string, Status> batch_joined_;
  std::mutex full_mu_;                        // guards the two below
  std::map<std::string, std::string> full_;  // team id -> name: the server said it is full
  std::set<std::string> refused_;             // "team_id/user_id" joins refused as full
};

// A password for a new email/password account that the server's policy accepts: at least
// one lowercase letter, uppercase letter, digit and symbol (from the server's symbol set),
// max(32, policy.min_length) characters, at most 72. Never logged, stored or audited.
std::string GeneratePassword(const PasswordPolicy& policy);

// The server's answer to a create or patch (`answer`), held against what `action` asked.
// `entry` already records ActionSetValues(action); `before` is its set_values before the
// action. The entry is corrected to what the server stored: a value stored differently is
// recorded with set_values["requested:<field>"] = what was asked (the planner does not send
// it again) and reported in `drift`; an email the server kept while the new one awaits
// verification leaves set_values["email_pending"] = the new email and `note` saying so.
// `as_stored` is the action with the server's values, for the read-back check.
void RecordServerAnswer(const Action& action, const User& answer,
                        const std::map<std::string, std::string>& before, LedgerEntry* entry,
                        std::vector<std::string>* drift, std::string* note, Action* as_stored);

// The journal payload of an action: ActionToJson (sync/plan_json.h), the same document as
// `plan --json` uses, never a password. Decoded by state/audit_json.h ActionFromJson.
// (Provenance of an applied action: ActionSetValues / RecordAppliedAction, sync/plan.h.)
std::string ActionJournalPayload(const Action& action);

// Drift between what `action` asked for and `user` as read back; empty when none or when
// the API cannot show it (auth_data, email_verified).
std::vector<std::string> ActionDrift(const Action& action, const User& user);

// POST /users/ids takes at most this many ids per request here (the listing's page size).
inline constexpr size_t kMaxIdsPerLookup = 200;

// The ledger's user ids that `users` (a listing) lacks are looked up with POST /users/ids,
// in chunks of kMaxIdsPerLookup; the accounts the server still has are appended to `users`
// (`confirmed` counts them). Only ids the server does not return are gone. A listing can
// miss an account that a rename moved across a page boundary. On failure `users` is
// unchanged and nothing may be planned from it.
Status ConfirmUnlisted(UsersApi& api, const Ledger& ledger, std::vector<User>* users,
                       int* confirmed = nullptr);

}  // namespace rostersync

#endif  // ROSTERSYNC_SYNC_EXECUTOR_H_
