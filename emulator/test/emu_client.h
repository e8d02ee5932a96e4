// Test-side HTTP client for mm-emulator: one request per call over loopback, with the
// status, headers and body captured and transport errors reported instead of thrown.
// Not thread-safe; one per test.
#ifndef ROSTERSYNC_TESTS_EMULATOR_TEST_EMU_CLIENT_H_
#define ROSTERSYNC_TESTS_EMULATOR_TEST_EMU_CLIENT_H_

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <map>
#include <string>

namespace mmemu::test {

struct HttpResult {
  int status = 0;     // 0 when the transport failed
  std::string error;  // transport error (reset, timeout, short body)
  std::string body;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? "" : it->second;
  }
};

class EmuClient {
 public:
  EmuClient(int port, std::string token) : port_(port), token_(std::move(token)) {}
  // Sends one request. `token` "" sends no Authorization header.
  HttpResult Do(const std::string& method, const std::string& path, const std::string& body = "",
                const std::map<std::string, std::string>& headers = {}) const;
  HttpResult Get(const std::string& path) const { return Do("GET", path); }
  HttpResult Post(const std::string& path, const std::string& body) const {
    return Do("POST", path, body);
  }
  HttpResult Put(const std::string& path, const std::string& body) const {
    return Do("PUT", path, body);
  }
  void set_token(const std::string& token) { token_ = token; }
  void set_timeout_ms(int ms) { timeout_ms_ = ms; }
  int port() const { return port_; }

 private:
  int port_;
  std::string token_;
  int timeout_ms_ = 10000;
};

Poco::JSON::Object::Ptr Obj(const std::string& json);
Poco::JSON::Array::Ptr Arr(const std::string& json);
// Creates an email user through the API as the client's caller; returns its id ("" on failure).
std::string CreateUser(const EmuClient& admin, const std::string& username,
                       const std::string& extra_json = "");

}  // namespace mmemu::test

#endif  // ROSTERSYNC_TESTS_EMULATOR_TEST_EMU_CLIENT_H_
