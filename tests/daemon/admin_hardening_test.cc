// The admin endpoint against a hostile neighbour: slowloris connections, a trickled request
// (the deadline is not reset per chunk), DNS rebinding (Host), malformed requests (400, not a
// dropped connection), reason phrases, an overflowing since=, and the loopback test.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "config/config_loader.h"
#include "daemon/admin_server.h"
#include "daemon/http_server.h"
#include "tests/daemon/raw_http.h"
#include "tests/daemon/stub_admin_backend.h"
#include "tests/support/temp_dir.h"

namespace rostersync::daemon {
namespace {

using testing::ConnectFrom;
using testing::Exchange;
using QuietBackend = testing::StubAdminBackend;

class AdminHardeningTest : public ::testing::Test {
 protected:
  void Start(const std::string& token = "") {
    auto server = AdminServer::Start("127.0.0.1:0", token, backend_);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
  }
  std::string Get(const std::string& path, const std::string& host = "127.0.0.1") {
    return Exchange(server_->port(), "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
  }
  QuietBackend backend_;
  std::unique_ptr<AdminServer> server_;
};

TEST_F(AdminHardeningTest, EightSlowlorisConnectionsDoNotStarveIt) {
  Start();
  std::vector<int> slow;
  for (int i = 0; i < 8; ++i) {
    int fd = ConnectFrom(server_->port());
    ASSERT_GE(fd, 0);
    send(fd, "GET /v1/status HTTP/1.1\r\n", 25, MSG_NOSIGNAL);
    slow.push_back(fd);
  }
  auto t0 = std::chrono::steady_clock::now();
  std::string reply = Get("/healthz");
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - t0)
                .count();
  EXPECT_EQ(reply.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << reply;
  EXPECT_LT(ms, 1000);
  EXPECT_EQ(Get("/v1/status").rfind("HTTP/1.1 200 OK\r\n", 0), 0u);
  for (int fd : slow) close(fd);
}

TEST_F(AdminHardeningTest, ATrickledRequestMeetsAWholeRequestDeadline) {
  Start();
  int fd = ConnectFrom(server_->port());
  ASSERT_GE(fd, 0);
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: aaaaaaaaaaaaaaaaaaaaaaa";
  auto t0 = std::chrono::steady_clock::now();
  std::string answer;
  for (size_t i = 0; i < request.size(); ++i) {  // a byte every 300 ms: never idle for long
    if (send(fd, &request[i], 1, MSG_NOSIGNAL) <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 300) > 0) {
      char buf[512];
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n > 0) answer.append(buf, static_cast<size_t>(n));
      break;
    }
  }
  close(fd);
  auto s = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - t0)
               .count();
  EXPECT_EQ(answer.rfind("HTTP/1.1 408 Request Timeout", 0), 0u) << answer;
  EXPECT_LE(s, 7) << "the deadline was reset by each byte";
}

TEST_F(AdminHardeningTest, AForeignHostHeaderIsRefusedOnV1) {
  Start();
  EXPECT_EQ(Get("/v1/status", "evil.example.com").rfind("HTTP/1.1 421 ", 0), 0u);
  EXPECT_EQ(Get("/v1/status", "127.0.0.1.nip.io:9187").rfind("HTTP/1.1 421 ", 0), 0u);
  EXPECT_EQ(Get("/v1/status", "localhost:9187").rfind("HTTP/1.1 200 ", 0), 0u);
  EXPECT_EQ(Get("/v1/status", "[::1]:9187").rfind("HTTP/1.1 200 ", 0), 0u);
  EXPECT_EQ(Get("/healthz", "evil.example.com").rfind("HTTP/1.1 200 ", 0), 0u);
}

// Host names are case-insensitive: any case of an allowed name is the same name.
TEST_F(AdminHardeningTest, TheHostHeaderIsCaseInsensitive) {
  Start();
  for (const std::string host : {"LOCALHOST", "LocalHost:9187", "localHOST"}) {
    EXPECT_EQ(Get("/v1/status", host).rfind("HTTP/1.1 200 ", 0), 0u) << host;
  }
  EXPECT_EQ(Get("/v1/status", "EVIL.example.com").rfind("HTTP/1.1 421 ", 0), 0u);
}

TEST_F(AdminHardeningTest, MalformedRequestsGet400WithCorrectReasonPhrases) {
  Start("tok");
  EXPECT_EQ(Exchange(server_->port(), "GARBAGE\r\n\r\n").rfind("HTTP/1.1 400 Bad Request", 0), 0u);
  EXPECT_EQ(Exchange(server_->port(), "GET /healthz HTTP/1.1\r\nbroken header\r\n\r\n")
                .rfind("HTTP/1.1 400 Bad Request", 0),
            0u);
  EXPECT_EQ(Exchange(server_->port(), "GET /healthz HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 400 ", 0),
            0u)
      << "HTTP/1.1 without Host";
  EXPECT_EQ(Get("/v1/status").rfind("HTTP/1.1 401 Unauthorized\r\n", 0), 0u);
  EXPECT_EQ(Get("/nope").rfind("HTTP/1.1 404 Not Found\r\n", 0), 0u);
  EXPECT_EQ(Exchange(server_->port(), "DELETE /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                .rfind("HTTP/1.1 405 Method Not Allowed\r\n", 0),
            0u);
  EXPECT_EQ(Get("/v1/audit?since=%zz", "127.0.0.1").rfind("HTTP/1.1 401", 0), 0u);
}

std::string Post(int port, const std::string& path, const std::string& auth = "") {
  return Exchange(port, "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n" +
                            (auth.empty() ? "" : "Authorization: " + auth + "\r\n") + "\r\n");
}

// Without admin.token_file any local user reaches the loopback endpoint: force (which
// releases a held mass deactivation) is refused on every route; a plain sync still works.
TEST_F(AdminHardeningTest, ForceWithoutATokenIs403OnEveryRoute) {
  Start();
  for (const std::string path :
       {"/v1/sync?wait=true&force=true", "/v1/sync?force=1", "/v1/users/E1/sync?wait=true&force=true",
        "/v1/status?force=true"}) {
    std::string answer = path.rfind("/v1/status", 0) == 0 ? Get(path) : Post(server_->port(), path);
    EXPECT_EQ(answer.rfind("HTTP/1.1 403 ", 0), 0u) << path << answer;
    EXPECT_NE(answer.find("force needs admin.token_file"), std::string::npos) << answer;
    // SIGHUP applies a new admin.token_file: the message must not demand a restart.
    EXPECT_NE(answer.find("reload (SIGHUP) or restart"), std::string::npos) << answer;
  }
  EXPECT_EQ(Post(server_->port(), "/v1/sync?wait=true").rfind("HTTP/1.1 200 ", 0), 0u);
  EXPECT_EQ(Post(server_->port(), "/v1/sync?wait=true&force=false").rfind("HTTP/1.1 200 ", 0), 0u);
}

TEST_F(AdminHardeningTest, ForceWithTheTokenIsAllowed) {
  Start("tok");
  EXPECT_EQ(Post(server_->port(), "/v1/sync?wait=true&force=true", "Bearer tok")
                .rfind("HTTP/1.1 200 ", 0),
            0u);
  EXPECT_EQ(Post(server_->port(), "/v1/sync?wait=true&force=true").rfind("HTTP/1.1 401 ", 0), 0u);
}

// RFC 9110: the authentication scheme is case-insensitive.
TEST_F(AdminHardeningTest, TheBearerSchemeIsCaseInsensitive) {
  Start("tok");
  for (const std::string auth : {"Bearer tok", "bearer tok", "BEARER tok", "bEaReR  tok"}) {
    std::string answer = Exchange(server_->port(), "GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                   "Authorization: " + auth + "\r\n\r\n");
    EXPECT_EQ(answer.rfind("HTTP/1.1 200 ", 0), 0u) << auth << answer;
  }
  for (const std::string auth : {"bearer wrong", "Basic tok", "bearertok", "Bearer"}) {
    std::string answer = Exchange(server_->port(), "GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                   "Authorization: " + auth + "\r\n\r\n");
    EXPECT_EQ(answer.rfind("HTTP/1.1 401 ", 0), 0u) << auth << answer;
  }
}

TEST_F(AdminHardeningTest, AnOverflowingSinceIs400) {
  Start();
  EXPECT_EQ(Get("/v1/audit?since=999999999999999d").rfind("HTTP/1.1 400 Bad Request", 0), 0u);
  EXPECT_FALSE(ParseSince("999999999999999d", 1'800'000'000'000).ok());
  EXPECT_FALSE(ParseSince("999999999999999h", 1'800'000'000'000).ok());
  EXPECT_TRUE(ParseSince("30d", 1'800'000'000'000).ok());
}

TEST(LoopbackTest, ParsesTheHostAsAnAddress) {
  EXPECT_TRUE(IsLoopbackHost("127.0.0.1"));
  EXPECT_TRUE(IsLoopbackHost("127.9.9.9"));
  EXPECT_TRUE(IsLoopbackHost("[::1]"));
  EXPECT_TRUE(IsLoopbackHost("localhost"));
  EXPECT_FALSE(IsLoopbackHost("127.0.0.1.nip.io"));
  EXPECT_FALSE(IsLoopbackHost("127.example.com"));
  EXPECT_FALSE(IsLoopbackHost("0.0.0.0"));
}

TEST(LoopbackTest, ConfigRefusesPlainHttpToANameThatLooksLikeLoopback) {
  testing::TempDir dir;
  dir.Write("token", "t\n");
  const std::string yaml = "mattermost:\n  url: http://127.0.0.1.nip.io:8065\n  token_file: " +
                           dir.File("token") +
                           "\nroster:\n  source: csv\n  csv: {path: " + dir.File("r.csv") +
                           "}\n  key: id\nfields:\n  username: {column: u}\n  email: {column: e}\n";
  ConfigLoad load = LoadConfigFile(dir.Write("c.yaml", yaml));
  EXPECT_NE(load.Report().find("sends the token in clear"), std::string::npos) << load.Report();
  ConfigLoad local = LoadConfigFile(dir.Write(
      "d.yaml", yaml.substr(0, 0) + "mattermost:\n  url: http://127.0.0.1:8065" +
                    yaml.substr(yaml.find("\n  token_file"))));
  EXPECT_EQ(local.Report().find("sends the token in clear"), std::string::npos) << local.Report();
}

}  // namespace
}  // namespace rostersync::daemon
