// riptide/detail/equal_bytes.hpp: equality of short byte strings without a call to memcmp.
//
// The hot loops compare field texts with short constants (categories, tokens, allowed values):
// a few bytes, a different length on every call. std::string_view's operator== calls memcmp for
// them (the length is not a constant), which costs more than the comparison. equal_bytes compares
// with at most two overlapping loads per 8 bytes (fixed-size memcpy compiles to plain moves) and
// reads only the bytes of the two strings. text_key summarises a short text in two words, for
// small tables that are scanned on every record.
//
// Example:
//   if (!riptide::detail::same_text("Fiber optic", "Fiber optic")) std::abort();
//   if (riptide::detail::same_text("Yes", "Yea") || riptide::detail::same_text("No", "No "))
//     std::abort();
//   using riptide::detail::text_key;
//   if (!(text_key::of("Month-to-month") == text_key::of(std::string("Month-to-month"))) ||
//       text_key::of("One year") == text_key::of("Two year") ||
//       !(text_key::of("N/A").ascii_lowered() == text_key::of("n/a")))
//     std::abort();
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace riptide::detail {

[[gnu::always_inline]] inline bool equal_bytes(const char* a, const char* b,
                                               std::size_t n) noexcept {
  if (n >= 8) {
    std::uint64_t x = 0, y = 0;
    for (std::size_t i = 0; i + 8 < n; i += 8) {
      std::memcpy(&x, a + i, 8);
      std::memcpy(&y, b + i, 8);
      if (x != y) return false;
    }
    std::memcpy(&x, a + n - 8, 8);
    std::memcpy(&y, b + n - 8, 8);
    return x == y;
  }
  if (n >= 4) {
    std::uint32_t x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    std::memcpy(&x0, a, 4);
    std::memcpy(&y0, b, 4);
    std::memcpy(&x1, a + n - 4, 4);
    std::memcpy(&y1, b + n - 4, 4);
    return ((x0 ^ y0) | (x1 ^ y1)) == 0;
  }
  if (n == 0) return true;
  // 1 to 3 bytes: the first, middle and last cover them all
  return a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1];
}

/// a == b, byte for byte.
[[gnu::always_inline]] inline bool same_text(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && equal_bytes(a.data(), b.data(), a.size());
}

/// A fixed-size summary of a text: its length and two words of its bytes (overlapping loads). For
/// texts of at most 16 bytes it determines the text (equal keys <=> equal texts); longer texts
/// need a full comparison after a key match. Small lookup tables compare keys: no pointer to
/// follow, no call.
struct text_key {
  std::uint64_t head = 0, tail = 0;
  std::size_t size = 0;

  static constexpr std::size_t exact_up_to = 16;

  [[gnu::always_inline]] static text_key of(std::string_view s) noexcept {
    text_key k;
    const char* p = s.data();
    const std::size_t n = k.size = s.size();
    if (n >= 8) {
      std::memcpy(&k.head, p, 8);
      std::memcpy(&k.tail, p + n - 8, 8);
    } else if (n >= 4) {
      std::uint32_t x = 0, y = 0;
      std::memcpy(&x, p, 4);
      std::memcpy(&y, p + n - 4, 4);
      k.head = x;
      k.tail = y;
    } else if (n > 0) {
      k.head = static_cast<unsigned char>(p[0]) |
               std::uint64_t{static_cast<unsigned char>(p[n / 2])} << 8 |
               std::uint64_t{static_cast<unsigned char>(p[n - 1])} << 16;
    }
    return k;
  }
  /// The key of the text with its ASCII letters lower-cased (other bytes as they are): the key
  /// words hold the text's bytes, so each byte is mapped in place (SWAR, no loop over the text).
  text_key ascii_lowered() const noexcept {
    const auto lower = [](std::uint64_t x) {
      constexpr std::uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
      const std::uint64_t seven = x & ~high;  // each byte's low 7 bits: no carries across bytes
      const std::uint64_t at_least_a = seven + (0x80 - 'A') * ones;   // high bit: >= 'A'
      const std::uint64_t above_z = seven + (0x80 - 'Z' - 1) * ones;  // high bit: > 'Z'
      const std::uint64_t upper = at_least_a & ~above_z & ~x & high;  // ASCII 'A'..'Z'
      return x | (upper >> 2);                                        // + 0x20
    };
    text_key k = *this;
    k.head = lower(head);
    k.tail = lower(tail);
    return k;
  }
  friend bool operator==(const text_key& a, const text_key& b) noexcept {
    return ((a.head ^ b.head) | (a.tail ^ b.tail) | (a.size ^ b.size)) == 0;
  }
};

}  // namespace riptide::detail
