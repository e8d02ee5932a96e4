#include "emulator/http_server.h"
#include "emulator/webhooks.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include <atomic>
#include <iostream>
#include <random>

namespace mmemu {

namespace {

std::string NewRequestId() {
  static const char kAlphabet[] = "ybndrfg8ejkmcpqxot1uwisza345h769";
  thread_local std::mt19937_64 rng(std::random_device{}());
  std::string id(26, 'a');
  uint64_t x = rng();
  uint64_t y = rng();
  for (size_t i = 0; i < id.size(); ++i) {
    id[i] = kAlphabet[(i < 12 ? x >> (i * 5) : y >> ((i - 12) * 4)) & 31];
  }
  return id;
}

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

std::string BearerToken(const Poco::Net::HTTPServerRequest& request) {
  std::string auth = request.get("Authorization", "");
  for (const char* scheme : {"Bearer ", "BEARER ", "bearer ", "Token ", "TOKEN ", "token "}) {
    if (StartsWith(auth, scheme)) return auth.substr(std::string(scheme).size());
  }
  return "";
}

// Drops the connection: RST when `abort`, else an orderly close.
void DropConnection(Poco::Net::HTTPServerRequest& request, bool abort) {
  auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request);
  if (!impl) return;
  try {
    Poco::Net::StreamSocket& socket = impl->socket();
    if (abort) socket.setLinger(true, 0);
    socket.close();
  } catch (const std::exception&) {
  }
}

class RequestHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit RequestHandler(const ServerParts& parts) : parts_(parts) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    ApiRequest req;
    ApiResponse resp;
    req.method = request.getMethod();
    req.request_id = NewRequestId();
    try {
      Poco::URI uri(request.getURI());
      req.path = uri.getPath();
      for (auto& [k, v] : uri.getQueryParameters()) req.query.emplace(k, v);
    } catch (const std::exception&) {
      req.path = request.getURI();
    }
    // No Content-Length and no chunked encoding means no body (RFC 9112 6.3): reading the
    // stream would wait for a close that a keep-alive client never sends.
    if (request.hasContentLength() || request.getChunkedTransferEncoding()) {
      Poco::StreamCopier::copyToString(request.stream(), req.body);
    }
    req.token = BearerToken(request);
    req.if_none_match = request.get("If-None-Match", "");

    const bool api = StartsWith(req.path, "/api/v4/") || req.path == "/api/v4";
    const bool admin = StartsWith(req.path, "/__emu/");
    const bool write = api && req.method != "GET" && req.method != "HEAD";
    std::string route = api     ? parts_.users->RouteName(req.method, req.path)
                        : admin ? AdminRoutes::RouteName(req.method, req.path)
                                : req.method + " unmatched";
    bool limited = false;
    FaultDecision fault;
    RateLimiter::Result rl;
    bool rl_on = false;
    if (admin) {
      parts_.admin->Handle(req, &resp);
    } else if (api) {
      // The server's default buckets are per client address (VaryByRemoteAddr), shared by
      // every token from it; the emulator's default is one bucket per token.
      const bool per_ip = parts_.modes->RateLimitPerIp() || req.token.empty();
      rl_on = parts_.limiter->Take(
          per_ip ? "ip:" + request.clientAddress().host().toString() : "token:" + req.token, &rl);
      if (rl_on) {
        resp.headers.emplace_back("X-Ratelimit-Limit", std::to_string(rl.limit));
        resp.headers.emplace_back("X-Ratelimit-Remaining", std::to_string(rl.remaining));
        resp.headers.emplace_back("X-Ratelimit-Reset", std::to_string(rl.reset_seconds));
      }
      if (rl_on && rl.limited) {
        limited = true;
        resp.status = 429;
        resp.content_type = "text/plain; charset=utf-8";
        resp.body = "limit exceeded\n";  // http.Error adds the newline
        resp.headers.emplace_back("Retry-After", std::to_string(rl.retry_after_seconds));
      } else {
        fault = parts_.faults->Decide();
        parts_.faults->Sleep(fault.latency_ms);
        if (fault.kind == FaultKind::kStall) parts_.faults->Sleep(fault.stall_ms);
        if (fault.kind == FaultKind::kResetBefore) {
          Finish(route, req, 0, write, false, false);
          DropConnection(request, true);
          return;
        }
        if (fault.kind == FaultKind::kError) {
          SetAppError(req, &resp, fault.error_status, "api.emulator.injected_fault.app_error",
                      "Injected fault: the emulator failed this request on purpose.");
        } else {
          parts_.users->Handle(&req, &resp);
        }
      }
    } else if (parts_.webhooks != nullptr && StartsWith(req.path, "/hooks/") &&
               req.method == "POST") {
      parts_.webhooks->HandleHook(req, &resp);
    } else {
      SetAppError(req, &resp, 404, "api.context.404.app_error",
                  "Sorry, we could not find the page.");
    }

    const bool applied = write && !limited && fault.kind != FaultKind::kError &&
                         resp.status >= 200 && resp.status < 300;
    if (fault.kind == FaultKind::kResetAfter) {
      Finish(route, req, 0, write, applied, limited);
      DropConnection(request, true);
      return;
    }
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(resp.status));
    response.set("X-Request-ID", req.request_id);
    response.set("X-Version-Id", "9.1.0.emulator");
    for (const auto& [k, v] : resp.headers) response.set(k, v);
    if (resp.status == 304) {
      response.setContentLength(0);
      response.send();
    } else {
      response.setContentType(resp.content_type);
      response.setContentLength(static_cast<std::streamsize>(resp.body.size()));
      std::ostream& out = response.send();
      if (fault.kind == FaultKind::kTruncate) {
        out.write(resp.body.data(), static_cast<std::streamsize>(resp.body.size() / 2));
        out.flush();
        Finish(route, req, resp.status, write, applied, limited);
        DropConnection(request, false);
        return;
      }
      out.write(resp.body.data(), static_cast<std::streamsize>(resp.body.size()));
    }
    if (api) {
      parts_.stats->AddBytes(static_cast<int64_t>(req.body.size()),
                             resp.status == 304 ? 0 : static_cast<int64_t>(resp.body.size()));
    }
    Finish(route, req, resp.status, write, applied, limited);
  }

 private:
  void Finish(const std::string& route, const ApiRequest& req, int status, bool write, bool applied,
              bool limited) {
    // Control traffic is not API traffic: keep it out of the counters and request log.
    if (!StartsWith(req.path, "/__emu/")) {
      parts_.stats->Record(route, req.method, req.path, status, write, applied, limited);
    }
    if (parts_.log_requests) {
      std::cerr << req.method << " " << req.path << " " << status << "\n";
    }
  }

  const ServerParts& parts_;
};

class HandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit HandlerFactory(const ServerParts& parts) : parts_(parts) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new RequestHandler(parts_);
  }

 private:
  const ServerParts& parts_;
};

}  // namespace

EmulatorServer::EmulatorServer(ServerParts parts) : parts_(parts) {}

EmulatorServer::~EmulatorServer() { Stop(); }

int EmulatorServer::Start(const std::string& host, int port, int threads, std::string* error) {
  try {
    Poco::Net::ServerSocket socket;
    socket.bind(Poco::Net::SocketAddress(host, static_cast<Poco::UInt16>(port)), true);
    socket.listen(256);
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(threads);
    params->setMaxQueued(1024);
    params->setKeepAlive(true);
    params->setMaxKeepAliveRequests(0);
    params->setKeepAliveTimeout(Poco::Timespan(5, 0));
    params->setTimeout(Poco::Timespan(60, 0));
    pool_ = std::make_unique<Poco::ThreadPool>(2, threads + 2);
    server_ =
        std::make_unique<Poco::Net::HTTPServer>(new HandlerFactory(parts_), *pool_, socket, params);
    server_->start();
    return socket.address().port();
  } catch (const std::exception& e) {
    *error = "cannot listen on " + host + ":" + std::to_string(port) + ": " + e.what() +
             " (pick another --port, or 0 for a free one)";
    server_.reset();
    pool_.reset();
    return -1;
  }
}

void EmulatorServer::Stop() {
  if (server_) {
    server_->stopAll(true);
    server_.reset();
  }
  if (pool_) {
    pool_->joinAll();
    pool_.reset();
  }
}

}  // namespace mmemu
