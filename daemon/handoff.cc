#include "daemon/handoff.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <sstream>

#include "config/host_and_secrets.h"

namespace rostersync::daemon {

std::string AdminClientAddress(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) return listen;
  std::string host = listen.substr(0, colon);
  if (host.empty() || host == "0.0.0.0") host = "127.0.0.1";
  if (host == "[::]" || host == "::") host = "[::1]";
  return host + listen.substr(colon);
}

Result<CycleOutput> HandOffSync(const AdminConfig& admin, const std::string& key, bool force,
                                bool json) {
  std::string token;
  if (!admin.token_file.empty()) {
    Result<std::string> read =
        ReadSecretFile(admin.token_file, "admin.token_file " + admin.token_file);
    if (!read.ok()) return read.status().Annotate("to hand the sync to the running service");
    token = *read;
  }
  std::string path = "/v1/sync";
  if (!key.empty()) {
    std::string encoded;
    Poco::URI::encode(key, "/?#&=+%", encoded);
    path = "/v1/users/" + encoded + "/sync";
  }
  path += std::string("?wait=true&output=") + (json ? "json" : "text");
  if (force) path += "&force=true";
  const std::string address = AdminClientAddress(admin.listen);
  try {
    auto colon = address.rfind(':');
    std::string host = address.substr(0, colon);
    if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
    Poco::Net::HTTPClientSession session(host,
                                         static_cast<uint16_t>(std::stoi(address.substr(colon + 1))));
    session.setTimeout(Poco::Timespan(3600, 0));
    Poco::Net::HTTPRequest req("POST", path, Poco::Net::HTTPMessage::HTTP_1_1);
    req.setHost(address);
    req.setContentLength(0);
    if (!token.empty()) req.set("Authorization", "Bearer " + token);
    session.sendRequest(req);
    Poco::Net::HTTPResponse resp;
    std::istream& in = session.receiveResponse(resp);
    std::ostringstream body;
    Poco::StreamCopier::copyStream(in, body);
    const int status = static_cast<int>(resp.getStatus());
    if (status == 200) return CycleOutputFromJson(body.str());
    std::string what = "the running service at " + address + " answered " +
                       std::to_string(status) + ": " + body.str();
    if (status == 401) return Status::Unauthorized(what);
    if (status == 409) return Status::Conflict(what);
    return Status::IoError(what);
  } catch (const std::exception& e) {
    return Status::IoError("the running service's admin endpoint " + address +
                           " did not answer: " + e.what());
  }
}

}  // namespace rostersync::daemon
