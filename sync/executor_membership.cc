// Executor, memberships: team joins are sent in batches of at most MembershipApi::kMaxBatch
// before the per-person pass (a person's join_team then uses the batch's answer, or falls
// back to a single add); channel joins and leaves go one by one. The server's answer is
// trusted: a channel removal that finds no membership is done, a team removal first
// confirms the membership is current (leaving a team twice is an error on the server).
// A full team (TeamSettings.MaxUsersPerTeam) is one attention line, not a failure per person:
// after the first "max_accounts" answer no further join of that team is sent.
#include <algorithm>
#include <unordered_set>

#include "sync/executor.h"

namespace rostersync {
namespace {

std::string BatchKey(const std::string& team_id, const std::string& user_id) {
  return team_id + "/" + user_id;
}

bool IsMaxAccounts(const std::string& error_id) {
  return error_id.find("max_accounts") != std::string::npos;
}

Status FullTeam(const std::string& team, Status from) {
  Status s = Status::Invalid("team " + team +
                             " is full: raise TeamSettings.MaxUsersPerTeam (the server's "
                             "limit on members per team) or remove members by hand");
  return s.WithHttp(from.http_status(), from.request_id(), from.error_id());
}

// The reason a join is held while its team is full.
std::string FullTeamReason(const Action& a) {
  return "team " + a.team + " is full (TeamSettings.MaxUsersPerTeam)" +
         (a.type == ActionType::kJoinChannel ? ": not a member of the team" : "");
}

}  // namespace

void Executor::PrejoinTeams(const Plan& plan) {
  batch_joined_.clear();
  {
    std::lock_guard<std::mutex> lock(full_mu_);
    full_.clear();
    refused_.clear();
  }
  if (options_.membership == nullptr) return;
  std::map<std::string, std::vector<std::string>> by_team;  // team id -> user ids, plan order
  std::map<std::string, std::unordered_set<std::string>> seen;  // to drop repeats in O(1)
  std::map<std::string, std::string> team_names;
  for (const Action& a : plan.actions) {
    if (a.held || a.type != ActionType::kJoinTeam || a.user_id.empty()) continue;
    if (seen[a.team_id].insert(a.user_id).second) by_team[a.team_id].push_back(a.user_id);
    team_names[a.team_id] = a.team;
  }
  seen.clear();
  MembershipApi& api = *options_.membership;
  for (const auto& [team_id, ids] : by_team) {
    for (size_t at = 0; at < ids.size() && !full_.count(team_id); at += MembershipApi::kMaxBatch) {
      const size_t end = std::min(ids.size(), at + MembershipApi::kMaxBatch);
      std::vector<std::string> chunk(ids.begin() + at, ids.begin() + end);
      auto added = api.AddTeamMembers(team_id, chunk);
      if (added.ok()) {
        for (const MemberAddResult& r : *added) {
          Status s;
          if (!r.ok) {
            s = Status::Invalid(r.message.empty() ? r.error_id : r.message);
            s.WithHttp(0, "", r.error_id);
            if (IsMaxAccounts(r.error_id)) {
              s = FullTeam(team_names[team_id], s);
              full_[team_id] = team_names[team_id];  // no further batch for this team
              refused_.insert(BatchKey(team_id, r.user_id));
            }
          }
          batch_joined_[BatchKey(team_id, r.user_id)] = s;
        }
        continue;
      }
      // The batch failed: some may have been added. Those the read-back shows are done; the
      // rest get a single add in their own turn.
      auto members = api.TeamMembersAmong(team_id, chunk);
      if (!members.ok()) continue;
      for (const std::string& id : *members) batch_joined_[BatchKey(team_id, id)] = Status::Ok();
    }
  }
}

bool Executor::HoldForFullTeam(const Action& a, ActionOutcome* out) {
  if (a.type != ActionType::kJoinTeam && a.type != ActionType::kJoinChannel) return false;
  const std::string key = BatchKey(a.team_id, a.user_id);
  {
    std::lock_guard<std::mutex> lock(full_mu_);
    auto team = full_.find(a.team_id);
    if (team == full_.end()) return false;
    if (a.type == ActionType::kJoinChannel && refused_.count(key) == 0) return false;
    if (a.type == ActionType::kJoinTeam) {
      auto batch = batch_joined_.find(key);
      if (batch != batch_joined_.end() && batch->second.ok()) return false;
      refused_.insert(key);
    }
  }
  out->action.held = true;
  out->action.held_reason = FullTeamReason(a);
  out->status = Status::Ok();
  // Audited once while the team stays full, like a hold of the plan (not every cycle).
  AuditRecord rec = MakeAudit(a, a.user_id, Status::Ok(), AuditResult::kHeld);
  rec.error = out->action.held_reason;
  static const Ledger kNoLedger;
  if (!HeldAlreadyAudited(rec, kNoLedger) && store_.AppendAudit(rec).ok()) WriteSink(rec);
  return true;
}

void Executor::NoteRefusedJoin(const Action& a, ActionOutcome* out) {
  if (a.type != ActionType::kJoinTeam || !IsMaxAccounts(out->status.error_id())) return;
  {
    std::lock_guard<std::mutex> lock(full_mu_);
    full_[a.team_id] = a.team;
    refused_.insert(BatchKey(a.team_id, a.user_id));
  }
  // Audited "held" with the server's answer already (HoldRefusedJoinRecord); counted as held.
  out->action.held = true;
  out->action.held_reason = FullTeamReason(a);
  out->status = Status::Ok();
}

void Executor::HoldRefusedJoinRecord(const Action& a, const Status& sent, AuditRecord* rec) {
  if (a.type != ActionType::kJoinTeam || sent.ok() || !IsMaxAccounts(sent.error_id())) return;
  rec->result = AuditResult::kHeld;  // http_status and request_id stay: the server's refusal
  rec->error = FullTeamReason(a);
}

void Executor::ReportFullTeams(const Plan& plan, ExecutionReport* report) {
  std::map<std::string, std::pair<int, int>> held;  // team name -> team joins, channel joins
  for (size_t i = 0; i < report->outcomes.size(); ++i) {
    const Action& a = report->outcomes[i].action;
    if (!a.held || plan.actions[i].held) continue;  // held by the plan: counted already
    ++report->held;
    auto& counts = held[a.team];
    ++(a.type == ActionType::kJoinTeam ? counts.first : counts.second);
  }
  for (const auto& [team, counts] : held) {
    report->attention.push_back(
        "team " + team + " is full: the server refuses new members above "
        "TeamSettings.MaxUsersPerTeam (default 50); " + std::to_string(counts.first) +
        " team joins and " + std::to_string(counts.second) +
        " channel joins were not made. Raise the setting (System Console > Users and Teams > "
        "Max Users Per Team) or remove members; they are retried next cycle");
  }
}

Status Executor::SendMembership(const Action& a, std::string* note) {
  if (options_.membership == nullptr) {
    return Status::Internal(std::string(ActionName(a.type)) + " of " + a.key +
                            ": membership is not configured in this executor");
  }
  MembershipApi& api = *options_.membership;
  const std::string& id = a.user_id;
  switch (a.type) {
    case ActionType::kJoinTeam: {
      auto it = batch_joined_.find(BatchKey(a.team_id, id));
      if (it != batch_joined_.end()) return it->second;
      Status s = api.AddTeamMember(a.team_id, id);
      if (!s.ok() && IsMaxAccounts(s.error_id())) return FullTeam(a.team, s);
      return s;
    }
    case ActionType::kJoinChannel: return api.AddChannelMember(a.channel_id, id);
    case ActionType::kLeaveChannel: {
      Status s = api.RemoveChannelMember(a.channel_id, id);
      if (s.IsNotFound()) {
        *note = "not a member of the channel any more";
        return Status::Ok();
      }
      return s;
    }
    case ActionType::kLeaveTeam: {
      auto current = api.TeamMembersAmong(a.team_id, {id});
      if (!current.ok()) return current.status().Annotate("confirming the team membership");
      if (current->empty()) {
        *note = "not a member of the team any more";
        return Status::Ok();
      }
      return api.RemoveTeamMember(a.team_id, id);
    }
    default: return Status::Internal("not a membership action");
  }
}

}  // namespace rostersync
