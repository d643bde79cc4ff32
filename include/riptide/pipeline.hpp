// riptide/pipeline.hpp: the trained unit a user learns with, evaluates, saves and serves:
// raw record -> cleansing chain -> feature encoder -> classifier, with its evaluation.
//
// A pipeline is built from a pipeline_config (the same configuration `riptide replay` fills from
// its flags) and holds:
//   - the cleansing chain: a preset, JSON rules, or the generic chain (trim + null tokens on every
//     column; the encoder reads numeric-looking columns as numbers); or a chain given ready-made
//     (e.g. one clean::inference built from a sample);
//   - the label binding: the label column, its positive value, the id column, ignored columns
//     (presets and rules carry theirs: telco says churn / yes / customer_id);
//   - the feature encoder (one-hot dictionaries, Welford-standardised numbers, hashing);
//   - the classifier (learn::make_classifier: any learner and optimizer, or the learning-rate
//     race), optionally wrapped in drift retraining (drift::retraining_classifier: a detector by
//     name watching the prequential error);
//   - its prequential evaluation, and optionally a per-column data drift monitor.
// Verbs (one record at a time):
//   learn_one(record)            cleanse, encode (the encoder learns), learn; the outcome says
//                                what became of the record (clean, repaired, quarantined with its
//                                reason, duplicate)
//   predict_then_learn(record)   test-then-train: the probability before learning, then learn
//   predict(record) const        the probability of the positive class; pure: changes no state of
//                                the chain, encoder, model or metrics, so any number of threads may
//                                call it at once on one pipeline while nothing learns. Each call
//                                makes its own scratch; hot loops pass one per thread:
//                                predict(record, scratch) with scratch = make_scratch().
// Bad records never throw: they come back as outcomes with status and reason. Bad configuration
// (unknown preset, bad rules, unknown detector or parameter) throws std::invalid_argument (or
// clean::rules_error) from the constructor.
// State apart from scratch: the pipeline holds what a snapshot keeps (the chain's plan and state,
// the encoder's dictionaries and statistics, the model); a scratch holds per-thread caches (a
// serving copy of the chain without dedup, the encoder's caches, a feature buffer). A scratch
// serves the chain as it was when made: make a new one after learning.
//
// Example:
//   riptide::pipeline p{{.preset = "telco", .model = {.optimizer = "adagrad", .lr = 0.05}}};
//   for (const auto& record : riptide::io::read_csv("data/telco_customer_churn_train_data.csv"))
//     p.predict_then_learn(record);
//   if (!(p.evaluation().auc() > 0.8) || p.report().in != 7043) std::abort();
//   auto scored = riptide::io::read_csv("data/telco_customer_churn_score_data.csv");
//   for (const auto& record : scored) {
//     const auto out = p.predict(record);
//     if (out.ok() && !(out.probability >= 0.0f && out.probability <= 1.0f)) std::abort();
//   }
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "riptide/clean/chain.hpp"
#include "riptide/clean/preset.hpp"
#include "riptide/clean/rules.hpp"
#include "riptide/drift/features/row_monitor.hpp"
#include "riptide/drift/make_detector.hpp"
#include "riptide/drift/retraining_classifier.hpp"
#include "riptide/features/encoder.hpp"
#include "riptide/io/record.hpp"
#include "riptide/learn/any_classifier.hpp"
#include "riptide/learn/make_classifier.hpp"
#include "riptide/metrics/prequential.hpp"

namespace riptide {

struct pipeline_config {
  // cleansing: a preset name, or JSON rules (text), or neither: the generic chain
  std::string preset{};
  std::string rules{};
  std::string rules_source = "rules";  ///< names the rules in error messages
  // what the rows mean (empty: the preset's or rules' own)
  std::string label{};
  std::string positive{};
  std::string id{};
  std::vector<std::string> ignore{};
  // features
  unsigned hash_bits = 18;
  std::uint64_t seed = 42;
  // the classifier
  learn::classifier_options model{};
  // concept drift: a detector name (drift::detector_names()) and its parameters, NAME=VALUE
  std::string drift{};
  std::vector<std::string> drift_params{};
  drift::retraining_options retraining{};
  // data drift per column (row_monitor.hpp); implied by `drift` unless no_feature_drift
  bool feature_drift = false;
  bool no_feature_drift = false;
  drift::features::monitor_options feature_monitor{};
  std::size_t max_alerts = 10000;
  // prequential evaluation
  std::size_t window = 1000;
  std::uint64_t curve_every = 500;

  bool watches_features() const { return feature_drift || (!drift.empty() && !no_feature_drift); }

  /// Every field (snapshot/archive.hpp): a snapshot's pipeline spec.
  template <class Archive>
  void state(Archive& a) {
    a("preset", preset);
    a("rules", rules);
    a("rules_source", rules_source);
    a("label", label);
    a("positive", positive);
    a("id", id);
    a("ignore", ignore);
    a("hash_bits", hash_bits);
    a("seed", seed);
    a("model", model);
    a("drift", drift);
    a("drift_params", drift_params);
    a("retrainer", retraining.retrain);
    a("max_events", retraining.max_events);
    a("feature_drift", feature_drift);
    a("no_feature_drift", no_feature_drift);
    a("feature_monitor", feature_monitor);
    a("max_alerts", max_alerts);
    a("window", window);
    a("curve_every", curve_every);
  }
};

/// What became of one record.
struct outcome {
  clean::disposition status = clean::disposition::clean;
  /// The positive class's probability (predict; predict_then_learn: before learning); NaN when
  /// the record was not scored (quarantined, duplicate, or no label to learn from).
  float probability = std::numeric_limits<float>::quiet_NaN();
  std::optional<bool> label{};  ///< the record's label, when it has one
  bool learned = false;         ///< the model learned it
  std::string reason{};         ///< quarantined or duplicate: why

  /// Cleansed (clean or repaired) and so encoded.
  bool ok() const noexcept {
    return status == clean::disposition::clean || status == clean::disposition::repaired;
  }
};

class pipeline {
 public:
  using retraining_model = drift::retraining_classifier<learn::any_classifier, drift::any_detector>;

  /// Per-thread caches of predict() (see the header comment).
  struct scratch {
    clean::chain chain;
    features::encoder::scratch encoder;
    features::sparse_vector x;
  };

  /// The pipeline of `config`; throws for bad configuration.
  explicit pipeline(const pipeline_config& config) : pipeline(make_chain(config), config) {
    chain_from_config_ = true;
  }

  /// The same with a ready-made chain (its binding applies where the config says nothing).
  pipeline(clean::chain chain, pipeline_config config)
      : config_(bind(std::move(config), chain.binding())),
        chain_(std::move(chain)),
        encoder_(encoder_options(config_)),
        model_(learn::make_classifier(config_.model)),
        evaluation_({.window = config_.window, .curve_every = config_.curve_every}) {
    if (!config_.drift.empty()) {
      // KSWIN's seed, unless given, is the pipeline's (River's seed=None draws entropy; a
      // pipeline is reproducible).
      auto made =
          drift::make_detector(config_.drift, parse_param_assignments(config_.drift_params),
                               {{"seed", std::to_string(config_.seed % (std::uint64_t{1} << 52))}});
      detector_params_ = std::move(made.params);
      warning_zone_ = made.detector.has_warning_zone();
      retraining_.emplace([m = config_.model] { return learn::make_classifier(m); },
                          std::move(made.detector), config_.drift, config_.retraining);
    }
    if (config_.watches_features())
      monitor_.emplace(config_.feature_monitor, not_features(config_), config_.max_alerts);
  }

  pipeline(pipeline&&) noexcept = default;
  pipeline& operator=(pipeline&&) noexcept = default;

  /// A fresh chain of `config` (preset, rules or the generic chain).
  static clean::chain make_chain(const pipeline_config& config) {
    if (!config.preset.empty() && !config.rules.empty())
      throw std::invalid_argument("pipeline: give a preset or rules, not both");
    if (!config.preset.empty()) return clean::preset(config.preset);
    if (!config.rules.empty()) return clean::load_rules(config.rules, config.rules_source);
    return clean::load_rules(generic_rules, "generic rules");
  }

  /// The chain of a configuration without preset or rules: trim and null tokens on every column.
  static constexpr std::string_view generic_rules =
      R"({"name": "generic", "steps": [{"op": "trim", "columns": "*"},
                                       {"op": "null_tokens", "columns": "*"}]})";

  // --- learning ---------------------------------------------------------------------------------

  /// Cleanses, encodes and learns one record.
  outcome learn_one(const io::record_view& record) { return predict_then_learn(record); }

  /// Test-then-train: the probability before learning, then learns.
  outcome predict_then_learn(const io::record_view& record) {
    const clean::row& row = cleanse(record);
    if (!is_clean(row)) return rejected(row);
    return predict_then_learn(row);
  }

  /// The learning chain alone: cleanses `record`, counts it in report(), and feeds the data drift
  /// monitor with clean rows. The row is valid until the next call.
  const clean::row& cleanse(const io::record_view& record) {
    const clean::row& row = chain_.process(record);
    if (monitor_ && is_clean(row)) monitor_->update(row);
    return row;
  }

  /// Test-then-train of a row cleanse() gave: the encoder learns it; when it has a label, the
  /// model scores it, the evaluation counts it, and the model learns it.
  outcome predict_then_learn(const clean::row& row) {
    outcome out;
    out.status = row.status;
    encoder_.learn_one(row, x_);
    out.label = encoder_.label_of(row);
    if (!out.label) {
      ++unlabelled_;
      return out;
    }
    out.probability =
        retraining_ && !settled_
            ? retraining_->predict_then_learn(x_, *out.label, {row.where.index, row.where.line})
            : model_.predict_then_learn(x_, *out.label);
    out.learned = true;
    evaluation_.update(*out.label, out.probability);
    ++learned_;
    return out;
  }

  // --- serving ----------------------------------------------------------------------------------

  /// Per-thread caches for predict(record, scratch).
  scratch make_scratch() const { return {chain_.without("dedup"), {}, {}}; }

  /// The positive class's probability for `record` (pure; safe from many threads at once while
  /// nothing learns). Makes its own scratch: hot loops use the overload below.
  outcome predict(const io::record_view& record) const {
    scratch s = make_scratch();
    return predict(record, s);
  }
  outcome predict(const io::record_view& record, scratch& s) const {
    const clean::row& row = s.chain.process(record);
    if (!is_clean(row)) return rejected(row);
    return predict(row, s);
  }
  /// The same for a clean row.
  outcome predict(const clean::row& row, scratch& s) const {
    outcome out;
    out.status = row.status;
    out.probability = probability(row, s);
    out.label = encoder_.label_of(row, s.encoder);
    return out;
  }
  /// The positive class's probability for a clean row, alone (no outcome, no label read).
  float probability(const clean::row& row, scratch& s) const {
    encoder_.transform(row, s.x, s.encoder);
    return served().predict_proba(s.x);
  }

  // --- what it is -------------------------------------------------------------------------------

  /// Ends drift retraining and the learning-rate race: the served model becomes a plain one (for
  /// multi-pass refinement). Returns what the model was before settling (the race, if raced).
  learn::classifier_description settle() {
    if (retraining_ && !settled_) model_ = retraining_->release();
    settled_ = true;
    auto before = model_.describe();
    if (auto leader = model_.settle()) model_ = std::move(*leader);
    return before;
  }

  const pipeline_config& config() const noexcept { return config_; }
  const clean::chain& chain() const noexcept { return chain_; }
  /// The accounting of every record cleansed: in == clean + repaired + quarantined + duplicates.
  clean::report report() const { return chain_.report(); }
  const features::encoder& encoder() const noexcept { return encoder_; }
  features::encoder& encoder() noexcept { return encoder_; }
  /// The model that serves predictions.
  const learn::any_classifier& served() const {
    return retraining_ && !settled_ ? retraining_->model() : model_;
  }
  learn::any_classifier& served() {
    return retraining_ && !settled_ ? retraining_->model() : model_;
  }
  const metrics::prequential& evaluation() const noexcept { return evaluation_; }
  std::uint64_t learned() const noexcept { return learned_; }
  std::uint64_t unlabelled() const noexcept { return unlabelled_; }
  /// Drift retraining, when configured (its counts and events).
  const retraining_model* retraining() const noexcept {
    return retraining_ ? &*retraining_ : nullptr;
  }
  /// The drift detector's parameters, every one with the value in use.
  const param_values& detector_params() const noexcept { return detector_params_; }
  bool detector_has_warning_zone() const noexcept { return warning_zone_; }
  const drift::features::row_monitor* feature_monitor() const noexcept {
    return monitor_ ? &*monitor_ : nullptr;
  }

  // --- snapshots (riptide/snapshot/pipeline_io.hpp saves and loads) ------------------------------

  /// Whether the chain is the configuration's (preset, rules or generic), not one given
  /// ready-made: only such a pipeline can be rebuilt from its configuration.
  bool chain_from_config() const noexcept { return chain_from_config_; }
  /// Whether settle() ended retraining and the race (the model is a plain one).
  bool settled() const noexcept { return settled_; }

  /// Replaces the model by a fresh plain one of `plain` and marks the pipeline settled: a
  /// settled pipeline's snapshot is loaded into a pipeline of its configuration so prepared.
  void settle_as(const learn::classifier_options& plain) {
    model_ = learn::make_classifier(plain);
    settled_ = true;
  }

  /// The learned state (snapshot/archive.hpp). serve: the chain's statistics, the encoder and
  /// the served model's weights; resume: also the model's whole state (optimizer, the race, drift
  /// retraining), the dedup window and accounting, the data drift monitor and the evaluation.
  /// A loader fills a pipeline made from the same configuration (see settle_as).
  template <class Archive>
  void state(Archive& a) {
    a("chain", chain_);
    a("encoder", encoder_);
    if constexpr (!Archive::loading) {
      if (!a.resume()) {
        served_weights w{served().weights()};
        a("model", w);
        return;
      }
    } else if (!a.resume()) {
      a("model", model_);
      return;
    }
    const bool retraining = retraining_ && !settled_;
    if (retraining)
      a("retraining", *retraining_);
    else
      a("model", model_);
    if (monitor_) a("feature_monitor", *monitor_);
    a("evaluation", evaluation_);
    a("learned", learned_);
    a("unlabelled", unlabelled_);
  }

  /// Columns that are not features: label, id, ignored.
  static std::vector<std::string> not_features(const pipeline_config& c) {
    std::vector<std::string> names{c.label, c.id};
    names.insert(names.end(), c.ignore.begin(), c.ignore.end());
    return names;
  }

 private:
  // What a serve snapshot keeps of the model: a plain linear model's state of that kind.
  struct served_weights {
    Eigen::VectorXf weights;
    template <class Archive>
    void state(Archive& a) {
      a("weights", weights);
    }
  };

  static bool is_clean(const clean::row& row) noexcept {
    return row.status == clean::disposition::clean || row.status == clean::disposition::repaired;
  }
  static outcome rejected(const clean::row& row) {
    outcome out;
    out.status = row.status;
    out.reason = row.reason;
    return out;
  }
  static pipeline_config bind(pipeline_config c, const clean::label_binding& b) {
    if (c.label.empty()) {
      c.label = b.label;
      if (c.positive.empty()) c.positive = b.positive;
      if (c.id.empty()) c.id = b.id;
    }
    return c;
  }
  static features::encoder_options encoder_options(const pipeline_config& c) {
    return {.label = c.label,
            .positive = c.positive,
            .id = c.id,
            .ignore = c.ignore,
            .hash_bits = c.hash_bits,
            .seed = c.seed};
  }

  pipeline_config config_;
  clean::chain chain_;
  features::encoder encoder_;
  learn::any_classifier model_;
  std::optional<retraining_model> retraining_;
  param_values detector_params_;
  bool warning_zone_ = false;
  bool settled_ = false;
  bool chain_from_config_ = false;
  std::optional<drift::features::row_monitor> monitor_;
  metrics::prequential evaluation_;
  features::sparse_vector x_;
  std::uint64_t learned_ = 0;
  std::uint64_t unlabelled_ = 0;
};

}  // namespace riptide
