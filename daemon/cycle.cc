#include "daemon/cycle.h"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <unordered_set>
#include <random>

#include "config/config_loader.h"
#include "daemon/create_confirm.h"
#include "daemon/exit_codes.h"
#include "daemon/guards.h"
#include "daemon/held_sets.h"
#include "daemon/wiring.h"
#include "roster/csv_settle.h"
#include "roster/roster_loader.h"
#include "sync/listing_guard.h"
#include "sync/membership_planner.h"
#include "sync/plan_acceptance.h"
#include "sync/planner.h"
#include "sync/text.h"

namespace rostersync::daemon {

std::string NewRunId(int64_t now_ms) {
  std::string ts = UtcTimestamp(now_ms);  // 2026-11-29T13:02:23Z
  std::string compact;
  for (char c : ts) {
    if (c != '-' && c != ':') compact += c;
  }
  static thread_local std::mt19937 rng(std::random_device{}());
  char suffix[8];
  std::snprintf(suffix, sizeof suffix, "%04x", static_cast<unsigned>(rng() & 0xffff));
  return compact + "-" + suffix;
}

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

}  // namespace

std::string CycleSummary(const CycleResult& r) {
  std::string out = (r.applied ? "sync " : "plan ") + r.result;
  if (!r.status.ok()) return out + " at " + r.stage + ": " + r.status.ToString();
  if (r.applied) {
    out += ": " + std::to_string(r.report.ok) + " applied, " + std::to_string(r.report.failed) +
           " failed, " + std::to_string(r.report.held) + " held";
  } else if (r.planned) {
    out += ": " + std::to_string(r.plan.CountActive()) + " changes, " +
           std::to_string(r.plan.CountHeld()) + " held";
  }
  return out;
}

CycleRunner::CycleRunner(Config config, const Clock& clock)
    : config_(std::move(config)), clock_(clock) {}

CycleRunner::CycleRunner(Config config, UsersApi* api, StateStore* store, AuditSink* audit,
                         const Clock& clock)
    : config_(std::move(config)), clock_(clock), api_(api), store_(store), audit_(audit) {}

CycleRunner::~CycleRunner() = default;

void CycleRunner::ReopenAudit() {
  if (reopen_audit_) reopen_audit_();
}

void CycleRunner::Finish(CycleResult* r, const CycleRequest& request) const {
  CycleOutcome outcome;
  outcome.error = !r->status.ok();
  outcome.plan_only = !request.apply;
  outcome.detailed = request.detailed_exitcode;
  if (r->planned) {
    outcome.active_changes = r->plan.CountActive();
    outcome.held = r->plan.CountHeld();
    outcome.holds = static_cast<int>(r->plan.holds.size());
    outcome.attention = static_cast<int>(r->plan.attention.size());
  }
  if (r->applied) {
    outcome.failed = r->report.failed;
    outcome.held = r->report.held;
  }
  r->exit_code = ExitCodeFor(outcome);
  r->result = ResultLabel(r->exit_code);
  r->seconds = static_cast<double>(clock_.NowMs() - r->started_ms) / 1000.0;
  r->roster.entries.clear();
  r->roster.entries.shrink_to_fit();
}

CycleResult CycleRunner::Run(const CycleRequest& request) {
  CycleResult r;
  r.started_ms = clock_.NowMs();
  r.run_id = NewRunId(r.started_ms);
  RunRecord run;
  run.run_id = r.run_id;
  run.command = request.command;
  run.started_ms = r.started_ms;
  run.result = "running";
  bool run_begun = false;

  auto fail = [&](const char* stage, const Status& raw) {
    // A "user:password@" in mattermost.url never reaches a message.
    const Status status(raw.code(), ScrubUrlPassword(raw.message(), config_.mattermost.url));
    r.stage = stage;
    r.status = status;
    r.unauthorized = status.IsUnauthorized();
    Finish(&r, request);
    spdlog::error("cycle {} stopped at {}: {}", r.run_id, stage, status.ToString());
    if (run_begun) {
      run.finished_ms = clock_.NowMs();
      run.result = r.result;
      run.exit_code = r.exit_code;
      run.message = std::string(stage) + ": " + status.ToString();
      if (r.capabilities.known) run.server = r.capabilities.Summary();
      Status s = store_->FinishRun(run);
      if (!s.ok()) spdlog::error("cannot record run {}: {}", r.run_id, s.ToString());
    }
    return std::move(r);
  };

  if (api_ == nullptr || store_ == nullptr) {
    return fail("state", Status::Internal("cycle runner built without api or state store"));
  }
  if (config_.mattermost.insecure_skip_verify) {
    spdlog::warn("mattermost.insecure_skip_verify is true: TLS certificates are NOT verified");
  }
  if (request.apply) {
    Status s = store_->BeginRun(run);
    if (!s.ok()) {
      return fail("state", s.Annotate("cannot record the run in state.database; check that "
                                      "the database is reachable and writable"));
    }
    run_begun = true;
    ExecutorOptions resolve_options;
    resolve_options.concurrency = 1;
    resolve_options.run_id = r.run_id;
    resolve_options.decode_action = decode_action_;
    resolve_options.stop = stop_;
    Executor resolver(*api_, *store_, audit_, clock_, resolve_options);
    s = resolver.ResolvePending();
    if (!s.ok()) {
      return fail("journal", s.Annotate("resolving actions left pending by an interrupted run "
                                        "(nothing new is applied until they are resolved)"));
    }
  }

  // A CSV export still being written is waited for, never read half-written (csv_settle.h).
  if (Status settled = WaitForRosterToSettle(config_.roster, stop_); !settled.ok()) {
    return fail("roster", settled);
  }
  Result<std::optional<RosterFingerprint>> last = store_->LastAcceptedRoster();
  if (!last.ok()) return fail("state", last.status());
  Result<std::unique_ptr<RosterSource>> source = MakeRosterSource(config_.roster);
  if (!source.ok()) return fail("roster", source.status());
  const std::string where = (*source)->Describe();
  Result<Roster> roster = LoadRoster(**source, config_, *last, clock_.NowMs());
  if (!roster.ok()) {
    return fail("roster",
                roster.status().Annotate("cannot read the roster " + where +
                                         " (nothing was changed; fix the source and run again)"));
  }
  r.roster = std::move(roster).value();
  for (const RowError& e : r.roster.rejected) {
    spdlog::warn("roster row rejected: {}: {}{}", e.where, e.column.empty() ? "" : e.column + ": ",
                 e.reason);
  }
  for (const std::string& reason : r.roster.untrusted_reasons) {
    spdlog::warn("roster not trusted, deactivations held: {}", reason);
  }

  Result<User> me = api_->GetMe();
  if (!me.ok()) {
    Status s = me.status();
    if (s.IsUnauthorized()) {
      s = s.Annotate("the Mattermost token was refused by " + UrlForDisplay(config_.mattermost.url) +
                     "; check mattermost.token_file / token_env holds a valid personal access "
                     "token of a system admin");
    } else {
      s = s.Annotate("cannot reach Mattermost at " + UrlForDisplay(config_.mattermost.url) +
                     "; check mattermost.url and that the server is up");
    }
    return fail("server", s);
  }
  Result<ServerCapabilities> capabilities = api_->GetServerCapabilities();
  if (!capabilities.ok()) {
    return fail("server", capabilities.status().Annotate(
                              "cannot read what " + config_.mattermost.url +
                              " allows (GET /api/v4/config/client and /api/v4/license/client; "
                              "nothing was changed)"));
  }
  r.capabilities = *capabilities;
  spdlog::info("cycle {}: {}", r.run_id, EscapeControl(r.capabilities.Summary()));
  Result<std::vector<User>> users = api_->ListAllUsers();
  if (!users.ok()) {
    return fail("server", users.status().Annotate("listing the users of " + UrlForDisplay(config_.mattermost.url) +
                                                  " failed (nothing was changed)"));
  }
  Result<Ledger> ledger = store_->LoadLedger();
  if (!ledger.ok()) return fail("state", ledger.status());
  // The plausibility guard counts the ledger's active managed users the listing lacks and,
  // of those, the ones POST /users/ids confirms exist (sync/listing_guard.h).
  ListingCheck listing;
  const std::vector<std::string> unlisted_active =
      LedgerIdsMissingFromListing(*ledger, *users, &listing);
  const std::size_t listed_count = users->size();
  int confirmed = 0;
  Status unlisted = ConfirmUnlisted(*api_, *ledger, &*users, &confirmed);
  if (!unlisted.ok()) return fail("server", unlisted.Annotate("nothing was changed"));
  listing.confirmed = CountConfirmed(unlisted_active, *users, listed_count);
  if (confirmed > 0) {
    spdlog::warn("the listing missed {} account(s) the ledger knows; POST /users/ids found them",
                 confirmed);
  }

  PlannerOptions options = ToPlannerOptions(config_);
  options.force = request.force;
  PlannerInput input;
  input.roster = &r.roster;
  input.users = &*users;
  input.ledger = &*ledger;
  input.self_user_id = me->id;
  input.now_ms = clock_.NowMs();
  input.capabilities = &r.capabilities;
  auto make_plan = [&] {
    return request.only_key.empty() ? MakePlan(input, options)
                                    : MakePlanForKey(input, options, request.only_key);
  };
  r.plan = make_plan();
  // A create acts on an absence from the listing: confirm it, and plan again (once) with any
  // account the listing missed, so its row adopts or matches it (create_confirm.h).
  Result<int> missed = FindAccountsForCreates(*api_, r.plan, &*users);
  if (!missed.ok()) return fail("server", missed.status().Annotate("nothing was changed"));
  if (*missed > 0) {
    spdlog::warn("the listing missed {} account(s) the roster would have created; planning "
                 "again with them", *missed);
    r.plan = make_plan();
  }
  // Memberships (membership.*; off unless configured; whole-roster cycles only).
  MembershipApi* membership = dynamic_cast<MembershipApi*>(api_);
  MembershipOptions membership_options = ToMembershipOptions(config_);
  membership_options.force = request.force;
  if (membership != nullptr && !membership_options.rules.empty() && request.only_key.empty()) {
    AddMembershipPlan(*membership, membership_options, r.roster, *users, *ledger, &r.plan);
  }
  // The budget shared across cycles and the grace that counts scheduled cycles (guards.h).
  GuardContext guard{&*ledger, options.policy, config_.schedule.interval_ms, input.now_ms,
                     r.run_id, request.only_key, request.force};
  ApplyWindowGuards(*store_, guard, &r.plan);
  HoldForImplausibleListing(listing, request.force, &r.plan);
  r.planned = true;
  for (const Hold& hold : r.plan.holds) spdlog::warn("held: {}", EscapeControl(hold.message));
  for (const Attention& item : r.plan.attention) {
    spdlog::warn("attention: {}", EscapeControl(item.message));
  }

  if (!request.apply) {
    Finish(&r, request);
    return r;
  }
  if (stop_ != nullptr && stop_->stop_requested()) {
    return fail("apply", Status::Transient("rostersync is stopping: nothing was applied"));
  }
  if (request.before_apply) {
    if (Status s = request.before_apply(&r.plan); !s.ok()) return fail("approve", s);
  }

  ExecutorOptions exec_options;
  exec_options.concurrency = config_.mattermost.concurrency;
  exec_options.run_id = r.run_id;
  exec_options.decode_action = decode_action_;
  exec_options.capabilities = r.capabilities;
  exec_options.membership = membership;
  exec_options.stop = stop_;
  exec_options.only_key = request.only_key;
  if (request.progress) {
    exec_options.on_progress = [](int done, int total) {
      std::fprintf(stderr, "\rapplying %d/%d", done, total);
      if (done == total) std::fputc('\n', stderr);
      std::fflush(stderr);
    };
  }
  Executor executor(*api_, *store_, audit_, clock_, exec_options);
  r.report = executor.Apply(r.plan);
  r.applied = true;
  for (const std::string& d : r.report.drift) spdlog::warn("drift after apply: {}", d);
  if (!r.report.ledger_status.ok()) {
    return fail("ledger", r.report.ledger_status.Annotate(
                              "actions were applied but the ledger could not be saved"));
  }
  bool whole_roster = request.only_key.empty();
  if (whole_roster) {  // what is held now waits for an approval (held_sets.h)
    Result<HeldSetRecord> held = RecordHeldSet(*store_, r.plan, r.run_id, clock_.NowMs());
    if (!held.ok()) spdlog::error("cannot record the held set: {}", held.status().ToString());
    if (held.ok()) {
      r.held_id = held->held_id;
      r.held_decision = held->decision;
    }
  }
  if (whole_roster && AcceptRosterAsBaseline(r.roster, r.plan, &r.report)) {
    Status s = store_->SaveAcceptedRoster(AcceptedFingerprint(r.roster, clock_.NowMs()));
    if (!s.ok()) spdlog::error("cannot save the accepted roster fingerprint: {}", s.ToString());
  }
  Finish(&r, request);
  run.finished_ms = clock_.NowMs();
  run.result = r.result;
  run.exit_code = r.exit_code;
  run.actions_ok = r.report.ok;
  run.actions_failed = r.report.failed;
  run.actions_held = r.report.held;
  run.roster_rows = r.plan.roster_rows;
  run.rejected_rows = r.plan.rejected_rows;
  run.message = CycleSummary(r);
  if (r.capabilities.known) run.server = r.capabilities.Summary();
  Status s = store_->FinishRun(run);
  if (!s.ok()) spdlog::error("cannot record run {}: {}", r.run_id, s.ToString());
  return r;
}

}  // namespace rostersync::daemon
