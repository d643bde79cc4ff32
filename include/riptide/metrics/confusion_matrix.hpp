// riptide/metrics/confusion_matrix.hpp: binary confusion counts and precision, recall, F1.
//
// Predicted positive when p > threshold (default 0.5). precision = tp / (tp + fp),
// recall = tp / (tp + fn), F1 their harmonic mean; each is 0 when undefined (scikit-learn's
// zero_division=0). State (snapshot/archive.hpp): the four counts.
//
// Example:
//   riptide::metrics::confusion_matrix cm;
//   cm.update(true, 0.9f);   // tp
//   cm.update(true, 0.2f);   // fn
//   cm.update(false, 0.7f);  // fp
//   if (cm.precision() != 0.5 || cm.recall() != 0.5 || cm.f1() != 0.5) std::abort();
#pragma once

#include <cstdint>
#include <limits>

namespace riptide::metrics {

class confusion_matrix {
 public:
  confusion_matrix() = default;
  explicit confusion_matrix(float threshold) : threshold_(threshold) {}
  void update(bool y, float p) noexcept { add(y, p, 1); }
  void revert(bool y, float p) noexcept { add(y, p, -1); }

  std::int64_t tp() const noexcept { return tp_; }
  std::int64_t fp() const noexcept { return fp_; }
  std::int64_t tn() const noexcept { return tn_; }
  std::int64_t fn() const noexcept { return fn_; }
  std::int64_t count() const noexcept { return tp_ + fp_ + tn_ + fn_; }

  double precision() const noexcept { return ratio(tp_, tp_ + fp_); }
  double recall() const noexcept { return ratio(tp_, tp_ + fn_); }
  double f1() const noexcept { return ratio(2 * tp_, 2 * tp_ + fp_ + fn_); }
  double accuracy() const noexcept { return ratio(tp_ + tn_, count()); }
  /// Whether nothing is counted (rolling<confusion_matrix> checks a loaded window with it).
  bool empty() const noexcept { return tp_ == 0 && fp_ == 0 && tn_ == 0 && fn_ == 0; }

  /// The counts (snapshot/archive.hpp); the threshold is configuration. A loader checks that
  /// they are not negative and that the sums computed from them cannot overflow.
  template <class Archive>
  void state(Archive& a) {
    std::int64_t c[4] = {tp_, fp_, tn_, fn_};
    a("tp", c[0]);
    a("fp", c[1]);
    a("tn", c[2]);
    a("fn", c[3]);
    if constexpr (Archive::loading) {
      constexpr std::int64_t most = std::numeric_limits<std::int64_t>::max() / 2;
      bool ok = true;
      std::int64_t total = 0;
      for (const std::int64_t x : c) {
        ok = ok && x >= 0 && x <= most - total;
        if (ok) total += x;
      }
      a.check(ok, "confusion counts negative or too large");
      tp_ = c[0];
      fp_ = c[1];
      tn_ = c[2];
      fn_ = c[3];
    }
  }

 private:
  void add(bool y, float p, std::int64_t d) noexcept {
    const bool predicted = p > threshold_;
    if (predicted)
      (y ? tp_ : fp_) += d;
    else
      (y ? fn_ : tn_) += d;
  }
  static double ratio(std::int64_t a, std::int64_t b) noexcept {
    return b > 0 ? static_cast<double>(a) / static_cast<double>(b) : 0.0;
  }
  float threshold_ = 0.5f;
  std::int64_t tp_ = 0, fp_ = 0, tn_ = 0, fn_ = 0;
};

}  // namespace riptide::metrics
