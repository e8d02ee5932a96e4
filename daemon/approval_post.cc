// The held-plan post with buttons (approval_post.h).
#include "daemon/approval_post.h"

#include "daemon/approval_click.h"
#include "daemon/json_views.h"
#include "sync/clock.h"
#include "sync/held_set.h"
#include "sync/text.h"

namespace rostersync::daemon {
namespace {

std::string Button(const std::string& id, const std::string& name, const std::string& style,
                   const HeldSetRecord& held, const ApprovalsConfig& approvals,
                   const std::string& key, int64_t expires_ms) {
  return "{\"id\":" + JsonString(id) + ",\"name\":" + JsonString(name) +
         ",\"type\":\"button\",\"style\":" + JsonString(style) +
         ",\"integration\":{\"url\":" + JsonString(approvals.url) +
         ",\"context\":{\"held_id\":" + JsonString(held.held_id) +
         ",\"action\":" + JsonString(id) + ",\"expires\":" + std::to_string(expires_ms) +
         ",\"sig\":" + JsonString(SignButton(key, held.held_id, id, expires_ms)) + "}}}";
}

}  // namespace

std::string HeldPostJson(const HeldSetRecord& held, const std::string& holds,
                         const ApprovalsConfig& approvals, const std::string& key,
                         int64_t now_ms) {
  const int64_t expires = now_ms + approvals.valid_for_ms;
  std::string lines;
  Result<std::vector<HeldItem>> items = DecodeHeldItems(held.items);
  int shown = 0, total = items.ok() ? static_cast<int>(items->size()) : 0;
  for (const HeldItem& i : items.ok() ? *items : std::vector<HeldItem>{}) {
    if (shown == kPostLines) break;
    std::string changes;
    for (const FieldChange& c : i.changes) {
      changes += " " + EscapeControl(c.field) + ": \"" + EscapeControl(c.from) + "\" -> \"" +
                 EscapeControl(c.to) + "\"";
    }
    lines += "- " + i.action + " " + EscapeControl(i.username) + " (key " + EscapeControl(i.key) +
             ")" + (i.target.empty() ? "" : " " + EscapeControl(i.target)) + changes + "\n";
    ++shown;
  }
  if (total > shown) {
    lines += "... and " + std::to_string(total - shown) + " more: `rostersync held`\n";
  }
  const std::string title = "Held set " + held.held_id + ": " + held.summary;
  const std::string text = holds + "\n" + lines +
                           "Approve applies exactly these actions if the plan still holds "
                           "them unchanged; valid until " + UtcTimestamp(expires) + ".";
  return "{\"text\":" + JsonString("rostersync held back " + held.summary) +
         ",\"attachments\":[{\"fallback\":" +
         JsonString(title + " (rostersync approve " + held.held_id + ")") +
         ",\"color\":\"#d24b4e\",\"title\":" + JsonString(title) + ",\"text\":" +
         JsonString(text) + ",\"actions\":[" +
         Button("approve", "Approve", "danger", held, approvals, key, expires) + "," +
         Button("reject", "Reject", "default", held, approvals, key, expires) + "]}]}";
}

}  // namespace rostersync::daemon
