// Conformance of mm-emulator to the official users OpenAPI document: every request goes
// through `prism proxy --errors`, which checks our requests and the emulator's responses
// against the spec. One test (Prism takes seconds to start), many endpoints.
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <set>

#include "tests/emulator/test/emu_client.h"
#include "tests/support/child_process.h"

namespace mmemu::test {
namespace {

using rostersync::testing::Emulator;
using rostersync::testing::Prism;

// Known upstream flaw (docs/emulator.md, Conformance): User.timezone is a string map on the
// server, so useAutomaticTimezone is "true"/"false" while the spec says boolean.
constexpr char kTimezoneFlaw[] = "timezone.useAutomaticTimezone must be boolean";
// Known spec gap: the server answers a patch that touches a provider-owned field with 409
// (api.user.patch_user.login_provider_attribute_set.app_error); the spec lists no 409.
constexpr char kPatch409Gap[] =
    "Unable to match the returned status code with those defined in the document: "
    "200,400,401,403";

// Violations Prism reported for this exchange, minus the allow-listed upstream flaws
// (counted in *allowed and *gaps).
std::vector<std::string> Violations(const HttpResult& r, int* allowed, int* gaps) {
  std::vector<std::string> out;
  std::string header = r.Header("sl-violations");
  if (header.empty() && r.status == 500 &&
      r.Header("content-type").find("problem+json") != std::string::npos) {
    auto problem = Obj(r.body);
    if (problem->has("validation")) {
      std::ostringstream s;
      problem->getArray("validation")->stringify(s);
      header = s.str();
    }
  }
  if (header.empty()) return out;
  auto list = Arr(header);
  if (list->size() == 0) return {"unparsable sl-violations header: " + header};
  for (size_t i = 0; i < list->size(); ++i) {
    auto v = list->getObject(static_cast<unsigned>(i));
    std::string message = v->optValue<std::string>("message", "");
    if (message.find(kTimezoneFlaw) != std::string::npos) {
      ++*allowed;
      continue;
    }
    if (r.status == 409 && message == kPatch409Gap) {
      ++*gaps;
      continue;
    }
    std::ostringstream s;
    v->stringify(s);
    out.push_back(s.str());
  }
  return out;
}

class EmulatorConformanceTest : public ::testing::Test {
 protected:
  // Sends through Prism, fails the test on any violation, and returns the upstream answer.
  HttpResult Check(const EmuClient& client, const std::string& method, const std::string& path,
                   const std::string& body = "") {
    HttpResult r = client.Do(method, path, body);
    for (const auto& v : Violations(r, &allowed_flaws_, &allowed_gaps_)) {
      ADD_FAILURE() << method << " " << path << " violates the spec: " << v;
    }
    bool flaw_only = r.status == 500 && r.body.find("VIOLATIONS") != std::string::npos;
    if (flaw_only) {
      // Prism replaced the emulator's answer. Take the real status from the emulator's
      // request log, and re-read bodies only for GETs (replaying a write is not safe).
      EmuClient direct(emu_port_, admin_token_);
      auto last = Arr(direct.Get("/__emu/requests?limit=1").body);
      r = HttpResult();
      r.status = last->size() ? last->getObject(0)->getValue<int>("status") : 0;
      if (method == "GET") r = direct.Do(method, path, body);
    }
    return r;
  }
  std::string DirectId(const std::string& username) {
    EmuClient direct(emu_port_, admin_token_);
    return Obj(direct.Get("/api/v4/users/username/" + username).body)
        ->optValue<std::string>("id", "");
  }
  int emu_port_ = 0;
  int allowed_flaws_ = 0;
  int allowed_gaps_ = 0;
  std::string admin_token_;
};

TEST_F(EmulatorConformanceTest, UsersEndpointsMatchTheOfficialSpec) {
  std::string spec = rostersync::testing::SpecPath();
  ASSERT_TRUE(std::ifstream(spec).good()) << "spec not found at " << spec << " (ROSTERSYNC_SPEC)";
  ASSERT_EQ(access(rostersync::testing::PrismBinary().c_str(), X_OK), 0)
      << "prism not found at " << rostersync::testing::PrismBinary()
      << " (run npm ci in tools/, or set ROSTERSYNC_PRISM)";
  Emulator emu({"--generate", "30"});
  ASSERT_TRUE(emu.ok());
  emu_port_ = emu.port();
  Prism prism(emu.url());
  ASSERT_TRUE(prism.ok()) << "prism proxy did not start";
  EmuClient admin(prism.port(), emu.admin_token());
  admin_token_ = emu.admin_token();

  EXPECT_EQ(Check(admin, "GET", "/api/v4/users?page=0&per_page=20").status, 200);
  EXPECT_EQ(Check(admin, "GET", "/api/v4/users?inactive=true").status, 200);
  EXPECT_EQ(Check(admin, "GET", "/api/v4/users/me").status, 200);
  auto created = Check(admin, "POST", "/api/v4/users",
                       R"({"username":"conf","email":"conf@example.com","password":"longenough",
                           "first_name":"Con","last_name":"Form"})");
  ASSERT_EQ(created.status, 201) << created.body;
  std::string id = DirectId("conf");
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(Check(admin, "POST", "/api/v4/users",
                  R"({"username":"conf","email":"conf2@example.com","password":"longenough"})")
                .status,
            400);
  EXPECT_EQ(Check(admin, "GET", "/api/v4/users/" + id).status, 200);
  EXPECT_EQ(Check(admin, "GET", "/api/v4/users/username/conf").status, 200);
  EXPECT_EQ(Check(admin, "GET", "/api/v4/users/email/conf@example.com").status, 200);
  EXPECT_EQ(Check(admin, "GET", "/api/v4/users/" + std::string(26, 'x')).status, 404);
  EXPECT_EQ(Check(admin, "PUT", "/api/v4/users/" + id + "/patch", R"({"nickname":"cf"})").status,
            200);
  auto full = Obj(Check(admin, "GET", "/api/v4/users/" + id).body);
  EXPECT_EQ(Check(admin, "PUT", "/api/v4/users/" + id,
                  "{\"id\":\"" + id + "\",\"username\":\"conf\",\"email\":\"conf@example.com\"," +
                      "\"create_at\":" + std::to_string(full->getValue<int64_t>("create_at")) +
                      ",\"first_name\":\"Con\"}")
                .status,
            200);
  EXPECT_EQ(Check(admin, "POST", "/api/v4/users/usernames", R"(["conf","user000001"])").status,
            200);
  EXPECT_EQ(Check(admin, "POST", "/api/v4/users/ids", "[\"" + id + "\"]").status, 200);
  EXPECT_EQ(Check(admin, "POST", "/api/v4/users/search", R"({"term":"con"})").status, 200);
  EXPECT_EQ(Check(admin, "GET", "/api/v4/users/stats").status, 200);
  EXPECT_EQ(Check(admin, "PUT", "/api/v4/users/" + id + "/roles",
                  R"({"roles":"system_user system_post_all"})")
                .status,
            200);
  EXPECT_EQ(Check(admin, "PUT", "/api/v4/users/" + id + "/auth",
                  R"({"auth_data":"conf-key","auth_service":"saml"})")
                .status,
            200);
  auto token =
      Check(admin, "POST", "/api/v4/users/" + id + "/tokens", R"({"description":"conformance"})");
  EXPECT_EQ(token.status, 201);
  std::string token_id = Obj(token.body)->optValue<std::string>("id", "");
  ASSERT_FALSE(token_id.empty()) << token.body;
  EXPECT_EQ(Check(admin, "GET", "/api/v4/users/" + id + "/tokens").status, 200);
  EXPECT_EQ(Check(admin, "GET", "/api/v4/users/tokens/" + token_id).status, 200);
  EXPECT_EQ(Check(admin, "GET", "/api/v4/users/" + id + "/sessions").status, 200);
  EXPECT_EQ(Check(admin, "POST", "/api/v4/users/" + id + "/email/verify/member").status, 200);
  // Not checked here: demote/promote answer 501, and Prism's proxy "remocks" any upstream 501.
  EXPECT_EQ(Check(admin, "PUT", "/api/v4/users/" + id + "/active", R"({"active":false})").status,
            200);
  EXPECT_EQ(Check(admin, "PUT", "/api/v4/users/" + id + "/active", R"({"active":true})").status,
            200);
  EXPECT_EQ(Check(admin, "DELETE", "/api/v4/users/" + id).status, 200);
  EXPECT_EQ(
      Check(admin, "POST", "/api/v4/users/tokens/revoke", "{\"token_id\":\"" + token_id + "\"}")
          .status,
      200);
  // The allow-list must stay honest: if the spec ever fixes the flaw, drop the entry.
  EXPECT_GT(allowed_flaws_, 0) << "the known timezone flaw no longer shows up";
}

// The answers of the restrictive server modes, through Prism.
TEST_F(EmulatorConformanceTest, ServerModeAnswersMatchTheOfficialSpec) {
  ASSERT_EQ(access(rostersync::testing::PrismBinary().c_str(), X_OK), 0);
  Emulator emu({"--licensed", "--license-without-guests", "--require-email-verification",
                "--saml-owned", "first_name", "--password-min-length", "12", "--password-require",
                "upper,number", "--user-limit", "2"});
  ASSERT_TRUE(emu.ok());
  emu_port_ = emu.port();
  admin_token_ = emu.admin_token();
  Prism prism(emu.url());
  ASSERT_TRUE(prism.ok()) << "prism proxy did not start";
  EmuClient admin(prism.port(), emu.admin_token());
  auto weak = Check(admin, "POST", "/api/v4/users",
                    R"({"username":"weak","email":"weak@example.com","password":"lowercaseonly"})");
  EXPECT_EQ(weak.status, 400);
  EXPECT_EQ(Check(admin, "POST", "/api/v4/users",
                  R"({"username":"mail","email":"mail@example.com","password":"Upper-12345678"})")
                .status,
            201);
  std::string id = DirectId("mail");
  auto pending = Check(admin, "PUT", "/api/v4/users/" + id + "/patch", R"({"email":"m2@example.com"})");
  EXPECT_EQ(pending.status, 200);
  EXPECT_EQ(Check(admin, "POST", "/api/v4/users",
                  R"({"username":"sam","email":"sam@example.com","auth_service":"saml",
                      "auth_data":"sam","first_name":"Sam"})")
                .status,
            201);
  std::string sam = DirectId("sam");
  EXPECT_EQ(Check(admin, "PUT", "/api/v4/users/" + sam + "/patch", R"({"first_name":"Samuel"})")
                .status,
            409);
  EXPECT_EQ(Check(admin, "POST", "/api/v4/users/" + id + "/demote").status, 403);
  EXPECT_EQ(Check(admin, "PUT", "/api/v4/users/" + id + "/active", R"({"active":false})").status,
            200);
  // Over the user limit the server writes {"status":"OK"} and appends the error: not one
  // JSON document, so Prism cannot even read it (the spec cannot describe it).
  auto limit = admin.Do("PUT", "/api/v4/users/" + id + "/active", R"({"active":true})");
  EXPECT_EQ(limit.status, 500);
  EXPECT_NE(limit.body.find("invalid json response body"), std::string::npos) << limit.body;
  EXPECT_NE(limit.body.find("position 15"), std::string::npos) << "right after the status object";
  EXPECT_EQ(allowed_gaps_, 1) << "the 409 spec gap no longer shows up: drop its allow-list entry";
}

}  // namespace
}  // namespace mmemu::test
