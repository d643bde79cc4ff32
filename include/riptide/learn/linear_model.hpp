// riptide/learn/linear_model.hpp: the sparse linear classifier under logistic and svm.
//
// linear_model<Loss, Optimizer> keeps the weights in an Eigen vector (slot 0 is the bias, feature
// i is slot i + 1; the vector grows with the largest feature index learned) and learns one record
// at a time: learn_one(x, y) computes the margin w.x + b, the loss gradient, and lets the
// optimizer update the active coordinates only, so a step costs O(active features) and, once the
// weights have grown to the feature space, allocates nothing. predict_then_learn(x, y) is
// test-then-train in one call: the probability before the step, from the step's own margin.
// Options (defaults): l1 (0), l2 (0): penalties on the feature weights, never on the bias;
// fit_bias (true); class_weight (none); batch_size (1: pure online; > 1: learn_one buffers that
// many records and takes one step on their averaged gradient, with margins from the weights at the
// start of the batch; flush() takes the step on a partial batch).
// Averaging: start_averaging() / finish_averaging() turn the last steps into Polyak-Ruppert
// averaged SGD (the mean of the weights over those steps), which removes most of the step noise
// of a large learning rate in multi-pass training; restart_optimizer() changes the optimizer's
// parameters (or state) between passes and keeps the weights.
// Optimizers: sgd, adagrad, ftrl, adaptive (see their headers). An optimizer provides
// grow(n), begin_update() and step(i, w, g, x, reg); one that also provides observe/finish/apply
// (adaptive) takes whole-example, importance-invariant steps in learn_one.
//
// Example:
//   riptide::learn::linear_model<riptide::learn::log_loss, riptide::learn::sgd> m{{.lr = 0.5f}};
//   std::vector<riptide::features::entry> x{{3, 1.0f}};
//   for (int i = 0; i < 100; ++i) m.learn_one(x, true);
//   if (!(m.predict_proba(x) > 0.9f && m.weight(3) > 0.0f)) std::abort();
#pragma once

#include <Eigen/Core>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <utility>
#include <vector>

#include "riptide/features/sparse_vector.hpp"
#include "riptide/learn/class_weight.hpp"
#include "riptide/learn/lanes.hpp"
#include "riptide/learn/loss.hpp"
#include "riptide/learn/regularization.hpp"

namespace riptide::learn {

struct linear_options {
  float l1 = 0.0f;
  float l2 = 0.0f;
  bool fit_bias = true;
  learn::class_weight class_weight{};
  std::size_t batch_size = 1;
};

namespace detail {
/// An optimizer that can step `lanes` feature coordinates at once: step_lanes(e, w, g, r) does
/// what step() would on the slots e[j].index + 1 of w (j < lanes; distinct slots) with the
/// gradients g * e[j].value (square root and division on a whole register instead of one float).
template <class Opt>
concept lane_optimizer = requires(Opt& o, const features::entry* e, float* w,
                                  const regularization& r) {
  o.step_lanes(e, w, 1.0f, r);
};

/// An example optimizer (observe/finish/apply) that can observe `lanes` feature coordinates at
/// once: observe_lanes(e, at, w, g2, sums) does what observe() would on slots e[j].index + 1 at
/// the example's positions at + j.
template <class Opt>
concept lane_observer = requires(Opt& o, const features::entry* e, float* w,
                                 typename Opt::example_sums& sums) {
  o.observe_lanes(e, std::size_t{}, w, 1.0f, sums);
};

/// ... and that can apply the example's step to them at once: apply_lanes(e, at, w, u, r).
template <class Opt>
concept lane_applier = requires(Opt& o, const features::entry* e, float* w,
                                const regularization& r) {
  o.apply_lanes(e, std::size_t{}, w, 1.0f, r);
};

template <class Opt, class Loss>
concept example_optimizer = requires(Opt& o, float& w, const regularization& r,
                                     typename Opt::example_sums& sums) {
  o.begin_example(std::size_t{});
  o.observe(std::size_t{}, std::size_t{}, 1.0f, 1.0f, w, sums);
  { o.template finish<Loss>(0.0f, true, 0.5f, 1.0f, sums) } -> std::convertible_to<float>;
  { o.apply(std::size_t{}, std::size_t{}, 0.0f, 1.0f, 1.0f, r) } -> std::convertible_to<float>;
};
}  // namespace detail

template <class Loss, class Optimizer>
class linear_model {
 public:
  using loss_type = Loss;
  using optimizer_type = Optimizer;

  explicit linear_model(Optimizer optimizer = {}, linear_options options = {})
      : optimizer_(std::move(optimizer)), options_(std::move(options)) {
    if (options_.batch_size == 0) throw std::invalid_argument("linear_model: batch_size is 0");
    if (options_.l1 < 0.0f || options_.l2 < 0.0f)
      throw std::invalid_argument("linear_model: l1 and l2 must be >= 0");
    reg_ = {options_.l1, options_.l2};
  }

  /// w.x + b; features never learned weigh 0.
  float margin(features::sparse_view x) const noexcept {
    bool beyond = false;
    return margin(x, beyond);
  }
  /// Probability of the positive class (for svm: sigmoid of the margin, a score, not calibrated).
  float predict_proba(features::sparse_view x) const noexcept { return Loss::proba(margin(x)); }
  bool predict_one(features::sparse_view x) const noexcept { return margin(x) > 0.0f; }

  /// Learns one record with label y and an optional sample weight (times the class weight).
  void learn_one(features::sparse_view x, bool y, float sample_weight = 1.0f) {
    step_one<false>(x, y, sample_weight);
  }

  /// Test-then-train in one call: returns predict_proba(x) as it was before learning (x, y),
  /// then learns it as learn_one does. The margin is computed once, not once for each call.
  float predict_then_learn(features::sparse_view x, bool y, float sample_weight = 1.0f) {
    return step_one<true>(x, y, sample_weight);
  }

  /// Learns a batch at once: one step on the averaged gradient (margins from the current weights).
  void learn_many(std::span<const features::sparse_view> xs, std::span<const bool> ys) {
    if (xs.size() != ys.size()) throw std::invalid_argument("learn_many: xs and ys differ in size");
    for (std::size_t i = 0; i < xs.size(); ++i) {
      options_.class_weight.observe(ys[i]);
      buffer_one(xs[i], ys[i], options_.class_weight.weight(ys[i]));
    }
    flush();
  }

  /// Takes the step on the records buffered so far (batch_size > 1).
  void flush() {
    const std::size_t n = batch_labels_.size();
    if (n == 0) return;
    grow_to(batch_max_index_ + 2);
    grad_.resize(static_cast<std::size_t>(w_.size()), 0.0f);
    scale_.resize(static_cast<std::size_t>(w_.size()), 0.0f);
    const float inv_n = 1.0f / static_cast<float>(n);
    for (std::size_t r = 0; r < n; ++r) {
      const features::sparse_view x{batch_entries_.data() + batch_offsets_[r],
                                    batch_offsets_[r + 1] - batch_offsets_[r]};
      const float g = batch_importance_[r] * Loss::dmargin(margin(x), batch_labels_[r]) * inv_n;
      if (options_.fit_bias) touch(0, g, 1.0f);
      for (const auto& e : x) touch(std::size_t{e.index} + 1, g * e.value, e.value);
    }
    optimizer_.begin_update();
    float* w = w_.data();
    if (averaging_) {
      ++avg_t_;
      for (const auto k : touched_) note(k);
    }
    for (const auto k : touched_) {
      w[k] = optimizer_.step(k, w[k], grad_[k], scale_[k], k == 0 ? regularization{} : reg_);
      grad_[k] = 0.0f;
      scale_[k] = 0.0f;
    }
    touched_.clear();
    batch_entries_.clear();
    batch_offsets_.assign(1, 0);
    batch_labels_.clear();
    batch_importance_.clear();
    batch_max_index_ = 0;
  }

  /// Starts Polyak-Ruppert averaging: from now on the model also keeps the running mean of its
  /// weights after each step (lazily, O(active features) per step). Predictions keep using the
  /// current weights until finish_averaging() replaces them with that mean, the usual last
  /// step of multi-pass SGD (Polyak & Juditsky 1992; Bottou 2010, ASGD).
  void start_averaging() {
    averaging_ = true;
    avg_t_ = 0;
    avg_sum_.assign(static_cast<std::size_t>(w_.size()), 0.0);
    avg_last_.assign(static_cast<std::size_t>(w_.size()), 0);
  }
  /// Replaces the weights by their average since start_averaging() and stops averaging.
  void finish_averaging() {
    if (averaging_ && avg_t_ > 0) {
      const auto t = static_cast<double>(avg_t_);
      for (Eigen::Index k = 0; k < w_.size(); ++k) {
        const auto i = static_cast<std::size_t>(k);
        const double held = static_cast<double>(avg_t_ - avg_last_[i]);
        w_[k] = static_cast<float>((avg_sum_[i] + static_cast<double>(w_[k]) * held) / t);
      }
    }
    averaging_ = false;
  }
  bool averaging() const noexcept { return averaging_; }
  /// Replaces the optimizer (its parameters and state) and keeps the weights: a copy of
  /// optimizer() with another learning rate for later passes, or a fresh one (warm restart).
  void restart_optimizer(Optimizer optimizer) {
    optimizer_ = std::move(optimizer);
    optimizer_.grow(static_cast<std::size_t>(w_.size()));
  }

  /// Replaces the weights (slot 0 the bias), e.g. by a batch solver's (irls.hpp); the optimizer's
  /// state is kept, so online learning goes on from them.
  void assign_weights(const Eigen::VectorXf& w) {
    if (averaging_) throw std::logic_error("linear_model: assign_weights while averaging");
    grow_to(static_cast<std::size_t>(w.size()));
    w_.head(w.size()) = w;
    w_.tail(w_.size() - w.size()).setZero();
  }

  float bias() const noexcept { return w_.size() > 0 ? w_[0] : 0.0f; }
  /// Weight of feature i (0 if never learned).
  float weight(std::uint32_t i) const noexcept {
    const auto k = static_cast<Eigen::Index>(i) + 1;
    return k < w_.size() ? w_[k] : 0.0f;
  }
  /// All weights: slot 0 the bias, slot i + 1 feature i.
  const Eigen::VectorXf& weights() const noexcept { return w_; }
  /// Number of feature slots learned so far.
  std::size_t dimension() const noexcept {
    return w_.size() > 0 ? static_cast<std::size_t>(w_.size()) - 1 : 0;
  }
  const Optimizer& optimizer() const noexcept { return optimizer_; }
  const linear_options& options() const noexcept { return options_; }

  /// The weights; with a resume snapshot also the optimizer's state, the class counts, a partial
  /// mini-batch and averaging (snapshot/archive.hpp). The options are configuration.
  template <class Archive>
  void state(Archive& a) {
    a("weights", w_);
    if constexpr (Archive::loading) {
      // Learning from a served model goes on from its weights with a fresh optimizer state
      // (resume snapshots load theirs below); nothing of a mini-batch or averaging is pending.
      batch_entries_.clear();
      batch_offsets_.assign(1, 0);
      batch_labels_.clear();
      batch_importance_.clear();
      batch_max_index_ = 0;
      averaging_ = false;
      optimizer_.grow(static_cast<std::size_t>(w_.size()));
    }
    if (!a.resume()) return;
    a("optimizer", optimizer_);
    a("class_weight", options_.class_weight);
    std::vector<std::uint8_t> labels(batch_labels_.begin(), batch_labels_.end());
    std::vector<std::uint32_t> indices;
    std::vector<float> values;
    for (const auto& e : batch_entries_) {
      indices.push_back(e.index);
      values.push_back(e.value);
    }
    a("batch_indices", indices);
    a("batch_values", values);
    a("batch_offsets", batch_offsets_);
    a("batch_labels", labels);
    a("batch_importance", batch_importance_);
    a("batch_max_index", batch_max_index_);
    a("averaging", averaging_);
    a("avg_t", avg_t_);
    a("avg_sum", avg_sum_);
    a("avg_last", avg_last_);
    if constexpr (Archive::loading) {
      a.check(indices.size() == values.size(), "batch indices and values differ in size");
      batch_entries_.clear();
      for (std::size_t i = 0; i < indices.size(); ++i)
        batch_entries_.push_back({indices[i], values[i]});
      batch_labels_.assign(labels.begin(), labels.end());
      a.check(!batch_offsets_.empty() && batch_offsets_.front() == 0 &&
                  std::is_sorted(batch_offsets_.begin(), batch_offsets_.end()) &&
                  batch_offsets_.back() == batch_entries_.size() &&
                  batch_labels_.size() + 1 == batch_offsets_.size() &&
                  batch_importance_.size() == batch_labels_.size() &&
                  batch_labels_.size() < options_.batch_size,
              "the partial mini-batch is inconsistent");
      for (const auto& e : batch_entries_)
        a.check(e.index <= batch_max_index_, "a batched feature beyond batch_max_index");
      a.check(!averaging_ || (avg_sum_.size() == static_cast<std::size_t>(w_.size()) &&
                              avg_last_.size() == avg_sum_.size()),
              "averaging sums differ in size from the weights");
      // Every optimizer array covers every weight (a smaller one is grown with zeros)
      optimizer_.grow(static_cast<std::size_t>(w_.size()));
      grad_.clear();
      scale_.clear();
      touched_.clear();
    }
  }

 private:
  // w.x + b, noting in `beyond` whether a feature lies past the weights (it weighs 0).
  float margin(features::sparse_view x, bool& beyond) const noexcept {
    const auto n = static_cast<std::size_t>(w_.size());
    const float* w = w_.data();
    // four partial sums: one running sum would put every feature's add on the record's chain
    float part[4] = {n > 0 ? w[0] : 0.0f, 0.0f, 0.0f, 0.0f};
    const features::entry* e = x.data();
    const std::size_t size = x.size();
    std::size_t i = 0;
    for (; i + 4 <= size; i += 4)
      for (std::size_t j = 0; j < 4; ++j) {
        const std::size_t k = std::size_t{e[i + j].index} + 1;
        beyond |= k >= n;
        part[j] += k < n ? w[k] * e[i + j].value : 0.0f;
      }
    for (; i < size; ++i) {
      const std::size_t k = std::size_t{e[i].index} + 1;
      beyond |= k >= n;
      if (k < n) part[0] += w[k] * e[i].value;
    }
    return (part[0] + part[1]) + (part[2] + part[3]);
  }
  // margin(x), then the weights grown to x's largest feature if it lies past them (the margin
  // stands: slots the growth adds weigh 0). One pass over x when nothing grows.
  float grow_and_margin(features::sparse_view x) {
    bool beyond = w_.size() == 0;
    const float m = margin(x, beyond);
    if (beyond) {
      std::uint32_t hi = 0;
      for (const auto& e : x) hi = std::max(hi, e.index);
      grow_to(std::size_t{hi} + 2);
    }
    return m;
  }
  // learn_one, and with Predict the probability before the step.
  template <bool Predict>
  float step_one(features::sparse_view x, bool y, float sample_weight) {
    options_.class_weight.observe(y);
    const float importance = sample_weight * options_.class_weight.weight(y);
    if (options_.batch_size > 1) {
      const float p = Predict ? predict_proba(x) : 0.0f;
      buffer_one(x, y, importance);
      if (batch_labels_.size() >= options_.batch_size) flush();
      return p;
    }
    const float m = grow_and_margin(x);
    learn_at(x, y, importance, m);
    if constexpr (Predict) return Loss::proba(m);
    return 0.0f;
  }
  // One step on (x, y) at x's known margin m (the weights already grown to x).
  void learn_at(features::sparse_view x, bool y, float importance, float m) {
    float* w = w_.data();
    if (averaging_) note_step(x);
    if constexpr (detail::example_optimizer<Optimizer, Loss>) {
      // |dmargin| = the descent at the signed margin; the step reuses it (one exp, not two)
      const float descent = Loss::descent(y ? m : -m);
      const float g2 = importance * descent * descent;
      typename Optimizer::example_sums sums{};
      optimizer_.begin_example(x.size() + 1);
      // the entries the lane steps take, found once for both passes
      const std::size_t span =
          detail::lane_observer<Optimizer> || detail::lane_applier<Optimizer> ? lane_span(x) : 0;
      if (options_.fit_bias) optimizer_.observe(0, 0, 1.0f, g2, w[0], sums);
      observe_features(x, span, g2, sums);
      const float u = optimizer_.template finish<Loss>(m, y, descent, importance, sums);
      if (u == 0.0f && reg_.l1 == 0.0f && reg_.l2 == 0.0f) return;
      if (options_.fit_bias) w[0] = optimizer_.apply(0, 0, w[0], 1.0f, u, regularization{});
      apply_features(x, span, u);
    } else {
      optimizer_.begin_update();
      const float g = importance * Loss::dmargin(m, y);
      if (g == 0.0f && reg_.l1 == 0.0f && reg_.l2 == 0.0f) return;
      if (options_.fit_bias) w[0] = optimizer_.step(0, w[0], g, 1.0f, regularization{});
      step_features(x, g);
    }
  }
  void grow_to(std::size_t needed) {
    const auto old = static_cast<std::size_t>(w_.size());
    if (needed <= old) return;
    const std::size_t size = std::max({needed, old * 2, std::size_t{64}});
    w_.conservativeResize(static_cast<Eigen::Index>(size));
    w_.tail(static_cast<Eigen::Index>(size - old)).setZero();
    optimizer_.grow(size);
    if (averaging_) {
      avg_sum_.resize(size, 0.0);
      avg_last_.resize(size, 0);
    }
  }
  // How many of x's entries, from the first, whole lanes of distinct features cover (a multiple
  // of `lanes`): up to the first lane whose features repeat, or too few entries left.
  static std::size_t lane_span(features::sparse_view x) noexcept {
    std::size_t i = 0;
    while (i + detail::lanes <= x.size() && !detail::repeats(x.data() + i)) i += detail::lanes;
    return i;
  }
  // Calls lane(optimizer, e, at) on the whole lanes of x's first lane_span(x) entries when the
  // optimizer can (Lanes), then one(entry, slot, at) on each entry left; at is the entry's
  // position in the example (the bias is 0, entry i is i + 1). Two passes over one example share
  // the span, found once (Known: `span` is lane_span(x)); a single pass finds it on the way.
  // (lane takes the optimizer as a generic parameter, so its body is only compiled for
  // optimizers that have lane steps.)
  template <bool Lanes, bool Known, class LaneStep, class OneStep>
  void each_feature(features::sparse_view x, std::size_t span, LaneStep&& lane,
                    OneStep&& one) noexcept {
    const features::entry* e = x.data();
    std::size_t i = 0;
    if constexpr (Lanes && Known) {
      for (; i < span; i += detail::lanes) lane(optimizer_, e + i, i + 1);
    } else if constexpr (Lanes) {
      for (; i + detail::lanes <= x.size() && !detail::repeats(e + i); i += detail::lanes)
        lane(optimizer_, e + i, i + 1);
    }
    for (; i < x.size(); ++i) one(e[i], std::size_t{e[i].index} + 1, i + 1);
  }
  // The feature coordinates' steps for the loss gradient g (per unit of feature value).
  void step_features(features::sparse_view x, float g) noexcept {
    float* w = w_.data();
    each_feature<detail::lane_optimizer<Optimizer>, false>(
        x, 0, [&](auto& opt, const auto* e, std::size_t) { opt.step_lanes(e, w, g, reg_); },
        [&](const features::entry& e, std::size_t k, std::size_t) {
          w[k] = optimizer_.step(k, w[k], g * e.value, e.value, reg_);
        });
  }
  template <class Sums>
  void observe_features(features::sparse_view x, std::size_t span, float g2, Sums& sums) noexcept {
    float* w = w_.data();
    each_feature<detail::lane_observer<Optimizer>, true>(
        x, span,
        [&](auto& opt, const auto* e, std::size_t at) { opt.observe_lanes(e, at, w, g2, sums); },
        [&](const features::entry& e, std::size_t k, std::size_t at) {
          optimizer_.observe(k, at, e.value, g2, w[k], sums);
        });
  }
  void apply_features(features::sparse_view x, std::size_t span, float u) noexcept {
    float* w = w_.data();
    each_feature<detail::lane_applier<Optimizer>, true>(
        x, span,
        [&](auto& opt, const auto* e, std::size_t at) { opt.apply_lanes(e, at, w, u, reg_); },
        [&](const features::entry& e, std::size_t k, std::size_t at) {
          w[k] = optimizer_.apply(k, at, w[k], e.value, u, reg_);
        });
  }
  void buffer_one(features::sparse_view x, bool y, float importance) {
    if (batch_offsets_.empty()) batch_offsets_.push_back(0);
    for (const auto& e : x) {
      batch_entries_.push_back(e);
      batch_max_index_ = std::max(batch_max_index_, std::size_t{e.index});
    }
    batch_offsets_.push_back(batch_entries_.size());
    batch_labels_.push_back(y);
    batch_importance_.push_back(importance);
  }
  // Averaging: before coordinate k changes in step avg_t_, add its old value times the steps it
  // was held (the steps after its last change up to the previous one).
  void note(std::size_t k) noexcept {
    avg_sum_[k] += static_cast<double>(w_[static_cast<Eigen::Index>(k)]) *
                   static_cast<double>(avg_t_ - 1 - avg_last_[k]);
    avg_last_[k] = avg_t_ - 1;
  }
  void note_step(features::sparse_view x) noexcept {
    ++avg_t_;
    if (options_.fit_bias) note(0);
    for (const auto& e : x) note(std::size_t{e.index} + 1);
  }
  void touch(std::size_t k, float g, float x) {
    if (grad_[k] == 0.0f && scale_[k] == 0.0f) touched_.push_back(k);
    grad_[k] += g;
    // a tiny sentinel keeps a touched coordinate marked even when its value is 0
    scale_[k] = std::max({scale_[k], std::abs(x), 1e-30f});
  }

  Eigen::VectorXf w_;
  Optimizer optimizer_;
  linear_options options_;
  regularization reg_;
  // mini-batch buffers, reused
  std::vector<features::entry> batch_entries_;
  std::vector<std::size_t> batch_offsets_{0};
  std::vector<bool> batch_labels_;
  std::vector<float> batch_importance_;
  std::size_t batch_max_index_ = 0;
  std::vector<float> grad_;
  std::vector<float> scale_;
  std::vector<std::size_t> touched_;
  // averaging
  bool averaging_ = false;
  std::uint64_t avg_t_ = 0;
  std::vector<double> avg_sum_;
  std::vector<std::uint64_t> avg_last_;
};

}  // namespace riptide::learn
