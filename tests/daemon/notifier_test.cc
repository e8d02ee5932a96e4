#include "daemon/notifier.h"

#include <gtest/gtest.h>

#include <vector>

#include "daemon/logging.h"
#include "sync/redact.h"

namespace rostersync::daemon {
namespace {

class RecordingSender : public WebhookSender {
 public:
  explicit RecordingSender(std::vector<std::string>* bodies) : bodies_(bodies) {}
  Status Post(const std::string& body) override {
    bodies_->push_back(body);
    return Status::Ok();
  }

 private:
  std::vector<std::string>* bodies_;
};

TEST(NotifierTest, SendsAtMostOneAlertPerCausePerHour) {
  std::vector<std::string> sent;
  FakeClock clock(1'000'000);
  Notifier n(std::make_unique<RecordingSender>(&sent), clock);
  EXPECT_TRUE(n.Alert("held:max_deactivations", "held 13"));
  clock.Advance(59 * 60'000);
  EXPECT_FALSE(n.Alert("held:max_deactivations", "held 13 again"));
  EXPECT_TRUE(n.Alert("failed:server", "server down"));  // another cause
  clock.Advance(60'000);
  EXPECT_TRUE(n.Alert("held:max_deactivations", "held 14"));
  EXPECT_EQ(sent.size(), 3u);
}

TEST(NotifierTest, SummariesAreNotRateLimited) {
  std::vector<std::string> sent;
  FakeClock clock(0);
  Notifier n(std::make_unique<RecordingSender>(&sent), clock);
  EXPECT_TRUE(n.Summary("3 applied"));
  EXPECT_TRUE(n.Summary("1 applied"));
  EXPECT_EQ(sent.size(), 2u);
}

TEST(NotifierTest, PostsTextAsEscapedJson) {
  std::vector<std::string> sent;
  FakeClock clock(0);
  Notifier n(std::make_unique<RecordingSender>(&sent), clock);
  n.Summary("a \"quoted\"\nline\\");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0], "{\"text\":\"a \\\"quoted\\\"\\nline\\\\\"}");
}

TEST(NotifierTest, WithoutAWebhookNothingIsSent) {
  FakeClock clock(0);
  Notifier n(MakeHttpWebhookSender("", 1000), clock);
  EXPECT_FALSE(n.Summary("x"));
  EXPECT_FALSE(n.Alert("c", "x"));
}

TEST(NotifierTest, AnUnreachableWebhookFailsWithoutItsSecretPath) {
  auto sender = MakeHttpWebhookSender("http://127.0.0.1:1/hooks/supersecretkey", 2000);
  Status s = sender->Post("{\"text\":\"x\"}");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.ToString().find("supersecretkey"), std::string::npos) << s.ToString();
}

TEST(RedactUrlTest, KeepsSchemeAndHostOnly) {
  EXPECT_EQ(RedactUrl("https://chat.example.com/hooks/abc123"), "https://chat.example.com/…");
  EXPECT_EQ(RedactUrl("https://user:pw@chat.example.com"), "https://chat.example.com");
  EXPECT_EQ(RedactUrl("sqlite:/var/lib/x.db"), "…");
  EXPECT_EQ(RedactUrl(""), "");
}

TEST(RedactUrlTest, TheTokenRedactorRemovesEverySecretOccurrence) {
  EXPECT_EQ(redact::Token("token abcd1234 and abcd1234", "abcd1234"),
            "token [redacted] and [redacted]");
  EXPECT_EQ(redact::Token("short ab", "ab"), "short ab");
}

}  // namespace
}  // namespace rostersync::daemon
