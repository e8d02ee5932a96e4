// AuditFile: the JSONL audit trail (docs/contract.md "Files"): one JSON object per line, appended
// with O_APPEND and fdatasync'd after every record, so a line the executor wrote survives
// a crash or power loss. Owns its file descriptor. Thread-safe (one mutex).
// Reopen() after logrotate moved the file (SIGHUP). Exactly-once: see state/README.md.
#ifndef ROSTERSYNC_STATE_AUDIT_FILE_H_
#define ROSTERSYNC_STATE_AUDIT_FILE_H_

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "sync/audit_sink.h"
#include "sync/status.h"

namespace rostersync {

class AuditFile : public AuditSink {
 public:
  // Opens (creating, mode 0640) `path` for appending. IoError with the path and errno text.
  static Result<std::unique_ptr<AuditFile>> Open(const std::string& path);
  ~AuditFile() override;
  AuditFile(const AuditFile&) = delete;
  AuditFile& operator=(const AuditFile&) = delete;

  // Appends and syncs one line. A failure is kept in last_error() (the store has the record).
  void Write(const AuditRecord& record) override;
  // Appends the records whose line is not among the file's last kTailBytes.
  void CatchUp(const std::vector<AuditRecord>& committed) override;
  // Closes and reopens the path (a new file after rotation). Safe to call any time.
  Status Reopen();
  Status last_error() const;
  const std::string& path() const { return path_; }

  static constexpr size_t kTailBytes = 4 << 20;

 private:
  explicit AuditFile(std::string path) : path_(std::move(path)) {}
  Status OpenLocked();
  Status AppendLocked(const std::string& line);

  const std::string path_;
  mutable std::mutex mu_;
  int fd_ = -1;
  Status last_error_;
};

}  // namespace rostersync

#endif  // ROSTERSYNC_STATE_AUDIT_FILE_H_
