// riptide/concepts.hpp: the one contract of each kind of component, with the same verbs
// everywhere (as River's estimators have).
//
//   classifier   predict_proba(x) const -> probability of the positive class; learn_one(x, y);
//                test-then-train in one call: learn::predict_then_learn(model, x, y)
//                (linear models, any_classifier, learning_rate_race, retraining_classifier)
//   transformer  learn_one(row, out): encode with the current state, then learn the row;
//                transform(row, out, scratch) const: encode with the state frozen, writing only
//                the caller's scratch (features::encoder)
//   metric       update(y, p); get() const (accuracy, brier, logloss, binned_roc_auc, ...)
//   detector     update(x); drift_detected() const; reset() (drift/detector.hpp; every detector
//                of riptide::drift, and drift::any_detector)
// Options are plain structs of parameters with River's defaults, validated by the component's
// constructor (std::invalid_argument); state is private.
//
// Example:
//   static_assert(riptide::classifier<riptide::learn::logistic<riptide::learn::adagrad>>);
//   static_assert(riptide::classifier<riptide::learn::any_classifier>);
//   static_assert(riptide::transformer<riptide::features::encoder>);
//   static_assert(riptide::metric<riptide::metrics::brier>);
//   static_assert(riptide::drift::detector<riptide::drift::any_detector>);
#pragma once

#include <concepts>

#include "riptide/clean/row.hpp"
#include "riptide/drift/detector.hpp"
#include "riptide/features/sparse_vector.hpp"

namespace riptide {

/// An online binary classifier of sparse feature vectors.
template <class M>
concept classifier = requires(M m, const M cm, features::sparse_view x, bool y) {
  { cm.predict_proba(x) } -> std::convertible_to<float>;
  m.learn_one(x, y);
};

/// A row-to-features transformer that learns online and serves with its state frozen.
template <class T>
concept transformer = requires(T t, const T ct, const clean::row& r, features::sparse_vector& out,
                               typename T::scratch& s) {
  t.learn_one(r, out);
  ct.transform(r, out, s);
};

/// A streaming metric of (label, probability) pairs.
template <class M>
concept metric = requires(M m, const M cm, bool y, float p) {
  m.update(y, p);
  { cm.get() } -> std::convertible_to<double>;
};

using drift::detector;

}  // namespace riptide
