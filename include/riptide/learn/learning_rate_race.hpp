// riptide/learn/learning_rate_race.hpp: a classifier that races candidate models (learning rates,
// optimizers) side by side and serves the leader: greedy_selection (greedy_selection.hpp) over
// any_classifier candidates, itself an any_classifier-ready classifier.
//
// Every record is scored by every candidate before it learns (prequential, fair) and learned by
// all; predictions come from the candidate with the lowest recent Brier score; after
// `commit_after` records the leader is kept alone. settle() hands the leader over as a plain model
// (multi-pass refinement goes on with it). Candidates are listed from the most conservative: ties
// keep the earlier one.
// Parameters (defaults): window (1000 records of the recent score), commit_after (20000; 0: race
// for ever) — greedy_selection_options.
// Reference: River's model_selection.GreedyRegressor; successive halving (Jamieson & Talwalkar
// 2016) for committing.
//
// Example:
//   using namespace riptide::learn;
//   std::vector<learning_rate_race::candidate> c;
//   c.push_back({"sgd", 0.001f, any_classifier{logistic<sgd>{{.lr = 0.001f}}}});
//   c.push_back({"sgd", 0.5f, any_classifier{logistic<sgd>{{.lr = 0.5f}}}});
//   learning_rate_race race{std::move(c), {.window = 50, .commit_after = 0}};
//   std::vector<riptide::features::entry> pos{{0, 1.0f}}, neg{{0, -1.0f}};
//   for (int i = 0; i < 200; ++i) {
//     race.learn_one(pos, true);
//     race.learn_one(neg, false);
//   }
//   if (race.describe().leader != 1 || !(race.predict_proba(pos) > 0.9f)) std::abort();
#pragma once

#include <Eigen/Core>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "riptide/features/sparse_vector.hpp"
#include "riptide/learn/any_classifier.hpp"
#include "riptide/learn/greedy_selection.hpp"

namespace riptide::learn {

class learning_rate_race {
 public:
  /// One runner: what it is (for reports) and the model.
  struct candidate {
    std::string optimizer;
    float lr = 0.0f;
    any_classifier model;

    float predict_proba(features::sparse_view x) const { return model.predict_proba(x); }
    void learn_one(features::sparse_view x, bool y) { model.learn_one(x, y); }
    float predict_then_learn(features::sparse_view x, bool y) {
      return model.predict_then_learn(x, y);
    }
    candidate clone() const { return {optimizer, lr, model.clone()}; }
    template <class Archive>
    void state(Archive& a) {
      a("model", model);
    }
  };

  learning_rate_race(std::vector<candidate> candidates, greedy_selection_options options = {})
      : listed_(list(candidates)), race_(std::move(candidates), options) {}

  learning_rate_race(learning_rate_race&&) noexcept = default;
  learning_rate_race& operator=(learning_rate_race&&) noexcept = default;

  float predict_proba(features::sparse_view x) const { return race_.predict_proba(x); }
  void learn_one(features::sparse_view x, bool y) { race_.learn_one(x, y); }
  float predict_then_learn(features::sparse_view x, bool y) {
    return race_.predict_then_learn(x, y);
  }

  // Multi-pass training acts on the leader.
  void start_averaging() { leader().start_averaging(); }
  void finish_averaging() { leader().finish_averaging(); }
  void scale_learning_rate(double k) { leader().scale_learning_rate(k); }
  const Eigen::VectorXf& weights() const { return race_.best().model.weights(); }
  void assign_weights(const Eigen::VectorXf& w) { leader().assign_weights(w); }

  /// The leader, as a plain model (the race is left without it).
  any_classifier settle() { return std::move(race_.best().model); }

  classifier_description describe() const {
    classifier_description d = race_.best().model.describe();
    d.raced = true;
    d.candidates = listed_;
    d.leader = race_.leader();
    d.committed = race_.committed();
    return d;
  }
  const greedy_selection<candidate>& selection() const noexcept { return race_; }

  /// The race's state (snapshot/archive.hpp): a loader fills a race made with the same options.
  template <class Archive>
  void state(Archive& a) {
    a("race", race_);
  }

 private:
  static std::vector<classifier_description::candidate> list(const std::vector<candidate>& c) {
    std::vector<classifier_description::candidate> out;
    for (const auto& k : c) out.push_back({k.optimizer, k.lr});
    return out;
  }
  any_classifier& leader() { return race_.best().model; }

  std::vector<classifier_description::candidate> listed_;
  greedy_selection<candidate> race_;
};

}  // namespace riptide::learn
