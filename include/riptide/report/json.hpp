// riptide/report/json.hpp: riptide's results as JSON (nlohmann::json), one style for every
// report: metrics, the learning curve, calibration, record accounting, drift events and alerts,
// the model's largest weights, declared parameters (param.hpp), and describe(pipeline): what a
// pipeline is made of, every component with its parameters (for snapshot metadata and model
// descriptions). A number that is not finite (an AUC of one class) is null.
//
// Example:
//   riptide::metrics::prequential eval{{.window = 2, .curve_every = 1}};
//   eval.update(true, 0.9f);
//   eval.update(false, 0.2f);
//   const auto j = riptide::report::to_json(eval);
//   if (j["n"] != 2 || j["auc"] != 1.0) std::abort();
//   if (riptide::report::learning_curve(eval).size() != 2) std::abort();
#pragma once

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "riptide/clean/report.hpp"
#include "riptide/drift/features/row_monitor.hpp"
#include "riptide/drift/retraining_classifier.hpp"
#include "riptide/features/encoder.hpp"
#include "riptide/learn/any_classifier.hpp"
#include "riptide/metrics/holdout.hpp"
#include "riptide/metrics/prequential.hpp"
#include "riptide/param.hpp"
#include "riptide/pipeline.hpp"

namespace riptide::report {

inline nlohmann::json finite_or_null(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

/// The prequential learning curve: one point every curve_every records.
inline nlohmann::json learning_curve(const metrics::prequential& e) {
  nlohmann::json curve = nlohmann::json::array();
  for (const auto& p : e.curve())
    curve.push_back({{"n", p.n},
                     {"auc", finite_or_null(p.auc)},
                     {"logloss", p.logloss},
                     {"accuracy", p.accuracy},
                     {"window_auc", finite_or_null(p.window_auc)},
                     {"window_logloss", p.window_logloss},
                     {"window_accuracy", p.window_accuracy}});
  return curve;
}

/// Prequential metrics since the start and over the window.
inline nlohmann::json to_json(const metrics::prequential& e) {
  return {{"n", e.count()},
          {"auc", finite_or_null(e.auc())},
          {"logloss", e.logloss()},
          {"accuracy", e.accuracy()},
          {"precision", e.precision()},
          {"recall", e.recall()},
          {"f1", e.f1()},
          {"brier", e.brier()},
          {"window",
           {{"size", e.options().window},
            {"auc", finite_or_null(e.window_auc())},
            {"logloss", e.window_logloss()},
            {"accuracy", e.window_accuracy()}}}};
}

/// Metrics of held-out records, with the calibration table.
inline nlohmann::json to_json(const metrics::holdout& h) {
  nlohmann::json calib = nlohmann::json::array();
  for (const auto& b : h.calibration().rows())
    calib.push_back({{"lo", b.lo},
                     {"hi", b.hi},
                     {"n", b.n},
                     {"mean_predicted", b.mean_predicted},
                     {"fraction_positive", b.fraction_positive}});
  return {{"n", h.count()},
          {"auc", finite_or_null(h.count() ? h.auc() : NAN)},
          {"logloss", h.logloss()},
          {"accuracy", h.accuracy()},
          {"precision", h.precision()},
          {"recall", h.recall()},
          {"f1", h.f1()},
          {"brier", h.brier()},
          {"calibration", calib}};
}

/// Record accounting: in == clean + repaired + quarantined + duplicates.
inline nlohmann::json to_json(const clean::report& r) {
  return {{"in", r.in},
          {"clean", r.clean},
          {"repaired", r.repaired},
          {"quarantined", r.quarantined},
          {"duplicates", r.duplicates}};
}

/// The learning rate: the number in use, or the race (candidates, leader, the rate chosen).
inline nlohmann::json learning_rate_json(const learn::classifier_description& d) {
  if (!d.raced) return d.lr;
  nlohmann::json candidates = nlohmann::json::array();
  for (const auto& c : d.candidates)
    candidates.push_back({{"optimizer", c.optimizer}, {"lr", c.lr}});
  return {{"mode", "race"},
          {"score", "brier"},
          {"candidates", candidates},
          {"chosen", d.lr},
          {"chosen_optimizer", d.optimizer},
          {"leader", d.leader},
          {"committed", d.committed}};
}

/// The `top` largest weights of a linear model by magnitude, named by the encoder.
inline nlohmann::json to_json(const learn::any_classifier& model, const features::encoder& enc,
                              std::size_t top = 10) {
  const auto& w = model.weights();
  std::vector<std::pair<float, std::uint32_t>> nonzero;
  for (Eigen::Index i = 1; i < w.size(); ++i)
    if (w[i] != 0.0f) nonzero.emplace_back(w[i], static_cast<std::uint32_t>(i - 1));
  std::sort(nonzero.begin(), nonzero.end(),
            [](const auto& a, const auto& b) { return std::fabs(a.first) > std::fabs(b.first); });
  nlohmann::json topw = nlohmann::json::array();
  for (std::size_t i = 0; i < std::min<std::size_t>(nonzero.size(), top); ++i)
    topw.push_back(
        {{"feature", enc.feature_name(nonzero[i].second)}, {"weight", nonzero[i].first}});
  return {{"features", enc.dimension()},
          {"nonzero_weights", nonzero.size()},
          {"bias", w.size() ? w[0] : 0.0f},
          {"top_weights", topw}};
}

/// One drift retraining decision.
inline nlohmann::json to_json(const drift::drift_event& d) {
  const auto& e = d.event;
  nlohmann::json j = {{"index", e.index},
                      {"line", d.line},
                      {"detector", e.detector},
                      {"statistic", e.statistic},
                      {"action", std::string(drift::to_string(e.action))},
                      {"drift", e.drift}};
  if (e.challenger_accuracy >= 0.0) {
    j["model_accuracy"] = finite_or_null(e.model_accuracy);
    j["challenger_accuracy"] = finite_or_null(e.challenger_accuracy);
    j["challenger_records"] = e.challenger_records;
  }
  return j;
}

inline nlohmann::json to_json(const drift::retrainer_counts& c, std::uint64_t events) {
  return {{"drifts", c.drifts},
          {"warnings", c.warnings},
          {"challengers", c.challengers},
          {"replaced", c.replaced},
          {"resets", c.resets},
          {"restored", c.restored},
          {"kept", c.kept},
          {"challengers_dropped", c.dropped},
          {"events", events}};
}

/// A data drift monitor: its settings, the watched and skipped columns, the alerts.
inline nlohmann::json to_json(const drift::features::row_monitor& m) {
  const auto& o = m.options();
  nlohmann::json f;
  f["enabled"] = true;
  f["reference_size"] = o.reference_size;
  f["reference_rows"] = std::min<std::uint64_t>(m.rows(), o.reference_size);
  f["window_size"] = o.window_size;
  f["check_every"] = o.check_every ? o.check_every : o.window_size;
  f["bins"] = o.bins;
  f["psi_threshold"] = o.psi_threshold;
  f["ks_alpha"] = o.ks_alpha;
  f["js_threshold"] = o.js_threshold;
  f["rows"] = m.rows();
  nlohmann::json watched = nlohmann::json::array();
  for (const auto& s : m.watched())
    watched.push_back(
        {{"feature", s.name},
         {"kind", s.kind == drift::features::feature_kind::numeric ? "numeric" : "categorical"}});
  f["watched"] = watched;
  nlohmann::json skipped = nlohmann::json::array();
  for (const auto& s : m.skipped()) skipped.push_back({{"feature", s.name}, {"reason", s.reason}});
  f["skipped"] = skipped;
  nlohmann::json alerts = nlohmann::json::array();
  for (const auto& a : m.alerts())
    alerts.push_back({{"index", a.index},
                      {"line", a.line},
                      {"feature", a.a.feature},
                      {"metric", std::string(a.a.metric)},
                      {"statistic", finite_or_null(a.a.statistic)},
                      {"threshold", a.a.threshold},
                      {"p_value", finite_or_null(a.a.p_value)}});
  f["alerts"] = alerts;
  f["alert_count"] = m.alerts_total();
  f["alerts_listed"] = m.alerts().size();
  return f;
}

/// A parameter's value (param.hpp) as JSON: unset is null.
inline nlohmann::json to_json(const param_value& v) {
  return std::visit(
      [](const auto& x) -> nlohmann::json {
        if constexpr (std::is_same_v<std::decay_t<decltype(x)>, std::monostate>)
          return nullptr;
        else
          return x;
      },
      v);
}

/// Name -> value of parameters, in declaration order's names (a JSON object).
inline nlohmann::json to_json(const param_values& params) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [name, v] : params) j[name] = to_json(v);
  return j;
}

/// Every declared parameter of `options` with its value.
template <declares_params O>
nlohmann::json params_json(const O& options) {
  return to_json(effective_params(options));
}

/// What a pipeline is made of: the chain (name, operators, label binding), the encoder, the
/// classifier (as configured and as in use), drift retraining and the data drift monitor when
/// configured, the evaluation; each component with its declared parameters.
inline nlohmann::json describe(const pipeline& p) {
  const auto& c = p.config();
  nlohmann::json steps = nlohmann::json::array();
  for (std::size_t i = 0; i < p.chain().size(); ++i) steps.push_back(std::string(p.chain().op(i)));
  nlohmann::json d;
  d["chain"] = {{"name", p.chain().name()},
                {"operators", steps},
                {"preset", c.preset.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.preset)}};
  d["encoder"] = params_json(p.encoder().options());
  d["encoder"]["ignore"] = c.ignore;
  d["encoder"]["features"] = p.encoder().dimension();
  d["classifier"] = params_json(c.model);
  const auto in_use = p.served().describe();
  d["classifier"]["in_use"] = {{"optimizer", in_use.optimizer},
                               {"learning_rate", learning_rate_json(in_use)}};
  if (const auto* rt = p.retraining()) {
    d["drift"] = {{"detector", rt->detector_name()},
                  {"params", to_json(p.detector_params())},
                  {"retrainer", params_json(rt->options())}};
  } else {
    d["drift"] = nullptr;
  }
  d["feature_monitor"] =
      p.feature_monitor() ? params_json(p.feature_monitor()->options()) : nlohmann::json(nullptr);
  d["evaluation"] = {{"window", c.window}, {"curve_every", c.curve_every}};
  return d;
}

}  // namespace riptide::report
