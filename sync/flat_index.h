// FlatIndex<V>: a string_view -> V hash index for large lookups (the planner's users by id,
// email, username and ledger claims; the listing's and the roster's id and value sets).
// Open addressing over two flat arrays: no allocation per entry, unlike std::unordered_map.
// Keys are views: what they view must outlive the index. The first insertion of a key wins.
// Not thread-safe for writes.
#ifndef ROSTERSYNC_SYNC_FLAT_INDEX_H_
#define ROSTERSYNC_SYNC_FLAT_INDEX_H_

#include <cstdint>
#include <functional>
#include <string_view>
#include <utility>
#include <vector>

namespace rostersync {

template <typename V>
class FlatIndex {
 public:
  void Reserve(size_t n) {
    entries_.reserve(n);
    if (n * 4 > slots_.size() * 3) Rehash(n);
  }
  size_t size() const { return entries_.size(); }

  // Inserts (key, value) unless the key is present. Returns the stored value and whether
  // it was inserted.
  std::pair<const V*, bool> Emplace(std::string_view key, V value) {
    if ((entries_.size() + 1) * 4 > slots_.size() * 3) Rehash(entries_.size() + 1);
    size_t hash = std::hash<std::string_view>()(key);
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      Slot& slot = slots_[i];
      if (slot.index == 0) {
        entries_.push_back(Entry{key, std::move(value)});
        slot.index = static_cast<uint32_t>(entries_.size());
        slot.tag = static_cast<uint32_t>(hash >> 32);
        return {&entries_.back().value, true};
      }
      const Entry& e = entries_[slot.index - 1];
      if (slot.tag == static_cast<uint32_t>(hash >> 32) && e.key == key) return {&e.value, false};
    }
  }

  // The value for `key`, or nullptr.
  const V* Find(std::string_view key) const {
    if (entries_.empty()) return nullptr;
    size_t hash = std::hash<std::string_view>()(key);
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (slot.index == 0) return nullptr;
      const Entry& e = entries_[slot.index - 1];
      if (slot.tag == static_cast<uint32_t>(hash >> 32) && e.key == key) return &e.value;
    }
  }

 private:
  struct Entry {
    std::string_view key;
    V value;
  };
  struct Slot {
    uint32_t index = 0;  // 1 + position in entries_; 0 = empty
    uint32_t tag = 0;    // high hash bits: most mismatches never touch entries_
  };

  void Rehash(size_t n) {
    size_t capacity = 16;
    while (capacity * 3 < n * 4) capacity <<= 1;  // load factor <= 3/4
    slots_.assign(capacity, Slot{});
    mask_ = capacity - 1;
    for (size_t k = 0; k < entries_.size(); ++k) {
      size_t hash = std::hash<std::string_view>()(entries_[k].key);
      size_t i = hash & mask_;
      while (slots_[i].index != 0) i = (i + 1) & mask_;
      slots_[i] = Slot{static_cast<uint32_t>(k + 1), static_cast<uint32_t>(hash >> 32)};
    }
  }

  std::vector<Entry> entries_;
  std::vector<Slot> slots_;
  size_t mask_ = 0;
};

}  // namespace rostersync

#endif  // ROSTERSYNC_SYNC_FLAT_INDEX_H_
