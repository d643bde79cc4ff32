// riptide/drift/ks_2samp.hpp: the two-sample Kolmogorov-Smirnov test, two-sided.
//
// ks_2samp(a, b) sorts copies of both samples and returns the statistic D = max |F_a - F_b| and
// its p-value as scipy.stats.ks_2samp(a, b, method="auto") computes them: for samples of equal
// size n <= 10000 the exact probability Pr(D_{n,n} >= D) by the same Horner-style sum (so KSWIN's
// decisions match River's, which calls scipy); otherwise Kolmogorov's asymptotic distribution
// of sqrt(n m / (n + m)) D with Stephens' small-sample correction (scipy uses the exact
// finite-n `kstwo` law there, so p-values can differ in the last digits for unequal samples).
// NaN values sort last, as in numpy.
//
// Example:
//   std::vector<double> a{1, 2, 3, 4, 5, 6, 7, 8}, b{5, 6, 7, 8, 9, 10, 11, 12};
//   const auto r = riptide::drift::ks_2samp(a, b);
//   if (r.statistic != 0.5 || !(r.p_value > 0.2 && r.p_value < 0.3)) std::abort();
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <span>
#include <stdexcept>
#include <vector>

namespace riptide::drift {

struct ks_result {
  double statistic = 0.0;  ///< D = max |F_a(x) - F_b(x)|
  double p_value = 1.0;    ///< Pr(D' >= D) under the hypothesis of one distribution
};

namespace ks_detail {

// numpy's order: NaN after every number. Moves the NaNs to the back, sorts the numbers and
// returns how many numbers there are.
inline std::size_t sort_nan_last(std::span<double> v) {
  const auto numbers_end = std::partition(v.begin(), v.end(), [](double x) { return x == x; });
  std::sort(v.begin(), numbers_end);
  return static_cast<std::size_t>(numbers_end - v.begin());
}

// scipy's _compute_prob_outside_square: Pr(D_{n,n} >= h/n), same operation order.
inline double prob_outside_square(std::size_t n, std::size_t h) noexcept {
  double p = 0.0;
  for (long k = static_cast<long>(n / h); k >= 0; --k) {
    double p1 = 1.0;
    const double nn = static_cast<double>(n), kh = static_cast<double>(k * h);
    for (std::size_t j = 0; j < h; ++j) {
      const double jj = static_cast<double>(j);
      p1 = (nn - kh - jj) * p1 / (nn + kh + jj + 1);
    }
    p = p1 * (1.0 - p);
  }
  return 2 * p;
}

// Kolmogorov's limiting survival function Q(lambda) = 2 sum (-1)^(k-1) exp(-2 k^2 lambda^2).
inline double kolmogorov_sf(double lambda) noexcept {
  if (lambda < 0.2) return 1.0;
  double sum = 0.0, sign = 1.0;
  for (int k = 1; k <= 100; ++k) {
    const double term = std::exp(-2.0 * k * k * lambda * lambda);
    sum += sign * term;
    if (term < 1e-17 * sum) break;
    sign = -sign;
  }
  return std::clamp(2.0 * sum, 0.0, 1.0);
}

// Statistic and p-value of two samples of size n whose count difference peaks at h = n D.
inline ks_result equal_sizes(std::size_t n, std::size_t h) noexcept {
  ks_result r;
  r.statistic = static_cast<double>(h) * 1.0 / static_cast<double>(n);
  if (h == 0) {
    r.p_value = 1.0;
  } else if (n <= 10000) {
    r.p_value = std::clamp(prob_outside_square(n, h), 0.0, 1.0);
  } else {
    const double sqrt_en = std::sqrt(static_cast<double>(n) / 2.0);
    r.p_value = kolmogorov_sf((sqrt_en + 0.12 + 0.11 / sqrt_en) * r.statistic);
  }
  return r;
}

}  // namespace ks_detail

/// D and its p-value for two samples already sorted (NaN last).
inline ks_result ks_2samp_sorted(std::span<const double> a, std::span<const double> b) {
  const std::size_t n1 = a.size(), n2 = b.size();
  if (n1 == 0 || n2 == 0) throw std::invalid_argument("ks_2samp: empty sample");
  // D from counts: walk both sorted samples; at every distinct value compare F_a and F_b. NaNs
  // (at the back) are the largest value, where both distribution functions reach 1.
  std::size_t a_numbers = n1, b_numbers = n2;
  while (a_numbers > 0 && std::isnan(a[a_numbers - 1])) --a_numbers;
  while (b_numbers > 0 && std::isnan(b[b_numbers - 1])) --b_numbers;
  std::size_t i = 0, j = 0;
  double d = 0.0;
  long max_count_diff = 0;  // for equal sizes, n * D exactly
  while (i < a_numbers || j < b_numbers) {
    const double x = j >= b_numbers || (i < a_numbers && a[i] <= b[j]) ? a[i] : b[j];
    while (i < a_numbers && a[i] <= x) ++i;
    while (j < b_numbers && b[j] <= x) ++j;
    if (n1 == n2) {
      const long diff = std::labs(static_cast<long>(i) - static_cast<long>(j));
      max_count_diff = std::max(max_count_diff, diff);
    } else {
      const double diff = std::fabs(static_cast<double>(i) / static_cast<double>(n1) -
                                    static_cast<double>(j) / static_cast<double>(n2));
      d = std::max(d, diff);
    }
  }
  if (n1 == n2) return ks_detail::equal_sizes(n1, static_cast<std::size_t>(max_count_diff));
  const double en = static_cast<double>(n1) * static_cast<double>(n2) /
                    (static_cast<double>(n1) + static_cast<double>(n2));
  const double sqrt_en = std::sqrt(en);
  ks_result r;
  r.statistic = d;
  r.p_value = ks_detail::kolmogorov_sf((sqrt_en + 0.12 + 0.11 / sqrt_en) * d);
  return r;
}

/// D and its p-value for two samples in any order.
inline ks_result ks_2samp(std::span<const double> a, std::span<const double> b) {
  std::vector<double> sa(a.begin(), a.end()), sb(b.begin(), b.end());
  ks_detail::sort_nan_last(sa);
  ks_detail::sort_nan_last(sb);
  return ks_2samp_sorted(sa, sb);
}

}  // namespace riptide::drift
