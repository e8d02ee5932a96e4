// CsvSource: the RosterSource for a CSV file (roster.csv). Reads only a regular file (never a
// FIFO, device or /proc file), within roster.limits, converting roster.csv.encoding to UTF-8
// (glibc iconv), and streams it in 64 KiB chunks through CsvTableBuilder. Not thread-safe.
#ifndef ROSTERSYNC_ROSTER_CSV_SOURCE_H_
#define ROSTERSYNC_ROSTER_CSV_SOURCE_H_

#include <functional>
#include <string>
#include <utility>

#include "config/config.h"
#include "sync/roster_source.h"

namespace rostersync {

class CsvSource : public RosterSource {
 public:
  CsvSource(CsvConfig config, std::string key_column, RosterLimits limits = {});
  // IoError if the file cannot be opened or read (the message names the path and the OS
  // error), is not a regular file, or is larger than limits.max_file_bytes; Invalid if its
  // header is unusable or it is not valid in its encoding; IoError "changed while it was
  // read" when its size or mtime differ after the read from before it (a writer was at it:
  // nothing of it is used). Never blocks on a FIFO. Safe to retry.
  Result<RawTable> Read() override;
  std::string Describe() const override { return "csv:" + config_.path; }
  // Tests: called after each chunk is read (e.g. to append to the file mid-read).
  void set_after_chunk(std::function<void()> hook) { after_chunk_ = std::move(hook); }

 private:
  CsvConfig config_;
  std::string key_column_;
  RosterLimits limits_;
  std::function<void()> after_chunk_;
};

}  // namespace rostersync

#endif  // ROSTERSYNC_ROSTER_CSV_SOURCE_H_
