// riptide/clean/dedup.hpp: de-duplication by key or whole record, in a bounded window.
//
// Hashes the record's values in `key` (default {"*"}: every live column, i.e. the whole cleansed
// record) with XXH3-64 and drops the record as a duplicate when the same hash was seen among the
// last `window` distinct records kept; the reason names the line of the first occurrence. Memory
// is bounded: an open-addressing table of 2^k >= 2 * window slots plus a ring of the window's
// hashes, allocated once; the oldest entry leaves when the window is full. Values hash by type and
// content (12 and 12.0 differ; -0.0 is 0.0). Two different records collide with probability about
// window / 2^64 per record.
// Run it after the casts and canonicalisations, so that records differing only in mess are found.
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

#include <cstdint>
#include <cstring>
#include <vector>

#include "riptide/clean/step.hpp"

namespace riptide::clean {

struct dedup {
  static constexpr std::string_view op = "dedup";
  column_list key{"*"};
  std::size_t window = 100000;

  std::vector<std::size_t> cols_{};
  struct slot {
    std::uint64_t hash = 0;  // 0: empty
    std::uint64_t line = 0;
  };
  std::vector<slot> table_{};
  std::vector<std::uint64_t> ring_{};
  std::size_t ring_next_ = 0;
  std::size_t ring_size_ = 0;
  std::size_t mask_ = 0;

  void bind(binder& b) {
    cols_ = b.columns(key);
    if (window == 0) window = 1;
    std::size_t cap = 16;
    while (cap < 2 * window) cap <<= 1;
    if (table_.size() != cap) {
      table_.assign(cap, slot{});
      ring_.assign(window, 0);
      ring_next_ = ring_size_ = 0;
    }
    mask_ = cap - 1;
  }

  bool run(work& w) {
    auto& buf = w.scratch;
    buf.clear();
    for (const auto i : cols_) {
      const auto& v = w.values[i];
      buf.push_back(static_cast<char>(v.type()));
      switch (v.type()) {
        case value::kind::null:
          break;
        case value::kind::boolean:
          buf.push_back(v.as_bool() ? '1' : '0');
          break;
        case value::kind::integer:
          append_bytes(buf, v.as_int());
          break;
        case value::kind::real:
          append_bytes(buf, v.as_real() == 0.0 ? 0.0 : v.as_real());
          break;
        case value::kind::text:
          append_bytes(buf, static_cast<std::uint64_t>(v.as_text().size()));
          buf.append(v.as_text());
          break;
      }
    }
    std::uint64_t h = XXH3_64bits(buf.data(), buf.size());
    if (h == 0) h = 1;
    std::size_t i = h & mask_;
    while (table_[i].hash != 0) {
      if (table_[i].hash == h) return w.duplicate(table_[i].line);
      i = (i + 1) & mask_;
    }
    if (ring_size_ == window) {
      erase(ring_[ring_next_]);  // may shift entries: find the free slot again
      for (i = h & mask_; table_[i].hash != 0;) i = (i + 1) & mask_;
    } else {
      ++ring_size_;
    }
    ring_[ring_next_] = h;
    ring_next_ = (ring_next_ + 1) % window;
    table_[i] = {h, w.record ? w.record->where.line : 0};
    return true;
  }

 private:
  template <class T>
  static void append_bytes(std::string& buf, T x) {
    char bytes[sizeof(T)];
    std::memcpy(bytes, &x, sizeof(T));
    buf.append(bytes, sizeof(T));
  }

  // Linear-probing deletion with backward shift (no tombstones).
  void erase(std::uint64_t h) {
    std::size_t i = h & mask_;
    while (table_[i].hash != h) {
      if (table_[i].hash == 0) return;
      i = (i + 1) & mask_;
    }
    std::size_t j = i;
    for (;;) {
      j = (j + 1) & mask_;
      if (table_[j].hash == 0) break;
      const std::size_t home = table_[j].hash & mask_;
      // Move j back to i when its home is not cyclically in (i, j].
      const bool in_between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
      if (!in_between) {
        table_[i] = table_[j];
        i = j;
      }
    }
    table_[i] = slot{};
  }
};

}  // namespace riptide::clean
