// `rostersync demo`: the bundled mm-emulator on a free loopback port, a sample roster and
// config in a temporary directory, then plan -> sync -> plan. Leaves nothing behind, also
// on failure or Ctrl-C (a watcher thread catches SIGINT/SIGTERM and cleans up).
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <thread>

#include "config/config_loader.h"
#include "daemon/commands.h"
#include "daemon/cycle.h"
#include "daemon/exit_codes.h"
#include "daemon/logging.h"
#include "sync/plan_printer.h"

namespace rostersync::daemon {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDemoToken = "demo-admin-token-0123456789";

constexpr const char* kSeed = R"({
  "users": [
    {"username": "asmith", "email": "alex.smith@example.com", "first_name": "Alex",
     "last_name": "Smith", "roles": "system_user", "password": "Demo-passw0rd!"},
    {"username": "bwayne", "email": "bruce.wayne@example.com", "first_name": "Bruce",
     "last_name": "Wayne", "roles": "system_user", "password": "Demo-passw0rd!"},
    {"username": "old.timer", "email": "old.timer@example.com", "first_name": "Old",
     "last_name": "Timer", "roles": "system_user", "password": "Demo-passw0rd!"}
  ],
  "bots": [
    {"username": "helper-bot", "display_name": "Helper", "description": "a bot: never touched"}
  ]
}
)";

constexpr const char* kRoster =
    "employee_id,username,email,first_name,last_name,title,status\n"
    "E1001,jdoe,jane.doe@example.com,Jane,Doe,Engineer,active\n"
    "E1002,asmith,alex.smith@example.com,Alex,Smith-Jones,Designer,active\n"
    "E1003,bwayne,bruce.wayne@example.com,Bruce,Wayne,Accountant,terminated\n"
    "E1004,ckent,clark.kent@example.com,Clark,Kent,Reporter,active\n";

std::string ConfigText(const std::string& dir, int port) {
  return "mattermost:\n"
         "  url: http://127.0.0.1:" +
         std::to_string(port) +
         "\n"
         "  token_file: " +
         dir +
         "/mm-token\n"
         "roster:\n"
         "  source: csv\n"
         "  csv: {path: " +
         dir +
         "/roster.csv, settle: 0s}\n"  // the demo writes it just before the plan
         "  key: employee_id\n"
         "fields:\n"
         "  username: {column: username}\n"
         "  email: {column: email, transform: [trim, lower]}\n"
         "  first_name: {column: first_name}\n"
         "  last_name: {column: last_name}\n"
         "  position: {column: title}\n"
         "  active: {column: status, true: [active, leave], false: [terminated]}\n"
         "policy:\n"
         "  max_deactivations: 2\n"
         "state:\n"
         "  database: \"sqlite:" +
         dir +
         "/state.db\"\n"
         "audit:\n"
         "  file: " +
         dir +
         "/audit.jsonl\n"
         "logging:\n"
         "  level: warn\n";
}

std::string SelfDir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? "." : exe.parent_path().string();
}

// The emulator: $ROSTERSYNC_EMULATOR, next to rostersync, or in the build tree.
std::string FindEmulator() {
  if (const char* env = std::getenv("ROSTERSYNC_EMULATOR"); env && *env) return env;
  std::vector<std::string> candidates = {SelfDir() + "/mm-emulator",
                                         SelfDir() + "/../emulator/mm-emulator"};
#ifdef ROSTERSYNC_EMULATOR_BUILD
  candidates.push_back(ROSTERSYNC_EMULATOR_BUILD);
#endif
  for (const std::string& c : candidates) {
    if (access(c.c_str(), X_OK) == 0) return c;
  }
  return "";
}

std::atomic<pid_t> g_child{-1};
std::string g_dir;  // set before the watcher starts, read-only afterwards

void Cleanup() {
  pid_t pid = g_child.exchange(-1);
  if (pid > 0) {
    kill(pid, SIGTERM);
    for (int i = 0; i < 50; ++i) {
      if (waitpid(pid, nullptr, WNOHANG) == pid) {
        pid = -1;
        break;
      }
      usleep(100'000);
    }
    if (pid > 0) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
  }
  if (!g_dir.empty()) {
    std::error_code ec;
    fs::remove_all(g_dir, ec);
  }
}

// Starts the emulator with stdout on a pipe; returns its port or -1.
int StartEmulator(const std::string& binary, const std::string& seed_path, std::string* error) {
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) {
    *error = "pipe failed";
    return -1;
  }
  pid_t pid = fork();
  if (pid < 0) {
    *error = "fork failed";
    return -1;
  }
  if (pid == 0) {
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_UNBLOCK, &all, nullptr);
    prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the demo
    dup2(out[1], STDOUT_FILENO);
    execl(binary.c_str(), binary.c_str(), "--port", "0", "--admin-token", kDemoToken, "--seed",
          seed_path.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  g_child = pid;
  close(out[1]);
  std::string line;
  for (int waited = 0; waited < 15'000 && line.find('\n') == std::string::npos;) {
    struct pollfd p = {out[0], POLLIN, 0};
    int n = poll(&p, 1, 250);
    waited += 250;
    if (n <= 0) continue;
    char buf[256];
    ssize_t got = read(out[0], buf, sizeof buf);
    if (got <= 0) break;
    line.append(buf, static_cast<size_t>(got));
  }
  close(out[0]);
  std::smatch m;
  static const std::regex kListening(R"(listening on http://127\.0\.0\.1:(\d+))");
  if (!std::regex_search(line, m, kListening)) {
    *error = "mm-emulator (" + binary + ") did not start; its first line was \"" + line + "\"";
    return -1;
  }
  return std::stoi(m[1]);
}

// Writes the seed, roster and token into g_dir and starts mm-emulator on them: its port,
// or -1 (the error printed).
int StartDemoServer(const std::string& binary) {
  std::ofstream(g_dir + "/seed.json") << kSeed;
  std::ofstream(g_dir + "/roster.csv") << kRoster;
  std::ofstream(g_dir + "/mm-token") << kDemoToken << "\n";
  fs::permissions(g_dir + "/mm-token", fs::perms::owner_read | fs::perms::owner_write);
  std::string error;
  int port = StartEmulator(binary, g_dir + "/seed.json", &error);
  if (port < 0) std::fprintf(stderr, "rostersync demo: %s\n", error.c_str());
  return port;
}

// The tour's three steps (plan, sync, plan again), each printed; false when one failed.
bool RunSteps(CycleRunner* runner) {
  const bool color = isatty(STDOUT_FILENO) == 1;
  struct Step {
    const char* title;
    bool apply;
  };
  for (const Step& step : {Step{"$ rostersync plan", false}, Step{"$ rostersync sync", true},
                           Step{"$ rostersync plan   (again: the server now matches)", false}}) {
    std::printf("== %s\n", step.title);
    std::fflush(stdout);
    CycleRequest request;
    request.apply = step.apply;
    request.command = step.apply ? RunCommand::kSync : RunCommand::kPlan;
    CycleResult r = runner->Run(request);
    if (!r.status.ok()) {
      PrintError("demo", r.status);
      return false;
    }
    std::cout << FormatPlanText(r.plan, color);
    if (r.applied) {
      std::cout << "Applied " << r.report.ok << ", failed " << r.report.failed << ", held "
                << r.report.held << ".\n";
    }
    std::cout << "\n";
    std::cout.flush();
  }
  return true;
}

int Tour() {
  std::string binary = FindEmulator();
  if (binary.empty()) {
    std::fprintf(stderr,
                 "rostersync demo: cannot find mm-emulator next to rostersync (%s) nor in the "
                 "build tree (the package does not ship it: run the demo from a build, scripts/demo); "
                 "set ROSTERSYNC_EMULATOR to its path.\n",
                 SelfDir().c_str());
    return kExitError;
  }
  int port = StartDemoServer(binary);
  if (port < 0) return kExitError;
  std::ofstream(g_dir + "/config.yaml") << ConfigText(g_dir, port);
  std::printf("== mm-emulator on http://127.0.0.1:%d: admin, a bot, asmith, bwayne, old.timer\n",
              port);
  std::printf("== roster %s/roster.csv:\n%s\n", g_dir.c_str(), kRoster);
  ConfigLoad load = LoadConfigFile(g_dir + "/config.yaml");
  if (!load.ok()) {
    std::fprintf(stderr, "rostersync demo: the sample config has errors:\n%s\n",
                 load.Report().c_str());
    return kExitError;
  }
  SetupLogging("warn", "text");
  Result<std::unique_ptr<CycleRunner>> runner = CycleRunner::Create(load.config, nullptr);
  if (!runner.ok()) {
    PrintError("demo", runner.status());
    return kExitError;
  }
  if (!RunSteps(runner->get())) return kExitError;
  std::printf(
      "The bot, the admin and old.timer (not in the roster, never managed) were left "
      "alone.\nNext: copy config/example.yaml, point it at your server and roster, and run "
      "`rostersync check-config`.\n");
  return kExitOk;
}

}  // namespace

int CmdDemo(const CommandLine&) {
  const char* tmp = std::getenv("TMPDIR");
  std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/rostersync-demo-XXXXXX";
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  if (mkdtemp(buf.data()) == nullptr) {
    std::fprintf(stderr,
                 "rostersync demo: cannot create a temporary directory under %s; set "
                 "TMPDIR to a writable directory.\n",
                 templ.c_str());
    return kExitError;
  }
  g_dir = buf.data();
  // Block the stop signals in every thread; the watcher cleans up if one arrives.
  sigset_t signals;
  sigemptyset(&signals);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGUSR1}) sigaddset(&signals, sig);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::thread watcher([signals] {
    int sig = 0;
    while (sigwait(&signals, &sig) != 0) {
    }
    if (sig == SIGUSR1) return;  // the tour finished
    Cleanup();
    std::fprintf(stderr, "\nrostersync demo: interrupted; emulator stopped, files removed.\n");
    _exit(130);
  });
  int code = kExitError;
  try {
    code = Tour();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rostersync demo: %s\n", e.what());
  }
  pthread_kill(watcher.native_handle(), SIGUSR1);
  watcher.join();
  Cleanup();
  return code;
}

}  // namespace rostersync::daemon
