// PidFile: `run --pidfile FILE`. Written with O_NOFOLLOW (a symlink planted at FILE is
// refused, never followed), mode 0644, removed when destroyed; an existing FILE that is not
// a regular file, belongs to another user or is world-writable is refused. Not thread-safe.
#ifndef ROSTERSYNC_DAEMON_PIDFILE_H_
#define ROSTERSYNC_DAEMON_PIDFILE_H_

#include <memory>
#include <string>

#include "sync/status.h"

namespace rostersync::daemon {

// Before `run --daemon` forks: IoError naming `what` ("--pidfile", "--logfile") and the path
// when it is a symlink or not a regular file, is owned by another user than root or us, is
// world-writable, or cannot be written or created (the directory).
Status CheckWritableFile(const std::string& what, const std::string& path);

class PidFile {
 public:
  // IoError naming the path when it cannot be written (or is a symlink).
  static Result<std::unique_ptr<PidFile>> Write(const std::string& path);
  ~PidFile();
  PidFile(const PidFile&) = delete;
  PidFile& operator=(const PidFile&) = delete;

 private:
  explicit PidFile(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

}  // namespace rostersync::daemon

#endif  // ROSTERSYNC_DAEMON_PIDFILE_H_
