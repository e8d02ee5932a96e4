// libFuzzer target: api/ JSON model decoding and AppError parsing over arbitrary bytes.
// The first byte picks the model; decoding must never crash, hang or leak, only fail.
#include <cstddef>
#include <cstdint>
#include <string>

#include "api/http_errors.h"
#include "api/json_codec.h"
#include "api/json_user_stream.h"

using namespace rostersync;       // NOLINT
using namespace rostersync::api;  // NOLINT

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 12) {
    case 0: {
      auto user = Decode<User>(text);
      // A decoded user re-encodes as a patch without trouble.
      if (user.ok()) {
        UserPatch patch;
        patch.username = user->username;
        patch.props = user->props;
        (void)EncodeUserPatch(patch);
      }
      break;
    }
    case 1: {
      // Differential: the streaming user decoder must agree with the tree decoder.
      for (bool list : {true, false}) {
        std::vector<User> streamed;
        bool fallback = false;
        Status s = StreamDecodeUsers(text, list, &streamed, &fallback);
        if (fallback) break;
        auto tree = DecodeUsersTree(text, list);
        if (s.ok() != tree.ok()) __builtin_trap();
        if (s.ok() && streamed != *tree) __builtin_trap();
      }
      break;
    }
    case 2: (void)Decode<UserAutocomplete>(text); break;
    case 3: (void)Decode<std::vector<Session>>(text); break;
    case 4: (void)Decode<std::vector<UserReport>>(text); break;
    case 5: (void)Decode<ServerLimits>(text); break;
    case 6: (void)Decode<std::vector<ChannelMemberWithTeamData>>(text); break;
    case 7: (void)Decode<std::map<std::string, std::vector<User>>>(text); break;
    case 8: (void)Decode<double>(text); break;
    case 9: (void)Decode<std::vector<UserAccessTokenSanitized>>(text); break;
    case 10: (void)MapHttpError(400, text, "", "GET /fuzz"); break;
    default: (void)Decode<StringMap>(text); break;
  }
  return 0;
}
