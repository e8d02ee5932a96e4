// `rostersync run`: a Poco ServerApplication (SampleServer shape). The config is loaded and
// validated in initialize(); main() blocks the termination signals before any thread exists,
// starts the Service and waits: SIGHUP reloads, SIGTERM/SIGINT/SIGQUIT stop.
#include <Poco/Path.h>
#include <Poco/Util/ServerApplication.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <cstdio>

#include "config/config_loader.h"
#include "daemon/commands.h"
#include "daemon/exit_codes.h"
#include "daemon/logging.h"
#include "daemon/service.h"

namespace rostersync::daemon {
namespace {

class RunApplication : public Poco::Util::ServerApplication {
 public:
  explicit RunApplication(std::string config_path) : config_path_(std::move(config_path)) {}

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
      spdlog::info("{}: stopping after the running cycle", strsignal(sig));
      break;
    }
    service.Stop();
    spdlog::info("rostersync run: stopped");
    return kExitOk;
  }

 private:
  std::string config_path_;
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
  if (cl.Has("--daemon")) args.push_back("--daemon");
  if (cl.Has("--pidfile")) {
    args.push_back("--pidfile=" + Poco::Path(cl.Get("--pidfile")).absolute().toString());
  }
  std::vector<char*> cargs;
  for (std::string& a : args) cargs.push_back(a.data());
  cargs.push_back(nullptr);
  RunApplication app(path);
  return app.run(static_cast<int>(args.size()), cargs.data());
}

}  // namespace rostersync::daemon
