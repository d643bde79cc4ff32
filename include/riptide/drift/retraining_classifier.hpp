// riptide/drift/retraining_classifier.hpp: a classifier that retrains itself on concept drift.
//
// retraining_classifier wraps the models a factory makes with a drift detector watching the
// prequential 0/1 error of the model it serves, and lets riptide::drift::retrainer (retrainer.hpp)
// act on it: a warning starts a challenger; a drift replaces the model by the challenger when it
// was better on the recent window, else resets it (a fresh model serves; the previous one stays on
// trial in the background and comes back if it does better). It is itself a classifier
// (predict_proba / learn_one / predict_then_learn), so anything that runs a classifier runs it.
// learn_one(x, y) is test-then-train: the served model's prediction before learning is what the
// detector judges. Every decision is kept as an event (the first `max_events`; all are counted)
// with the record's index and line as the caller gives them (predict_then_learn(x, y, where)).
// Parameters (defaults): the retrainer's recent_window (500), min_challenger_records (100),
// trial (1000); max_events (10000). state() lists the retrainer's and, in a resume snapshot, the
// events and counts (snapshot/archive.hpp).
// Reference: River's drift.DriftRetrainingClassifier (warning -> background learner, drift ->
// swap), with a trial of the previous model after a reset.
//
// Example:
//   using model = riptide::learn::logistic<riptide::learn::sgd>;
//   riptide::drift::retraining_classifier<model, riptide::drift::ddm> m{
//       [] { return model{{.lr = 0.5f}}; }, riptide::drift::ddm{}, "ddm"};
//   std::vector<riptide::features::entry> x{{0, 1.0f}};
//   for (int i = 0; i < 3000; ++i) m.learn_one(x, i < 1500);  // the concept flips at 1500
//   if (m.counts().drifts == 0 || !(m.predict_proba(x) < 0.5f)) std::abort();
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "riptide/drift/detector.hpp"
#include "riptide/drift/retrainer.hpp"
#include "riptide/features/sparse_vector.hpp"

namespace riptide::drift {

/// Where a record was read: its 0-based index in the stream and its line.
struct record_position {
  std::uint64_t index = 0;
  std::uint64_t line = 0;
};

/// A retraining decision and the record it followed.
struct drift_event {
  retrain_event event;
  std::uint64_t line = 0;

  template <class Archive>
  void state(Archive& a) {
    a("event", event);
    a("line", line);
  }
};

struct retraining_options {
  retrainer_options retrain{};
  std::size_t max_events = 10000;  ///< events kept (all are counted)
};

template <class Model, detector D>
class retraining_classifier {
 public:
  using factory = std::function<Model()>;

  retraining_classifier(factory make, D detector, std::string detector_name,
                        retraining_options options = {})
      : r_(std::move(make), std::move(detector), std::move(detector_name), options.retrain),
        max_events_(options.max_events) {}

  /// The served model's probability.
  float predict_proba(riptide::features::sparse_view x) const {
    return r_.model().predict_proba(x);
  }

  /// Test-then-train of record `where`: the served model's probability before anything learns x,
  /// the outcome reported to the detector, then the served model and the background one learn.
  float predict_then_learn(riptide::features::sparse_view x, bool y, record_position where) {
    const float p = r_.model().predict_proba(x);
    const bool right = (p > 0.5f) == y;
    Model* ch = r_.challenger();
    const bool challenger_right = ch && (ch->predict_proba(x) > 0.5f) == y;
    for (const auto& e : r_.observe(where.index, right, challenger_right)) note(e, where.line);
    r_.model().learn_one(x, y);
    if ((ch = r_.challenger())) ch->learn_one(x, y);
    ++seen_;
    return p;
  }
  /// The same, the record's position counted here (0, 1, ...).
  float predict_then_learn(riptide::features::sparse_view x, bool y) {
    return predict_then_learn(x, y, {seen_, seen_});
  }
  void learn_one(riptide::features::sparse_view x, bool y) { predict_then_learn(x, y); }

  /// The served model, and the background one (challenger or previous model on trial) if any.
  Model& model() noexcept { return r_.model(); }
  const Model& model() const noexcept { return r_.model(); }
  const Model* challenger() const noexcept { return r_.challenger(); }
  /// Hands over the served model (the classifier is left without one).
  Model release() { return std::move(r_.model()); }

  const retrainer_counts& counts() const noexcept { return r_.counts(); }
  const retrainer_options& options() const noexcept { return r_.options(); }
  const std::string& detector_name() const noexcept { return r_.detector_name(); }
  const D& detector() const noexcept { return r_.detector(); }
  /// The first max_events decisions, in order; events_total() counts them all.
  const std::vector<drift_event>& events() const noexcept { return events_; }
  std::uint64_t events_total() const noexcept { return events_total_; }
  std::size_t max_events() const noexcept { return max_events_; }

  /// The retrainer's state (the served model; resume: background model, detector, counts) and,
  /// in a resume snapshot, the events kept, their total and the records seen
  /// (snapshot/archive.hpp). A loader fills a classifier made the same way.
  template <class Archive>
  void state(Archive& a) {
    a("retrainer", r_);
    if (!a.resume()) return;
    a("events", events_);
    a("events_total", events_total_);
    a("seen", seen_);
    a.check(events_.size() <= max_events_ && events_.size() <= events_total_,
            "more events than max_events or than counted");
  }

 private:
  void note(const retrain_event& e, std::uint64_t line) {
    ++events_total_;
    if (events_.size() < max_events_) events_.push_back({e, line});
  }

  retrainer<Model, D> r_;
  std::size_t max_events_;
  std::vector<drift_event> events_;
  std::uint64_t events_total_ = 0;
  std::uint64_t seen_ = 0;
};

}  // namespace riptide::drift
