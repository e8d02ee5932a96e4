// ToString / FromString of the run states: see sync/run_states.h.
#include "sync/run_states.h"

#include <string>

namespace rostersync {
namespace {

template <typename E, std::size_t N>
Result<E> Find(const char* const (&names)[N], std::string_view name, const char* what) {
  for (std::size_t i = 0; i < N; ++i) {
    if (name == names[i]) return static_cast<E>(i);
  }
  return Status::Invalid(std::string("unknown ") + what + " '" + std::string(name) + "'");
}

// In enum order.
constexpr const char* kCommands[] = {"plan", "sync", "sync-user", "run", "approve"};
constexpr const char* kResults[] = {"running", "ok", "partial", "held", "failed", "interrupted"};
constexpr const char* kJournalStates[] = {"pending", "done", "failed", "abandoned"};

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

}  // namespace rostersync
