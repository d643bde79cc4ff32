// riptide/learn/any_classifier.hpp: any online binary classifier behind one virtual call per
// record, so that code written once (a pipeline, a replay loop, a race of learning rates, drift
// retraining) runs any learner and optimizer chosen at run time.
//
// any_classifier models learn::classifier (concepts.hpp): predict_proba(x) const, learn_one(x, y),
// predict_then_learn(x, y). It holds its model by value (move-only; clone() copies). Besides the
// classifier verbs it passes on what a linear model offers to multi-pass training (averaging, a
// learning-rate factor, the weights) and tells what it is (optimizer and learning rate in use);
// a model without these throws std::logic_error when asked (misuse). A model that is itself a
// selection of candidates (learning_rate_race) hands over its leader with settle().
//
// Example:
//   using riptide::learn::any_classifier;
//   any_classifier m{riptide::learn::logistic<riptide::learn::sgd>{{.lr = 0.5f}}};
//   std::vector<riptide::features::entry> x{{0, 1.0f}};
//   for (int i = 0; i < 50; ++i) m.learn_one(x, true);
//   if (!(m.predict_proba(x) > 0.8f) || m.describe().optimizer != "sgd") std::abort();
#pragma once

#include <Eigen/Core>

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "riptide/features/sparse_vector.hpp"
#include "riptide/learn/predict_then_learn.hpp"
#include "riptide/snapshot/archive.hpp"

namespace riptide::learn {

/// What a classifier is, for reports and model descriptions.
struct classifier_description {
  struct candidate {
    std::string optimizer;
    float lr = 0.0f;
  };
  std::string optimizer;  ///< in use (the leader's, when raced)
  float lr = 0.0f;        ///< in use (the leader's, when raced)
  bool raced = false;     ///< a learning_rate_race: the fields below apply
  std::vector<candidate> candidates{};
  std::size_t leader = 0;
  bool committed = false;
};

class any_classifier {
 public:
  any_classifier() = default;
  template <class Model>
  requires(!std::is_same_v<std::remove_cvref_t<Model>, any_classifier>) explicit any_classifier(
      Model m)
      : self_(std::make_unique<model_of<Model>>(std::move(m))) {}

  any_classifier(any_classifier&&) noexcept = default;
  any_classifier& operator=(any_classifier&&) noexcept = default;
  any_classifier clone() const { return any_classifier(self_ ? self_->clone() : nullptr); }

  explicit operator bool() const noexcept { return self_ != nullptr; }

  float predict_proba(features::sparse_view x) const { return self_->predict_proba(x); }
  void learn_one(features::sparse_view x, bool y) { self_->learn_one(x, y); }
  /// predict_proba(x) before learning (x, y), then learn_one(x, y): one margin, one call.
  float predict_then_learn(features::sparse_view x, bool y) {
    return self_->predict_then_learn(x, y);
  }

  /// Multi-pass training: Polyak-Ruppert averaging over the steps between these two calls.
  void start_averaging() { self_->start_averaging(); }
  void finish_averaging() { self_->finish_averaging(); }
  /// Multiplies the learning rate by k (the optimizer restarts; the weights stay).
  void scale_learning_rate(double k) { self_->scale_learning_rate(k); }
  /// Slot 0 the bias, feature i at slot i + 1 (linear models).
  const Eigen::VectorXf& weights() const { return self_->weights(); }
  void assign_weights(const Eigen::VectorXf& w) { self_->assign_weights(w); }
  /// A model that selects among candidates returns its leader as a plain model; others nothing.
  std::optional<any_classifier> settle() {
    auto leader = self_->settle();
    if (!leader) return std::nullopt;
    return any_classifier(std::move(leader));
  }
  classifier_description describe() const { return self_->describe(); }

  /// The model's state (snapshot/archive.hpp); a loader fills a classifier of the same type
  /// (made from the same options).
  template <class Archive>
  void state(Archive& a) {
    if (!self_) throw std::logic_error("any_classifier: no model");
    if constexpr (Archive::loading)
      self_->load_state(a);
    else
      self_->save_state(a);
  }

  /// The model held, when it is a Model (else null).
  template <class Model>
  const Model* get() const noexcept {
    const auto* m = dynamic_cast<const model_of<Model>*>(self_.get());
    return m ? &m->model : nullptr;
  }

  // The erased interface, public so that a selection of candidates can hand over its leader.
  struct concept_t {
    virtual ~concept_t() = default;
    virtual std::unique_ptr<concept_t> clone() const = 0;
    virtual float predict_proba(features::sparse_view x) const = 0;
    virtual void learn_one(features::sparse_view x, bool y) = 0;
    virtual float predict_then_learn(features::sparse_view x, bool y) = 0;
    virtual void start_averaging() = 0;
    virtual void finish_averaging() = 0;
    virtual void scale_learning_rate(double k) = 0;
    virtual const Eigen::VectorXf& weights() const = 0;
    virtual void assign_weights(const Eigen::VectorXf& w) = 0;
    virtual std::unique_ptr<concept_t> settle() { return nullptr; }
    virtual classifier_description describe() const = 0;
    virtual void save_state(snapshot::saver& a) = 0;
    virtual void load_state(snapshot::loader& a) = 0;
  };
  explicit any_classifier(std::unique_ptr<concept_t> self) : self_(std::move(self)) {}

 private:
  [[noreturn]] static void unsupported(const char* what) {
    throw std::logic_error(std::string("any_classifier: this model has no ") + what);
  }

  template <class Model>
  struct model_of final : concept_t {
    explicit model_of(Model m) : model(std::move(m)) {}
    std::unique_ptr<concept_t> clone() const override {
      if constexpr (std::is_copy_constructible_v<Model>)
        return std::make_unique<model_of>(model);
      else
        unsupported("copy");
    }
    float predict_proba(features::sparse_view x) const override { return model.predict_proba(x); }
    void learn_one(features::sparse_view x, bool y) override { model.learn_one(x, y); }
    float predict_then_learn(features::sparse_view x, bool y) override {
      return learn::predict_then_learn(model, x, y);
    }
    void start_averaging() override {
      if constexpr (requires { model.start_averaging(); })
        model.start_averaging();
      else
        unsupported("averaging");
    }
    void finish_averaging() override {
      if constexpr (requires { model.finish_averaging(); }) {
        if constexpr (requires { model.flush(); }) model.flush();
        model.finish_averaging();
      } else {
        unsupported("averaging");
      }
    }
    void scale_learning_rate(double k) override {
      if constexpr (requires { model.scale_learning_rate(k); }) {
        model.scale_learning_rate(k);
      } else if constexpr (requires { model.restart_optimizer(model.optimizer()); }) {
        auto o = model.optimizer();
        o.lr = static_cast<float>(o.lr * k);
        model.restart_optimizer(o);
      } else {
        unsupported("learning rate");
      }
    }
    const Eigen::VectorXf& weights() const override {
      if constexpr (requires { model.weights(); })
        return model.weights();
      else
        unsupported("weights");
    }
    void assign_weights(const Eigen::VectorXf& w) override {
      if constexpr (requires { model.assign_weights(w); })
        model.assign_weights(w);
      else
        unsupported("weights");
    }
    std::unique_ptr<concept_t> settle() override {
      if constexpr (requires { model.settle(); })
        return std::move(model.settle().self_);
      else
        return nullptr;
    }
    classifier_description describe() const override {
      if constexpr (requires { model.describe(); }) return model.describe();
      classifier_description d;
      if constexpr (requires { model.optimizer().lr; }) {
        d.optimizer = std::string(Model::optimizer_type::name);
        d.lr = model.optimizer().lr;
      }
      return d;
    }
    void save_state(snapshot::saver& a) override { state_of(a); }
    void load_state(snapshot::loader& a) override { state_of(a); }
    template <class Archive>
    void state_of(Archive& a) {
      if constexpr (requires { model.state(a); })
        model.state(a);
      else
        unsupported("snapshot state");
    }
    Model model;
  };

  std::unique_ptr<concept_t> self_;
};

}  // namespace riptide::learn
