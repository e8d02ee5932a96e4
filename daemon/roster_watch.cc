#include "daemon/roster_watch.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

namespace rostersync::daemon {

namespace {

struct Snapshot {
  bool regular = false;
  int64_t size = -1;
  int64_t mtime_ns = -1;
  bool operator==(const Snapshot& o) const {
    return regular == o.regular && size == o.size && mtime_ns == o.mtime_ns;
  }
};

Snapshot Stat(const std::string& path) {
  struct stat st {};
  Snapshot s;
  if (::stat(path.c_str(), &st) != 0) return s;
  s.regular = S_ISREG(st.st_mode);
  s.size = st.st_size;
  s.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  return s;
}

int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

RosterWatch::RosterWatch(std::string path, std::function<void()> on_change, int64_t stable_ms)
    : on_change_(std::move(on_change)), stable_ms_(stable_ms) {
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
  // IN_MODIFY only postpones an armed watch; IN_CREATE is not watched: a file just created
  // is being written.
  uint32_t mask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MODIFY;
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

void RosterWatch::Drain(bool* armed, bool* busy) {
  alignas(struct inotify_event) char buf[8192];
  for (;;) {
    ssize_t len = read(inotify_fd_, buf, sizeof buf);
    if (len <= 0) return;
    for (char* p = buf; p < buf + len;) {
      auto* ev = reinterpret_cast<struct inotify_event*>(p);
      if (ev->len > 0 && name_ == ev->name) {
        if (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) *armed = true;
        if (ev->mask & IN_MODIFY) *busy = true;
      }
      p += sizeof(struct inotify_event) + ev->len;
    }
  }
}

void RosterWatch::Loop() {
  const std::string path = dir_ + "/" + name_;
  bool pending = false;
  Snapshot snapshot;
  int64_t quiet_until = 0;
  for (;;) {
    int timeout = pending ? static_cast<int>(std::max<int64_t>(quiet_until - SteadyMs(), 0)) : -1;
    struct pollfd fds[2] = {{inotify_fd_, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
    int n = poll(fds, 2, timeout);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents) return;
    if (fds[0].revents & POLLIN) {
      bool armed = false, busy = false;
      Drain(&armed, &busy);
      if (armed || (pending && busy)) {
        pending = true;
        snapshot = Stat(path);
        quiet_until = SteadyMs() + stable_ms_;
      }
      continue;
    }
    if (!pending || SteadyMs() < quiet_until) continue;
    Snapshot now = Stat(path);
    if (!now.regular) {
      pending = false;  // gone, or not a regular file: nothing to read
    } else if (now == snapshot) {
      pending = false;
      if (on_change_) on_change_();
    } else {
      snapshot = now;  // still changing: wait for another quiet period
      quiet_until = SteadyMs() + stable_ms_;
    }
  }
}

}  // namespace rostersync::daemon
