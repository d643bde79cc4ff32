// riptide/clean/text.hpp: the text primitives cleansing is made of: Unicode-aware trimming of
// spaces and invisible characters, case mapping (ASCII, Latin-1, Latin Extended-A, Greek,
// Cyrillic; see lower_code_point), snake_case and the column-name key used to
// match header spellings ("Customer ID", "customer_id" and "customerID" are the same column).
//
// All functions work on UTF-8 bytes and never fail: bytes that are not valid UTF-8 are kept as they
// are (the readers have already quarantined records that are not UTF-8).
//
// Spaces recognised (Unicode White_Space): ASCII \t \n \v \f \r and space, U+0085, U+00A0 (NBSP),
// U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000.
// Invisible (format) characters: U+200B zero-width space, U+200C/U+200D zero-width (non-)joiner,
// U+2060 word joiner, U+FEFF byte-order mark / zero-width no-break space, U+00AD soft hyphen.
//
// Example:
//   std::string out;
//   riptide::clean::text::clean_spaces("\xC2\xA0 Yes\xE2\x80\x8B ", out, true);
//   if (out != "Yes") std::abort();
//   if (riptide::clean::text::snake_case("StreamingTV") != "streaming_tv") std::abort();
//   if (riptide::clean::text::column_key("Customer ID") != "customerid") std::abort();
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace riptide::clean::text {

enum class char_class : std::uint8_t { other, space, invisible };

/// Classifies the (possibly multi-byte) character starting at s[i]; `len` receives its byte length.
inline char_class classify(std::string_view s, std::size_t i, std::size_t& len) noexcept {
  const auto b0 = static_cast<unsigned char>(s[i]);
  len = 1;
  if (b0 < 0x80) {
    return (b0 == ' ' || (b0 >= '\t' && b0 <= '\r')) ? char_class::space : char_class::other;
  }
  const auto at = [&](std::size_t k) -> unsigned {
    return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0xFFu;  // 0xFF: never in UTF-8
  };
  if (b0 == 0xC2) {
    const auto b1 = at(1);
    if (b1 == 0x85 || b1 == 0xA0) return len = 2, char_class::space;
    if (b1 == 0xAD) return len = 2, char_class::invisible;
    return char_class::other;
  }
  if (b0 == 0xE1 && at(1) == 0x9A && at(2) == 0x80) return len = 3, char_class::space;
  if (b0 == 0xE2) {
    const auto b1 = at(1), b2 = at(2);
    if (b1 == 0x80) {
      if ((b2 >= 0x80 && b2 <= 0x8A) || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF)
        return len = 3, char_class::space;
      if (b2 >= 0x8B && b2 <= 0x8D) return len = 3, char_class::invisible;
    } else if (b1 == 0x81) {
      if (b2 == 0x9F) return len = 3, char_class::space;
      if (b2 == 0xA0) return len = 3, char_class::invisible;
    }
    return char_class::other;
  }
  if (b0 == 0xE3 && at(1) == 0x80 && at(2) == 0x80) return len = 3, char_class::space;
  if (b0 == 0xEF && at(1) == 0xBB && at(2) == 0xBF) return len = 3, char_class::invisible;
  return char_class::other;
}

/// Byte length of the UTF-8 sequence led by `b` (1 for stray continuation bytes).
inline std::size_t sequence_length(unsigned char b) noexcept {
  if (b < 0xC0) return 1;
  if (b < 0xE0) return 2;
  if (b < 0xF0) return 3;
  return 4;
}

/// True for an ASCII byte that is neither a space nor a control character ('!'..'~'): such a byte
/// is a whole character of class `other`.
inline bool is_ascii_graphic(char c) noexcept {
  return static_cast<unsigned char>(c) - 0x21u < 0x5Eu;
}

/// trim() by a full character scan (any UTF-8 text).
[[gnu::noinline]] inline std::string_view trim_utf8(std::string_view s) noexcept {
  std::size_t begin = 0, len = 0;
  while (begin < s.size() && classify(s, begin, len) != char_class::other) begin += len;
  std::size_t end = begin;  // one past the last "other" character seen
  for (std::size_t i = begin; i < s.size();) {
    const auto c = classify(s, i, len);
    if (c == char_class::other) {
      len = std::max(len, sequence_length(static_cast<unsigned char>(s[i])));
      end = std::min(s.size(), i + len);
    }
    i += len;
  }
  return s.substr(begin, end - begin);
}

/// `s` without leading and trailing spaces and invisible characters (a view into `s`).
inline std::string_view trim(std::string_view s) noexcept {
  // Fast path: a printable ASCII byte at both ends (nearly every field) needs no trimming.
  if (s.empty() || (is_ascii_graphic(s.front()) && is_ascii_graphic(s.back()))) return s;
  return trim_utf8(s);
}

/// needs_inner_cleaning by a full character scan (any UTF-8 text).
[[gnu::noinline]] inline bool needs_inner_cleaning_utf8(std::string_view s,
                                                        bool collapse) noexcept {
  std::size_t len = 0;
  bool prev_space = false;
  for (std::size_t i = 0; i < s.size(); i += len) {
    const auto c = classify(s, i, len);
    if (c == char_class::invisible) return true;
    if (c == char_class::space) {
      if (collapse && (prev_space || s[i] != ' ')) return true;
      prev_space = true;
    } else {
      prev_space = false;
    }
  }
  return false;
}

/// True when `s` holds a space or invisible character that clean_spaces would change inside it
/// (an invisible character anywhere, or, with `collapse`, a run of spaces that is not one ' ').
inline bool needs_inner_cleaning(std::string_view s, bool collapse) noexcept {
  // Fast path, eight bytes at a time (SWAR): ASCII text without control characters and, with
  // `collapse`, without two spaces in a row needs nothing. Anything else (non-ASCII, a tab or
  // line end, two spaces, ...) gets the exact answer from the full scan. Flags sit in each byte's
  // high bit.
  constexpr std::uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
  std::uint64_t non_ascii = 0, suspect = 0, spaces = 0;
  const auto check = [&](std::uint64_t x) {
    non_ascii |= x & high;
    // No borrows cross bytes: every byte is >= 0x80 before the subtraction.
    const std::uint64_t controls = ~((x | high) - 0x20 * ones) & high;  // bytes < 0x20
    spaces = ~(((x ^ (0x20 * ones)) | high) - ones) & high;             // bytes == ' '
    return controls | (spaces & (spaces >> 8));  // ... or a space followed by a space
  };
  const auto load = [](const char* p, std::size_t n) {  // n in 1..8 bytes, little-endian order
    std::uint64_t x = 0;
    std::memcpy(&x, p, n);
    return x;
  };
  const std::size_t n = s.size();
  const char* p = s.data();
  if (n >= 8) {
    std::uint64_t carry = 0;  // the previous word ended with a space
    for (std::size_t i = 0; i + 8 <= n; i += 8) {
      suspect |= check(load(p + i, 8));
      suspect |= carry & spaces;
      carry = (spaces >> 56) & 0x80u;
    }
    suspect |= check(load(p + n - 8, 8));  // the tail, overlapping the last whole word
  } else if (n >= 4) {
    // Two overlapping halves: every adjacent pair of bytes lies inside one of them; the pair at
    // the seam (bytes 3 and 4 of the word) is not adjacent in `s` and is not counted.
    const std::uint64_t word = load(p, 4) | (load(p + n - 4, 4) << 32);
    suspect |= check(word) & ~(std::uint64_t{0x80} << 24);
  } else if (n > 0) {
    // 1 to 3 bytes gathered without a variable-length memcpy (a call, then a stalled reload)
    const auto byte = [p](std::size_t i) {
      return std::uint64_t{static_cast<unsigned char>(p[i])};
    };
    const std::uint64_t word =
        byte(0) | byte(n / 2) << (8 * (n / 2)) | byte(n - 1) << (8 * (n - 1));
    suspect |= check(word | ((~std::uint64_t{0} << (8 * n)) & 0x4141414141414141u));
  }
  if (non_ascii == 0 && (suspect == 0 || !collapse)) return false;
  return needs_inner_cleaning_utf8(s, collapse);
}

/// Writes `s` trimmed into `out`, with every invisible character removed and, if `collapse`, every
/// inner run of spaces (tabs, line ends, NBSP, ...) replaced by one ASCII space.
inline void clean_spaces(std::string_view s, std::string& out, bool collapse) {
  s = trim(s);
  out.clear();
  std::size_t len = 0;
  bool pending_space = false;
  for (std::size_t i = 0; i < s.size(); i += len) {
    const auto c = classify(s, i, len);
    if (c == char_class::invisible) continue;
    if (c == char_class::space && collapse) {
      pending_space = true;
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.append(s.substr(i, len));
  }
}

inline char to_lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}
inline char to_upper(char c) noexcept {
  return (c >= 'a' && c <= 'z') ? char(c - 'a' + 'A') : c;
}

/// ASCII case-insensitive equality (other bytes compare exactly).
inline bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (to_lower(a[i]) != to_lower(b[i])) return false;
  return true;
}

/// Simple (one-to-one) case mapping of the letters of the common alphabets written with one- and
/// two-byte UTF-8: ASCII, Latin-1 Supplement (À..Þ <-> à..þ, Ÿ <-> ÿ), Latin Extended-A
/// (Ā..ž pairs: Polish, Czech, Hungarian, Turkish, Baltic, ...), Greek (Α..Ω <-> α..ω, final ς
/// upper-cases to Σ) and Cyrillic (А..Я <-> а..я, Ѐ..Џ <-> ѐ..џ). Other characters, and mappings
/// that change length (ß -> SS) or depend on the locale (Turkish dotless i), are left as they are.
inline char32_t lower_code_point(char32_t c) noexcept {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
  if ((c >= 0x100 && c <= 0x137 && c != 0x130) || (c >= 0x14A && c <= 0x177))
    return c | 1;  // even upper (not İ: Turkish, locale-dependent)
  if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return c + (c & 1);  // odd upper
  if (c == 0x178) return 0xFF;
  if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) return c + 32;
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  if (c >= 0x410 && c <= 0x42F) return c + 32;
  return c;
}
inline char32_t upper_code_point(char32_t c) noexcept {
  if (c < 0x80) return (c >= 'a' && c <= 'z') ? c - 32 : c;
  if (c >= 0xE0 && c <= 0xFE && c != 0xF7) return c - 32;
  if (c == 0xFF) return 0x178;
  if ((c >= 0x101 && c <= 0x137 && c != 0x131) || (c >= 0x14B && c <= 0x177))
    return c & ~char32_t{1};  // odd lower (not the dotless ı)
  if ((c >= 0x13A && c <= 0x148) || (c >= 0x17A && c <= 0x17E)) return c - !(c & 1);
  if (c == 0x3C2) return 0x3A3;  // final sigma
  if (c >= 0x3B1 && c <= 0x3C9) return c - 32;
  if (c >= 0x430 && c <= 0x44F) return c - 32;
  if (c >= 0x450 && c <= 0x45F) return c - 80;
  return c;
}

/// Writes `s` with its letters lower-cased (`upper`: upper-cased) into `out` (see
/// lower_code_point for which letters); returns whether anything changed. Bytes that are not
/// valid UTF-8 are copied as they are.
inline bool map_case(std::string_view s, std::string& out, bool upper) {
  out.clear();
  bool changed = false;
  for (std::size_t i = 0; i < s.size();) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
      const char c = upper ? to_upper(s[i]) : to_lower(s[i]);
      changed |= c != s[i];
      out.push_back(c);
      ++i;
      continue;
    }
    const auto b1 = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0u;
    if (b0 >= 0xC2 && b0 <= 0xDF && (b1 & 0xC0) == 0x80) {  // a two-byte character
      const char32_t c = (char32_t{b0} & 0x1F) << 6 | (b1 & 0x3F);
      const char32_t m = upper ? upper_code_point(c) : lower_code_point(c);
      changed |= m != c;
      out.push_back(static_cast<char>(0xC0 | (m >> 6)));  // every mapping stays two bytes long
      out.push_back(static_cast<char>(0x80 | (m & 0x3F)));
      i += 2;
      continue;
    }
    out.push_back(s[i]);
    ++i;
  }
  return changed;
}

/// Lower-cased copy (the letters map_case knows; other characters unchanged).
inline std::string lower(std::string_view s) {
  std::string out;
  map_case(s, out, false);
  return out;
}

/// Equality after trimming, collapsing inner spaces and ASCII case folding: how allowed-set checks
/// recognise a misspelt category ("  month-TO-month" is "Month-to-month").
inline bool loose_equals(std::string_view a, std::string_view b) {
  std::string x, y;
  clean_spaces(a, x, true);
  clean_spaces(b, y, true);
  return iequals(x, y);
}

inline bool is_alnum(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
inline bool is_upper(char c) noexcept {
  return c >= 'A' && c <= 'Z';
}
inline bool is_lower_or_digit(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/// snake_case of a column name: "customerID" -> "customer_id", "StreamingTV" -> "streaming_tv",
/// "HTTPServer" -> "http_server", "Monthly Charges ($)" -> "monthly_charges". Non-ASCII bytes
/// other than spaces and invisible characters are kept.
inline std::string snake_case(std::string_view name) {
  const auto s = trim(name);
  std::string out;
  out.reserve(s.size() + 4);
  const auto separator = [&out] {
    if (!out.empty() && out.back() != '_') out.push_back('_');
  };
  std::size_t len = 0;
  for (std::size_t i = 0; i < s.size(); i += len) {
    const auto c = classify(s, i, len);
    if (c == char_class::invisible) continue;
    if (c == char_class::space) {
      separator();
      continue;
    }
    const char ch = s[i];
    if (static_cast<unsigned char>(ch) >= 0x80) {
      len = std::min(s.size() - i, sequence_length(static_cast<unsigned char>(ch)));
      out.append(s.substr(i, len));
      continue;
    }
    if (!is_alnum(ch)) {
      separator();
      continue;
    }
    if (is_upper(ch) && i > 0) {
      const char prev = s[i - 1];
      const bool next_lower = i + 1 < s.size() && s[i + 1] >= 'a' && s[i + 1] <= 'z';
      if (is_lower_or_digit(prev) || (is_upper(prev) && next_lower)) separator();
    }
    out.push_back(to_lower(ch));
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

/// The key under which column names match when their spelling differs: ASCII letters lower-cased,
/// digits and non-ASCII characters kept, everything else (spaces, punctuation, '_', invisible
/// characters) dropped. "Customer ID", "customer_id", "CUSTOMERID" -> "customerid".
inline std::string column_key(std::string_view name) {
  std::string out;
  std::size_t len = 0;
  for (std::size_t i = 0; i < name.size(); i += len) {
    const auto c = classify(name, i, len);
    if (c != char_class::other) continue;
    const char ch = name[i];
    if (static_cast<unsigned char>(ch) >= 0x80) {
      len = std::min(name.size() - i, sequence_length(static_cast<unsigned char>(ch)));
      out.append(name.substr(i, len));
    } else if (is_alnum(ch)) {
      out.push_back(to_lower(ch));
    }
  }
  return out;
}

/// At most `max` bytes of `s` for messages, cut at a character boundary, with "..." when cut.
inline void excerpt(std::string_view s, std::string& out, std::size_t max = 48) {
  if (s.size() <= max) {
    out.append(s);
    return;
  }
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  out.append(s.substr(0, cut));
  out.append("...");
}

}  // namespace riptide::clean::text
