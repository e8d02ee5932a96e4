// The scheduler's loop and policy (scheduler.h).
#include "daemon/scheduler.h"

#include <algorithm>
#include <chrono>

namespace rostersync::daemon {

const char* TriggerName(Trigger trigger) {
  switch (trigger) {
    case Trigger::kStart:
      return "start";
    case Trigger::kInterval:
      return "interval";
    case Trigger::kRosterChanged:
      return "roster-changed";
    case Trigger::kRequested:
      return "requested";
    case Trigger::kRetry:
      return "retry";
  }
  return "unknown";
}

Scheduler::Scheduler(ScheduleOptions options, const Clock& clock, CycleFn cycle, uint32_t seed)
    : clock_(clock), cycle_(std::move(cycle)), options_(options), rng_(seed) {
  next_due_ms_ = clock_.NowMs() + (options_.run_on_start ? 0 : DelayAfterLocked(true));
}

Scheduler::~Scheduler() { Stop(); }

void Scheduler::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable() || stop_) return;
  thread_ = std::thread([this] { Loop(); });
}

void Scheduler::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void Scheduler::RequestNow() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    requested_ = true;
  }
  cv_.notify_all();
}

void Scheduler::RosterChanged() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    watch_deadline_ms_ = clock_.NowMs() + options_.debounce_ms;  // each change restarts it
  }
  cv_.notify_all();
}

void Scheduler::SetOptions(const ScheduleOptions& options) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    bool shorter = options.interval_ms < options_.interval_ms;
    options_ = options;
    if (shorter && failures_ == 0) {
      next_due_ms_ = std::min(next_due_ms_, clock_.NowMs() + options_.interval_ms);
    }
  }
  cv_.notify_all();
}

void Scheduler::Wake() {
  // Under the lock: the loop reads the clock and starts waiting without releasing it, so
  // this notify cannot fall between the two and be lost.
  { std::lock_guard<std::mutex> lock(mu_); }
  cv_.notify_all();
}

int64_t Scheduler::next_due_ms() const {
  std::lock_guard<std::mutex> lock(mu_);
  return next_due_ms_;
}

int Scheduler::cycles_run() const {
  std::lock_guard<std::mutex> lock(mu_);
  return cycles_run_;
}

int Scheduler::consecutive_failures() const {
  std::lock_guard<std::mutex> lock(mu_);
  return failures_;
}

int64_t Scheduler::BackoffMs(int failures, const ScheduleOptions& options) {
  if (failures <= 0) return options.interval_ms;
  int64_t delay = options.backoff_base_ms;
  for (int i = 1; i < failures && delay < options.interval_ms; ++i) delay *= 2;
  return std::max<int64_t>(0, std::min(delay, options.interval_ms));
}

int64_t Scheduler::DelayAfterLocked(bool ok) {
  if (!ok) return BackoffMs(failures_, options_);
  int64_t jitter = 0;
  if (options_.jitter_ms > 0) {
    jitter = std::uniform_int_distribution<int64_t>(0, options_.jitter_ms)(rng_);
  }
  return options_.interval_ms + jitter;
}

void Scheduler::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  bool first = options_.run_on_start;
  while (!stop_) {
    int64_t now = clock_.NowMs();
    Trigger trigger;
    if (requested_) {
      trigger = Trigger::kRequested;
    } else if (watch_deadline_ms_ > 0 && now >= watch_deadline_ms_) {
      trigger = Trigger::kRosterChanged;
    } else if (now >= next_due_ms_) {
      trigger = first ? Trigger::kStart : (failures_ > 0 ? Trigger::kRetry : Trigger::kInterval);
    } else {
      int64_t until = next_due_ms_;
      if (watch_deadline_ms_ > 0) until = std::min(until, watch_deadline_ms_);
      // Until the deadline, or until Stop/RequestNow/RosterChanged/SetOptions/Wake notify.
      cv_.wait_for(lock, std::chrono::milliseconds(std::max<int64_t>(until - now, 1)));
      continue;
    }
    first = false;
    requested_ = false;
    watch_deadline_ms_ = 0;
    lock.unlock();
    bool ok = false;
    try {
      ok = cycle_(trigger);
    } catch (...) {
      ok = false;  // a cycle must never take the scheduler down
    }
    lock.lock();
    ++cycles_run_;
    failures_ = ok ? 0 : failures_ + 1;
    next_due_ms_ = clock_.NowMs() + DelayAfterLocked(ok);
  }
}

}  // namespace rostersync::daemon
