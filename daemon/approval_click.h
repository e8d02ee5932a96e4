// Approve/Reject buttons: what a button carries and how a click is checked. A held-plan post
// carries, per button, a context {held_id, action, expires, sig} where sig is HMAC-SHA256 (a
// key only rostersync knows) over "held_id|action|expires"; the Mattermost server sends the
// context back with the clicking user's id (docs/operations.md, "Approving from Mattermost").
#ifndef ROSTERSYNC_DAEMON_APPROVAL_CLICK_H_
#define ROSTERSYNC_DAEMON_APPROVAL_CLICK_H_

#include <cstdint>
#include <string>

#include "config/config.h"
#include "sync/status.h"
#include "sync/user.h"

namespace rostersync::daemon {

struct ButtonContext {
  std::string held_id;
  std::string action;      // approve | reject
  int64_t expires_ms = 0;  // Unix ms
  std::string sig;         // lower-case hex HMAC-SHA256
};

// The integration request body the Mattermost server posts for a button click.
struct ButtonClick {
  std::string user_id;
  std::string user_name;  // as the server sent it; never trusted: the user is read by id
  std::string post_id;
  std::string channel_id;
  ButtonContext context;
};

// Parses the request body. Invalid (never an exception) for anything that is not a JSON
// object with a string user_id and a context object of the right types.
Result<ButtonClick> ParseButtonClick(const std::string& body);

// Lower-case hex HMAC-SHA256(key, held_id + "|" + action + "|" + expires_ms).
std::string SignButton(const std::string& key, const std::string& held_id,
                       const std::string& action, int64_t expires_ms);

// Forbidden when the signature does not match (constant-time compare) or names no known
// action; Conflict when the (genuine) button expired.
Status VerifyButton(const std::string& key, const ButtonContext& context, int64_t now_ms);

// The key of approvals.hmac_key_file (surrounding whitespace trimmed). IoError naming the
// file (never its content) when unreadable; Invalid when shorter than 16 bytes.
Result<std::string> ReadHmacKey(const std::string& path);

// True when `user` may approve: an active human account that is a system admin (with
// approvers.system_admins) or named in approvers.usernames.
bool MayApprove(const User& user, const ApprovalsConfig& approvals);

}  // namespace rostersync::daemon

#endif  // ROSTERSYNC_DAEMON_APPROVAL_CLICK_H_
