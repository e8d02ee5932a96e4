// ApprovalServer: POST /v1/actions on approvals.listen, the one route the Mattermost server
// calls when someone clicks Approve or Reject on a held-plan post. It never takes the admin
// token: a click is checked by its signed context (approval_click.h), its expiry and the
// clicking user's roles read through the API. Body size limit (8 KiB, 413), malformed JSON ->
// 400, at most 30 correctly signed clicks a minute (429). Refused clicks are counted apart,
// per source address (approval_refusals.h): a flood of forged clicks never blocks a signed
// one, and is audited at a bounded rate. Thread-safe; the backend must outlive it.
#ifndef ROSTERSYNC_DAEMON_APPROVAL_SERVER_H_
#define ROSTERSYNC_DAEMON_APPROVAL_SERVER_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>

#include "config/config.h"
#include "daemon/approval_click.h"
#include "daemon/approval_refusals.h"
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
  // A click the HTTP server refused before it reached Handle (too large: 413, ...): audited
  // within the same bounds as every refused click.
  void AuditUnread(const std::string& peer, int status, const std::string& why);
  // Writes the summary records of the refusal windows still open (when the server stops).
  void FlushRefusals();

 private:
  bool TakeRateToken(int64_t now_ms);
  // Writes the summaries of the refusal windows that ended by `ended_by` ("M more refused
  // clicks from X"), timestamped now_ms.
  void AuditEndedWindows(int64_t now_ms, int64_t ended_by);
  HttpResponse HandleClick(const HttpRequest& req, const ButtonClick& click, int64_t now_ms);
  // Counts the refusal (approval_refusals.h); audits it (who, which held set, why) and logs
  // it within the bounds; answers it (429 for a forged or malformed one over the bounds).
  HttpResponse RefuseClick(const HttpRequest& req, const ButtonClick* click,
                           const std::string& username, int64_t now_ms, int status,
                           std::string why);
  const ApprovalsConfig config_;
  const std::string key_;
  ApprovalBackend& backend_;
  std::mutex mu_;
  std::deque<int64_t> recent_ms_;  // signed clicks in the last minute
  RefusalBudget refusals_;          // guarded by mu_
};

// Correctly signed (and unexpired) clicks a minute; refusals never take from it.
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
