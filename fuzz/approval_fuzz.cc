// libFuzzer target: the Approve / Reject button request (daemon/approval_click.h) over
// arbitrary bytes. Parsing must never crash, hang or leak, only fail; a parsed click is then
// checked, and a forged signature must never verify.
#include <cstddef>
#include <cstdint>
#include <string>

#include "daemon/approval_click.h"

using namespace rostersync;          // NOLINT
using namespace rostersync::daemon;  // NOLINT

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  Result<ButtonClick> click = ParseButtonClick(body);
  if (!click.ok()) return 0;
  const std::string key = "fuzz-key-0123456789abcdef";
  Status s = VerifyButton(key, click->context, 0);
  // Only the real signature verifies; the fuzzer cannot produce HMAC-SHA256 by chance.
  const ButtonContext& c = click->context;
  if (s.ok() && c.sig != SignButton(key, c.held_id, c.action, c.expires_ms)) __builtin_trap();
  return 0;
}
