// riptide/drift/retrainer.hpp: drift-driven retraining around any online model.
//
// A retrainer watches a model's prequential errors (1 = the prediction was wrong) with a drift
// detector and keeps a background challenger:
//   - a detector with a warning zone (DDM, EDDM, HDDM_A, HDDM_W) starts a fresh challenger at
//     the first warning; it learns every record from then on and is dropped after
//     `recent_window` records without a warning or a drift;
//   - a detector without one (ADWIN, Page-Hinkley, KSWIN) keeps a challenger that restarts
//     every 2 * recent_window records, so it has always seen only recent data.
// On drift the challenger replaces the model when it has seen at least min_challenger_records
// and its accuracy over the last records both saw (at most recent_window) is higher; otherwise
// the model restarts from the fresh prototype. A drift whose error went down (the newer half of
// the model's recent window has no more errors than the older half: two-sided detectors such as
// ADWIN also report improvements, e.g. a restarted model learning) keeps the model. Either way
// the detector starts afresh and an event says what happened (index, detector, the model's
// recent error rate, action: replaced, reset or kept).
//
// The caller owns the test-then-train loop: predict with model() (and challenger() when there
// is one), report both outcomes to observe(), then let model() and challenger() learn the record.
//
// Parameters (defaults):
//   recent_window = 500            records over which model and challenger are compared
//   min_challenger_records = 100   records a challenger needs before it can take over
//
// Example:
//   struct majority {  // a toy online model: predicts the majority label seen so far
//     long ones = 0, total = 0;
//     bool predict() const { return 2 * ones > total; }
//     void learn(bool y) { ones += y; ++total; }
//   };
//   riptide::drift::retrainer r(majority{}, riptide::drift::ddm{}, "ddm");
//   long events = 0;
//   for (int i = 0; i < 4000; ++i) {
//     const bool y = i < 2000 ? (i % 10 != 0) : (i % 10 == 0);  // the concept flips at 2000
//     const bool challenger_right = r.challenger() && r.challenger()->predict() == y;
//     if (r.observe(i, r.model().predict() == y, challenger_right)) ++events;
//     r.model().learn(y);
//     if (r.challenger()) r.challenger()->learn(y);
//   }
//   if (events == 0 || !(r.model().predict() == false)) std::abort();
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "riptide/drift/detector.hpp"

namespace riptide::drift {

struct retrainer_options {
  std::size_t recent_window = 500;
  std::size_t min_challenger_records = 100;
};

enum class retrain_action : unsigned char { replaced, reset, kept };

inline constexpr std::string_view to_string(retrain_action a) noexcept {
  return a == retrain_action::replaced ? "replaced" : a == retrain_action::reset ? "reset" : "kept";
}

/// What a retrainer did on a drift.
struct retrain_event {
  std::uint64_t index = 0;  ///< 0-based record after which drift was detected
  std::string detector;     ///< the detector's name
  double statistic = 0.0;   ///< the model's error rate over the recent window
  retrain_action action = retrain_action::reset;
  double model_accuracy = 0.0;        ///< over the records model and challenger both saw
  double challenger_accuracy = -1.0;  ///< -1 when there was no eligible challenger
};

template <class Model, detector D>
class retrainer {
 public:
  retrainer(Model fresh, D drift_detector, std::string detector_name,
            retrainer_options options = {})
      : fresh_(fresh),
        model_(std::move(fresh)),
        detector_(std::move(drift_detector)),
        name_(std::move(detector_name)),
        opt_(options) {
    if (opt_.recent_window == 0) throw std::invalid_argument("retrainer: recent_window == 0");
    model_hits_.assign(opt_.recent_window, 0);
    challenger_hits_.assign(opt_.recent_window, 0);
  }

  Model& model() noexcept { return model_; }
  const Model& model() const noexcept { return model_; }
  /// The background challenger, or nullptr.
  Model* challenger() noexcept { return challenger_ ? &*challenger_ : nullptr; }
  const D& detector() const noexcept { return detector_; }

  /// Reports record `index`: whether model() and (when there is one) challenger() predicted it
  /// right. Returns the event when drift was detected after it.
  std::optional<retrain_event> observe(std::uint64_t index, bool model_correct,
                                       bool challenger_correct = false) {
    push(model_hits_, model_count_, model_seen_, model_correct);
    if (challenger_) {
      push(challenger_hits_, challenger_count_, challenger_seen_, challenger_correct);
      // The model's hits over the same records, for a fair comparison.
      shared_model_count_ += model_correct;
      if (challenger_seen_ > opt_.recent_window) {
        const std::size_t leaving_slot =
            (challenger_seen_ - 1 - opt_.recent_window) % opt_.recent_window;
        shared_model_count_ -= shared_model_hits_[leaving_slot];
      }
      shared_model_hits_[(challenger_seen_ - 1) % opt_.recent_window] = model_correct;
    }
    detector_.update(model_correct ? 0.0 : 1.0);

    if (detector_.drift_detected()) return on_drift(index);

    bool warning = false;
    if constexpr (warning_detector<D>) warning = detector_.warning_detected();
    if constexpr (warning_detector<D>) {
      if (warning) {
        quiet_ = 0;
        if (!challenger_) start_challenger();
      } else if (challenger_ && ++quiet_ >= opt_.recent_window) {
        challenger_.reset();
      }
    } else {
      if (!challenger_ || challenger_seen_ >= 2 * opt_.recent_window) start_challenger();
    }
    return std::nullopt;
  }

 private:
  void push(std::vector<unsigned char>& ring, std::size_t& count, std::uint64_t& seen,
            bool hit) noexcept {
    const std::size_t slot = static_cast<std::size_t>(seen % opt_.recent_window);
    if (seen >= opt_.recent_window) count -= ring[slot];
    ring[slot] = hit;
    count += hit;
    ++seen;
  }

  void start_challenger() {
    challenger_.emplace(fresh_);
    challenger_seen_ = 0;
    challenger_count_ = 0;
    shared_model_count_ = 0;
    shared_model_hits_.assign(opt_.recent_window, 0);
    quiet_ = 0;
  }

  retrain_event on_drift(std::uint64_t index) {
    retrain_event e;
    e.index = index;
    e.detector = name_;
    const std::size_t window = static_cast<std::size_t>(
        model_seen_ < opt_.recent_window ? model_seen_ : opt_.recent_window);
    e.statistic =
        window ? 1.0 - static_cast<double>(model_count_) / static_cast<double>(window) : 0.0;
    // Direction: errors in the newer half of the model's recent window against the older half.
    const std::size_t half = window / 2;
    std::size_t newer_hits = 0, older_hits = 0;
    for (std::size_t k = 0; k < 2 * half; ++k) {
      const std::size_t slot = static_cast<std::size_t>((model_seen_ - 1 - k) % opt_.recent_window);
      (k < half ? newer_hits : older_hits) += model_hits_[slot];
    }
    if (half > 0 && newer_hits >= older_hits) {
      e.action = retrain_action::kept;
      e.model_accuracy =
          static_cast<double>(model_count_) / static_cast<double>(window ? window : 1);
      return e;
    }
    const bool eligible = challenger_ && challenger_seen_ >= opt_.min_challenger_records;
    if (eligible) {
      const double shared = static_cast<double>(
          challenger_seen_ < opt_.recent_window ? challenger_seen_ : opt_.recent_window);
      e.model_accuracy = static_cast<double>(shared_model_count_) / shared;
      e.challenger_accuracy = static_cast<double>(challenger_count_) / shared;
    } else {
      e.model_accuracy =
          window ? static_cast<double>(model_count_) / static_cast<double>(window) : 0.0;
    }
    if (eligible && e.challenger_accuracy > e.model_accuracy) {
      model_ = std::move(*challenger_);
      e.action = retrain_action::replaced;
    } else {
      model_ = fresh_;
      e.action = retrain_action::reset;
    }
    challenger_.reset();
    challenger_seen_ = 0;
    // The new model's record starts now.
    model_seen_ = 0;
    model_count_ = 0;
    if constexpr (!warning_detector<D>) start_challenger();
    return e;
  }

  Model fresh_;
  Model model_;
  std::optional<Model> challenger_;
  D detector_;
  std::string name_;
  retrainer_options opt_;
  std::vector<unsigned char> model_hits_, challenger_hits_, shared_model_hits_;
  std::size_t model_count_ = 0, challenger_count_ = 0, shared_model_count_ = 0;
  std::uint64_t model_seen_ = 0, challenger_seen_ = 0;
  std::size_t quiet_ = 0;
};

}  // namespace riptide::drift
