// ParseDuration / FormatDuration: "90s", "15m", "2h", "3d", "200ms", "1h30m", "0".
#include <cstdint>
#include <limits>
#include <string>

#include "config/config_loader.h"

namespace rostersync {
namespace {

constexpr int64_t kSecond = 1000;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;

Status BadDuration(const std::string& text) {
  const std::string shown = text.size() > 40 ? text.substr(0, 40) + "..." : text;
  return Status::Invalid("invalid duration '" + shown +
                         "'; write whole numbers with a unit: ms, s, m, h or d (e.g. 200ms, "
                         "90s, 15m, 2h, 3d, 1h30m), or 0");
}

}  // namespace

Result<int64_t> ParseDuration(const std::string& text) {
  if (text == "0") return int64_t{0};
  if (text.empty()) return BadDuration(text);
  int64_t total = 0;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] < '0' || text[i] > '9') return BadDuration(text);
    int64_t n = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (n > (std::numeric_limits<int64_t>::max() - 9) / 10) return BadDuration(text);
      n = n * 10 + (text[i] - '0');
      ++i;
    }
    int64_t unit = 0;
    if (text.compare(i, 2, "ms") == 0) {
      unit = 1;
      i += 2;
    } else if (i < text.size()) {
      switch (text[i]) {
        case 's':
          unit = kSecond;
          break;
        case 'm':
          unit = kMinute;
          break;
        case 'h':
          unit = kHour;
          break;
        case 'd':
          unit = kDay;
          break;
        default:
          return BadDuration(text);
      }
      ++i;
    } else {
      return BadDuration(text);  // a number without a unit
    }
    if (n > (std::numeric_limits<int64_t>::max() - total) / unit) return BadDuration(text);
    total += n * unit;
  }
  return total;
}

std::string FormatDuration(int64_t ms) {
  if (ms == 0) return "0";
  const struct {
    int64_t size;
    const char* suffix;
  } units[] = {{kDay, "d"}, {kHour, "h"}, {kMinute, "m"}, {kSecond, "s"}};
  for (const auto& u : units) {
    if (ms % u.size == 0) return std::to_string(ms / u.size) + u.suffix;
  }
  return std::to_string(ms) + "ms";
}

}  // namespace rostersync
