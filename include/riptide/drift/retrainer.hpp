// riptide/drift/retrainer.hpp: drift-driven retraining around any online model.
//
// A retrainer watches the prequential errors of the model it serves (1 = the prediction made
// before learning the record was wrong) with a drift detector and keeps at most one model
// learning in the background:
//   - warning (DDM, EDDM, HDDM_A, HDDM_W): a challenger starts, a fresh model that learns every
//     record from then on. If `recent_window` records pass without a warning or a drift, it
//     retires: it replaces the model when it has done better (a warning zone can last long
//     without the drift being confirmed), else it is dropped.
//   - drift (any detector): the challenger replaces the model when it has learned at least
//     min_challenger_records and was right more often than the model on the records both saw
//     (the last recent_window at most). Otherwise the model resets: a fresh model serves from the
//     next record, and the previous one learns on in the background for `trial` records; when it
//     was right more often than the fresh one over the last recent_window of them, it comes back
//     (the drift was a false alarm), else it is dropped; it also comes back as soon as it leads the
//     fresh one clearly (by three standard deviations). A drift during the trial brings it back
//     at once when it has done better so far (after min_challenger_records); otherwise the better
//     of the two on their shared records stays on trial. So detectors without a warning zone
//     (ADWIN, Page-Hinkley, KSWIN) reset at once, at the cost of a background model during the
//     trial rather than of accuracy after a false alarm. The caller's feature encoder is not part
//     of the model and is kept.
//   - a drift after which the model's errors did not rise (the newer half of its recent window has
//     no more errors than the older half: two-sided detectors such as ADWIN also fire when a model
//     improves, e.g. right after a reset) changes nothing.
// Every decision is an event: the record index, the detector's name, the model's error rate over
// its recent window (`statistic`), the action (challenger_started, replaced, reset, restored,
// kept, challenger_dropped) and both models' accuracies on their shared records. The detector
// starts afresh after each drift (as in River) and watches whichever model serves.
//
// Why a fresh model helps at all: an online learner with decaying steps (AdaGrad's accumulated
// squared gradients, 1/t schedules) takes longer to unlearn a concept the longer it has learned
// it, so late in a stream a model trained only after the change overtakes it within a few hundred
// records. A warm restart (the old weights with fresh optimizer state) was measured and did worse
// than a fresh model on SEA, hyperplane and telco-shift, so challengers start fresh.
//
// The caller owns the test-then-train loop: predict with model() (and challenger() when there
// is one), report both outcomes to observe(), then let model() and challenger() learn the record.
// Models come from a factory (any callable returning a Model), or are copies of a prototype.
// state() lists the model's state and, in a resume snapshot, the background model, the detector
// and the records kept (snapshot/archive.hpp).
//
// Parameters (defaults):
//   recent_window = 500            records over which two models are compared
//   min_challenger_records = 100   records a challenger needs before it can replace the model
//   trial = 1000                   records the previous model stays in the background after a
//                                  reset
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
//     events += static_cast<long>(r.observe(i, r.model().predict() == y, challenger_right).size());
//     r.model().learn(y);
//     if (r.challenger()) r.challenger()->learn(y);
//   }
//   if (events == 0 || !(r.model().predict() == false)) std::abort();
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "riptide/drift/detector.hpp"
#include "riptide/param.hpp"

namespace riptide::drift {

struct retrainer_options {
  std::size_t recent_window = 500;
  std::size_t min_challenger_records = 100;
  std::size_t trial = 1000;
};

/// retrainer_options' parameters (riptide/param.hpp).
constexpr auto parameters(std::type_identity<retrainer_options>) {
  using o = retrainer_options;
  return declare_params(
      "retrainer",
      param{"recent_window", &o::recent_window, "records over which two models are compared"}
          .at_least(1),
      param{"min_challenger_records", &o::min_challenger_records,
            "records a challenger needs before it can replace the model"},
      param{"trial", &o::trial, "records the previous model stays in the background after a reset"}
          .at_least(1));
}

enum class retrain_action : unsigned char {
  challenger_started,  ///< a warning started a challenger
  replaced,            ///< the challenger became the model
  reset,               ///< a fresh model serves; the previous one is on trial in the background
  kept,                ///< drift, but the model's errors did not rise: nothing changes
  challenger_dropped,  ///< a warning's challenger retired after a quiet period
  restored,            ///< after a reset, the previous model did better on the trial: it is back
};

inline constexpr std::string_view to_string(retrain_action a) noexcept {
  switch (a) {
    case retrain_action::challenger_started:
      return "challenger_started";
    case retrain_action::replaced:
      return "replaced";
    case retrain_action::reset:
      return "reset";
    case retrain_action::kept:
      return "kept";
    case retrain_action::challenger_dropped:
      return "challenger_dropped";
    case retrain_action::restored:
      return "restored";
  }
  return "?";
}

/// One decision of a retrainer.
struct retrain_event {
  std::uint64_t index = 0;  ///< 0-based record after which it happened
  std::string detector;     ///< the detector's name
  double statistic = 0.0;   ///< the model's error rate over its recent window
  retrain_action action = retrain_action::reset;
  bool drift = false;                 ///< the detector signalled drift on this record
  double model_accuracy = -1.0;       ///< on the records model and challenger both saw (-1: none)
  double challenger_accuracy = -1.0;  ///< ditto, the challenger's (-1: no eligible challenger)
  std::uint64_t challenger_records = 0;  ///< records the challenger had learned

  template <class Archive>
  void state(Archive& a) {
    a("index", index);
    a("detector", detector);
    a("statistic", statistic);
    a("action", action);
    a("drift", drift);
    a("model_accuracy", model_accuracy);
    a("challenger_accuracy", challenger_accuracy);
    a("challenger_records", challenger_records);
    a.check(action <= retrain_action::restored, "unknown retraining action");
  }
};

struct retrainer_counts {
  std::uint64_t drifts = 0, warnings = 0, challengers = 0, replaced = 0, resets = 0, kept = 0,
                dropped = 0, restored = 0;

  template <class Archive>
  void state(Archive& a) {
    a("drifts", drifts);
    a("warnings", warnings);
    a("challengers", challengers);
    a("replaced", replaced);
    a("resets", resets);
    a("kept", kept);
    a("dropped", dropped);
    a("restored", restored);
  }
};

template <class Model, detector D>
class retrainer {
 public:
  using factory = std::function<Model()>;

  /// Models are fresh copies of `prototype`.
  retrainer(Model prototype, D drift_detector, std::string detector_name,
            retrainer_options options = {}) requires std::copy_constructible<Model>
      : retrainer(factory([p = prototype] { return p; }), std::move(drift_detector),
                  std::move(detector_name), options) {}

  /// Models come from `make` (called once now, then for every reset and challenger).
  retrainer(factory make, D drift_detector, std::string detector_name,
            retrainer_options options = {})
      : make_(std::move(make)),
        model_(make_()),
        detector_(std::move(drift_detector)),
        name_(std::move(detector_name)),
        opt_(options) {
    if (opt_.recent_window == 0) throw std::invalid_argument("retrainer: recent_window is 0");
    if (opt_.trial == 0) throw std::invalid_argument("retrainer: trial is 0");
    model_hits_.assign(opt_.recent_window, 0);
    shared_model_hits_.assign(opt_.recent_window, 0);
    background_hits_.assign(opt_.recent_window, 0);
  }

  Model& model() noexcept { return model_; }
  const Model& model() const noexcept { return model_; }
  /// The model learning in the background (a challenger, or the previous model on trial after a
  /// reset), or nullptr. It learns every record the caller feeds the model.
  Model* challenger() noexcept { return background_ ? &*background_ : nullptr; }
  const Model* challenger() const noexcept { return background_ ? &*background_ : nullptr; }
  /// Whether the background model is the previous model on trial (after a reset).
  bool on_trial() const noexcept { return background_ && fallback_; }
  const D& detector() const noexcept { return detector_; }
  const std::string& detector_name() const noexcept { return name_; }
  const retrainer_options& options() const noexcept { return opt_; }
  const retrainer_counts& counts() const noexcept { return counts_; }

  /// The model's state; in a resume snapshot also the background model (a loader makes it with
  /// the factory, then fills it), the detector, the recent hits and the counts
  /// (snapshot/archive.hpp). A loader fills a retrainer made with the same factory, detector and
  /// options, and refuses records that do not fit them.
  template <class Archive>
  void state(Archive& a) {
    a("model", model_);
    if (!a.resume()) return;
    bool background = background_.has_value();
    a("has_background", background);
    if constexpr (Archive::loading) {
      if (background)
        background_.emplace(make_());
      else
        background_.reset();
    }
    if (background) a("background", *background_);
    a("fallback", fallback_);
    a("detector", detector_);
    a("model_hits", model_hits_);
    a("shared_model_hits", shared_model_hits_);
    a("background_hits", background_hits_);
    a("model_count", model_count_);
    a("shared_model_count", shared_model_count_);
    a("background_count", background_count_);
    a("model_seen", model_seen_);
    a("background_seen", background_seen_);
    a("quiet", quiet_);
    a("counts", counts_);
    if constexpr (Archive::loading) {
      const std::size_t w = opt_.recent_window;
      a.check(
          model_hits_.size() == w && shared_model_hits_.size() == w && background_hits_.size() == w,
          "recent hits differ from recent_window");
      // Each count is the hits of the first min(seen, recent_window) slots of its ring.
      const auto hits = [&](const std::vector<unsigned char>& ring, std::uint64_t seen) {
        std::size_t n = 0;
        bool binary = true;
        for (std::size_t i = 0; i < w; ++i) {
          binary = binary && ring[i] <= 1;
          if (i < seen) n += ring[i];
        }
        return binary ? n : w + 1;
      };
      a.check(hits(model_hits_, model_seen_) == model_count_,
              "the model's hit count differs from its recent hits");
      a.check(hits(background_hits_, background_seen_) == background_count_ &&
                  hits(shared_model_hits_, background_seen_) == shared_model_count_,
              "the background hit counts differ from their recent hits");
      a.check(quiet_ <= w, "quiet records beyond recent_window");
      events_.clear();
    }
  }

  /// Reports record `index`: whether model() and (when there is one) challenger() predicted it
  /// right. Returns the decisions taken after it (usually none; valid until the next call).
  std::span<const retrain_event> observe(std::uint64_t index, bool model_correct,
                                         bool challenger_correct = false) {
    events_.clear();
    push(model_hits_, model_count_, model_seen_, model_correct);
    if (background_) {
      push(background_hits_, background_count_, background_seen_, challenger_correct);
      --background_seen_;  // the shared ring moves with the background model's clock
      push(shared_model_hits_, shared_model_count_, background_seen_, model_correct);
    }
    detector_.update(model_correct ? 0.0 : 1.0);

    if (detector_.drift_detected()) {
      ++counts_.drifts;
      on_drift(index);
      return events_;
    }
    if (background_ && fallback_) {
      if (background_seen_ >= opt_.trial || fallback_clearly_better()) end_trial(index);
      return events_;
    }
    if constexpr (warning_detector<D>) {
      if (detector_.warning_detected()) {
        ++counts_.warnings;
        quiet_ = 0;
        if (!background_) start_challenger(index);
      } else if (background_ && ++quiet_ >= opt_.recent_window) {
        // A warning that never became a drift: the challenger retires, and takes over when it
        // has done better (the warning zone can last long without a drift being confirmed).
        if (challenger_wins()) {
          replace(index, false);
        } else {
          ++counts_.dropped;
          emit(index, retrain_action::challenger_dropped, false);
          background_.reset();
        }
      }
    }
    return events_;
  }

 private:
  void push(std::vector<unsigned char>& ring, std::size_t& count, std::uint64_t& seen,
            bool hit) noexcept {
    const auto slot = static_cast<std::size_t>(seen % opt_.recent_window);
    if (seen >= opt_.recent_window) count -= ring[slot];
    ring[slot] = hit;
    count += hit;
    ++seen;
  }

  double model_error_rate() const noexcept {
    const auto window = static_cast<std::size_t>(
        model_seen_ < opt_.recent_window ? model_seen_ : opt_.recent_window);
    return window ? 1.0 - static_cast<double>(model_count_) / static_cast<double>(window) : 0.0;
  }

  void emit(std::uint64_t index, retrain_action action, bool drift) {
    retrain_event e;
    e.index = index;
    e.detector = name_;
    e.statistic = model_error_rate();
    e.action = action;
    e.drift = drift;
    if (background_) {
      e.challenger_records = background_seen_;
      if (background_seen_ > 0) {
        const double shared = static_cast<double>(
            background_seen_ < opt_.recent_window ? background_seen_ : opt_.recent_window);
        e.model_accuracy = static_cast<double>(shared_model_count_) / shared;
        e.challenger_accuracy = static_cast<double>(background_count_) / shared;
      }
    }
    events_.push_back(std::move(e));
  }

  void start_background(Model m, bool fallback) {
    background_.emplace(std::move(m));
    fallback_ = fallback;
    background_seen_ = 0;
    background_count_ = 0;
    shared_model_count_ = 0;
    quiet_ = 0;
  }

  void start_challenger(std::uint64_t index) {
    start_background(make_(), false);
    ++counts_.challengers;
    emit(index, retrain_action::challenger_started, false);
  }

  bool challenger_wins() const noexcept {
    return background_ && !fallback_ && background_seen_ >= opt_.min_challenger_records &&
           background_count_ > shared_model_count_;
  }

  // The background model becomes the model.
  void replace(std::uint64_t index, bool drift) {
    ++counts_.replaced;
    emit(index, retrain_action::replaced, drift);
    model_ = std::move(*background_);
    background_.reset();
    restart_model_record();
  }

  // A fresh model serves; the previous one learns on in the background for `trial` records.
  void reset(std::uint64_t index) {
    ++counts_.resets;
    emit(index, retrain_action::reset, true);
    if (background_ && !fallback_) background_.reset();  // a challenger not (yet) better
    // The model that drifted goes on trial, unless one already is and did better on their shared
    // records.
    Model previous = std::exchange(model_, make_());
    if (background_ && fallback_ && background_count_ > shared_model_count_) {
      background_seen_ = 0;
      background_count_ = 0;
      shared_model_count_ = 0;
    } else {
      start_background(std::move(previous), true);
    }
    restart_model_record();
  }

  // The trial after a reset is over: the previous model returns when it did better.
  void end_trial(std::uint64_t index) {
    if (background_count_ > shared_model_count_) {
      restore(index, false);
    } else {
      background_.reset();
      fallback_ = false;
    }
  }

  // The model on trial leads the fresh one by more than three standard deviations of the
  // difference of two independent hit counts of equal accuracy (sqrt(2 n p (1 - p)) <=
  // sqrt(n / 2)), after min_challenger_records: a false alarm; no need to wait for the trial's end.
  bool fallback_clearly_better() const noexcept {
    if (background_seen_ < opt_.min_challenger_records) return false;
    const double n = static_cast<double>(
        background_seen_ < opt_.recent_window ? background_seen_ : opt_.recent_window);
    const double lead =
        static_cast<double>(background_count_) - static_cast<double>(shared_model_count_);
    return lead > 3.0 * std::sqrt(n / 2.0);
  }

  void restore(std::uint64_t index, bool drift) {
    ++counts_.restored;
    emit(index, retrain_action::restored, drift);
    model_ = std::move(*background_);
    background_.reset();
    fallback_ = false;
    restart_model_record();
  }

  // Whether the model's errors rose: the newer half of its recent window against the older.
  bool error_rose() const noexcept {
    const auto window = static_cast<std::size_t>(
        model_seen_ < opt_.recent_window ? model_seen_ : opt_.recent_window);
    const std::size_t half = window / 2;
    if (half == 0) return true;
    std::size_t newer_hits = 0, older_hits = 0;
    for (std::size_t k = 0; k < 2 * half; ++k) {
      const auto slot = static_cast<std::size_t>((model_seen_ - 1 - k) % opt_.recent_window);
      (k < half ? newer_hits : older_hits) += model_hits_[slot];
    }
    return newer_hits < older_hits;
  }

  void on_drift(std::uint64_t index) {
    if (!error_rose()) {
      ++counts_.kept;
      emit(index, retrain_action::kept, true);
      return;
    }
    if (background_ && fallback_ && background_seen_ >= opt_.min_challenger_records &&
        background_count_ > shared_model_count_) {
      restore(index, true);  // the model that drifted is the fresh one, and the old one did better
    } else if (challenger_wins()) {
      replace(index, true);
    } else {
      reset(index);
    }
  }

  // The served model changed: its record (for the statistic and the direction test) starts now.
  void restart_model_record() noexcept {
    model_seen_ = 0;
    model_count_ = 0;
    background_seen_ = 0;
    background_count_ = 0;
    shared_model_count_ = 0;
  }

  factory make_;
  Model model_;
  std::optional<Model> background_;
  bool fallback_ = false;  // the background model is the previous model on trial
  D detector_;
  std::string name_;
  retrainer_options opt_;
  std::vector<unsigned char> model_hits_, shared_model_hits_, background_hits_;
  std::size_t model_count_ = 0, shared_model_count_ = 0, background_count_ = 0;
  std::uint64_t model_seen_ = 0, background_seen_ = 0;
  std::size_t quiet_ = 0;
  retrainer_counts counts_;
  std::vector<retrain_event> events_;
};

}  // namespace riptide::drift
