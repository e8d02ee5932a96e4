// `rostersync run`: a Poco ServerApplication (SampleServer shape). The config is loaded and
// validated in initialize(); main() blocks the termination signals before any thread exists,
// starts the Service and waits: SIGHUP reloads, SIGTERM/SIGINT/SIGQUIT stop.
#include <Poco/Path.h>
#include <Poco/Util/ServerApplication.h>
#include <fcntl.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <syslog.h>
#include <systemd/sd-journal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <future>
#include <memory>
#include <thread>
#include <utility>

#include "config/config_loader.h"
#include "daemon/commands.h"
#include "daemon/exit_codes.h"
#include "daemon/logging.h"
#include "daemon/pidfile.h"
#include "daemon/service.h"
#include "daemon/wiring.h"

namespace rostersync::daemon {
namespace {

// How long SIGTERM waits for a running cycle before the process exits anyway (systemd's
// TimeoutStopSec is far longer).
constexpr int kStopGraceMs = 1500;

class RunApplication : public Poco::Util::ServerApplication {
 public:
  RunApplication(std::string config_path, std::string pidfile, std::string logfile,
                 int saved_stderr)
      : config_path_(std::move(config_path)),
        pidfile_path_(std::move(pidfile)),
        logfile_(std::move(logfile)),
        saved_stderr_(saved_stderr) {}

 protected:
  void initialize(Poco::Util::Application& self) override {
    ServerApplication::initialize(self);
    ConfigLoad load = LoadConfigFile(config_path_);
    if (!load.ok()) {
      std::fprintf(stderr, "rostersync run: the config %s has errors; not starting:\n%s\n",
                   config_path_.c_str(), load.Report().c_str());
      return;
    }
    Status s = SetupLogging(load.config.logging.level, load.config.logging.format);
    if (!s.ok()) std::fprintf(stderr, "rostersync run: %s\n", s.message().c_str());
    for (const ConfigProblem& p : load.problems) spdlog::warn("{}", p.ToString());
    config_ = std::move(load.config);
  }

  int main(const std::vector<std::string>&) override {
    if (!config_) return kExitError;
    if (Status s = RedirectDaemonLog(); !s.ok()) {
      spdlog::error("rostersync run: {}", s.ToString());
      return kExitError;
    }
    std::unique_ptr<PidFile> pidfile;
    if (!pidfile_path_.empty()) {
      Result<std::unique_ptr<PidFile>> written = PidFile::Write(pidfile_path_);
      if (!written.ok()) {
        spdlog::error("rostersync run: {}", written.status().ToString());
        return kExitError;
      }
      pidfile = std::move(written).value();
    }
    // Every thread inherits this mask, so the signals reach sigwait() below only.
    sigset_t signals;
    sigemptyset(&signals);
    for (int sig : {SIGHUP, SIGINT, SIGTERM, SIGQUIT}) sigaddset(&signals, sig);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    SystemClock clock;
    Service service(*config_, clock);
    Status s = service.Start();
    if (!s.ok()) {
      spdlog::error("rostersync run: cannot start: {}", s.ToString());
      return kExitError;
    }
    spdlog::info("rostersync run: started (config {}, pid {})", config_path_, getpid());
    for (;;) {
      int sig = 0;
      if (sigwait(&signals, &sig) != 0) continue;
      if (sig == SIGHUP) {
        spdlog::info("SIGHUP: reloading {}", config_path_);
        service.Reload(config_path_);
        continue;
      }
      spdlog::info("{}: stopping", strsignal(sig));
      break;
    }
    // A cycle against a slow server may run for minutes: wait for it briefly, then exit.
    // Every action is journaled before it is sent and SQLite commits are atomic, so the
    // next start resolves whatever was in flight (Executor::ResolvePending).
    std::promise<void> done;
    std::future<void> stopped = done.get_future();
    std::thread stopper([&service, &done] {
      service.Stop();
      done.set_value();
    });
    if (stopped.wait_for(std::chrono::milliseconds(kStopGraceMs)) != std::future_status::ready) {
      spdlog::warn("rostersync run: a cycle is still running after {} ms; exiting now (its "
                   "journaled actions are resolved at the next start)",
                   kStopGraceMs);
      spdlog::default_logger()->flush();
      pidfile.reset();
      std::fflush(nullptr);
      std::_Exit(kExitOk);
    }
    stopper.join();
    spdlog::info("rostersync run: stopped");
    return kExitOk;
  }

 private:
  // After --daemon (Poco sent stdio to /dev/null): stderr, where the log goes, becomes the
  // --logfile, else the journal, else the stderr the command was started with.
  Status RedirectDaemonLog() {
    if (saved_stderr_ < 0) return Status::Ok();
    int fd = -1;
    if (!logfile_.empty()) {
      Result<int> opened = OpenDaemonFile("--logfile", logfile_, O_WRONLY | O_APPEND | O_CREAT,
                                         0640);
      if (!opened.ok()) {
        ::dup2(saved_stderr_, STDERR_FILENO);  // say it where someone can read it
        return opened.status();
      }
      fd = *opened;
    } else {
      fd = sd_journal_stream_fd("rostersync", LOG_INFO, 1);
      if (fd < 0) fd = ::dup(saved_stderr_);
    }
    ::dup2(fd, STDERR_FILENO);
    ::close(fd);
    ::close(saved_stderr_);
    saved_stderr_ = -1;
    return Status::Ok();
  }

  std::string config_path_;
  std::string pidfile_path_;
  std::string logfile_;
  int saved_stderr_ = -1;
  std::optional<Config> config_;
};

}  // namespace

int CmdRun(const CommandLine& cl, int argc, char** argv) {
  // Absolute, because --daemon changes to "/" after forking.
  std::string path = Poco::Path(cl.config_path).absolute().toString();
  {
    // Fail fast, on the terminal, before forking.
    ConfigLoad load = LoadConfigFile(path);
    if (!load.ok()) {
      std::fprintf(stderr, "rostersync run: the config %s has errors; not starting:\n%s\n",
                   path.c_str(), load.Report().c_str());
      return kExitError;
    }
  }
  std::vector<std::string> args{argc > 0 ? argv[0] : "rostersync"};
  int saved_stderr = -1;
  if (cl.Has("--daemon")) {
    args.push_back("--daemon");
    saved_stderr = ::fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);  // survives Poco's /dev/null
  }
  // The pid file is ours (O_NOFOLLOW), not Poco's, which follows a symlink.
  std::string pidfile =
      cl.Has("--pidfile") ? Poco::Path(cl.Get("--pidfile")).absolute().toString() : "";
  std::string logfile =
      cl.Has("--logfile") ? Poco::Path(cl.Get("--logfile")).absolute().toString() : "";
  // Checked here, before --daemon forks: the detached child's refusal reaches nobody.
  for (const auto& [what, file] : {std::make_pair("--pidfile", pidfile),
                                   std::make_pair("--logfile", logfile)}) {
    if (file.empty()) continue;
    if (Status s = CheckWritableFile(what, file); !s.ok()) {
      std::fprintf(stderr, "rostersync run: %s; not starting\n", s.message().c_str());
      if (saved_stderr >= 0) ::close(saved_stderr);
      return kExitError;
    }
  }
  std::vector<char*> cargs;
  for (std::string& a : args) cargs.push_back(a.data());
  cargs.push_back(nullptr);
  RunApplication app(path, pidfile, logfile, saved_stderr);
  return app.run(static_cast<int>(args.size()), cargs.data());
}

}  // namespace rostersync::daemon
