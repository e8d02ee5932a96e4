// The held-plan post with Approve / Reject buttons: an incoming-webhook body with one
// Mattermost message attachment whose actions call approvals.url with a signed context
// (approval_click.h). Pure; thread-safe.
#ifndef ROSTERSYNC_DAEMON_APPROVAL_POST_H_
#define ROSTERSYNC_DAEMON_APPROVAL_POST_H_

#include <cstdint>
#include <string>

#include "config/config.h"
#include "sync/state_store.h"

namespace rostersync::daemon {

// `holds`: the plan's hold messages, one per line, already escaped. At most kPostLines actions
// are listed (roster and server strings escaped), then "... and N more: `rostersync held`".
constexpr int kPostLines = 10;
std::string HeldPostJson(const HeldSetRecord& held, const std::string& holds,
                         const ApprovalsConfig& approvals, const std::string& key,
                         int64_t now_ms);

}  // namespace rostersync::daemon

#endif  // ROSTERSYNC_DAEMON_APPROVAL_POST_H_
