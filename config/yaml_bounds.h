// Bounds on a config's YAML before it is built into nodes: its size, its node count and the
// node count after aliases are expanded (a "billion laughs" alias bomb is refused without
// being expanded). Stateless, thread-safe; internal to config/.
#ifndef ROSTERSYNC_CONFIG_YAML_BOUNDS_H_
#define ROSTERSYNC_CONFIG_YAML_BOUNDS_H_

#include <cstdint>
#include <string>

namespace rostersync::config_internal {

// A config is a few KiB; these leave a wide margin and still stop a hostile file early.
constexpr size_t kMaxConfigBytes = 1 << 20;        // 1 MiB
constexpr int64_t kMaxConfigNodes = 100'000;       // nodes as written, aliases expanded

// "" when `yaml_text` is within the bounds, else a one-line reason (what and the limit).
// Streams parser events (yaml-cpp's EventHandler): anchored nodes' sizes are remembered and
// an alias adds its anchor's size, so nothing is ever expanded. Syntax errors are left to
// the real parse (returns "").
std::string CheckYamlBounds(const std::string& yaml_text);

}  // namespace rostersync::config_internal

#endif  // ROSTERSYNC_CONFIG_YAML_BOUNDS_H_
