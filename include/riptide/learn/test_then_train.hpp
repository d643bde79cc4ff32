// riptide/learn/test_then_train.hpp: range adaptors that run a model over a stream of examples.
//
//   examples | learn::test_then_train(model, eval)   for each example: predict, score the
//       prediction in `eval` (if labelled), then learn it; yields a learn::prediction
//   examples | learn::learn(model)                   learns each labelled example; yields it
//   examples | learn::predict(model)                 predicts only (serving); yields predictions
// `eval` is anything with update(bool y, float p): metrics::prequential, a metric, a rolling
// window. Examples come from features::encode (or any range of features::example). Each example
// is processed once, when the iteration reaches it. The whole chain composes with `|`:
//   read | clean | features::encode(enc) | learn::test_then_train(model, eval).
//
// Example:
//   std::vector<riptide::features::entry> pos{{0, 1.0f}}, neg{{1, 1.0f}};
//   std::vector<riptide::features::example> stream;
//   for (int i = 0; i < 200; ++i) {
//     stream.push_back({nullptr, pos, true});
//     stream.push_back({nullptr, neg, false});
//   }
//   auto model = riptide::learn::logistic{riptide::learn::adagrad{.lr = 0.1f}};
//   riptide::metrics::prequential eval;
//   float last = 0;
//   for (const auto& p : stream | riptide::learn::test_then_train(model, eval)) last = p.proba;
//   if (eval.count() != 400 || !(eval.accuracy() > 0.95) || !(last < 0.2f)) std::abort();
#pragma once

#include <optional>
#include <utility>

#include "riptide/clean/row.hpp"
#include "riptide/detail/stage_view.hpp"
#include "riptide/features/encode.hpp"
#include "riptide/features/sparse_vector.hpp"
#include "riptide/learn/predict_then_learn.hpp"

namespace riptide::learn {

/// A model's prediction for one example (the probability before the model learned it).
struct prediction {
  const clean::row* row = nullptr;
  features::sparse_view x;
  float proba = 0.0f;
  std::optional<bool> label;
};

namespace detail {
template <class Model, class Eval>
struct test_then_train_stage {
  Model* model;
  Eval* eval;
  std::optional<prediction> operator()(const features::example& ex) const {
    if (!ex.label) return prediction{ex.row, ex.x, model->predict_proba(ex.x), ex.label};
    const float p = learn::predict_then_learn(*model, ex.x, *ex.label);
    eval->update(*ex.label, p);
    return prediction{ex.row, ex.x, p, ex.label};
  }
};
template <class Model>
struct learn_stage {
  Model* model;
  std::optional<features::example> operator()(const features::example& ex) const {
    if (ex.label) model->learn_one(ex.x, *ex.label);
    return ex;
  }
};
template <class Model>
struct predict_stage {
  const Model* model;
  std::optional<prediction> operator()(const features::example& ex) const {
    return prediction{ex.row, ex.x, model->predict_proba(ex.x), ex.label};
  }
};
template <class Stage>
auto make_stage(Stage stage) {
  return riptide::detail::stage_closure{[stage](auto&& examples) {
    auto base = riptide::detail::hold(std::forward<decltype(examples)>(examples));
    return riptide::detail::stage_view<decltype(base), Stage>(std::move(base), stage);
  }};
}
}  // namespace detail

template <class Model, class Eval>
auto test_then_train(Model& model, Eval& eval) {
  return detail::make_stage(detail::test_then_train_stage<Model, Eval>{&model, &eval});
}
template <class Model>
auto learn(Model& model) {
  return detail::make_stage(detail::learn_stage<Model>{&model});
}
template <class Model>
auto predict(const Model& model) {
  return detail::make_stage(detail::predict_stage<Model>{&model});
}

}  // namespace riptide::learn
