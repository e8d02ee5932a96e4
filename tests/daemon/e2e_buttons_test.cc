// End to end: Approve / Reject buttons in Mattermost, with the real binary (`run`) and the real
// mm-emulator. A truncated roster holds 40 deactivations -> the held-plan post with buttons
// appears -> a non-admin click is refused -> forged clicks (bad HMAC, expired) are refused ->
// an admin click applies exactly the 40 -> the post is updated -> the audit names the
// approver; a replayed click and a click after the plan changed apply nothing.
#include <Poco/DigestEngine.h>
#include <Poco/HMACEngine.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/SHA2Engine.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <sstream>
#include <thread>

#include "tests/daemon/e2e_support.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace rostersync::testing {
namespace {

constexpr char kHmacKey[] = "e2e-buttons-key-0123456789abcdef";

class Sha256 : public Poco::SHA2Engine {
 public:
  enum { BLOCK_SIZE = 64, DIGEST_SIZE = 32 };
  Sha256() : Poco::SHA2Engine(Poco::SHA2Engine::SHA_256) {}
};

std::string Sign(const std::string& key, const std::string& held_id, const std::string& action,
                 int64_t expires) {
  Poco::HMACEngine<Sha256> hmac(key);
  hmac.update(held_id + "|" + action + "|" + std::to_string(expires));
  return Poco::DigestEngine::digestToHex(hmac.digest());
}

bool Eventually(const std::function<bool()>& done, int timeout_ms = 60'000) {
  for (int waited = 0; waited < timeout_ms; waited += 20) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

// POSTs `body` to 127.0.0.1:port/path as the Mattermost server would; {status, body}.
std::pair<int, std::string> PostBody(int port, const std::string& path, const std::string& body) {
  try {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<uint16_t>(port));
    session.setTimeout(Poco::Timespan(60, 0));
    Poco::Net::HTTPRequest req("POST", path, Poco::Net::HTTPMessage::HTTP_1_1);
    req.setContentType("application/json");
    req.setContentLength(static_cast<std::streamsize>(body.size()));
    session.sendRequest(req) << body;
    Poco::Net::HTTPResponse resp;
    std::string out;
    Poco::StreamCopier::copyToString(session.receiveResponse(resp), out);
    return {static_cast<int>(resp.getStatus()), out};
  } catch (const std::exception& e) {
    return {-1, e.what()};
  }
}

class E2eButtonsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    emu_ = SeededEmulator(dir_);
    ASSERT_TRUE(emu_->ok());
    approvals_port_ = FreePort();
    E2eConfig c;
    c.url = emu_->url();
    c.admin_port = FreePort();
    const std::string url = "http://127.0.0.1:" + std::to_string(approvals_port_) + "/v1/actions";
    c.extra = "notify:\n  webhook_url: " + emu_->url() + "/hooks/e2ehook\n"
              "approvals:\n  listen: 127.0.0.1:" + std::to_string(approvals_port_) +
              "\n  url: " + url + "\n  valid_for: 1h\n  hmac_key_file: " +
              dir_.Write("hmac.key", std::string(kHmacKey) + "\n") + "\n";
    ::chmod(dir_.File("hmac.key").c_str(), 0600);
    WriteRoster(45);
    config_ = WriteConfig(dir_, c);
    run_ = std::make_unique<ChildProcess>(
        RostersyncBinary(), std::vector<std::string>{"--config", config_, "run"}, Log());
    ASSERT_TRUE(WaitForPort(approvals_port_, 30'000)) << TempDir::Read(Log());
    ASSERT_TRUE(Eventually([&] { return TempDir::Read(Log()).find("sync ok") != std::string::npos; }))
        << TempDir::Read(Log());
    for (const EmuUser& u : ParseEmuUsers(emu_->Get("/__emu/state"))) {
      if (u.roles.find("system_admin") != std::string::npos && !u.is_bot) admin_ = u;
      if (u.username == "carol") carol_ = u;
    }
    ASSERT_FALSE(admin_.id.empty());
    ASSERT_FALSE(carol_.id.empty());
  }
  void TearDown() override {
    if (run_) run_->Signal(SIGTERM, true);
  }
  std::string Log() const { return dir_.File("run.log"); }
  void WriteRoster(int rows) {
    dir_.Write("roster.csv.tmp", RosterCsv(NumberedPeople(rows)));
    ASSERT_EQ(std::rename(dir_.File("roster.csv.tmp").c_str(), dir_.File("roster.csv").c_str()),
              0);
  }
  Poco::JSON::Array::Ptr Posts() {
    Poco::JSON::Parser parser;
    return parser.parse(emu_->Get("/__emu/posts"))
        .extract<Poco::JSON::Object::Ptr>()
        ->getArray("posts");
  }
  // Waits for the n-th post with buttons and returns its approve button's context.
  Poco::JSON::Object::Ptr WaitForButtons(size_t n) {
    Poco::JSON::Object::Ptr context;
    Eventually([&] {
      auto posts = Posts();
      size_t seen = 0;
      for (size_t i = 0; i < posts->size(); ++i) {
        auto atts = posts->getObject(i)->getArray("attachments");
        if (atts->size() == 0 || !atts->getObject(0)->has("actions")) continue;
        if (++seen < n) continue;
        context = atts->getObject(0)->getArray("actions")->getObject(0)
                      ->getObject("integration")->getObject("context");
        post_index_ = i;
        return true;
      }
      return false;
    });
    return context;
  }
  std::string ClickAs(const EmuUser& user, const std::string& action) {
    return emu_->Send("POST", "/__emu/click",
                      "{\"post\":" + std::to_string(post_index_) + ",\"action\":\"" + action +
                          "\",\"user_id\":\"" + user.id + "\"}");
  }
  int Deactivated() {
    int n = 0;
    for (const EmuUser& u : ParseEmuUsers(emu_->Get("/__emu/state"))) {
      n += u.delete_at > 0 && u.username.rfind("person", 0) == 0;
    }
    return n;
  }
  std::string Forged(const std::string& held_id, int64_t expires, const std::string& key) {
    return "{\"user_id\":\"" + admin_.id + "\",\"user_name\":\"" + admin_.username +
           "\",\"channel_id\":\"c\",\"team_id\":\"t\",\"post_id\":\"p\",\"trigger_id\":\"x\","
           "\"type\":\"button\",\"context\":{\"held_id\":\"" + held_id +
           "\",\"action\":\"approve\",\"expires\":" + std::to_string(expires) + ",\"sig\":\"" +
           Sign(key, held_id, "approve", expires) + "\"}}";
  }

  TempDir dir_;
  std::unique_ptr<Emulator> emu_;
  std::unique_ptr<ChildProcess> run_;
  std::string config_;
  int approvals_port_ = 0;
  size_t post_index_ = 0;
  EmuUser admin_, carol_;
};

TEST_F(E2eButtonsTest, AnAdminClickAppliesExactlyTheHeldFortyAndUpdatesThePost) {
  WriteRoster(5);  // a truncated export: 40 deactivations held
  Poco::JSON::Object::Ptr context = WaitForButtons(1);
  ASSERT_FALSE(context.isNull()) << emu_->Get("/__emu/posts") << TempDir::Read(Log());
  const std::string held_id = context->getValue<std::string>("held_id");
  const int64_t expires = context->getValue<int64_t>("expires");
  EXPECT_NE(emu_->Get("/__emu/posts?format=text").find("[ Approve ] [ Reject ]"),
            std::string::npos) << emu_->Get("/__emu/posts?format=text");
  EXPECT_EQ(Deactivated(), 0);

  std::string refused = ClickAs(carol_, "approve");  // not an approver
  EXPECT_NE(refused.find("\"status\":200"), std::string::npos) << refused;  // shown to carol
  EXPECT_NE(refused.find("may not approve"), std::string::npos) << refused;
  const std::string path = "/v1/actions";
  auto bad_key = PostBody(approvals_port_, path, Forged(held_id, expires, "not-the-key-000000"));
  EXPECT_EQ(bad_key.first, 403) << bad_key.second;
  const int64_t past = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch()).count() - 1000;
  auto expired = PostBody(approvals_port_, path, Forged(held_id, past, kHmacKey));
  EXPECT_EQ(expired.first, 200) << expired.second;  // genuine but expired: told, not applied
  EXPECT_EQ(expired.second.find("update"), std::string::npos);
  EXPECT_NE(expired.second.find("expired"), std::string::npos);
  auto garbage = PostBody(approvals_port_, path, "{\"user_id\":");
  EXPECT_EQ(garbage.first, 400);
  EXPECT_EQ(Deactivated(), 0);

  // user_id "me" would read rostersync's own account (a system admin): refused.
  EmuUser me;
  me.id = "me";
  std::string as_me = ClickAs(me, "approve");
  EXPECT_EQ(as_me.find("Approved by"), std::string::npos) << as_me;
  EXPECT_EQ(Deactivated(), 0) << as_me;

  std::string approved = ClickAs(admin_, "approve");
  EXPECT_NE(approved.find("\"status\":200"), std::string::npos) << approved << TempDir::Read(Log());
  EXPECT_EQ(Deactivated(), 40);
  auto post = Posts()->getObject(post_index_);
  const std::string message = post->getValue<std::string>("message");
  EXPECT_EQ(message.rfind("Approved by @" + admin_.username + " at ", 0), 0u) << message;
  EXPECT_NE(message.find("40 of 40 held action(s) applied"), std::string::npos) << message;
  EXPECT_EQ(post->getArray("attachments")->size(), 0u);  // the buttons are gone
  // The approval's cycle released every hold of those actions: no "held back" alert after it.
  const std::string text = emu_->Get("/__emu/posts?format=text");
  EXPECT_EQ(text.find("held back", text.find("Approved by")), std::string::npos) << text;
  CliRun status = RunRostersync(dir_, {"--config", config_, "status", "--json"});
  EXPECT_NE(status.out.find("\"command\":\"approve\""), std::string::npos) << status.out;
  CliRun audit = RunRostersync(dir_, {"--config", config_, "audit", "--json"});
  EXPECT_NE(audit.out.find("\"key\":\"held:" + held_id + "\""), std::string::npos) << audit.out;
  EXPECT_NE(audit.out.find("\"username\":\"" + admin_.username + "\""), std::string::npos);

  // The same signed request again (a replay): refused, nothing more applied.
  const long writes = ChangingRequests(*emu_);
  auto replay = PostBody(approvals_port_, path, Forged(held_id, expires, kHmacKey));
  EXPECT_EQ(replay.first, 200) << replay.second;
  EXPECT_EQ(replay.second.find("update"), std::string::npos);
  EXPECT_NE(replay.second.find("already approved"), std::string::npos) << replay.second;
  EXPECT_EQ(ChangingRequests(*emu_), writes);
}

// The records of `audit --json` (one JSON object a line) on the held set `held_id`.
std::vector<Poco::JSON::Object::Ptr> HeldRecords(const std::string& json, const std::string& id) {
  std::vector<Poco::JSON::Object::Ptr> out;
  std::istringstream lines(json);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    Poco::JSON::Parser parser;
    auto r = parser.parse(line).extract<Poco::JSON::Object::Ptr>();
    if (r->getValue<std::string>("key") == "held:" + id) out.push_back(r);
  }
  return out;
}

TEST_F(E2eButtonsTest, EveryRefusedClickIsAuditedOnceAndTheApprovalNamesTheClicker) {
  WriteRoster(5);
  Poco::JSON::Object::Ptr context = WaitForButtons(1);
  ASSERT_FALSE(context.isNull()) << TempDir::Read(Log());
  const std::string held_id = context->getValue<std::string>("held_id");
  const int64_t expires = context->getValue<int64_t>("expires");
  ClickAs(carol_, "approve");  // not an approver
  const std::string forged = Forged(held_id, expires, "not-the-key-000000");
  EXPECT_EQ(PostBody(approvals_port_, "/v1/actions", forged).first, 403);
  EmuUser me;
  me.id = "me";
  ClickAs(me, "approve");  // not a Mattermost id
  EXPECT_NE(ClickAs(admin_, "approve").find("\"status\":200"), std::string::npos);
  ASSERT_EQ(Deactivated(), 40);
  CliRun audit = RunRostersync(dir_, {"--config", config_, "audit", "--json"});
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  std::vector<Poco::JSON::Object::Ptr> records = HeldRecords(audit.out, held_id);
  ASSERT_EQ(records.size(), 4u) << audit.out;  // three refusals, one approval, each once
  const std::vector<std::pair<std::string, std::string>> want = {
      {carol_.id, "may not approve"}, {admin_.id, "signature"}, {"me", "not a Mattermost user id"},
      {admin_.id, ""}};
  for (size_t i = 0; i < want.size(); ++i) {
    const auto& r = records[i];
    EXPECT_EQ(r->getValue<std::string>("user_id"), want[i].first) << audit.out;
    EXPECT_EQ(r->getValue<std::string>("action"), "approve");
    const std::string result = r->getValue<std::string>("result");
    EXPECT_EQ(result, i < 3 ? "refused" : "ok") << audit.out;
    EXPECT_NE(r->getValue<std::string>("error").find(want[i].second), std::string::npos)
        << r->getValue<std::string>("error");
  }
  EXPECT_EQ(records[0]->getValue<std::string>("username"), carol_.username);
  EXPECT_EQ(records[3]->getValue<std::string>("username"), admin_.username);
  const std::string sig = context->getValue<std::string>("sig");
  EXPECT_EQ(audit.out.find(sig), std::string::npos);  // never a button's signature
  EXPECT_EQ(audit.out.find(Sign("not-the-key-000000", held_id, "approve", expires)),
            std::string::npos);
  EXPECT_EQ(audit.out.find(kHmacKey), std::string::npos);
}

TEST_F(E2eButtonsTest, AClickAfterThePlanChangedAppliesNothing) {
  WriteRoster(5);
  Poco::JSON::Object::Ptr context = WaitForButtons(1);
  ASSERT_FALSE(context.isNull()) << TempDir::Read(Log());
  const size_t first = post_index_;
  WriteRoster(6);  // person6 is back: the held set changes (39), a new post appears
  ASSERT_FALSE(WaitForButtons(2).isNull()) << emu_->Get("/__emu/posts") << TempDir::Read(Log());
  post_index_ = first;
  const long writes = ChangingRequests(*emu_);
  std::string replay = ClickAs(admin_, "approve");
  EXPECT_NE(replay.find("\"status\":200"), std::string::npos) << replay;
  EXPECT_EQ(replay.find("Approved by"), std::string::npos) << replay;
  EXPECT_NE(replay.find("no longer planned"), std::string::npos) << replay;
  EXPECT_EQ(Deactivated(), 0);
  EXPECT_EQ(ChangingRequests(*emu_), writes);
  // Beside the running service the CLI hands decisions to its admin endpoint: approving there
  // needs admin.token_file (not configured here), rejecting does not.
  const std::string held_id = context->getValue<std::string>("held_id");
  CliRun approve = RunRostersync(dir_, {"--config", config_, "approve", held_id});
  EXPECT_EQ(approve.exit_code, 1) << approve.out << approve.err;
  EXPECT_NE(approve.err.find("admin.token_file"), std::string::npos) << approve.err;
  CliRun reject = RunRostersync(dir_, {"--config", config_, "reject", held_id});
  EXPECT_EQ(reject.exit_code, 0) << reject.out << reject.err;
  EXPECT_NE(reject.out.find("rostersync reject: rejected held set " + held_id), std::string::npos)
      << reject.out;
  EXPECT_EQ(RunRostersync(dir_, {"--config", config_, "reject", held_id}).exit_code, 5);
  EXPECT_EQ(Deactivated(), 0);
}

}  // namespace
}  // namespace rostersync::testing
