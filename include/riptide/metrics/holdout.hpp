// riptide/metrics/holdout.hpp: evaluation on records kept apart from learning.
//
// Collects (label, prediction) pairs of held-out records, typically scored by the final model,
// and computes exact metrics over all of them: ROC AUC (roc_auc.hpp, ties as scikit-learn), log
// loss, accuracy, precision / recall / F1, Brier score and a calibration table. Memory is one
// (float, bool) per held-out record. State (snapshot/archive.hpp): the collected pairs.
//
// Example:
//   riptide::metrics::holdout h;
//   h.update(false, 0.1f);
//   h.update(false, 0.4f);
//   h.update(true, 0.35f);
//   h.update(true, 0.8f);
//   if (h.count() != 4 || h.auc() != 0.75 || h.accuracy() != 0.75) std::abort();
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "riptide/metrics/brier.hpp"
#include "riptide/metrics/calibration.hpp"
#include "riptide/metrics/confusion_matrix.hpp"
#include "riptide/metrics/logloss.hpp"
#include "riptide/metrics/roc_auc.hpp"

namespace riptide::metrics {

class holdout {
 public:
  explicit holdout(float threshold = 0.5f) : threshold_(threshold) {}
  void update(bool y, float p) {
    labels_.push_back(y);
    scores_.push_back(p);
  }
  void clear() {
    labels_.clear();
    scores_.clear();
  }
  std::size_t count() const noexcept { return scores_.size(); }
  double auc() const { return roc_auc(scores_, labels_); }
  double logloss() const { return fold<metrics::logloss>().get(); }
  double brier() const { return fold<metrics::brier>().get(); }
  metrics::confusion_matrix confusion() const {
    return fold(metrics::confusion_matrix{threshold_});
  }
  double accuracy() const { return confusion().accuracy(); }
  double precision() const { return confusion().precision(); }
  double recall() const { return confusion().recall(); }
  double f1() const { return confusion().f1(); }
  metrics::calibration calibration(std::size_t bins = 10) const {
    return fold(metrics::calibration{bins});
  }
  std::span<const float> scores() const noexcept { return scores_; }
  const std::vector<bool>& labels() const noexcept { return labels_; }

  /// The collected labels and predictions (snapshot/archive.hpp); the threshold is configuration.
  template <class Archive>
  void state(Archive& a) {
    std::vector<std::uint8_t> labels;
    if constexpr (!Archive::loading) labels.assign(labels_.begin(), labels_.end());
    std::vector<float> scores;
    if constexpr (!Archive::loading) scores = scores_;
    a("labels", labels);
    a("scores", scores);
    if constexpr (Archive::loading) {
      a.check(labels.size() == scores.size(), "labels and scores differ in length");
      for (const auto y : labels) a.check(y <= 1, "a label other than 0 or 1");
      labels_.assign(labels.begin(), labels.end());
      scores_ = std::move(scores);
    }
  }

 private:
  template <class M>
  M fold(M m = {}) const {
    for (std::size_t i = 0; i < scores_.size(); ++i) m.update(labels_[i], scores_[i]);
    return m;
  }
  float threshold_;
  std::vector<bool> labels_;
  std::vector<float> scores_;
};

}  // namespace riptide::metrics
