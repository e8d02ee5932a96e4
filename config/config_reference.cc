// ConfigReferenceMarkdown: docs/config-reference.md, generated from the schema table so the
// reference, example.yaml (checked by a test) and the parser cannot drift apart.
#include <string>

#include "config/config_schema.h"

namespace rostersync {
namespace {

// Markdown table cells: escape the pipe.
std::string Cell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::string ConfigReferenceMarkdown() {
  std::string out =
      "# Configuration reference\n"
      "\n"
      "<!-- Generated from config/config_schema.cc by ConfigReferenceMarkdown(); a test keeps\n"
      "     this file equal to it. Edit the schema, then run\n"
      "     ROSTERSYNC_UPDATE_REFERENCE=1 config_test --gtest_filter=*Reference* -->\n"
      "\n"
      "The config is YAML (default path /etc/rostersync/config.yaml); `config/example.yaml`\n"
      "shows every key at its default. `rostersync check-config` reports every problem at once\n"
      "with file:line:column and key path: unknown keys (with a suggestion), wrong types, bad\n"
      "durations, missing required keys, unreadable token files.\n"
      "\n"
      "- Durations are whole numbers with a unit: `200ms`, `90s`, `15m`, `2h`, `3d`, `1h30m`, or "
      "`0`.\n"
      "- Never write a token inline: `mattermost.token` is refused. Use `token_file` (e.g. a\n"
      "  systemd credential, mode 600) or `token_env`; exactly one of them.\n"
      "- `fields`: each Mattermost field takes `{column: NAME}`, `{template: \"{a}.{b}\"}` or\n"
      "  `{value: X}`, plus optional `map: {roster: mattermost}`, `default: X` and `transform:`\n"
      "  (trim, lower, upper, ascii, mattermost_username); `active` also takes `true: [...]` /\n"
      "  `false: [...]`. `~` means unmapped: the field is never set or compared. When no field is\n"
      "  mapped at all, the defaults below apply: username, email, first_name and last_name from\n"
      "  the columns of the same names.\n"
      "\n"
      "| key | default | meaning |\n"
      "| --- | --- | --- |\n";
  for (const KeySpec& k : ConfigSchema()) {
    out += "| `" + std::string(k.path) + "` | `" + Cell(k.default_text) + "` | " + Cell(k.meaning) +
           " |\n";
  }
  return out;
}

}  // namespace rostersync
