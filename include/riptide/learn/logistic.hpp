// riptide/learn/logistic.hpp: online logistic regression (log loss) on sparse features.
//
// logistic<Optimizer> is linear_model<log_loss, Optimizer>: predict_proba(x) = sigmoid(w.x + b),
// learn_one(x, y) one optimizer step on the log loss. The optimizer is a value; its parameters are
// set with designated initialisers. Defaults: adaptive{.lr = 0.5} (see adaptive.hpp), no penalty,
// bias on; linear_options sets l1, l2, fit_bias, class_weight, batch_size.
// Reference: e.g. Bishop, Pattern Recognition and Machine Learning, sec. 4.3.2; the optimizers'
// headers name their papers.
//
// Example:
//   auto model = riptide::learn::logistic{riptide::learn::adagrad{.lr = 0.05f}};
//   riptide::features::sparse_vector x;
//   x.push(0, 1.0f);
//   for (int i = 0; i < 50; ++i) model.learn_one(x, false);
//   if (!(model.predict_proba(x) < 0.5f)) std::abort();
#pragma once

#include <utility>

#include "riptide/learn/adaptive.hpp"
#include "riptide/learn/linear_model.hpp"
#include "riptide/learn/loss.hpp"

namespace riptide::learn {

template <class Optimizer = adaptive>
class logistic : public linear_model<log_loss, Optimizer> {
 public:
  logistic() : linear_model<log_loss, Optimizer>() {}
  explicit logistic(Optimizer optimizer, linear_options options = {})
      : linear_model<log_loss, Optimizer>(std::move(optimizer), std::move(options)) {}
};

template <class Optimizer>
logistic(Optimizer) -> logistic<Optimizer>;
template <class Optimizer>
logistic(Optimizer, linear_options) -> logistic<Optimizer>;

}  // namespace riptide::learn
