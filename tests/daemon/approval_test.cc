// ApprovalTest: the Approve / Reject button checks (daemon/approval_click.h) and the button
// route's logic (ApprovalHandler) without a socket: signature, expiry, who may approve, the
// rate limit, malformed bodies, and the post update it answers.
#include <gtest/gtest.h>

#include <fstream>

#include "daemon/approval_click.h"
#include "daemon/approval_post.h"
#include "daemon/approval_refusals.h"
#include "daemon/approval_server.h"
#include "daemon/exit_codes.h"
#include "tests/support/temp_dir.h"

namespace rostersync::daemon {
namespace {

constexpr char kKey[] = "0123456789abcdef0123456789abcdef";
constexpr int64_t kNow = 1'800'000'000'000;

std::string Body(const std::string& user, const std::string& action, int64_t expires,
                 const std::string& sig) {
  return "{\"user_id\":\"" + user + "\",\"user_name\":\"x\",\"post_id\":\"p\",\"context\":"
         "{\"held_id\":\"00000000000000aa\",\"action\":\"" + action + "\",\"expires\":" +
         std::to_string(expires) + ",\"sig\":\"" + sig + "\"}}";
}

std::string Signed(const std::string& user, const std::string& action, int64_t expires) {
  return Body(user, action, expires, SignButton(kKey, "00000000000000aa", action, expires));
}

class FakeBackend : public ApprovalBackend {
 public:
  int64_t NowMs() override { return now; }
  Result<User> ClickingUser(const std::string& id) override {
    if (id == "missing") return Status::NotFound("no such user");
    User u;
    u.id = id;
    u.username = id == "admin1" ? "alice" : id == "listed" ? "carol" : "bob";
    u.roles = id == "admin1" ? "system_user system_admin" : "system_user";
    if (id == "gone") {  // a listed approver whose account was deactivated
      u.username = "carol";
      u.delete_at = 1;
    }
    return u;
  }
  DecisionOutcome Decide(const HeldDecision& d) override {
    decisions.push_back(d);
    DecisionOutcome out;
    if (refuse_decisions) return DecisionOutcome{kExitRefused, "held set was already approved"};
    out.released = out.applied = 40;
    out.message = "approved";
    return out;
  }
  void AuditRefusedClick(const AuditRecord& record) override { refusals.push_back(record); }
  std::vector<HeldDecision> decisions;
  std::vector<AuditRecord> refusals;
  bool refuse_decisions = false;  // Decide refuses (and audits that itself)
  int64_t now = kNow;
};

HttpResponse Click(ApprovalHandler& h, const std::string& body,
                   const std::string& peer = "10.0.0.5") {
  HttpRequest req;
  req.peer = peer;
  req.method = "POST";
  req.path = "/v1/actions";
  req.body = body;
  return h.Handle(req);
}

ApprovalsConfig Approvers() {
  ApprovalsConfig c;
  c.usernames = {"carol"};
  return c;
}

TEST(ApprovalTest, ASignedClickByAnAdminApprovesAndUpdatesThePost) {
  FakeBackend backend;
  ApprovalHandler h(Approvers(), kKey, backend);
  HttpResponse r = Click(h, Signed("admin1", "approve", kNow + 1000));
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("Approved by @alice at "), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("40 of 40 held action(s) applied"), std::string::npos) << r.body;
  ASSERT_EQ(backend.decisions.size(), 1u);
  EXPECT_EQ(backend.decisions[0].approver, "alice");
  EXPECT_EQ(backend.decisions[0].approver_id, "admin1");  // audited as user_id
  EXPECT_EQ(backend.decisions[0].held_id, "00000000000000aa");
  EXPECT_TRUE(backend.decisions[0].approve);
  EXPECT_EQ(Click(h, Signed("listed", "reject", kNow + 1000)).status, 200);  // by username
  EXPECT_FALSE(backend.decisions.back().approve);
  EXPECT_EQ(backend.decisions.back().approver_id, "listed");
  EXPECT_TRUE(backend.refusals.empty());
}

TEST(ApprovalTest, EveryRefusedClickIsAuditedOnceWithWhoWhichSetAndWhy) {
  FakeBackend backend;
  ApprovalHandler h(Approvers(), kKey, backend);
  const std::string good = SignButton(kKey, "00000000000000aa", "approve", kNow + 1000);
  const std::string forged_sig = "00" + good.substr(2);
  struct Case {
    std::string body;
    int status;
    std::string user_id, username, why;
  };
  const std::vector<Case> cases = {
      {Body("admin1", "approve", kNow + 1000, forged_sig), 403, "admin1", "", "signature"},
      {Signed("admin1", "approve", kNow - 1), 200, "admin1", "", "expired"},
      {Signed("bob", "reject", kNow + 1000), 200, "bob", "bob", "may not approve"},
      {Signed("missing", "approve", kNow + 1000), 200, "missing", "", "no such user"},
      {"{\"user_id\":", 400, "unknown", "", "not valid JSON"},
  };
  for (const Case& c : cases) {
    backend.refusals.clear();
    HttpResponse r = Click(h, c.body);
    EXPECT_EQ(r.status, c.status) << c.body << " " << r.body;
    ASSERT_EQ(backend.refusals.size(), 1u) << c.body;
    const AuditRecord& rec = backend.refusals[0];
    EXPECT_EQ(rec.result, AuditResult::kRefused);
    EXPECT_EQ(rec.user_id, c.user_id);
    EXPECT_EQ(rec.username, c.username);
    EXPECT_EQ(rec.http_status, c.status);
    EXPECT_EQ(rec.key, c.status == 400 ? "held:unknown" : "held:00000000000000aa");
    EXPECT_NE(rec.error.find(c.why), std::string::npos) << rec.error;
    EXPECT_EQ(rec.ts_ms, kNow);
    for (const std::string& field : {std::string(ToString(rec.action)), rec.key, rec.user_id, rec.username, rec.error}) {
      EXPECT_EQ(field.find(good.substr(2)), std::string::npos) << field;  // never the sig
    }
  }
  EXPECT_TRUE(backend.decisions.empty());
  // A refusal by the decision itself (already decided, plan changed) is audited there, once.
  backend.refusals.clear();
  backend.refuse_decisions = true;
  EXPECT_EQ(Click(h, Signed("admin1", "approve", kNow + 1000)).status, 200);
  EXPECT_EQ(backend.decisions.size(), 1u);
  EXPECT_TRUE(backend.refusals.empty());
}

TEST(ApprovalTest, ARefusedClicksUntrustedStringsAreEscapedAndClipped) {
  FakeBackend backend;
  ApprovalHandler h(Approvers(), kKey, backend);
  const std::string user = "x\\u001b[2J" + std::string(200, 'u');
  const std::string held = "\\u001b]0;pwned\\u0007" + std::string(300, 'h');
  const std::string body = "{\"user_id\":\"" + user + "\",\"context\":{\"held_id\":\"" + held +
                           "\",\"action\":\"approve\\u000a\",\"expires\":1,\"sig\":\"00\"}}";
  EXPECT_EQ(Click(h, body).status, 403);
  ASSERT_EQ(backend.refusals.size(), 1u);
  const AuditRecord& rec = backend.refusals[0];
  EXPECT_EQ(rec.action, AuditAction::kClick);  // not a known action
  for (const std::string& field : {std::string(ToString(rec.action)), rec.key, rec.user_id, rec.username, rec.error}) {
    for (char ch : field) EXPECT_GE(static_cast<unsigned char>(ch), 0x20) << field;
    EXPECT_LE(field.size(), 200u) << field;
  }
  EXPECT_EQ(rec.user_id.rfind("x\\x1b[2J", 0), 0u) << rec.user_id;
}

TEST(ApprovalTest, ForgedExpiredOrUnauthorisedClicksDecideNothing) {
  FakeBackend backend;
  ApprovalHandler h(Approvers(), kKey, backend);
  const std::string good = SignButton(kKey, "00000000000000aa", "approve", kNow + 1000);
  EXPECT_EQ(Click(h, Body("admin1", "approve", kNow + 1000, "00" + good.substr(2))).status, 403);
  EXPECT_EQ(Click(h, Body("admin1", "reject", kNow + 1000, good)).status, 403);  // other action
  EXPECT_EQ(Click(h, Body("admin1", "approve", kNow + 2000, good)).status, 403);  // other expiry
  // A genuine button that may not act answers 200 with an ephemeral text (the server shows
  // the clicker only a 200 answer's text) and no update.
  HttpResponse expired = Click(h, Signed("admin1", "approve", kNow - 1));
  EXPECT_EQ(expired.status, 200);
  EXPECT_NE(expired.body.find("expired"), std::string::npos);
  EXPECT_EQ(expired.body.find("update"), std::string::npos);
  HttpResponse bob = Click(h, Signed("bob", "approve", kNow + 1000));
  EXPECT_EQ(bob.status, 200);
  EXPECT_EQ(bob.body.find("update"), std::string::npos);
  EXPECT_NE(bob.body.find("@bob may not approve"), std::string::npos) << bob.body;
  ApprovalsConfig no_admins = Approvers();
  no_admins.system_admins = false;
  ApprovalHandler strict(no_admins, kKey, backend);
  EXPECT_EQ(Click(strict, Signed("admin1", "approve", kNow + 1000)).body.find("update"),
            std::string::npos);
  EXPECT_TRUE(backend.decisions.empty());
}

// Many addresses together: the totals bind (audited one by one, answered before 429), and
// addresses beyond kMaxTrackedSources share one count.
TEST(ApprovalTest, RefusalsFromManyAddressesAreBoundedInTotal) {
  RefusalBudget budget;
  int audited = 0, over = 0;
  for (int i = 0; i < 2000; ++i) {
    RefusalBudget::Verdict v = budget.Count("10.1." + std::to_string(i / 250) + "." +
                                                std::to_string(i % 250), kNow);
    audited += v.audit;
    over += v.over;
  }
  EXPECT_EQ(audited, kAuditedRefusalsInTotal);
  EXPECT_EQ(over, 2000 - kRefusalsInTotal);
  std::vector<RefusalBudget::Summary> ended = budget.TakeEnded(kNow + 60'000);
  int more = 0;
  bool shared = false;
  for (const RefusalBudget::Summary& s : ended) {
    more += s.more;
    shared = shared || s.source == "other addresses";
  }
  EXPECT_EQ(more, 2000 - kAuditedRefusalsInTotal);
  EXPECT_TRUE(shared);
  EXPECT_LE(ended.size(), kMaxTrackedSources + 1);
  EXPECT_TRUE(budget.TakeEnded(kNow + 60'000).empty());  // each window is summed up once
}

// A listed approver whose account is deactivated is told that, not that they are no approver.
TEST(ApprovalTest, ADeactivatedApproverIsToldTheyAreDeactivated) {
  FakeBackend backend;
  ApprovalHandler h(Approvers(), kKey, backend);
  HttpResponse r = Click(h, Signed("gone", "approve", kNow + 1000));
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("@carol is deactivated"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("approvals.approvers"), std::string::npos) << r.body;
  ASSERT_EQ(backend.refusals.size(), 1u);
  EXPECT_NE(backend.refusals[0].error.find("deactivated"), std::string::npos);
  EXPECT_TRUE(backend.decisions.empty());
}

TEST(ApprovalTest, MalformedBodiesAre400AndNeverCrash) {
  FakeBackend backend;
  ApprovalHandler h(Approvers(), kKey, backend);
  for (const char* body : {"", "{", "[]", "null", "{\"user_id\":5}", "{\"user_id\":\"u\"}",
                           "{\"user_id\":\"u\",\"context\":[]}",
                           "{\"user_id\":\"u\",\"context\":{\"expires\":\"soon\"}}",
                           "{\"user_id\":\"u\",\"context\":{\"held_id\":1,\"expires\":1}}"}) {
    EXPECT_EQ(Click(h, body).status, 400) << body;
  }
  EXPECT_TRUE(backend.decisions.empty());
}

TEST(ApprovalTest, TheRateLimitRefusesSignedClicksBeyondThirtyAMinute) {
  FakeBackend backend;
  ApprovalHandler h(Approvers(), kKey, backend);
  for (int i = 0; i < kClicksPerMinute; ++i) {
    EXPECT_EQ(Click(h, Signed("admin1", "approve", kNow + 1000)).status, 200);
  }
  EXPECT_EQ(Click(h, Signed("admin1", "approve", kNow + 1000)).status, 429);
  EXPECT_EQ(backend.decisions.size(), static_cast<size_t>(kClicksPerMinute));
}

// A flood of forged or malformed clicks from one address never blocks a signed click, from
// the Mattermost server's address or from the flooding address itself.
TEST(ApprovalTest, AFloodOfForgedClicksNeverBlocksASignedClick) {
  FakeBackend backend;
  ApprovalHandler h(Approvers(), kKey, backend);
  const std::string forged = Body("admin1", "approve", kNow + 1000, std::string(64, '0'));
  int forbidden = 0, limited = 0;
  for (int i = 0; i < 100; ++i) {
    const int status = Click(h, i % 2 ? forged : "{", "192.0.2.66").status;
    forbidden += status == 403 || status == 400;
    limited += status == 429;
  }
  EXPECT_EQ(forbidden, kRefusalsPerSource);
  EXPECT_EQ(limited, 100 - kRefusalsPerSource);
  EXPECT_EQ(Click(h, Signed("admin1", "approve", kNow + 1000), "10.0.0.5").status, 200);
  EXPECT_EQ(Click(h, Signed("admin1", "approve", kNow + 1000), "192.0.2.66").status, 200);
  EXPECT_EQ(backend.decisions.size(), 2u);
  // The flood did not take the signed clicks' budget either.
  for (int i = 2; i < kClicksPerMinute; ++i) {
    EXPECT_EQ(Click(h, Signed("admin1", "approve", kNow + 1000)).status, 200) << i;
  }
}

// Refusals are audited one by one up to kAuditedRefusalsPerSource per address and minute;
// the rest become one summary record when the minute is over.
TEST(ApprovalTest, RefusedClicksAreAuditedAtABoundedRateWithASummary) {
  FakeBackend backend;
  ApprovalHandler h(Approvers(), kKey, backend);
  const std::string forged = Body("admin1", "approve", kNow + 1000, std::string(64, '0'));
  for (int i = 0; i < 35; ++i) Click(h, forged, "192.0.2.66");
  Click(h, forged, "192.0.2.77");
  ASSERT_EQ(backend.refusals.size(), static_cast<size_t>(kAuditedRefusalsPerSource) + 1);
  backend.refusals.clear();
  backend.now = kNow + 61'000;
  Click(h, forged, "192.0.2.77");
  ASSERT_EQ(backend.refusals.size(), 2u);  // the summary, then this click's own record
  const AuditRecord& summary = backend.refusals[0];
  EXPECT_EQ(summary.result, AuditResult::kRefused);
  EXPECT_EQ(summary.key, "held:unknown");
  EXPECT_NE(summary.error.find(std::to_string(35 - kAuditedRefusalsPerSource) +
                               " more refused clicks from 192.0.2.66"),
            std::string::npos)
      << summary.error;
  EXPECT_NE(backend.refusals[1].error.find("(from 192.0.2.77)"), std::string::npos);
  // A window still open when the server stops is summed up then.
  for (int i = 0; i < kAuditedRefusalsPerSource + 5; ++i) Click(h, forged, "192.0.2.66");
  backend.refusals.clear();
  h.FlushRefusals();
  ASSERT_EQ(backend.refusals.size(), 1u);
  EXPECT_NE(backend.refusals[0].error.find("5 more refused clicks from 192.0.2.66"),
            std::string::npos)
      << backend.refusals[0].error;
}

TEST(ApprovalTest, OtherRoutesAndMethodsAreRefused) {
  FakeBackend backend;
  ApprovalHandler h(Approvers(), kKey, backend);
  HttpRequest req;
  req.method = "GET";
  req.path = "/v1/actions";
  EXPECT_EQ(h.Handle(req).status, 405);
  req.method = "POST";
  req.path = "/v1/held";
  EXPECT_EQ(h.Handle(req).status, 404);
}

TEST(ApprovalTest, TheKeyFileMustHoldSixteenBytesAndIsNeverQuoted) {
  testing::TempDir dir;
  EXPECT_FALSE(ReadHmacKey(dir.File("missing")).ok());
  auto short_key = ReadHmacKey(dir.Write("short", "tooshort\n"));
  ASSERT_FALSE(short_key.ok());
  EXPECT_EQ(short_key.status().message().find("tooshort"), std::string::npos);
  auto key = ReadHmacKey(dir.Write("key", std::string(kKey) + "\n"));
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(*key, kKey);
}

TEST(ApprovalTest, ThePostCarriesASummaryAndSignedButtons) {
  HeldSetRecord held{"00000000000000aa", kNow, "r1", "2 deactivate",
                     "deactivate\tE1\t\tjdoe\ndeactivate\tE2\t\tbad\x1b[2Jname\n", "", "", 0, ""};
  ApprovalsConfig c;
  c.url = "http://127.0.0.1:8071/v1/actions";
  c.valid_for_ms = 60'000;
  const std::string post = HeldPostJson(held, "held: 2 deactivations", c, kKey, kNow);
  EXPECT_NE(post.find("\"url\":\"http://127.0.0.1:8071/v1/actions\""), std::string::npos);
  EXPECT_NE(post.find(SignButton(kKey, held.held_id, "approve", kNow + 60'000)), std::string::npos);
  EXPECT_NE(post.find(SignButton(kKey, held.held_id, "reject", kNow + 60'000)), std::string::npos);
  EXPECT_NE(post.find("deactivate jdoe (key E1)"), std::string::npos) << post;
  EXPECT_EQ(post.find("\x1b"), std::string::npos);
  EXPECT_EQ(post.find(kKey), std::string::npos);
}

}  // namespace
}  // namespace rostersync::daemon
