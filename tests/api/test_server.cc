// ScriptedServer (see test_server.h).
#include "tests/api/test_server.h"

#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Exception.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <sstream>

namespace rostersync::testing {

namespace {

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Decode(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out.push_back(static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i] == '+' ? ' ' : s[i]);
    }
  }
  return out;
}

const char* Reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    default: return "Status";
  }
}

}  // namespace

ScriptedServer::ScriptedServer(Handler handler, Poco::Net::Context::Ptr tls_context)
    : handler_(std::move(handler)), tls_(std::move(tls_context)) {
  Poco::Net::SocketAddress address("127.0.0.1", 0);
  if (tls_) {
    listener_ = std::make_unique<Poco::Net::SecureServerSocket>(address, 64, tls_);
  } else {
    listener_ = std::make_unique<Poco::Net::ServerSocket>(address, 64);
  }
  port_ = listener_->address().port();
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

ScriptedServer::~ScriptedServer() {
  stop_ = true;
  acceptor_.join();
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> lock(mu_);
    workers.swap(workers_);
  }
  for (auto& t : workers) t.join();
}

std::string ScriptedServer::url() const {
  return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
}

std::vector<Request> ScriptedServer::received() const {
  std::lock_guard<std::mutex> lock(mu_);
  return received_;
}

void ScriptedServer::AcceptLoop() {
  while (!stop_) {
    try {
      if (!listener_->poll(Poco::Timespan(0, 5000), Poco::Net::Socket::SELECT_READ)) continue;
      Poco::Net::StreamSocket socket = listener_->acceptConnection();
      ++connections_;
      std::lock_guard<std::mutex> lock(mu_);
      workers_.emplace_back([this, socket]() mutable { Serve(socket); });
    } catch (const Poco::Exception&) {
      // A failed TLS handshake lands here; keep accepting.
    }
  }
}

void ScriptedServer::Serve(Poco::Net::StreamSocket socket) {
  std::string buffer;
  char chunk[16384];
  auto fill = [&]() -> bool {  // false on EOF, error or stop
    while (!stop_) {
      try {
        if (!socket.poll(Poco::Timespan(0, 5000), Poco::Net::Socket::SELECT_READ) &&
            socket.available() == 0) {
          continue;
        }
        int n = socket.receiveBytes(chunk, sizeof chunk);
        if (n <= 0) return false;
        buffer.append(chunk, static_cast<std::size_t>(n));
        return true;
      } catch (const Poco::Exception&) {
        return false;
      }
    }
    return false;
  };
  try {
    if (tls_) {
      Poco::Net::SecureStreamSocket secure(socket);
      secure.completeHandshake();
    }
  } catch (const Poco::Exception&) {
    return;
  }
  for (;;) {
    std::size_t header_end;
    while ((header_end = buffer.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) return;
    }
    Request req;
    std::istringstream head(buffer.substr(0, header_end));
    std::string line;
    std::getline(head, line);
    std::istringstream first(line);
    std::string version;
    first >> req.method >> req.target >> version;
    while (std::getline(head, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      auto colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      req.headers[Lower(line.substr(0, colon))] = value;
    }
    std::size_t length = 0;
    if (!req.Header("content-length").empty()) length = std::stoul(req.Header("content-length"));
    buffer.erase(0, header_end + 4);
    while (buffer.size() < length) {
      if (!fill()) return;
    }
    req.body = buffer.substr(0, length);
    buffer.erase(0, length);
    auto q = req.target.find('?');
    req.path = Decode(req.target.substr(0, q));
    if (q != std::string::npos) {
      std::istringstream params(req.target.substr(q + 1));
      std::string kv;
      while (std::getline(params, kv, '&')) {
        auto eq = kv.find('=');
        req.query[Decode(kv.substr(0, eq))] = eq == std::string::npos ? "" : Decode(kv.substr(eq + 1));
      }
    }
    ++requests_;
    {
      std::lock_guard<std::mutex> lock(mu_);
      received_.push_back(req);
    }
    Reply reply = handler_(req);
    if (reply.action == Reply::Action::kCloseAfterRequest) {
      socket.close();
      return;
    }
    if (reply.action == Reply::Action::kStall) {
      for (int i = 0; i < 6000 && !stop_; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      return;
    }
    std::string out = "HTTP/1.1 " + std::to_string(reply.status) + " " + Reason(reply.status) +
                      "\r\n";
    if (!reply.content_type.empty()) out += "Content-Type: " + reply.content_type + "\r\n";
    for (const auto& [k, v] : reply.headers) out += k + ": " + v + "\r\n";
    out += "Content-Length: " + std::to_string(reply.body.size()) + "\r\n\r\n";
    std::size_t body_bytes = reply.action == Reply::Action::kCloseMidBody ? reply.body.size() / 2
                                                                          : reply.body.size();
    out += reply.body.substr(0, body_bytes);
    try {
      socket.sendBytes(out.data(), static_cast<int>(out.size()));
    } catch (const Poco::Exception&) {
      return;
    }
    if (reply.action == Reply::Action::kCloseMidBody) {
      socket.close();
      return;
    }
  }
}

std::string UserJson(const std::string& id, const std::string& username, int64_t delete_at) {
  std::string json = R"({"id":")" + id + R"(","username":")" + username + R"(","email":")" +
                     username + R"(@example.com","roles":"system_user","create_at":1700000000000)";
  if (delete_at != 0) json += R"(,"delete_at":)" + std::to_string(delete_at);
  return json + R"(,"timezone":{"useAutomaticTimezone":"true"},"unknown_field":[1,2]})";
}

}  // namespace rostersync::testing
