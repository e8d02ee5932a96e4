// Executor: applies a Plan through the UsersApi seam with a write-ahead journal in the
// StateStore, one audit record per applied, failed or held action, and ledger provenance.
// Holds references to the api, store, sink and clock (not owned; they must outlive it).
// Apply and ResolvePending are not reentrant: call them from one thread; they use
// options.concurrency worker threads internally.
#ifndef ROSTERSYNC_SYNC_EXECUTOR_H_
#define ROSTERSYNC_SYNC_EXECUTOR_H_

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "sync/audit_sink.h"
#include "sync/clock.h"
#include "sync/plan.h"
#include "sync/state_store.h"
#include "sync/status.h"
#include "sync/users_api.h"

namespace rostersync {

struct ExecutorOptions {
  int concurrency = 8;       // worker threads (people applied in parallel); <1 means 1
  std::string run_id;        // written into journal entries and audit records
  bool verify_after = true;  // re-read changed users and report drift
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
};

class Executor {
 public:
  Executor(UsersApi& api, StateStore& store, AuditSink* audit_file, const Clock& clock,
           ExecutorOptions options);
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // Resolves journal entries left pending by a crash: a create is looked up by username then
  // email and adopted if found (ledger + one audit record), other actions are checked by
  // reading the user back. What did not happen is marked abandoned (the next plan redoes
  // it). Then re-appends to the audit sink records committed but not copied before the crash.
  // Returns the first error that left an entry pending (do not plan then: a create could
  // be duplicated); safe to retry.
  Status ResolvePending();

  // Applies the plan's non-held actions (held ones get a "held" audit record). Actions of
  // one person run in order; a failure skips that person's later actions only. Persists the
  // plan's ledger delta plus what actually happened (RecordAppliedAction per success); a
  // failed action leaves its fields as they were. ledger_status says if persisting failed.
  ExecutionReport Apply(const Plan& plan);

 private:
  void ApplyPerson(const std::vector<size_t>& indexes, const Plan& plan,
                   const LedgerEntry* stored, std::vector<ActionOutcome>* outcomes,
                   LedgerEntry* entry);
  Status Send(const Action& action, std::string* user_id, std::vector<FieldChange>* extra_changes,
              std::string* note);
  // Looks up an account a create may have made: by username (email must match too), then
  // by email (username must match). NotFound when no such account exists.
  // `nobody_holds_it` (optional) is set true only when both the username and the email lookups
  // answered NotFound, so a repeated create cannot collide with or duplicate any account.
  Result<User> FindCreated(const std::string& username, const std::string& email,
                           bool* nobody_holds_it = nullptr);
  Status ResolveOne(const JournalEntry& entry, Ledger* ledger);
  void VerifyPerson(const std::vector<const ActionOutcome*>& done);
  void Progress();
  AuditRecord MakeAudit(const Action& action, const std::string& user_id,
                        const Status& status, const std::string& result) const;
  void WriteSink(const AuditRecord& record);

  UsersApi& api_;
  StateStore& store_;
  AuditSink* audit_;
  const Clock& clock_;
  ExecutorOptions options_;
  std::mutex mu_;                    // guards drift_ and progress counting
  std::vector<std::string> drift_;
  int done_ = 0;
  int total_ = 0;
};

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
