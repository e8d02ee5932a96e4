// HttpServer's request parsing and reason phrases (see http_server.h).
#include <cctype>

#include "daemon/http_server.h"

namespace rostersync::daemon {

std::string HttpRequest::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? "" : it->second;
}

const char* ReasonPhrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 421: return "Misdirected Request";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return "Unknown";
  }
}

namespace {

bool IsToken(const std::string& s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    if (c <= 32 || c >= 127 || std::string("()<>@,;:\\\"/[]?={}").find(static_cast<char>(c)) !=
                                   std::string::npos) {
      return false;
    }
  }
  return true;
}

std::string Trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t");
  auto e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

}  // namespace

Result<HttpRequest> ParseRequestHead(const std::string& head) {
  HttpRequest req;
  size_t eol = head.find("\r\n");
  const std::string line = head.substr(0, eol);
  size_t sp1 = line.find(' ');
  size_t sp2 = sp1 == std::string::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string::npos || line.find(' ', sp2 + 1) != std::string::npos) {
    return Status::Invalid("the request line is not \"METHOD /path HTTP/1.1\"");
  }
  req.method = line.substr(0, sp1);
  req.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  req.version = line.substr(sp2 + 1);
  if (!IsToken(req.method)) return Status::Invalid("bad method");
  if (req.version != "HTTP/1.1" && req.version != "HTTP/1.0") {
    return Status::Invalid("unsupported HTTP version");
  }
  if (req.target.empty() || req.target[0] != '/') {
    return Status::Invalid("the target must be an absolute path");
  }
  for (unsigned char c : req.target) {
    if (c <= 32 || c >= 127) return Status::Invalid("bad character in the target");
  }
  size_t q = req.target.find('?');
  req.path = req.target.substr(0, q);
  req.query = q == std::string::npos ? "" : req.target.substr(q + 1);
  size_t pos = eol == std::string::npos ? head.size() : eol + 2;
  while (pos < head.size()) {
    size_t end = head.find("\r\n", pos);
    if (end == std::string::npos) end = head.size();
    const std::string field = head.substr(pos, end - pos);
    pos = end + 2;
    if (field.empty()) continue;
    size_t colon = field.find(':');
    if (colon == std::string::npos) return Status::Invalid("a header line has no colon");
    std::string name = field.substr(0, colon);
    if (!IsToken(name)) return Status::Invalid("bad header name");  // also obs-fold
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = Trim(field.substr(colon + 1));
    for (unsigned char c : value) {
      if ((c < 32 && c != '\t') || c == 127) return Status::Invalid("bad header value");
    }
    if (req.headers.count(name) && (name == "host" || name == "content-length")) {
      return Status::Invalid("duplicate " + name + " header");
    }
    req.headers[name] = value;
  }
  if (req.version == "HTTP/1.1" && !req.headers.count("host")) {
    return Status::Invalid("HTTP/1.1 requests need a Host header");
  }
  if (req.headers.count("transfer-encoding")) {
    return Status::Invalid("Transfer-Encoding is not accepted; send Content-Length");
  }
  return req;
}

}  // namespace rostersync::daemon
