// mm-emulator: a standalone stand-in for a Mattermost server's users API and its team and
// channel memberships, for tests, the demo and benchmarks. See docs/emulator.md for flags and admin routes.
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <string>

#include "emulator/admin_routes.h"
#include "emulator/webhooks.h"
#include "emulator/faults.h"
#include "emulator/http_server.h"
#include "emulator/modes.h"
#include "emulator/rate_limiter.h"
#include "emulator/seed.h"
#include "emulator/stats.h"
#include "emulator/users_routes.h"

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
  // More than a client's 8 keep-alive connections (each holds a thread), so 8+ requests
  // can wait out --latency-ms at once.
  int threads = 16;
  bool log_requests = false;
  bool rate_limit_given = false;
  mmemu::ServerModes modes;
};

constexpr char kUsage[] =
    "usage: mm-emulator --port N --admin-token TOKEN [--host 127.0.0.1] [--seed FILE.json]\n"
    "  [--generate N] [--rate-limit PER_SEC --burst B] [--fault-seed S] [--error-rate R]\n"
    "  [--latency-ms M] [--jitter-ms J] [--reset-before-rate R] [--reset-after-rate R]\n"
    "  [--truncate-rate R] [--stall-rate R] [--stall-ms MS] [--threads T] [--log-requests]\n"
    "  [--licensed] [--allow-permanent-delete] [--realistic] [--license-without-guests]\n"
    "  [--guest-accounts-disabled] [--require-email-verification] [--password-min-length N]\n"
    "  [--password-require lower,upper,number,symbol] [--saml-owned FIELDS] [--ldap-owned FIELDS]\n"
    "  [--user-limit N] [--listing-skew] [--replica-lag-ms MS] [--rate-limit-per-ip]\n"
    "  [--sanitize-unicode] [--replace-unsupported-locale] [--max-users-per-team N]\n";

// Switches without a value that set one server mode.
bool ModeSwitch(const std::string& a, mmemu::ServerModes* m) {
  struct Switch {
    const char* flag;
    bool* dst;
    bool value;
  } switches[] = {{"--licensed", &m->licensed, true},
                  {"--allow-permanent-delete", &m->allow_permanent_delete, true},
                  {"--license-without-guests", &m->license_guest_accounts, false},
                  {"--guest-accounts-disabled", &m->guest_accounts_enabled, false},
                  {"--require-email-verification", &m->require_email_verification, true},
                  {"--listing-skew", &m->listing_skew, true},
                  {"--rate-limit-per-ip", &m->rate_limit_per_ip, true},
                  {"--sanitize-unicode", &m->sanitize_unicode, true},
                  {"--replace-unsupported-locale", &m->replace_unsupported_locale, true}};
  for (const auto& s : switches) {
    if (a == s.flag) {
      *s.dst = s.value;
      return true;
    }
  }
  return a == "--realistic";  // applied before the other flags, see ParseFlags
}

// Mode flags that take a value. Returns false with *error on a bad value; *known false
// when `a` is not one of them.
bool ModeValue(const std::string& a, const std::string& v, mmemu::ServerModes* m, bool* known,
               std::string* error) {
  *known = true;
  if (a == "--password-min-length") {
    m->password_min_length = std::stoi(v);
    if (m->password_min_length < 1 || m->password_min_length > 72) {
      *error = "--password-min-length must be between 1 and 72";
      return false;
    }
    return true;
  }
  if (a == "--password-require") return mmemu::ParsePasswordClasses(v, m, error);
  if (a == "--saml-owned") return mmemu::ParseOwnedFields(v, &m->saml_owned, error);
  if (a == "--ldap-owned") return mmemu::ParseOwnedFields(v, &m->ldap_owned, error);
  if (a == "--user-limit") {
    m->user_limit = std::stoi(v);
    return m->user_limit >= 0 || (*error = "--user-limit must be >= 0", false);
  }
  if (a == "--max-users-per-team") {
    m->max_users_per_team = std::stoi(v);
    return m->max_users_per_team > 0 || (*error = "--max-users-per-team must be > 0", false);
  }
  if (a == "--replica-lag-ms") {
    m->replica_lag_ms = std::stoi(v);
    return m->replica_lag_ms >= 0 || (*error = "--replica-lag-ms must be >= 0", false);
  }
  *known = false;
  return true;
}

int Fail(const std::string& message) {
  std::cerr << "mm-emulator: " << message << "\n" << kUsage;
  return 2;
}

// Sets the plain flag `a` (one that takes value v) in *f; false if `a` is not one.
// A malformed number throws (std::stoi and friends); the caller reports it.
bool SetValueFlag(const std::string& a, const std::string& v, Flags* f) {
  if (a == "--port") {
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
    f->rate_limit_given = true;
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
    return false;
  }
  return true;
}

// The checks on the parsed flags as a whole: false, with *error, if one fails.
bool CheckFlags(const Flags& f, std::string* error) {
  if (f.port < 0 || f.port > 65535) {
    *error = "--port is required (0 picks a free port)";
    return false;
  }
  if (f.admin_token.empty()) {
    *error = "--admin-token is required";
    return false;
  }
  if (f.threads < 1 || f.generate < 0) {
    *error = "--threads must be >= 1 and --generate >= 0";
    return false;
  }
  return true;
}

bool ParseFlags(int argc, char** argv, Flags* f, std::string* error) {
  for (int i = 1; i < argc; ++i) {  // --realistic first, so other flags can refine it
    if (std::string(argv[i]) == "--realistic") f->modes = mmemu::RealisticModes();
  }
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
      bool known = false;
      if (a == "--log-requests") {
        f->log_requests = true;
      } else if (ModeSwitch(a, &f->modes)) {
      } else if (a == "--help" || a == "-h") {
        std::cerr << kUsage;
        std::exit(0);
      } else if (!value(&v)) {
        return false;
      } else if (!ModeValue(a, v, &f->modes, &known, error)) {
        return false;
      } else if (!known && !SetValueFlag(a, v, f)) {
        *error = "unknown flag " + a;
        return false;
      }
    } catch (const std::exception&) {
      *error = "bad value '" + v + "' for " + a;
      return false;
    }
  }
  return CheckFlags(*f, error);
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
  // --realistic: the server's RateLimitSettings values (10/s, burst 100) unless given.
  const bool realistic_rate = flags.modes.rate_limit_per_ip && !flags.rate_limit_given;
  limiter.Configure(realistic_rate ? 10 : flags.rate_limit, flags.burst);
  mmemu::Modes modes(flags.modes);
  mmemu::UsersRoutes users(&store, &modes);
  mmemu::AdminRoutes admin(&store, &stats, &faults, &limiter, &modes, flags.admin_token);
  mmemu::Webhooks webhooks(&store);
  admin.set_webhooks(&webhooks);
  mmemu::EmulatorServer server(
      mmemu::ServerParts{&users, &admin, &stats, &faults, &limiter, &modes, flags.log_requests,
                         &webhooks});
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
