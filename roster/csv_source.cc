#include "roster/csv_source.h"

#include <fcntl.h>
#include <iconv.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "roster/csv_table.h"

namespace rostersync {
namespace {

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

const char* KindOf(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// Refuses anything but a regular file on a real filesystem: a FIFO would hang the read,
// /dev/zero never ends, and /proc or /sys files report size 0 and change while read.
Status CheckRegularFile(int fd, const std::string& path, const struct stat& st, int64_t max) {
  const std::string todo = "; point roster.csv.path at the exported file (nothing was applied)";
  if (!S_ISREG(st.st_mode)) {
    return Status::IoError("roster file " + path + " is " + KindOf(st.st_mode) + todo);
  }
  struct statfs fs {};
  if (::fstatfs(fd, &fs) == 0 &&
      (fs.f_type == PROC_SUPER_MAGIC || fs.f_type == SYSFS_MAGIC)) {
    return Status::IoError("roster file " + path + " is a /proc or /sys file" + todo);
  }
  if (st.st_size > max) {
    return Status::IoError("roster file " + path + " is " + std::to_string(st.st_size) +
                           " bytes, more than roster.limits.max_file_bytes (" +
                           std::to_string(max) + "); nothing was applied");
  }
  return Status::Ok();
}

// A file whose size or mtime moved while it was read was being written: the rows read may
// be half of an export. Nothing of it is used; the next cycle reads it again.
Status CheckUnchanged(int fd, const std::string& path, const struct stat& before) {
  struct stat after {};
  if (::fstat(fd, &after) != 0) {
    return Status::IoError("cannot stat roster file " + path + ": " + std::strerror(errno));
  }
  if (after.st_size != before.st_size || after.st_mtim.tv_sec != before.st_mtim.tv_sec ||
      after.st_mtim.tv_nsec != before.st_mtim.tv_nsec) {
    return Status::IoError("roster.csv " + path +
                           " changed while it was read; nothing was applied (the next cycle "
                           "reads it again; export to a temporary file and rename it into "
                           "place)");
  }
  return Status::Ok();
}

// Single-byte encodings to UTF-8 through glibc iconv; chunk boundaries cannot split a
// character. Empty `from` = the file is UTF-8 already.
class Recoder {
 public:
  explicit Recoder(const std::string& encoding) {
    if (encoding == "windows-1252") from_ = "WINDOWS-1252";
    if (encoding == "iso-8859-1") from_ = "ISO-8859-1";
    if (!from_.empty()) cd_ = ::iconv_open("UTF-8", from_.c_str());
  }
  ~Recoder() {
    if (cd_ != reinterpret_cast<iconv_t>(-1)) ::iconv_close(cd_);
  }
  Recoder(const Recoder&) = delete;
  Recoder& operator=(const Recoder&) = delete;
  bool active() const { return !from_.empty(); }
  bool usable() const { return cd_ != reinterpret_cast<iconv_t>(-1); }

  // Appends the UTF-8 form of `in` to *out. Invalid when a byte is not in the encoding.
  Status Convert(std::string_view in, std::string* out, int64_t offset) {
    out->clear();
    out->resize(in.size() * 3 + 4);
    char* src = const_cast<char*>(in.data());
    size_t src_left = in.size();
    char* dst = out->data();
    size_t dst_left = out->size();
    if (::iconv(cd_, &src, &src_left, &dst, &dst_left) == static_cast<size_t>(-1)) {
      const int64_t at = offset + static_cast<int64_t>(in.size() - src_left);
      return Status::Invalid("byte " + std::to_string(at) + " of the roster file is not " +
                             from_ + "; check roster.csv.encoding (nothing was applied)");
    }
    out->resize(out->size() - dst_left);
    return Status::Ok();
  }

 private:
  std::string from_;
  iconv_t cd_ = reinterpret_cast<iconv_t>(-1);
};

}  // namespace

CsvSource::CsvSource(CsvConfig config, std::string key_column, RosterLimits limits)
    : config_(std::move(config)), key_column_(std::move(key_column)), limits_(limits) {}

Result<RawTable> CsvSource::Read() {
  const std::string& path = config_.path;
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below.
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
  if (fd.get() < 0) {
    return Status::IoError("cannot open roster file " + path + ": " + std::strerror(errno) +
                           "; check roster.csv.path and the file's permissions");
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    return Status::IoError("cannot stat roster file " + path + ": " + std::strerror(errno));
  }
  if (Status s = CheckRegularFile(fd.get(), path, st, limits_.max_file_bytes); !s.ok()) return s;
  const int64_t modified_ms =
      static_cast<int64_t>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1'000'000;
  Recoder recoder(config_.encoding);
  if (recoder.active() && !recoder.usable()) {
    return Status::Invalid("roster.csv.encoding " + config_.encoding +
                           " is not available in this system's iconv");
  }
  CsvOptions options;
  options.delimiter = config_.delimiter;
  options.header = config_.header;
  options.origin = path;
  options.key_column = key_column_;
  options.max_row_bytes = static_cast<size_t>(limits_.max_row_bytes);
  options.max_field_bytes = static_cast<size_t>(limits_.max_field_bytes);
  options.max_key_bytes = static_cast<size_t>(limits_.max_key_bytes);
  CsvTableBuilder builder(options);
  std::string buffer(64 * 1024, '\0'), converted;
  int64_t total = 0;
  for (;;) {
    const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      return Status::IoError("cannot read roster file " + path + ": " + std::strerror(errno) +
                             "; nothing was applied");
    }
    if (n == 0) break;
    total += n;
    if (total > limits_.max_file_bytes) {  // the file grew while being read
      return Status::IoError("roster file " + path + " grew past roster.limits.max_file_bytes (" +
                             std::to_string(limits_.max_file_bytes) +
                             ") while being read; nothing was applied");
    }
    std::string_view chunk(buffer.data(), static_cast<size_t>(n));
    if (recoder.active()) {
      if (Status s = recoder.Convert(chunk, &converted, total - n); !s.ok()) return s;
      chunk = converted;
    }
    builder.Feed(chunk);
    if (after_chunk_) after_chunk_();
  }
  if (Status s = CheckUnchanged(fd.get(), path, st); !s.ok()) return s;
  Result<RawTable> table = builder.Finish();
  if (!table.ok()) return table;
  table->modified_ms = modified_ms;
  return table;
}

}  // namespace rostersync
