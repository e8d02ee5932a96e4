// config/example.yaml, the parser's schema and docs/config-reference.md must agree.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <fstream>
#include <set>

#include "config/config_loader.h"
#include "tests/config/config_test_util.h"

namespace rostersync {
namespace {

using testing::ConfigFixture;
using testing::TempDir;

const std::string kExample = std::string(ROSTERSYNC_SOURCE_DIR) + "/config/example.yaml";
const std::string kReference = std::string(ROSTERSYNC_SOURCE_DIR) + "/docs/config-reference.md";
const std::string kExampleTokenPath = "/run/credentials/rostersync.service/mm-token";

// Dotted paths of the example's keys: schema leaves stop the descent (field specs are maps).
void CollectKeys(const YAML::Node& map, const std::string& prefix, std::vector<std::string>* out) {
  for (auto it = map.begin(); it != map.end(); ++it) {
    const std::string path =
        prefix.empty() ? it->first.Scalar() : prefix + "." + it->first.Scalar();
    if (FindKeySpec(path) == nullptr && it->second.IsMap()) {
      CollectKeys(it->second, path, out);
    } else {
      out->push_back(path);
    }
  }
}

// Read-only descent (Node::operator= would write into the tree, so reset() is used).
YAML::Node Lookup(const YAML::Node& root, const std::string& path) {
  YAML::Node node = root;
  size_t start = 0;
  while (node.IsDefined() && node.IsMap() && start <= path.size()) {
    size_t dot = path.find('.', start);
    if (dot == std::string::npos) dot = path.size();
    const YAML::Node& parent = node;
    node.reset(parent[path.substr(start, dot - start)]);
    start = dot + 1;
  }
  return start > path.size() ? node : YAML::Node(YAML::NodeType::Undefined);
}

bool SameYaml(const YAML::Node& a, const YAML::Node& b) {
  if (a.Type() != b.Type()) return false;
  if (a.IsScalar()) return a.Scalar() == b.Scalar();
  if (a.size() != b.size()) return false;
  if (a.IsSequence()) {
    for (size_t i = 0; i < a.size(); ++i) {
      if (!SameYaml(a[i], b[i])) return false;
    }
  }
  if (a.IsMap()) {
    for (auto it = a.begin(); it != a.end(); ++it) {
      if (!b[it->first.Scalar()] || !SameYaml(it->second, b[it->first.Scalar()])) return false;
    }
  }
  return true;
}

TEST(ConfigExampleTest, ExampleKeysAreExactlyTheParsersKnownKeysInOrder) {
  std::vector<std::string> keys;
  CollectKeys(YAML::LoadFile(kExample), "", &keys);
  EXPECT_EQ(keys, KnownConfigKeys());  // same keys, same (docs/contract.md) order
}

TEST(ConfigExampleTest, ExampleShowsEveryKeyAtItsDefault) {
  const YAML::Node example = YAML::LoadFile(kExample);
  for (const KeySpec& k : ConfigSchema()) {
    if (k.required || std::string(k.path) == "mattermost.token_file") continue;
    const YAML::Node shown = Lookup(example, k.path);
    ASSERT_TRUE(shown.IsDefined()) << k.path;
    EXPECT_TRUE(SameYaml(shown, YAML::Load(k.default_text)))
        << k.path << ": example shows " << YAML::Dump(shown) << ", schema says " << k.default_text;
  }
}

TEST(ConfigExampleTest, ExamplePassesCheckConfigWhenItsTokenFileExists) {
  ConfigFixture f;
  std::string text = TempDir::Read(kExample);
  const size_t at = text.find(kExampleTokenPath);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, kExampleTokenPath.size(), f.token_file());
  ConfigLoad load = ParseConfig(text, "example.yaml");
  EXPECT_TRUE(load.ok()) << load.Report();
  for (const ConfigProblem& p : load.problems) {
    // Only the environment may differ: the roster and state paths of a real install.
    EXPECT_EQ(p.key_path, "roster.csv.path") << p.ToString();
  }
}

TEST(ConfigExampleTest, ExampleParsesToTheSameConfigAsTheDefaults) {
  ConfigFixture f;
  std::string text = TempDir::Read(kExample);
  text.replace(text.find(kExampleTokenPath), kExampleTokenPath.size(), f.token_file());
  const Config from_example = ParseConfig(text, "example.yaml").config;
  // The minimal config: only the required keys; everything else from defaults.
  const Config minimal =
      ParseConfig("mattermost: {url: https://chat.example.com, token_file: " + f.token_file() +
                      "}\nroster: {key: employee_id}\n",
                  "min.yaml")
          .config;
  const PlannerOptions a = ToPlannerOptions(from_example), b = ToPlannerOptions(minimal);
  EXPECT_EQ(a.update_fields, b.update_fields);
  EXPECT_EQ(a.mapped_fields, b.mapped_fields);
  EXPECT_EQ(a.match.order, b.match.order);
  EXPECT_EQ(a.scope.auth_services, b.scope.auth_services);
  EXPECT_EQ(a.scope.protected_users, b.scope.protected_users);
  EXPECT_EQ(a.policy.max_deactivations, b.policy.max_deactivations);
  EXPECT_EQ(a.policy.deactivate, b.policy.deactivate);
  EXPECT_EQ(from_example.mattermost.timeout_ms, minimal.mattermost.timeout_ms);
  EXPECT_EQ(from_example.mattermost.retry_base_delay_ms, minimal.mattermost.retry_base_delay_ms);
  EXPECT_EQ(from_example.roster.csv.delimiter, minimal.roster.csv.delimiter);
  EXPECT_EQ(from_example.schedule.jitter_ms, minimal.schedule.jitter_ms);
  EXPECT_EQ(from_example.state.database, minimal.state.database);
  EXPECT_EQ(from_example.admin.listen, minimal.admin.listen);
  EXPECT_EQ(from_example.logging.level, minimal.logging.level);
  for (const auto& [name, spec] : minimal.fields.specs) {
    ASSERT_EQ(from_example.fields.specs.count(name), 1u) << name;
    EXPECT_EQ(from_example.fields.specs.at(name).column, spec.column);
  }
}

TEST(ConfigExampleTest, EveryKeyHasAMeaningAndADefault) {
  std::set<std::string> seen;
  for (const KeySpec& k : ConfigSchema()) {
    EXPECT_TRUE(seen.insert(k.path).second) << "duplicate " << k.path;
    EXPECT_GT(std::string(k.meaning).size(), 5u) << k.path;
    EXPECT_FALSE(std::string(k.default_text).empty()) << k.path;
  }
}

// Regenerate with: ROSTERSYNC_UPDATE_REFERENCE=1 config_test --gtest_filter=*Reference*
TEST(ConfigExampleTest, ReferenceDocIsGeneratedFromTheSchema) {
  const std::string generated = ConfigReferenceMarkdown();
  if (std::getenv("ROSTERSYNC_UPDATE_REFERENCE") != nullptr) {
    std::ofstream(kReference, std::ios::binary | std::ios::trunc) << generated;
  }
  EXPECT_EQ(TempDir::Read(kReference), generated)
      << "docs/config-reference.md is out of date; rerun with ROSTERSYNC_UPDATE_REFERENCE=1";
  for (const std::string& key : KnownConfigKeys()) {
    EXPECT_NE(generated.find("| `" + key + "` |"), std::string::npos) << key;
  }
}

}  // namespace
}  // namespace rostersync
