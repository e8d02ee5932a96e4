// fields.*: one spec per Mattermost field (column | template | value, map, default,
// transform, active's true/false lists), and the checks that span several fields.
#include <algorithm>
#include <sstream>

#include "config/config_internal.h"
#include "config/config_schema.h"

namespace rostersync::config_internal {
namespace {

const std::vector<std::string> kSpecKeys{"column",  "template",  "value", "map",
                                         "default", "transform", "true",  "false"};
const std::vector<std::string> kRoles{
    "system_user",         "system_admin",   "system_guest",          "guest",
    "system_user_manager", "system_manager", "system_read_only_admin"};

// "" when every {placeholder} is closed and named; else what is wrong.
std::string TemplateProblem(const std::string& t) {
  bool open = false;
  size_t name_len = 0;
  for (char c : t) {
    if (c == '{') {
      if (open) return "nested '{'";
      open = true;
      name_len = 0;
    } else if (c == '}') {
      if (!open) return "'}' without '{'";
      if (name_len == 0) return "empty placeholder {}";
      open = false;
    } else if (open) {
      ++name_len;
    }
  }
  return open ? "unclosed '{'" : "";
}

// Checks a value a field would take (from value:, map: or default:).
std::string ValueProblem(const std::string& field, const std::string& v) {
  if (field == "auth_service" && !Contains(KnownAuthServices(), v)) {
    return "unknown auth service '" + v + "'; expected " + JoinChoices(KnownAuthServices()) +
           DidYouMean(v, KnownAuthServices());
  }
  if (field == "role") {
    std::istringstream words(v);
    std::string role;
    while (words >> role) {
      if (!Contains(kRoles, role)) {
        return "unknown role '" + role + "'; expected " + JoinChoices(kRoles) +
               DidYouMean(role, kRoles);
      }
    }
  }
  if (field == "active" && v != "true" && v != "false") return "active takes true or false";
  return "";
}

bool ScalarList(const YAML::Node& node, const std::string& path, LoadContext& ctx,
                std::vector<std::string>* out) {
  if (!node.IsSequence()) {
    ctx.Error(MarkOr(node, ctx.MarkOf(path)), path,
              "expected a list like [a, b], found " + Describe(node));
    return false;
  }
  for (const YAML::Node& item : node) {
    if (!item.IsScalar()) {
      ctx.Error(MarkOr(item, ctx.MarkOf(path)), path, "list entries must be plain values");
      return false;
    }
    out->push_back(item.Scalar());
  }
  return true;
}

}  // namespace

void ParseFieldSpec(const std::string& name, const YAML::Node& key, const YAML::Node& node,
                    LoadContext& ctx, FieldsConfig& fields) {
  const std::string path = "fields." + name;
  fields.specs.erase(name);
  if (node.IsNull()) {  // ~ : unmapped on purpose
    ctx.Remember(path + ".~", MarkOr(node, key.Mark()));
    return;
  }
  if (!node.IsMap()) {
    ctx.Error(MarkOr(node, key.Mark()), path,
              "expected a map like {column: NAME}, {template: \"{a}.{b}\"} or {value: X}, or ~ "
              "for unmapped; found " +
                  Describe(node));
    return;
  }
  FieldSpec spec;
  spec.line = key.Mark().line + 1;
  int sources = 0;
  bool ok = true;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string k = it->first.IsScalar() ? it->first.Scalar() : "";
    const YAML::Node v = it->second;  // a copy: *it is a temporary
    const std::string sub = path + "." + k;
    const YAML::Mark at = MarkOr(v, it->first.Mark());
    ctx.Remember(sub, at);
    auto fail = [&](const std::string& msg) {
      ctx.Error(at, sub, msg);
      ok = false;
    };
    if (!Contains(kSpecKeys, k)) {
      ctx.Error(
          it->first.Mark(), sub,
          "unknown key" + DidYouMean(k, kSpecKeys) + "; a field takes " + JoinChoices(kSpecKeys));
      ok = false;
    } else if ((k == "true" || k == "false") && name != "active") {
      fail("true:/false: lists are only for fields.active");
    } else if (k == "true" || k == "false") {
      if (!ScalarList(v, sub, ctx, k == "true" ? &spec.true_values : &spec.false_values))
        ok = false;
    } else if (k == "transform") {
      std::vector<std::string> names;
      if (!ScalarList(v, sub, ctx, &names)) {
        ok = false;
        continue;
      }
      for (const std::string& t : names) {
        if (!Contains(KnownTransforms(), t)) {
          fail("unknown transform '" + t + "'; expected " + JoinChoices(KnownTransforms()) +
               DidYouMean(t, KnownTransforms()));
        }
      }
      spec.transform = names;
    } else if (k == "map") {
      if (!v.IsMap()) {
        fail("expected a map of roster value -> Mattermost value, found " + Describe(v));
        continue;
      }
      for (auto m = v.begin(); m != v.end(); ++m) {
        if (!m->first.IsScalar() || !(m->second.IsScalar() || m->second.IsNull())) {
          fail("map entries must be plain value: value pairs");
          break;
        }
        const std::string to = m->second.IsNull() ? "" : m->second.Scalar();
        const std::string problem = ValueProblem(name, to);
        if (!problem.empty()) fail(problem);
        spec.map[m->first.Scalar()] = to;
      }
    } else if (!v.IsScalar() && !v.IsNull()) {
      fail("expected a single value, found " + Describe(v));
    } else {
      const std::string text = v.IsNull() ? "" : v.Scalar();
      if (k == "column" || k == "template" || k == "value") ++sources;
      if (k == "column") {
        if (text.empty()) fail("column: needs a roster column name");
        spec.column = text;
      } else if (k == "template") {
        const std::string problem = TemplateProblem(text);
        if (!problem.empty())
          fail("bad template: " + problem + "; write e.g. \"{first_name}.{last_name}\"");
        spec.templ = text;
      } else {  // value, default
        const std::string problem = ValueProblem(name, text);
        if (!problem.empty()) fail(problem);
        (k == "value" ? spec.value : spec.default_value) = text;
      }
    }
  }
  if (sources == 0) {
    ctx.Error(key.Mark(), path, "needs one of column, template or value (or ~ for unmapped)");
    ok = false;
  } else if (sources > 1) {
    ctx.Error(key.Mark(), path, "write only one of column, template or value");
    ok = false;
  }
  if (name == "active" && !spec.column.empty() && spec.true_values.empty() &&
      spec.false_values.empty()) {
    ctx.Error(key.Mark(), path,
              "a column needs true: [...] and/or false: [...] listing the roster values, e.g. "
              "{column: status, true: [active], false: [terminated]}");
    ok = false;
  }
  if (ok) fields.specs[name] = spec;
}

void CheckFields(LoadContext& ctx, Config& config) {
  FieldsConfig& f = config.fields;
  bool any_written = false;
  for (const std::string& name : MappableFields()) any_written |= ctx.Has("fields." + name);
  if (!any_written) {
    // No field mapped at all: the four columns every roster has (documented in the reference).
    for (const char* name : {"username", "email", "first_name", "last_name"}) {
      FieldSpec spec;
      spec.column = name;
      f.specs[name] = spec;
    }
  } else {
    for (const char* name : {"username", "email"}) {
      const std::string path = std::string("fields.") + name;
      if (f.specs.count(name)) continue;
      if (ctx.Has(path) && !ctx.Has(path + ".~")) continue;  // written but invalid: reported
      const std::string what = std::string(name) == "email" ? "an email address" : "a username";
      const std::string msg = "not mapped; Mattermost needs " + what +
                              " to create an account (e.g. {column: " + name + "})";
      if (config.policy.create) {
        ctx.ErrorAt(path, msg);
      } else {
        ctx.WarnAt(path, msg + "; matching by " + name + " is off too");
      }
    }
  }
  if (f.specs.count("auth_data") && !f.specs.count("auth_service")) {
    ctx.ErrorAt("fields.auth_data",
                "auth_data needs fields.auth_service too: the server rejects auth_data without "
                "an auth service");
  }
  // Warn about unmapped update entries only when the list was chosen (the default names fields
  // that most rosters do not map, and that is fine).
  const bool update_chosen = ctx.Has("fields.update") && f.update != FieldsConfig().update;
  for (const std::string& u : f.update) {
    if (Contains(UpdatableFields(), u)) {
      if (!ctx.Has("fields." + u) && update_chosen) {
        ctx.WarnAt("fields.update",
                   "'" + u + "' is not mapped under fields:, so it is never compared");
      }
      continue;
    }
    std::string why;
    if (u == "role") why = "; roles are kept in sync by policy.roles and policy.guests";
    if (u == "active") why = "; activation is governed by policy.deactivate and policy.reactivate";
    if (u == "auth_service" || u == "auth_data")
      why = "; auth changes are governed by policy.auth_migration";
    if (u == "start_date" || u == "end_date") why = "; dates are not account fields";
    if (why.empty()) why = DidYouMean(u, UpdatableFields());
    ctx.ErrorAt("fields.update",
                "'" + u + "' cannot be updated; expected " + JoinChoices(UpdatableFields()) + why);
  }
  for (const std::string& m : config.match.order) {
    if (!f.specs.count(m) && !ctx.Has("fields." + m)) {  // written but invalid: reported
      ctx.WarnAt("match.order", "'" + m + "' is not mapped under fields:, so it never matches");
    }
  }
}

}  // namespace rostersync::config_internal
