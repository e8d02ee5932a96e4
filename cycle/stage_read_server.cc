// Stage "read server" (docs/design.md, "One cycle"): the token's own user, what the server
// allows, whether the cycle is full or incremental (an incremental one continues in
// stage_read_delta.cc), every user, the ledger (loaded once: the planner and the executor
// both use it), and the ledger's ids the listing missed, confirmed with POST /users/ids. Any
// failure stops the cycle before anything is planned.
#include <unordered_set>

#include "cycle/stages.h"
#include "sync/executor.h"
#include "sync/text.h"

namespace rostersync::cycle {
namespace {

// How many of `ids` are among users[from..] (the accounts POST /users/ids added).
std::size_t CountConfirmed(const std::vector<std::string>& ids, const std::vector<User>& users,
                           std::size_t from) {
  std::unordered_set<std::string> added;
  for (std::size_t i = from; i < users.size(); ++i) added.insert(users[i].id);
  std::size_t n = 0;
  for (const std::string& id : ids) n += added.count(id);
  return n;
}

bool ReadMe(CycleContext* c) {
  Result<User> me = c->deps.api->GetMe();
  if (me.ok()) {
    c->me = std::move(me).value();
    return true;
  }
  Status s = me.status();
  if (s.IsUnauthorized()) {
    s = s.Annotate("the Mattermost token was refused by " + c->options.server +
                   "; check mattermost.token_file / token_env holds a valid personal access "
                   "token of a system admin");
  } else {
    s = s.Annotate("cannot reach Mattermost at " + c->options.server +
                   "; check mattermost.url and that the server is up");
  }
  return c->Stop("server", s);
}

// Full or incremental (cycle/users_snapshot.h); an incremental cycle with more rows to look
// up by email than kMaxDeltaEmailLookups is full instead. Sets c->kind, the result's kind
// and *lookups. A whole-roster applied cycle that lists every account drops the old snapshot
// first: two copies of every account are never held at once.
void DecideKind(CycleContext* c, RowLookups* lookups) {
  KindInput in;
  in.snapshot = c->deps.snapshot;
  in.apply = c->request.apply;
  in.whole_roster = c->request.only_key.empty();
  in.full_requested = c->request.full;
  in.full_every_ms = c->options.full_every_ms;
  in.now_ms = c->result.started_ms;
  in.server_time_ms = c->server_time_ms;
  KindDecision d = DecideCycleKind(in);
  if (d.kind == CycleKind::kIncremental) {
    *lookups = LookupsFor(c->result.roster, c->deps.snapshot->users);
    if (lookups->emails.size() > kMaxDeltaEmailLookups) {
      d = {CycleKind::kFull, std::to_string(lookups->emails.size()) +
                                 " roster rows to look up by email: a listing is cheaper"};
    }
  }
  c->kind = d.kind;
  c->result.cycle_kind = ToString(d.kind);
  c->result.cycle_kind_reason = d.reason;
  c->deps.log->Info("cycle " + c->result.run_id + ": " + ToString(d.kind) + " cycle (" +
                    d.reason + ")");
  if (d.kind == CycleKind::kFull && in.snapshot != nullptr && in.apply && in.whole_roster) {
    c->deps.snapshot->Invalidate();
  }
}

}  // namespace

bool ReadServer(CycleContext* c) {
  if (!ReadMe(c)) return false;
  c->server_time_ms = c->deps.api->LastServerTimeMs();
  UsersApi& api = *c->deps.api;
  Result<ServerCapabilities> capabilities = api.GetServerCapabilities();
  if (!capabilities.ok()) {
    return c->Stop("server", capabilities.status().Annotate(
                                 "cannot read what " + c->options.server +
                                 " allows (GET /api/v4/config/client and /api/v4/license/client; "
                                 "nothing was changed)"));
  }
  c->result.capabilities = *capabilities;
  c->deps.log->Info("cycle " + c->result.run_id + ": " +
                    EscapeControl(c->result.capabilities.Summary()));
  RowLookups lookups;
  DecideKind(c, &lookups);
  if (c->kind == CycleKind::kIncremental) return ReadServerIncremental(c, lookups);
  Result<std::vector<User>> users = api.ListAllUsers();
  if (!users.ok()) {
    return c->Stop("server", users.status().Annotate("listing the users of " + c->options.server +
                                                     " failed (nothing was changed)"));
  }
  c->users = std::move(users).value();
  Result<Ledger> ledger = c->deps.store->LoadLedger();
  if (!ledger.ok()) return c->Stop("state", ledger.status());
  c->ledger = std::move(ledger).value();
  // The plausibility guard counts the ledger's active managed users the listing lacks and,
  // of those, the ones POST /users/ids confirms exist (sync/listing_guard.h).
  const std::vector<std::string> unlisted_active =
      LedgerIdsMissingFromListing(c->ledger, c->users, &c->listing);
  const std::size_t listed_count = c->users.size();
  int confirmed = 0;
  Status unlisted = ConfirmUnlisted(api, c->ledger, &c->users, &confirmed);
  if (!unlisted.ok()) return c->Stop("server", unlisted.Annotate("nothing was changed"));
  c->listing.confirmed = CountConfirmed(unlisted_active, c->users, listed_count);
  if (confirmed > 0) {
    c->deps.log->Warn("the listing missed " + std::to_string(confirmed) +
                      " account(s) the ledger knows; POST /users/ids found them");
  }
  return true;
}

}  // namespace rostersync::cycle
