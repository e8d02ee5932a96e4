#include "daemon/notifier.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>
#include <spdlog/spdlog.h>

#include <sstream>

#include "daemon/logging.h"

namespace rostersync::daemon {
namespace {

class HttpWebhookSender : public WebhookSender {
 public:
  HttpWebhookSender(std::string url, int64_t timeout_ms)
      : url_(std::move(url)), timeout_ms_(timeout_ms) {}

  Status Post(const std::string& body) override {
    try {
      Poco::URI uri(url_);
      std::unique_ptr<Poco::Net::HTTPClientSession> session;
      if (uri.getScheme() == "https") {
        Poco::Net::Context::Ptr ctx = new Poco::Net::Context(
            Poco::Net::Context::TLS_CLIENT_USE, "", Poco::Net::Context::VERIFY_RELAXED, 9, true);
        session =
            std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), ctx);
      } else {
        session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
      }
      session->setTimeout(Poco::Timespan(timeout_ms_ * 1000));
      Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_POST, uri.getPathAndQuery(),
                                 Poco::Net::HTTPMessage::HTTP_1_1);
      req.setContentType("application/json");
      req.setContentLength(static_cast<std::streamsize>(body.size()));
      session->sendRequest(req) << body;
      Poco::Net::HTTPResponse resp;
      std::istream& in = session->receiveResponse(resp);
      std::ostringstream sink;
      Poco::StreamCopier::copyStream(in, sink);
      if (resp.getStatus() >= 300) {
        return Status::Transient("webhook " + RedactUrl(url_) + " answered HTTP " +
                                 std::to_string(resp.getStatus()));
      }
      return Status::Ok();
    } catch (const Poco::Exception& e) {
      return Status::Transient("webhook " + RedactUrl(url_) + ": " + e.displayText());
    }
  }

 private:
  std::string url_;
  int64_t timeout_ms_;
};

}  // namespace

std::unique_ptr<WebhookSender> MakeHttpWebhookSender(const std::string& url, int64_t timeout_ms) {
  if (url.empty()) return nullptr;
  return std::make_unique<HttpWebhookSender>(url, timeout_ms);
}

Notifier::Notifier(std::unique_ptr<WebhookSender> sender, const Clock& clock)
    : sender_(std::move(sender)), clock_(clock) {}

bool Notifier::Summary(const std::string& text) {
  std::lock_guard<std::mutex> lock(mu_);
  return Send(text);
}

bool Notifier::Alert(const std::string& cause, const std::string& text) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!sender_) return false;
  int64_t now = clock_.NowMs();
  auto it = last_alert_ms_.find(cause);
  if (it != last_alert_ms_.end() && now - it->second < kAlertIntervalMs) return false;
  last_alert_ms_[cause] = now;  // also on failure: a dead webhook is not retried every cycle
  return Send(text);
}

bool Notifier::AlertBody(const std::string& cause, const std::string& json_body) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!sender_) return false;
  int64_t now = clock_.NowMs();
  auto it = last_alert_ms_.find(cause);
  if (it != last_alert_ms_.end() && now - it->second < kAlertIntervalMs) return false;
  last_alert_ms_[cause] = now;
  Status s = sender_->Post(json_body);
  if (!s.ok()) spdlog::warn("notification not sent: {}", s.ToString());
  return s.ok();
}

bool Notifier::Send(const std::string& text) {
  if (!sender_) return false;
  Status s = sender_->Post(JsonText(text));
  if (!s.ok()) spdlog::warn("notification not sent: {}", s.ToString());
  return s.ok();
}

std::string Notifier::JsonText(const std::string& text) {
  std::string out = "{\"text\":\"";
  static const char kHex[] = "0123456789abcdef";
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\\u00";
          out += kHex[(c >> 4) & 0xf];
          out += kHex[c & 0xf];
        } else {
          out += c;
        }
    }
  }
  return out + "\"}";
}

}  // namespace rostersync::daemon
