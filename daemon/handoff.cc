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

Result<ServiceAnswer> PostToService(const AdminConfig& admin, const std::string& path) {
  std::string token;
  if (!admin.token_file.empty()) {
    Result<std::string> read =
        ReadSecretFile(admin.token_file, "admin.token_file " + admin.token_file);
    if (!read.ok()) return read.status().Annotate("to hand the request to the running service");
    token = *read;
  }
  ServiceAnswer answer;
  answer.address = AdminClientAddress(admin.listen);
  try {
    auto colon = answer.address.rfind(':');
    std::string host = answer.address.substr(0, colon);
    if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
    Poco::Net::HTTPClientSession session(
        host, static_cast<uint16_t>(std::stoi(answer.address.substr(colon + 1))));
    session.setTimeout(Poco::Timespan(3600, 0));
    Poco::Net::HTTPRequest req("POST", path, Poco::Net::HTTPMessage::HTTP_1_1);
    req.setHost(answer.address);
    req.setContentLength(0);
    if (!token.empty()) req.set("Authorization", "Bearer " + token);
    session.sendRequest(req);
    Poco::Net::HTTPResponse resp;
    Poco::StreamCopier::copyToString(session.receiveResponse(resp), answer.body);
    answer.status = static_cast<int>(resp.getStatus());
    return answer;
  } catch (const std::exception& e) {
    return Status::IoError("the running service's admin endpoint " + answer.address +
                           " did not answer: " + e.what());
  }
}

Result<CycleOutput> HandOffSync(const AdminConfig& admin, const std::string& key, bool force,
                                bool json, bool full) {
  std::string path = "/v1/sync";
  if (!key.empty()) {
    std::string encoded;
    Poco::URI::encode(key, "/?#&=+%", encoded);
    path = "/v1/users/" + encoded + "/sync";
  }
  path += std::string("?wait=true&output=") + (json ? "json" : "text");
  if (force) path += "&force=true";
  if (full && key.empty()) path += "&full=true";
  Result<ServiceAnswer> answer = PostToService(admin, path);
  if (!answer.ok()) return answer.status();
  if (answer->status == 200) return CycleOutputFromJson(answer->body);
  std::string what = "the running service at " + answer->address + " answered " +
                     std::to_string(answer->status) + ": " + answer->body;
  if (answer->status == 401) return Status::Unauthorized(what);
  if (answer->status == 409) return Status::Conflict(what);
  return Status::IoError(what);
}

}  // namespace rostersync::daemon
