// Child processes for tests: mm-emulator and Prism, started on a free loopback port and
// killed (SIGTERM, then SIGKILL) when the object dies. Not thread-safe.
// Environment: ROSTERSYNC_EMULATOR (binary), ROSTERSYNC_PRISM (binary), ROSTERSYNC_SPEC
// (users-openapi.yaml), ROSTERSYNC_TEST_PG (PostgreSQL conninfo) override the defaults.
#ifndef ROSTERSYNC_TESTS_SUPPORT_CHILD_PROCESS_H_
#define ROSTERSYNC_TESTS_SUPPORT_CHILD_PROCESS_H_

#include <string>
#include <vector>

namespace rostersync::testing {

class ChildProcess {
 public:
  // Starts `program args...` with stdout piped to us and stderr to `stderr_file`
  // ("" = /dev/null). Check running() afterwards.
  ChildProcess(const std::string& program, const std::vector<std::string>& args,
               const std::string& stderr_file = "");
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  bool running() const { return pid_ > 0; }
  int pid() const { return pid_; }
  // Reads one line of the child's stdout, waiting at most timeout_ms. "" on timeout/EOF.
  std::string ReadLine(int timeout_ms);
  // Sends `signal`; with wait, reaps the child and returns its exit status (-1 if none).
  int Signal(int signal, bool wait);
  void Stop();  // SIGTERM, up to 5 s, then SIGKILL

 private:
  int pid_ = -1;
  int stdout_fd_ = -1;
  std::string buffer_;
};

// Returns a TCP port on 127.0.0.1 that was free a moment ago.
int FreePort();
// Waits until 127.0.0.1:port accepts connections (at most timeout_ms). True if it did.
bool WaitForPort(int port, int timeout_ms);

// mm-emulator on a free port, with the given admin token and extra flags. The destructor
// ends it with SIGKILL: its state is in memory only, and a SIGTERM stop waits up to 250 ms
// for Poco's accept loop to notice (EmulatorAdminRoutesTest.StopsCleanlyOnSigterm tests that
// path once).
class Emulator {
 public:
  explicit Emulator(const std::vector<std::string>& extra_args = {},
                    const std::string& admin_token = "admin-token-for-tests");
  ~Emulator();
  Emulator(const Emulator&) = delete;
  Emulator& operator=(const Emulator&) = delete;
  bool ok() const { return port_ > 0; }
  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const std::string& admin_token() const { return admin_token_; }
  // Admin routes: GET /__emu/stats etc. Returns the body ("" on failure).
  std::string Get(const std::string& path) const;
  std::string Send(const std::string& method, const std::string& path,
                   const std::string& json_body) const;
  // writes_total from /__emu/stats, or -1 on failure.
  long WritesTotal() const;
  ChildProcess& process() { return process_; }

 private:
  std::string admin_token_;
  ChildProcess process_;
  int port_ = -1;
};

// `prism mock` (or `prism proxy` when upstream_url is set) of the official users spec on
// a free port; waits until it listens.
class Prism {
 public:
  explicit Prism(const std::string& upstream_url = "");
  bool ok() const { return port_ > 0; }
  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  int port_ = -1;
  ChildProcess* process_ = nullptr;
  std::vector<ChildProcess*> owned_;
 public:
  ~Prism();
};

std::string EmulatorBinary();
std::string PrismBinary();
std::string SpecPath();
std::string PostgresConnInfo();  // "" when ROSTERSYNC_TEST_PG is unset
std::string SourceDir();

}  // namespace rostersync::testing

#endif  // ROSTERSYNC_TESTS_SUPPORT_CHILD_PROCESS_H_
