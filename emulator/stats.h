// Request counters and a bounded log of recent requests, served by /__emu/stats and
// /__emu/requests. Thread-safe (one internal mutex).
#ifndef ROSTERSYNC_TESTS_EMULATOR_STATS_H_
#define ROSTERSYNC_TESTS_EMULATOR_STATS_H_

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>

namespace mmemu {

class Stats {
 public:
  // `route` is the normalized route name; `status` 0 means the connection was dropped.
  void Record(const std::string& route, const std::string& method, const std::string& path,
              int status, bool api_write, bool applied_write, bool rate_limited);
  // Body bytes of one API request and its answer (bench/run reports bytes per cycle).
  void AddBytes(int64_t request_body, int64_t response_body);
  void Reset();
  std::string Json() const;
  std::string RecentJson(size_t limit) const;

 private:
  struct Entry {
    std::string method;
    std::string path;
    int status;
  };
  static constexpr size_t kMaxLog = 10000;
  mutable std::mutex mu_;
  int64_t requests_total_ = 0;
  int64_t writes_total_ = 0;
  int64_t writes_applied_total_ = 0;
  int64_t rate_limited_total_ = 0;
  int64_t request_bytes_total_ = 0;
  int64_t response_bytes_total_ = 0;
  std::map<std::string, int64_t> by_route_;
  std::map<std::string, int64_t> by_status_;
  std::deque<Entry> log_;
};

}  // namespace mmemu

#endif  // ROSTERSYNC_TESTS_EMULATOR_STATS_H_
