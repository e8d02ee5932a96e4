// Value-type helpers of the core model: names, equality, counts and UTC date formatting.
#include <ctime>
#include <tuple>

#include "sync/clock.h"
#include "sync/plan.h"
#include "sync/roster.h"
#include "sync/state_store.h"

namespace rostersync {

const char* RoleName(Role role) {
  switch (role) {
    case Role::kUser: return "system_user";
    case Role::kAdmin: return "system_admin";
    case Role::kGuest: return "guest";
  }
  return "system_user";
}

bool RosterEntry::operator==(const RosterEntry& o) const {
  auto tie = [](const RosterEntry& e) {
    return std::tie(e.key, e.username, e.email, e.first_name, e.last_name, e.nickname,
                    e.position, e.locale, e.auth_service, e.auth_data, e.role, e.active,
                    e.start_date, e.end_date, e.where, e.attributes);
  };
  return tie(*this) == tie(o);
}

const char* ActionName(ActionType type) {
  switch (type) {
    case ActionType::kReactivate: return "reactivate";
    case ActionType::kCreate: return "create";
    case ActionType::kPromote: return "promote";
    case ActionType::kUpdate: return "update";
    case ActionType::kAuth: return "auth";
    case ActionType::kRole: return "role";
    case ActionType::kGuest: return "guest";
    case ActionType::kVerifyEmail: return "verify_email";
    case ActionType::kPasswordReset: return "password_reset";
    case ActionType::kDeactivate: return "deactivate";
    case ActionType::kJoinTeam: return "join_team";
    case ActionType::kJoinChannel: return "join_channel";
    case ActionType::kLeaveChannel: return "leave_channel";
    case ActionType::kLeaveTeam: return "leave_team";
  }
  return "unknown";
}

bool IsMembershipAction(ActionType type) {
  return type == ActionType::kJoinTeam || type == ActionType::kJoinChannel ||
         type == ActionType::kLeaveChannel || type == ActionType::kLeaveTeam;
}

bool Action::operator==(const Action& o) const {
  auto tie = [](const Action& a) {
    return std::tie(a.type, a.key, a.user_id, a.username, a.email, a.changes, a.detail,
                    a.new_user, a.patch, a.roles, a.auth_service, a.auth_data, a.held,
                    a.held_reason, a.team_id, a.team, a.channel_id, a.channel);
  };
  return tie(*this) == tie(o);
}

int Plan::CountActive() const {
  int n = 0;
  for (const auto& a : actions) n += a.held ? 0 : 1;
  return n;
}

int Plan::CountHeld() const { return static_cast<int>(actions.size()) - CountActive(); }

bool Plan::operator==(const Plan& o) const {
  return actions == o.actions && holds == o.holds && notices == o.notices &&
         ledger_after == o.ledger_after &&
         ledger_removed == o.ledger_removed && managed_users == o.managed_users &&
         roster_rows == o.roster_rows && rejected_rows == o.rejected_rows &&
         attention == o.attention && rejected == o.rejected && unmatched == o.unmatched;
}

bool RunRecord::operator==(const RunRecord& o) const {
  auto tie = [](const RunRecord& r) {
    return std::tie(r.run_id, r.command, r.started_ms, r.finished_ms, r.result, r.exit_code,
                    r.actions_ok, r.actions_failed, r.actions_held, r.roster_rows,
                    r.rejected_rows, r.message, r.server);
  };
  return tie(*this) == tie(o);
}

bool AuditRecord::operator==(const AuditRecord& o) const {
  auto tie = [](const AuditRecord& r) {
    return std::tie(r.ts_ms, r.run_id, r.action, r.key, r.user_id, r.username, r.changes,
                    r.result, r.http_status, r.request_id, r.error);
  };
  return tie(*this) == tie(o);
}

static std::string FormatUtc(int64_t ms, const char* fmt) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, fmt, &tm);
  return buf;
}

std::string UtcDate(int64_t ms) { return FormatUtc(ms, "%Y-%m-%d"); }
std::string UtcTimestamp(int64_t ms) { return FormatUtc(ms, "%Y-%m-%dT%H:%M:%SZ"); }

}  // namespace rostersync
