// riptide/drift/ks_2samp.hpp: the two-sample Kolmogorov-Smirnov test, two-sided.
//
// ks_2samp(a, b) sorts copies of both samples and returns the statistic D = max |F_a - F_b| and
// its p-value as scipy.stats.ks_2samp(a, b, method="auto") computes them (River's KSWIN calls it
// so):
//   - samples of equal size n <= 10000: the exact probability Pr(D_{n,n} >= D) by the same
//     Horner-style sum as scipy (so KSWIN's decisions match River's);
//   - either sample larger than 10000: scipy's "asymp" path, kstwo.sf(D, round(n m / (n + m))),
//     the exact law of the one-sample two-sided statistic D_N with N = round(n m / (n + m)).
//     kstwo_sf computes it as scipy does, after Simard & L'Ecuyer (2011): Ruben-Gambino's closed
//     forms at the extremes, twice the exact one-sided Smirnov sum (Birnbaum & Tingey 1951) for
//     large N D^2, Durbin's matrix (Marsaglia, Tsang & Wang 2003) or the Pelz-Good expansion
//     below; checked against scipy 1.10 (tests/drift/fixtures/ks_large.txt) to 1e-9 relative;
//   - unequal sizes both <= 10000: Kolmogorov's limiting law of sqrt(n m / (n + m)) D with
//     Stephens' small-sample correction, where scipy counts lattice paths exactly (p-values then
//     differ slightly; KSWIN never has unequal samples).
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
#include <limits>
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

// log(n! / n^n) by Stirling's series (n large), without the cancellation of log n! - n log n.
inline double log_factorial_over_power(double n) noexcept {
  const double r = 1.0 / n, r2 = r * r;
  // Stirling: sum B_2j / (2j (2j - 1) n^(2j - 1)), j = 1..4
  const double series = r * (1.0 / 12 + r2 * (-1.0 / 360 + r2 * (1.0 / 1260 - r2 / 1680)));
  return 0.5 * std::log(n) - n + 0.5 * std::log(2 * 3.14159265358979323846) + series;
}

// Exact one-sided Smirnov survival Pr(D_n^+ >= x) by Birnbaum & Tingey's sum,
//   x sum_{v=0}^{floor(n(1-x))} C(n, v) (x + v/n)^(v-1) (1 - x - v/n)^(n-v),
// its terms in logarithms (all positive, so the sum does not cancel).
inline double smirnov_sf(std::size_t n, double x) noexcept {
  if (x <= 0.0) return 1.0;
  if (x >= 1.0) return 0.0;
  const double nn = static_cast<double>(n);
  const auto last = static_cast<std::size_t>(std::floor(nn * (1.0 - x)));
  const double log_n_factorial = std::lgamma(nn + 1.0);
  double sum = 0.0;
  for (std::size_t v = 0; v <= last; ++v) {
    const double vv = static_cast<double>(v);
    const double at = x + vv / nn, rest = 1.0 - at;
    if (rest <= 0.0) continue;  // (1 - x - v/n)^(n - v) = 0 as v < n
    const double t = log_n_factorial - std::lgamma(vv + 1.0) - std::lgamma(nn - vv + 1.0) +
                     (vv - 1.0) * std::log(at) + (nn - vv) * std::log(rest);
    if (t > -745.0) sum += std::exp(t);
  }
  return std::clamp(x * sum, 0.0, 1.0);
}

// Pr(D_n <= d) by Durbin's matrix: with k = ceil(n d), h = k - n d and the (2k-1)-square matrix
// H, the probability is n!/n^n times the central entry of H^n (Marsaglia, Tsang & Wang 2003).
// Powers are rescaled by 2^128 steps to stay in range. O(k^3 log n).
inline double durbin_cdf(std::size_t n, double d) {
  const double nd = static_cast<double>(n) * d;
  if (d >= 1.0) return 1.0;
  if (nd <= 0.5) return 0.0;
  const auto k = static_cast<std::size_t>(std::ceil(nd));
  const double h = static_cast<double>(k) - nd;
  const std::size_t m = 2 * k - 1;
  std::vector<double> H(m * m, 0.0), P(m * m, 0.0), T(m * m, 0.0);
  std::vector<double> inv_factorial(m + 1, 1.0);
  for (std::size_t i = 1; i <= m; ++i)
    inv_factorial[i] = inv_factorial[i - 1] / static_cast<double>(i);
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j <= std::min(i + 1, m - 1); ++j)
      H[i * m + j] = inv_factorial[i + 1 - j];
  for (std::size_t i = 0; i < m; ++i) {
    H[i * m] -= std::pow(h, static_cast<double>(i + 1)) * inv_factorial[i + 1];
    H[(m - 1) * m + i] -= std::pow(h, static_cast<double>(m - i)) * inv_factorial[m - i];
  }
  if (2 * h - 1 > 0)
    H[(m - 1) * m] += std::pow(2 * h - 1, static_cast<double>(m)) * inv_factorial[m];

  auto multiply = [m, &T](const std::vector<double>& a, const std::vector<double>& b,
                          std::vector<double>& out) {
    std::fill(T.begin(), T.end(), 0.0);
    for (std::size_t i = 0; i < m; ++i)
      for (std::size_t l = 0; l < m; ++l) {
        const double x = a[i * m + l];
        if (x == 0.0) continue;
        for (std::size_t j = 0; j < m; ++j) T[i * m + j] += x * b[l * m + j];
      }
    out.swap(T);
  };
  constexpr double big = 0x1p128, small = 0x1p-128;
  for (std::size_t i = 0; i < m; ++i) P[i * m + i] = 1.0;
  int p_exponent = 0, h_exponent = 0;
  for (std::size_t e = n; e > 0; e >>= 1) {
    if (e & 1) {
      multiply(P, H, P);
      p_exponent += h_exponent;
    }
    multiply(H, H, H);
    h_exponent *= 2;
    if (std::fabs(H[(k - 1) * m + (k - 1)]) > big) {
      for (double& x : H) x *= small;
      h_exponent += 128;
    }
  }
  double p = P[(k - 1) * m + (k - 1)];
  const double nn = static_cast<double>(n);
  for (std::size_t i = 1; i <= n; ++i) {  // times n! / n^n
    p = static_cast<double>(i) * p / nn;
    if (std::fabs(p) < small) {
      p *= big;
      p_exponent -= 128;
    }
  }
  return std::clamp(std::ldexp(p, p_exponent), 0.0, 1.0);
}

// Pr(D_n <= x) by the Pelz-Good (1976) expansion of Li-Chien's and Korolyuk's series,
// K0(z) + K1(z)/sqrt(n) + K2(z)/n + K3(z)/n^1.5 with z = sqrt(n) x, in the Jacobi-theta form
// suited to small z.
inline double pelz_good_cdf(std::size_t n, double x) noexcept {
  constexpr double pi = 3.14159265358979323846;
  const double pi2 = pi * pi, pi4 = pi2 * pi2, pi6 = pi4 * pi2;
  const double sqrt_2pi = std::sqrt(2 * pi);
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  const double nn = static_cast<double>(n);
  const double z = std::sqrt(nn) * x, z2 = z * z, z4 = z2 * z2, z6 = z4 * z2, z8 = z4 * z4;
  if (-pi2 / (8 * z2) < -708.0) return 0.0;
  const auto terms = static_cast<std::size_t>(std::ceil(16 * z / pi));
  // Sums over odd m = 2k - 1 of c_j(m) exp(-m^2 pi^2 / (8 z^2)).
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (std::size_t k = terms; k >= 1; --k) {
    const double m2 = static_cast<double>((2 * k - 1) * (2 * k - 1)), m4 = m2 * m2, m6 = m4 * m2;
    const double e = std::exp(-m2 * pi2 / (8 * z2));
    s0 += e;
    s1 += (pi2 * m2 / 4 - z2) * e;
    s2 += (6 * z6 + 2 * z4 + (2 * z4 - 5 * z2) * pi2 * m2 / 4 + (1 - 2 * z2) * pi4 * m4 / 16) * e;
    s3 += (-30 * z6 - 90 * z8 + (135 * z4 - 96 * z6) * pi2 * m2 / 4 +
           (212 * z4 - 60 * z2) * pi4 * m4 / 16 + (5 - 30 * z2) * pi6 * m6 / 64) *
          e;
  }
  double k0 = sqrt_2pi * s0 / z, k1 = sqrt_2pi * s1 / (6 * z4), k2 = sqrt_2pi * s2 / (72 * z6 * z),
         k3 = sqrt_2pi * s3 / (6480 * z8 * z2);
  // Terms over all integers k of exp(-k^2 pi^2 / (2 z^2)).
  double t2 = 0, t3 = 0;
  for (std::size_t k = terms; k >= 1; --k) {
    const double kk = static_cast<double>(k * k);
    const double e = std::exp(-kk * pi2 / (2 * z2));
    t2 += kk * e;
    t3 += (3 * z2 - pi2 * kk) * kk * e;
  }
  k2 += t2 * pi2 * sqrt_2pi / (-36 * z2 * z);
  k3 += t3 * pi2 * sqrt_2pi / (216 * z6);
  return k0 + k1 / std::sqrt(nn) + k2 / nn + k3 / (nn * std::sqrt(nn));
}

}  // namespace ks_detail

/// Pr(D_n >= x) for the one-sample two-sided Kolmogorov-Smirnov statistic D_n (scipy's
/// stats.kstwo.sf(x, n)), after Simard & L'Ecuyer (2011).
inline double kstwo_sf(std::size_t n, double x) {
  using namespace ks_detail;
  if (n == 0 || std::isnan(x)) return std::numeric_limits<double>::quiet_NaN();
  if (x >= 1.0) return 0.0;
  if (x <= 0.0) return 1.0;
  const double nn = static_cast<double>(n), t = nn * x;
  if (t <= 1.0) {  // Ruben & Gambino: Pr(D_n <= x) = n!/n^n (2t - 1)^n for 1/(2n) <= x <= 1/n
    if (t <= 0.5) return 1.0;
    double cdf = 0.0;
    if (n <= 140) {
      cdf = 1.0;
      for (std::size_t i = 1; i <= n; ++i) cdf *= static_cast<double>(i) / nn * (2 * t - 1);
    } else {
      cdf = std::exp(log_factorial_over_power(nn) + nn * std::log(2 * t - 1));
    }
    return std::clamp(1.0 - cdf, 0.0, 1.0);
  }
  if (t >= nn - 1) return std::clamp(2 * std::pow(1.0 - x, nn), 0.0, 1.0);  // Ruben & Gambino
  if (x >= 0.5) return std::clamp(2 * smirnov_sf(n, x), 0.0, 1.0);          // D+ and D- cannot both
  const double nx2 = t * x;
  if (n <= 140) {
    // scipy takes Pomeranz's recursion for 0.754693 < n x^2 <= 4; Durbin's matrix is exact too.
    if (nx2 <= 4.0) return std::clamp(1.0 - durbin_cdf(n, x), 0.0, 1.0);
    return std::clamp(2 * smirnov_sf(n, x), 0.0, 1.0);
  }
  if (nx2 >= 370.0) return 0.0;
  if (nx2 >= 2.2) return std::clamp(2 * smirnov_sf(n, x), 0.0, 1.0);
  const double cdf =
      n <= 100000 && nn * std::pow(x, 1.5) <= 1.4 ? durbin_cdf(n, x) : pelz_good_cdf(n, x);
  return std::clamp(1.0 - cdf, 0.0, 1.0);
}

namespace ks_detail {

// scipy's np.round: halves to even.
inline std::size_t round_half_even(double x) noexcept {
  const double r = std::nearbyint(x);  // the default rounding mode rounds halves to even
  return static_cast<std::size_t>(r);
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
    r.p_value = kstwo_sf(round_half_even(static_cast<double>(n) / 2.0), r.statistic);
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
  ks_result r;
  r.statistic = d;
  if (std::max(n1, n2) > 10000) {
    r.p_value = kstwo_sf(ks_detail::round_half_even(en), d);
  } else {
    const double sqrt_en = std::sqrt(en);
    r.p_value = ks_detail::kolmogorov_sf((sqrt_en + 0.12 + 0.11 / sqrt_en) * d);
  }
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
