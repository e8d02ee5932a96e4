// membership.teams / membership.channels: lists of {team, channel, when: {column, equals}}
// maps, and ToMembershipOptions. The roster columns the rules read are recorded in
// fields.attribute_columns so that the roster carries them.
#include "config/config_internal.h"
#include "config/config_loader.h"

namespace rostersync::config_internal {
namespace {

bool Scalar(const YAML::Node& map, const char* key, const std::string& at, LoadContext& ctx,
            std::string* out) {
  const YAML::Node v = map[key];
  if (!v) return false;
  if (!v.IsScalar() || v.Scalar().empty()) {
    ctx.Error(MarkOr(v, map.Mark()), at + "." + key, "expected a non-empty name");
    return false;
  }
  *out = v.Scalar();
  return true;
}

std::string TemplateProblem(const std::string& t) {
  int open = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '{') {
      if (open) return "nested '{'";
      if (i + 1 < t.size() && t[i + 1] == '}') return "empty placeholder {}";
      open = 1;
    } else if (t[i] == '}') {
      if (!open) return "'}' without '{'";
      open = 0;
    }
  }
  return open ? "unclosed '{'" : "";
}

bool ParseWhen(const YAML::Node& when, const std::string& at, LoadContext& ctx,
               MembershipRule* rule) {
  if (!when.IsMap()) {
    ctx.Error(MarkOr(when, YAML::Mark()), at, "expected {column: C, equals: V}");
    return false;
  }
  for (auto it = when.begin(); it != when.end(); ++it) {
    const std::string k = it->first.Scalar();
    if (k != "column" && k != "equals") {
      ctx.Error(it->first.Mark(), at + "." + k, "unknown key" + DidYouMean(k, {"column", "equals"}));
      return false;
    }
  }
  if (!Scalar(when, "column", at, ctx, &rule->when_column)) {
    ctx.Error(when.Mark(), at + ".column", "when: needs a column");
    return false;
  }
  if (when["equals"]) {
    if (!when["equals"].IsScalar()) {
      ctx.Error(MarkOr(when["equals"], when.Mark()), at + ".equals", "expected a single value");
      return false;
    }
    rule->when_equals = when["equals"].Scalar();
  }
  return true;
}

}  // namespace

void ParseMembershipList(const std::string& path, const YAML::Node& node, const YAML::Mark& at,
                         LoadContext& ctx, Config& config) {
  const bool channels = path == "membership.channels";
  auto& out = channels ? config.membership.channels : config.membership.teams;
  out.clear();
  if (node.IsNull()) return;
  if (!node.IsSequence()) {
    ctx.Error(at, path, "expected a list of {team: NAME" +
                            std::string(channels ? ", channel: NAME" : "") + "} maps, found " +
                            Describe(node));
    return;
  }
  const std::vector<std::string> keys = channels ? std::vector<std::string>{"team", "channel", "when"}
                                                 : std::vector<std::string>{"team", "when"};
  for (size_t i = 0; i < node.size(); ++i) {
    const YAML::Node item = node[i];
    const std::string where = path + "[" + std::to_string(i) + "]";
    if (!item.IsMap()) {
      ctx.Error(MarkOr(item, at), where, "expected a map like {team: company}");
      continue;
    }
    bool ok = true;
    for (auto it = item.begin(); it != item.end(); ++it) {
      const std::string k = it->first.IsScalar() ? it->first.Scalar() : "";
      if (!Contains(keys, k)) {
        ctx.Error(it->first.Mark(), where + "." + k, "unknown key" + DidYouMean(k, keys));
        ok = false;
      }
    }
    MembershipRule rule;
    if (!Scalar(item, "team", where, ctx, &rule.team)) {
      if (!item["team"]) ctx.Error(item.Mark(), where + ".team", "missing: name the team");
      ok = false;
    }
    if (channels) {
      if (!Scalar(item, "channel", where, ctx, &rule.channel)) {
        if (!item["channel"]) ctx.Error(item.Mark(), where + ".channel", "missing: name the channel");
        ok = false;
      } else if (std::string p = TemplateProblem(rule.channel); !p.empty()) {
        ctx.Error(item["channel"].Mark(), where + ".channel", "bad template: " + p);
        ok = false;
      }
    }
    if (item["when"] && !ParseWhen(item["when"], where + ".when", ctx, &rule)) ok = false;
    if (ok) out.push_back(std::move(rule));
  }
  std::vector<MembershipRule> all = config.membership.teams;
  all.insert(all.end(), config.membership.channels.begin(), config.membership.channels.end());
  config.fields.attribute_columns = MembershipColumns(all);
}

}  // namespace rostersync::config_internal

namespace rostersync {

MembershipOptions ToMembershipOptions(const Config& config) {
  MembershipOptions o;
  o.rules = config.membership.teams;
  o.rules.insert(o.rules.end(), config.membership.channels.begin(),
                 config.membership.channels.end());
  o.mode = config.membership.policy == "sync"     ? MembershipMode::kSync
           : config.membership.policy == "report" ? MembershipMode::kReport
                                                  : MembershipMode::kAdd;
  o.max_removals = config.membership.max_removals;
  return o;
}

}  // namespace rostersync
