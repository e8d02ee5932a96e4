#include "daemon/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <string>

#include "roster/text.h"
#include "sync/text.h"

namespace rostersync::daemon {
namespace {

// %& : the message for a text log line, every control character escaped (EscapeControl):
// a roster key holding "\n" cannot start a forged line, ESC never reaches the terminal.
class TextMessageFlag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    const std::string escaped =
        EscapeControl(std::string_view(msg.payload.data(), msg.payload.size()));
    dest.append(escaped.data(), escaped.data() + escaped.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<TextMessageFlag>();
  }
};

// `s` with every byte that is not part of well-formed UTF-8 replaced by U+FFFD, so a JSON
// log line stays valid JSON whatever a roster or server string held.
std::string ValidUtf8(std::string_view s) {
  if (text::IsValidUtf8(s)) return std::string(s);
  std::string out;
  out.reserve(s.size() + 8);
  for (size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const size_t len = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3
                                    : (b & 0xF8) == 0xF0 ? 4 : 0;
    if (len > 0 && i + len <= s.size() && text::IsValidUtf8(s.substr(i, len))) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      out.append("\xEF\xBF\xBD");
      ++i;
    }
  }
  return out;
}

// %* : the message, escaped for a JSON string (and made valid UTF-8).
class JsonMessageFlag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    static const char kHex[] = "0123456789abcdef";
    const std::string payload = ValidUtf8(std::string_view(msg.payload.data(), msg.payload.size()));
    for (char c : payload) {
      switch (c) {
        case '"':
          dest.append(std::string_view("\\\""));
          break;
        case '\\':
          dest.append(std::string_view("\\\\"));
          break;
        case '\n':
          dest.append(std::string_view("\\n"));
          break;
        case '\t':
          dest.append(std::string_view("\\t"));
          break;
        case '\r':
          dest.append(std::string_view("\\r"));
          break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            char u[6] = {'\\', 'u', '0', '0', kHex[(c >> 4) & 0xf], kHex[c & 0xf]};
            dest.append(std::string_view(u, 6));
          } else {
            dest.push_back(c);
          }
      }
    }
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonMessageFlag>();
  }
};

}  // namespace

Status SetupLogging(const std::string& level, const std::string& format) {
  spdlog::level::level_enum lvl;
  if (level == "trace") {
    lvl = spdlog::level::trace;
  } else if (level == "debug") {
    lvl = spdlog::level::debug;
  } else if (level == "info" || level.empty()) {
    lvl = spdlog::level::info;
  } else if (level == "warn") {
    lvl = spdlog::level::warn;
  } else if (level == "error") {
    lvl = spdlog::level::err;
  } else {
    return Status::Invalid("logging.level \"" + level +
                           "\" is not one of trace, debug, info, warn, error");
  }
  std::string pattern;
  if (format == "json") {
    pattern = R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","msg":"%*"})";
  } else if (format == "text" || format.empty()) {
    pattern = "%Y-%m-%dT%H:%M:%S.%eZ %^%-5l%$ %&";
  } else {
    return Status::Invalid("logging.format \"" + format + "\" is not one of text, json");
  }
  auto logger = spdlog::get("rostersync");
  if (!logger) {
    logger = spdlog::stderr_color_mt("rostersync");
    spdlog::set_default_logger(logger);
  }
  logger->set_level(lvl);
  auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  formatter->add_flag<JsonMessageFlag>('*');
  formatter->add_flag<TextMessageFlag>('&').set_pattern(pattern);
  logger->set_formatter(std::move(formatter));
  return Status::Ok();
}

std::string RedactUrl(const std::string& url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return url.empty() ? url : "…";
  auto host_start = scheme_end + 3;
  auto path_start = url.find_first_of("/?#", host_start);
  std::string host = url.substr(
      host_start, path_start == std::string::npos ? std::string::npos : path_start - host_start);
  auto at = host.rfind('@');
  if (at != std::string::npos) host = host.substr(at + 1);
  std::string out = url.substr(0, host_start) + host;
  if (path_start != std::string::npos && path_start + 1 < url.size()) out += "/…";
  return out;
}

}  // namespace rostersync::daemon
