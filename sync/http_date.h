// ParseHttpDate: an HTTP Date header (RFC 9110 IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT")
// as milliseconds since the epoch. The server's clock, which an incremental cycle's
// watermark is taken from (cycle/incremental_read.h). Pure; thread-safe.
#ifndef ROSTERSYNC_SYNC_HTTP_DATE_H_
#define ROSTERSYNC_SYNC_HTTP_DATE_H_

#include <cstdint>
#include <optional>
#include <string_view>

namespace rostersync {

// nullopt for anything but a well-formed IMF-fixdate in GMT (the obsolete RFC 850 and
// asctime forms are not accepted: a Go or Poco server never sends them).
std::optional<int64_t> ParseHttpDate(std::string_view text);

}  // namespace rostersync

#endif  // ROSTERSYNC_SYNC_HTTP_DATE_H_
