// riptide/drift/features/psi.hpp: the population stability index between two histograms.
//
// PSI = sum_i (a_i - e_i) ln(a_i / e_i) over bins, with e_i and a_i the reference ("expected")
// and current ("actual") proportions. Empty bins get `epsilon` probability mass so the sum stays
// finite. Common reading: < 0.1 no shift, 0.1 - 0.25 moderate, > 0.25 major.
//
// Example:
//   const std::vector<double> reference{50, 30, 20}, same{100, 60, 40}, shifted{20, 30, 50};
//   if (riptide::drift::features::psi(reference, same) > 1e-12) std::abort();
//   if (riptide::drift::features::psi(reference, shifted) < 0.25) std::abort();
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <stdexcept>

namespace riptide::drift::features {

/// PSI between reference counts `expected` and current counts `actual` (same bins).
inline double psi(std::span<const double> expected, std::span<const double> actual,
                  double epsilon = 1e-4) {
  if (expected.size() != actual.size()) throw std::invalid_argument("psi: bin counts differ");
  double e_total = 0.0, a_total = 0.0;
  for (double c : expected) e_total += c;
  for (double c : actual) a_total += c;
  if (!(e_total > 0.0) || !(a_total > 0.0)) return 0.0;
  double sum = 0.0;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const double e = std::max(expected[i] / e_total, epsilon);
    const double a = std::max(actual[i] / a_total, epsilon);
    sum += (a - e) * std::log(a / e);
  }
  return sum;
}

}  // namespace riptide::drift::features
