// RosterWatch: calls back when a roster file has been rewritten whole, using inotify on its
// directory: only close-after-write (IN_CLOSE_WRITE) and rename-over (IN_MOVED_TO) arm it,
// never a create or a write alone, and it fires only once the file's size and mtime have
// stayed the same for `stable_ms` (a writer still appending keeps it waiting). Owns its
// thread and inotify fd; Start/Stop from one thread.
#ifndef ROSTERSYNC_DAEMON_ROSTER_WATCH_H_
#define ROSTERSYNC_DAEMON_ROSTER_WATCH_H_

#include <cstdint>
#include <functional>
#include <string>
#include <thread>

#include "sync/status.h"

namespace rostersync::daemon {

class RosterWatch {
 public:
  RosterWatch(std::string path, std::function<void()> on_change, int64_t stable_ms = 1'000);
  ~RosterWatch();  // Stop()
  RosterWatch(const RosterWatch&) = delete;
  RosterWatch& operator=(const RosterWatch&) = delete;

  // IoError if the directory cannot be watched (the scheduler's interval still applies).
  Status Start();
  void Stop();

 private:
  void Loop();
  // Reads the inotify events: *armed when the file was closed after writing or renamed in,
  // *busy when it was written to (which only postpones).
  void Drain(bool* armed, bool* busy);

  std::string dir_;
  std::string name_;
  std::function<void()> on_change_;
  int64_t stable_ms_;
  int inotify_fd_ = -1;
  int stop_pipe_[2] = {-1, -1};
  std::thread thread_;
};

}  // namespace rostersync::daemon

#endif  // ROSTERSYNC_DAEMON_ROSTER_WATCH_H_
