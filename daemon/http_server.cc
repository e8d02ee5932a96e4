// HttpServer: the event loop that reads requests and the worker pools that answer them.
#include "daemon/http_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>

#include "daemon/job_pool.h"

namespace rostersync::daemon {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string Format(const HttpRequest* req, const HttpResponse& r) {
  std::string out = "HTTP/1.1 " + std::to_string(r.status) + " " + ReasonPhrase(r.status) +
                    "\r\nContent-Type: " + r.content_type +
                    "\r\nContent-Length: " + std::to_string(r.body.size()) +
                    "\r\nCache-Control: no-store\r\nConnection: close\r\n";
  for (const auto& [k, v] : r.headers) out += k + ": " + v + "\r\n";
  out += "\r\n";
  if (req == nullptr || req->method != "HEAD") out += r.body;
  return out;
}

void SendAll(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

HttpResponse ErrorResponse(int status, const std::string& message) {
  HttpResponse r;
  r.status = status;
  std::string escaped;
  for (char c : message) {
    if (c == '"' || c == '\\') escaped += '\\';
    if (static_cast<unsigned char>(c) >= 32) escaped += c;
  }
  r.body = "{\"error\":\"" + escaped + "\"}";
  return r;
}

// Parses a Content-Length value (digits only; "" is 0) into *length, overflow-safe: any value
// over `limit`, however many digits, reads as limit + 1. False when it is not a number.
bool ContentLength(const std::string& value, size_t limit, size_t* length) {
  if (value.find_first_not_of("0123456789") != std::string::npos) return false;
  size_t n = 0;
  for (char c : value) {
    n = n * 10 + static_cast<size_t>(c - '0');
    if (n > limit) {
      n = limit + 1;
      break;
    }
  }
  *length = n;
  return true;
}

struct Conn {
  int fd = -1;
  std::string peer;
  std::string buf;
  int64_t deadline_ms = 0;
  int64_t accepted_ms = 0;
  // Answered (413) and shut for writing: what the client still sends is read and discarded
  // until it closes or the deadline, so it reads the answer instead of a reset.
  bool draining = false;
};

// How long a refused request's body is read and discarded before the connection is closed.
constexpr int64_t kDrainMs = 2'000;

}  // namespace

struct HttpServer::Impl {
  HttpServerOptions options;
  HttpHandler handler;
  int listen_fd = -1;
  int wake[2] = {-1, -1};
  int port = 0;
  std::thread loop;
  std::unique_ptr<JobPool> fast, slow;
  std::vector<Conn> conns;
  bool stopped = false;

  void Close(size_t i) {
    ::close(conns[i].fd);
    conns.erase(conns.begin() + static_cast<std::ptrdiff_t>(i));
  }
  // Answers from the loop thread (errors only: small, best effort) and closes.
  void Reject(size_t i, int status, const std::string& message) {
    SendAll(conns[i].fd, Format(nullptr, ErrorResponse(status, message)));
    Close(i);
  }
  void Accept();
  // The oldest connection of the client address holding the most connections being read.
  size_t Busiest() const;
  // Answers a request that cannot be read whole (413, 431, 400) and drains the rest.
  void RejectAndDrain(size_t i, int status, const std::string& message);
  // Returns false when the connection was closed or handed to a pool.
  bool ReadFrom(size_t i);
  void Dispatch(size_t i, HttpRequest req);
  void Answer(int fd, const HttpRequest& req);
  void Run();
};

size_t HttpServer::Impl::Busiest() const {
  std::map<std::string, int> count;
  for (const Conn& c : conns) ++count[c.peer];
  size_t best = 0;
  for (size_t i = 1; i < conns.size(); ++i) {
    if (count[conns[i].peer] > count[conns[best].peer]) best = i;  // conns is oldest first
  }
  return best;
}

void HttpServer::Impl::RejectAndDrain(size_t i, int status, const std::string& message) {
  Conn& c = conns[i];
  SendAll(c.fd, Format(nullptr, ErrorResponse(status, message)));
  ::shutdown(c.fd, SHUT_WR);
  if (options.on_refused) {  // best effort: dropped when the pool's queue is full
    slow->Submit([report = options.on_refused, peer = c.peer, status, message] {
      report(peer, status, message);
    });
  }
  c.draining = true;
  c.buf.clear();
  c.buf.shrink_to_fit();
  c.deadline_ms = NowMs() + kDrainMs;
}

void HttpServer::Impl::Accept() {
  for (;;) {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    int fd = ::accept4(listen_fd, reinterpret_cast<sockaddr*>(&addr), &len,
                       SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;
    char host[NI_MAXHOST] = "";
    getnameinfo(reinterpret_cast<sockaddr*>(&addr), len, host, sizeof host, nullptr, 0,
                NI_NUMERICHOST);
    Conn c;
    c.fd = fd;
    c.peer = host;
    c.accepted_ms = NowMs();
    c.deadline_ms = c.accepted_ms + options.request_deadline_ms;
    // Per client: a new connection evicts that client's oldest unfinished one, so a client
    // trickling bytes on many connections cannot keep a quick request out.
    int mine = 0;
    size_t oldest = conns.size();
    for (size_t i = 0; i < conns.size(); ++i) {
      if (conns[i].peer != c.peer) continue;
      ++mine;
      if (oldest == conns.size()) oldest = i;
    }
    if (mine >= options.max_per_client) {
      Reject(oldest, 408, "request not completed in time");
    } else if (static_cast<int>(conns.size()) >= options.max_connections) {
      // In total: the new connection evicts the oldest unfinished one of the busiest client
      // instead of being refused, so connections from many addresses (any 127.x is a local
      // address) cannot keep /healthz out; a complete request is read within a loop turn.
      Reject(Busiest(), 408, "request not completed in time");
    }
    conns.push_back(std::move(c));
  }
}

bool HttpServer::Impl::ReadFrom(size_t i) {
  Conn& c = conns[i];
  char buf[4096];
  ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return true;
  if (n <= 0) {
    Close(i);
    return false;
  }
  if (c.draining) return true;  // discarded: memory stays bounded whatever is sent
  c.buf.append(buf, static_cast<size_t>(n));
  size_t end = c.buf.find("\r\n\r\n");
  if (end == std::string::npos) {
    if (c.buf.size() > options.max_header_bytes) {
      RejectAndDrain(i, 431, "request head too large");
      return false;
    }
    return true;
  }
  Result<HttpRequest> req = ParseRequestHead(c.buf.substr(0, end));
  if (!req.ok()) {
    RejectAndDrain(i, 400, "malformed request: " + req.status().message());
    return false;
  }
  size_t want = 0;
  if (!ContentLength(req->Header("content-length"), options.max_body_bytes, &want)) {
    RejectAndDrain(i, 400, "malformed request: bad Content-Length");
    return false;
  }
  if (want > options.max_body_bytes) {  // answered before a byte of the body is stored
    RejectAndDrain(i, 413, "request body too large (at most " +
                               std::to_string(options.max_body_bytes) + " bytes)");
    return false;
  }
  if (c.buf.size() - end - 4 < want) return true;
  req->body = c.buf.substr(end + 4, want);
  req->peer = c.peer;
  Dispatch(i, std::move(req).value());
  return false;
}

// Runs the handler (an exception is a 500), sends its answer and ends the write side.
void HttpServer::Impl::Answer(int fd, const HttpRequest& req) {
  HttpResponse resp;
  try {
    resp = handler(req);
  } catch (const std::exception& e) {
    resp = ErrorResponse(500, std::string("internal error: ") + e.what());
  }
  SendAll(fd, Format(&req, resp));
  ::shutdown(fd, SHUT_WR);
}

void HttpServer::Impl::Dispatch(size_t i, HttpRequest req) {
  int fd = conns[i].fd;
  if (options.is_inline && options.is_inline(req)) {  // small: fits the socket's buffer
    Answer(fd, req);
    Close(i);
    return;
  }
  bool slow_route = options.is_slow && options.is_slow(req);
  conns.erase(conns.begin() + static_cast<std::ptrdiff_t>(i));
  int flags = fcntl(fd, F_GETFL);
  fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  timeval tv{options.send_timeout_ms / 1000, (options.send_timeout_ms % 1000) * 1000};
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  auto job = [this, fd, req = std::move(req)] {
    Answer(fd, req);
    ::close(fd);
  };
  if (!(slow_route ? slow : fast)->Submit(job)) {
    SendAll(fd, Format(nullptr, ErrorResponse(503, "busy; try again")));
    ::close(fd);
  }
}

void HttpServer::Impl::Run() {
  for (;;) {
    std::vector<pollfd> fds{{wake[0], POLLIN, 0}, {listen_fd, POLLIN, 0}};
    int64_t now = NowMs();
    int64_t next = now + 1000;
    for (const Conn& c : conns) {
      fds.push_back({c.fd, POLLIN, 0});
      next = std::min(next, c.deadline_ms);
    }
    int n = ::poll(fds.data(), fds.size(), static_cast<int>(std::max<int64_t>(next - now, 0)));
    if (n < 0 && errno != EINTR) return;
    if (fds[0].revents) return;
    // Read the connections polled (by fd: the vector shifts as connections close).
    for (size_t k = 2; k < fds.size(); ++k) {
      if (!fds[k].revents) continue;
      for (size_t i = 0; i < conns.size(); ++i) {
        if (conns[i].fd == fds[k].fd) {
          ReadFrom(i);
          break;
        }
      }
    }
    now = NowMs();
    for (size_t i = 0; i < conns.size();) {
      if (conns[i].deadline_ms <= now && conns[i].draining) {
        Close(i);
      } else if (conns[i].deadline_ms <= now) {
        Reject(i, 408, "request not completed in time");
      } else {
        ++i;
      }
    }
    if (fds[1].revents & POLLIN) Accept();
  }
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpServer::~HttpServer() { Stop(); }
int HttpServer::port() const { return impl_->port; }

Result<std::unique_ptr<HttpServer>> HttpServer::Start(const std::string& host, int port,
                                                      HttpServerOptions options,
                                                      HttpHandler handler) {
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  impl->handler = std::move(handler);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* res = nullptr;
  const std::string service = std::to_string(port);
  if (getaddrinfo(host.c_str(), service.c_str(), &hints, &res) != 0 || res == nullptr) {
    return Status::Invalid("cannot resolve \"" + host + "\" (use 127.0.0.1, ::1 or 0.0.0.0)");
  }
  int fd = ::socket(res->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1;
  if (fd >= 0) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);  // never REUSEPORT
  if (fd < 0 || ::bind(fd, res->ai_addr, res->ai_addrlen) != 0 || ::listen(fd, 64) != 0) {
    std::string why = std::strerror(errno);
    if (fd >= 0) ::close(fd);
    freeaddrinfo(res);
    return Status::IoError(why);
  }
  freeaddrinfo(res);
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len);
  impl->port = ntohs(bound.ss_family == AF_INET6
                         ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                         : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  impl->listen_fd = fd;
  if (pipe2(impl->wake, O_CLOEXEC) != 0) {
    ::close(fd);
    return Status::IoError(std::string("pipe2: ") + std::strerror(errno));
  }
  impl->fast = std::make_unique<JobPool>(impl->options.fast_threads, impl->options.max_queued);
  impl->slow = std::make_unique<JobPool>(impl->options.slow_threads, impl->options.max_queued);
  Impl* raw = impl.get();
  impl->loop = std::thread([raw] { raw->Run(); });
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

void HttpServer::Stop() {
  if (!impl_ || impl_->stopped) return;
  impl_->stopped = true;
  char c = 'x';
  ssize_t ignored = ::write(impl_->wake[1], &c, 1);
  (void)ignored;
  if (impl_->loop.joinable()) impl_->loop.join();
  ::close(impl_->listen_fd);
  while (!impl_->conns.empty()) impl_->Close(0);
  impl_->fast.reset();  // joins: running handlers finish
  impl_->slow.reset();
  ::close(impl_->wake[0]);
  ::close(impl_->wake[1]);
}

}  // namespace rostersync::daemon
