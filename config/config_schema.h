// The configuration schema: one row per key of docs/contract.md (dotted path, type, default,
// meaning, where it lands in Config). The loader, config/example.yaml's test and the generated
// reference (docs/config-reference.md) all read this one table. Immutable; thread-safe.
#ifndef ROSTERSYNC_CONFIG_CONFIG_SCHEMA_H_
#define ROSTERSYNC_CONFIG_CONFIG_SCHEMA_H_

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "config/config.h"
#include "sync/options.h"

namespace rostersync {

enum class KeyKind {
  kString,      // any scalar
  kEnum,        // one of KeySpec::allowed (a string, or an UnmatchedMode in allowed's order)
  kBool,        // true | false
  kInt,         // whole number >= KeySpec::min
  kDouble,      // number >= 0
  kDuration,    // ParseDuration
  kChar,        // one character (CSV delimiter)
  kStringList,  // sequence of scalars (each in `allowed` when it is non-empty)
  kDeactivate,  // true | false | report
  kThreshold,   // "5%" or a count
  kGrace,       // a count of cycles or a duration
  kField,       // a field spec map, or null for "unmapped"
  kMembership,  // a list of {team, channel?, when?} maps (membership.teams / .channels)
};

// Where a key's value lands. The alternative must match the kind (see the loader).
using KeyTarget =
    std::variant<std::string* (*)(Config&), bool* (*)(Config&), int* (*)(Config&),
                 int64_t* (*)(Config&), double* (*)(Config&), char* (*)(Config&),
                 std::vector<std::string>* (*)(Config&), DeactivateMode* (*)(Config&),
                 Threshold* (*)(Config&), PolicyOptions* (*)(Config&), FieldsConfig* (*)(Config&),
                 UnmatchedMode* (*)(Config&), MembershipConfig* (*)(Config&)>;

struct KeySpec {
  const char* path;  // "mattermost.timeout"
  KeyKind kind;
  const char* default_text;  // as written in example.yaml: "30s", "[email, username]", "~"
  const char* meaning;       // one-line consequence, for example.yaml and the reference
  KeyTarget target;
  std::vector<std::string> allowed;  // kEnum / kStringList values; empty = anything
  bool required = false;             // must be written (mattermost.url, roster.key)
  bool secret = false;               // value never echoed in messages
  int64_t min = 0;                   // kInt lower bound
};

// Every key, in docs/contract.md order.
const std::vector<KeySpec>& ConfigSchema();
// The schema row for a dotted path, or nullptr.
const KeySpec* FindKeySpec(const std::string& path);
// Dotted paths of every known key ("mattermost.url", ..., "logging.format"), docs/contract.md
// order.
const std::vector<std::string>& KnownConfigKeys();
// docs/config-reference.md: a Markdown table (key, default, meaning) generated from the schema.
std::string ConfigReferenceMarkdown();

// Names shared by the loader's validators.
const std::vector<std::string>& KnownAuthServices();  // "", ldap, saml, gitlab, google, ...
const std::vector<std::string>& KnownTransforms();    // TransformTable()'s names, in order

// The transforms a field may list (fields.<name>.transform): one table with each transform's
// config name, used by the loader's validation and by roster/field_mapping.cc alike.
enum class Transform { kTrim, kLower, kUpper, kAscii, kMattermostUsername };
struct TransformSpec {
  Transform id;
  const char* name;  // as written in the config
};
const std::vector<TransformSpec>& TransformTable();
std::optional<Transform> TransformFromName(const std::string& name);  // nullopt: unknown
const std::vector<std::string>& UpdatableFields();    // what fields.update may name
const std::vector<std::string>& MappableFields();     // the keys under fields: besides update

}  // namespace rostersync

#endif  // ROSTERSYNC_CONFIG_CONFIG_SCHEMA_H_
