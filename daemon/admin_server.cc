#include "daemon/admin_server.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/URI.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "daemon/notifier.h"

namespace rostersync::daemon {
namespace {

using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

bool ConstantTimeEquals(const std::string& a, const std::string& b) {
  if (a.size() != b.size() || b.empty()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

void Send(HTTPServerResponse& resp, HTTPResponse::HTTPStatus status, const std::string& body,
          const std::string& type = "application/json") {
  resp.setStatus(status);
  resp.setContentType(type);
  resp.setContentLength(static_cast<std::streamsize>(body.size()));
  resp.set("Cache-Control", "no-store");
  resp.send() << body;
}

std::string ErrorJson(const std::string& message) {
  // {"error": "..."} with the same escaping as webhook text.
  std::string text = Notifier::JsonText(message);
  return "{\"error\"" + text.substr(7);
}

void SendError(HTTPServerResponse& resp, const Status& status) {
  HTTPResponse::HTTPStatus code = HTTPResponse::HTTP_INTERNAL_SERVER_ERROR;
  switch (status.code()) {
    case Status::Code::kInvalid:
      code = HTTPResponse::HTTP_BAD_REQUEST;
      break;
    case Status::Code::kNotFound:
      code = HTTPResponse::HTTP_NOT_FOUND;
      break;
    case Status::Code::kConflict:
      code = HTTPResponse::HTTP_CONFLICT;
      break;
    case Status::Code::kUnauthorized:
    case Status::Code::kTransient:
    case Status::Code::kIoError:
      code = HTTPResponse::HTTP_SERVICE_UNAVAILABLE;
      break;
    default:
      break;
  }
  Send(resp, code, ErrorJson(status.ToString()));
}

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  Handler(AdminBackend& backend, const std::string& token) : backend_(backend), token_(token) {}

  void handleRequest(HTTPServerRequest& req, HTTPServerResponse& resp) override {
    try {
      Route(req, resp);
    } catch (const Poco::Exception& e) {
      spdlog::warn("admin {} {}: {}", req.getMethod(), req.getURI(), e.displayText());
    } catch (const std::exception& e) {
      spdlog::warn("admin {} {}: {}", req.getMethod(), req.getURI(), e.what());
    }
  }

 private:
  void Route(HTTPServerRequest& req, HTTPServerResponse& resp) {
    Poco::URI uri(req.getURI());
    const std::string path = uri.getPath();
    const std::string& method = req.getMethod();
    const bool get = method == "GET" || method == "HEAD";
    const bool post = method == "POST";
    const bool user_sync = path.rfind("/v1/users/", 0) == 0 && path.size() > 15 &&
                           path.compare(path.size() - 5, 5, "/sync") == 0;
    if (post && (path == "/v1/sync" || user_sync)) {
      if (!Authorized(req)) {
        resp.set("WWW-Authenticate", "Bearer");
        Send(resp, HTTPResponse::HTTP_UNAUTHORIZED,
             ErrorJson("POST routes need Authorization: Bearer <the token in admin.token_file>"));
        return;
      }
      bool wait = false, force = false, json = false;
      for (const auto& [k, v] : uri.getQueryParameters()) {
        if (k == "wait") wait = v == "true" || v == "1";
        if (k == "force") force = v == "true" || v == "1";
        if (k == "output") json = v == "json";
      }
      if (path == "/v1/sync") {
        if (wait) {
          Reply(resp, backend_.SyncAndWait("", force, json));
        } else {
          Send(resp, HTTPResponse::HTTP_ACCEPTED, backend_.TriggerSync());
        }
        return;
      }
      std::string key;
      Poco::URI::decode(path.substr(10, path.size() - 15), key);
      if (key.empty() || key.find('/') != std::string::npos) {
        Send(resp, HTTPResponse::HTTP_NOT_FOUND, ErrorJson("no such route: " + path));
        return;
      }
      Reply(resp, wait ? backend_.SyncAndWait(key, force, json) : backend_.SyncUser(key));
      return;
    }
    if (!get) {
      bool known = path == "/healthz" || path == "/readyz" || path == "/metrics" ||
                   path == "/v1/status" || path == "/v1/runs" || path == "/v1/plan" ||
                   path == "/v1/audit" || path == "/v1/sync" || user_sync;
      if (known) {
        resp.set("Allow", (path == "/v1/sync" || user_sync) ? "POST" : "GET");
        Send(resp, HTTPResponse::HTTP_METHOD_NOT_ALLOWED,
             ErrorJson(method + " is not allowed on " + path));
      } else {
        Send(resp, HTTPResponse::HTTP_NOT_FOUND, ErrorJson("no such route: " + path));
      }
      return;
    }
    if (path == "/v1/sync" || user_sync) {
      resp.set("Allow", "POST");
      Send(resp, HTTPResponse::HTTP_METHOD_NOT_ALLOWED,
           ErrorJson(method + " is not allowed on " + path + "; use POST"));
    } else if (path == "/healthz") {
      Send(resp, HTTPResponse::HTTP_OK, "ok\n", "text/plain");
    } else if (path == "/readyz") {
      std::string why;
      if (backend_.Ready(&why)) {
        Send(resp, HTTPResponse::HTTP_OK, "ready\n", "text/plain");
      } else {
        Send(resp, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "not ready: " + why + "\n",
             "text/plain");
      }
    } else if (path == "/metrics") {
      Send(resp, HTTPResponse::HTTP_OK, backend_.MetricsText(),
           "text/plain; version=0.0.4; charset=utf-8");
    } else if (path == "/v1/status") {
      Send(resp, HTTPResponse::HTTP_OK, backend_.StatusJson());
    } else if (path == "/v1/runs") {
      Reply(resp, backend_.RunsJson());
    } else if (path == "/v1/plan") {
      Reply(resp, backend_.PlanJson());
    } else if (path == "/v1/audit") {
      std::string since;
      AuditQuery query;
      for (const auto& [k, v] : uri.getQueryParameters()) {
        if (k == "since") since = v;
        if (k == "user") query.username = v;
      }
      auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
      Result<int64_t> since_ms = ParseSince(since, now);
      if (!since_ms.ok()) {
        SendError(resp, since_ms.status());
        return;
      }
      query.since_ms = *since_ms;
      Reply(resp, backend_.AuditJson(query));
    } else {
      Send(resp, HTTPResponse::HTTP_NOT_FOUND, ErrorJson("no such route: " + path));
    }
  }

  void Reply(HTTPServerResponse& resp, const Result<std::string>& body) {
    if (body.ok()) {
      Send(resp, HTTPResponse::HTTP_OK, *body);
    } else {
      SendError(resp, body.status());
    }
  }

  bool Authorized(const HTTPServerRequest& req) const {
    if (token_.empty()) return true;
    // By value: Poco returns a reference to the default, a temporary, when the header is absent.
    const std::string auth = req.get("Authorization", "");
    static const std::string kPrefix = "Bearer ";
    if (auth.size() <= kPrefix.size() || auth.compare(0, kPrefix.size(), kPrefix) != 0) {
      return false;
    }
    return ConstantTimeEquals(auth.substr(kPrefix.size()), token_);
  }

  AdminBackend& backend_;
  const std::string& token_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Factory(AdminBackend& backend, std::string token) : backend_(backend), token_(std::move(token)) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override {
    return new Handler(backend_, token_);
  }

 private:
  AdminBackend& backend_;
  std::string token_;
};

}  // namespace

bool IsLoopbackHost(const std::string& host) {
  return host == "localhost" || host == "::1" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

Result<int64_t> ParseSince(const std::string& text, int64_t now_ms) {
  if (text.empty()) return int64_t{0};
  size_t i = 0;
  while (i < text.size() && isdigit(static_cast<unsigned char>(text[i]))) ++i;
  if (i == 0 || i > 15) {
    return Status::Invalid("since=\"" + text +
                           "\" is neither a duration (90s, 15m, 2h, 3d) "
                           "nor Unix milliseconds");
  }
  int64_t n = std::stoll(text.substr(0, i));
  std::string unit = text.substr(i);
  if (unit.empty()) return n;
  int64_t mult = unit == "ms"  ? 1
                 : unit == "s" ? 1000
                 : unit == "m" ? 60'000
                 : unit == "h" ? 3600'000
                 : unit == "d" ? 86'400'000
                               : 0;
  if (mult == 0) {
    return Status::Invalid("since=\"" + text + "\": unknown unit \"" + unit +
                           "\"; use s, m, h or d");
  }
  return now_ms - n * mult;
}

Result<std::unique_ptr<AdminServer>> AdminServer::Start(const std::string& listen,
                                                        const std::string& token,
                                                        AdminBackend& backend) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon + 1 >= listen.size()) {
    return Status::Invalid("admin.listen \"" + listen +
                           "\" is not host:port (e.g. 127.0.0.1:9187)");
  }
  std::string host = listen.substr(0, colon);
  if (host.empty()) host = "0.0.0.0";
  if (!IsLoopbackHost(host) && token.empty()) {
    return Status::Invalid("admin.listen " + listen +
                           " is beyond loopback but admin.token_file "
                           "is not set; set admin.token_file or listen on 127.0.0.1");
  }
  try {
    if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
    Poco::Net::SocketAddress address(host,
                                     static_cast<uint16_t>(std::stoi(listen.substr(colon + 1))));
    // reuse_address (restart while old connections linger) but never SO_REUSEPORT: a second
    // instance must fail to bind instead of silently sharing the port.
    Poco::Net::ServerSocket socket;
    socket.bind(address, /*reuseAddress=*/true, /*reusePort=*/false);
    socket.listen(64);
    auto params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(4);
    params->setMaxQueued(32);
    params->setKeepAlive(false);
    params->setTimeout(Poco::Timespan(10, 0));
    std::unique_ptr<AdminServer> server(new AdminServer);
    server->port_ = socket.address().port();
    server->server_ =
        std::make_unique<Poco::Net::HTTPServer>(new Factory(backend, token), socket, params);
    server->server_->start();
    return server;
  } catch (const Poco::Exception& e) {
    return Status::IoError("cannot listen on admin.listen " + listen + ": " + e.displayText() +
                           "; pick a free port or stop the other process");
  } catch (const std::exception& e) {
    return Status::Invalid("admin.listen \"" + listen + "\": bad port (" + e.what() + ")");
  }
}

AdminServer::~AdminServer() { Stop(); }

void AdminServer::Stop() {
  if (server_) {
    server_->stopAll(true);
    server_.reset();
  }
}

}  // namespace rostersync::daemon
