#include "emulator/test/emu_client.h"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <cctype>

namespace mmemu::test {

HttpResult EmuClient::Do(const std::string& method, const std::string& path,
                         const std::string& body,
                         const std::map<std::string, std::string>& headers) const {
  HttpResult result;
  try {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port_));
    session.setTimeout(Poco::Timespan(0, timeout_ms_ * 1000));
    Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!token_.empty()) req.set("Authorization", "Bearer " + token_);
    for (const auto& [k, v] : headers) req.set(k, v);
    if (!body.empty() || method == "POST" || method == "PUT") {
      req.setContentType("application/json");
      req.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    std::ostream& out = session.sendRequest(req);
    out << body;
    Poco::Net::HTTPResponse resp;
    std::istream& in = session.receiveResponse(resp);
    result.status = resp.getStatus();
    for (const auto& [k, v] : resp) {
      std::string name = k;
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return std::tolower(c); });
      result.headers[name] = v;
    }
    Poco::StreamCopier::copyToString(in, result.body);
    if (resp.hasContentLength() &&
        static_cast<std::streamsize>(result.body.size()) != resp.getContentLength()) {
      result.error = "short body: got " + std::to_string(result.body.size()) + " of " +
                     std::to_string(resp.getContentLength()) + " bytes";
    }
  } catch (const std::exception& e) {
    result.status = 0;
    result.error = std::string("transport error: ") + e.what();
  }
  return result;
}

Poco::JSON::Object::Ptr Obj(const std::string& json) {
  try {
    Poco::JSON::Parser parser;
    return parser.parse(json).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception&) {
    return new Poco::JSON::Object;
  }
}

Poco::JSON::Array::Ptr Arr(const std::string& json) {
  try {
    Poco::JSON::Parser parser;
    return parser.parse(json).extract<Poco::JSON::Array::Ptr>();
  } catch (const std::exception&) {
    return new Poco::JSON::Array;
  }
}

std::string CreateUser(const EmuClient& admin, const std::string& username,
                       const std::string& extra_json) {
  std::string body = "{\"username\":\"" + username + "\",\"email\":\"" + username +
                     "@example.com\",\"password\":\"Passw0rd-long\"" +
                     (extra_json.empty() ? "" : "," + extra_json) + "}";
  HttpResult r = admin.Post("/api/v4/users", body);
  if (r.status != 201) return "";
  return Obj(r.body)->optValue<std::string>("id", "");
}

}  // namespace mmemu::test
