// The tests' HTTP client (http_client.h).
#include "tests/support/http_client.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <exception>

namespace rostersync::testing {

HttpAnswer SendHttp(int port, const HttpCall& call) {
  HttpAnswer answer;
  try {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    session.setTimeout(Poco::Timespan(call.timeout_s, 0));
    Poco::Net::HTTPRequest req(call.method, call.path, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!call.bearer.empty()) req.set("Authorization", "Bearer " + call.bearer);
    if (!call.body.empty()) req.setContentType("application/json");
    if (!call.body.empty() || call.method == "POST" || call.method == "PUT") {
      req.setContentLength(static_cast<std::streamsize>(call.body.size()));
    }
    session.sendRequest(req) << call.body;
    Poco::Net::HTTPResponse resp;
    std::istream& in = session.receiveResponse(resp);
    Poco::StreamCopier::copyToString(in, answer.body);
    answer.status = static_cast<int>(resp.getStatus());
    answer.content_type = resp.getContentType();
  } catch (const std::exception&) {
    answer = HttpAnswer{};
  }
  return answer;
}

}  // namespace rostersync::testing
