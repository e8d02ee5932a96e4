// AuditFile: append + fdatasync per record; catch-up after a crash compares lines.
#include "state/audit_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <set>

#include "state/audit_json.h"
#include "state/owned_file.h"

namespace rostersync {

Result<std::unique_ptr<AuditFile>> AuditFile::Open(const std::string& path) {
  std::unique_ptr<AuditFile> file(new AuditFile(path));
  std::lock_guard<std::mutex> lock(file->mu_);
  if (Status s = file->OpenLocked(); !s.ok()) return s;
  return file;
}

AuditFile::~AuditFile() {
  if (fd_ >= 0) ::close(fd_);
}

Status AuditFile::OpenLocked() {
  // Never a symlink (not followed), a FIFO (it would hang the open), another user's file or
  // a world-writable one (either could forge the trail): state/owned_file.h.
  Result<int> fd = OpenOwnedFile("audit.file", path_, O_WRONLY | O_APPEND | O_CREAT, 0640);
  if (!fd.ok()) return fd.status();
  if (fd_ >= 0) ::close(fd_);
  fd_ = *fd;
  return Status::Ok();
}

Status AuditFile::AppendLocked(const std::string& line) {
  if (fd_ < 0) return Status::IoError("audit file " + path_ + " is not open");
  std::string data = line + "\n";
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd_, data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      return Status::IoError("writing audit file " + path_ + ": " + std::strerror(errno));
    }
    off += static_cast<size_t>(n);
  }
  if (::fdatasync(fd_) != 0) {
    return Status::IoError("syncing audit file " + path_ + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

void AuditFile::Write(const AuditRecord& record) {
  std::string line = AuditRecordToJson(record);
  std::lock_guard<std::mutex> lock(mu_);
  Status s = AppendLocked(line);
  if (!s.ok()) last_error_ = s;
}

void AuditFile::CatchUp(const std::vector<AuditRecord>& committed) {
  std::lock_guard<std::mutex> lock(mu_);
  std::set<std::string> present;
  bool tail_ends_clean = true;
  int rfd = ::open(path_.c_str(), O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
  if (rfd >= 0) {
    struct stat st {};
    if (::fstat(rfd, &st) == 0 && S_ISREG(st.st_mode)) {
      off_t start = st.st_size > static_cast<off_t>(kTailBytes) ? st.st_size - kTailBytes : 0;
      std::string tail(static_cast<size_t>(st.st_size - start), '\0');
      ssize_t n = ::pread(rfd, tail.data(), tail.size(), start);
      tail.resize(n > 0 ? static_cast<size_t>(n) : 0);
      tail_ends_clean = tail.empty() || tail.back() == '\n';
      size_t pos = 0;
      while (pos < tail.size()) {
        size_t end = tail.find('\n', pos);
        if (end == std::string::npos) end = tail.size();
        present.insert(tail.substr(pos, end - pos));
        pos = end + 1;
      }
    }
    ::close(rfd);
  }
  if (!tail_ends_clean) {  // a line cut short by the crash: start on a fresh line
    if (Status s = AppendLocked(""); !s.ok()) {
      last_error_ = s;
      return;
    }
  }
  for (const auto& r : committed) {
    std::string line = AuditRecordToJson(r);
    if (present.count(line)) continue;
    Status s = AppendLocked(line);
    if (!s.ok()) {
      last_error_ = s;
      return;
    }
    present.insert(line);
  }
}

Status AuditFile::Reopen() {
  std::lock_guard<std::mutex> lock(mu_);
  return OpenLocked();
}

Status AuditFile::last_error() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_error_;
}

}  // namespace rostersync
