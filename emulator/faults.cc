#include "emulator/faults.h"

#include <Poco/JSON/Parser.h>

#include <chrono>

#include "emulator/json_writer.h"

namespace mmemu {

void Faults::Configure(const FaultConfig& config) {
  std::lock_guard lock(mu_);
  config_ = config;
  rng_.seed(config.seed);
}

FaultConfig Faults::config() const {
  std::lock_guard lock(mu_);
  return config_;
}

FaultDecision Faults::Decide() {
  std::lock_guard lock(mu_);
  FaultDecision d;
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  // Always draw the same number of values so decisions depend only on seed and order.
  double kind_draw = unit(rng_);
  double jitter_draw = unit(rng_);
  uint64_t status_draw = rng_();
  d.latency_ms = config_.latency_ms;
  if (config_.jitter_ms > 0) {
    d.latency_ms += static_cast<int>(jitter_draw * (config_.jitter_ms + 1));
  }
  double edge = config_.error_rate;
  static const int kStatuses[] = {500, 502, 503};
  if (kind_draw < edge) {
    d.kind = FaultKind::kError;
    d.error_status = kStatuses[status_draw % 3];
    return d;
  }
  if (kind_draw < (edge += config_.reset_before_rate)) {
    d.kind = FaultKind::kResetBefore;
  } else if (kind_draw < (edge += config_.reset_after_rate)) {
    d.kind = FaultKind::kResetAfter;
  } else if (kind_draw < (edge += config_.truncate_rate)) {
    d.kind = FaultKind::kTruncate;
  } else if (kind_draw < (edge += config_.stall_rate)) {
    d.kind = FaultKind::kStall;
    d.stall_ms = config_.stall_ms;
  }
  return d;
}

bool Faults::Sleep(int ms) {
  if (ms <= 0) return true;
  std::unique_lock lock(mu_);
  return !cv_.wait_for(lock, std::chrono::milliseconds(ms), [&] { return shutdown_; });
}

void Faults::Shutdown() {
  {
    std::lock_guard lock(mu_);
    shutdown_ = true;
  }
  cv_.notify_all();
}

std::string FaultConfigJson(const FaultConfig& c) {
  JsonWriter w;
  w.BeginObject();
  w.Key("error_rate").Double(c.error_rate);
  w.Field("latency_ms", c.latency_ms).Field("jitter_ms", c.jitter_ms);
  w.Key("reset_before_rate").Double(c.reset_before_rate);
  w.Key("reset_after_rate").Double(c.reset_after_rate);
  w.Key("truncate_rate").Double(c.truncate_rate);
  w.Key("stall_rate").Double(c.stall_rate);
  w.Field("stall_ms", c.stall_ms).Field("seed", static_cast<int64_t>(c.seed));
  w.EndObject();
  return w.Take();
}

bool ParseFaultConfig(const std::string& json, FaultConfig* c, std::string* error) {
  try {
    Poco::JSON::Parser parser;
    auto obj = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
    auto rate = [&](const char* key, double* dst) {
      if (!obj->has(key)) return true;
      double v = obj->getValue<double>(key);
      if (v < 0 || v > 1) {
        *error = std::string(key) + " must be between 0 and 1";
        return false;
      }
      *dst = v;
      return true;
    };
    auto ms = [&](const char* key, int* dst) {
      if (!obj->has(key)) return true;
      int v = obj->getValue<int>(key);
      if (v < 0) {
        *error = std::string(key) + " must not be negative";
        return false;
      }
      *dst = v;
      return true;
    };
    if (!rate("error_rate", &c->error_rate) || !rate("reset_before_rate", &c->reset_before_rate) ||
        !rate("reset_after_rate", &c->reset_after_rate) ||
        !rate("truncate_rate", &c->truncate_rate) || !rate("stall_rate", &c->stall_rate) ||
        !ms("latency_ms", &c->latency_ms) || !ms("jitter_ms", &c->jitter_ms) ||
        !ms("stall_ms", &c->stall_ms)) {
      return false;
    }
    if (obj->has("seed")) c->seed = obj->getValue<uint64_t>("seed");
    return true;
  } catch (const std::exception& e) {
    *error = std::string("body must be a JSON object of fault settings: ") + e.what();
    return false;
  }
}

}  // namespace mmemu
