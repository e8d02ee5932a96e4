// mm-emulator: a standalone stand-in for a Mattermost server's users API, for tests,
// the demo and benchmarks. See docs/emulator.md for flags and admin routes.
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <string>

#include "tests/emulator/admin_routes.h"
#include "tests/emulator/faults.h"
#include "tests/emulator/http_server.h"
#include "tests/emulator/rate_limiter.h"
#include "tests/emulator/seed.h"
#include "tests/emulator/stats.h"
#include "tests/emulator/users_routes.h"

namespace {

struct Flags {
  int port = -1;
  std::string host = "127.0.0.1";
  std::string admin_token;
  std::string seed_file;
  int generate = 0;
  double rate_limit = 0;
  int burst = 100;
  mmemu::FaultConfig faults;
  int threads = 8;
  bool log_requests = false;
  mmemu::EmulatorOptions options;
};

constexpr char kUsage[] =
    "usage: mm-emulator --port N --admin-token TOKEN [--host 127.0.0.1] [--seed FILE.json]\n"
    "  [--generate N] [--rate-limit PER_SEC --burst B] [--fault-seed S] [--error-rate R]\n"
    "  [--latency-ms M] [--jitter-ms J] [--reset-before-rate R] [--reset-after-rate R]\n"
    "  [--truncate-rate R] [--stall-rate R] [--stall-ms MS] [--threads T] [--log-requests]\n"
    "  [--licensed] [--allow-permanent-delete]\n";

int Fail(const std::string& message) {
  std::cerr << "mm-emulator: " << message << "\n" << kUsage;
  return 2;
}

bool ParseFlags(int argc, char** argv, Flags* f, std::string* error) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= argc) {
        *error = a + " needs a value";
        return false;
      }
      *out = argv[++i];
      return true;
    };
    std::string v;
    try {
      if (a == "--log-requests") {
        f->log_requests = true;
      } else if (a == "--licensed") {
        f->options.licensed = true;
      } else if (a == "--allow-permanent-delete") {
        f->options.allow_permanent_delete = true;
      } else if (a == "--help" || a == "-h") {
        std::cerr << kUsage;
        std::exit(0);
      } else if (!value(&v)) {
        return false;
      } else if (a == "--port") {
        f->port = std::stoi(v);
      } else if (a == "--host") {
        f->host = v;
      } else if (a == "--admin-token") {
        f->admin_token = v;
      } else if (a == "--seed") {
        f->seed_file = v;
      } else if (a == "--generate") {
        f->generate = std::stoi(v);
      } else if (a == "--rate-limit") {
        f->rate_limit = std::stod(v);
      } else if (a == "--burst") {
        f->burst = std::stoi(v);
      } else if (a == "--fault-seed") {
        f->faults.seed = std::stoull(v);
      } else if (a == "--error-rate") {
        f->faults.error_rate = std::stod(v);
      } else if (a == "--latency-ms") {
        f->faults.latency_ms = std::stoi(v);
      } else if (a == "--jitter-ms") {
        f->faults.jitter_ms = std::stoi(v);
      } else if (a == "--reset-before-rate") {
        f->faults.reset_before_rate = std::stod(v);
      } else if (a == "--reset-after-rate") {
        f->faults.reset_after_rate = std::stod(v);
      } else if (a == "--truncate-rate") {
        f->faults.truncate_rate = std::stod(v);
      } else if (a == "--stall-rate") {
        f->faults.stall_rate = std::stod(v);
      } else if (a == "--stall-ms") {
        f->faults.stall_ms = std::stoi(v);
      } else if (a == "--threads") {
        f->threads = std::stoi(v);
      } else {
        *error = "unknown flag " + a;
        return false;
      }
    } catch (const std::exception&) {
      *error = "bad value '" + v + "' for " + a;
      return false;
    }
  }
  if (f->port < 0 || f->port > 65535) {
    *error = "--port is required (0 picks a free port)";
    return false;
  }
  if (f->admin_token.empty()) {
    *error = "--admin-token is required";
    return false;
  }
  if (f->threads < 1 || f->generate < 0) {
    *error = "--threads must be >= 1 and --generate >= 0";
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  std::string error;
  if (!ParseFlags(argc, argv, &flags, &error)) return Fail(error);

  // Block the stop signals in every thread; main waits for them with sigwait.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  mmemu::UserStore store;
  {
    std::unique_lock lock(store.mu());
    mmemu::CreateAdmin(&store, flags.admin_token);
    if (!flags.seed_file.empty()) {
      std::ifstream in(flags.seed_file);
      if (!in) return Fail("cannot read seed file " + flags.seed_file);
      std::stringstream buffer;
      buffer << in.rdbuf();
      if (mmemu::LoadSeedJson(&store, buffer.str(), &error) < 0) {
        return Fail("seed file " + flags.seed_file + ": " + error);
      }
    }
    mmemu::GenerateUsers(&store, flags.generate);
  }
  mmemu::Stats stats;
  mmemu::Faults faults;
  faults.Configure(flags.faults);
  mmemu::RateLimiter limiter;
  limiter.Configure(flags.rate_limit, flags.burst);
  mmemu::UsersRoutes users(&store, flags.options);
  mmemu::AdminRoutes admin(&store, &stats, &faults, &limiter, flags.admin_token);
  mmemu::EmulatorServer server(
      mmemu::ServerParts{&users, &admin, &stats, &faults, &limiter, flags.log_requests});
  int port = server.Start(flags.host, flags.port, flags.threads, &error);
  if (port < 0) {
    std::cerr << "mm-emulator: " << error << "\n";
    return 1;
  }
  std::printf("mm-emulator listening on http://%s:%d\n", flags.host.c_str(), port);
  std::fflush(stdout);
  std::cerr << "mm-emulator: " << store.size() << " users loaded\n";

  int sig = 0;
  sigwait(&stop_signals, &sig);
  std::cerr << "mm-emulator: stopping on signal " << sig << "\n";
  faults.Shutdown();
  server.Stop();
  return 0;
}
