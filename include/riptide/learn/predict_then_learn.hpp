// riptide/learn/predict_then_learn.hpp: test-then-train of one example in one call.
//
// predict_then_learn(model, x, y) returns the model's probability for x as it was before
// learning (x, y), then lets the model learn it: the prequential step. A model that can do both
// from one margin (linear_model, greedy_selection) has a member predict_then_learn(x, y), which
// is called; any other model with predict_proba(x) and learn_one(x, y) works through those.
//
// Example:
//   auto model = riptide::learn::logistic{riptide::learn::sgd{.lr = 0.5f}};
//   std::vector<riptide::features::entry> x{{0, 1.0f}};
//   const float before = model.predict_proba(x);
//   const float p = riptide::learn::predict_then_learn(model, x, true);
//   if (p != before || !(model.predict_proba(x) > p)) std::abort();
#pragma once

#include "riptide/features/sparse_vector.hpp"

namespace riptide::learn {

/// Test-then-train of one example: the model's probability for x before it learns (x, y), then
/// the model learns it. Models that compute both from one margin say so with a member
/// predict_then_learn(x, y); any other model with predict_proba and learn_one works too.
template <class Model>
float predict_then_learn(Model& model, features::sparse_view x, bool y) {
  if constexpr (requires { model.predict_then_learn(x, y); }) {
    return static_cast<float>(model.predict_then_learn(x, y));
  } else {
    const float p = model.predict_proba(x);
    model.learn_one(x, y);
    return p;
  }
}

}  // namespace riptide::learn
