// riptide/clean/detail/memo.hpp: the chain's memo tables (clean/chain.hpp uses them; include that
// one): what the fused per-value operators made of a column's text (value_memo), and what a later
// per-value operator made of an identified value (identity_memo); see the chain's fusion planner.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "riptide/detail/equal_bytes.hpp"
#include "riptide/value.hpp"

namespace riptide::clean::detail {

// most `capacity` entries (a column of many distinct texts stops being remembered).
class value_memo {
 public:
  static constexpr std::size_t capacity = 32;
  static constexpr std::size_t max_repairs = 4;
  // What a hit reads comes first (the flags, then the result); the key is in keys_ (a lookup
  // compares keys without touching entries), the text only for long texts.
  struct entry {
    bool unchanged = false;  // result is the input text itself
    bool rejects = false;
    std::uint8_t repairs = 0;
    std::uint32_t identity = 0;  // of the result (value::identity; when unchanged, of the text)
    value result;                // owned
    std::array<std::pair<std::size_t, std::string_view>, max_repairs> repair{};
    std::string text;  // the input text (compared in full past text_key::exact_up_to bytes)
  };

  value_memo() { clear(); }
  void clear() {
    entries_.clear();
    entries_.reserve(capacity);  // never reallocates: results are borrowed by rows
    index_.fill(empty);
    lookups_ = misses_ = 0;
    off_ = false;
    identities_ = 0;
  }
  bool off() const noexcept { return off_; }
  bool full() const noexcept { return entries_.size() == capacity; }

  const entry* find(std::string_view t) noexcept {
    const auto k = riptide::detail::text_key::of(t);
    ++lookups_;
    for (std::size_t i = slot_of(k);; i = (i + 1) & (slots - 1)) {
      const auto e = index_[i];
      if (e == empty) break;
      if (keys_[e] == k && (k.size <= riptide::detail::text_key::exact_up_to ||
                            riptide::detail::same_text(t, entries_[e].text)))
        return &entries_[e];
    }
    // A column whose texts are mostly new (ids, amounts) is not worth looking up.
    if (full() && ++misses_ * 4 > lookups_ && lookups_ >= 1024) off_ = true;
    return nullptr;
  }
  entry* insert(std::string_view t, identity_source& ids) {
    const auto k = riptide::detail::text_key::of(t);
    std::size_t i = slot_of(k);
    while (index_[i] != empty) i = (i + 1) & (slots - 1);
    index_[i] = static_cast<std::uint8_t>(entries_.size());
    // Entry j's identity is the j-th of a block taken at the first insert: the identities of one
    // memo differ in their low 5 bits (a consumer may index a 32-entry table with them).
    if (identities_ == 0) identities_ = ids.take(static_cast<std::uint32_t>(capacity));
    auto& e = entries_.emplace_back();
    e.identity = identities_ == 0 ? 0 : identities_ + static_cast<std::uint32_t>(index_[i]);
    keys_[index_[i]] = k;
    e.text.assign(t);
    return &e;
  }

 private:
  static constexpr std::size_t slots = 2 * capacity;
  static constexpr std::uint8_t empty = 0xFF;
  static std::size_t slot_of(const riptide::detail::text_key& k) noexcept {
    const std::uint64_t h =
        (k.head * 0x9E3779B97F4A7C15u) ^ (k.tail * 0xC2B2AE3D27D4EB4Fu) ^ k.size;
    return static_cast<std::size_t>((h * 0x165667B19E3779F9u) >> 58);  // 6 bits: slots == 64
  }
  std::vector<entry> entries_;
  std::array<riptide::detail::text_key, capacity> keys_{};  // of entries_[i]
  std::array<std::uint8_t, slots> index_{};
  std::uint64_t lookups_ = 0, misses_ = 0;
  bool off_ = false;
  std::uint32_t identities_ = 0;  // the first of this memo's block of value identities, 0: none yet
};

// What one per-value operator after the fused ones made of one column's identified values
// (value::identity: equal identities, equal values): the value (unchanged, or a result with an
// identity of its own) and the repairs. A small open-addressing table keyed by the identity, of at
// most `capacity` entries, each filled once and never replaced while the chain stays bound (rows
// of the record may borrow its result).
class identity_memo {
 public:
  static constexpr std::size_t capacity = 32;
  static constexpr std::size_t max_repairs = 4;
  struct entry {
    std::uint32_t identity = 0;  // of the values it answers for
    bool changed = false;        // else the value stays as it is, its identity too
    std::uint8_t repairs = 0;
    std::array<std::string_view, max_repairs> repair{};
    value result;  // owned, when changed
  };

  identity_memo() { index_.fill(empty); }
  bool full() const noexcept { return entries_.size() == capacity; }
  const entry* find(std::uint32_t identity) const noexcept {
    for (std::size_t i = slot_of(identity);; i = (i + 1) & (slots - 1)) {
      const auto e = index_[i];
      if (e == empty) return nullptr;
      if (entries_[e].identity == identity) return &entries_[e];
    }
  }
  /// A new entry for `identity` (not found; the memo not full).
  entry& insert(std::uint32_t identity) {
    // on first use (most columns never need one); never reallocates: results are borrowed
    if (entries_.capacity() == 0) entries_.reserve(capacity);
    std::size_t i = slot_of(identity);
    while (index_[i] != empty) i = (i + 1) & (slots - 1);
    index_[i] = static_cast<std::uint8_t>(entries_.size());
    auto& e = entries_.emplace_back();
    e.identity = identity;
    return e;
  }

 private:
  static constexpr std::size_t slots = 2 * capacity;
  static constexpr std::uint8_t empty = 0xFF;
  static std::size_t slot_of(std::uint32_t identity) noexcept {
    return (identity * 0x9E3779B1u) >> 26;  // 6 bits: slots == 64
  }
  std::vector<entry> entries_;
  std::array<std::uint8_t, slots> index_{};
};

}  // namespace riptide::clean::detail
