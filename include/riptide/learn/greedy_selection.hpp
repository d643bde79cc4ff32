// riptide/learn/greedy_selection.hpp: online model selection, e.g. of the learning rate.
//
// A learning rate tuned on one stream is wrong on the next: sharp synthetic concepts want large
// steps, noisy customer data small ones. greedy_selection runs several candidate models side by
// side on the same stream: every record is scored by every candidate (before it learns, so the
// comparison is prequential and fair) and learned by all; predictions come from the candidate
// with the lowest recent loss (an exponentially weighted mean with half-life `window` / 2
// records, roughly). After `commit_after` records the leader is kept and the others dropped, so
// a long stream pays for the race only at its start (0: race forever).
// The loss is the Brier score (p - y)^2 by default: like log loss a proper score, but bounded, so
// a fast-tracking candidate on a drifting stream is not ruled out by a few confident misses (on
// the electricity stream log loss picks a rate with 3-4 points less accuracy than Brier's pick);
// selection_score::log_loss ranks by log loss instead.
// Parameters (defaults): window (1000 records), commit_after (20000 records), score (brier).
// Reference: River's model_selection.GreedyRegressor (greedy choice by running metric), and
// successive halving (Jamieson & Talwalkar 2016) for committing to the leader.
//
// Example:
//   using model = riptide::learn::logistic<riptide::learn::adagrad>;
//   riptide::learn::greedy_selection<model> race{
//       {model{{.lr = 0.001f}}, model{{.lr = 0.5f}}}, {.window = 50, .commit_after = 0}};
//   riptide::features::sparse_vector pos, neg;
//   pos.push(0, 1.0f);
//   neg.push(0, -1.0f);
//   for (int i = 0; i < 200; ++i) {
//     race.learn_one(pos, true);
//     race.learn_one(neg, false);
//   }
//   if (race.leader() != 1 || !(race.predict_proba(pos) > 0.9f)) std::abort();
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <utility>
#include <vector>

#include "riptide/features/sparse_vector.hpp"
#include "riptide/learn/predict_then_learn.hpp"

namespace riptide::learn {

/// What ranks the candidates of a greedy_selection (per record, lower is better).
enum class selection_score : std::uint8_t {
  brier,     // (p - y)^2
  log_loss,  // -log p(y), p clamped to [1e-7, 1 - 1e-7]
};

struct greedy_selection_options {
  std::size_t window = 1000;
  std::uint64_t commit_after = 20000;
  selection_score score = selection_score::brier;
};

template <class Model>
class greedy_selection {
 public:
  explicit greedy_selection(std::vector<Model> candidates, greedy_selection_options options = {})
      : models_(std::move(candidates)), loss_(models_.size(), 0.0), options_(options) {
    if (models_.empty()) throw std::invalid_argument("greedy_selection: no candidates");
    if (options_.window == 0) throw std::invalid_argument("greedy_selection: window is 0");
    decay_ = 1.0 - 1.0 / static_cast<double>(options_.window);
  }

  /// The leader's probability of the positive class.
  float predict_proba(features::sparse_view x) const noexcept {
    return models_[leader_].predict_proba(x);
  }

  /// Scores x with every candidate, updates their recent losses, then all learn (x, y).
  void learn_one(features::sparse_view x, bool y) {
    if (models_.size() == 1) {
      models_[0].learn_one(x, y);
      ++seen_;
      return;
    }
    predict_then_learn(x, y);
  }

  /// Test-then-train in one call: the leader's probability for x before (x, y) is learned (what
  /// predict_proba(x) gave), then learn_one(x, y). Each candidate scores and learns x in one
  /// call (candidates are independent, so scoring all before any learns would give the same).
  float predict_then_learn(features::sparse_view x, bool y) {
    if (models_.size() == 1) {  // committed (or one candidate): no race to keep
      ++seen_;
      return learn::predict_then_learn(models_[0], x, y);
    }
    float leader_p = 0.0f;
    for (std::size_t k = 0; k < models_.size(); ++k) {
      const float p = learn::predict_then_learn(models_[k], x, y);
      if (k == leader_) leader_p = p;
      loss_[k] = decay_ * loss_[k] + (1.0 - decay_) * loss(static_cast<double>(p), y);
    }
    // ties keep the earlier candidate: list them from the most conservative
    leader_ =
        static_cast<std::size_t>(std::min_element(loss_.begin(), loss_.end()) - loss_.begin());
    if (++seen_ == options_.commit_after) commit();
    return leader_p;
  }

  /// Keeps the leader only.
  void commit() {
    Model keep = std::move(models_[leader_]);
    const double loss = loss_[leader_];
    models_.clear();
    models_.push_back(std::move(keep));
    loss_.assign(1, loss);
    committed_from_ = leader_;
    leader_ = 0;
  }

  /// Index of the leading candidate among those given (also after commit()).
  std::size_t leader() const noexcept { return models_.size() > 1 ? leader_ : committed_from_; }
  const Model& best() const noexcept { return models_[leader_]; }
  Model& best() noexcept { return models_[leader_]; }
  /// Recent loss (options().score) of each remaining candidate.
  const std::vector<double>& recent_loss() const noexcept { return loss_; }
  bool committed() const noexcept { return models_.size() == 1; }
  std::uint64_t seen() const noexcept { return seen_; }

  const greedy_selection_options& options() const noexcept { return options_; }

  /// The candidates' states, recent losses, leader and count (snapshot/archive.hpp). A loader
  /// fills a selection built with the same candidates and options; a committed one keeps one.
  template <class Archive>
  void state(Archive& a) {
    bool committed = models_.size() == 1;
    a("committed", committed);
    a("committed_from", committed_from_);
    a("leader", leader_);
    a("seen", seen_);
    if constexpr (Archive::loading) {
      if (committed && models_.size() > 1) {
        a.check(committed_from_ < models_.size(), "committed_from beyond the candidates");
        const std::size_t from = committed_from_;
        leader_ = from;
        commit();
      }
    }
    a("loss", loss_);
    a("models", models_);
    if constexpr (Archive::loading)
      a.check(loss_.size() == models_.size() && leader_ < models_.size(),
              "losses, candidates and leader disagree");
  }

 private:
  double loss(double p, bool y) const noexcept {
    if (options_.score == selection_score::log_loss) {
      p = std::clamp(p, 1e-7, 1 - 1e-7);
      return -std::log(y ? p : 1.0 - p);
    }
    const double e = p - (y ? 1.0 : 0.0);
    return e * e;
  }

  std::vector<Model> models_;
  std::vector<double> loss_;
  greedy_selection_options options_;
  double decay_ = 0.999;
  std::size_t leader_ = 0;
  std::size_t committed_from_ = 0;
  std::uint64_t seen_ = 0;
};

}  // namespace riptide::learn
