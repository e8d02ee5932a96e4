// HeldRoutesTest: GET /v1/held and POST /v1/held/{id}/approve|reject on the admin endpoint:
// the token rule of every /v1 route, approve needing a configured token (it releases held
// actions, like ?force=true), a refusal as 409, and malformed ids and methods.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <mutex>
#include <sstream>

#include "daemon/admin_server.h"
#include "tests/daemon/stub_admin_backend.h"

namespace rostersync::daemon {
namespace {

class HeldBackend : public testing::StubAdminBackend {
 public:
  Result<std::string> HeldJson() override { return std::string("{\"held\":[]}"); }
  Result<std::string> DecideHeld(const std::string& id, bool approve,
                                 const std::string& only) override {
    std::lock_guard<std::mutex> lock(mu);
    calls.push_back(id + (approve ? " approve " : " reject ") + only);
    if (id == "00000000000000ff") return Status::Conflict("the plan changed: E1 deactivate");
    return std::string("{\"ok\":true}");
  }
  std::mutex mu;
  std::vector<std::string> calls;
};

int Call(int port, const std::string& method, const std::string& path,
         const std::string& token = "", std::string* body = nullptr) {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<uint16_t>(port));
  session.setTimeout(Poco::Timespan(10, 0));
  Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  if (!token.empty()) req.set("Authorization", "Bearer " + token);
  if (method == "POST") req.setContentLength(0);
  session.sendRequest(req);
  Poco::Net::HTTPResponse resp;
  std::istream& in = session.receiveResponse(resp);
  std::ostringstream out;
  Poco::StreamCopier::copyStream(in, out);
  if (body != nullptr) *body = out.str();
  return static_cast<int>(resp.getStatus());
}

constexpr char kToken[] = "held-routes-token";
constexpr char kId[] = "0123456789abcdef";

TEST(HeldRoutesTest, ListsAndDecidesWithTheToken) {
  HeldBackend backend;
  auto server = AdminServer::Start("127.0.0.1:0", kToken, backend);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  const int port = (*server)->port();
  std::string body;
  EXPECT_EQ(Call(port, "GET", "/v1/held", kToken, &body), 200);
  EXPECT_EQ(body, "{\"held\":[]}");
  EXPECT_EQ(Call(port, "POST", std::string("/v1/held/") + kId + "/approve?only=E1,E2", kToken),
            200);
  EXPECT_EQ(Call(port, "POST", std::string("/v1/held/") + kId + "/reject", kToken), 200);
  EXPECT_EQ(Call(port, "POST", "/v1/held/00000000000000ff/approve", kToken, &body), 409);
  EXPECT_NE(body.find("the plan changed"), std::string::npos);
  std::lock_guard<std::mutex> lock(backend.mu);
  ASSERT_EQ(backend.calls.size(), 3u);
  EXPECT_EQ(backend.calls[0], std::string(kId) + " approve E1,E2");
  EXPECT_EQ(backend.calls[1], std::string(kId) + " reject ");
}

TEST(HeldRoutesTest, RefusesAMissingTokenBadIdsAndWrongMethods) {
  HeldBackend backend;
  auto server = AdminServer::Start("127.0.0.1:0", kToken, backend);
  ASSERT_TRUE(server.ok());
  const int port = (*server)->port();
  EXPECT_EQ(Call(port, "GET", "/v1/held"), 401);
  EXPECT_EQ(Call(port, "POST", std::string("/v1/held/") + kId + "/approve"), 401);
  EXPECT_EQ(Call(port, "POST", std::string("/v1/held/") + kId + "/approve", "wrong"), 401);
  EXPECT_EQ(Call(port, "GET", std::string("/v1/held/") + kId + "/approve", kToken), 405);
  EXPECT_EQ(Call(port, "POST", "/v1/held", kToken), 405);
  EXPECT_EQ(Call(port, "POST", "/v1/held/not-hex!/approve", kToken), 404);
  EXPECT_EQ(Call(port, "POST", std::string("/v1/held/") + kId + "/delete", kToken), 404);
  EXPECT_EQ(Call(port, "POST", "/v1/held//approve", kToken), 404);
  std::lock_guard<std::mutex> lock(backend.mu);
  EXPECT_TRUE(backend.calls.empty());
}

TEST(HeldRoutesTest, ApproveNeedsAConfiguredTokenRejectDoesNot) {
  HeldBackend backend;
  auto server = AdminServer::Start("127.0.0.1:0", "", backend);
  ASSERT_TRUE(server.ok());
  const int port = (*server)->port();
  std::string body;
  EXPECT_EQ(Call(port, "POST", std::string("/v1/held/") + kId + "/approve", "", &body), 403);
  EXPECT_NE(body.find("admin.token_file"), std::string::npos);
  EXPECT_EQ(Call(port, "POST", std::string("/v1/held/") + kId + "/reject"), 200);
  std::lock_guard<std::mutex> lock(backend.mu);
  ASSERT_EQ(backend.calls.size(), 1u);
}

}  // namespace
}  // namespace rostersync::daemon
