// Plan as JSON: the stable document of `plan --json` (schema in docs/plan-json.md), one
// action as JSON (the journal and audit use it), and the string escaper they share.
// Pure functions; thread-safe. Never writes a password (NewUser::password is never emitted).
#ifndef ROSTERSYNC_SYNC_PLAN_JSON_H_
#define ROSTERSYNC_SYNC_PLAN_JSON_H_

#include <string>

#include "sync/plan.h"

namespace rostersync {

// One JSON object (no trailing newline), keys in a fixed order; schema_version 1.
std::string PlanToJson(const Plan& plan);

// One action as a JSON object; type-specific members only for their type.
std::string ActionToJson(const Action& action);

// The JSON string literal for `s`, with quotes: escapes " \ and control characters; other
// bytes (UTF-8) pass through unchanged.
std::string JsonEscape(const std::string& s);

}  // namespace rostersync

#endif  // ROSTERSYNC_SYNC_PLAN_JSON_H_
