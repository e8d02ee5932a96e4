#include "daemon/service.h"

#include <spdlog/spdlog.h>

#include "config/config_loader.h"
#include "config/host_and_secrets.h"
#include "daemon/cycle_output.h"
#include "daemon/exit_codes.h"
#include "daemon/internal_options.h"
#include "daemon/json_views.h"
#include "daemon/logging.h"
#include "daemon/systemd_notify.h"
#include "daemon/wiring.h"

namespace rostersync::daemon {
namespace {

Result<std::string> ReadAdminToken(const AdminConfig& admin) {
  if (admin.token_file.empty()) return std::string();
  Result<std::string> token =
      ReadSecretFile(admin.token_file, "admin.token_file " + admin.token_file);
  if (!token.ok()) return token.status();
  if (token->empty()) return Status::Invalid("admin.token_file " + admin.token_file + " is empty");
  return token;
}

}  // namespace

ScheduleOptions Service::ToScheduleOptions(const Config& config) {
  ScheduleOptions o;
  o.interval_ms = std::max<int64_t>(config.schedule.interval_ms, 1000);
  o.jitter_ms = config.schedule.jitter_ms;
  o.run_on_start = config.schedule.run_on_start;
  o.debounce_ms = RosterQuietMs();
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
    }, RosterQuietMs());
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
  // Conflict: another instance leads (standby). Any other error: the state database cannot
  // be reached, which is a failed cycle with its real cause, never "standby".
  Status lock = leader_->Acquire();
  {
    std::lock_guard<std::mutex> guard(mu_);
    standby_ = lock.IsConflict();
  }
  metrics_.SetLeader(lock.ok());
  if (!lock.ok() && request.apply) {
    if (!lock.IsConflict()) return lock;
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
  request.command = RunCommand::kRun;
  Result<CycleResult> result = RunCycleLocked(request);
  if (!result.ok()) {
    if (result.status().IsConflict()) {
      NotifyStatus("standby");
      spdlog::info("{}", result.status().message());
      return true;  // standing by is not a failure: keep the normal interval
    }
    Reporter().NotRun(result.status());
    return false;
  }
  Record(*result);
  return result->exit_code != kExitError;
}

CycleReporter Service::Reporter() {
  return CycleReporter(metrics_, *notifier_, clock_,
                       [](const std::string& status) { NotifyStatus(status); });
}

void Service::Record(const CycleResult& r) {
  std::string summary =
      Reporter().Report(r, [this](const CycleResult& held) { return PostHeldSet(held); });
  RunRecord run = RunRecordFor(r, clock_.NowMs());  // what /v1/runs stores, too
  std::lock_guard<std::mutex> lock(mu_);
  last_run_ = run;
  last_summary_ = summary;
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
