// CsvSource: the RosterSource for a CSV file (roster.csv). Streams the file in 64 KiB
// chunks through CsvTableBuilder. Owns nothing but the config; not thread-safe.
#ifndef ROSTERSYNC_ROSTER_CSV_SOURCE_H_
#define ROSTERSYNC_ROSTER_CSV_SOURCE_H_

#include <string>

#include "config/config.h"
#include "sync/roster_source.h"

namespace rostersync {

class CsvSource : public RosterSource {
 public:
  CsvSource(CsvConfig config, std::string key_column);
  // IoError if the file cannot be opened or read (the message names the path and the OS
  // error); Invalid if its header is unusable. Safe to retry.
  Result<RawTable> Read() override;
  std::string Describe() const override { return "csv:" + config_.path; }

 private:
  CsvConfig config_;
  std::string key_column_;
};

}  // namespace rostersync

#endif  // ROSTERSYNC_ROSTER_CSV_SOURCE_H_
