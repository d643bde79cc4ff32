// riptide/clean/dedup.hpp: de-duplication by key or whole record, in a bounded window.
//
// Hashes the record's values in `key` (default {"*"}: every live column, i.e. the whole cleansed
// record) with XXH3-64 and drops the record as a duplicate when the same hash was seen among the
// last `window` distinct records kept; the reason names the line of the first occurrence. Memory
// is bounded and allocated once: a ring of the window's records (hash and line, 16 bytes each) and
// an open-addressing table of 2^k >= 2 * window slots of 8 bytes. A slot holds the hash with its
// low bits replaced by the record's ring position (its home is the hash's top k bits, which stay):
// a slot whose kept bits match is confirmed against the full hash in the ring, so a match is
// exact. Beside the table, a byte per slot holds 8 bits of the hash (0: empty): a lookup probes
// these bytes (256 KiB for the default window: they stay in the core's cache, where the table is
// a trip to memory) and reads a slot only when its byte matches (about 1 in 255 of the occupied
// ones probed, besides real duplicates). A kept record's insert is deferred to the next kept
// record, and the slot of the next record to leave the window is prefetched one record ahead, so
// that neither waits on the table (the deferred hash is compared directly). Values hash
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
#include <cstring>
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
  std::vector<std::uint8_t> bytes_{};  // per slot: byte_of(hash) (never 0), or 0 when empty
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
  pending_entry pending_{0, 0};  // the last record kept, not yet in the table

  void bind(binder& b) {
    cols_ = b.columns(key);
    if (window == 0) window = 1;
    if (window > (std::size_t{1} << 31))
      throw std::invalid_argument("dedup: window must be at most 2^31 records");
    std::size_t cap = 16;
    unsigned k = 4;
    while (cap < 2 * window) cap <<= 1, ++k;
    if (slots_.size() != cap || ring_.size() != window) {
      slots_.assign(cap, 0);
      bytes_.assign(cap, 0);
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
    for (std::size_t i = h >> shift_; bytes_[i] != 0; i = (i + 1) & mask_) {
      if (bytes_[i] != byte || (slots_[i] & ~pos_mask_) != tag) continue;
      const auto& e = ring_[(slots_[i] & pos_mask_) - 1];
      if (e.hash == h) return w.duplicate(e.line);
    }
    // Kept: the previous kept record enters the table (its slot was prefetched), the oldest
    // leaves when the window is full (its slot prefetched too), and this one waits.
    if (pending_.hash != 0) {
      std::size_t i = pending_.hash >> shift_;
      while (bytes_[i] != 0) i = (i + 1) & mask_;
      slots_[i] = (pending_.hash & ~pos_mask_) | (pending_.pos + 1);
      bytes_[i] = byte_of(pending_.hash);
    }
    if (ring_size_ == window) {
      erase(ring_next_);
    } else {
      ++ring_size_;
    }
    ring_[ring_next_] = {h, w.record ? w.record->where.line : 0};
    pending_ = {h, ring_next_};
    ring_next_ = ring_next_ + 1 == window ? 0 : ring_next_ + 1;
    __builtin_prefetch(&slots_[h >> shift_], 1);
    if (ring_size_ == window) {
      const std::size_t leaving = ring_[ring_next_].hash >> shift_;
      __builtin_prefetch(&slots_[leaving], 1);
      __builtin_prefetch(&bytes_[leaving], 1);
    }
    return true;
  }

 private:
  // XXH3 of the key's values (never 0: 0 marks an empty slot).
  std::uint64_t hash_key(work& w) const {
    // The key's values as bytes (type tag, then the payload; texts with their length as a
    // varint: short keys stay short for XXH3), written into the reused scratch buffer in one
    // pass after sizing it.
    std::size_t n = 0;
    for (const auto i : cols_) n += 1 + payload_size(w.values[i]);
    auto& buf = w.scratch;
    if (buf.size() < n) buf.resize(n);
    char* p = buf.data();
    for (const auto i : cols_) {
      const auto& v = w.values[i];
      *p++ = static_cast<char>(v.type());
      switch (v.type()) {
        case value::kind::null:
          break;
        case value::kind::boolean:
          *p++ = v.as_bool() ? '1' : '0';
          break;
        case value::kind::integer:
          p = put(p, v.as_int());
          break;
        case value::kind::real:
          p = put(p, v.as_real() == 0.0 ? 0.0 : v.as_real());
          break;
        case value::kind::text: {
          const auto t = v.as_text();
          for (std::size_t len = t.size();; len >>= 7) {  // the length as a varint
            *p++ = static_cast<char>((len & 0x7F) | (len > 0x7F ? 0x80 : 0));
            if (len <= 0x7F) break;
          }
          p = copy(p, t.data(), t.size());
          break;
        }
      }
    }
    const std::uint64_t h = XXH3_64bits(buf.data(), static_cast<std::size_t>(p - buf.data()));
    return h == 0 ? 1 : h;
  }
  static std::size_t payload_size(const value& v) noexcept {
    switch (v.type()) {
      case value::kind::null:
        return 0;
      case value::kind::boolean:
        return 1;
      case value::kind::integer:
      case value::kind::real:
        return 8;
      case value::kind::text:
        return 10 + v.as_text().size();  // at most 10 varint bytes for the length
    }
    return 0;
  }
  // memcpy with fixed sizes only (compiled to plain moves; a call per short text costs more
  // than the copy).
  static char* copy(char* p, const char* from, std::size_t n) noexcept {
    if (n >= 8) {
      std::size_t i = 0;
      for (; i + 8 <= n; i += 8) std::memcpy(p + i, from + i, 8);
      std::memcpy(p + n - 8, from + n - 8, 8);
    } else if (n >= 4) {
      std::memcpy(p, from, 4);
      std::memcpy(p + n - 4, from + n - 4, 4);
    } else if (n > 0) {
      p[0] = from[0];
      p[n / 2] = from[n / 2];
      p[n - 1] = from[n - 1];
    }
    return p + n;
  }
  template <class T>
  static char* put(char* p, T x) noexcept {
    std::memcpy(p, &x, sizeof(T));
    return p + sizeof(T);
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
  }
  // 8 low bits of the hash (the home is its top bits), never 0.
  static std::uint8_t byte_of(std::uint64_t h) noexcept {
    const auto b = static_cast<std::uint8_t>(h);
    return static_cast<std::uint8_t>(b + (b == 0));
  }
};

}  // namespace riptide::clean
