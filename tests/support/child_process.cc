#include "tests/support/child_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <regex>
#include <sstream>
#include <thread>

#include "tests/support/http_client.h"

namespace rostersync::testing {

namespace {
std::string EnvOr(const char* name, const std::string& fallback) {
  const char* v = getenv(name);
  return (v && *v) ? std::string(v) : fallback;
}
}  // namespace

std::string SourceDir() { return ROSTERSYNC_SOURCE_DIR; }
std::string EmulatorBinary() {
#ifdef ROSTERSYNC_EMULATOR_BIN
  return EnvOr("ROSTERSYNC_EMULATOR", ROSTERSYNC_EMULATOR_BIN);
#else
  return EnvOr("ROSTERSYNC_EMULATOR", "mm-emulator");
#endif
}
std::string PrismBinary() { return EnvOr("ROSTERSYNC_PRISM", ROSTERSYNC_PRISM_DEFAULT); }
std::string SpecPath() { return EnvOr("ROSTERSYNC_SPEC", ROSTERSYNC_SPEC_DEFAULT); }
std::string PostgresConnInfo() { return EnvOr("ROSTERSYNC_TEST_PG", ""); }

ChildProcess::ChildProcess(const std::string& program, const std::vector<std::string>& args,
                           const std::string& stderr_file) {
  int fds[2];
  if (pipe(fds) != 0) return;
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return;
  }
  if (pid == 0) {
    setpgid(0, 0);  // own process group: Stop() also ends grandchildren (npm -> node)
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    int err = open(stderr_file.empty() ? "/dev/null" : stderr_file.c_str(),
                   O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (err >= 0) dup2(err, STDERR_FILENO);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(program.c_str()));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execvp(program.c_str(), argv.data());
    _exit(127);
  }
  close(fds[1]);
  pid_ = pid;
  stdout_fd_ = fds[0];
}

ChildProcess::~ChildProcess() {
  Stop();
  if (stdout_fd_ >= 0) close(stdout_fd_);
}

std::string ChildProcess::ReadLine(int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    auto nl = buffer_.find('\n');
    if (nl != std::string::npos) {
      std::string line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      return line;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0 || stdout_fd_ < 0) return "";
    pollfd p{stdout_fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left)) <= 0) return "";
    char buf[4096];
    ssize_t n = read(stdout_fd_, buf, sizeof buf);
    if (n <= 0) return "";
    buffer_.append(buf, static_cast<size_t>(n));
  }
}

int ChildProcess::Signal(int sig, bool wait) {
  if (pid_ <= 0) return -1;
  kill(-pid_, sig);
  kill(pid_, sig);
  if (!wait) return 0;
  int status = 0;
  if (waitpid(pid_, &status, 0) != pid_) return -1;
  pid_ = -1;
  return status;
}

void ChildProcess::Stop() {
  if (pid_ <= 0) return;
  kill(-pid_, SIGTERM);
  kill(pid_, SIGTERM);
  for (int i = 0; i < 1000; ++i) {  // 5 s in 5 ms steps: most children exit at once
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      kill(-pid_, SIGKILL);  // stragglers of the group
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill(-pid_, SIGKILL);
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  int port = -1;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

bool WaitForPort(int port, int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    close(fd);
    if (ok) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

Emulator::Emulator(const std::vector<std::string>& extra_args, const std::string& admin_token)
    : admin_token_(admin_token),
      process_(EmulatorBinary(), [&] {
        std::vector<std::string> a{"--port", "0", "--admin-token", admin_token};
        a.insert(a.end(), extra_args.begin(), extra_args.end());
        return a;
      }()) {
  std::string line = process_.ReadLine(30000);
  std::smatch m;
  static const std::regex kListening(R"(listening on http://127\.0\.0\.1:(\d+))");
  if (std::regex_search(line, m, kListening)) port_ = std::stoi(m[1]);
}

Emulator::~Emulator() {
  if (process_.running()) process_.Signal(SIGKILL, true);
}

std::string Emulator::Send(const std::string& method, const std::string& path,
                           const std::string& json_body) const {
  HttpCall call;
  call.method = method;
  call.path = path;
  call.body = json_body;
  call.bearer = admin_token_;
  return SendHttp(port_, call).body;
}

std::string Emulator::Get(const std::string& path) const { return Send("GET", path, ""); }

long Emulator::WritesTotal() const {
  std::string body = Get("/__emu/stats");
  std::smatch m;
  static const std::regex kWrites(R"re("writes_total"\s*:\s*(\d+))re");
  if (std::regex_search(body, m, kWrites)) return std::stol(m[1]);
  return -1;
}

Prism::Prism(const std::string& upstream_url) {
  int port = FreePort();
  std::vector<std::string> args;
  if (upstream_url.empty()) {
    args = {"mock", "-h", "127.0.0.1", "-p", std::to_string(port), SpecPath()};
  } else {
    args = {"proxy", "--errors", "-h", "127.0.0.1", "-p", std::to_string(port), SpecPath(),
            upstream_url};
  }
  process_ = new ChildProcess(PrismBinary(), args);
  owned_.push_back(process_);
  if (process_->running() && WaitForPort(port, 60000)) port_ = port;
}

Prism::~Prism() {
  for (auto* p : owned_) delete p;
}

}  // namespace rostersync::testing
