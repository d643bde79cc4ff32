// riptide/drift/features/jensen_shannon.hpp: the Jensen-Shannon distance between two discrete
// distributions given as counts over the same categories.
//
// JS divergence = (KL(P || M) + KL(Q || M)) / 2 with M = (P + Q) / 2, in bits, so it lies in
// [0, 1]; the function returns its square root, the Jensen-Shannon distance (a metric, also in
// [0, 1], as scipy.spatial.distance.jensenshannon(p, q, base=2)).
//
// Example:
//   const std::vector<double> p{10, 0}, q{0, 10}, r{5, 5};
//   if (riptide::drift::features::jensen_shannon(p, q) != 1.0) std::abort();
//   if (riptide::drift::features::jensen_shannon(r, r) != 0.0) std::abort();
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <stdexcept>

namespace riptide::drift::features {

inline double jensen_shannon(std::span<const double> p_counts, std::span<const double> q_counts) {
  if (p_counts.size() != q_counts.size())
    throw std::invalid_argument("jensen_shannon: category counts differ");
  double p_total = 0.0, q_total = 0.0;
  for (double c : p_counts) p_total += c;
  for (double c : q_counts) q_total += c;
  if (!(p_total > 0.0) || !(q_total > 0.0)) return 0.0;
  double divergence = 0.0;
  for (std::size_t i = 0; i < p_counts.size(); ++i) {
    const double p = p_counts[i] / p_total, q = q_counts[i] / q_total, m = (p + q) / 2;
    if (p > 0.0) divergence += p * std::log2(p / m) / 2;
    if (q > 0.0) divergence += q * std::log2(q / m) / 2;
  }
  return std::sqrt(std::max(0.0, std::min(1.0, divergence)));
}

}  // namespace riptide::drift::features
