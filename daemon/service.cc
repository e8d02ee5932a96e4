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
#include "sync/redact.h"

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

std::unique_ptr<CycleCoordinator> Service::MakeCoordinator(const Config& config) {
  CycleCoordinator::Seams seams;
  seams.open_store = [](const Config& c) { return OpenStore(c); };
  seams.make_runner = [this](const Config& c, StateStore* store) {
    return CycleRunner::Create(c, &observer_, store, &stop_token_);
  };
  seams.on_leader = [this](bool leader) { metrics_.SetLeader(leader); };
  return std::make_unique<CycleCoordinator>(config, MakeLeaderElection(config.state.database),
                                            clock_, std::move(seams));
}

Service::Service(Config config, const Clock& clock)
    : clock_(clock),
      coordinator_(MakeCoordinator(config)),
      cycle_mu_(coordinator_->cycle_mutex()),
      config_(std::move(config)) {
  notifier_ =
      std::make_unique<Notifier>(MakeHttpWebhookSender(config_.notify.webhook_url, 10'000), clock_);
}

Service::~Service() { Stop(); }

Status Service::Start() {
  {
    std::lock_guard<std::mutex> cycle_lock(cycle_mu_);
    Status s = coordinator_->BuildLocked();
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
  if (!ReloadKeepsStateDatabase(load.config)) {
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
    coordinator_->SetConfig(config_);
  }
  if (scheduler_) scheduler_->SetOptions(ToScheduleOptions(config_));
  spdlog::info("SIGHUP: reloaded {}; the next cycle uses it", config_path);
  NotifyReady();
  return true;
}

bool Service::ReloadKeepsStateDatabase(const Config& loaded) {
  std::string running;
  {
    std::lock_guard<std::mutex> lock(mu_);
    running = config_.state.database;
  }
  if (loaded.state.database == running) return true;
  // A new path would silently start on an empty database (every identity lost) and let a
  // second writer take the old one: a change of state.database needs a restart.
  spdlog::error("SIGHUP: state.database changed (\"{}\" -> \"{}\"); keeping the running "
                "config: state.database changes need a restart",
                redact::ConnectionString(running),
                redact::ConnectionString(loaded.state.database));
  return false;
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

bool Service::ScheduledCycle(Trigger trigger) {
  CycleCoordinator::ScheduledReport report;
  report.ran = [this](const CycleResult& result) { Record(result); };
  report.not_run = [this](const Status& why) { Reporter().NotRun(why); };
  report.standby = [](const Status& why) {
    NotifyStatus("standby");
    spdlog::info("{}", why.message());
  };
  return coordinator_->RunScheduled(trigger, report);
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
    int64_t started_ms = 0;
    bool stuck = coordinator_->cycle_running(&started_ms) &&
                 clock_.NowMs() - started_ms >
                     std::max<int64_t>(config_.schedule.interval_ms, 3600'000);
    if (!stuck) NotifyWatchdog();
    watchdog_cv_.wait_for(lock, std::chrono::milliseconds(period));
  }
}

bool Service::Ready(std::string* why) {
  Status runner_status = coordinator_->runner_status();
  if (!runner_status.ok()) {
    *why = runner_status.ToString();
    return false;
  }
  if (Status state = coordinator_->state_status(); !state.ok()) {
    *why = "the state database is failing: " + state.ToString();
    return false;
  }
  if (coordinator_->unauthorized()) {
    *why = "the last cycle failed on authorisation: the Mattermost token was refused";
    return false;
  }
  return true;
}

}  // namespace rostersync::daemon
