// Helpers for the end-to-end tests: run the real rostersync binary, write a config and a
// roster for an mm-emulator, read the emulator's state and an HTTP GET. Not thread-safe.
#ifndef ROSTERSYNC_TESTS_DAEMON_E2E_SUPPORT_H_
#define ROSTERSYNC_TESTS_DAEMON_E2E_SUPPORT_H_

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace rostersync::testing {

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string RostersyncBinary();

// Runs `rostersync args...` to completion (at most 120 s), capturing stdout and stderr.
CliRun RunRostersync(const TempDir& dir, const std::vector<std::string>& args,
                     const std::map<std::string, std::string>& env = {});

// The seed: the admin is created by the emulator itself; this adds a bot and carol
// (matched by email and adopted; her last name differs from the roster's).
extern const char kE2eSeed[];

// A roster CSV (employee_id,username,email,first_name,last_name,status).
// `s` with the first `from` replaced by `to` (unchanged when `from` is absent): edits a
// config written by WriteConfig.
std::string Replace(std::string s, const std::string& from, const std::string& to);

std::string RosterCsv(const std::vector<std::vector<std::string>>& rows);
extern const std::vector<std::vector<std::string>> kE2eRoster;
// Roster rows for `n` active people P1..Pn: person<i>, person<i>@example.com, "Person" <i>.
std::vector<std::vector<std::string>> NumberedPeople(int n);
// The held_id of the newest held set with `decision` in `rostersync held --json` output;
// "" when there is none.
std::string HeldId(const std::string& json, const std::string& decision = "waiting");

struct E2eConfig {
  std::string url;
  std::string token = "admin-token-for-tests";
  std::string roster_path;  // default: dir/roster.csv
  int admin_port = 0;
  std::string extra;  // appended YAML
  std::string settle = "0s";  // roster.csv.settle (tests write the roster just before a cycle)
};
// Writes token + config.yaml into dir; returns the config path.
std::string WriteConfig(const TempDir& dir, const E2eConfig& config);

// An mm-emulator seeded with kE2eSeed (written to dir/seed.json). Check ok().
std::unique_ptr<Emulator> SeededEmulator(const TempDir& dir);

// The usual bed of an e2e test: a temp dir holding kE2eRoster as roster.csv, an emulator
// (started with `emulator_flags`; with `seeded`, also seeded with kE2eSeed), and a config
// for them with a free admin port. Check emu.ok() first.
struct E2eBed {
  explicit E2eBed(const std::vector<std::string>& emulator_flags = {}, bool seeded = false)
      : emu(EmulatorFlags(dir, emulator_flags, seeded)) {
    dir.Write("roster.csv", RosterCsv(kE2eRoster));
    c.url = emu.url();
    c.admin_port = FreePort();
  }
  TempDir dir;
  Emulator emu;
  E2eConfig c;

 private:
  static std::vector<std::string> EmulatorFlags(const TempDir& dir,
                                                const std::vector<std::string>& flags,
                                                bool seeded);
};

// A user of /__emu/state.
struct EmuUser {
  std::string id, username, email, last_name, roles;
  int64_t delete_at = 0;
  int64_t update_at = 0;
  bool is_bot = false;
};
std::vector<EmuUser> ParseEmuUsers(const std::string& state_json);
const EmuUser* FindUser(const std::vector<EmuUser>& users, const std::string& username);
// A pointer into a temporary list would dangle: use FindEmuUser for a one-off look-up.
const EmuUser* FindUser(std::vector<EmuUser>&& users, const std::string& username) = delete;
// The user named `username` in a /__emu/state document, by value; nullopt if absent.
std::optional<EmuUser> FindEmuUser(const std::string& state_json, const std::string& username);

// The emulator's writes_total less the reads sent as POST (POST /users/ids and
// /users/usernames, which confirm absences before anything acts on them); -1 on failure.
long ChangingRequests(const Emulator& emu);

// Starts `rostersync --config <config> run` with stderr in `log` and waits (at most 30 s)
// until its admin endpoint listens on admin_port. Null when it did not: the log says why.
std::unique_ptr<ChildProcess> StartService(const std::string& config, const std::string& log,
                                           int admin_port);

// Sets the roster watch's quiet time and debounce (ROSTERSYNC_INTERNAL_ROSTER_QUIET_MS, read
// by `rostersync run` at start and reload) for the services started while it lives; restores
// the previous value after. ctest gives the e2e tests 250 ms (tests/daemon/CMakeLists.txt);
// a test whose timing depends on the window sets its own with this.
class QuietTime {
 public:
  explicit QuietTime(int ms);
  ~QuietTime();
  QuietTime(const QuietTime&) = delete;
  QuietTime& operator=(const QuietTime&) = delete;

 private:
  bool had_ = false;
  std::string previous_;
};

// The sum of rostersync_cycles_total over every result in /metrics of the admin endpoint on
// `port` (with `result` set, only that result: "ok", "failed", ...); -1 when unreachable.
int CyclesTotal(int port, const std::string& result = "");

// Polls `done` every 20 ms for at most timeout_ms; true as soon as it holds.
bool Eventually(const std::function<bool()>& done, int timeout_ms = 30'000);
// How many times `what` occurs in `text` (overlapping occurrences count).
int CountOf(const std::string& text, const std::string& what);

// GET http://127.0.0.1:port/path: {status, body}; status -1 when unreachable.
std::pair<int, std::string> HttpGet(int port, const std::string& path);
int HttpPost(int port, const std::string& path, const std::string& bearer = "");

}  // namespace rostersync::testing

#endif  // ROSTERSYNC_TESTS_DAEMON_E2E_SUPPORT_H_
