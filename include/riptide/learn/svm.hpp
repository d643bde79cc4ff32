// riptide/learn/svm.hpp: online linear support vector machine (hinge loss) on sparse features.
//
// svm<Optimizer> is linear_model<hinge_loss, Optimizer>: learn_one(x, y) steps on
// max(0, 1 - s (w.x + b)), s = +-1; records already beyond the margin cost nothing. predict_proba
// returns sigmoid(margin), a monotone score (good for AUC, not a calibrated probability). Use
// l2 > 0 for the regularised SVM objective (Pegasos-style with sgd).
// Reference: Shalev-Shwartz et al., "Pegasos: Primal Estimated sub-GrAdient SOlver for SVM", 2007.
//
// Example:
//   auto model = riptide::learn::svm{riptide::learn::sgd{.lr = 0.1f}, {.l2 = 1e-4f}};
//   std::vector<riptide::features::entry> pos{{0, 1.0f}}, neg{{1, 1.0f}};
//   for (int i = 0; i < 100; ++i) { model.learn_one(pos, true); model.learn_one(neg, false); }
//   if (!(model.predict_one(pos) && !model.predict_one(neg))) std::abort();
#pragma once

#include <utility>

#include "riptide/learn/adaptive.hpp"
#include "riptide/learn/linear_model.hpp"
#include "riptide/learn/loss.hpp"

namespace riptide::learn {

template <class Optimizer = adaptive>
class svm : public linear_model<hinge_loss, Optimizer> {
 public:
  svm() : linear_model<hinge_loss, Optimizer>() {}
  explicit svm(Optimizer optimizer, linear_options options = {})
      : linear_model<hinge_loss, Optimizer>(std::move(optimizer), std::move(options)) {}
};

template <class Optimizer>
svm(Optimizer) -> svm<Optimizer>;
template <class Optimizer>
svm(Optimizer, linear_options) -> svm<Optimizer>;

}  // namespace riptide::learn
