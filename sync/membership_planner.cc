// The membership planner (membership_planner.h): desired memberships, joins, leaves, the
// max_membership_removals guard. Pure.
#include "sync/membership_planner.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <unordered_map>

#include "sync/text.h"

namespace rostersync {
namespace {

using Target = MembershipTarget;
constexpr char kTownSquare[] = "town-square";
constexpr char kGuard[] = "max_membership_removals";

std::string Attribute(const RosterEntry& e, const std::string& column) {
  auto it = e.attributes.find(column);
  return it == e.attributes.end() ? "" : it->second;
}

bool RuleApplies(const MembershipRule& rule, const RosterEntry& e) {
  if (rule.when_column.empty()) return true;
  const std::string value = Attribute(e, rule.when_column);
  if (!rule.when_equals) return !value.empty();
  return EqualsIgnoreCase(value, *rule.when_equals);
}

// "office-{location}" with location "New York" -> "office-new-york"; "" if a cell is empty.
std::string Expand(const std::string& templ, const RosterEntry& e) {
  std::string out;
  for (size_t i = 0; i < templ.size(); ++i) {
    if (templ[i] != '{') {
      out += templ[i];
      continue;
    }
    const size_t close = templ.find('}', i);
    if (close == std::string::npos) return "";
    const std::string value = Attribute(e, templ.substr(i + 1, close - i - 1));
    if (value.empty()) return "";
    out += value;
    i = close;
  }
  std::string name = Lower(out);
  std::replace(name.begin(), name.end(), ' ', '-');
  return name;
}

std::string Describe(const Target& t) {
  return t.channel.empty() ? "team " + t.team : "channel " + t.team + "/" + t.channel;
}

std::string StateProblem(const Target& t) {
  switch (t.state) {
    case Target::State::kMissing:
      return Describe(t) + " (membership) does not exist on the server: create it or fix the "
                           "name in the config; its memberships are skipped";
    case Target::State::kArchived:
      return Describe(t) + " (membership) is archived: its memberships are skipped";
    case Target::State::kGroupConstrained:
      return Describe(t) + " (membership) is group-constrained (managed by group sync): "
                           "rostersync leaves its memberships alone";
    case Target::State::kOk: break;
  }
  return "";
}

bool AddedByUs(const LedgerEntry* entry, const std::string& kind, const std::string& id) {
  if (entry == nullptr) return false;
  auto it = entry->set_values.find("member:" + kind + ":" + id);
  return it != entry->set_values.end() && IsAddedValue(it->second);
}

class Builder {
 public:
  Builder(const MembershipInput& in, const MembershipOptions& opt, Plan* plan)
      : in_(in), opt_(opt), plan_(plan), first_(plan->actions.size()) {
    for (const Target& t : in.targets) {
      by_name_[{t.team, t.channel}] = &t;
      if (!t.id.empty()) by_id_[t.id] = &t;
    }
  }

  void Run() {
    for (const MembershipPerson& p : in_.people) Person(p);
    for (const auto& [problem, count] : problems_) {
      plan_->attention.push_back({"membership", "", problem + " (" + std::to_string(count) +
                                                        (count == 1 ? " person)" : " people)")});
    }
    std::stable_sort(plan_->attention.begin(), plan_->attention.end(),
                     [](const Attention& a, const Attention& b) { return a.key < b.key; });
    Guard();
    if (opt_.mode == MembershipMode::kReport) Report();
    ForgetChannelsOfLeftTeams();
  }

 private:
  struct Range {
    std::vector<Action>::iterator b, e;
    std::vector<Action>::iterator begin() const { return b; }
    std::vector<Action>::iterator end() const { return e; }
  };
  Range Mine() { return {plan_->actions.begin() + first_, plan_->actions.end()}; }

  bool IsMember(const Target& t, const std::string& user_id) const {
    if (user_id.empty()) return false;
    auto it = in_.members.find(t.id);
    return it != in_.members.end() && it->second.count(user_id) > 0;
  }

  Action Make(ActionType type, const MembershipPerson& p, const Target& t) {
    Action a;
    a.type = type;
    a.key = p.entry->key;
    a.user_id = p.user_id;
    a.username = p.username;
    a.team_id = t.team_id;
    a.team = t.team;
    if (!t.channel.empty()) {
      a.channel_id = t.id;
      a.channel = t.channel;
    }
    // What the audit record shows: the team or "team/channel" joined or left.
    const bool join = type == ActionType::kJoinTeam || type == ActionType::kJoinChannel;
    const std::string what = t.channel.empty() ? t.team : t.team + "/" + t.channel;
    a.changes.push_back({t.channel.empty() ? "team" : "channel", join ? "" : what, join ? what : ""});
    return a;
  }

  // A usable target, or nullptr (a problem is counted once per target and person).
  const Target* Usable(const std::string& team, const std::string& channel) {
    auto it = by_name_.find({team, channel});
    if (it == by_name_.end()) return nullptr;  // not resolved (a read failed)
    if (it->second->state != Target::State::kOk) {
      ++problems_[StateProblem(*it->second)];
      return nullptr;
    }
    return it->second;
  }

  void Person(const MembershipPerson& p) {
    const auto desired = DesiredMemberships(opt_.rules, *p.entry);
    std::set<std::string> wanted_ids;
    std::vector<Action> joins_team, joins_channel, leaves_channel, leaves_team;
    std::set<std::string> team_ok;
    for (const auto& [team, channel] : desired) {
      const Target* t = Usable(team, channel);
      if (t == nullptr) continue;
      if (!channel.empty() && team_ok.count(team) == 0) continue;  // its team is unusable
      if (channel.empty()) team_ok.insert(team);
      wanted_ids.insert(t->id);
      if (IsMember(*t, p.user_id)) continue;
      auto& list = channel.empty() ? joins_team : joins_channel;
      list.push_back(Make(channel.empty() ? ActionType::kJoinTeam : ActionType::kJoinChannel, p, *t));
    }
    const LedgerEntry* entry = nullptr;
    if (in_.ledger != nullptr) {
      auto it = in_.ledger->find(p.entry->key);
      if (it != in_.ledger->end()) entry = &it->second;
    }
    if (opt_.mode != MembershipMode::kAdd && !p.user_id.empty()) {
      std::set<std::string> teams_left;
      for (const Target& t : in_.targets) {
        if (t.state != Target::State::kOk || !t.channel.empty() || wanted_ids.count(t.id)) continue;
        if (!AddedByUs(entry, "team", t.id) || !IsMember(t, p.user_id)) continue;
        leaves_team.push_back(Make(ActionType::kLeaveTeam, p, t));
        teams_left.insert(t.id);
      }
      for (const Target& t : in_.targets) {
        if (t.state != Target::State::kOk || t.channel.empty() || wanted_ids.count(t.id)) continue;
        if (t.channel == kTownSquare || teams_left.count(t.team_id)) continue;
        if (!AddedByUs(entry, "channel", t.id) || !IsMember(t, p.user_id)) continue;
        leaves_channel.push_back(Make(ActionType::kLeaveChannel, p, t));
      }
    }
    for (auto* list : {&joins_team, &joins_channel, &leaves_channel, &leaves_team}) {
      std::move(list->begin(), list->end(), std::back_inserter(plan_->actions));
    }
  }

  // Removals above max_removals are held; the base is the memberships rostersync added.
  void Guard() {
    int removals = 0;
    for (const Action& a : Mine()) {
      removals += a.type == ActionType::kLeaveTeam || a.type == ActionType::kLeaveChannel;
    }
    if (removals == 0 || opt_.force || opt_.mode == MembershipMode::kReport) return;
    int base = 0;
    if (in_.ledger != nullptr) {
      for (const auto& [key, entry] : *in_.ledger) {
        for (const auto& [field, value] : entry.set_values) {
          base += IsAddedValue(value) && field.compare(0, 7, "member:") == 0;
        }
      }
    }
    const Threshold& max = opt_.max_removals;
    const double limit = max.percent ? std::floor(base * max.value / 100.0) : max.value;
    if (removals <= limit) return;
    const std::string limit_text =
        max.percent ? std::to_string(static_cast<int>(max.value)) + "%" : std::to_string(static_cast<int>(max.value));
    const std::string why = std::to_string(removals) + " membership removals (of " +
                            std::to_string(base) +
                            " memberships rostersync added) exceed policy.max_membership_removals=" +
                            limit_text + "; check the roster (a renamed department?) or run with --force";
    for (Action& a : Mine()) {
      if (a.type != ActionType::kLeaveTeam && a.type != ActionType::kLeaveChannel) continue;
      a.held = true;
      a.held_reason = std::string(kGuard) + ": " + why;
    }
    plan_->holds.push_back({kGuard, removals, why});
  }

  // Leaving a team removes its channels on the server: the ledger stops claiming them, so a
  // later hand-made membership of those channels is never taken for rostersync's.
  void ForgetChannelsOfLeftTeams() {
    if (in_.ledger == nullptr) return;
    for (const Action& a : Mine()) {
      if (a.type != ActionType::kLeaveTeam || a.held) continue;
      auto stored = in_.ledger->find(a.key);
      if (stored == in_.ledger->end()) continue;
      auto it = plan_->ledger_after.find(a.key);
      LedgerEntry& entry =
          it != plan_->ledger_after.end() ? it->second : (plan_->ledger_after[a.key] = stored->second);
      const std::string prefix = a.team + "/";
      for (auto& [field, value] : entry.set_values) {
        if (field.compare(0, 15, "member:channel:") == 0 && value.compare(0, prefix.size(), prefix) == 0) {
          value = "false";
        }
      }
    }
  }

  // policy.membership report: nothing is applied; the counts are a notice.
  void Report() {
    int joins = 0, leaves = 0;
    for (const Action& a : Mine()) {
      (a.type == ActionType::kJoinTeam || a.type == ActionType::kJoinChannel ? joins : leaves)++;
    }
    if (joins + leaves > 0) {
      plan_->notices.push_back("policy.membership=report: " + std::to_string(joins) +
                               " joins and " + std::to_string(leaves) +
                               " leaves would be made (not applied)");
    }
    plan_->actions.erase(plan_->actions.begin() + first_, plan_->actions.end());
  }

  const MembershipInput& in_;
  const MembershipOptions& opt_;
  Plan* plan_;
  std::map<std::pair<std::string, std::string>, const Target*> by_name_;
  std::map<std::string, const Target*> by_id_;
  std::map<std::string, int> problems_;  // attention text -> people affected
  // The membership actions are appended straight to plan_->actions from index first_ on (an
  // Action is over 1 KB and a first cycle plans 3 per person: no second copy of them).
  const size_t first_;
};

}  // namespace

bool IsAddedValue(const std::string& value) { return !value.empty() && value != "false"; }

std::vector<std::string> MembershipColumns(const std::vector<MembershipRule>& rules) {
  std::set<std::string> out;
  for (const MembershipRule& r : rules) {
    if (!r.when_column.empty()) out.insert(r.when_column);
    for (size_t i = r.channel.find('{'); i != std::string::npos; i = r.channel.find('{', i + 1)) {
      const size_t close = r.channel.find('}', i);
      if (close == std::string::npos) break;
      out.insert(r.channel.substr(i + 1, close - i - 1));
    }
  }
  return {out.begin(), out.end()};
}

std::vector<std::pair<std::string, std::string>> DesiredMemberships(
    const std::vector<MembershipRule>& rules, const RosterEntry& entry) {
  std::set<std::pair<std::string, std::string>> out;
  for (const MembershipRule& rule : rules) {
    if (!RuleApplies(rule, entry)) continue;
    if (rule.channel.empty()) {
      out.insert({rule.team, ""});
      continue;
    }
    const std::string channel = Expand(rule.channel, entry);
    if (channel.empty()) continue;
    out.insert({rule.team, ""});
    out.insert({rule.team, channel});
  }
  return {out.begin(), out.end()};
}

std::vector<MembershipPerson> MembershipPeople(const Roster& roster, const std::vector<User>& users,
                                               const Ledger& ledger, const Plan& plan) {
  std::set<std::string> created, reactivated, deactivated;
  std::map<std::string, std::string> created_username;
  for (const Action& a : plan.actions) {
    if (a.held) continue;
    if (a.type == ActionType::kCreate) created_username[a.key] = a.new_user.username;
    if (a.type == ActionType::kReactivate) reactivated.insert(a.key);
    if (a.type == ActionType::kDeactivate) deactivated.insert(a.key);
  }
  // The ledger merged with the plan's delta (MergeLedgerChanges), without copying it.
  const std::set<std::string> removed(plan.ledger_removed.begin(), plan.ledger_removed.end());
  auto merged = [&](const std::string& key) -> const LedgerEntry* {
    if (auto a = plan.ledger_after.find(key); a != plan.ledger_after.end()) return &a->second;
    if (removed.count(key)) return nullptr;
    auto l = ledger.find(key);
    return l == ledger.end() ? nullptr : &l->second;
  };
  std::unordered_map<std::string, const User*> by_id;
  for (const User& u : users) by_id[u.id] = &u;
  std::vector<MembershipPerson> people;
  for (const RosterEntry& e : roster.entries) {
    if (!e.active || deactivated.count(e.key)) continue;
    if (auto c = created_username.find(e.key); c != created_username.end()) {
      people.push_back({&e, "", c->second});
      continue;
    }
    const LedgerEntry* l = merged(e.key);
    if (l == nullptr || l->user_id.empty()) continue;
    auto u = by_id.find(l->user_id);
    if (u == by_id.end() || u->second->is_bot) continue;
    if (u->second->delete_at != 0 && reactivated.count(e.key) == 0) continue;
    people.push_back({&e, u->second->id, u->second->username});
  }
  return people;
}

void PlanMemberships(const MembershipInput& input, const MembershipOptions& options, Plan* plan) {
  if (options.rules.empty()) return;
  Builder(input, options, plan).Run();
}

}  // namespace rostersync
