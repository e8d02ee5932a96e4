// Stage "plan" (docs/design.md, "One cycle"): the planner over the roster, the users and the
// ledger; the absence behind each planned create confirmed (cycle/create_confirm.h, then one
// plan again with what was found); memberships; the window guards (cycle/guards.h) and the
// implausible-listing hold. Holds and attention items are logged.
#include "cycle/create_confirm.h"
#include "cycle/guards.h"
#include "cycle/stages.h"
#include "sync/membership_planner.h"
#include "sync/plan_printer.h"
#include "sync/planner.h"
#include "sync/text.h"

namespace rostersync::cycle {

bool MakeCyclePlan(CycleContext* c) {
  const CycleRequest& request = c->request;
  CycleResult& r = c->result;
  PlannerOptions options = c->options.planner;
  options.force = request.force;
  // Only a listing shows the accounts no row or ledger entry names: an incremental cycle
  // leaves policy.unmatched_accounts to the next full one (cycle/users_snapshot.h).
  const bool incremental = c->kind == CycleKind::kIncremental;
  if (incremental) options.policy.unmatched_accounts = UnmatchedMode::kLeave;
  PlannerInput input;
  input.roster = &r.roster;
  input.users = &c->users;
  input.ledger = &c->ledger;
  input.self_user_id = c->me.id;
  input.now_ms = c->deps.env->NowMs();
  input.capabilities = &r.capabilities;
  auto make_plan = [&] {
    return request.only_key.empty() ? MakePlan(input, options)
                                    : MakePlanForKey(input, options, request.only_key);
  };
  r.plan = make_plan();
  // A create acts on an absence from the listing: confirm it, and plan again (once) with any
  // account the listing missed, so its row adopts or matches it (create_confirm.h). An
  // incremental read has just looked up every row no known account names: nothing to add.
  Result<int> missed =
      incremental ? Result<int>(0) : FindAccountsForCreates(*c->deps.api, r.plan, &c->users);
  if (!missed.ok()) return c->Stop("server", missed.status().Annotate("nothing was changed"));
  if (*missed > 0) {
    c->deps.log->Warn("the listing missed " + std::to_string(*missed) +
                      " account(s) the roster would have created; planning again with them");
    r.plan = make_plan();
  }
  // Memberships (membership.*; off unless configured; whole-roster cycles only).
  MembershipApi* membership = dynamic_cast<MembershipApi*>(c->deps.api);
  MembershipOptions membership_options = c->options.membership;
  membership_options.force = request.force;
  if (membership != nullptr && !membership_options.rules.empty() && request.only_key.empty()) {
    AddMembershipPlan(*membership, membership_options, r.roster, c->users, c->ledger, &r.plan);
  }
  if (c->options.revoke_tokens_on_deactivate) NoteTokenRevocations(&r.plan);  // plan_printer.h
  // The budget shared across cycles and the grace that counts scheduled cycles (guards.h).
  GuardContext guard{&c->ledger, options.policy, c->options.interval_ms, input.now_ms,
                     r.run_id,   request.only_key, request.force};
  ApplyWindowGuards(*c->deps.store, guard, &r.plan);
  HoldForImplausibleListing(c->listing, request.force, &r.plan);
  if (incremental) r.plan.notices.push_back(kIncrementalNotice);
  r.plan.incremental = incremental;
  r.planned = true;
  for (const Hold& hold : r.plan.holds) c->deps.log->Warn("held: " + EscapeControl(hold.message));
  for (const Attention& item : r.plan.attention) {
    c->deps.log->Warn("attention: " + EscapeControl(item.message));
  }
  return true;
}

}  // namespace rostersync::cycle
