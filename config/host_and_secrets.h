// Two checks every reader of the config shares, defined once: whether a host is a loopback
// address (the admin endpoint and plain-HTTP rules), and reading a secret from a file
// (mattermost.token_file, admin.token_file). Stateless; thread-safe.
#ifndef ROSTERSYNC_CONFIG_HOST_AND_SECRETS_H_
#define ROSTERSYNC_CONFIG_HOST_AND_SECRETS_H_

#include <string>

#include "sync/status.h"

namespace rostersync {

// True for "localhost", an IPv4 address in 127.0.0.0/8 and ::1 (bare or in brackets). Parsed
// as an IP literal: a name such as 127.0.0.1.nip.io is not loopback (it may resolve anywhere).
bool IsLoopbackHost(const std::string& host);

// The whole content of `path` with surrounding whitespace removed ("" when it holds none).
// `where` names it in messages ("admin.token_file /etc/rostersync/admin-token"): IoError
// "cannot read <where>: <why>; ..." when the file cannot be read. The content never appears
// in a message.
Result<std::string> ReadSecretFile(const std::string& path, const std::string& where);

}  // namespace rostersync

#endif  // ROSTERSYNC_CONFIG_HOST_AND_SECRETS_H_
