#include "daemon/admin_server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <sstream>

#include "tests/support/http_client.h"

namespace rostersync::daemon {
namespace {

class FakeBackend : public AdminBackend {
 public:
  bool Ready(std::string* why) override {
    if (!ready) *why = "token refused";
    return ready;
  }
  std::string MetricsText() override { return "rostersync_cycles_total{result=\"ok\"} 1\n"; }
  std::string StatusJson() override { return "{\"role\":\"leader\"}"; }
  Result<std::string> RunsJson() override { return std::string("{\"runs\":[]}"); }
  Result<std::string> PlanJson(bool refresh) override {
    last_refresh = refresh;
    if (!plan_ok) return Status::Transient("server down");
    return std::string("{\"plan\":{}}");
  }
  Result<std::string> AuditJson(const AuditQuery& query) override {
    last_since = query.since_ms;
    last_user = query.username;
    return std::string("{\"records\":[]}");
  }
  void RequestFullCycle() override { ++full_requests; }
  std::string TriggerSync() override {
    ++triggers;
    return "{\"queued\":true}";
  }
  Result<std::string> SyncUser(const std::string& key) override {
    last_key = key;
    if (key == "missing") return Status::NotFound("no roster row with key missing");
    return std::string("{\"key\":\"" + key + "\"}");
  }

  Result<std::string> SyncAndWait(const std::string& key, bool force, bool json) override {
    last_key = key;
    last_force = force;
    last_json = json;
    return std::string("{\"exit_code\":0,\"stdout\":\"\",\"stderr\":\"\"}");
  }

  std::string last_user;
  bool last_refresh = false;
  bool last_force = false;
  bool last_json = false;
  bool ready = true;
  bool plan_ok = true;
  std::atomic<int> triggers{0};
  std::atomic<int> full_requests{0};
  std::string last_key;
  std::atomic<int64_t> last_since{-1};
};

struct Reply {
  int status = 0;
  std::string body;
  std::string content_type;
};

Reply Call(int port, const std::string& method, const std::string& path,
           const std::string& token = "") {
  rostersync::testing::HttpCall call;
  call.method = method;
  call.path = path;
  call.bearer = token;
  call.timeout_s = 10;
  rostersync::testing::HttpAnswer a = rostersync::testing::SendHttp(port, call);
  return {a.status, a.body, a.content_type};
}

class AdminServerTest : public ::testing::Test {
 protected:
  void StartServer(const std::string& token) {
    auto server = AdminServer::Start("127.0.0.1:0", token, backend_);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
    ASSERT_GT(server_->port(), 0);
  }
  FakeBackend backend_;
  std::unique_ptr<AdminServer> server_;
};

TEST_F(AdminServerTest, ServesEveryGetRoute) {
  StartServer("");
  EXPECT_EQ(Call(server_->port(), "GET", "/healthz").status, 200);
  EXPECT_EQ(Call(server_->port(), "GET", "/readyz").status, 200);
  Reply metrics = Call(server_->port(), "GET", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.content_type.find("text/plain"), std::string::npos);
  EXPECT_NE(metrics.body.find("rostersync_cycles_total"), std::string::npos);
  EXPECT_EQ(Call(server_->port(), "GET", "/v1/status").body, "{\"role\":\"leader\"}");
  EXPECT_EQ(Call(server_->port(), "GET", "/v1/runs").body, "{\"runs\":[]}");
  EXPECT_EQ(Call(server_->port(), "GET", "/v1/plan").status, 200);
  EXPECT_EQ(Call(server_->port(), "GET", "/v1/audit").status, 200);
  EXPECT_EQ(backend_.last_since.load(), 0);
}

TEST_F(AdminServerTest, ReadyzAnswers503WithTheReasonWhenNotReady) {
  StartServer("");
  backend_.ready = false;
  Reply r = Call(server_->port(), "GET", "/readyz");
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find("token refused"), std::string::npos);
  EXPECT_EQ(Call(server_->port(), "GET", "/healthz").status, 200);  // still alive
}

TEST_F(AdminServerTest, AuditSinceTakesADurationBackFromNow) {
  StartServer("");
  EXPECT_EQ(Call(server_->port(), "GET", "/v1/audit?since=1h").status, 200);
  EXPECT_GT(backend_.last_since.load(), 0);
  EXPECT_EQ(Call(server_->port(), "GET", "/v1/audit?since=yesterday").status, 400);
}

TEST_F(AdminServerTest, AuditHonoursTheUserParameter) {
  StartServer("");
  EXPECT_EQ(Call(server_->port(), "GET", "/v1/audit?user=alice").status, 200);
  EXPECT_EQ(backend_.last_user, "alice");
}

TEST_F(AdminServerTest, SyncWithWaitRunsNowAndAnswersTheCliOutput) {
  StartServer("tok");  // force needs the admin token
  Reply r = Call(server_->port(), "POST", "/v1/users/E7/sync?wait=true&force=true&output=json",
                 "tok");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("\"exit_code\":0"), std::string::npos) << r.body;
  EXPECT_EQ(backend_.last_key, "E7");
  EXPECT_TRUE(backend_.last_force);
  EXPECT_TRUE(backend_.last_json);
  EXPECT_EQ(Call(server_->port(), "POST", "/v1/sync?wait=true", "tok").status, 200);
  EXPECT_EQ(backend_.last_key, "");
  EXPECT_EQ(backend_.triggers.load(), 0) << "a waited sync is run, not queued";
}

TEST_F(AdminServerTest, BackendErrorsBecomeJsonErrorsWithAMatchingStatus) {
  StartServer("");
  backend_.plan_ok = false;
  Reply r = Call(server_->port(), "GET", "/v1/plan");
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find("\"error\""), std::string::npos);
  EXPECT_NE(r.body.find("server down"), std::string::npos);
}

TEST_F(AdminServerTest, FullTrueAsksForAFullCycleBeforeTheSync) {
  StartServer("");
  EXPECT_EQ(Call(server_->port(), "POST", "/v1/sync?wait=true").status, 200);
  EXPECT_EQ(backend_.full_requests.load(), 0);
  EXPECT_EQ(Call(server_->port(), "POST", "/v1/sync?full=true&wait=true").status, 200);
  EXPECT_EQ(backend_.full_requests.load(), 1);
  EXPECT_EQ(Call(server_->port(), "POST", "/v1/sync?full=true").status, 202);
  EXPECT_EQ(backend_.full_requests.load(), 2);
}

TEST_F(AdminServerTest, PostRoutesWorkWithoutATokenWhenNoneIsConfigured) {
  StartServer("");
  EXPECT_EQ(Call(server_->port(), "POST", "/v1/sync").status, 202);
  EXPECT_EQ(backend_.triggers.load(), 1);
  Reply r = Call(server_->port(), "POST", "/v1/users/E%2042/sync");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(backend_.last_key, "E 42");
  EXPECT_EQ(Call(server_->port(), "POST", "/v1/users/missing/sync").status, 404);
}

TEST_F(AdminServerTest, PostRoutesRefuseAMissingOrWrongToken) {
  StartServer("s3cret-admin-token");
  Reply no_token = Call(server_->port(), "POST", "/v1/sync");
  EXPECT_EQ(no_token.status, 401);
  EXPECT_EQ(no_token.body.find("s3cret"), std::string::npos);
  EXPECT_EQ(Call(server_->port(), "POST", "/v1/sync", "wrong-token").status, 401);
  EXPECT_EQ(Call(server_->port(), "POST", "/v1/users/E1/sync", "s3cret-admin-tokenX").status, 401);
  EXPECT_EQ(backend_.triggers.load(), 0);
  EXPECT_EQ(backend_.last_key, "");
  EXPECT_EQ(Call(server_->port(), "POST", "/v1/sync", "s3cret-admin-token").status, 202);
  EXPECT_EQ(Call(server_->port(), "POST", "/v1/users/E1/sync", "s3cret-admin-token").status, 200);
  EXPECT_EQ(backend_.triggers.load(), 1);
  EXPECT_EQ(backend_.last_key, "E1");
}

TEST_F(AdminServerTest, EveryV1RouteNeedsTheTokenButProbesStayOpen) {
  StartServer("s3cret-admin-token");
  EXPECT_EQ(Call(server_->port(), "GET", "/metrics").status, 200);
  EXPECT_EQ(Call(server_->port(), "GET", "/healthz").status, 200);
  EXPECT_EQ(Call(server_->port(), "GET", "/readyz").status, 200);
  for (const char* path : {"/v1/status", "/v1/runs", "/v1/plan", "/v1/audit"}) {
    EXPECT_EQ(Call(server_->port(), "GET", path).status, 401) << path;
    EXPECT_EQ(Call(server_->port(), "GET", path, "wrong").status, 401) << path;
    EXPECT_EQ(Call(server_->port(), "GET", path, "s3cret-admin-token").status, 200) << path;
  }
}

TEST_F(AdminServerTest, PlanServesTheLastPlanAndRefreshesOnlyWhenAsked) {
  StartServer("");
  EXPECT_EQ(Call(server_->port(), "GET", "/v1/plan").status, 200);
  EXPECT_FALSE(backend_.last_refresh);
  EXPECT_EQ(Call(server_->port(), "GET", "/v1/plan?refresh=true").status, 200);
  EXPECT_TRUE(backend_.last_refresh);
}

TEST_F(AdminServerTest, UnknownRoutesAre404AndWrongMethods405) {
  StartServer("");
  EXPECT_EQ(Call(server_->port(), "GET", "/nope").status, 404);
  EXPECT_EQ(Call(server_->port(), "GET", "/v1/sync").status, 405);
  EXPECT_EQ(Call(server_->port(), "POST", "/metrics").status, 405);
  EXPECT_EQ(Call(server_->port(), "POST", "/v1/users//sync").status, 404);
}

TEST(AdminServerStartTest, RefusesANonLoopbackListenWithoutAToken) {
  FakeBackend backend;
  auto server = AdminServer::Start("0.0.0.0:0", "", backend);
  ASSERT_FALSE(server.ok());
  EXPECT_NE(server.status().message().find("admin.token_file"), std::string::npos);
}

TEST(AdminServerStartTest, RejectsAListenAddressWithoutAPort) {
  FakeBackend backend;
  EXPECT_FALSE(AdminServer::Start("127.0.0.1", "", backend).ok());
}

TEST(AdminServerStartTest, ReportsAPortInUse) {
  FakeBackend backend;
  auto first = AdminServer::Start("127.0.0.1:0", "", backend);
  ASSERT_TRUE(first.ok());
  auto second = AdminServer::Start("127.0.0.1:" + std::to_string((*first)->port()), "", backend);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Status::Code::kIoError);
}

TEST(ParseSinceTest, AcceptsDurationsAndUnixMilliseconds) {
  EXPECT_EQ(*ParseSince("", 1'000'000), 0);
  EXPECT_EQ(*ParseSince("90s", 1'000'000), 910'000);
  EXPECT_EQ(*ParseSince("2h", 10'000'000), 10'000'000 - 7'200'000);
  EXPECT_EQ(*ParseSince("1700000000000", 5), 1700000000000);
  EXPECT_FALSE(ParseSince("5w", 0).ok());
  EXPECT_FALSE(ParseSince("h", 0).ok());
}

}  // namespace
}  // namespace rostersync::daemon
