#include "daemon/pidfile.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "daemon/wiring.h"

namespace rostersync::daemon {

Status CheckWritableFile(const std::string& what, const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    if (S_ISLNK(st.st_mode)) {
      return Status::IoError("cannot write " + what + " " + path +
                             ": it is a symlink (never followed); remove it");
    }
    if (Status s = CheckDaemonFile(what, path, st); !s.ok()) return s;
    if (::access(path.c_str(), W_OK) != 0) {
      return Status::IoError("cannot write " + what + " " + path + ": " + std::strerror(errno));
    }
    return Status::Ok();
  }
  if (errno != ENOENT) {
    return Status::IoError("cannot write " + what + " " + path + ": " + std::strerror(errno));
  }
  const size_t slash = path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    return Status::IoError("cannot create " + what + " " + path + ": its directory " + dir +
                           ": " + std::strerror(errno));
  }
  return Status::Ok();
}

Result<std::unique_ptr<PidFile>> PidFile::Write(const std::string& path) {
  Result<int> opened = OpenDaemonFile("--pidfile", path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (!opened.ok()) return opened.status();
  const int fd = *opened;
  const std::string text = std::to_string(::getpid()) + "\n";
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (!ok) return Status::IoError("cannot write --pidfile " + path + ": " + std::strerror(errno));
  return std::unique_ptr<PidFile>(new PidFile(path));
}

PidFile::~PidFile() { ::unlink(path_.c_str()); }

}  // namespace rostersync::daemon
