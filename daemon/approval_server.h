// ApprovalServer: POST /v1/actions on approvals.listen, the one route the Mattermost server
// calls when someone clicks Approve or Reject on a held-plan post. It never takes the admin
// token: a click is checked by its signed context (approval_click.h), its expiry and the
// clicking user's roles read through the API. Body size limit (8 KiB, 413), a rate limit (30
// clicks a minute), malformed JSON -> 400. Every refused click (but those over the rate
// limit) is audited once. Thread-safe; the backend must outlive it.
#ifndef ROSTERSYNC_DAEMON_APPROVAL_SERVER_H_
#define ROSTERSYNC_DAEMON_APPROVAL_SERVER_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>

#include "config/config.h"
#include "daemon/approval_click.h"
#include "daemon/held_sets.h"
#include "daemon/http_server.h"
#include "sync/state_store.h"
#include "sync/status.h"
#include "sync/user.h"

namespace rostersync::daemon {

class ApprovalBackend {
 public:
  virtual ~ApprovalBackend() = default;
  virtual int64_t NowMs() = 0;
  // GET /users/{id} on the Mattermost server.
  virtual Result<User> ClickingUser(const std::string& user_id) = 0;
  // The decision, as `approve` / `reject` would make it (held_sets.h).
  virtual DecisionOutcome Decide(const HeldDecision& decision) = 0;
  // Writes one audit record of a refused click (result "refused"; strings already escaped,
  // never the signature) to the state store and the audit sink.
  virtual void AuditRefusedClick(const AuditRecord& record) = 0;
};

// The route's whole logic, without the socket (tests and the fuzz target call it).
class ApprovalHandler {
 public:
  ApprovalHandler(ApprovalsConfig config, std::string key, ApprovalBackend& backend)
      : config_(std::move(config)), key_(std::move(key)), backend_(backend) {}
  HttpResponse Handle(const HttpRequest& req);

 private:
  bool TakeRateToken(int64_t now_ms);
  HttpResponse HandleClick(const HttpRequest& req, const ButtonClick& click, int64_t now_ms);
  // Audits the refusal (who, which held set, why), logs it and answers it.
  HttpResponse RefuseClick(const HttpRequest& req, const ButtonClick* click,
                           const std::string& username, int64_t now_ms, int status,
                           const std::string& why);
  const ApprovalsConfig config_;
  const std::string key_;
  ApprovalBackend& backend_;
  std::mutex mu_;
  std::deque<int64_t> recent_ms_;  // clicks in the last minute
};

constexpr int kClicksPerMinute = 30;

class ApprovalServer {
 public:
  // Listens on approvals.listen. Invalid for a bad address, IoError when it cannot bind.
  static Result<std::unique_ptr<ApprovalServer>> Start(const ApprovalsConfig& config,
                                                       const std::string& key,
                                                       ApprovalBackend& backend);
  ~ApprovalServer();
  int port() const;

 private:
  ApprovalServer() = default;
  std::shared_ptr<ApprovalHandler> handler_;
  std::unique_ptr<HttpServer> server_;
};

}  // namespace rostersync::daemon

#endif  // ROSTERSYNC_DAEMON_APPROVAL_SERVER_H_
