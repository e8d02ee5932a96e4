#include "config/yaml_bounds.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <sstream>
#include <unordered_map>
#include <vector>

namespace rostersync::config_internal {
namespace {

// Counts nodes with aliases expanded, without expanding them; stops counting past the limit.
class NodeCounter : public YAML::EventHandler {
 public:
  int64_t total() const { return total_; }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t anchor) override { Leaf(anchor, 1); }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t anchor,
                const std::string&) override {
    Leaf(anchor, 1);
  }
  void OnAlias(const YAML::Mark&, YAML::anchor_t anchor) override {
    auto it = sizes_.find(anchor);
    Leaf(0, it == sizes_.end() ? 1 : it->second);
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open_.push_back({anchor, 1});
  }
  void OnSequenceEnd() override { Close(); }
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open_.push_back({anchor, 1});
  }
  void OnMapEnd() override { Close(); }

 private:
  struct Open {
    YAML::anchor_t anchor;
    int64_t size;
  };
  // Saturating: sizes never overflow however deep the aliases nest.
  static int64_t Add(int64_t a, int64_t b) {
    return a > kMaxConfigNodes || b > kMaxConfigNodes ? kMaxConfigNodes + 1 : a + b;
  }
  void Leaf(YAML::anchor_t anchor, int64_t size) {
    if (anchor != 0) sizes_[anchor] = size;
    if (open_.empty()) {
      total_ = Add(total_, size);
    } else {
      open_.back().size = Add(open_.back().size, size);
    }
  }
  void Close() {
    if (open_.empty()) return;
    const Open done = open_.back();
    open_.pop_back();
    Leaf(done.anchor, done.size);
  }

  std::vector<Open> open_;
  std::unordered_map<YAML::anchor_t, int64_t> sizes_;
  int64_t total_ = 0;
};

}  // namespace

std::string CheckYamlBounds(const std::string& yaml_text) {
  if (yaml_text.size() > kMaxConfigBytes) {
    return "the config file is " + std::to_string(yaml_text.size()) + " bytes, more than the " +
           std::to_string(kMaxConfigBytes) + " a config may have; is this the right file?";
  }
  std::istringstream in(yaml_text);
  NodeCounter counter;
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(counter)) {
      if (counter.total() > kMaxConfigNodes) break;
    }
  } catch (const YAML::Exception&) {
    return "";  // the real parse reports the syntax error with its place
  }
  if (counter.total() > kMaxConfigNodes) {
    return "the config has more than " + std::to_string(kMaxConfigNodes) +
           " YAML nodes once aliases are expanded (an alias bomb?); refused without expanding it";
  }
  return "";
}

}  // namespace rostersync::config_internal
