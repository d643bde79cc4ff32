// riptide/detail/short_decimal.hpp: the double of a short plain decimal, exactly as
// std::from_chars reads it, without its general machinery.
//
// read_short_decimal reads -?[0-9]+(.[0-9]+)? with at most 15 digits in all (leading zeros
// count): the digits make an integer M < 10^15 < 2^53 and the fraction f <= 14 digits a power
// 10^f <= 10^22, both exact doubles, so M / 10^f is one correctly rounded division: the nearest
// double to the decimal, which is what std::from_chars returns (round to nearest, ties to even;
// sign applied after, so "-0" is -0.0 as from_chars gives). Anything else (longer, exponent,
// '+', other characters) returns false and the caller uses std::from_chars: it is a fast path
// for the prices, amounts and counts most exports are made of. Bit-identity with std::from_chars
// is a property test (tests/clean/operators_test.cpp).
//
// Example:
//   double x = 0;
//   if (!riptide::detail::read_short_decimal("56.95", x) || x != 56.95) std::abort();
//   if (!riptide::detail::read_short_decimal("-0", x) || !std::signbit(x)) std::abort();
//   if (riptide::detail::read_short_decimal("1e3", x)) std::abort();  // for std::from_chars
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace riptide::detail {

/// `fraction` (when given) is set to whether the text had a fraction (a dot).
inline bool read_short_decimal(std::string_view s, double& out, bool* fraction = nullptr) noexcept {
  static constexpr double powers[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  const char* p = s.data();
  const char* const end = p + s.size();
  const bool negative = p != end && *p == '-';
  p += negative;
  if (end - p > 16) return false;  // more than 15 digits and a dot
  std::uint64_t m = 0;
  const char* const int_begin = p;
  for (; p != end && static_cast<unsigned char>(*p - '0') <= 9; ++p) m = m * 10 + (*p - '0');
  const std::size_t int_digits = static_cast<std::size_t>(p - int_begin);
  if (int_digits == 0) return false;
  std::size_t frac_digits = 0;
  if (p != end) {
    if (*p != '.') return false;
    const char* const frac_begin = ++p;
    for (; p != end && static_cast<unsigned char>(*p - '0') <= 9; ++p) m = m * 10 + (*p - '0');
    frac_digits = static_cast<std::size_t>(p - frac_begin);
    if (frac_digits == 0 || p != end) return false;
  }
  if (int_digits + frac_digits > 15) return false;
  if (fraction != nullptr) *fraction = frac_digits != 0;
  const double x = static_cast<double>(m) / powers[frac_digits];
  out = negative ? -x : x;
  return true;
}

}  // namespace riptide::detail
