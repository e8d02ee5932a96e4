// StopToken (see stop_token.h).
#include "sync/stop_token.h"

#include <thread>

namespace rostersync {

void StopToken::RequestStop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopped_.store(true, std::memory_order_release);
  }
  cv_.notify_all();
}

bool StopToken::SleepUntil(Clock::time_point deadline) const {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_until(lock, deadline, [this] { return stop_requested(); });
}

bool SleepUnlessStopped(const StopToken* stop, StopToken::Clock::time_point deadline) {
  if (stop != nullptr) return stop->SleepUntil(deadline);
  std::this_thread::sleep_until(deadline);
  return false;
}

}  // namespace rostersync
