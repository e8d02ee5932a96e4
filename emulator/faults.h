// Seeded, reproducible fault injection for /api/v4 requests: injected 5xx, latency and
// jitter, connection resets before/after the write, truncated bodies, stalls. Config can
// change at runtime. Thread-safe (one internal mutex; sleeps are cancellable by Shutdown()).
#ifndef ROSTERSYNC_TESTS_EMULATOR_FAULTS_H_
#define ROSTERSYNC_TESTS_EMULATOR_FAULTS_H_

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>

namespace mmemu {

struct FaultConfig {
  double error_rate = 0;         // share of requests answered 500/502/503
  int latency_ms = 0;            // added to every /api/v4 request
  int jitter_ms = 0;             // plus uniform 0..jitter_ms
  double reset_before_rate = 0;  // connection dropped, request not applied
  double reset_after_rate = 0;   // request applied, then connection dropped
  double truncate_rate = 0;      // response body cut in half, then connection closed
  double stall_rate = 0;         // response held for stall_ms
  int stall_ms = 30000;
  uint64_t seed = 1;
};

enum class FaultKind { kNone, kError, kResetBefore, kResetAfter, kTruncate, kStall };

struct FaultDecision {
  FaultKind kind = FaultKind::kNone;
  int latency_ms = 0;
  int error_status = 0;  // for kError: 500, 502 or 503
  int stall_ms = 0;
};

class Faults {
 public:
  // Replaces the config and reseeds the generator from config.seed.
  void Configure(const FaultConfig& config);
  FaultConfig config() const;
  // Draws the next decision (one fixed sequence of draws per request, so a given seed and
  // request order reproduce the same faults).
  FaultDecision Decide();
  // Sleeps up to ms; returns early (false) once Shutdown() was called.
  bool Sleep(int ms);
  void Shutdown();

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool shutdown_ = false;
  FaultConfig config_;
  std::mt19937_64 rng_{1};
};

std::string FaultConfigJson(const FaultConfig& config);
// Applies the members present in `json` over *config. False (with *error) on bad JSON.
bool ParseFaultConfig(const std::string& json, FaultConfig* config, std::string* error);

}  // namespace mmemu

#endif  // ROSTERSYNC_TESTS_EMULATOR_FAULTS_H_
