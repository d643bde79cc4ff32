// riptide/features/category_dictionary.hpp: a categorical column's values and their slots.
//
// Most categorical columns of customer data have a handful of values (contract, gender, payment
// method), looked up once per record: hashing each value and probing a node-based hash map costs
// more than comparing a few short strings. So the dictionary scans a flat array of text keys
// (length and two words of bytes: exact up to 16 bytes, see detail/equal_bytes.hpp) while it is
// small and switches to a hash map (XXH3) past `small_limit` entries. find() never allocates;
// insert() copies the key. Parameters (defaults): small_limit (16 entries).
//
// Example:
//   riptide::features::category_dictionary d;
//   d.insert("Month-to-month", 7);
//   d.insert("Two year", 8);
//   if (d.find("Two year") != 8 || d.find("One year") != d.npos || d.size() != 2) std::abort();
#pragma once

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "riptide/detail/equal_bytes.hpp"

namespace riptide::features {

class category_dictionary {
 public:
  static constexpr std::uint32_t npos = std::numeric_limits<std::uint32_t>::max();
  static constexpr std::size_t small_limit = 16;

  /// The key's slot, or npos.
  std::uint32_t find(std::string_view key) const noexcept {
    if (large_.empty()) {
      const auto k = riptide::detail::text_key::of(key);
      if (k.size <= riptide::detail::text_key::exact_up_to) {
        // Which value a record holds is unpredictable: scan every key without branching on the
        // comparisons (a mispredicted early exit costs more than the whole scan).
        std::uint32_t found = npos;
        for (std::size_t i = 0; i < small_keys_.size(); ++i)
          found = small_keys_[i] == k ? small_[i].second : found;
        return found;
      }
      for (std::size_t i = 0; i < small_keys_.size(); ++i)
        if (small_keys_[i] == k && riptide::detail::same_text(small_[i].first, key))
          return small_[i].second;
      return npos;
    }
    const auto it = large_.find(key);
    return it != large_.end() ? it->second : npos;
  }
  bool contains(std::string_view key) const noexcept { return find(key) != npos; }

  /// Adds key -> slot (the caller checked it is absent).
  void insert(std::string_view key, std::uint32_t slot) {
    if (large_.empty() && small_.size() < small_limit) {
      small_.emplace_back(std::string(key), slot);
      small_keys_.push_back(riptide::detail::text_key::of(key));
      return;
    }
    if (large_.empty()) {
      large_.reserve(small_limit * 4);
      for (auto& e : small_) large_.emplace(std::move(e.first), e.second);
      small_.clear();
      small_.shrink_to_fit();
      small_keys_.clear();
    }
    large_.emplace(std::string(key), slot);
  }

  std::size_t size() const noexcept { return large_.empty() ? small_.size() : large_.size(); }

  /// Whether pred(slot) holds for every slot.
  template <class Pred>
  bool all_slots(Pred pred) const {
    for (const auto& e : small_)
      if (!pred(e.second)) return false;
    for (const auto& e : large_)
      if (!pred(e.second)) return false;
    return true;
  }

  /// The keys and their slots, in slot order (snapshot/archive.hpp).
  template <class Archive>
  void state(Archive& a) {
    std::vector<std::pair<std::uint32_t, std::string>> by_slot;
    if constexpr (!Archive::loading) {
      for (const auto& e : small_) by_slot.emplace_back(e.second, e.first);
      for (const auto& e : large_) by_slot.emplace_back(e.second, e.first);
      std::sort(by_slot.begin(), by_slot.end());
    }
    std::vector<std::string> keys;
    std::vector<std::uint32_t> slots;
    for (auto& e : by_slot) {
      slots.push_back(e.first);
      keys.push_back(std::move(e.second));
    }
    a("keys", keys);
    a("slots", slots);
    if constexpr (Archive::loading) {
      a.check(keys.size() == slots.size(), "keys and slots differ in number");
      *this = {};
      for (std::size_t i = 0; i < keys.size(); ++i) {
        a.check(!contains(keys[i]), "a key twice");
        insert(keys[i], slots[i]);
      }
    }
  }

 private:
  struct string_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
      return static_cast<std::size_t>(XXH3_64bits(s.data(), s.size()));
    }
  };
  std::vector<std::pair<std::string, std::uint32_t>> small_;
  std::vector<riptide::detail::text_key> small_keys_;  // of small_'s keys, scanned by find()
  std::unordered_map<std::string, std::uint32_t, string_hash, std::equal_to<>> large_;
};

}  // namespace riptide::features
