// libFuzzer target: ParseConfig over arbitrary bytes (YAML bounds and alias counting first)
// must never crash, hang or throw, and its report must never be empty when the config is
// rejected. The same bytes go through the roster query check (SqlQueryProblem).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "config/config_loader.h"
#include "config/sql_query_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;  // the interesting bugs are in structure, not size
  const std::string text(reinterpret_cast<const char*>(data), size);
  rostersync::ConfigLoad load = rostersync::ParseConfig(text, "fuzz.yaml");
  const std::string report = load.Report();
  if (!load.ok() && report.empty()) std::abort();
  if (load.config.mattermost.timeout_ms < 0 || load.config.schedule.interval_ms < 0) std::abort();
  // A query the check accepts starts (after blanks, '(' and comments) with SELECT or WITH.
  (void)rostersync::SqlQueryProblem(text);
  return 0;
}
