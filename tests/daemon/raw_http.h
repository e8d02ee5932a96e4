// Raw HTTP/1.1 over loopback sockets for the admin endpoint's limit tests: connect from a
// chosen 127.x address, read until the peer closes, and a whole request/answer exchange.
#ifndef ROSTERSYNC_TESTS_DAEMON_RAW_HTTP_H_
#define ROSTERSYNC_TESTS_DAEMON_RAW_HTTP_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <string>

namespace rostersync::testing {

inline constexpr char kGetHealthz[] = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

// A connection to 127.0.0.1:port from the local address `from` (any 127.x), or -1.
inline int ConnectFrom(int port, const std::string& from = "127.0.0.1") {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in local{};
  local.sin_family = AF_INET;
  inet_pton(AF_INET, from.c_str(), &local.sin_addr);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
      connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Reads until the peer closes (or timeout_ms); *reset (when given): the read ended with
// ECONNRESET.
inline std::string ReadAll(int fd, bool* reset = nullptr, int timeout_ms = 5000) {
  std::string out;
  if (reset != nullptr) *reset = false;
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < until) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    char buf[4096];
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < 0 && reset != nullptr) *reset = errno == ECONNRESET;
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

// Sends `raw` on a new connection from `from`, returns everything answered until the peer
// closes (at most timeout_ms); "" when it cannot connect.
inline std::string Exchange(int port, const std::string& raw, int timeout_ms = 5000,
                            const std::string& from = "127.0.0.1") {
  int fd = ConnectFrom(port, from);
  if (fd < 0) return "";
  send(fd, raw.data(), raw.size(), MSG_NOSIGNAL);
  std::string out = ReadAll(fd, nullptr, timeout_ms);
  close(fd);
  return out;
}

}  // namespace rostersync::testing

#endif  // ROSTERSYNC_TESTS_DAEMON_RAW_HTTP_H_
