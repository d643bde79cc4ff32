// riptide/replay.hpp: replays a recorded stream through a pipeline, test-then-train, and
// reports what happened: the job behind `riptide replay`, for any source of records.
//
// The first pass runs every record through pipeline::predict_then_learn (prequential metrics,
// drift retraining, data drift), except every holdout_every-th clean record (i % K == K - 1),
// which is kept out of learning. Passes after the first (the same records again, never the held-
// out ones) refine the settled model: a logistic model over a small feature space (at most 1024
// weights) takes one guarded Newton (IRLS) step per pass, which reaches the batch optimum;
// otherwise (svm, L1, class weights, large or hashed spaces) averaged SGD epochs through a bounded
// shuffle buffer with a larger step (later_lr_scale) and Polyak-Ruppert averaging. Then the
// held-out records are scored with the final model. Each pass cleanses the stream afresh.
// The source is any callable that streams the records once per call: source(on_record), with
// on_record(const io::record_view&); it is called 1 + (passes - 1) + (holdout ? 1 : 0) times.
// Parameters (defaults): passes (1), later_lr_scale (0: per optimizer, adagrad 40, sgd 5, ftrl 1,
// adaptive 10), refine (auto | newton | sgd), holdout_every (0: none), shuffle_buffer (4096).
// Bad configuration throws std::invalid_argument before the first record; a stream without its
// label column throws it at the first clean record.
//
// Example:
//   riptide::replay_options o;
//   o.pipeline.preset = "telco";
//   o.holdout_every = 5;
//   const auto r = riptide::replay(o, [](auto&& on_record) {
//     for (const auto& rec : riptide::io::read_csv("data/telco_customer_churn_train_data.csv"))
//       on_record(rec);
//   });
//   if (!(r.holdout.auc() > 0.8) || r.counts.in != 7043 || !r.counts.balanced()) std::abort();
#pragma once

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <functional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "riptide/clean/chain.hpp"
#include "riptide/learn/irls.hpp"
#include "riptide/learn/shuffle_buffer.hpp"
#include "riptide/metrics/holdout.hpp"
#include "riptide/pipeline.hpp"
#include "riptide/report/json.hpp"

namespace riptide {

struct replay_options {
  pipeline_config pipeline{};
  int passes = 1;
  double later_lr_scale = 0.0;
  std::string refine = "auto";  ///< auto, newton, sgd
  std::uint64_t holdout_every = 0;
  std::size_t shuffle_buffer = 4096;
  /// Snapshots while learning: every `snapshot_every` clean records of the first pass (0: none)
  /// and once at the end, on_snapshot(pipeline, holdout) is called with the holdout of the
  /// records held out since the previous call (scored when they arrive, by the model of that
  /// moment; at the end: the final holdout). A registry's add (snapshot/registry.hpp) fits.
  std::uint64_t snapshot_every = 0;
  std::function<void(const riptide::pipeline&, const metrics::holdout&)> on_snapshot{};
  // for the report only
  std::string input = "-";
  std::string format = "csv";
};

struct replay_result {
  replay_result(replay_options o, riptide::pipeline p)
      : options(std::move(o)), model(std::move(p)) {}

  replay_options options;
  riptide::pipeline model;  ///< the trained pipeline (settled after passes > 1: a plain model)
  clean::report counts{};   ///< of the first pass
  std::uint64_t held_out = 0;
  metrics::holdout holdout{};
  learn::classifier_description learning_rate{};  ///< before settling (the race, if raced)
  std::string refine = "none";                    ///< what refined the later passes
  double later_lr_scale = 0.0;                    ///< in effect for the later passes
  double first_pass_seconds = 0.0;
  double first_pass_cpu_seconds = 0.0;
  double total_seconds = 0.0;

  double records_per_second() const {
    return first_pass_seconds > 0 ? counts.in / first_pass_seconds : 0.0;
  }

  /// The whole report (the JSON `riptide replay --report` writes).
  nlohmann::json to_json() const {
    const auto& c = options;
    const auto& p = model.config();
    nlohmann::json r;
    r["input"] = c.input;
    r["records"] = report::to_json(counts);
    r["records"]["learned"] = model.learned();
    r["records"]["held_out"] = held_out;
    r["records"]["unlabelled"] = model.unlabelled();
    r["prequential"] = report::to_json(model.evaluation());
    r["holdout"] = report::to_json(holdout);
    r["holdout"]["every"] = c.holdout_every;
    r["curve"] = report::learning_curve(model.evaluation());
    r["throughput"] = {{"records_per_s", records_per_second()},
                       {"seconds", first_pass_seconds},
                       {"cpu_records_per_s",
                        first_pass_cpu_seconds > 0 ? counts.in / first_pass_cpu_seconds : 0.0},
                       {"cpu_seconds", first_pass_cpu_seconds},
                       {"total_seconds", total_seconds},
                       {"passes", c.passes}};
    r["model"] = report::to_json(model.served(), model.encoder());
    if (p.watches_features() || !p.drift.empty()) r["drift"] = drift_json();
    r["config"] = {
        {"input", c.input},
        {"format", c.format},
        {"preset", p.preset.empty() ? nlohmann::json(nullptr) : nlohmann::json(p.preset)},
        {"label", p.label},
        {"positive", p.positive},
        {"id", p.id},
        {"ignore", p.ignore},
        {"learner", p.model.learner},
        {"optimizer", p.model.optimizer},
        {"optimizer_in_use", learning_rate.optimizer},
        {"lr", p.model.lr > 0 ? nlohmann::json(p.model.lr) : nlohmann::json("auto")},
        {"learning_rate", report::learning_rate_json(learning_rate)},
        {"l1", p.model.l1},
        {"l2", p.model.l2},
        {"passes", c.passes},
        {"refine", c.passes > 1 ? nlohmann::json(refine) : nlohmann::json(nullptr)},
        {"later_lr_scale", later_lr_scale},
        {"holdout_every", c.holdout_every},
        {"seed", p.seed},
        {"curve_every", p.curve_every},
        {"window", p.window},
        {"batch_size", p.model.batch_size},
        {"class_weight", p.model.class_weight},
        {"shuffle_buffer", c.shuffle_buffer},
        {"hash_bits", p.hash_bits},
        {"features",
         "one-hot dictionary per text column (unseen -> reserved slot), "
         "Welford-standardised numbers with missing indicators"}};
    return r;
  }

  /// The drift part of the report: the detector, its parameters and policy, counts and events;
  /// the data drift monitor.
  nlohmann::json drift_json() const {
    nlohmann::json d;
    const auto* rt = model.retraining();
    if (rt) {
      const auto& o = rt->options();
      d["detector"] = rt->detector_name();
      d["params"] = report::to_json(model.detector_params());
      d["policy"] = {{"recent_window", o.recent_window},
                     {"min_challenger_records", o.min_challenger_records},
                     {"trial", o.trial},
                     {"on_warning",
                      model.detector_has_warning_zone() ? "challenger_started" : "no warning zone"},
                     {"on_drift",
                      "challenger replaces the model when better on the recent window, else reset "
                      "(fresh model; previous model on trial in the background, restored if it "
                      "does better)"}};
      d["counts"] = report::to_json(rt->counts(), rt->events_total());
      nlohmann::json events = nlohmann::json::array();
      for (const auto& e : rt->events()) events.push_back(report::to_json(e));
      d["events"] = events;
      d["events_listed"] = rt->events().size();
    } else {
      d["detector"] = nullptr;
      d["events"] = nlohmann::json::array();
    }
    if (const auto* m = model.feature_monitor())
      d["features"] = report::to_json(*m);
    else
      d["features"] = {{"enabled", false}};
    return d;
  }
};

namespace detail {

inline double later_scale_for(const replay_options& c, const std::string& optimizer) {
  if (c.later_lr_scale > 0) return c.later_lr_scale;
  if (optimizer == "sgd") return 5.0;
  if (optimizer == "ftrl") return 1.0;
  if (optimizer == "adaptive") return 10.0;
  return 40.0;
}

inline std::string refine_for(const replay_options& c, const learn::any_classifier& m) {
  const auto& mc = c.pipeline.model;
  const bool newton_applies = mc.learner == "logreg" && mc.l1 == 0.0 && mc.class_weight == "none" &&
                              learn::irls{}.fits(static_cast<std::size_t>(m.weights().size()));
  if (c.refine == "newton" && !newton_applies)
    throw std::invalid_argument(
        "replay: --refine newton needs --learner logreg, no --l1, no class weights and at most " +
        std::to_string(learn::irls{}.options().max_dimension) + " weights (this model has " +
        std::to_string(m.weights().size()) + ")");
  if (c.refine == "sgd") return "sgd";
  return newton_applies ? "newton" : "sgd";
}

// Streams the clean rows of one pass through a fresh chain: on_row(row, index among clean rows).
template <class Source, class OnRow>
void stream_rows(const pipeline_config& config, Source& source, OnRow&& on_row) {
  clean::chain chain = pipeline::make_chain(config);
  std::uint64_t index = 0;
  source([&](const io::record_view& rec) {
    const clean::row& row = chain.process(rec);
    if (row.status == clean::disposition::clean || row.status == clean::disposition::repaired)
      on_row(row, index++);
  });
}

}  // namespace detail

/// Replays `source` through a pipeline of `options` (see the header comment).
template <class Source>
replay_result replay(const replay_options& options, Source&& source) {
  return replay(options, std::forward<Source>(source), riptide::pipeline(options.pipeline));
}

/// Replays `source` through `start` (e.g. loaded from a resume snapshot: learning goes on where
/// it stopped); its configuration replaces options.pipeline.
template <class Source>
replay_result replay(replay_options options, Source&& source, riptide::pipeline start) {
  options.pipeline = start.config();
  const auto& c = options;
  if (c.passes < 1) throw std::invalid_argument("replay: --passes must be >= 1");
  if (c.holdout_every == 1)
    throw std::invalid_argument("replay: --holdout-every 1 would learn nothing");
  if (c.refine != "auto" && c.refine != "newton" && c.refine != "sgd")
    throw std::invalid_argument("replay: refine must be auto, newton or sgd, not '" + c.refine +
                                "'");
  replay_result r(options, std::move(start));
  pipeline& p = r.model;
  const bool snapshots = static_cast<bool>(c.on_snapshot);
  metrics::holdout recent;  // held out since the last snapshot, scored on arrival
  std::optional<pipeline::scratch> scoring;
  std::uint64_t since_snapshot = 0;
  const std::uint64_t k = c.holdout_every;
  const auto held = [k](std::uint64_t i) { return k > 1 && i % k == k - 1; };

  const auto t0 = std::chrono::steady_clock::now();
  const std::clock_t cpu0 = std::clock();  // CPU time too: wall time on a shared machine waits
  std::uint64_t index = 0;
  const std::string& label = p.config().label;
  source([&](const io::record_view& rec) {
    const clean::row& row = p.cleanse(rec);
    if (row.status != clean::disposition::clean && row.status != clean::disposition::repaired)
      return;
    const std::uint64_t i = index++;
    if (i == 0 && !row.get(label)) {
      std::string names;
      if (row.names)
        for (const auto& n : row.names->names) names += (names.empty() ? "" : ", ") + n;
      throw std::invalid_argument("replay: no label column '" + label + "' in " + c.input +
                                  " (columns: " + names + ")");
    }
    if (held(i)) {
      ++r.held_out;
      if (snapshots) {
        if (!scoring) scoring.emplace(p.make_scratch());
        const auto o = p.predict(row, *scoring);
        if (o.label) recent.update(*o.label, o.probability);
      }
      return;
    }
    p.predict_then_learn(row);
    if (snapshots && c.snapshot_every > 0 && ++since_snapshot == c.snapshot_every) {
      c.on_snapshot(p, recent);
      recent = metrics::holdout{};
      since_snapshot = 0;
    }
  });
  r.first_pass_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.first_pass_cpu_seconds = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
  r.counts = p.report();
  // One pass keeps the streaming state (the race, drift retraining), so that a resume snapshot
  // of the result learns on as the stream would have; later passes refine a settled model.
  r.learning_rate = c.passes > 1 ? p.settle() : p.served().describe();
  r.later_lr_scale = detail::later_scale_for(c, r.learning_rate.optimizer);

  learn::any_classifier& model = p.served();
  features::encoder& enc = p.encoder();
  features::sparse_vector x;
  r.refine = c.passes > 1 ? detail::refine_for(c, model) : std::string("none");
  if (c.passes > 1 && r.refine == "newton") {
    learn::irls newton{{.l2 = std::max(c.pipeline.model.l2, 1e-6)}};
    for (int pass = 1; pass < c.passes; ++pass) {
      newton.begin(model.weights());
      detail::stream_rows(c.pipeline, source, [&](const clean::row& row, std::uint64_t i) {
        if (held(i)) return;
        const auto y = enc.label_of(row);
        if (!y) return;
        enc.transform(row, x);
        newton.add(x, *y);
      });
      model.assign_weights(newton.step());
    }
  } else if (c.passes > 1) {
    model.scale_learning_rate(r.later_lr_scale);
    model.start_averaging();
    learn::learn_passes(model,
                        [&](auto&& sink) {
                          detail::stream_rows(c.pipeline, source,
                                              [&](const clean::row& row, std::uint64_t i) {
                                                if (held(i)) return;
                                                const auto y = enc.label_of(row);
                                                if (!y) return;
                                                enc.transform(row, x);
                                                sink(features::sparse_view{x}, *y);
                                              });
                        },
                        static_cast<std::size_t>(c.passes - 1),
                        {.capacity = c.shuffle_buffer, .seed = c.pipeline.seed});
    model.finish_averaging();
  }
  if (k > 1)
    detail::stream_rows(c.pipeline, source, [&](const clean::row& row, std::uint64_t i) {
      if (!held(i)) return;
      const auto y = enc.label_of(row);
      if (!y) return;
      enc.transform(row, x);
      r.holdout.update(*y, model.predict_proba(x));
    });
  if (snapshots) c.on_snapshot(p, k > 1 ? r.holdout : recent);
  r.total_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace riptide
