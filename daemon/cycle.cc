// CycleRunner: see daemon/cycle.h. The cycle itself is cycle/cycle_core.cc; this file only
// adapts the production parts to its seams (docs/design.md, "Targets").
#include "daemon/cycle.h"

#include <spdlog/spdlog.h>

#include <cstdio>

#include "config/config_loader.h"
#include "cycle/cycle_core.h"
#include "daemon/held_sets.h"
#include "daemon/wiring.h"
#include "roster/csv_settle.h"
#include "roster/roster_loader.h"

namespace rostersync::daemon {
namespace {

class SpdCycleLog : public cycle::CycleLog {
 public:
  void Info(const std::string& line) override { spdlog::info("{}", line); }
  void Warn(const std::string& line) override { spdlog::warn("{}", line); }
  void Error(const std::string& line) override { spdlog::error("{}", line); }
};

// roster/: waits for a CSV export still being written (csv_settle.h), then reads, maps and
// gates it (roster_loader.h).
class ConfigRosterLoader : public cycle::RosterLoader {
 public:
  ConfigRosterLoader(const Config& config, const StopToken* stop, Env& env)
      : config_(config), stop_(stop), env_(env) {}
  Result<Roster> Load(RosterSource& source, const std::optional<RosterFingerprint>& last,
                      int64_t now_ms) override {
    if (Status settled = WaitForRosterToSettle(config_.roster, stop_, env_); !settled.ok()) {
      return settled;
    }
    return LoadRoster(source, config_, last, now_ms);
  }
  RosterFingerprint Fingerprint(const Roster& roster, int64_t now_ms) override {
    return AcceptedFingerprint(roster, now_ms);
  }

 private:
  const Config& config_;
  const StopToken* stop_;
  Env& env_;
};

// A roster source the configuration could not build: reading it gives the reason, so the
// cycle stops at "roster" as for any unreadable roster.
class UnbuiltRosterSource : public RosterSource {
 public:
  UnbuiltRosterSource(Status why, std::string kind) : why_(std::move(why)), kind_(std::move(kind)) {}
  Result<RawTable> Read() override { return why_; }
  std::string Describe() const override { return kind_ + ":"; }

 private:
  Status why_;
  std::string kind_;
};

}  // namespace

cycle::CycleOptions CycleOptionsFor(const Config& config) {
  cycle::CycleOptions options;
  options.planner = ToPlannerOptions(config);
  options.membership = ToMembershipOptions(config);
  options.interval_ms = config.schedule.interval_ms;
  options.full_every_ms = config.schedule.full_every_ms;
  options.concurrency = config.mattermost.concurrency;
  options.revoke_tokens_on_deactivate = config.policy.revoke_tokens_on_deactivate;
  options.server = UrlForDisplay(config.mattermost.url);
  options.insecure_skip_verify = config.mattermost.insecure_skip_verify;
  const std::string url = config.mattermost.url;
  options.scrub = [url](std::string text) { return ScrubUrlPassword(std::move(text), url); };
  return options;
}

CycleRunner::CycleRunner(Config config, Env& env) : config_(std::move(config)), env_(env) {}

CycleRunner::CycleRunner(Config config, UsersApi* api, StateStore* store, AuditSink* audit,
                         Env& env)
    : config_(std::move(config)), env_(env), api_(api), store_(store), audit_(audit) {}

CycleRunner::~CycleRunner() = default;

void CycleRunner::ReopenAudit() {
  if (reopen_audit_) reopen_audit_();
}

CycleResult CycleRunner::Run(const CycleRequest& asked) {
  CycleRequest request = asked;
  if (request.apply && request.only_key.empty() && full_next_.exchange(false)) {
    request.full = true;
  }
  Result<std::unique_ptr<RosterSource>> made = MakeRosterSource(config_.roster);
  std::unique_ptr<RosterSource> source =
      made.ok() ? std::move(made).value()
                : std::make_unique<UnbuiltRosterSource>(made.status(), config_.roster.source);
  ConfigRosterLoader loader(config_, stop_, env_);
  SpdCycleLog log;
  cycle::CycleDeps deps;
  deps.roster = source.get();
  deps.loader = &loader;
  deps.api = api_;
  deps.store = store_;
  deps.audit = audit_;
  deps.env = &env_;
  deps.log = &log;
  deps.stop = stop_;
  deps.snapshot = &snapshot_;
  cycle::CycleOptions options = CycleOptionsFor(config_);
  options.decode_action = decode_action_;
  if (request.progress) {
    options.on_progress = [](int done, int total) {
      std::fprintf(stderr, "\rapplying %d/%d", done, total);
      if (done == total) std::fputc('\n', stderr);
      std::fflush(stderr);
    };
  }
  CycleResult r = cycle::CycleCore(deps).Run(options, request);
  if (save_rate_limit_ && request.apply) save_rate_limit_();  // plan's store is read-only
  if (r.applied && r.status.ok() && request.only_key.empty()) {
    // What is held now waits for an approval (daemon/held_sets.h).
    Result<HeldSetRecord> held = RecordHeldSet(*store_, r.plan, r.run_id, env_.NowMs());
    if (!held.ok()) spdlog::error("cannot record the held set: {}", held.status().ToString());
    if (held.ok()) {
      r.held_id = held->held_id;
      r.held_decision = held->decision;
    }
  }
  return r;
}

}  // namespace rostersync::daemon
