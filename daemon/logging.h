// Logging setup for the rostersync binary: spdlog to stderr, as text or one JSON object per
// line. Call SetupLogging() once before starting threads, again on SIGHUP (thread-safe).
// Nothing here knows secrets; callers log only redacted values (RedactUrl, sync/redact.h).
#ifndef ROSTERSYNC_DAEMON_LOGGING_H_
#define ROSTERSYNC_DAEMON_LOGGING_H_

#include <string>

#include "sync/status.h"

namespace rostersync::daemon {

// level: trace|debug|info|warn|error; format: text|json. Invalid on an unknown value
// (the previous setup stays in force).
Status SetupLogging(const std::string& level, const std::string& format);

// "https://chat.example.com/hooks/abc" -> "https://chat.example.com/…": a URL's path and
// query may carry a secret (webhook keys), its scheme and host do not. User info is dropped.
std::string RedactUrl(const std::string& url);

}  // namespace rostersync::daemon

#endif  // ROSTERSYNC_DAEMON_LOGGING_H_
