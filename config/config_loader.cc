// ParseConfig / LoadConfigFile: walks the YAML against the schema table, then runs the
// cross-key checks. yaml-cpp exceptions are caught here and become problems with a line.
#include "config/config_loader.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "config/config_internal.h"
#include "config/yaml_bounds.h"

namespace rostersync {
namespace {

using config_internal::Contains;
using config_internal::Describe;
using config_internal::DidYouMean;
using config_internal::JoinChoices;
using config_internal::LoadContext;
using config_internal::MarkOr;

// Names that may follow `prefix.` in the schema (the next path segment).
std::vector<std::string> ChildrenOf(const std::string& prefix) {
  std::vector<std::string> out;
  const std::string head = prefix.empty() ? "" : prefix + ".";
  for (const KeySpec& k : ConfigSchema()) {
    std::string path = k.path;
    if (path.compare(0, head.size(), head) != 0) continue;
    std::string next = path.substr(head.size(), path.find('.', head.size()) - head.size());
    if (!Contains(out, next)) out.push_back(next);
  }
  return out;
}

bool IsSection(const std::string& path) {
  const std::string head = path + ".";
  for (const KeySpec& k : ConfigSchema()) {
    if (std::string(k.path).compare(0, head.size(), head) == 0) return true;
  }
  return false;
}

bool ParseBool(const std::string& s, bool* out) {
  std::string l = s;
  std::transform(l.begin(), l.end(), l.begin(), [](unsigned char c) { return std::tolower(c); });
  if (l == "true" || l == "yes" || l == "on") return *out = true, true;
  if (l == "false" || l == "no" || l == "off") return *out = false, true;
  return false;
}

bool ParseInt(const std::string& s, int64_t* out) {
  if (s.empty() || s.size() > 19) return false;
  size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  if (i == s.size()) return false;
  for (size_t j = i; j < s.size(); ++j) {
    if (s[j] < '0' || s[j] > '9') return false;
  }
  errno = 0;
  long long v = std::strtoll(s.c_str(), nullptr, 10);
  if (errno == ERANGE) return false;
  *out = v;
  return true;
}

// Quoted value for messages, or "" for secret keys (their values are never echoed).
std::string Shown(const KeySpec& spec, const std::string& value) {
  if (spec.secret || value.size() > 64) return "";
  return " '" + value + "'";
}

void ParseScalarLeaf(const KeySpec& spec, const YAML::Node& value, const YAML::Mark& mark,
                     LoadContext& ctx, Config& config) {
  const std::string path = spec.path;
  const std::string text = value.IsNull() ? "" : value.Scalar();
  auto bad = [&](const std::string& what) {
    ctx.Error(mark, path, "invalid value" + Shown(spec, text) + "; expected " + what);
  };
  if (value.IsNull() && spec.kind != KeyKind::kString) {
    ctx.Error(mark, path, "missing value; write the key with a value or remove it for the default");
    return;
  }
  switch (spec.kind) {
    case KeyKind::kString:
      *std::get<std::string* (*)(Config&)>(spec.target)(config) = text;
      break;
    case KeyKind::kEnum:
      if (!Contains(spec.allowed, text)) {
        return bad("one of: " + JoinChoices(spec.allowed) + DidYouMean(text, spec.allowed));
      }
      if (auto* mode = std::get_if<UnmatchedMode* (*)(Config&)>(&spec.target)) {
        // allowed is "leave", "report", "deactivate": the enum's order.
        auto at = std::find(spec.allowed.begin(), spec.allowed.end(), text);
        *(*mode)(config) = static_cast<UnmatchedMode>(at - spec.allowed.begin());
        break;
      }
      *std::get<std::string* (*)(Config&)>(spec.target)(config) = text;
      break;
    case KeyKind::kBool: {
      bool b = false;
      if (!ParseBool(text, &b)) return bad("true or false");
      *std::get<bool* (*)(Config&)>(spec.target)(config) = b;
      break;
    }
    case KeyKind::kInt: {
      int64_t v = 0;
      if (!ParseInt(text, &v)) return bad("a whole number");
      if (v < spec.min) return bad("a whole number >= " + std::to_string(spec.min));
      if (auto* t = std::get_if<int* (*)(Config&)>(&spec.target)) {
        if (v > 1'000'000'000) return bad("a whole number <= 1000000000");
        *(*t)(config) = static_cast<int>(v);
      } else {
        *std::get<int64_t* (*)(Config&)>(spec.target)(config) = v;
      }
      break;
    }
    case KeyKind::kDouble: {
      char* end = nullptr;
      double v = std::strtod(text.c_str(), &end);
      if (text.empty() || *end != '\0' || !std::isfinite(v) || v < 0) return bad("a number >= 0");
      *std::get<double* (*)(Config&)>(spec.target)(config) = v;
      break;
    }
    case KeyKind::kDuration: {
      Result<int64_t> ms = ParseDuration(text);
      if (!ms.ok()) return ctx.Error(mark, path, ms.status().message());
      *std::get<int64_t* (*)(Config&)>(spec.target)(config) = *ms;
      break;
    }
    case KeyKind::kChar:
      if (text.size() != 1) return bad("exactly one character, e.g. \",\" or \"\\t\"");
      *std::get<char* (*)(Config&)>(spec.target)(config) = text[0];
      break;
    case KeyKind::kDeactivate: {
      bool b = false;
      DeactivateMode* mode = std::get<DeactivateMode* (*)(Config&)>(spec.target)(config);
      if (text == "report") {
        *mode = DeactivateMode::kReport;
      } else if (ParseBool(text, &b)) {
        *mode = b ? DeactivateMode::kOn : DeactivateMode::kOff;
      } else {
        return bad("true, false or report");
      }
      break;
    }
    case KeyKind::kThreshold: {
      Threshold* t = std::get<Threshold* (*)(Config&)>(spec.target)(config);
      int64_t v = 0;
      const bool percent = !text.empty() && text.back() == '%';
      if (!ParseInt(percent ? text.substr(0, text.size() - 1) : text, &v) || v < 0 ||
          (percent && v > 100)) {
        return bad("a count (e.g. 10) or a percentage of managed users from 0% to 100% (e.g. 5%)");
      }
      t->percent = percent;
      t->value = static_cast<double>(v);
      break;
    }
    case KeyKind::kGrace: {
      PolicyOptions* p = std::get<PolicyOptions* (*)(Config&)>(spec.target)(config);
      int64_t cycles = 0;
      if (ParseInt(text, &cycles)) {
        if (cycles < 0 || cycles > 1'000'000) return bad("a count of cycles >= 0 or a duration");
        p->deactivate_after_cycles = static_cast<int>(cycles);
        p->deactivate_after_ms = 0;
        break;
      }
      Result<int64_t> ms = ParseDuration(text);
      if (!ms.ok()) {
        return bad("a count of cycles (e.g. 3) or a duration (e.g. 3d, 12h)");
      }
      p->deactivate_after_cycles = 0;
      p->deactivate_after_ms = *ms;
      break;
    }
    default:
      break;
  }
}

void ParseListLeaf(const KeySpec& spec, const YAML::Node& value, const YAML::Mark& mark,
                   LoadContext& ctx, Config& config) {
  const std::string path = spec.path;
  std::vector<std::string> items;
  std::set<std::string> seen;
  if (!value.IsNull() && !value.IsSequence()) {
    ctx.Error(mark, path, "expected a list like [a, b], found " + Describe(value));
    return;
  }
  bool all_ok = true;
  for (const YAML::Node& item : value) {
    const YAML::Mark at = MarkOr(item, mark);
    if (!item.IsScalar() && !item.IsNull()) {
      ctx.Error(at, path, "list entries must be plain values, found " + Describe(item));
      all_ok = false;
      continue;
    }
    const std::string text = item.IsNull() ? "" : item.Scalar();
    if (path == "match.order" && text == "auth_data") {
      ctx.Error(at, path,
                "auth_data cannot be a match key: the API blanks auth_data in every user it "
                "returns (docs/server-facts.md), so no existing account could ever match; use "
                "email or username");
      all_ok = false;
      continue;
    }
    if (!spec.allowed.empty() && !Contains(spec.allowed, text)) {
      ctx.Error(at, path,
                "invalid entry '" + text + "'; expected " + JoinChoices(spec.allowed) +
                    DidYouMean(text, spec.allowed));
      all_ok = false;
      continue;
    }
    if (!seen.insert(text).second) {
      ctx.Warn(at, path, "'" + text + "' is listed twice");
      continue;
    }
    items.push_back(text);
  }
  if (all_ok) *std::get<std::vector<std::string>* (*)(Config&)>(spec.target)(config) = items;
}

void WalkMap(const YAML::Node& map, const std::string& prefix, LoadContext& ctx, Config& config) {
  std::set<std::string> seen;
  for (auto it = map.begin(); it != map.end(); ++it) {
    const YAML::Node key = it->first;     // a copy: *it is a temporary
    const YAML::Node value = it->second;  // a copy: *it is a temporary
    if (!key.IsScalar()) {
      ctx.Error(MarkOr(key, map.Mark()), prefix,
                "keys must be plain names, found " + Describe(key));
      continue;
    }
    const std::string name = key.Scalar();
    const std::string path = prefix.empty() ? name : prefix + "." + name;
    const YAML::Mark at = MarkOr(value, key.Mark());
    if (!seen.insert(name).second) {
      ctx.Error(key.Mark(), path, "duplicate key; write it once (which copy wins is not defined)");
      continue;
    }
    if (path == "mattermost.token") {
      ctx.Error(key.Mark(), path,
                "a token written inline is refused; put it in token_file or "
                "token_env (and revoke it: this file may have been shared)");
      continue;
    }
    if (path == "admin.token") {
      ctx.Error(key.Mark(), path, "a token written inline is refused; put it in admin.token_file");
      continue;
    }
    if (const KeySpec* spec = FindKeySpec(path)) {
      ctx.Remember(path, at);
      if (spec->kind == KeyKind::kField) {
        config_internal::ParseFieldSpec(name, key, value, ctx, config.fields);
      } else if (spec->kind == KeyKind::kMembership) {
        config_internal::ParseMembershipList(path, value, at, ctx, config);
      } else if (spec->kind == KeyKind::kStringList) {
        ParseListLeaf(*spec, value, at, ctx, config);
      } else if (!value.IsScalar() && !value.IsNull()) {
        ctx.Error(at, path, "expected a single value, found " + Describe(value));
      } else {
        ParseScalarLeaf(*spec, value, at, ctx, config);
      }
      continue;
    }
    if (IsSection(path)) {
      ctx.Remember(path, key.Mark());
      if (value.IsMap()) {
        WalkMap(value, path, ctx, config);
      } else if (!value.IsNull()) {
        ctx.Error(at, path,
                  "expected a map with keys " + JoinChoices(ChildrenOf(path)) + ", found " +
                      Describe(value));
      }
      continue;
    }
    ctx.Error(key.Mark(), path, "unknown key" + DidYouMean(name, ChildrenOf(prefix)));
  }
}

}  // namespace

ConfigLoad ParseConfig(const std::string& yaml_text, const std::string& file_name) {
  ConfigLoad load;
  load.config.path = file_name;
  LoadContext ctx(file_name, &load.problems);
  if (std::string too_big = config_internal::CheckYamlBounds(yaml_text); !too_big.empty()) {
    ctx.Error(YAML::Mark::null_mark(), "", too_big);
    return load;
  }
  try {
    YAML::Node root = YAML::Load(yaml_text);
    if (root.IsMap()) {
      WalkMap(root, "", ctx, load.config);
    } else if (!root.IsNull()) {
      ctx.Error(MarkOr(root, YAML::Mark()), "",
                "the config must be a YAML map of sections (mattermost:, roster:, ...), found " +
                    Describe(root));
      return load;
    }
  } catch (const YAML::Exception& e) {
    // Syntax errors (and DeepRecursion): report the place; the rest would only be noise.
    ctx.Error(e.mark, "", "YAML syntax error: " + e.msg);
    return load;
  } catch (const std::exception& e) {
    ctx.Error(YAML::Mark::null_mark(), "", std::string("could not read the YAML: ") + e.what());
    return load;
  }
  config_internal::CheckFields(ctx, load.config);
  config_internal::CheckConfig(ctx, load.config);
  std::stable_sort(load.problems.begin(), load.problems.end(),
                   [](const ConfigProblem& a, const ConfigProblem& b) {
                     if ((a.line == 0) != (b.line == 0)) return b.line == 0;
                     return a.line != b.line ? a.line < b.line : a.column < b.column;
                   });
  return load;
}

ConfigLoad LoadConfigFile(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    // A FIFO would block the open, a device never ends: only a regular file is a config.
    ConfigLoad load;
    load.config.path = path;
    ConfigProblem p;
    p.file = path;
    p.message = "the config is not a regular file (a directory, FIFO or device); pass --config "
                "with the path of the YAML file";
    load.problems.push_back(std::move(p));
    return load;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    ConfigLoad load;
    load.config.path = path;
    ConfigProblem p;
    p.file = path;
    p.message = std::string("cannot read the config file: ") + std::strerror(err) +
                "; pass --config FILE, or copy config/example.yaml to " + path + " and edit it";
    load.problems.push_back(std::move(p));
    return load;
  }
  // Read one byte past the limit at most: a huge file (or /dev/zero) is never slurped whole.
  std::string text(config_internal::kMaxConfigBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  return ParseConfig(text, path);
}

}  // namespace rostersync
