// riptide/metrics/prequential.hpp: test-then-train evaluation of an online learner.
//
// Each labelled record is first predicted, the prediction scored, then learned (Dawid 1984;
// Gama, Sebastiao & Rodrigues, "On evaluating stream learning algorithms", 2013). prequential
// keeps, over the whole stream: log loss, accuracy, precision / recall / F1, Brier score, ROC AUC
// (binned_roc_auc), a calibration table; over a sliding window of the last `window` records: AUC
// (exact), log loss and accuracy; and every `curve_every` records a point of the learning curve.
// O(1) per record apart from the curve points. State (snapshot/archive.hpp): every metric's, the
// window's records (the window metrics are rebuilt from them) and the curve points.
// Options (defaults): window (1000), curve_every (1000; 0: no curve), auc_bins (2^14),
// calibration_bins (10), threshold (0.5).
//
// Example:
//   riptide::metrics::prequential eval{{.window = 2, .curve_every = 2}};
//   eval.update(true, 0.9f);
//   eval.update(false, 0.2f);
//   eval.update(false, 0.6f);
//   if (eval.count() != 3 || eval.curve().size() != 1 || eval.curve()[0].window_auc != 1.0)
//     std::abort();
//   if (std::fabs(eval.accuracy() - 2.0 / 3.0) > 1e-12) std::abort();
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "riptide/metrics/accuracy.hpp"
#include "riptide/metrics/binned_roc_auc.hpp"
#include "riptide/metrics/brier.hpp"
#include "riptide/metrics/calibration.hpp"
#include "riptide/metrics/confusion_matrix.hpp"
#include "riptide/metrics/logloss.hpp"
#include "riptide/metrics/rolling.hpp"
#include "riptide/metrics/rolling_roc_auc.hpp"

namespace riptide::metrics {

struct prequential_options {
  std::size_t window = 1000;
  std::uint64_t curve_every = 1000;
  std::size_t auc_bins = std::size_t{1} << 14;
  std::size_t calibration_bins = 10;
  float threshold = 0.5f;
};

/// One point of the prequential learning curve, after `n` records.
struct curve_point {
  std::uint64_t n = 0;
  double auc = 0, logloss = 0, accuracy = 0;                       // since the start
  double window_auc = 0, window_logloss = 0, window_accuracy = 0;  // the last `window` records
};

class prequential {
 public:
  prequential() : prequential(prequential_options{}) {}
  explicit prequential(prequential_options options)
      : options_(options),
        accuracy_(options.threshold),
        confusion_(options.threshold),
        auc_(options.auc_bins),
        calibration_(options.calibration_bins),
        window_auc_(options.window),
        window_logloss_(options.window),
        window_accuracy_(options.window, metrics::accuracy(options.threshold)) {}

  /// Scores one prediction p of a record whose label is y.
  void update(bool y, float p) {
    const double loss = metrics::logloss::loss(y, p);  // one logarithm for both log-loss means
    logloss_.add(loss);
    accuracy_.update(y, p);
    confusion_.update(y, p);
    brier_.update(y, p);
    auc_.update(y, p);
    calibration_.update(y, p);
    window_auc_.update(y, p);
    window_logloss_.add(loss);
    window_accuracy_.update(y, p);
    ++n_;
    if (options_.curve_every && n_ % options_.curve_every == 0) curve_.push_back(point());
  }

  std::uint64_t count() const noexcept { return n_; }
  double auc() const { return auc_.get(); }
  double logloss() const { return logloss_.get(); }
  double accuracy() const { return accuracy_.get(); }
  double brier() const { return brier_.get(); }
  double precision() const { return confusion_.precision(); }
  double recall() const { return confusion_.recall(); }
  double f1() const { return confusion_.f1(); }
  const metrics::confusion_matrix& confusion() const noexcept { return confusion_; }
  const metrics::calibration& calibration() const noexcept { return calibration_; }
  double window_auc() const { return window_auc_.get(); }
  double window_logloss() const { return window_logloss_.get(); }
  double window_accuracy() const { return window_accuracy_.get(); }
  /// The state now, as a curve point.
  curve_point point() const {
    return {n_, auc(), logloss(), accuracy(), window_auc(), window_logloss(), window_accuracy()};
  }
  const std::vector<curve_point>& curve() const noexcept { return curve_; }
  const prequential_options& options() const noexcept { return options_; }

  /// The count, every metric's state, the window's records with its log-loss sum and the curve
  /// points (snapshot/archive.hpp); the window AUC and the window's losses are rebuilt from the
  /// records. The options are configuration: a loader checks that every metric counts the same
  /// records, that the window holds the last min(count, window) of them and that the curve has a
  /// point every curve_every records.
  template <class Archive>
  void state(Archive& a) {
    if constexpr (Archive::loading) {
      prequential loaded(options_);  // a refused state changes nothing
      loaded.fields(a);
      *this = std::move(loaded);
    } else {
      fields(a);
    }
  }

 private:
  // The state's fields; a loader fills a prequential fresh from the options.
  template <class Archive>
  void fields(Archive& a) {
    a("count", n_);
    a("logloss", logloss_);
    a("accuracy", accuracy_);
    a("confusion", confusion_);
    a("brier", brier_);
    a("auc", auc_);
    a("calibration", calibration_);
    a("window", window_accuracy_);
    double window_logloss_sum = window_logloss_.sum;
    a("window_logloss_sum", window_logloss_sum);
    curve_columns curve;
    if constexpr (!Archive::loading) curve.points = curve_;
    a("curve", curve);
    if constexpr (Archive::loading) {
      const std::uint64_t n = n_;
      a.check(logloss_.count() == n && accuracy_.count() == n && brier_.count() == n &&
                  static_cast<std::uint64_t>(confusion_.count()) == n && auc_.count() == n &&
                  calibration_.count() == n,
              "the metrics count different numbers of records");
      const std::size_t size = window_accuracy_.size();
      a.check(size == std::min<std::uint64_t>(n, window_accuracy_.window()),
              "the window does not hold the last records");
      const std::uint64_t every = options_.curve_every;
      a.check(curve.points.size() == (every ? n / every : 0),
              "not a curve point every curve_every records");
      for (std::size_t i = 0; i < curve.points.size(); ++i)
        a.check(curve.points[i].n == (i + 1) * every, "a curve point at the wrong count");
      curve_ = std::move(curve.points);
      for (std::size_t i = 0; i < size; ++i) {
        const auto [y, p] = window_accuracy_.record(i);
        window_auc_.update(y, p);
        window_logloss_.ring[i] = metrics::logloss::loss(y, p);
      }
      window_logloss_.size = size;
      window_logloss_.head = size == window_logloss_.ring.size() ? 0 : size;
      window_logloss_.n = size;
      window_logloss_.sum = window_logloss_sum;
    }
  }

  // The curve points as one array per field (snapshot/archive.hpp).
  struct curve_columns {
    std::vector<curve_point> points;
    template <class Archive>
    void state(Archive& a) {
      std::vector<std::uint64_t> n;
      std::vector<double> auc, logloss, accuracy, window_auc, window_logloss, window_accuracy;
      for (const auto& p : points) {
        n.push_back(p.n);
        auc.push_back(p.auc);
        logloss.push_back(p.logloss);
        accuracy.push_back(p.accuracy);
        window_auc.push_back(p.window_auc);
        window_logloss.push_back(p.window_logloss);
        window_accuracy.push_back(p.window_accuracy);
      }
      a("n", n);
      a("auc", auc);
      a("logloss", logloss);
      a("accuracy", accuracy);
      a("window_auc", window_auc);
      a("window_logloss", window_logloss);
      a("window_accuracy", window_accuracy);
      if constexpr (Archive::loading) {
        const std::size_t m = n.size();
        a.check(auc.size() == m && logloss.size() == m && accuracy.size() == m &&
                    window_auc.size() == m && window_logloss.size() == m &&
                    window_accuracy.size() == m,
                "curve fields differ in length");
        points.clear();
        for (std::size_t i = 0; i < m; ++i)
          points.push_back({n[i], auc[i], logloss[i], accuracy[i], window_auc[i], window_logloss[i],
                            window_accuracy[i]});
      }
    }
  };

  prequential_options options_;
  std::uint64_t n_ = 0;
  metrics::logloss logloss_;
  metrics::accuracy accuracy_;
  metrics::confusion_matrix confusion_;
  metrics::brier brier_;
  binned_roc_auc auc_;
  metrics::calibration calibration_;
  rolling_roc_auc window_auc_;
  // The log loss of the last `window` records: their losses in a ring (the sum takes the same
  // steps as rolling<logloss>, which would compute each loss again to remove it).
  struct window_mean {
    explicit window_mean(std::size_t window) : ring(window, 0.0) {}
    void add(double x) noexcept {
      if (size == ring.size()) {
        sum -= ring[head];
        --n;
      } else {
        ++size;
      }
      ring[head] = x;
      head = head + 1 == ring.size() ? 0 : head + 1;
      sum += x;
      ++n;
    }
    double get() const noexcept { return n ? sum / static_cast<double>(n) : 0.0; }
    std::vector<double> ring;
    std::size_t head = 0, size = 0;
    double sum = 0.0;
    std::uint64_t n = 0;
  };
  window_mean window_logloss_;
  rolling<metrics::accuracy> window_accuracy_;
  std::vector<curve_point> curve_;
};

}  // namespace riptide::metrics
