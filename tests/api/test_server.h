// ScriptedServer: a loopback HTTP/1.1 server (Poco sockets, 127.0.0.1 port 0) for client
// tests. A handler decides each answer, including misbehaviour: drop the connection after
// reading the request, reset in the middle of a body, stall. Optional TLS.
// Thread-safe: connections are served on their own threads; the handler must be too.
#ifndef ROSTERSYNC_TESTS_API_TEST_SERVER_H_
#define ROSTERSYNC_TESTS_API_TEST_SERVER_H_

#include <Poco/Net/Context.h>
#include <Poco/Net/ServerSocket.h>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace rostersync::testing {

struct Request {
  std::string method;
  std::string target;  // path + query
  std::string path;
  std::map<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // lower-cased names
  std::string body;
  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? "" : it->second;
  }
};

struct Reply {
  enum class Action {
    kRespond,             // send the answer
    kCloseAfterRequest,   // read the request, then close without answering
    kCloseMidBody,        // send headers and half the body, then close
    kStall,               // read the request, then wait (until stop) without answering
  };
  Action action = Action::kRespond;
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

class ScriptedServer {
 public:
  using Handler = std::function<Reply(const Request&)>;
  // tls_context: a server Context, or null for plain HTTP.
  explicit ScriptedServer(Handler handler, Poco::Net::Context::Ptr tls_context = nullptr);
  ~ScriptedServer();
  ScriptedServer(const ScriptedServer&) = delete;
  ScriptedServer& operator=(const ScriptedServer&) = delete;

  int port() const { return port_; }
  std::string url() const;
  int requests() const { return requests_.load(); }
  int connections() const { return connections_.load(); }
  std::vector<Request> received() const;

 private:
  void AcceptLoop();
  void Serve(Poco::Net::StreamSocket socket);

  Handler handler_;
  Poco::Net::Context::Ptr tls_;
  std::unique_ptr<Poco::Net::ServerSocket> listener_;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  std::atomic<int> connections_{0};
  std::thread acceptor_;
  mutable std::mutex mu_;
  std::vector<std::thread> workers_;
  std::vector<Request> received_;
};

// JSON for a user with the given id and username.
std::string UserJson(const std::string& id, const std::string& username, int64_t delete_at = 0);

}  // namespace rostersync::testing

#endif  // ROSTERSYNC_TESTS_API_TEST_SERVER_H_
