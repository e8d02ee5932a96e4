#include "daemon/pidfile.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace rostersync::daemon {

Result<std::unique_ptr<PidFile>> PidFile::Write(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) {
    const int err = errno;
    return Status::IoError("cannot write --pidfile " + path + ": " + std::strerror(err) +
                           (err == ELOOP ? " (it is a symlink; remove it)" : ""));
  }
  const std::string text = std::to_string(::getpid()) + "\n";
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (!ok) return Status::IoError("cannot write --pidfile " + path + ": " + std::strerror(errno));
  return std::unique_ptr<PidFile>(new PidFile(path));
}

PidFile::~PidFile() { ::unlink(path_.c_str()); }

}  // namespace rostersync::daemon
