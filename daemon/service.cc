#include "daemon/service.h"

#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>

#include "config/config_loader.h"
#include "daemon/cycle_output.h"
#include "daemon/exit_codes.h"
#include "daemon/json_views.h"
#include "daemon/logging.h"
#include "daemon/systemd_notify.h"
#include "daemon/wiring.h"

namespace rostersync::daemon {
namespace {

Result<std::string> ReadAdminToken(const AdminConfig& admin) {
  if (admin.token_file.empty()) return std::string();
  std::ifstream in(admin.token_file);
  if (!in) {
    return Status::IoError("cannot read admin.token_file " + admin.token_file +
                           "; create it (one line: the token) or unset admin.token_file");
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string token = ss.str();
  auto b = token.find_first_not_of(" \t\r\n");
  auto e = token.find_last_not_of(" \t\r\n");
  token = b == std::string::npos ? "" : token.substr(b, e - b + 1);
  if (token.empty()) return Status::Invalid("admin.token_file " + admin.token_file + " is empty");
  return token;
}

}  // namespace

ScheduleOptions Service::ToScheduleOptions(const Config& config) {
  ScheduleOptions o;
  o.interval_ms = std::max<int64_t>(config.schedule.interval_ms, 1000);
  o.jitter_ms = config.schedule.jitter_ms;
  o.run_on_start = config.schedule.run_on_start;
  return o;
}

Service::Service(Config config, const Clock& clock) : clock_(clock), config_(std::move(config)) {
  notifier_ =
      std::make_unique<Notifier>(MakeHttpWebhookSender(config_.notify.webhook_url, 10'000), clock_);
  leader_ = std::make_unique<LeaderLock>(config_.state.database);
}

Service::~Service() { Stop(); }

Status Service::Start() {
  {
    std::lock_guard<std::mutex> cycle_lock(cycle_mu_);
    Status s = RebuildRunner(config_);
    if (!s.ok()) spdlog::error("not ready: {}", s.ToString());  // retried at every cycle
  }
  Status s = StartAdmin(config_.admin, nullptr);
  if (!s.ok()) return s;
  if (Status a = StartApprovals(); !a.ok()) return a;
  scheduler_ = std::make_unique<Scheduler>(ToScheduleOptions(config_), clock_,
                                           [this](Trigger t) { return ScheduledCycle(t); });
  if (config_.schedule.watch_roster && config_.roster.source == "csv") {
    const std::string path = config_.roster.csv.path;
    watch_ = std::make_unique<RosterWatch>(path, [this, path] {
      spdlog::debug("roster file changed: {}", path);
      scheduler_->RosterChanged();
    });
    Status s = watch_->Start();
    if (!s.ok()) {
      spdlog::warn("{}", s.ToString());
      watch_.reset();
    }
  }
  scheduler_->Start();
  if (WatchdogIntervalMs() > 0) watchdog_ = std::thread([this] { WatchdogLoop(); });
  NotifyReady();
  NotifyStatus("started; first cycle " +
               std::string(config_.schedule.run_on_start ? "now" : "after one interval"));
  return Status::Ok();
}

void Service::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  stop_token_.RequestStop();
  NotifyStopping();
  watchdog_cv_.notify_all();
  if (watch_) watch_->Stop();
  if (scheduler_) scheduler_->Stop();  // waits for a running cycle
  if (admin_) admin_->Stop();
  approvals_.reset();
  if (watchdog_.joinable()) watchdog_.join();
}

bool Service::Reload(const std::string& config_path) {
  NotifyReloading();
  ConfigLoad load = LoadConfigFile(config_path);
  if (std::shared_ptr<CycleRunner> runner = Runner()) runner->ReopenAudit();
  if (!load.ok()) {
    spdlog::error("SIGHUP: {} has errors; keeping the running config:", config_path);
    for (const ConfigProblem& p : load.problems) spdlog::error("  {}", p.ToString());
    NotifyReady();
    return false;
  }
  Status s = SetupLogging(load.config.logging.level, load.config.logging.format);
  if (!s.ok()) spdlog::warn("{}", s.message());
  AdminConfig old_admin;
  {
    std::lock_guard<std::mutex> lock(mu_);
    old_admin = config_.admin;
  }
  // admin.*: the token file is re-read at every reload, the listen address rebound.
  s = StartAdmin(load.config.admin, &old_admin);
  if (!s.ok()) {
    spdlog::error("SIGHUP: admin.* not applied, keeping the running config: {}", s.ToString());
    NotifyReady();
    return false;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (config_.notify.webhook_url != load.config.notify.webhook_url) {
      notifier_ = std::make_unique<Notifier>(
          MakeHttpWebhookSender(load.config.notify.webhook_url, 10'000), clock_);
    }
    config_ = std::move(load.config);
    config_changed_ = true;
  }
  if (scheduler_) scheduler_->SetOptions(ToScheduleOptions(config_));
  spdlog::info("SIGHUP: reloaded {}; the next cycle uses it", config_path);
  NotifyReady();
  return true;
}

Status Service::StartAdmin(const AdminConfig& admin, const AdminConfig* previous) {
  Result<std::string> token = ReadAdminToken(admin);
  if (!token.ok()) return token.status();
  if (admin_ && previous != nullptr && previous->listen == admin.listen &&
      *token == admin_token_) {
    return Status::Ok();  // unchanged: keep serving without a gap
  }
  if (admin_) admin_->Stop();
  admin_.reset();
  Result<std::unique_ptr<AdminServer>> started = AdminServer::Start(admin.listen, *token, *this);
  if (!started.ok()) {
    if (previous != nullptr) {
      Result<std::string> old_token = ReadAdminToken(*previous);
      auto back = AdminServer::Start(previous->listen, old_token.ok() ? *old_token : "", *this);
      if (back.ok()) admin_ = std::move(back).value();
    }
    return started.status();
  }
  admin_ = std::move(started).value();
  admin_token_ = *token;
  spdlog::info("admin endpoint on {} (port {}{})", admin.listen, admin_->port(),
               token->empty() ? "" : ", token required");
  return Status::Ok();
}

Status Service::RebuildRunner(const Config& config) {
  std::shared_ptr<StateStore> store = Store();
  if (!store || store_url_ != config.state.database) {
    {
      // Release before acquire: the old runner and store (and the SQLite lock) go first.
      std::lock_guard<std::mutex> lock(mu_);
      runner_.reset();
      store_.reset();
    }
    store.reset();
    Result<std::unique_ptr<StateStore>> opened = OpenStore(config);
    if (!opened.ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      runner_status_ = opened.status();
      return opened.status();
    }
    store = std::shared_ptr<StateStore>(std::move(opened).value());
    std::lock_guard<std::mutex> lock(mu_);
    store_ = store;
    store_url_ = config.state.database;
  }
  Result<std::unique_ptr<CycleRunner>> runner =
      CycleRunner::Create(config, &observer_, store.get(), &stop_token_);
  std::lock_guard<std::mutex> lock(mu_);
  if (!runner.ok()) {
    runner_status_ = runner.status();
    return runner.status();
  }
  runner_ = std::move(runner).value();
  runner_status_ = Status::Ok();
  return Status::Ok();
}

std::shared_ptr<StateStore> Service::Store() {
  std::lock_guard<std::mutex> lock(mu_);
  return store_;
}

std::shared_ptr<CycleRunner> Service::Runner() {
  std::lock_guard<std::mutex> lock(mu_);
  return runner_;
}

Result<CycleResult> Service::RunCycleLocked(const CycleRequest& request) {
  Config config;
  bool rebuild;
  {
    std::lock_guard<std::mutex> lock(mu_);
    rebuild = !runner_ || config_changed_;
    config = config_;
    config_changed_ = false;
  }
  if (rebuild) {
    Status s = RebuildRunner(config);
    if (!s.ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      config_changed_ = true;  // try again next time
      return s;
    }
  }
  bool leader = leader_->TryAcquire();
  {
    std::lock_guard<std::mutex> lock(mu_);
    standby_ = !leader;
  }
  metrics_.SetLeader(leader);
  if (!leader && request.apply) {
    return Status::Conflict(
        "standby: another rostersync instance holds the leader lock on "
        "the state database and applies changes");
  }
  std::shared_ptr<CycleRunner> runner = Runner();
  {
    std::lock_guard<std::mutex> lock(mu_);
    cycle_running_ = true;
    cycle_started_ms_ = clock_.NowMs();
  }
  CycleResult result = runner->Run(request);
  std::string plan_json = result.planned ? CycleResultToJson(result) : "";
  {
    std::lock_guard<std::mutex> lock(mu_);
    cycle_running_ = false;
    unauthorized_ = result.unauthorized;
    if (!plan_json.empty()) last_plan_json_ = std::move(plan_json);
  }
  return result;
}

bool Service::ScheduledCycle(Trigger trigger) {
  std::lock_guard<std::mutex> cycle_lock(cycle_mu_);
  spdlog::info("cycle starting ({})", TriggerName(trigger));
  CycleRequest request;
  request.apply = true;
  request.command = "run";
  Result<CycleResult> result = RunCycleLocked(request);
  if (!result.ok()) {
    if (result.status().IsConflict()) {
      NotifyStatus("standby");
      spdlog::info("{}", result.status().message());
      return true;  // standing by is not a failure: keep the normal interval
    }
    spdlog::error("cycle not run: {}", result.status().ToString());
    metrics_.RecordCycle("failed", 0, clock_.NowMs() / 1000.0);
    notifier_->Alert("failed:setup", "rostersync: cycle not run: " + result.status().ToString());
    NotifyStatus("cycle failed: " + result.status().ToString());
    return false;
  }
  Record(*result);
  return result->exit_code != kExitError;
}

void Service::Record(const CycleResult& r) {
  metrics_.RecordCycle(r.result, r.seconds, clock_.NowMs() / 1000.0);
  if (r.planned) {
    metrics_.SetRoster(r.plan.roster_rows, r.plan.rejected_rows);
    metrics_.SetHeld(r.plan.CountHeld());
    metrics_.SetAttention(static_cast<int>(r.plan.attention.size()));
  }
  if (r.applied) {
    for (const ActionOutcome& o : r.report.outcomes) {
      metrics_.RecordAction(ActionName(o.action.type),
                            o.action.held ? "held" : (o.status.ok() ? "ok" : "failed"));
    }
  }
  std::string summary = CycleSummary(r);
  if (r.exit_code == kExitError) {
    spdlog::error("cycle {}: {}", r.run_id, summary);
  } else {
    spdlog::info("cycle {}: {}", r.run_id, summary);
  }
  NotifyStatus(summary);
  RunRecord run;
  run.run_id = r.run_id;
  run.command = "run";
  run.started_ms = r.started_ms;
  run.finished_ms = clock_.NowMs();
  run.result = r.result;
  run.exit_code = r.exit_code;
  run.actions_ok = r.report.ok;
  run.actions_failed = r.report.failed;
  run.actions_held = r.report.held;
  run.roster_rows = r.planned ? r.plan.roster_rows : static_cast<int>(r.roster.row_count);
  run.rejected_rows = r.planned ? r.plan.rejected_rows : static_cast<int>(r.roster.rejected.size());
  run.message = summary;
  {
    std::lock_guard<std::mutex> lock(mu_);
    last_run_ = run;
    last_summary_ = summary;
  }
  if (r.applied && r.report.ok > 0) notifier_->Summary("rostersync: " + summary);
  if (r.exit_code == kExitError) {
    notifier_->Alert("failed:" + r.stage, "rostersync: cycle failed: " + summary);
  } else if (r.exit_code == kExitFailed) {
    notifier_->Alert("partial", "rostersync: some actions failed: " + summary);
  }
  if (r.planned) {
    // A rejected held set is not announced again until the plan changes (held_sets.h).
    const std::string approve =
        r.held_id.empty() ? "" : " (held set " + r.held_id + ": review with `rostersync held`, "
                                 "apply exactly these with `rostersync approve " + r.held_id + "`)";
    const bool posted = !r.plan.holds.empty() && (r.held_decision == "rejected" || PostHeldSet(r));
    for (const Hold& h : r.plan.holds) {
      if (posted) break;
      notifier_->Alert("held:" + h.guard, "rostersync: held back: " + h.message + approve);
    }
    // One alert per person per hour (the notifier's rate limit), every hour until resolved.
    for (const Attention& a : r.plan.attention) {
      notifier_->Alert("attention:" + a.key, "rostersync: attention: " + a.message);
    }
  }
}

void Service::WatchdogLoop() {
  const int64_t period = std::max<int64_t>(WatchdogIntervalMs() / 2, 100);
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    // A cycle stuck far beyond any sane duration stops the pings: systemd restarts us.
    bool stuck = cycle_running_ && clock_.NowMs() - cycle_started_ms_ >
                                       std::max<int64_t>(config_.schedule.interval_ms, 3600'000);
    if (!stuck) NotifyWatchdog();
    watchdog_cv_.wait_for(lock, std::chrono::milliseconds(period));
  }
}

bool Service::Ready(std::string* why) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!runner_status_.ok()) {
    *why = runner_status_.ToString();
    return false;
  }
  if (unauthorized_) {
    *why = "the last cycle failed on authorisation: the Mattermost token was refused";
    return false;
  }
  return true;
}

}  // namespace rostersync::daemon
