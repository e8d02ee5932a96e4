// ToString / FromString of the run states: see sync/run_states.h.
#include "sync/run_states.h"

#include <string>

#include "sync/plan.h"
#include "sync/text.h"

namespace rostersync {
namespace {

template <typename E, std::size_t N>
Result<E> Find(const char* const (&names)[N], std::string_view name, const char* what) {
  for (std::size_t i = 0; i < N; ++i) {
    if (name == names[i]) return static_cast<E>(i);
  }
  return Status::Invalid(std::string("unknown ") + what + " '" + EscapeControl(std::string(name)) +
                         "'");
}

// In enum order.
constexpr const char* kCommands[] = {"plan", "sync", "sync-user", "run", "approve"};
constexpr const char* kResults[] = {"running", "ok", "partial", "held", "failed", "interrupted"};
constexpr const char* kJournalStates[] = {"pending", "done", "failed", "abandoned"};
constexpr const char* kAuditResults[] = {"ok", "failed", "held", "pending", "refused"};
constexpr const char* kDecisions[] = {"approve", "reject", "click"};  // after the plan's actions

static_assert(static_cast<int>(AuditAction::kApprove) == kActionTypeCount &&
                  static_cast<int>(AuditAction::kLeaveTeam) ==
                      static_cast<int>(ActionType::kLeaveTeam) &&
                  static_cast<int>(AuditAction::kReactivate) ==
                      static_cast<int>(ActionType::kReactivate) &&
                  static_cast<int>(AuditAction::kDeactivate) ==
                      static_cast<int>(ActionType::kDeactivate),
              "AuditAction starts with ActionType, value for value");
constexpr int kAuditActionCount = static_cast<int>(AuditAction::kClick) + 1;

}  // namespace

const char* ToString(RunCommand command) { return kCommands[static_cast<int>(command)]; }
const char* ToString(RunResult result) { return kResults[static_cast<int>(result)]; }
const char* ToString(JournalState state) { return kJournalStates[static_cast<int>(state)]; }

Result<RunCommand> RunCommandFromString(std::string_view name) {
  return Find<RunCommand>(kCommands, name, "run command");
}

Result<RunResult> RunResultFromString(std::string_view name) {
  return Find<RunResult>(kResults, name, "run result");
}

Result<JournalState> JournalStateFromString(std::string_view name) {
  return Find<JournalState>(kJournalStates, name, "journal state");
}

AuditAction AuditActionOf(ActionType type) { return static_cast<AuditAction>(type); }

const char* ToString(AuditAction action) {
  const int i = static_cast<int>(action);
  return i < kActionTypeCount ? ActionName(static_cast<ActionType>(i))
                              : kDecisions[i - kActionTypeCount];
}

Result<AuditAction> AuditActionFromString(std::string_view name) {
  for (int i = 0; i < kAuditActionCount; ++i) {
    if (name == ToString(static_cast<AuditAction>(i))) return static_cast<AuditAction>(i);
  }
  return Status::Invalid("unknown audit action '" + EscapeControl(std::string(name)) + "'");
}

const char* ToString(AuditResult result) { return kAuditResults[static_cast<int>(result)]; }

Result<AuditResult> AuditResultFromString(std::string_view name) {
  return Find<AuditResult>(kAuditResults, name, "audit result");
}

}  // namespace rostersync
