// Notifier: run summaries and alerts to a Mattermost incoming webhook (POST {"text": ...}).
// Alerts are rate-limited to one per cause per hour; summaries are sent for every cycle
// that changed something. The webhook URL is a secret and never logged in full.
// Thread-safe (one mutex); sending is synchronous with a short timeout.
#ifndef ROSTERSYNC_DAEMON_NOTIFIER_H_
#define ROSTERSYNC_DAEMON_NOTIFIER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "sync/clock.h"
#include "sync/status.h"

namespace rostersync::daemon {

// The seam for sending: HTTP in production, a recorder in tests.
class WebhookSender {
 public:
  virtual ~WebhookSender() = default;
  // Posts a JSON body. Transient/IoError on failure; retrying is safe but may double a post.
  virtual Status Post(const std::string& json_body) = 0;
};

// Posts to `url` with Poco (HTTPS verified with the system CAs). nullptr if url is empty.
std::unique_ptr<WebhookSender> MakeHttpWebhookSender(const std::string& url, int64_t timeout_ms);

class Notifier {
 public:
  static constexpr int64_t kAlertIntervalMs = 3600'000;

  // sender may be null: then nothing is sent.
  Notifier(std::unique_ptr<WebhookSender> sender, const Clock& clock);

  // A cycle that changed something. Returns whether it was sent.
  bool Summary(const std::string& text);
  // An alert (cause: "held:max_deactivations", "failed:unauthorized", ...): at most one per
  // cause per hour. Returns whether it was sent.
  bool Alert(const std::string& cause, const std::string& text);
  // As Alert, with a whole webhook body (e.g. attachments with buttons) instead of text.
  bool AlertBody(const std::string& cause, const std::string& json_body);

  static std::string JsonText(const std::string& text);  // {"text":"..."} escaped

 private:
  bool Send(const std::string& text);

  std::unique_ptr<WebhookSender> sender_;
  const Clock& clock_;
  std::mutex mu_;
  std::map<std::string, int64_t> last_alert_ms_;
};

}  // namespace rostersync::daemon

#endif  // ROSTERSYNC_DAEMON_NOTIFIER_H_
