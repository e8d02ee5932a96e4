// Clock: the seam for time, so the planner's grace periods and the scheduler are testable.
// SystemClock is thread-safe; FakeClock (tests) is not.
#ifndef ROSTERSYNC_SYNC_CLOCK_H_
#define ROSTERSYNC_SYNC_CLOCK_H_

#include <chrono>
#include <cstdint>
#include <string>

namespace rostersync {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t NowMs() const = 0;  // milliseconds since the Unix epoch (UTC)
};

class SystemClock : public Clock {
 public:
  int64_t NowMs() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

class FakeClock : public Clock {
 public:
  explicit FakeClock(int64_t now_ms) : now_ms_(now_ms) {}
  int64_t NowMs() const override { return now_ms_; }
  void Advance(int64_t ms) { now_ms_ += ms; }
  void Set(int64_t ms) { now_ms_ = ms; }

 private:
  int64_t now_ms_;
};

// "2026-11-29" for a UTC time in ms; "2026-11-29T13:02:23Z" with seconds.
std::string UtcDate(int64_t ms);
std::string UtcTimestamp(int64_t ms);

}  // namespace rostersync

#endif  // ROSTERSYNC_SYNC_CLOCK_H_
