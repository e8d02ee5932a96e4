// Kept-alive Poco sessions and the TLS context (see connection_pool.h).
#include "api/connection_pool.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/Socket.h>
#include <Poco/URI.h>

#include <chrono>
#include <fstream>
#include <mutex>
#include <type_traits>

namespace rostersync::api {

namespace {

// A connection idle for longer than this is not reused: servers and proxies close idle
// connections, and a POST sent into one that is being closed has an unknown outcome.
constexpr auto kMaxIdle = std::chrono::seconds(4);

template <class Base>
class SessionImpl : public Base, public PooledSession {
 public:
  template <typename... Args>
  explicit SessionImpl(Args&&... args) : Base(std::forward<Args>(args)...) {}
  Poco::Net::HTTPClientSession& http() override { return *this; }
  void Connect() override {
    if (this->connected()) return;
    this->reconnect();
    if constexpr (std::is_same_v<Base, Poco::Net::HTTPSClientSession>) {
      // Handshake now, so a certificate failure is known before anything is sent.
      Poco::Net::SecureStreamSocket secure(this->socket());
      secure.completeHandshake();
    }
  }
};

void InitSslOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    Poco::Net::initializeSSL();
    // Without a handler Poco may fall back to a console prompt; reject instead. Only
    // consulted for contexts that verify (insecure contexts use VERIFY_NONE).
    Poco::SharedPtr<Poco::Net::InvalidCertificateHandler> reject =
        new Poco::Net::RejectCertificateHandler(false);
    Poco::Net::SSLManager::instance().initializeClient(nullptr, reject, nullptr);
  });
}

}  // namespace

bool PooledSession::Stale() {
  Poco::Net::HTTPClientSession& s = http();
  if (!s.connected()) return false;
  if (std::chrono::steady_clock::now() - last_used_ > kMaxIdle) return true;
  try {
    // Readable while idle means EOF or garbage: the server gave up on this connection.
    // (TLS connections may hold a session ticket, so only plain HTTP is polled.)
    if (!tls_ && s.socket().poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ)) return true;
  } catch (const Poco::Exception&) {
    return true;
  }
  return false;
}

Result<std::unique_ptr<ConnectionPool>> ConnectionPool::Create(const ClientOptions& options,
                                                                 std::string* base_path) {
  Poco::URI uri;
  try {
    uri = Poco::URI(options.url);
  } catch (const Poco::Exception& e) {
    return Status::Invalid("api url '" + options.url + "' is not a URL: " + e.displayText());
  }
  const std::string scheme = uri.getScheme();
  if ((scheme != "http" && scheme != "https") || uri.getHost().empty()) {
    return Status::Invalid("api url '" + options.url +
                           "' must look like https://chat.example.com");
  }
  if (!uri.getQuery().empty() || !uri.getFragment().empty()) {
    return Status::Invalid("api url '" + options.url + "' must not have a query or fragment");
  }
  std::string path = uri.getPath();
  while (!path.empty() && path.back() == '/') path.pop_back();
  *base_path = path;
  if (options.concurrency < 1) return Status::Invalid("api concurrency must be at least 1");

  Poco::Net::Context::Ptr context;
  if (scheme == "https") {
    if (!options.ca_file.empty() && !std::ifstream(options.ca_file).good()) {
      return Status::Invalid("api ca_file '" + options.ca_file +
                             "' cannot be read: check the path and its permissions");
    }
    InitSslOnce();
    try {
      Poco::Net::Context::Params params;
      // ca_file ADDS to the system CAs (OpenSSL's default paths, SSL_CERT_FILE/SSL_CERT_DIR):
      // a private CA for the server does not stop a publicly signed proxy from verifying.
      params.caLocation = options.ca_file;
      params.loadDefaultCAs = true;
      // STRICT, not RELAXED: Poco skips the host name check for loopback hosts unless strict.
      params.verificationMode = options.insecure_skip_verify ? Poco::Net::Context::VERIFY_NONE
                                                             : Poco::Net::Context::VERIFY_STRICT;
      params.cipherList = "HIGH:!aNULL:!MD5";
      context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
      context->enableExtendedCertificateVerification(!options.insecure_skip_verify);
      context->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                                Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
    } catch (const Poco::Exception& e) {
      return Status::Invalid("api TLS setup failed (ca_file '" + options.ca_file +
                             "'): " + e.displayText());
    }
  }
  return std::unique_ptr<ConnectionPool>(
      new ConnectionPool(options, scheme, uri.getHost(), uri.getPort(), context));
}

ConnectionPool::ConnectionPool(const ClientOptions& options, std::string scheme, std::string host,
                               int port, Poco::Net::Context::Ptr context)
    : options_(options),
      scheme_(std::move(scheme)),
      host_(std::move(host)),
      port_(port),
      context_(std::move(context)) {}

std::unique_ptr<PooledSession> ConnectionPool::NewSession() {
  std::unique_ptr<PooledSession> session;
  if (scheme_ == "https") {
    session = std::make_unique<SessionImpl<Poco::Net::HTTPSClientSession>>(
        host_, static_cast<Poco::UInt16>(port_), context_);
  } else {
    session = std::make_unique<SessionImpl<Poco::Net::HTTPClientSession>>(
        host_, static_cast<Poco::UInt16>(port_));
  }
  session->tls_ = scheme_ == "https";
  Poco::Net::HTTPClientSession& http = session->http();
  http.setTimeout(Poco::Timespan(options_.timeout_ms * 1000));
  http.setKeepAlive(true);
  http.setKeepAliveTimeout(Poco::Timespan(3600, 0));  // we expire idle sessions ourselves
  return session;
}

std::unique_ptr<PooledSession> ConnectionPool::Acquire() {
  std::unique_lock<std::mutex> lock(mu_);
  slot_free_.wait(lock, [this] { return in_use_ < options_.concurrency; });
  ++in_use_;
  if (!idle_.empty()) {
    auto session = std::move(idle_.back());
    idle_.pop_back();
    return session;
  }
  lock.unlock();
  return NewSession();
}

void ConnectionPool::Release(std::unique_ptr<PooledSession> session, bool reusable) {
  if (session && reusable) {
    session->last_used_ = std::chrono::steady_clock::now();
  } else if (session) {
    try {
      session->http().reset();
    } catch (const Poco::Exception&) {
    }
    session.reset();
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (session) idle_.push_back(std::move(session));
  --in_use_;
  slot_free_.notify_one();
}

}  // namespace rostersync::api
