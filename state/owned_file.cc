// OpenOwnedFile / CheckOwnedFile: see state/owned_file.h.
#include "state/owned_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace rostersync {
namespace {

std::string Octal(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

}  // namespace

Status CheckOwnedFile(const std::string& what, const std::string& path, const struct stat& st) {
  const std::string head = "refusing " + what + " " + path + ": ";
  if (S_ISLNK(st.st_mode)) {
    return Status::IoError(head + "it is a symlink, which is never followed; remove it or "
                                  "point " + what + " at the real file");
  }
  if (!S_ISREG(st.st_mode)) {
    return Status::IoError(head + "not a regular file (a FIFO, socket, device or directory); "
                                  "point " + what + " at a regular file");
  }
  const uid_t me = ::geteuid();
  if (st.st_uid != 0 && st.st_uid != me) {
    return Status::IoError(head + "it is owned by uid " + std::to_string(st.st_uid) +
                           ", neither root nor this user (uid " + std::to_string(me) +
                           "), who could forge or rewrite it; remove it or chown it to uid " +
                           std::to_string(me));
  }
  if ((st.st_mode & S_IWOTH) != 0) {
    return Status::IoError(head + "it is writable by every user (mode " + Octal(st.st_mode) +
                           "); chmod o-w it");
  }
  return Status::Ok();
}

Result<int> OpenOwnedFile(const std::string& what, const std::string& path, int flags,
                          mode_t mode) {
  const bool truncate = (flags & O_TRUNC) != 0;
  // O_NONBLOCK: opening a FIFO would otherwise wait for its other end forever.
  int fd = ::open(path.c_str(), (flags & ~O_TRUNC) | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0) {
    const int err = errno;
    struct stat st {};
    if ((err == ELOOP || err == ENXIO) && ::lstat(path.c_str(), &st) == 0) {
      if (Status s = CheckOwnedFile(what, path, st); !s.ok()) return s;
    }
    return Status::IoError("cannot open " + what + " " + path + ": " + std::strerror(err) +
                           " (check " + what + ": create its directory or fix the path or "
                           "the directory's permissions)");
  }
  struct stat st {};
  Status s = ::fstat(fd, &st) == 0
                 ? CheckOwnedFile(what, path, st)
                 : Status::IoError("cannot stat " + what + " " + path + ": " + std::strerror(errno));
  if (s.ok()) {
    const int fl = ::fcntl(fd, F_GETFL);
    if (fl < 0 || ::fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0 ||
        (truncate && ::ftruncate(fd, 0) != 0)) {
      s = Status::IoError("cannot prepare " + what + " " + path + ": " + std::strerror(errno));
    }
  }
  if (!s.ok()) {
    ::close(fd);
    return s;
  }
  return fd;
}

}  // namespace rostersync
