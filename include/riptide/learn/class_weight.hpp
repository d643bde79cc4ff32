// riptide/learn/class_weight.hpp: importance of each class in the loss (fixed or balanced).
//
//   class_weight::none()            both classes weigh 1 (the default)
//   class_weight::fixed(neg, pos)   given weights, as scikit-learn's class_weight={0: neg, 1: pos}
//   class_weight::balanced()        n / (2 n_c) from the running class counts, the online form of
//                                   scikit-learn's class_weight='balanced'
// The balanced weight of a record uses the counts including that record, so the first records
// weigh 1 and the weights settle as the class ratio becomes known.
//
// Example:
//   auto cw = riptide::learn::class_weight::balanced();
//   for (int i = 0; i < 100; ++i) cw.observe(i % 4 == 0);   // 25 % positive
//   if (std::fabs(cw.weight(true) - 2.0f) > 1e-6f) std::abort();
//   if (std::fabs(cw.weight(false) - 100.0f / 150.0f) > 1e-6f) std::abort();
#pragma once

#include <cstdint>

namespace riptide::learn {

class class_weight {
 public:
  enum class mode : std::uint8_t { none, fixed, balanced };

  class_weight() = default;
  static class_weight none() { return {}; }
  static class_weight fixed(float negative, float positive) {
    class_weight c;
    c.mode_ = mode::fixed;
    c.negative_ = negative;
    c.positive_ = positive;
    return c;
  }
  static class_weight balanced() {
    class_weight c;
    c.mode_ = mode::balanced;
    return c;
  }

  /// Counts one label (balanced mode uses the counts).
  void observe(bool y) noexcept { ++(y ? positives_ : negatives_); }
  /// Importance of a record of class y.
  float weight(bool y) const noexcept {
    switch (mode_) {
      case mode::none:
        return 1.0f;
      case mode::fixed:
        return y ? positive_ : negative_;
      case mode::balanced: {
        const auto n_c = y ? positives_ : negatives_;
        if (n_c == 0) return 1.0f;
        return static_cast<float>(static_cast<double>(positives_ + negatives_) /
                                  (2.0 * static_cast<double>(n_c)));
      }
    }
    return 1.0f;
  }
  mode kind() const noexcept { return mode_; }

  /// The class counts (snapshot/archive.hpp; the mode and weights are configuration).
  template <class Archive>
  void state(Archive& a) {
    a("negatives", negatives_);
    a("positives", positives_);
  }

 private:
  mode mode_ = mode::none;
  float negative_ = 1.0f;
  float positive_ = 1.0f;
  std::uint64_t negatives_ = 0;
  std::uint64_t positives_ = 0;
};

}  // namespace riptide::learn
