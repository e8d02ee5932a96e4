#include "daemon/admin_server.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <cctype>
#include <chrono>
#include <map>

#include "daemon/http_server.h"
#include "daemon/notifier.h"

namespace rostersync::daemon {

const char kForceNeedsToken[] =
    "force needs admin.token_file: releasing a held mass change over the admin endpoint "
    "requires a configured admin token (Authorization: Bearer <token>); set admin.token_file "
    "and reload (SIGHUP) or restart the service, or stop the service and run `rostersync sync --force`";

const char kApproveNeedsToken[] =
    "approving a held set over the admin endpoint requires a configured admin token "
    "(admin.token_file, Authorization: Bearer <token>); without one, stop the service and run "
    "`rostersync approve HELD_ID`";

namespace {

bool ConstantTimeEquals(const std::string& a, const std::string& b) {
  if (a.size() != b.size() || b.empty()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

HttpResponse Json(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

HttpResponse Text(int status, std::string body, const std::string& type = "text/plain") {
  HttpResponse r = Json(status, std::move(body));
  r.content_type = type;
  return r;
}

std::string ErrorJson(const std::string& message) {
  // {"error": "..."} with the same escaping as webhook text.
  std::string text = Notifier::JsonText(message);
  return "{\"error\"" + text.substr(7);
}

HttpResponse Error(int status, const std::string& message) {
  return Json(status, ErrorJson(message));
}

HttpResponse FromStatus(const Status& status) {
  int code = 500;
  switch (status.code()) {
    case Status::Code::kInvalid: code = 400; break;
    case Status::Code::kNotFound: code = 404; break;
    case Status::Code::kConflict: code = 409; break;
    case Status::Code::kUnauthorized:
    case Status::Code::kTransient:
    case Status::Code::kIoError: code = 503; break;
    default: break;
  }
  return Error(code, status.ToString());
}

HttpResponse Reply(const Result<std::string>& body) {
  return body.ok() ? Json(200, *body) : FromStatus(body.status());
}

// The query's parameters, percent-decoded; Invalid on a bad escape.
Result<std::map<std::string, std::string>> QueryParameters(const std::string& query) {
  std::map<std::string, std::string> out;
  size_t pos = 0;
  while (pos <= query.size() && !query.empty()) {
    size_t amp = query.find('&', pos);
    std::string pair = query.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    size_t eq = pair.find('=');
    std::string k, v;
    try {
      Poco::URI::decode(pair.substr(0, eq), k, true);
      if (eq != std::string::npos) Poco::URI::decode(pair.substr(eq + 1), v, true);
    } catch (const Poco::Exception&) {
      return Status::Invalid("bad percent-encoding in the query");
    }
    if (!k.empty()) out[k] = v;
    if (amp == std::string::npos) break;
    pos = amp + 1;
  }
  return out;
}

bool Truthy(const std::map<std::string, std::string>& q, const std::string& key) {
  auto it = q.find(key);
  return it != q.end() && (it->second == "true" || it->second == "1");
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// host[:port] of a Host header, brackets kept for IPv6 ("[::1]").
std::string HostOnly(const std::string& header) {
  if (!header.empty() && header[0] == '[') {
    size_t close = header.find(']');
    return close == std::string::npos ? header : header.substr(0, close + 1);
  }
  return header.substr(0, header.find(':'));
}

class Router {
 public:
  Router(AdminBackend& backend, std::string token, std::string listen_host)
      : backend_(backend), token_(std::move(token)), listen_host_(std::move(listen_host)) {}

  HttpResponse Handle(const HttpRequest& req) {
    const std::string& path = req.path;
    if (path == "/healthz" || path == "/readyz" || path == "/metrics") return Open(req);
    if (path.rfind("/v1/", 0) != 0) return Error(404, "no such route: " + path);
    if (!HostAllowed(req.Header("host"))) {
      return Error(421, "the Host header must name this endpoint (" + listen_host_ +
                            ", localhost or 127.0.0.1)");
    }
    if (!Authorized(req)) {
      HttpResponse r = Error(401, "/v1/ routes need Authorization: Bearer <the token in "
                                  "admin.token_file>");
      r.headers.emplace_back("WWW-Authenticate", "Bearer");
      return r;
    }
    Result<std::map<std::string, std::string>> query = QueryParameters(req.query);
    if (!query.ok()) return FromStatus(query.status());
    if (Truthy(*query, "force") && token_.empty()) {
      // force releases a held mass change: without a token any local user could send it.
      return Error(403, kForceNeedsToken);
    }
    return V1(req, *query);
  }

 private:
  HttpResponse Open(const HttpRequest& req) {
    if (req.method != "GET" && req.method != "HEAD") {
      HttpResponse r = Error(405, req.method + " is not allowed on " + req.path);
      r.headers.emplace_back("Allow", "GET");
      return r;
    }
    if (req.path == "/healthz") return Text(200, "ok\n");
    if (req.path == "/metrics") {
      return Text(200, backend_.MetricsText(), "text/plain; version=0.0.4; charset=utf-8");
    }
    std::string why;
    if (backend_.Ready(&why)) return Text(200, "ready\n");
    return Text(503, "not ready: " + why + "\n");
  }

  HttpResponse V1(const HttpRequest& req, const std::map<std::string, std::string>& q) {
    const std::string& path = req.path;
    if (path == "/v1/held" || path.rfind("/v1/held/", 0) == 0) return Held(req, q);
    const bool get = req.method == "GET" || req.method == "HEAD";
    const bool user_sync = path.rfind("/v1/users/", 0) == 0 && path.size() > 15 &&
                           path.compare(path.size() - 5, 5, "/sync") == 0;
    const bool post_route = path == "/v1/sync" || user_sync;
    const bool get_route = path == "/v1/status" || path == "/v1/runs" || path == "/v1/plan" ||
                           path == "/v1/audit";
    if (!post_route && !get_route) return Error(404, "no such route: " + path);
    if (post_route != (req.method == "POST") || (!post_route && !get)) {
      HttpResponse r = Error(405, req.method + " is not allowed on " + path +
                                      (post_route ? "; use POST" : "; use GET"));
      r.headers.emplace_back("Allow", post_route ? "POST" : "GET");
      return r;
    }
    const bool wait = Truthy(q, "wait"), force = Truthy(q, "force");
    const bool json = q.count("output") && q.at("output") == "json";
    if (path == "/v1/sync") {
      if (Truthy(q, "full")) backend_.RequestFullCycle();
      if (wait) return Reply(backend_.SyncAndWait("", force, json));
      return Json(202, backend_.TriggerSync());
    }
    if (user_sync) {
      std::string key;
      try {
        Poco::URI::decode(path.substr(10, path.size() - 15), key);
      } catch (const Poco::Exception&) {
        return Error(400, "bad percent-encoding in the key");
      }
      if (key.empty() || key.find('/') != std::string::npos) {
        return Error(404, "no such route: " + path);
      }
      return Reply(wait ? backend_.SyncAndWait(key, force, json) : backend_.SyncUser(key));
    }
    if (path == "/v1/status") return Json(200, backend_.StatusJson());
    if (path == "/v1/runs") return Reply(backend_.RunsJson());
    if (path == "/v1/plan") return Reply(backend_.PlanJson(Truthy(q, "refresh")));
    AuditQuery audit;
    auto since = q.find("since");
    auto user = q.find("user");
    if (user != q.end()) audit.username = user->second;
    auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    Result<int64_t> since_ms = ParseSince(since == q.end() ? "" : since->second, now);
    if (!since_ms.ok()) return FromStatus(since_ms.status());
    audit.since_ms = *since_ms;
    return Reply(backend_.AuditJson(audit));
  }

  // GET /v1/held, POST /v1/held/{id}/approve|reject (daemon/held_sets.h).
  HttpResponse Held(const HttpRequest& req, const std::map<std::string, std::string>& q) {
    const std::string& path = req.path;
    if (path == "/v1/held") {
      if (req.method != "GET" && req.method != "HEAD") {
        HttpResponse r = Error(405, req.method + " is not allowed on " + path + "; use GET");
        r.headers.emplace_back("Allow", "GET");
        return r;
      }
      return Reply(backend_.HeldJson());
    }
    const std::string rest = path.substr(9);  // after "/v1/held/"
    const size_t slash = rest.find('/');
    const std::string verb = slash == std::string::npos ? "" : rest.substr(slash + 1);
    const std::string id = rest.substr(0, slash);
    if ((verb != "approve" && verb != "reject") || id.empty()) {
      return Error(404, "no such route: " + path);
    }
    for (char c : id) {
      if (!std::isxdigit(static_cast<unsigned char>(c))) return Error(404, "no such held set");
    }
    if (req.method != "POST") {
      HttpResponse r = Error(405, req.method + " is not allowed on " + path + "; use POST");
      r.headers.emplace_back("Allow", "POST");
      return r;
    }
    if (verb == "approve" && token_.empty()) return Error(403, kApproveNeedsToken);
    auto only = q.find("only");
    return Reply(backend_.DecideHeld(id, verb == "approve", only == q.end() ? "" : only->second));
  }

  // DNS rebinding: a page on another origin reaches us by name; its Host is that name.
  bool HostAllowed(const std::string& header) const {
    if (listen_host_ == "0.0.0.0" || listen_host_ == "::" || listen_host_ == "[::]") {
      return true;  // beyond loopback the token is mandatory; it guards every /v1/ route
    }
    // Host names are case-insensitive (RFC 9110 section 4.2.3): LOCALHOST is localhost.
    const std::string host = Lower(HostOnly(header));
    const std::string listen = Lower(listen_host_);
    return host == "localhost" || host == "127.0.0.1" || host == "[::1]" || host == listen ||
           ("[" + listen + "]") == host;
  }

  bool Authorized(const HttpRequest& req) const {
    if (token_.empty()) return true;
    const std::string auth = req.Header("authorization");
    // The scheme is case-insensitive (RFC 9110 section 11.1): "bearer x" is "Bearer x".
    static const std::string kScheme = "bearer";
    if (auth.size() <= kScheme.size() + 1) return false;
    for (size_t i = 0; i < kScheme.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(auth[i])) != kScheme[i]) return false;
    }
    size_t start = kScheme.size();
    if (auth[start] != ' ') return false;
    while (start < auth.size() && auth[start] == ' ') ++start;
    return ConstantTimeEquals(auth.substr(start), token_);
  }

  AdminBackend& backend_;
  const std::string token_;
  const std::string listen_host_;
};

}  // namespace

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
  if (n > now_ms / mult) {  // checked before multiplying: no signed overflow
    return Status::Invalid("since=\"" + text + "\" reaches back before 1970");
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
  const std::string port_text = listen.substr(colon + 1);
  if (port_text.size() > 5 || port_text.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(port_text) > 65535) {
    return Status::Invalid("admin.listen \"" + listen + "\": bad port");
  }
  std::string bind_host = host == "localhost" ? "127.0.0.1" : host;
  if (bind_host.size() > 2 && bind_host.front() == '[') {
    bind_host = bind_host.substr(1, bind_host.size() - 2);
  }
  auto router = std::make_shared<Router>(backend, token, host);
  HttpServerOptions options;
  options.is_slow = [](const HttpRequest& req) {
    return req.method == "POST" || req.query.find("refresh=") != std::string::npos;
  };
  // Liveness never waits behind busy workers (the router answers it without the backend).
  options.is_inline = [](const HttpRequest& req) {
    return req.path == "/healthz" && (req.method == "GET" || req.method == "HEAD");
  };
  Result<std::unique_ptr<HttpServer>> http = HttpServer::Start(
      bind_host, std::stoi(port_text), options,
      [router](const HttpRequest& req) { return router->Handle(req); });
  if (!http.ok()) {
    return Status(http.status().code(),
                  "cannot listen on admin.listen " + listen + ": " + http.status().message() +
                      "; pick a free port or stop the other process");
  }
  std::unique_ptr<AdminServer> server(new AdminServer);
  server->port_ = (*http)->port();
  server->server_ = std::move(http).value();
  return server;
}

AdminServer::~AdminServer() { Stop(); }

void AdminServer::Stop() {
  if (server_) {
    server_->Stop();
    server_.reset();
  }
}

}  // namespace rostersync::daemon
