// riptide/clean/dedup.hpp: de-duplication by key or whole record, in a bounded window.
//
// Hashes the record's values in `key` (default {"*"}: every live column, i.e. the whole cleansed
// record) with XXH3-64 (of the values' own XXH3 hashes: no record is serialised, and a value the
// chain recognised, value::identity, has its hash remembered) and drops the record as a duplicate
// when the same hash was seen among the last `window` distinct records kept; the reason names the
// line of the first occurrence. Memory
// is bounded and allocated once: a ring of the window's records (hash and line, 16 bytes each) and
// an open-addressing table of 2^k >= 2 * window slots of 8 bytes. A slot holds the hash with its
// low bits replaced by the record's ring position (its home is the hash's top k bits, which stay):
// a slot whose kept bits match is confirmed against the full hash in the ring, so a match is
// exact. Beside the table, a byte per slot holds 8 bits of the hash (0: empty): a lookup probes
// these bytes (256 KiB for the default window: they stay in the core's cache, where the table is
// a trip to memory) and reads a slot only when its byte matches (about 1 in 255 of the occupied
// ones probed, besides real duplicates); a bit per slot (32 KiB) tells an empty home slot, the
// lookup of most new records, without reading the bytes. A kept record's insert is deferred to the
// next kept record, and the slot of the next record to leave the window is prefetched one record
// ahead, so that neither waits on the table (the deferred hash is compared directly). Values hash
// by type and content (12 and 12.0 differ; -0.0 is 0.0). Two different records collide with
// probability about window / 2^64 per record. Run it after the casts and canonicalisations, so that
// records differing only in mess are found.
//
// Parameters:
//   key     {"*"}
//   window  100000
//
// Example:
//   riptide::clean::dedup d{.key = {"id"}, .window = 10};
//   riptide::io::schema s({"id"});
//   riptide::clean::binder b(s, {});
//   d.bind(b);
//   riptide::clean::work w;
//   w.values = {riptide::value::of_text("a")};
//   if (!d.run(w) || d.run(w)) std::abort();  // the second "a" is a duplicate
#pragma once

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <bit>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "riptide/clean/step.hpp"
#include "riptide/detail/huge_page_allocator.hpp"

namespace riptide::clean {

struct dedup {
  static constexpr std::string_view op = "dedup";
  column_list key{"*"};
  std::size_t window = 100000;

  std::vector<std::size_t> cols_{};
  // Open addressing (0: empty), on huge pages: (hash & ~pos_mask_) | (ring position + 1).
  std::vector<std::uint64_t, riptide::detail::huge_page_allocator<std::uint64_t>> slots_{};
  std::vector<std::uint8_t> bytes_{};      // per slot: byte_of(hash) (never 0), or 0 when empty
  std::vector<std::uint64_t> occupied_{};  // per slot a bit: bytes_[i] != 0
  struct entry {
    std::uint64_t hash;
    std::uint64_t line;  // of the first occurrence
  };
  std::vector<entry> ring_{};  // the window's kept records, oldest at ring_next_ when full
  std::size_t ring_next_ = 0;
  std::size_t ring_size_ = 0;
  std::size_t mask_ = 0;
  unsigned shift_ = 0;          // home(h) = h >> shift_ (the top k bits)
  std::uint64_t pos_mask_ = 0;  // low bits holding ring position + 1
  struct pending_entry {
    std::uint64_t hash;  // 0: none
    std::size_t pos;     // in the ring
  };
  pending_entry pending_{0, 0};                // the last record kept, not yet in the table
  std::vector<std::uint64_t> value_hashes_{};  // of the key's values, per record
  struct identified_hash {
    std::uint32_t identity;  // 0: none
    std::uint64_t hash;
  };
  static constexpr std::size_t identified_per_column = 32;  // a chain memo's block of identities
  std::vector<identified_hash> identified_{};  // per key column, direct-mapped by identity

  void bind(binder& b) {
    cols_ = b.columns(key);
    value_hashes_.assign(cols_.size(), 0);
    identified_.assign(cols_.size() * identified_per_column, identified_hash{0, 0});
    size_table();
  }

  /// The window's records, oldest first, and which is pending (resume snapshots only: a served
  /// chain has no dedup). A loader rebuilds the table from them.
  template <class Archive>
  void state(Archive& a) {
    if (!a.resume()) return;
    std::vector<std::uint64_t> hashes, lines;
    std::uint64_t pending = 0;  // 1 + the pending record's place among hashes, or 0
    if constexpr (!Archive::loading) {
      const std::size_t first = ring_size_ == window ? ring_next_ : 0;
      for (std::size_t k = 0; k < ring_size_; ++k) {
        const std::size_t pos = (first + k) % window;
        hashes.push_back(ring_[pos].hash);
        lines.push_back(ring_[pos].line);
        if (pending_.hash != 0 && pos == pending_.pos) pending = k + 1;
      }
    }
    a("hashes", hashes);
    a("lines", lines);
    a("pending", pending);
    if constexpr (Archive::loading) {
      a.check(hashes.size() == lines.size(), "hashes and lines differ in number");
      size_table();
      a.check(hashes.size() <= window, "more records than the window holds");
      a.check(pending <= hashes.size(), "the pending record is not in the window");
      for (const auto h : hashes) a.check(h != 0, "a record hash of 0");
      std::fill(slots_.begin(), slots_.end(), 0);
      std::fill(bytes_.begin(), bytes_.end(), 0);
      std::fill(occupied_.begin(), occupied_.end(), 0);
      ring_size_ = hashes.size();
      ring_next_ = ring_size_ == window ? 0 : ring_size_;
      pending_ = {0, 0};
      for (std::size_t k = 0; k < hashes.size(); ++k) {
        ring_[k] = {hashes[k], lines[k]};
        if (k + 1 == pending) {
          pending_ = {hashes[k], k};
        } else {
          pending_entry saved = pending_;
          pending_ = {hashes[k], k};
          insert_pending();
          pending_ = saved;
        }
      }
    }
  }

  // Allocates the table and ring for `window` (keeps them, and what they hold, when sized).
  void size_table() {
    if (window == 0) window = 1;
    if (window > (std::size_t{1} << 31))
      throw std::invalid_argument("dedup: window must be at most 2^31 records");
    std::size_t cap = 16;
    unsigned k = 4;
    while (cap < 2 * window) cap <<= 1, ++k;
    if (slots_.size() != cap || ring_.size() != window) {
      slots_.assign(cap, 0);
      bytes_.assign(cap, 0);
      occupied_.assign((cap + 63) / 64, 0);
      ring_.assign(window, entry{0, 0});
      ring_next_ = ring_size_ = 0;
      pending_ = {0, 0};
    }
    mask_ = cap - 1;
    shift_ = 64 - k;
    pos_mask_ = (std::uint64_t{1} << std::bit_width(window)) - 1;  // k + width <= 64
  }

  bool run(work& w) {
    const std::uint64_t h = hash_key(w);
    if (h == pending_.hash) return w.duplicate(ring_[pending_.pos].line);
    const std::uint64_t tag = h & ~pos_mask_;
    const std::uint8_t byte = byte_of(h);
    const std::size_t home = h >> shift_;
    // An empty home slot: not in the table (linear probing leaves no gap between a hash's home
    // and its slot), known from the occupancy bits without reading bytes_.
    if (is_occupied(home)) {
      for (std::size_t i = home; bytes_[i] != 0; i = (i + 1) & mask_) {
        if (bytes_[i] != byte || (slots_[i] & ~pos_mask_) != tag) continue;
        const auto& e = ring_[(slots_[i] & pos_mask_) - 1];
        if (e.hash == h) return w.duplicate(e.line);
      }
    }
    // Kept: the previous kept record enters the table (its slot was prefetched), the oldest
    // leaves when the window is full (its slot prefetched too), and this one waits.
    if (pending_.hash != 0) insert_pending();
    if (ring_size_ == window) {
      erase(ring_next_);
    } else {
      ++ring_size_;
    }
    ring_[ring_next_] = {h, w.record ? w.record->where.line : 0};
    pending_ = {h, ring_next_};
    ring_next_ = ring_next_ + 1 == window ? 0 : ring_next_ + 1;
    __builtin_prefetch(&slots_[home], 1);
    __builtin_prefetch(&bytes_[home], 1);
    if (ring_size_ == window) {
      const std::size_t leaving = ring_[ring_next_].hash >> shift_;
      __builtin_prefetch(&slots_[leaving], 1);
      __builtin_prefetch(&bytes_[leaving], 1);
    }
    return true;
  }

 private:
  // The record's hash (never 0: 0 marks an empty slot): XXH3 of the key's value hashes, in key
  // order. A value's hash is XXH3 of its payload seeded with its type; a value with an identity
  // (value::identity: equal identities, equal values) reuses the hash remembered for it, so that
  // categorical values the chain recognised are not read again.
  std::uint64_t hash_key(const work& w) {
    std::uint64_t* hashes = value_hashes_.data();
    for (std::size_t k = 0; k < cols_.size(); ++k) {
      const value& v = w.values[cols_[k]];
      const std::uint32_t identity = v.identity();
      if (identity == 0) {
        hashes[k] = hash_of(v);
        continue;
      }
      auto& known = identified_[k * identified_per_column + identity % identified_per_column];
      if (known.identity != identity) known = {identity, hash_of(v)};
      hashes[k] = known.hash;
    }
    const std::uint64_t h = XXH3_64bits(hashes, cols_.size() * sizeof(std::uint64_t));
    return h == 0 ? 1 : h;
  }
  static std::uint64_t hash_of(const value& v) noexcept {
    const auto seed = static_cast<std::uint64_t>(v.type());
    switch (v.type()) {
      case value::kind::null:
        return XXH3_64bits_withSeed(nullptr, 0, seed);
      case value::kind::boolean: {
        const char b = v.as_bool() ? '1' : '0';
        return XXH3_64bits_withSeed(&b, 1, seed);
      }
      case value::kind::integer: {
        const std::int64_t i = v.as_int();
        return XXH3_64bits_withSeed(&i, sizeof i, seed);
      }
      case value::kind::real: {
        const double d = v.as_real() == 0.0 ? 0.0 : v.as_real();  // -0.0 is 0.0
        return XXH3_64bits_withSeed(&d, sizeof d, seed);
      }
      case value::kind::text: {
        const auto t = v.as_text();
        return XXH3_64bits_withSeed(t.data(), t.size(), seed);
      }
    }
    return 0;
  }

  void insert_pending() noexcept {
    std::size_t i = pending_.hash >> shift_;
    while (bytes_[i] != 0) i = (i + 1) & mask_;
    slots_[i] = (pending_.hash & ~pos_mask_) | (pending_.pos + 1);
    bytes_[i] = byte_of(pending_.hash);
    occupied_[i / 64] |= std::uint64_t{1} << (i % 64);
  }

  // Removes the record at ring position `pos` from the table: linear-probing deletion with
  // backward shift (no tombstones).
  void erase(std::size_t pos) {
    std::size_t i = ring_[pos].hash >> shift_;
    while ((slots_[i] & pos_mask_) != pos + 1) {
      if (bytes_[i] == 0) return;
      i = (i + 1) & mask_;
    }
    std::size_t j = i;
    for (;;) {
      j = (j + 1) & mask_;
      if (bytes_[j] == 0) break;
      const std::size_t home = slots_[j] >> shift_;
      // Move j back to i when its home is not cyclically in (i, j].
      const bool in_between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
      if (!in_between) {
        slots_[i] = slots_[j];
        bytes_[i] = bytes_[j];
        i = j;
      }
    }
    slots_[i] = 0;
    bytes_[i] = 0;
    occupied_[i / 64] &= ~(std::uint64_t{1} << (i % 64));
  }
  bool is_occupied(std::size_t i) const noexcept { return (occupied_[i / 64] >> (i % 64)) & 1u; }
  // 8 low bits of the hash (the home is its top bits), never 0.
  static std::uint8_t byte_of(std::uint64_t h) noexcept {
    const auto b = static_cast<std::uint8_t>(h);
    return static_cast<std::uint8_t>(b + (b == 0));
  }
};

}  // namespace riptide::clean
