// RosterWatch: calls back when a roster file changes, using inotify on its directory so an
// atomic "write temp + rename over" is seen as well as an in-place write. Debouncing is the
// scheduler's job. Owns its thread and inotify fd; Start/Stop from one thread.
#ifndef ROSTERSYNC_DAEMON_ROSTER_WATCH_H_
#define ROSTERSYNC_DAEMON_ROSTER_WATCH_H_

#include <functional>
#include <string>
#include <thread>

#include "sync/status.h"

namespace rostersync::daemon {

class RosterWatch {
 public:
  RosterWatch(std::string path, std::function<void()> on_change);
  ~RosterWatch();  // Stop()
  RosterWatch(const RosterWatch&) = delete;
  RosterWatch& operator=(const RosterWatch&) = delete;

  // IoError if the directory cannot be watched (the scheduler's interval still applies).
  Status Start();
  void Stop();

 private:
  void Loop();

  std::string dir_;
  std::string name_;
  std::function<void()> on_change_;
  int inotify_fd_ = -1;
  int stop_pipe_[2] = {-1, -1};
  std::thread thread_;
};

}  // namespace rostersync::daemon

#endif  // ROSTERSYNC_DAEMON_ROSTER_WATCH_H_
