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
#include <cstdint>
#include <cstring>
#include <limits>
#include <span>
#include <utility>
#include <vector>

namespace riptide::metrics {

namespace detail {

// A score as an unsigned key whose ascending order is the scores' descending order (-0 as +0;
// NaN, like -infinity, ranks lowest).
inline std::uint32_t descending_key(float p) noexcept {
  if (std::isnan(p)) p = -std::numeric_limits<float>::infinity();
  if (p == 0.0f) p = 0.0f;
  std::uint32_t bits = 0;
  std::memcpy(&bits, &p, sizeof bits);
  const std::uint32_t ascending = (bits & 0x80000000u) ? ~bits : bits | 0x80000000u;
  return ~ascending;
}

// AUC from (key << 32 | label) items sorted by key: equal keys are one tied step.
inline double roc_auc_of_sorted(const std::uint64_t* items, std::size_t n) noexcept {
  double tp = 0, fp = 0, area = 0;
  for (std::size_t i = 0; i < n;) {
    double dtp = 0, dfp = 0;
    const std::uint64_t key = items[i] >> 32;
    for (; i < n && (items[i] >> 32) == key; ++i) ((items[i] & 1) ? dtp : dfp) += 1;
    area += dfp * (tp + dtp / 2.0);  // trapezoid: the tied block's positives count one half
    tp += dtp;
    fp += dfp;
  }
  if (tp == 0 || fp == 0) return std::numeric_limits<double>::quiet_NaN();
  return area / (tp * fp);
}

// Sorts (key << 32 | label) items by key: LSD radix sort on the key's four bytes, skipping a
// byte all keys share (branch-free and O(n): comparison sorts of scores mispredict about every
// other comparison).
inline void radix_sort_by_key(std::vector<std::uint64_t>& items, std::vector<std::uint64_t>& tmp) {
  const std::size_t n = items.size();
  tmp.resize(n);
  std::size_t count[4][256] = {};
  for (const auto x : items)
    for (unsigned d = 0; d < 4; ++d) ++count[d][(x >> (32 + 8 * d)) & 0xFF];
  std::uint64_t* from = items.data();
  std::uint64_t* to = tmp.data();
  for (unsigned d = 0; d < 4; ++d) {
    std::size_t* c = count[d];
    const unsigned shift = 32 + 8 * d;
    if (c[(from[0] >> shift) & 0xFF] == n) continue;  // every key has this byte
    std::size_t sum = 0;
    for (auto& k : count[d]) {
      const std::size_t m = k;
      k = sum;
      sum += m;
    }
    for (std::size_t i = 0; i < n; ++i) to[c[(from[i] >> shift) & 0xFF]++] = from[i];
    std::swap(from, to);
  }
  if (from != items.data()) std::copy(from, from + n, items.data());
}

}  // namespace detail

/// AUC of (score, label) items encoded as detail::descending_key(score) << 32 | label, in any
/// order; sorts them in place (`scratch`: reused working space).
inline double roc_auc_of_keys(std::vector<std::uint64_t>& items,
                              std::vector<std::uint64_t>& scratch) {
  if (items.empty()) return std::numeric_limits<double>::quiet_NaN();
  if (items.size() < 64)
    std::sort(items.begin(), items.end());  // by key, then label: same steps
  else
    detail::radix_sort_by_key(items, scratch);
  return detail::roc_auc_of_sorted(items.data(), items.size());
}

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
