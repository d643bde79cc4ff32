// riptide/metrics/roc_auc.hpp: exact area under the ROC curve of a set of scored records.
//
// Sorts by score and sums the trapezoids of the ROC curve; records with equal scores form one
// step, so ties count one half, exactly as scikit-learn's roc_auc_score. O(n log n). NaN when one
// class is absent (the AUC is undefined; scikit-learn raises). The scratch buffer is reused by
// roc_auc_scratch for repeated calls without allocation.
//
// Example:
//   std::vector<float> scores{0.1f, 0.4f, 0.35f, 0.8f};
//   std::vector<bool> labels{false, false, true, true};
//   if (riptide::metrics::roc_auc(scores, labels) != 0.75) std::abort();  // sklearn: 0.75
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <utility>
#include <vector>

namespace riptide::metrics {

/// AUC of (score, label) pairs already in `pairs`, which it sorts in place.
inline double roc_auc_of_pairs(std::vector<std::pair<float, bool>>& pairs) {
  for (auto& p : pairs)  // NaN would break the ordering: rank it lowest
    if (std::isnan(p.first)) p.first = -std::numeric_limits<float>::infinity();
  std::sort(pairs.begin(), pairs.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  double tp = 0, fp = 0, area = 0;
  for (std::size_t i = 0; i < pairs.size();) {
    double dtp = 0, dfp = 0;
    const float s = pairs[i].first;
    for (; i < pairs.size() && pairs[i].first == s; ++i) (pairs[i].second ? dtp : dfp) += 1;
    area += dfp * (tp + dtp / 2.0);  // trapezoid: the tied block's positives count one half
    tp += dtp;
    fp += dfp;
  }
  if (tp == 0 || fp == 0) return std::numeric_limits<double>::quiet_NaN();
  return area / (tp * fp);
}

/// Exact ROC AUC of scores against labels; `scratch` is reused between calls.
inline double roc_auc(std::span<const float> scores, const std::vector<bool>& labels,
                      std::vector<std::pair<float, bool>>& scratch) {
  const std::size_t n = std::min(scores.size(), labels.size());
  scratch.clear();
  for (std::size_t i = 0; i < n; ++i) scratch.emplace_back(scores[i], labels[i]);
  return roc_auc_of_pairs(scratch);
}

inline double roc_auc(std::span<const float> scores, const std::vector<bool>& labels) {
  std::vector<std::pair<float, bool>> scratch;
  return roc_auc(scores, labels, scratch);
}

}  // namespace riptide::metrics
