// POST /v1/actions: the Approve / Reject button route (approval_server.h).
#include "daemon/approval_server.h"

#include <spdlog/spdlog.h>

#include <ctime>
#include <limits>
#include <vector>

#include "daemon/approval_click.h"
#include "daemon/exit_codes.h"
#include "daemon/json_views.h"
#include "sync/text.h"

namespace rostersync::daemon {
namespace {

HttpResponse Answer(int status, const std::string& body) {
  HttpResponse r;
  r.status = status;
  r.body = body;
  return r;
}

// A refusal; the post stays as it is. The Mattermost server shows the clicking user the
// ephemeral_text only of a 200 answer (any other status is a generic integration error), so a
// genuine button that may not act now (expired, not an approver, the plan changed) answers
// 200, and only forged, malformed or excess requests get an error status.
HttpResponse Refuse(int status, const std::string& why) {
  return Answer(status, "{\"ephemeral_text\":" + JsonString("rostersync: " + why) + "}");
}
constexpr int kShown = 200;

std::string HourMinute(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%H:%M", &tm);
  return std::string(buf) + " UTC";
}

// An untrusted string for the audit trail and the log: control characters escaped, at most
// 64 characters (a click's body may be 8 KiB); `empty` when there is none.
std::string Clipped(const std::string& text, const std::string& empty) {
  if (text.empty()) return empty;
  if (text.size() <= 64) return EscapeControl(text);
  return EscapeControl(text.substr(0, 64)) + "...";
}

}  // namespace

bool ApprovalHandler::TakeRateToken(int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  while (!recent_ms_.empty() && now_ms - recent_ms_.front() >= 60'000) recent_ms_.pop_front();
  if (static_cast<int>(recent_ms_.size()) >= kClicksPerMinute) return false;
  recent_ms_.push_back(now_ms);
  return true;
}

void ApprovalHandler::AuditEndedWindows(int64_t now_ms, int64_t ended_by) {
  std::vector<RefusalBudget::Summary> ended;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ended = refusals_.TakeEnded(ended_by);
  }
  for (const RefusalBudget::Summary& s : ended) {
    AuditRecord rec;
    rec.ts_ms = now_ms;
    rec.action = AuditAction::kClick;
    rec.key = "held:unknown";
    rec.user_id = "unknown";
    rec.result = AuditResult::kRefused;
    rec.http_status = 429;
    rec.error = "button click refused: " + std::to_string(s.more) +
                " more refused clicks from " + Clipped(s.source, "unknown") +
                " in a minute, not audited one by one";
    backend_.AuditRefusedClick(rec);
    spdlog::warn("approval button: {}", rec.error);
  }
}

void ApprovalHandler::FlushRefusals() {
  AuditEndedWindows(backend_.NowMs(), std::numeric_limits<int64_t>::max());
}

HttpResponse ApprovalHandler::Handle(const HttpRequest& req) {
  if (req.path != "/v1/actions") return Refuse(404, "no such route");
  if (req.method != "POST") {
    HttpResponse r = Refuse(405, "use POST");
    r.headers.emplace_back("Allow", "POST");
    return r;
  }
  const int64_t now = backend_.NowMs();
  AuditEndedWindows(now, now);
  Result<ButtonClick> click = ParseButtonClick(req.body);
  if (!click.ok()) return RefuseClick(req, nullptr, "", now, 400, click.status().message());
  return HandleClick(req, *click, now);
}

void ApprovalHandler::AuditUnread(const std::string& peer, int status, const std::string& why) {
  const int64_t now = backend_.NowMs();
  AuditEndedWindows(now, now);
  HttpRequest req;
  req.peer = peer;
  RefuseClick(req, nullptr, "", now, status, why);
}

HttpResponse ApprovalHandler::RefuseClick(const HttpRequest& req, const ButtonClick* click,
                                          const std::string& username, int64_t now_ms,
                                          int status, std::string why) {
  RefusalBudget::Verdict verdict;
  {
    std::lock_guard<std::mutex> lock(mu_);
    verdict = refusals_.Count(req.peer, now_ms);
  }
  if (verdict.over && (status == 400 || status == 403)) {  // forged or malformed
    status = 429;
    why = "too many refused clicks; try again in a minute";
  }
  if (!verdict.audit) {  // counted into the window's summary
    if (verdict.first_unaudited) {
      spdlog::warn("approval button: more refused clicks from {} this minute are counted, not "
                   "audited one by one", Clipped(req.peer, "unknown"));
    }
    return Refuse(status, why);
  }
  AuditRecord rec;
  rec.ts_ms = now_ms;
  const std::string action = click ? click->context.action : "";
  rec.action = action == "approve"  ? AuditAction::kApprove
               : action == "reject" ? AuditAction::kReject
                                    : AuditAction::kClick;
  rec.key = "held:" + Clipped(click ? click->context.held_id : "", "unknown");
  rec.user_id = Clipped(click ? click->user_id : "", "unknown");
  rec.username = EscapeControl(username);
  rec.result = AuditResult::kRefused;
  rec.http_status = status;
  rec.error = "button click refused: " + EscapeControl(why) + " (from " +
              Clipped(req.peer, "unknown") + ")";
  backend_.AuditRefusedClick(rec);
  spdlog::warn("approval button: user_id {} on {}: {}", rec.user_id, rec.key, rec.error);
  return Refuse(status, why);
}

HttpResponse ApprovalHandler::HandleClick(const HttpRequest& req, const ButtonClick& click,
                                          int64_t now) {
  if (Status s = VerifyButton(key_, click.context, now); !s.ok()) {
    // expired: a genuine button, told with 200; forged: 403
    return RefuseClick(req, &click, "", now, s.IsConflict() ? kShown : 403, s.message());
  }
  // Only correctly signed clicks take from the rate limit: forged ones never block them.
  if (!TakeRateToken(now)) {
    return RefuseClick(req, &click, "", now, 429, "too many clicks; try again in a minute");
  }
  Result<User> user = backend_.ClickingUser(click.user_id);
  if (!user.ok()) {
    return RefuseClick(req, &click, "", now, kShown,
                       "cannot read the clicking user from the server: " +
                           user.status().message());
  }
  if (!MayApprove(*user, config_)) {
    const std::string who = "@" + user->username;
    return RefuseClick(req, &click, user->username, now, kShown,
                       !user->active() ? who + " is deactivated and may not approve or reject "
                                               "held sets"
                       : user->is_bot  ? who + " is a bot and may not approve or reject held sets"
                                       : who + " may not approve or reject held sets "
                                               "(approvals.approvers)");
  }
  const bool approve = click.context.action == "approve";
  HeldDecision decision{click.context.held_id, approve, {}, user->username};
  decision.approver_id = user->id.empty() ? click.user_id : user->id;
  DecisionOutcome out = backend_.Decide(decision);
  if (out.exit_code == kExitRefused) return Refuse(kShown, out.message);  // audited there
  if (out.exit_code == kExitError) {
    return RefuseClick(req, &click, user->username, now, kShown, out.message);
  }
  if (out.pending) {  // the post keeps its buttons for the second approver
    const std::string first = "Approved by @" + user->username + " at " + HourMinute(now) +
                              " (1 of 2 approvers): waiting for a second approver (held set " +
                              click.context.held_id + ")";
    return Answer(200, "{\"update\":{\"message\":" + JsonString(first) +
                           "},\"ephemeral_text\":" + JsonString(out.message) + "}");
  }
  std::string what = approve ? std::to_string(out.applied) + " of " +
                                   std::to_string(out.released) + " held action(s) applied"
                             : "dismissed until the plan changes";
  const std::string message = std::string(approve ? "Approved" : "Rejected") + " by @" +
                              user->username + " at " + HourMinute(now) + ": " + what +
                              " (held set " + click.context.held_id + ")";
  return Answer(200, "{\"update\":{\"message\":" + JsonString(message) +
                         ",\"props\":{}},\"ephemeral_text\":" + JsonString(out.message) + "}");
}

Result<std::unique_ptr<ApprovalServer>> ApprovalServer::Start(const ApprovalsConfig& config,
                                                              const std::string& key,
                                                              ApprovalBackend& backend) {
  const std::string& listen = config.listen;
  const auto colon = listen.rfind(':');
  const std::string port = colon == std::string::npos ? "" : listen.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(port) > 65535) {
    return Status::Invalid("approvals.listen \"" + listen + "\" is not host:port");
  }
  std::string host = listen.substr(0, colon);
  if (host.empty()) host = "0.0.0.0";
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  auto handler = std::make_shared<ApprovalHandler>(config, key, backend);
  HttpServerOptions options;
  options.max_body_bytes = 8 * 1024;
  options.max_per_client = 4;
  options.is_slow = [](const HttpRequest&) { return true; };  // an approval applies a cycle
  options.on_refused = [handler](const std::string& peer, int status, const std::string& why) {
    handler->AuditUnread(peer, status, why);
  };
  Result<std::unique_ptr<HttpServer>> http = HttpServer::Start(
      host, std::stoi(port), options, [handler](const HttpRequest& r) { return handler->Handle(r); });
  if (!http.ok()) {
    return Status(http.status().code(),
                  "cannot listen on approvals.listen " + listen + ": " + http.status().message());
  }
  std::unique_ptr<ApprovalServer> server(new ApprovalServer);
  server->handler_ = handler;
  server->server_ = std::move(http).value();
  return server;
}

ApprovalServer::~ApprovalServer() {
  if (server_) server_->Stop();
  if (handler_) handler_->FlushRefusals();
}

int ApprovalServer::port() const { return server_ ? server_->port() : 0; }

}  // namespace rostersync::daemon
