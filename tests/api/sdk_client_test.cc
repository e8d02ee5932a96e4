// api::SdkClient against a loopback ScriptedServer: the operations only the SDK has
// (sessions, images) keep the transport's rules: retry safety and binary answers.
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "api/sdk/sdk_client.h"
#include "tests/api/client_test_util.h"
#include "tests/api/test_server.h"

namespace rostersync::api {
namespace {

using namespace rostersync::api::testing;  // NOLINT: test helpers

TEST(SdkClientTest, SessionRevocationsAreRetriedOn5xx) {
  std::atomic<int> calls{0};
  ScriptedServer server([&](const Request&) {
    return ++calls % 2 == 1 ? AppError(503, "busy") : Json(200, R"({"status":"OK"})");
  });
  auto client = MakeClient<SdkClient>(Options(server));
  std::vector<std::pair<std::string, std::function<Status()>>> calls_to_make = {
      {"revoke session", [&] { return client->RevokeSession("u1", "s1").status(); }},
      {"revoke all sessions", [&] { return client->RevokeAllSessions("u1").status(); }},
  };
  for (const auto& [name, call] : calls_to_make) {
    const int before = server.requests();
    Status s = call();
    EXPECT_TRUE(s.ok()) << name << ": " << s.ToString();
    EXPECT_EQ(server.requests() - before, 2) << name << " is retried after a 503";
  }
}

TEST(SdkClientTest, UploadsProfileImageAsMultipartAndReadsBinaryImages) {
  const std::string png("\x89PNG\r\n\x1a\n\0\x01" "binary", 16);
  ScriptedServer server([&](const Request& req) {
    if (req.method == "POST") return Json(200, R"({"status":"OK"})");
    Reply r;
    r.content_type = "image/png";
    r.body = png;
    return r;
  });
  auto client = MakeClient<SdkClient>(Options(server));
  auto set = client->SetProfileImage("u1", png, "me.png");
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  const Request upload = server.received().at(0);
  EXPECT_EQ(upload.Header("content-type").rfind("multipart/form-data; boundary=", 0), 0u);
  EXPECT_NE(upload.body.find("name=\"image\"; filename=\"me.png\""), std::string::npos);
  EXPECT_NE(upload.body.find(png), std::string::npos);
  auto image = client->GetProfileImage("u1");
  ASSERT_TRUE(image.ok());
  EXPECT_EQ(image->data, png);
  EXPECT_EQ(image->content_type, "image/png");
}

}  // namespace
}  // namespace rostersync::api
