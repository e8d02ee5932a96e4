#include "daemon/roster_watch.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace rostersync::daemon {

RosterWatch::RosterWatch(std::string path, std::function<void()> on_change)
    : on_change_(std::move(on_change)) {
  auto slash = path.rfind('/');
  dir_ = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  name_ = slash == std::string::npos ? path : path.substr(slash + 1);
}

RosterWatch::~RosterWatch() { Stop(); }

Status RosterWatch::Start() {
  inotify_fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (inotify_fd_ < 0) {
    return Status::IoError(std::string("inotify_init1: ") + std::strerror(errno));
  }
  uint32_t mask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_ATTRIB;
  if (inotify_add_watch(inotify_fd_, dir_.c_str(), mask) < 0) {
    Status s =
        Status::IoError("cannot watch roster directory " + dir_ + ": " + std::strerror(errno) +
                        "; changes are picked up at the next interval instead");
    close(inotify_fd_);
    inotify_fd_ = -1;
    return s;
  }
  if (pipe2(stop_pipe_, O_CLOEXEC) != 0) {
    close(inotify_fd_);
    inotify_fd_ = -1;
    return Status::IoError(std::string("pipe2: ") + std::strerror(errno));
  }
  thread_ = std::thread([this] { Loop(); });
  return Status::Ok();
}

void RosterWatch::Stop() {
  if (thread_.joinable()) {
    char c = 'x';
    ssize_t ignored = write(stop_pipe_[1], &c, 1);
    (void)ignored;
    thread_.join();
  }
  for (int* fd : {&inotify_fd_, &stop_pipe_[0], &stop_pipe_[1]}) {
    if (*fd >= 0) close(*fd);
    *fd = -1;
  }
}

void RosterWatch::Loop() {
  alignas(struct inotify_event) char buf[8192];
  for (;;) {
    struct pollfd fds[2] = {{inotify_fd_, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
    int n = poll(fds, 2, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents) return;
    if (!(fds[0].revents & POLLIN)) continue;
    ssize_t len = read(inotify_fd_, buf, sizeof buf);
    if (len <= 0) continue;
    bool hit = false;
    for (char* p = buf; p < buf + len;) {
      auto* ev = reinterpret_cast<struct inotify_event*>(p);
      if (ev->len > 0 && name_ == ev->name) hit = true;
      p += sizeof(struct inotify_event) + ev->len;
    }
    if (hit && on_change_) on_change_();
  }
}

}  // namespace rostersync::daemon
