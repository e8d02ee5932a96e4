// The config's vocabularies, each defined once with its names: the auth services, the field
// transforms (enum and config name), the fields a roster maps and fields.update may name
// (config/config_schema.h). The key table itself is config/config_schema.cc.
#include "config/config_schema.h"

namespace rostersync {

const std::vector<std::string>& KnownAuthServices() {
  static const std::vector<std::string> v{"",       "ldap",      "saml",  "gitlab",
                                          "google", "office365", "openid"};
  return v;
}

const std::vector<TransformSpec>& TransformTable() {
  static const std::vector<TransformSpec> table{
      {Transform::kTrim, "trim"},
      {Transform::kLower, "lower"},
      {Transform::kUpper, "upper"},
      {Transform::kAscii, "ascii"},
      {Transform::kMattermostUsername, "mattermost_username"},
  };
  return table;
}

std::optional<Transform> TransformFromName(const std::string& name) {
  for (const TransformSpec& t : TransformTable()) {
    if (name == t.name) return t.id;
  }
  return std::nullopt;
}

const std::vector<std::string>& KnownTransforms() {
  static const std::vector<std::string> v = [] {
    std::vector<std::string> out;
    for (const TransformSpec& t : TransformTable()) out.push_back(t.name);
    return out;
  }();
  return v;
}

const std::vector<std::string>& UpdatableFields() {
  static const std::vector<std::string> v{"username", "email",    "first_name", "last_name",
                                          "nickname", "position", "locale"};
  return v;
}

const std::vector<std::string>& MappableFields() {
  static const std::vector<std::string> v{
      "username",     "email",     "first_name", "last_name", "nickname",   "position", "locale",
      "auth_service", "auth_data", "role",       "active",    "start_date", "end_date"};
  return v;
}

}  // namespace rostersync
