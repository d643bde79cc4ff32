// riptide replay: replays a file as a stream through clean -> encode -> learn, test-then-train
// (riptide::replay, riptide/replay.hpp), and reports prequential and holdout metrics, the learning
// curve, throughput, drift and the config. This file parses the flags and prints.
#include <fmt/core.h>
#include <nlohmann/json.hpp>
#include <riptide/io/record_source.hpp>
#include <riptide/replay.hpp>
#include <riptide/snapshot/pipeline_io.hpp>
#include <riptide/snapshot/registry.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "cli_format.hpp"
#include "cli_io.hpp"
#include "cli_params.hpp"
#include "commands.hpp"

namespace riptide::cli {
namespace {

struct replay_args {
  replay_options options;
  std::string format;  // "" or auto: io/format.hpp's rule
  std::string report;
  std::string save;      // a resume snapshot of the result
  std::string resume;    // a snapshot to learn on from
  std::string registry;  // a registry directory
  snapshot::registry_options gate;
  CLI::Option_group* pipeline_options = nullptr;  // what --resume takes from the snapshot
};

// One line for the console: the drift decisions (the first model changes named) and alerts.
std::string drift_summary(const replay_result& r) {
  std::string s;
  if (const auto* rt = r.model.retraining()) {
    std::string changes;
    std::size_t listed = 0;
    for (const auto& e : rt->events()) {
      const auto act = e.event.action;
      if (act != drift::retrain_action::reset && act != drift::retrain_action::replaced &&
          act != drift::retrain_action::restored)
        continue;
      if (listed < 8)
        changes += fmt::format("{}{} after record {}", listed ? ", " : "", drift::to_string(act),
                               e.event.index);
      else if (listed == 8)
        changes += ", ...";
      ++listed;
    }
    const auto& k = rt->counts();
    s += fmt::format("drift ({}): {} drifts, {} warnings; {} replaced, {} resets, {} restored{}{}",
                     rt->detector_name(), k.drifts, k.warnings, k.replaced, k.resets, k.restored,
                     changes.empty() ? "" : " (", changes.empty() ? changes : changes + ")");
  }
  if (const auto* m = r.model.feature_monitor())
    s += fmt::format("{}feature drift: {} alerts over {} rows", s.empty() ? "" : "; ",
                     m->alerts_total(), m->rows());
  return s;
}

void run_replay(replay_args& a) {
  auto& c = a.options;
  const auto& p = c.pipeline;
  std::optional<pipeline> start;
  if (!a.resume.empty()) {
    for (const auto* o : a.pipeline_options->get_options())
      if (o->count() > 0)
        throw usage_error("replay: --resume takes the pipeline from the snapshot; drop " +
                          o->get_name());
    try {
      start.emplace(snapshot::load(a.resume));
    } catch (const snapshot::error& e) {
      throw usage_error(std::string("replay: cannot resume: ") + e.what());
    }
  }
  if (!start && p.preset.empty() && p.label.empty())
    throw usage_error("replay: give --preset NAME or --label COLUMN --positive VALUE");
  if (!p.preset.empty() && !p.label.empty())
    throw usage_error("replay: --preset and --label exclude each other");
  if (!p.label.empty() && p.positive.empty())
    throw usage_error("replay: --label needs --positive VALUE (the label's positive value)");
  if (c.passes < 1) throw usage_error("replay: --passes must be >= 1");
  if (c.holdout_every == 1) throw usage_error("replay: --holdout-every 1 would learn nothing");
  if (c.input != "-" && !std::filesystem::exists(c.input))
    throw usage_error("replay: cannot open '" + c.input + "': no such file");
  check_outputs({c.input, a.resume}, {a.report, a.save});
  if (!a.registry.empty() && c.holdout_every == 0) c.holdout_every = 5;  // the gate needs one
  std::optional<snapshot::registry> registry;
  std::uint64_t snapshots = 0, promoted = 0;
  if (!a.registry.empty()) {
    registry.emplace(a.registry, a.gate);
    c.on_snapshot = [&](const pipeline& model, const metrics::holdout& h) {
      const auto d = registry->add(model, h);
      ++snapshots;
      promoted += d.promoted;
      fmt::print(stderr, "registry: {} {}: {}\n", d.snapshot, d.promoted ? "promoted" : "rejected",
                 d.reason);
    };
  }

  // stdin is read once and kept when passes or the holdout read it again
  const io::record_source source(c.input, parse_format_option(a.format),
                                 c.passes > 1 || c.holdout_every > 1);
  c.format = std::string(io::to_string(source.format()));
  std::optional<replay_result> result;
  try {
    result.emplace(start ? replay(c, source, std::move(*start)) : replay(c, source));
  } catch (const clean::rules_error& e) {
    throw usage_error(std::string("replay: ") + e.what());
  } catch (const std::invalid_argument& e) {
    throw usage_error(e.what());
  }
  replay_result& r = *result;
  r.options.format = std::string(io::to_string(source.format()));  // known once read (stdin)
  if (!a.save.empty()) snapshot::save(r.model, a.save, {.what = snapshot::kind::resume});
  if (!a.report.empty()) {
    auto out = open_output(a.report);
    out.buffer() = r.to_json().dump(2);
    out.buffer() += "\n";
    out.commit();
  }
  const auto& counts = r.counts;
  const auto& eval = r.model.evaluation();
  fmt::print("replay {}: {} records in ({} clean, {} repaired, {} quarantined, {} duplicates)\n",
             c.input, counts.in, counts.clean, counts.repaired, counts.quarantined,
             counts.duplicates);
  fmt::print("prequential ({} learned): auc {:.4f}  logloss {:.4f}  accuracy {:.4f}\n",
             eval.count(), eval.auc(), eval.logloss(), eval.accuracy());
  if (c.holdout_every > 1)
    fmt::print(
        "holdout (every {}th, {} records, {} pass{}): auc {:.4f}  logloss {:.4f}  accuracy "
        "{:.4f}\n",
        c.holdout_every, r.holdout.count(), c.passes, c.passes > 1 ? "es" : "", r.holdout.auc(),
        r.holdout.logloss(), r.holdout.accuracy());
  fmt::print("throughput: {:.0f} records/s (first pass, {:.3f} s)\n", r.records_per_second(),
             r.first_pass_seconds);
  const auto& used = r.model.config();
  if (used.watches_features() || !used.drift.empty()) fmt::print("{}\n", drift_summary(r));
  if (!a.save.empty()) fmt::print("saved: {} (resume snapshot)\n", a.save);
  if (registry) {
    const auto champion = registry->champion();
    fmt::print("registry {}: {} snapshots, {} promoted; champion: {}\n", a.registry, snapshots,
               promoted, champion ? *champion : std::string("none"));
  }
}

}  // namespace

void add_drift_options(CLI::App* cmd, pipeline_config& c) {
  cmd->add_option("--drift", c.drift,
                  "Concept drift handling: the detector watching the prequential error")
      ->check(CLI::IsMember({"adwin", "page-hinkley", "kswin", "ddm", "eddm", "hddm-a", "hddm-w"}));
  cmd->add_option("--drift-param", c.drift_params,
                  "A detector parameter, River's name: NAME=VALUE (e.g. delta=0.001); repeatable");
  cmd->add_option("--drift-window", c.retraining.retrain.recent_window,
                  "Records over which model and challenger are compared")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--drift-min-challenger", c.retraining.retrain.min_challenger_records,
                  "Records a challenger needs before it can replace the model")
      ->capture_default_str();
  cmd->add_option("--drift-trial", c.retraining.retrain.trial,
                  "Records the previous model stays in the background after a reset")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_flag("--feature-drift", c.feature_drift,
                "Watch data drift per column (implied by --drift)");
  cmd->add_flag("--no-feature-drift", c.no_feature_drift, "With --drift: no feature monitor");
  cmd->add_option("--feature-drift-reference", c.feature_monitor.reference_size,
                  "Feature drift: the first N clean records are the reference")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--feature-drift-window", c.feature_monitor.window_size,
                  "Feature drift: records in the current window")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--feature-drift-every", c.feature_monitor.check_every,
                  "Feature drift: records between checks (0: the window size)")
      ->capture_default_str();
  cmd->add_option("--feature-drift-bins", c.feature_monitor.bins,
                  "Feature drift: quantile bins of PSI")
      ->check(CLI::Range(2, 1000))
      ->capture_default_str();
  cmd->add_option("--psi-threshold", c.feature_monitor.psi_threshold,
                  "Feature drift: PSI alert level")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--ks-alpha", c.feature_monitor.ks_alpha, "Feature drift: KS p-value alert level")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->add_option("--js-threshold", c.feature_monitor.js_threshold,
                  "Feature drift: Jensen-Shannon distance alert level")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
}

void add_replay_command(CLI::App& app) {
  auto a = std::make_shared<replay_args>();
  auto& c = a->options;
  auto& p = c.pipeline;
  auto& m = p.model;
  auto* cmd = app.add_subcommand(
      "replay", "Replay a file as a stream: clean -> encode -> learn, test-then-train");
  cmd->add_option("input", c.input, "CSV or JSON Lines file ('-' for stdin)")->required();
  cmd->add_option("--format", a->format, std::string(format_option_help))
      ->check(CLI::IsMember({"auto", "csv", "jsonl"}));
  auto* pipe = cmd->add_option_group("Pipeline", "What the pipeline is (--resume: the snapshot's)");
  a->pipeline_options = pipe;
  pipe->add_option("--preset", p.preset, "Cleansing preset (telco)");
  pipe->add_option("--label", p.label, "Label column (generic path)");
  pipe->add_option("--positive", p.positive, "The label's positive value");
  pipe->add_option("--id", p.id, "Id column (not a feature)");
  pipe->add_option("--ignore", p.ignore, "Columns that are not features")->delimiter(',');
  add_param_options(pipe,
                    m);  // --learner, --optimizer, --lr, --l1, ... (learn/make_classifier.hpp)
  cmd->add_option("--passes", c.passes, "Passes over the file")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--later-lr-scale", c.later_lr_scale,
                  "Learning-rate factor of the passes after the first, which average the weights "
                  "(default: adagrad 40, sgd 5, ftrl 1, adaptive 10)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--refine", c.refine,
                  "How passes after the first refine the model: newton (a Newton/IRLS step per "
                  "pass: logistic, small feature spaces), sgd (averaged epochs), auto (newton "
                  "where it applies)")
      ->check(CLI::IsMember({"auto", "newton", "sgd"}))
      ->capture_default_str();
  cmd->add_option("--holdout-every", c.holdout_every,
                  "Hold out clean record i when i % K == K - 1 (0: none)")
      ->capture_default_str();
  cmd->add_option("--report", a->report, "Write the JSON report here");
  pipe->add_option("--seed", p.seed, "Seed (shuffling, hashing)")->capture_default_str();
  pipe->add_option("--curve-every", p.curve_every, "A prequential curve point every N records")
      ->capture_default_str();
  pipe->add_option("--window", p.window, "Sliding window of the windowed metrics")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--shuffle-buffer", c.shuffle_buffer, "Shuffle buffer of the later passes")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  pipe->add_option("--hash-bits", p.hash_bits, "Slots of hashed features: 2^bits")
      ->check(CLI::Range(1, 31))
      ->capture_default_str();
  add_drift_options(pipe, p);
  auto* snap = cmd->add_option_group("Snapshots", "Saving, resuming, the registry");
  snap->add_option("--save", a->save, "Write a resume snapshot of the result here");
  snap->add_option(
      "--resume", a->resume,
      "Learn on from this snapshot (its pipeline; resume snapshots go on bit for bit)");
  snap->add_option("--registry", a->registry,
                   "Snapshot into this registry directory; the gate promotes the champion "
                   "(implies --holdout-every 5 unless given)");
  snap->add_option("--snapshot-every", c.snapshot_every,
                   "With --registry: a snapshot every N learned records too (0: at the end only)")
      ->capture_default_str();
  snap->add_option("--min-auc", a->gate.min_auc, "The gate: holdout AUC a champion needs")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  snap->add_option("--tolerance", a->gate.tolerance,
                   "The gate: how much worse than the champion's AUC a new champion may be")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  snap->add_option("--keep", a->gate.keep,
                   "Snapshots the registry keeps (never the champion; 0: all)")
      ->capture_default_str();
  cmd->callback([a] { run_replay(*a); });
}

}  // namespace riptide::cli
