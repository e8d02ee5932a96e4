// The admin endpoint and the approvals listener at their limits, on real loopback sockets: a
// 10 MB body is answered 413 with a JSON error (not a reset), and /healthz stays 200 while
// connections from many 127.x addresses fill the total connection cap.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <thread>
#include <vector>

#include "daemon/admin_server.h"
#include "daemon/approval_click.h"
#include "daemon/approval_server.h"
#include "tests/daemon/raw_http.h"
#include "tests/daemon/stub_admin_backend.h"

namespace rostersync::daemon {
namespace {

using testing::ConnectFrom;
using testing::Exchange;
using testing::kGetHealthz;
using testing::ReadAll;
using QuietBackend = testing::StubAdminBackend;

// A backend whose /v1/status takes 300 ms: enough of them fill the worker pool.
class SlowStatusBackend : public QuietBackend {
 public:
  std::string StatusJson() override {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    return "{}";
  }
};

class NoClicks : public ApprovalBackend {
 public:
  int64_t NowMs() override { return 0; }
  Result<User> ClickingUser(const std::string&) override { return Status::NotFound("none"); }
  DecisionOutcome Decide(const HeldDecision&) override { return {}; }
  void AuditRefusedClick(const AuditRecord&) override { ++refusals; }
  std::atomic<int> refusals{0};
};

// POSTs a 10 MB body the way a plain client does (the whole body, then the answer).
std::string PostTenMegabytes(int port, const std::string& path, bool* reset) {
  int fd = ConnectFrom(port);
  if (fd < 0) return "no connection";
  const size_t size = 10 * 1024 * 1024;
  const std::string head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                           "application/json\r\nContent-Length: " + std::to_string(size) +
                           "\r\n\r\n";
  std::thread sender([fd, &head, size] {
    send(fd, head.data(), head.size(), MSG_NOSIGNAL);
    const std::string chunk(64 * 1024, 'x');
    for (size_t sent = 0; sent < size; sent += chunk.size()) {
      if (send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL) <= 0) break;
    }
    shutdown(fd, SHUT_WR);
  });
  std::string answer = ReadAll(fd, reset);
  sender.join();
  close(fd);
  return answer;
}

TEST(HttpLimitsTest, ATenMegabyteBodyIsAnswered413NotReset) {
  QuietBackend backend;
  auto server = AdminServer::Start("127.0.0.1:0", "", backend);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  for (int round = 0; round < 3; ++round) {
    bool reset = false;
    std::string answer = PostTenMegabytes((*server)->port(), "/v1/sync", &reset);
    EXPECT_EQ(answer.rfind("HTTP/1.1 413 Content Too Large\r\n", 0), 0u) << answer;
    EXPECT_NE(answer.find("Content-Type: application/json"), std::string::npos) << answer;
    EXPECT_NE(answer.find("\r\n\r\n{\"error\":\"request body too large"), std::string::npos)
        << answer;
    EXPECT_FALSE(reset);
  }
  const std::string healthz = Exchange((*server)->port(), kGetHealthz);
  ASSERT_FALSE(healthz.empty()) << "no connection";
  EXPECT_EQ(healthz.rfind("HTTP/1.1 200 OK\r\n", 0), 0u);  // still serving
}

TEST(HttpLimitsTest, TheApprovalsListenerAnswers413ToATenMegabyteBody) {
  NoClicks backend;
  ApprovalsConfig config;
  config.listen = "127.0.0.1:0";
  auto server = ApprovalServer::Start(config, "0123456789abcdef0123456789abcdef", backend);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  bool reset = false;
  std::string answer = PostTenMegabytes((*server)->port(), "/v1/actions", &reset);
  EXPECT_EQ(answer.rfind("HTTP/1.1 413 Content Too Large\r\n", 0), 0u) << answer;
  EXPECT_NE(answer.find("{\"error\":\"request body too large"), std::string::npos) << answer;
  EXPECT_FALSE(reset);
  // Audited like any refused click (off the event loop, so it may come a moment later).
  for (int i = 0; i < 200 && backend.refusals == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(backend.refusals, 1);
}

// Sends a request head alone and returns the answer.
std::string SendHead(int port, const std::string& head) {
  int fd = ConnectFrom(port);
  if (fd < 0) return "no connection";
  send(fd, head.data(), head.size(), MSG_NOSIGNAL);
  bool reset = false;
  std::string answer = ReadAll(fd, &reset);
  close(fd);
  return answer;
}

// Any Content-Length over the limit is 413, however large (2^31, 2^64 and beyond); only a
// value that is not a number is 400.
TEST(HttpLimitsTest, AHugeContentLengthIs413AndANonNumericOneIs400) {
  QuietBackend backend;
  auto server = AdminServer::Start("127.0.0.1:0", "", backend);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  for (const std::string length : {"2147483648", "4294967296", "18446744073709551616",
                                   "99999999999999999999999999999999", "065537"}) {
    std::string answer = SendHead((*server)->port(), "POST /v1/sync HTTP/1.1\r\nHost: x\r\n"
                                                     "Content-Length: " + length + "\r\n\r\n");
    EXPECT_EQ(answer.rfind("HTTP/1.1 413 ", 0), 0u) << length << ": " << answer;
  }
  for (const std::string length : {"12x", "-1", "0x10", "1 2"}) {
    std::string answer = SendHead((*server)->port(), "POST /v1/sync HTTP/1.1\r\nHost: x\r\n"
                                                     "Content-Length: " + length + "\r\n\r\n");
    EXPECT_EQ(answer.rfind("HTTP/1.1 400 ", 0), 0u) << length << ": " << answer;
    EXPECT_NE(answer.find("bad Content-Length"), std::string::npos) << answer;
  }
}

// A backend where every clicking user is an admin and every decision applies.
class AdminClicks : public NoClicks {
 public:
  int64_t NowMs() override { return 1'000; }
  Result<User> ClickingUser(const std::string& id) override {
    User u;
    u.id = id;
    u.username = "alice";
    u.roles = "system_user system_admin";
    return u;
  }
  DecisionOutcome Decide(const HeldDecision&) override {
    ++decisions;
    DecisionOutcome out;
    out.released = out.applied = 1;
    out.message = "approved";
    return out;
  }
  std::atomic<int> decisions{0};
};

// The red team's reproduction over the socket: 35 forged clicks from one address, then
// signed clicks from the Mattermost server's address and from the flooding one are applied.
TEST(HttpLimitsTest, AFloodOfForgedClicksOverTheSocketLeavesTheButtonsWorking) {
  AdminClicks backend;
  ApprovalsConfig config;
  config.listen = "127.0.0.1:0";
  const std::string key = "0123456789abcdef0123456789abcdef";
  auto server = ApprovalServer::Start(config, key, backend);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  auto post = [&](const std::string& from, const std::string& sig) {
    const std::string body = "{\"user_id\":\"u1\",\"context\":{\"held_id\":\"00000000000000aa\","
                             "\"action\":\"approve\",\"expires\":60000,\"sig\":\"" + sig + "\"}}";
    int fd = ConnectFrom((*server)->port(), from);
    if (fd < 0) return std::string("no connection");
    const std::string request = "POST /v1/actions HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                                std::to_string(body.size()) + "\r\n\r\n" + body;
    send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    bool reset = false;
    std::string answer = ReadAll(fd, &reset);
    close(fd);
    return answer.substr(0, answer.find("\r\n"));
  };
  int forbidden = 0, limited = 0;
  for (int i = 0; i < 35; ++i) {
    const std::string status = post("127.0.0.2", std::string(64, '0'));
    forbidden += status == "HTTP/1.1 403 Forbidden";
    limited += status == "HTTP/1.1 429 Too Many Requests";
  }
  EXPECT_EQ(forbidden + limited, 35);
  EXPECT_GT(limited, 0);
  const std::string sig = SignButton(key, "00000000000000aa", "approve", 60000);
  EXPECT_EQ(post("127.0.0.1", sig), "HTTP/1.1 200 OK");
  EXPECT_EQ(post("127.0.0.2", sig), "HTTP/1.1 200 OK");
  EXPECT_EQ(backend.decisions, 2);
}

// Connections from 20 addresses, 8 each (the per-address cap), fill the total cap of 128:
// /healthz from yet another address still answers 200 at once.
TEST(HttpLimitsTest, HealthzStaysTrueUnderConnectionsFromManyLoopbackAddresses) {
  QuietBackend backend;
  auto server = AdminServer::Start("127.0.0.1:0", "", backend);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  const int port = (*server)->port();
  std::vector<int> held;
  for (int a = 2; a < 22; ++a) {
    for (int k = 0; k < 8; ++k) {
      int fd = ConnectFrom(port, "127.0.1." + std::to_string(a));
      ASSERT_GE(fd, 0);
      send(fd, "GET /v1/status HTTP/1.1\r\n", 25, MSG_NOSIGNAL);  // never finished
      held.push_back(fd);
    }
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // all accepted
  for (int i = 0; i < 5; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    std::string answer = Exchange(port, kGetHealthz);
    ASSERT_FALSE(answer.empty()) << "no connection";
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::steady_clock::now() - t0).count();
    EXPECT_EQ(answer.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << answer;
    EXPECT_LT(ms, 1000);
  }
  // Churn: a thread keeps opening unfinished connections from 32 addresses while /healthz
  // is asked 20 times; every answer is 200.
  std::atomic<bool> stop{false};
  std::thread churn([&] {
    std::vector<int> mine;
    for (int n = 0; !stop; ++n) {
      int fd = ConnectFrom(port, "127.0.2." + std::to_string(2 + n % 32));
      if (fd >= 0) {
        send(fd, "GET / HTTP/1.1\r\n", 16, MSG_NOSIGNAL);
        mine.push_back(fd);
      }
      if (mine.size() > 400) {
        for (int f : mine) close(f);
        mine.clear();
      }
    }
    for (int f : mine) close(f);
  });
  int ok = 0;
  for (int i = 0; i < 20; ++i) {
    ok += Exchange(port, kGetHealthz).rfind("HTTP/1.1 200 OK\r\n", 0) == 0 ? 1 : 0;
  }
  stop = true;
  churn.join();
  EXPECT_EQ(ok, 20);
  for (int fd : held) close(fd);
}

// Complete requests that keep every worker busy (and the queue full) do not delay /healthz:
// it is answered by the event loop itself.
TEST(HttpLimitsTest, HealthzIsAnsweredAtOnceWhileTheWorkersAreBusy) {
  SlowStatusBackend backend;
  auto server = AdminServer::Start("127.0.0.1:0", "", backend);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  const int port = (*server)->port();
  std::vector<int> busy;
  const std::string status = "GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  for (int a = 2; a < 12; ++a) {
    for (int k = 0; k < 7; ++k) {  // 70 complete requests: 4 running, 64 queued, 2 refused
      int fd = ConnectFrom(port, "127.0.3." + std::to_string(a));
      ASSERT_GE(fd, 0);
      send(fd, status.data(), status.size(), MSG_NOSIGNAL);
      busy.push_back(fd);
    }
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto t0 = std::chrono::steady_clock::now();
  const std::string answer = Exchange(port, kGetHealthz);
  ASSERT_FALSE(answer.empty()) << "no connection";
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(answer.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << answer;
  EXPECT_LT(ms, 250);
  for (int b : busy) close(b);
}

}  // namespace
}  // namespace rostersync::daemon
