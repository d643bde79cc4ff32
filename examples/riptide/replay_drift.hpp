// The drift handling of `riptide replay`, kept apart from the learning loop of cmd_replay.cpp
// (which calls it at four points: construction, each clean row, each labelled record, the end).
//
// --drift DETECTOR (adwin, page-hinkley, kswin, ddm, eddm, hddm-a, hddm-w; River's defaults,
// --drift-param NAME=VALUE for River's parameters): the detector watches the prequential 0/1
// error of the served model, and riptide::drift::retrainer acts on it (a warning starts a
// challenger; a drift replaces the model by the challenger when it was better on the recent
// window, else resets it, with the previous model on trial in the background). The feature encoder
// is shared and kept: a reset restarts the model, not the features.
// --feature-drift (implied by --drift unless --no-feature-drift): riptide::drift::features::monitor
// over the clean rows: the first --feature-drift-reference rows are the reference, then every
// --feature-drift-every rows the last --feature-drift-window rows are compared with it (PSI + KS
// for numeric columns, PSI + Jensen-Shannon for categorical ones).
// Both report under "drift" in the replay report: drift.events and drift.features.alerts.
#pragma once

#include <fmt/core.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <riptide/clean/row.hpp>
#include <riptide/drift/adwin.hpp>
#include <riptide/drift/ddm.hpp>
#include <riptide/drift/eddm.hpp>
#include <riptide/drift/features/monitor.hpp>
#include <riptide/drift/hddm_a.hpp>
#include <riptide/drift/hddm_w.hpp>
#include <riptide/drift/kswin.hpp>
#include <riptide/drift/number_line.hpp>
#include <riptide/drift/page_hinkley.hpp>
#include <riptide/drift/retrainer.hpp>
#include <riptide/features/sparse_vector.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "commands.hpp"

namespace riptide::cli {

struct replay_drift_config {
  std::string detector;             // empty: no concept drift handling
  std::vector<std::string> params;  // NAME=VALUE, River's parameter names
  drift::retrainer_options retrain;
  bool feature_drift = false;
  bool no_feature_drift = false;
  drift::features::monitor_options monitor;
  std::size_t max_listed = 10000;  // events and alerts listed in the report (all are counted)

  bool has_detector() const { return !detector.empty(); }
  bool features() const { return feature_drift || (has_detector() && !no_feature_drift); }
  bool enabled() const { return has_detector() || features(); }
};

inline void add_replay_drift_options(CLI::App* cmd, replay_drift_config& c) {
  cmd->add_option("--drift", c.detector,
                  "Concept drift handling: the detector watching the prequential error")
      ->check(CLI::IsMember({"adwin", "page-hinkley", "kswin", "ddm", "eddm", "hddm-a", "hddm-w"}));
  cmd->add_option("--drift-param", c.params,
                  "A detector parameter, River's name: NAME=VALUE (e.g. delta=0.001); repeatable");
  cmd->add_option("--drift-window", c.retrain.recent_window,
                  "Records over which model and challenger are compared")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--drift-min-challenger", c.retrain.min_challenger_records,
                  "Records a challenger needs before it can replace the model")
      ->capture_default_str();
  cmd->add_option("--drift-trial", c.retrain.trial,
                  "Records the previous model stays in the background after a reset")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_flag("--feature-drift", c.feature_drift,
                "Watch data drift per column (implied by --drift)");
  cmd->add_flag("--no-feature-drift", c.no_feature_drift, "With --drift: no feature monitor");
  cmd->add_option("--feature-drift-reference", c.monitor.reference_size,
                  "Feature drift: the first N clean records are the reference")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--feature-drift-window", c.monitor.window_size,
                  "Feature drift: records in the current window")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--feature-drift-every", c.monitor.check_every,
                  "Feature drift: records between checks (0: the window size)")
      ->capture_default_str();
  cmd->add_option("--feature-drift-bins", c.monitor.bins, "Feature drift: quantile bins of PSI")
      ->check(CLI::Range(2, 1000))
      ->capture_default_str();
  cmd->add_option("--psi-threshold", c.monitor.psi_threshold, "Feature drift: PSI alert level")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--ks-alpha", c.monitor.ks_alpha, "Feature drift: KS p-value alert level")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->add_option("--js-threshold", c.monitor.js_threshold,
                  "Feature drift: Jensen-Shannon distance alert level")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
}

namespace replay_drift_detail {

// NAME=VALUE pairs, names with '-' read as '_'. Throws usage_error for a malformed pair, a name
// the detector does not have, or a value that is not a number (or, for a flag, true/false).
class detector_params {
 public:
  detector_params(const std::string& detector, const std::vector<std::string>& pairs)
      : detector_(detector) {
    for (const auto& pair : pairs) {
      const auto eq = pair.find('=');
      if (eq == std::string::npos || eq == 0)
        throw usage_error(fmt::format("--drift-param: expected NAME=VALUE, got '{}'", pair));
      std::string name = pair.substr(0, eq);
      std::replace(name.begin(), name.end(), '-', '_');
      if (!values_.emplace(name, pair.substr(eq + 1)).second)
        throw usage_error(fmt::format("--drift-param: '{}' given twice", name));
    }
  }

  // Each reader returns the value given (or the fallback) and records it, as the detector will
  // use it, in effective() for the report.
  double number(const std::string& name, double fallback) {
    const double x = read_number(name, fallback);
    effective_[name] = x;
    return x;
  }
  /// A number given as `name` or under its other spelling `alias`; recorded as `name`.
  double number(const std::string& name, const std::string& alias, double fallback) {
    return number(name, read_number(alias, fallback));
  }
  template <class Int>
  Int integer(const std::string& name, Int fallback) {
    const double x = read_number(name, static_cast<double>(fallback));
    if (x != std::floor(x) || x < static_cast<double>(std::numeric_limits<Int>::min()) ||
        x > static_cast<double>(std::numeric_limits<Int>::max()) || std::fabs(x) > 0x1p53)
      throw usage_error(fmt::format("--drift-param {}: expected an integer from {} to {}", name,
                                    std::numeric_limits<Int>::min(),
                                    std::numeric_limits<Int>::max()));
    effective_[name] = static_cast<Int>(x);
    return static_cast<Int>(x);
  }
  bool flag(const std::string& name, bool fallback) {
    const auto it = take(name);
    bool b = fallback;
    if (it && (*it == "true" || *it == "1"))
      b = true;
    else if (it && (*it == "false" || *it == "0"))
      b = false;
    else if (it)
      throw usage_error(fmt::format("--drift-param {}: expected true or false", name));
    effective_[name] = b;
    return b;
  }
  std::string text(const std::string& name, const std::string& fallback) {
    std::string t = take(name).value_or(fallback);
    effective_[name] = t;
    return t;
  }
  /// The parameters read so far, with the values used.
  const nlohmann::json& effective() const { return effective_; }
  /// Throws for every parameter not taken by the detector.
  void check_all_used() const {
    for (const auto& [name, value] : values_)
      if (!used_.count(name))
        throw usage_error(
            fmt::format("--drift-param: --drift {} has no parameter '{}'", detector_, name));
  }
  const std::map<std::string, std::string>& given() const { return values_; }

 private:
  double read_number(const std::string& name, double fallback) {
    const auto it = take(name);
    if (!it) return fallback;
    const auto x = drift::parse_number_line(*it);
    if (!x)
      throw usage_error(fmt::format("--drift-param {}: '{}' is not a finite number", name, *it));
    return *x;
  }
  std::optional<std::string> take(const std::string& name) {
    used_.insert(name);
    const auto it = values_.find(name);
    if (it == values_.end()) return std::nullopt;
    return it->second;
  }
  std::string detector_;
  std::map<std::string, std::string> values_;
  std::set<std::string> used_;
  nlohmann::json effective_ = nlohmann::json::object();
};

template <class ModelPtr>
struct concept_drift {
  virtual ~concept_drift() = default;
  virtual ModelPtr& model() = 0;
  virtual ModelPtr* challenger() = 0;
  virtual std::span<const drift::retrain_event> observe(std::uint64_t index, bool model_right,
                                                        bool challenger_right) = 0;
  virtual const drift::retrainer_counts& counts() const = 0;
};

template <class ModelPtr, drift::detector D>
struct concept_drift_of final : concept_drift<ModelPtr> {
  concept_drift_of(std::function<ModelPtr()> make, D d, std::string name,
                   drift::retrainer_options o)
      : r(std::move(make), std::move(d), std::move(name), o) {}
  ModelPtr& model() override { return r.model(); }
  ModelPtr* challenger() override { return r.challenger(); }
  std::span<const drift::retrain_event> observe(std::uint64_t index, bool model_right,
                                                bool challenger_right) override {
    return r.observe(index, model_right, challenger_right);
  }
  const drift::retrainer_counts& counts() const override { return r.counts(); }
  drift::retrainer<ModelPtr, D> r;
};

inline nlohmann::json finite_or_null(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

}  // namespace replay_drift_detail

/// Drift handling for one replay. ModelPtr is a pointer-like handle to a model with
/// predict_proba(x), learn_one(x, y) and predict_then_learn(x, y) (cmd_replay's
/// std::unique_ptr<any_model>).
template <class ModelPtr>
class replay_drift {
 public:
  /// `make` makes a fresh model; `skip` names the columns that are not features (label, id,
  /// ignored); `seed` seeds KSWIN when --drift-param seed is not given.
  replay_drift(const replay_drift_config& c, std::function<ModelPtr()> make,
               std::vector<std::string> skip, std::uint64_t seed)
      : c_(c), skip_(std::move(skip)) {
    if (c_.has_detector()) make_detector(std::move(make), seed);
  }

  bool enabled() const { return c_.enabled(); }

  /// The model that serves: `plain` without --drift, else the retrainer's.
  ModelPtr& serving(ModelPtr& plain) { return handler_ ? handler_->model() : plain; }

  /// Feature drift: every clean row of the stream, in order.
  void observe_row(const clean::row& row) {
    if (!c_.features()) return;
    ++rows_;
    if (!monitor_) {
      reference_.push_back(row.values);
      reference_where_.emplace_back(row.where.index, row.where.line);
      if (!names_ && row.names) names_ = row.names;
      if (reference_.size() >= c_.monitor.reference_size) start_monitor();
      return;
    }
    feed(row.values, row.where.index, row.where.line);
  }

  /// Test-then-train of one labelled record with prediction p of serving(): reports the outcome
  /// to the detector, then lets the models learn (without --drift: plain learns).
  void learn(ModelPtr& plain, const clean::row& row, features::sparse_view x, bool y, float p) {
    if (!handler_) {
      plain->learn_one(x, y);
      return;
    }
    const bool right = (p > 0.5f) == y;
    ModelPtr* ch = handler_->challenger();
    const bool challenger_right = ch && ((*ch)->predict_proba(x) > 0.5f) == y;
    for (const auto& e : handler_->observe(row.where.index, right, challenger_right))
      record(e, row);
    handler_->model()->learn_one(x, y);
    if ((ch = handler_->challenger())) (*ch)->learn_one(x, y);
  }

  /// Test-then-train of one labelled record: serving()'s probability for x before anything
  /// learns it, then learn(...) with it (without --drift, plain in one call: one margin).
  float predict_then_learn(ModelPtr& plain, const clean::row& row, features::sparse_view x,
                           bool y) {
    if (!handler_) return plain->predict_then_learn(x, y);
    const float p = handler_->model()->predict_proba(x);
    learn(plain, row, x, y, p);
    return p;
  }

  /// End of the stream: the served model becomes `plain` (for later passes, the holdout, the
  /// report). A stream shorter than the feature reference raises no feature alert.
  void finish(ModelPtr& plain) {
    if (!handler_) return;
    counts_ = handler_->counts();
    plain = std::move(handler_->model());
    handler_.reset();
  }

  nlohmann::json report() const {
    using replay_drift_detail::finite_or_null;
    nlohmann::json d;
    if (c_.has_detector()) {
      d["detector"] = c_.detector;
      d["params"] = effective_params_;
      d["policy"] = {
          {"recent_window", c_.retrain.recent_window},
          {"min_challenger_records", c_.retrain.min_challenger_records},
          {"trial", c_.retrain.trial},
          {"on_warning", warning_zone_ ? "challenger_started" : "no warning zone"},
          {"on_drift",
           "challenger replaces the model when better on the recent window, else reset (fresh "
           "model; previous model on trial in the background, restored if it does better)"}};
      d["counts"] = {{"drifts", counts_.drifts},
                     {"warnings", counts_.warnings},
                     {"challengers", counts_.challengers},
                     {"replaced", counts_.replaced},
                     {"resets", counts_.resets},
                     {"restored", counts_.restored},
                     {"kept", counts_.kept},
                     {"challengers_dropped", counts_.dropped},
                     {"events", events_total_}};
      d["events"] = events_;
      d["events_listed"] = events_.size();
    } else {
      d["detector"] = nullptr;
      d["events"] = nlohmann::json::array();
    }
    nlohmann::json f;
    f["enabled"] = c_.features();
    if (c_.features()) {
      const auto& o = c_.monitor;
      f["reference_size"] = o.reference_size;
      f["reference_rows"] = std::min<std::uint64_t>(rows_, o.reference_size);
      f["window_size"] = o.window_size;
      f["check_every"] = o.check_every ? o.check_every : o.window_size;
      f["bins"] = o.bins;
      f["psi_threshold"] = o.psi_threshold;
      f["ks_alpha"] = o.ks_alpha;
      f["js_threshold"] = o.js_threshold;
      f["rows"] = rows_;
      nlohmann::json watched = nlohmann::json::array();
      for (const auto& s : specs_)
        watched.push_back(
            {{"feature", s.name},
             {"kind",
              s.kind == drift::features::feature_kind::numeric ? "numeric" : "categorical"}});
      f["watched"] = watched;
      f["skipped"] = skipped_;
      f["alerts"] = alerts_;
      f["alert_count"] = alerts_total_;
      f["alerts_listed"] = alerts_.size();
    }
    d["features"] = f;
    return d;
  }

  /// One line for the console summary.
  std::string summary() const {
    std::string s;
    if (c_.has_detector())
      s +=
          fmt::format("drift ({}): {} drifts, {} warnings; {} replaced, {} resets, {} restored{}{}",
                      c_.detector, counts_.drifts, counts_.warnings, counts_.replaced,
                      counts_.resets, counts_.restored, model_changes_.empty() ? "" : " (",
                      model_changes_.empty() ? model_changes_ : model_changes_ + ")");
    if (c_.features())
      s += fmt::format("{}feature drift: {} alerts over {} rows", s.empty() ? "" : "; ",
                       alerts_total_, rows_);
    return s;
  }

 private:
  void make_detector(std::function<ModelPtr()> make, std::uint64_t seed) {
    replay_drift_detail::detector_params p(c_.detector, c_.params);
    const std::string& name = c_.detector;
    auto build = [&](auto detector) {
      using D = decltype(detector);
      p.check_all_used();
      effective_params_ = p.effective();
      warning_zone_ = drift::warning_detector<D>;
      handler_ = std::make_unique<replay_drift_detail::concept_drift_of<ModelPtr, D>>(
          std::move(make), std::move(detector), name, c_.retrain);
    };
    try {
      if (name == "adwin") {
        drift::adwin_options o;
        o.delta = p.number("delta", o.delta);
        o.clock = p.integer("clock", o.clock);
        o.max_buckets = p.integer("max_buckets", o.max_buckets);
        o.min_window_length = p.integer("min_window_length", o.min_window_length);
        o.grace_period = p.integer("grace_period", o.grace_period);
        build(drift::adwin{o});
      } else if (name == "page-hinkley") {
        drift::page_hinkley_options o;
        o.min_instances = p.integer("min_instances", o.min_instances);
        o.delta = p.number("delta", o.delta);
        o.threshold = p.number("threshold", o.threshold);
        o.alpha = p.number("alpha", o.alpha);
        const std::string mode = p.text("mode", "both");
        using dir = drift::page_hinkley_options::direction;
        if (mode == "up")
          o.mode = dir::up;
        else if (mode == "down")
          o.mode = dir::down;
        else if (mode == "both")
          o.mode = dir::both;
        else
          throw usage_error(fmt::format("--drift-param mode: up, down or both, not '{}'", mode));
        build(drift::page_hinkley{o});
      } else if (name == "kswin") {
        drift::kswin_options o;
        o.alpha = p.number("alpha", o.alpha);
        o.window_size = p.integer("window_size", o.window_size);
        o.stat_size = p.integer("stat_size", o.stat_size);
        if (o.window_size < 1 || o.stat_size < 1)
          throw usage_error("--drift-param: kswin window_size and stat_size must be >= 1");
        // River's seed=None draws entropy; a replay is reproducible, so the replay's seed.
        o.seed = p.integer("seed", static_cast<std::int64_t>(seed % (1ULL << 52)));
        build(drift::kswin{o});
      } else if (name == "ddm") {
        drift::ddm_options o;
        o.warm_start = p.integer("warm_start", o.warm_start);
        o.warning_threshold = p.number("warning_threshold", o.warning_threshold);
        o.drift_threshold = p.number("drift_threshold", o.drift_threshold);
        build(drift::ddm{o});
      } else if (name == "eddm") {
        drift::eddm_options o;
        o.warm_start = p.integer("warm_start", o.warm_start);
        o.alpha = p.number("alpha", o.alpha);
        o.beta = p.number("beta", o.beta);
        build(drift::eddm{o});
      } else if (name == "hddm-a") {
        drift::hddm_a_options o;
        o.drift_confidence = p.number("drift_confidence", o.drift_confidence);
        o.warning_confidence = p.number("warning_confidence", o.warning_confidence);
        o.two_sided_test = p.flag("two_sided_test", o.two_sided_test);
        build(drift::hddm_a{o});
      } else if (name == "hddm-w") {
        drift::hddm_w_options o;
        o.drift_confidence = p.number("drift_confidence", o.drift_confidence);
        o.warning_confidence = p.number("warning_confidence", o.warning_confidence);
        o.lambda = p.number("lambda_val", "lambda", o.lambda);
        o.two_sided_test = p.flag("two_sided_test", o.two_sided_test);
        build(drift::hddm_w{o});
      } else {
        throw usage_error(fmt::format("--drift: unknown detector '{}'", name));
      }
    } catch (const std::invalid_argument& e) {
      throw usage_error(fmt::format("--drift {}: {}", name, e.what()));
    }
  }

  void record(const drift::retrain_event& e, const clean::row& row) {
    ++events_total_;
    if (events_.size() >= c_.max_listed) return;
    using replay_drift_detail::finite_or_null;
    nlohmann::json j = {{"index", e.index},
                        {"line", row.where.line},
                        {"detector", e.detector},
                        {"statistic", e.statistic},
                        {"action", std::string(drift::to_string(e.action))},
                        {"drift", e.drift}};
    if (e.challenger_accuracy >= 0.0) {
      j["model_accuracy"] = finite_or_null(e.model_accuracy);
      j["challenger_accuracy"] = finite_or_null(e.challenger_accuracy);
      j["challenger_records"] = e.challenger_records;
    }
    events_.push_back(std::move(j));
    // The first model changes, for the console summary.
    if (e.action == drift::retrain_action::reset || e.action == drift::retrain_action::replaced ||
        e.action == drift::retrain_action::restored) {
      if (changes_listed_ < 8)
        model_changes_ += fmt::format("{}{} after record {}", changes_listed_ ? ", " : "",
                                      drift::to_string(e.action), e.index);
      else if (changes_listed_ == 8)
        model_changes_ += ", ...";
      ++changes_listed_;
    }
  }

  // The reference is buffered to decide each column's kind: numeric when every present
  // reference value is a number (or a text that reads fully as one); categorical otherwise, and
  // skipped when more than half the reference rows have distinct values (an identifier).
  void start_monitor() {
    const std::size_t columns = names_ ? names_->size() : 0;
    numeric_.assign(columns, false);
    for (std::size_t c = 0; c < columns; ++c) {
      const std::string& name = names_->names[c];
      if (std::find(skip_.begin(), skip_.end(), name) != skip_.end()) continue;
      bool all_numbers = true, any = false;
      std::unordered_set<std::string> distinct;
      for (const auto& values : reference_) {
        if (c >= values.size() || values[c].is_null()) {
          distinct.insert("\x01null");
          continue;
        }
        any = true;
        const value& v = values[c];
        if (v.is_text()) {
          distinct.insert(std::string(v.as_text()));
          all_numbers = all_numbers && drift::parse_number_line(v.as_text()).has_value();
        } else if (v.is_number()) {
          distinct.insert(fmt::format("{}", v.as_number()));
        } else if (v.is_bool()) {
          distinct.insert(v.as_bool() ? "true" : "false");
        }
      }
      numeric_[c] = any && all_numbers;
      if (!numeric_[c] && distinct.size() * 2 > reference_.size()) {
        skipped_.push_back({{"feature", name},
                            {"reason", fmt::format("{} distinct values in {} reference rows "
                                                   "(an identifier?)",
                                                   distinct.size(), reference_.size())}});
        continue;
      }
      specs_.push_back({name, c,
                        numeric_[c] ? drift::features::feature_kind::numeric
                                    : drift::features::feature_kind::categorical});
    }
    monitor_.emplace(specs_, c_.monitor);
    for (std::size_t i = 0; i < reference_.size(); ++i)
      feed(reference_[i], reference_where_[i].first, reference_where_[i].second);
    reference_.clear();
    reference_where_.clear();
  }

  void feed(const std::vector<value>& values, std::uint64_t index, std::uint64_t line) {
    converted_.resize(values.size());
    for (std::size_t c = 0; c < values.size(); ++c) {
      const value& v = values[c];
      if (c < numeric_.size() && numeric_[c] && v.is_text()) {
        const auto x = drift::parse_number_line(v.as_text());
        if (x)
          converted_[c].set_real(*x);
        else
          converted_[c].set_null();  // a non-number in a numeric column counts as missing
      } else {
        converted_[c] = v;
      }
    }
    for (const auto& a : monitor_->update(converted_)) {
      ++alerts_total_;
      if (alerts_.size() >= c_.max_listed) continue;
      alerts_.push_back({{"index", index},
                         {"line", line},
                         {"feature", a.feature},
                         {"metric", std::string(a.metric)},
                         {"statistic", replay_drift_detail::finite_or_null(a.statistic)},
                         {"threshold", a.threshold},
                         {"p_value", replay_drift_detail::finite_or_null(a.p_value)}});
    }
  }

  replay_drift_config c_;
  std::vector<std::string> skip_;
  std::unique_ptr<replay_drift_detail::concept_drift<ModelPtr>> handler_;
  bool warning_zone_ = false;
  nlohmann::json effective_params_ = nlohmann::json::object();
  drift::retrainer_counts counts_;
  nlohmann::json events_ = nlohmann::json::array();
  std::uint64_t events_total_ = 0;
  std::string model_changes_;
  std::size_t changes_listed_ = 0;
  // feature drift
  std::shared_ptr<const clean::columns> names_;
  std::vector<std::vector<value>> reference_;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> reference_where_;  // index, line
  std::vector<bool> numeric_;
  std::vector<drift::features::feature_spec> specs_;
  nlohmann::json skipped_ = nlohmann::json::array();
  std::optional<drift::features::monitor> monitor_;
  std::vector<value> converted_;
  std::uint64_t rows_ = 0;
  nlohmann::json alerts_ = nlohmann::json::array();
  std::uint64_t alerts_total_ = 0;
};

}  // namespace riptide::cli
