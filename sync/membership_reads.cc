// AddMembershipPlan (membership_planner.h): resolves the rules' team and channel names once
// per cycle and reads the memberships of the people involved, then plans. Only
// POST .../members/ids reads: one request per 200 people per team or channel, never one per
// person, and never a whole member list.
#include <algorithm>
#include <set>

#include "sync/membership_planner.h"

namespace rostersync {
namespace {

using Target = MembershipTarget;

Target FromTeam(const std::string& name, const Result<TeamRef>& team) {
  Target t;
  t.team = name;
  if (!team.ok()) return t;  // kMissing
  t.id = team->id;
  t.team_id = team->id;
  t.state = team->archived            ? Target::State::kArchived
            : team->group_constrained ? Target::State::kGroupConstrained
                                      : Target::State::kOk;
  return t;
}

// Resolves every team and channel the people's desired memberships name. A lookup error other
// than NotFound is returned (the cycle's memberships are then skipped).
Status Resolve(MembershipApi& api, const std::set<std::pair<std::string, std::string>>& names,
               std::vector<Target>* targets) {
  std::map<std::string, Target> teams;
  for (const auto& [team, channel] : names) {
    if (teams.count(team)) continue;
    auto found = api.FindTeam(team);
    if (!found.ok() && !found.status().IsNotFound()) {
      return found.status().Annotate("looking up team " + team);
    }
    teams[team] = FromTeam(team, found);
    targets->push_back(teams[team]);
  }
  for (const auto& [team, channel] : names) {
    if (channel.empty()) continue;
    const Target& owner = teams[team];
    Target t;
    t.team = team;
    t.channel = channel;
    t.team_id = owner.team_id;
    if (owner.state != Target::State::kOk) {
      t.state = owner.state;  // reported through the team
      targets->push_back(t);
      continue;
    }
    auto found = api.FindChannel(owner.id, channel);
    if (!found.ok() && !found.status().IsNotFound()) {
      return found.status().Annotate("looking up channel " + team + "/" + channel);
    }
    if (found.ok()) {
      t.id = found->id;
      t.state = found->archived            ? Target::State::kArchived
                : found->group_constrained ? Target::State::kGroupConstrained
                                           : Target::State::kOk;
    }
    targets->push_back(t);
  }
  return Status::Ok();
}

}  // namespace

void AddMembershipPlan(MembershipApi& api, const MembershipOptions& options, const Roster& roster,
                       const std::vector<User>& users, const Ledger& ledger, Plan* plan) {
  if (options.rules.empty()) return;
  MembershipInput input;
  input.ledger = &ledger;
  input.people = MembershipPeople(roster, users, ledger, *plan);
  std::set<std::pair<std::string, std::string>> names;
  for (const MembershipPerson& p : input.people) {
    for (auto& name : DesiredMemberships(options.rules, *p.entry)) names.insert(name);
  }
  // Teams and channels the config names but nobody is in any more (a renamed department):
  // under sync their members may have to leave, so they are resolved too when rostersync
  // added memberships to them. Only fixed names (no template) can be known here.
  for (const MembershipRule& rule : options.rules) {
    if (rule.channel.find('{') == std::string::npos) {
      names.insert({rule.team, ""});
      if (!rule.channel.empty()) names.insert({rule.team, rule.channel});
    }
  }
  // What rostersync added earlier is found again by the name the ledger recorded ("team" or
  // "team/channel"), even when no template produces it any more (a renamed department); only
  // in teams the rules still name (a team dropped from the config is left alone).
  std::set<std::string> configured;
  for (const MembershipRule& rule : options.rules) configured.insert(rule.team);
  for (const MembershipPerson& p : input.people) {
    auto entry = ledger.find(p.entry->key);
    if (entry == ledger.end()) continue;
    for (const auto& [field, value] : entry->second.set_values) {
      if (!IsAddedValue(value) || value == "true" || field.compare(0, 7, "member:") != 0) continue;
      const size_t slash = value.find('/');
      if (configured.count(value.substr(0, slash)) == 0) continue;
      names.insert({value.substr(0, slash), ""});
      if (slash != std::string::npos) names.insert({value.substr(0, slash), value.substr(slash + 1)});
    }
  }
  auto fail = [&](const Status& s) {
    plan->attention.push_back({"membership", "", "membership not planned this cycle: " +
                                                     s.ToString()});
  };
  Status s = Resolve(api, names, &input.targets);
  if (!s.ok()) return fail(s);
  // Each person is read only for the targets they should be in and those the ledger says
  // rostersync added them to (the only ones it may remove).
  // target id -> user ids to read: a vector, sorted and deduplicated once below (a set per
  // target costs a tree node per person and a second copy for the request).
  std::map<std::string, std::vector<std::string>> readers;
  std::map<std::string, const Target*> by_id;
  std::map<std::pair<std::string, std::string>, const Target*> by_name;
  for (const Target& t : input.targets) {
    if (t.state != Target::State::kOk) continue;
    by_id[t.id] = &t;
    by_name[{t.team, t.channel}] = &t;
  }
  for (const MembershipPerson& p : input.people) {
    if (p.user_id.empty()) continue;
    for (const auto& name : DesiredMemberships(options.rules, *p.entry)) {
      if (auto it = by_name.find(name); it != by_name.end()) readers[it->second->id].push_back(p.user_id);
    }
    auto entry = ledger.find(p.entry->key);
    if (entry == ledger.end()) continue;
    for (const auto& [field, value] : entry->second.set_values) {
      if (!IsAddedValue(value) || field.compare(0, 7, "member:") != 0) continue;
      const std::string id = field.substr(field.find(':', 7) + 1);
      if (by_id.count(id)) readers[id].push_back(p.user_id);
    }
  }
  for (auto& [id, ids] : readers) {
    const Target& t = *by_id[id];
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    auto members = t.channel.empty() ? api.TeamMembersAmong(id, ids)
                                     : api.ChannelMembersAmong(id, ids);
    if (!members.ok()) {
      return fail(members.status().Annotate("reading the members of " +
                                            (t.channel.empty() ? t.team : t.team + "/" + t.channel)));
    }
    input.members[id] = std::set<std::string>(members->begin(), members->end());
    std::vector<std::string>().swap(ids);  // read: not needed any more
  }
  PlanMemberships(input, options, plan);
}

}  // namespace rostersync
