#include "roster/csv_source.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <utility>

#include "roster/csv_table.h"

namespace rostersync {

CsvSource::CsvSource(CsvConfig config, std::string key_column)
    : config_(std::move(config)), key_column_(std::move(key_column)) {}

Result<RawTable> CsvSource::Read() {
  const std::string& path = config_.path;
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) {
    return Status::IoError("cannot open roster file " + path + ": " + std::strerror(errno) +
                           "; check roster.csv.path and the file's permissions");
  }
  struct stat st {};
  int64_t modified_ms = 0;
  if (fstat(fileno(file.get()), &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      return Status::IoError("roster file " + path + " is a directory; check roster.csv.path");
    }
    modified_ms = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1'000'000;
  }
  CsvOptions options;
  options.delimiter = config_.delimiter;
  options.header = config_.header;
  options.origin = path;
  options.key_column = key_column_;
  CsvTableBuilder builder(options);
  std::string buffer(64 * 1024, '\0');
  for (;;) {
    const size_t n = std::fread(buffer.data(), 1, buffer.size(), file.get());
    if (n > 0) builder.Feed(std::string_view(buffer.data(), n));
    if (n < buffer.size()) {
      if (std::ferror(file.get())) {
        return Status::IoError("cannot read roster file " + path + ": " + std::strerror(errno) +
                               "; nothing was applied");
      }
      break;
    }
  }
  Result<RawTable> table = builder.Finish();
  if (!table.ok()) return table;
  table->modified_ms = modified_ms;
  return table;
}

}  // namespace rostersync
