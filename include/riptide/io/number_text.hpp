// riptide/io/number_text.hpp: the text of a number as std::to_chars writes it (the shortest text
// that reads back as the same value), with fast paths for the numbers records hold: integers
// below 10^4 and short decimals (prices, rates). Used for the text of typed JSON numbers, which
// the JSON Lines reader keeps as values (io::field's payload) and writes as text only on demand
// (io::text_of in record.hpp).
#pragma once

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace riptide::io::detail {

/// Two-digit ASCII pairs "00" .. "99", for writing numbers two digits at a time.
inline constexpr char digit_pairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/// The digit pair of v (< 100) as a 16-bit word: its first character in the low byte.
inline std::uint32_t digit_pair(std::uint32_t v) noexcept {
  std::uint16_t pair;
  std::memcpy(&pair, digit_pairs + 2 * v, 2);
  return pair;
}

/// Writes u (< 10000) in decimal at buf (which has 4 bytes of room); returns the digit count. No
/// branch on the count: the four digits are built in one register (not in memory: reading back
/// narrower stores as one word would stall) and its leading zeros shifted out.
inline std::size_t write_digits4(std::uint32_t u, char* buf) noexcept {
  const std::size_t digits = 1 + (u >= 10) + (u >= 100) + (u >= 1000);
  if constexpr (std::endian::native == std::endian::little) {
    std::uint32_t word = digit_pair(u / 100) | digit_pair(u % 100) << 16;
    word >>= 8 * (4 - digits);  // the first character is the lowest byte
    std::memcpy(buf, &word, 4);
  } else {
    char four[4];
    std::memcpy(four, digit_pairs + 2 * (u / 100), 2);
    std::memcpy(four + 2, digit_pairs + 2 * (u % 100), 2);
    std::memcpy(buf, four + 4 - digits, digits);
  }
  return digits;
}

/// Writes '.' and the decimals of d / 10^6 (0 < d < 10^6) without trailing zeros at buf (which
/// has 8 bytes of room); returns the length (2 to 7).
inline std::size_t write_decimals6(std::uint32_t d, char* buf) noexcept {
  if constexpr (std::endian::native == std::endian::little) {
    const std::uint64_t word = std::uint64_t{'.'} | std::uint64_t{digit_pair(d / 10000)} << 8 |
                               std::uint64_t{digit_pair(d / 100 % 100)} << 24 |
                               std::uint64_t{digit_pair(d % 100)} << 40;
    std::memcpy(buf, &word, 8);
    // Bytes that are '0' become zero; the last non-zero byte ends the text (d != 0: a digit).
    const std::uint64_t nonzero = word ^ 0x0030303030303000u;
    return static_cast<std::size_t>(std::bit_width(nonzero) + 7) / 8;
  } else {
    char eight[8] = {'.', 0, 0, 0, 0, 0, 0, 0};
    std::memcpy(eight + 1, digit_pairs + 2 * (d / 10000), 2);
    std::memcpy(eight + 3, digit_pairs + 2 * (d / 100 % 100), 2);
    std::memcpy(eight + 5, digit_pairs + 2 * (d % 100), 2);
    std::size_t kept = 7;
    while (eight[kept - 1] == '0') --kept;
    std::memcpy(buf, eight, 8);
    return kept;
  }
}

/// Writes x as std::to_chars(first, last, x) does (the shortest text that reads back as x; fixed
/// or scientific, whichever is shorter, fixed on a tie) into buf (>= 32 bytes); returns the
/// length. Numbers with a short decimal form (prices, rates, measurements: at most 6 decimals and
/// 15 digits) take a fast path. With J the most decimals (<= 6) keeping x * 10^J below 2^50, if
/// x is the double nearest to m / 10^j for some j <= J, then x * 10^J rounds to exactly
/// M = m * 10^(J - j) (the product's error is below 1/4). So one division checks the candidate
/// M / 10^J (IEEE division is correctly rounded, as reading the decimal text is), and M's
/// trailing zeros give the fewest decimals. It is printed in fixed notation when that is not
/// longer than the scientific one. Anything else goes to to_chars.
inline std::size_t format_double(double x, char* buf) noexcept {
  static constexpr double pow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6};
  constexpr double two_to_50 = 1125899906842624.0;
  const double a = x < 0 ? -x : x;
  if (a >= 1e-3 && a * 1e6 < two_to_50) {
    // The common case: J = 6 and a fractional part, which is always printed fixed (with an
    // integral part, scientific is longer by at least 3; below 1 and from 1e-3 up, fixed is
    // never longer). Integral part, point, six decimals with the trailing zeros cut; without a
    // branch on how many digits there are (they vary from one value to the next).
    const auto big = static_cast<std::uint64_t>(a * 1e6 + 0.5);
    const std::uint64_t decimals = big % 1000000;
    if (decimals != 0 && static_cast<double>(big) / 1e6 == a) {
      std::size_t n = x < 0 ? 1 : 0;
      buf[0] = '-';
      const std::uint64_t integral = big / 1000000;
      if (integral < 10000)
        n += write_digits4(static_cast<std::uint32_t>(integral), buf + n);
      else
        n = static_cast<std::size_t>(std::to_chars(buf + n, buf + 32, integral).ptr - buf);
      return n + write_decimals6(static_cast<std::uint32_t>(decimals), buf + n);
    }
  }
  if (a >= 1e-3 && a < 1e15) {
    int max_decimals = 6;
    double t = a * pow10[max_decimals];
    while (t >= two_to_50) t = a * pow10[--max_decimals];  // a < 1e15 < 2^50: stops at 0
    const auto big = static_cast<std::uint64_t>(t + 0.5);  // M (>= 1: a * 10^J >= 1)
    if (static_cast<double>(big) / pow10[max_decimals] == a) {
      char digits[24];  // M's digits, least significant first, two at a time
      std::size_t d = 0;
      std::uint64_t v = big;
      for (; v >= 100; v /= 100, d += 2) {
        const auto r = static_cast<std::size_t>(v % 100);
        digits[d] = digit_pairs[2 * r + 1];
        digits[d + 1] = digit_pairs[2 * r];
      }
      if (v >= 10) {
        digits[d] = digit_pairs[2 * v + 1];
        digits[d + 1] = digit_pairs[2 * v];
        d += 2;
      } else {
        digits[d++] = static_cast<char>('0' + v);
      }
      std::size_t zeros = 0;  // M's trailing zeros (M != 0)
      while (digits[zeros] == '0') ++zeros;
      const auto uJ = static_cast<std::size_t>(max_decimals);
      const std::size_t cut = std::min(zeros, uJ);  // m = M / 10^cut has j = J - cut decimals
      const std::size_t uj = uJ - cut;
      const char* m_digits = digits + cut;
      const std::size_t dm = d - cut;
      const std::size_t sig = d - zeros;
      const long exponent = static_cast<long>(dm) - 1 - static_cast<long>(uj);
      const long abs_exp = exponent < 0 ? -exponent : exponent;
      const std::size_t sci = sig + (sig > 1 ? 1 : 0) + 2 + (abs_exp >= 100 ? 3 : 2);
      const std::size_t fixed = uj == 0 ? dm : dm > uj ? dm + 1 : 2 + uj;
      if (fixed <= sci) {
        std::size_t n = 0;
        if (x < 0) buf[n++] = '-';
        if (dm <= uj) {
          buf[n++] = '0';
          buf[n++] = '.';
          for (std::size_t z = dm; z < uj; ++z) buf[n++] = '0';
          for (std::size_t k = dm; k-- > 0;) buf[n++] = m_digits[k];
        } else {
          for (std::size_t k = dm; k-- > 0;) {
            buf[n++] = m_digits[k];
            if (k == uj && k != 0) buf[n++] = '.';
          }
        }
        return n;
      }
    }
  }
  return static_cast<std::size_t>(std::to_chars(buf, buf + 32, x).ptr - buf);
}

/// Writes the integer x as std::to_chars does into buf (>= 32 bytes); returns the length.
inline std::size_t format_integer(std::int64_t x, char* buf) noexcept {
  if (x >= 0 && x < 10000) return write_digits4(static_cast<std::uint32_t>(x), buf);
  return static_cast<std::size_t>(std::to_chars(buf, buf + 32, x).ptr - buf);
}

}  // namespace riptide::io::detail
