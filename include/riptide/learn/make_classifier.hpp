// riptide/learn/make_classifier.hpp: the online classifier of a configuration, by name.
//
// make_classifier(options) builds a logistic regression or linear SVM with one of the optimizers
// sgd, adagrad, ftrl, adaptive. With a learning rate (lr > 0) that one model. Without (lr = 0,
// the default) a learning_rate_race: the optimizer's default rate against 4x and 16x of it; with
// optimizer "auto" (the default) AdaGrad's three (0.05, 0.2, 0.8: stationary, noisy data such as
// customer records) beside constant-rate SGD's (0.1, 0.5, 2: drifting streams, where a rate that
// does not decay tracks the current concept), listed from the most conservative, as ties keep the
// earlier candidate. With a learning rate, "auto" means adagrad.
// Parameters (defaults): learner (logreg | svm), optimizer (auto | sgd | adagrad | ftrl |
// adaptive), lr (0: race), l1 (0), l2 (0), class_weight (none | balanced), batch_size (1),
// race_window (2000 records of the race's recent score), race_records (20000: the race keeps its
// leader after these; 0 never).
// The parameters are declared once (riptide/param.hpp: describe_params<classifier_options>(),
// set_param); a value the declaration does not allow throws std::invalid_argument at setup.
//
// Example:
//   auto m = riptide::learn::make_classifier({.optimizer = "sgd", .lr = 0.5});
//   std::vector<riptide::features::entry> x{{0, 1.0f}};
//   for (int i = 0; i < 50; ++i) m.learn_one(x, true);
//   if (!(m.predict_proba(x) > 0.8f)) std::abort();
//   auto raced = riptide::learn::make_classifier({});  // AdaGrad and SGD rates, raced
//   if (!raced.describe().raced || raced.describe().candidates.size() != 6) std::abort();
#pragma once

#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "riptide/learn/adagrad.hpp"
#include "riptide/learn/adaptive.hpp"
#include "riptide/learn/any_classifier.hpp"
#include "riptide/learn/ftrl.hpp"
#include "riptide/learn/learning_rate_race.hpp"
#include "riptide/learn/logistic.hpp"
#include "riptide/learn/sgd.hpp"
#include "riptide/learn/svm.hpp"
#include "riptide/param.hpp"

namespace riptide::learn {

struct classifier_options {
  std::string learner = "logreg";  ///< logreg or svm
  std::string optimizer = "auto";  ///< auto, sgd, adagrad, ftrl, adaptive
  double lr = 0.0;                 ///< 0: race learning rates
  double l1 = 0.0;
  double l2 = 0.0;
  std::string class_weight = "none";  ///< none or balanced
  std::size_t batch_size = 1;
  std::size_t race_window = 2000;
  std::uint64_t race_records = 20000;
};

/// classifier_options' parameters (riptide/param.hpp): flags, help, reports and model
/// descriptions derive from this declaration.
constexpr auto parameters(std::type_identity<classifier_options>) {
  using o = classifier_options;
  return declare_params(
      "classifier",
      param{"learner", &o::learner, "logistic regression or linear SVM (hinge)"}
          .choice("logreg")
          .choice("svm"),
      param{"optimizer", &o::optimizer,
            "auto races AdaGrad and constant-rate SGD rates (adagrad with a rate)"}
          .choice("auto")
          .choice("sgd")
          .choice("adagrad")
          .choice("ftrl")
          .choice("adaptive"),
      param{"lr", &o::lr, "learning rate; 0 races the optimizer's default, 4x and 16x"}.at_least(0),
      param{"l1", &o::l1, "L1 penalty on the feature weights"}.at_least(0),
      param{"l2", &o::l2, "L2 penalty on the feature weights"}.at_least(0),
      param{"class_weight", &o::class_weight, "none, or balanced by the classes' frequencies"}
          .choice("none")
          .choice("balanced"),
      param{"batch_size", &o::batch_size, "records per step (1: pure online)"}.at_least(1),
      param{"race_window", &o::race_window, "records of the race's recent Brier score"}.at_least(1),
      param{"race_records", &o::race_records,
            "records after which the race keeps its leader (0: "
            "never)"});
}

/// The optimizer's default learning rate.
inline float default_lr(const std::string& optimizer) {
  if (optimizer == "sgd") return sgd{}.lr;
  if (optimizer == "ftrl") return ftrl{}.lr;
  if (optimizer == "adaptive") return adaptive{}.lr;
  return adagrad{}.lr;
}

namespace detail {

template <class Optimizer>
any_classifier make_linear(const classifier_options& c, Optimizer o, float lr) {
  linear_options opt{.l1 = static_cast<float>(c.l1),
                     .l2 = static_cast<float>(c.l2),
                     .class_weight = c.class_weight == "balanced" ? class_weight::balanced()
                                                                  : class_weight::none(),
                     .batch_size = c.batch_size};
  o.lr = lr;
  if (c.learner == "svm") return any_classifier{svm<Optimizer>{o, opt}};
  return any_classifier{logistic<Optimizer>{o, opt}};
}

inline any_classifier make_linear(const classifier_options& c, const std::string& optimizer,
                                  float lr) {
  if (optimizer == "sgd") return make_linear(c, sgd{}, lr);
  if (optimizer == "ftrl") return make_linear(c, ftrl{}, lr);
  if (optimizer == "adaptive") return make_linear(c, adaptive{}, lr);
  return make_linear(c, adagrad{}, lr);
}

inline void check(const classifier_options& c) {
  const auto one_of = [](const std::string& v, std::initializer_list<const char*> names) {
    for (const char* n : names)
      if (v == n) return true;
    return false;
  };
  if (!one_of(c.learner, {"logreg", "svm"}))
    throw std::invalid_argument("classifier: learner must be logreg or svm, not '" + c.learner +
                                "'");
  if (!one_of(c.optimizer, {"auto", "sgd", "adagrad", "ftrl", "adaptive"}))
    throw std::invalid_argument(
        "classifier: optimizer must be auto, sgd, adagrad, ftrl or adaptive, not '" + c.optimizer +
        "'");
  if (!one_of(c.class_weight, {"none", "balanced"}))
    throw std::invalid_argument("classifier: class_weight must be none or balanced, not '" +
                                c.class_weight + "'");
  if (!(c.lr >= 0.0)) throw std::invalid_argument("classifier: lr must be >= 0 (0: race)");
  if (!(c.l1 >= 0.0) || !(c.l2 >= 0.0))
    throw std::invalid_argument("classifier: l1 and l2 must be >= 0");
  if (c.batch_size == 0) throw std::invalid_argument("classifier: batch_size must be >= 1");
  if (c.race_window == 0) throw std::invalid_argument("classifier: race_window must be >= 1");
}

}  // namespace detail

/// The classifier of `c` (see the header comment).
inline any_classifier make_classifier(const classifier_options& c) {
  detail::check(c);
  const std::string chosen = c.optimizer == "auto" ? "adagrad" : c.optimizer;
  if (c.lr > 0) return detail::make_linear(c, chosen, static_cast<float>(c.lr));
  std::vector<learning_rate_race::candidate> candidates;
  for (const float k : {1.0f, 4.0f, 16.0f}) {
    const float lr = default_lr(chosen) * k;
    candidates.push_back({chosen, lr, detail::make_linear(c, chosen, lr)});
  }
  if (c.optimizer == "auto")
    for (const float lr : {0.1f, 0.5f, 2.0f})
      candidates.push_back({"sgd", lr, detail::make_linear(c, std::string("sgd"), lr)});
  return any_classifier{learning_rate_race{
      std::move(candidates), {.window = c.race_window, .commit_after = c.race_records}}};
}

}  // namespace riptide::learn
