// OpenOwnedFile: opens a file rostersync appends to or rewrites (audit.file, --pidfile,
// --logfile) only when nobody else can have planted or forged it: a regular file (never a
// symlink, FIFO, socket or device; a FIFO cannot hang the open), owned by root or by this
// process's user, and not writable by every user. Refusals say what to fix.
#ifndef ROSTERSYNC_STATE_OWNED_FILE_H_
#define ROSTERSYNC_STATE_OWNED_FILE_H_

#include <sys/stat.h>
#include <sys/types.h>

#include <string>

#include "sync/status.h"

namespace rostersync {

// IoError naming `what` (e.g. "audit.file") and `path` when `st` (of an existing file) is
// not a regular file, is owned by another user than root or us, or is world-writable.
Status CheckOwnedFile(const std::string& what, const std::string& path, const struct stat& st);

// open(path, flags | O_NOFOLLOW | O_CLOEXEC, mode) without blocking on a FIFO, then
// CheckOwnedFile on what was opened. O_TRUNC in `flags` truncates only after the checks
// passed. Returns the descriptor (blocking mode, the caller closes it) or an IoError.
Result<int> OpenOwnedFile(const std::string& what, const std::string& path, int flags,
                          mode_t mode);

}  // namespace rostersync

#endif  // ROSTERSYNC_STATE_OWNED_FILE_H_
