#include "daemon/metrics.h"

#include <prometheus/text_serializer.h>

namespace rostersync::daemon {

using prometheus::BuildCounter;
using prometheus::BuildGauge;
using prometheus::BuildHistogram;
using prometheus::Histogram;

Metrics::Metrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      cycles_(BuildCounter()
                  .Name("rostersync_cycles_total")
                  .Help("Sync cycles run, by result (ok, partial, held, failed).")
                  .Register(*registry_)),
      last_success_(BuildGauge()
                        .Name("rostersync_last_success_timestamp_seconds")
                        .Help("Unix time of the last cycle that finished without error.")
                        .Register(*registry_)
                        .Add({})),
      cycle_duration_(BuildHistogram()
                          .Name("rostersync_cycle_duration_seconds")
                          .Help("Wall time of a sync cycle.")
                          .Register(*registry_)
                          .Add({}, Histogram::BucketBoundaries{0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120,
                                                               300, 600})),
      actions_(BuildCounter()
                   .Name("rostersync_actions_total")
                   .Help("Planned actions by action and result (ok, failed, held).")
                   .Register(*registry_)),
      roster_rows_(BuildGauge()
                       .Name("rostersync_roster_rows")
                       .Help("Data rows read from the roster in the last cycle.")
                       .Register(*registry_)
                       .Add({})),
      roster_rejected_(BuildGauge()
                           .Name("rostersync_roster_rejected_rows")
                           .Help("Roster rows rejected (malformed) in the last cycle.")
                           .Register(*registry_)
                           .Add({})),
      held_(BuildGauge()
                .Name("rostersync_held_actions")
                .Help("Actions a safety guard held back in the last cycle.")
                .Register(*registry_)
                .Add({})),
      attention_(BuildGauge()
                     .Name("rostersync_attention_items")
                     .Help("Items that need a person in the last cycle (e.g. a leaver who holds "
                           "system_admin).")
                     .Register(*registry_)
                     .Add({})),
      roster_trusted_(BuildGauge()
                          .Name("rostersync_roster_trusted")
                          .Help("1 when the last cycle's roster passed its integrity checks, 0 "
                                "when it was not trusted (changes to existing accounts held).")
                          .Register(*registry_)
                          .Add({})),
      api_requests_(BuildCounter()
                        .Name("rostersync_api_requests_total")
                        .Help("HTTP requests to Mattermost by method and status code.")
                        .Register(*registry_)),
      api_duration_(BuildHistogram()
                        .Name("rostersync_api_request_duration_seconds")
                        .Help("Latency of HTTP requests to Mattermost.")
                        .Register(*registry_)
                        .Add({}, Histogram::BucketBoundaries{0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                             0.5, 1, 2.5, 5, 10, 30})),
      rate_limited_(BuildCounter()
                        .Name("rostersync_rate_limited_total")
                        .Help("HTTP 429 answers from Mattermost.")
                        .Register(*registry_)
                        .Add({})),
      leader_(BuildGauge()
                  .Name("rostersync_leader")
                  .Help("1 when this instance applies changes, 0 on standby (HA).")
                  .Register(*registry_)
                  .Add({})) {
  leader_.Set(1);
  roster_trusted_.Set(1);
}

void Metrics::RecordCycle(const std::string& result, double seconds, double now_s) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    cycles_.Add({{"result", result}}).Increment();
  }
  cycle_duration_.Observe(seconds);
  if (result != "failed") last_success_.Set(now_s);
}

void Metrics::RecordAction(const std::string& action, const std::string& result, double count) {
  if (count <= 0) return;
  std::lock_guard<std::mutex> lock(mu_);
  actions_.Add({{"action", action}, {"result", result}}).Increment(count);
}

void Metrics::SetRoster(int rows, int rejected) {
  roster_rows_.Set(rows);
  roster_rejected_.Set(rejected);
}

void Metrics::SetHeld(int held) { held_.Set(held); }
void Metrics::SetAttention(int items) { attention_.Set(items); }
void Metrics::SetRosterTrusted(bool trusted) { roster_trusted_.Set(trusted ? 1 : 0); }

void Metrics::RecordApiRequest(const std::string& method, int code, double seconds) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    api_requests_.Add({{"method", method}, {"code", code > 0 ? std::to_string(code) : "error"}})
        .Increment();
  }
  api_duration_.Observe(seconds);
}

void Metrics::RecordRateLimited() { rate_limited_.Increment(); }

void Metrics::SetLeader(bool leader) { leader_.Set(leader ? 1 : 0); }

std::string Metrics::Serialize() const {
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

}  // namespace rostersync::daemon
