// riptide replay: replays a file as a stream through clean -> encode -> learn, test-then-train,
// and reports prequential and holdout metrics, the learning curve, throughput and the config.
#include <fmt/core.h>
#include <nlohmann/json.hpp>
#include <riptide/clean/apply.hpp>
#include <riptide/clean/preset.hpp>
#include <riptide/clean/quarantine.hpp>
#include <riptide/clean/rules.hpp>
#include <riptide/features/encoder.hpp>
#include <riptide/io/csv.hpp>
#include <riptide/io/jsonl.hpp>
#include <riptide/learn/adagrad.hpp>
#include <riptide/learn/adaptive.hpp>
#include <riptide/learn/ftrl.hpp>
#include <riptide/learn/greedy_selection.hpp>
#include <riptide/learn/irls.hpp>
#include <riptide/learn/logistic.hpp>
#include <riptide/learn/sgd.hpp>
#include <riptide/learn/shuffle_buffer.hpp>
#include <riptide/learn/svm.hpp>
#include <riptide/metrics/holdout.hpp>
#include <riptide/metrics/prequential.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "replay_drift.hpp"

namespace riptide::cli {
namespace {

struct replay_config {
  std::string input;
  std::string format = "auto";
  std::string preset;
  std::string label;
  std::string positive;
  std::string id;
  std::vector<std::string> ignore;
  std::string learner = "logreg";
  std::string optimizer = "auto";  // auto: race adagrad and sgd rates (make_model)
  double lr = 0.0;                 // 0: race the optimizer's default against 4x and 16x of it
  std::size_t race_window = 2000;
  std::uint64_t race_records = 20000;
  double l1 = 0.0;
  double l2 = 0.0;
  int passes = 1;
  double later_lr_scale = 0.0;  // 0: the optimizer's (later_scale_for)
  std::uint64_t holdout_every = 0;
  std::string report;
  std::uint64_t seed = 42;
  std::uint64_t curve_every = 500;
  std::size_t window = 1000;
  std::size_t batch_size = 1;
  std::string class_weight = "none";
  std::size_t shuffle_buffer = 4096;
  std::string refine = "auto";
  unsigned hash_bits = 18;
  replay_drift_config drift;  // --drift, --feature-drift (replay_drift.hpp)
};

// The learner behind one virtual call per record, so that the replay loop is compiled once.
struct any_model {
  virtual ~any_model() = default;
  virtual float predict_proba(features::sparse_view x) const = 0;
  virtual void learn_one(features::sparse_view x, bool y) = 0;
  // predict_proba(x) before learning (x, y), then learn_one(x, y): one margin, one call.
  virtual float predict_then_learn(features::sparse_view x, bool y) = 0;
  virtual void start_averaging() = 0;
  virtual void finish_averaging() = 0;
  virtual void scale_learning_rate(double k) = 0;
  virtual const Eigen::VectorXf& weights() const = 0;
  virtual void assign_weights(const Eigen::VectorXf& w) = 0;
  // A model that races learning rates returns its leader as a plain model (else null).
  virtual std::unique_ptr<any_model> settle() { return nullptr; }
  // The learning rate in use and, when raced, the race.
  virtual nlohmann::json learning_rate() const = 0;
  // The optimizer in use (of the leader, when raced).
  virtual std::string optimizer_name() const = 0;
};

template <class Model>
struct model_of final : any_model {
  explicit model_of(Model m) : model(std::move(m)) {}
  float predict_proba(features::sparse_view x) const override { return model.predict_proba(x); }
  void learn_one(features::sparse_view x, bool y) override { model.learn_one(x, y); }
  float predict_then_learn(features::sparse_view x, bool y) override {
    return learn::predict_then_learn(model, x, y);
  }
  void start_averaging() override { model.start_averaging(); }
  void finish_averaging() override {
    model.flush();
    model.finish_averaging();
  }
  void scale_learning_rate(double k) override {
    auto o = model.optimizer();
    o.lr = static_cast<float>(o.lr * k);
    model.restart_optimizer(o);
  }
  const Eigen::VectorXf& weights() const override { return model.weights(); }
  void assign_weights(const Eigen::VectorXf& w) override { model.assign_weights(w); }
  nlohmann::json learning_rate() const override { return model.optimizer().lr; }
  std::string optimizer_name() const override { return Model::optimizer_type::name; }
  Model model;
};

// One candidate of a race: any model behind the virtual interface (so that optimizers of
// different kinds can race).
struct candidate {
  float predict_proba(features::sparse_view x) const { return model->predict_proba(x); }
  void learn_one(features::sparse_view x, bool y) { model->learn_one(x, y); }
  float predict_then_learn(features::sparse_view x, bool y) {
    return model->predict_then_learn(x, y);
  }
  std::unique_ptr<any_model> model;
};

// Candidates learning side by side until the race commits (learn/greedy_selection.hpp); passes
// after the first go on with the leader.
struct race_model final : any_model {
  race_model(std::vector<candidate> candidates, learn::greedy_selection_options o)
      : race(std::move(candidates), o) {}
  float predict_proba(features::sparse_view x) const override { return race.predict_proba(x); }
  void learn_one(features::sparse_view x, bool y) override { race.learn_one(x, y); }
  float predict_then_learn(features::sparse_view x, bool y) override {
    return race.predict_then_learn(x, y);
  }
  void start_averaging() override { leader().start_averaging(); }
  void finish_averaging() override { leader().finish_averaging(); }
  void scale_learning_rate(double k) override { leader().scale_learning_rate(k); }
  const Eigen::VectorXf& weights() const override { return race.best().model->weights(); }
  void assign_weights(const Eigen::VectorXf& w) override { leader().assign_weights(w); }
  std::unique_ptr<any_model> settle() override { return std::move(race.best().model); }
  std::string optimizer_name() const override { return race.best().model->optimizer_name(); }
  nlohmann::json learning_rate() const override {
    return {{"mode", "race"},
            {"score", "brier"},
            {"candidates", candidates},
            {"chosen", race.best().model->learning_rate()},
            {"chosen_optimizer", optimizer_name()},
            {"leader", race.leader()},
            {"committed", race.committed()}};
  }
  any_model& leader() { return *race.best().model; }
  learn::greedy_selection<candidate> race;
  nlohmann::json candidates = nlohmann::json::array();  // {"optimizer", "lr"} in race order
};

template <class Optimizer>
std::unique_ptr<any_model> make_plain(const replay_config& c, Optimizer o, float lr) {
  learn::linear_options opt{.l1 = static_cast<float>(c.l1),
                            .l2 = static_cast<float>(c.l2),
                            .class_weight = c.class_weight == "balanced"
                                                ? learn::class_weight::balanced()
                                                : learn::class_weight::none(),
                            .batch_size = c.batch_size};
  o.lr = lr;
  if (c.learner == "svm")
    return std::make_unique<model_of<learn::svm<Optimizer>>>(learn::svm<Optimizer>{o, opt});
  return std::make_unique<model_of<learn::logistic<Optimizer>>>(learn::logistic<Optimizer>{o, opt});
}

std::unique_ptr<any_model> make_plain(const replay_config& c, const std::string& optimizer,
                                      float lr) {
  if (optimizer == "sgd") return make_plain(c, learn::sgd{}, lr);
  if (optimizer == "ftrl") return make_plain(c, learn::ftrl{}, lr);
  if (optimizer == "adaptive") return make_plain(c, learn::adaptive{}, lr);
  return make_plain(c, learn::adagrad{}, lr);
}

float default_lr(const std::string& optimizer) {
  if (optimizer == "sgd") return learn::sgd{}.lr;
  if (optimizer == "ftrl") return learn::ftrl{}.lr;
  if (optimizer == "adaptive") return learn::adaptive{}.lr;
  return learn::adagrad{}.lr;
}

// The model of the config. With --lr, one model (--optimizer auto: adagrad). Without, a race:
// the optimizer's default rate against 4x and 16x of it; --optimizer auto (the default) races
// AdaGrad's three (0.05, 0.2, 0.8: stationary, noisy data such as customer records) beside
// constant-rate SGD's (0.1, 0.5, 2: drifting streams, where a rate that does not decay tracks the
// current concept), listed from the most conservative, as ties keep the earlier candidate.
std::unique_ptr<any_model> make_model(const replay_config& c) {
  const std::string chosen = c.optimizer == "auto" ? "adagrad" : c.optimizer;
  if (c.lr > 0) return make_plain(c, chosen, static_cast<float>(c.lr));
  std::vector<std::pair<std::string, float>> grid;
  for (const float k : {1.0f, 4.0f, 16.0f}) grid.emplace_back(chosen, default_lr(chosen) * k);
  if (c.optimizer == "auto")
    for (const float lr : {0.1f, 0.5f, 2.0f}) grid.emplace_back("sgd", lr);
  std::vector<candidate> candidates;
  nlohmann::json listed = nlohmann::json::array();
  for (const auto& [name, lr] : grid) {
    candidates.push_back({make_plain(c, name, lr)});
    listed.push_back({{"optimizer", name}, {"lr", lr}});
  }
  auto m = std::make_unique<race_model>(
      std::move(candidates),
      learn::greedy_selection_options{.window = c.race_window, .commit_after = c.race_records});
  m->candidates = std::move(listed);
  return m;
}

// Learning-rate factor of the passes after the first, measured on the Telco split for each
// optimizer (bench/run_learn.sh): AdaGrad's accumulated squares shrink its steps, so it gains
// most from a larger step under averaging; FTRL's closed form does not.
double later_scale_for(const replay_config& c, const std::string& optimizer) {
  if (c.later_lr_scale > 0) return c.later_lr_scale;
  if (optimizer == "sgd") return 5.0;
  if (optimizer == "ftrl") return 1.0;
  if (optimizer == "adaptive") return 10.0;
  return 40.0;
}

// How passes after the first refine the model: "newton" (irls.hpp) where it applies, else
// "sgd" (averaged epochs through the shuffle buffer).
std::string refine_for(const replay_config& c, const any_model& m) {
  const bool newton_applies = c.learner == "logreg" && c.l1 == 0.0 && c.class_weight == "none" &&
                              learn::irls{}.fits(static_cast<std::size_t>(m.weights().size()));
  if (c.refine == "newton" && !newton_applies)
    throw usage_error(
        "replay: --refine newton needs --learner logreg, no --l1, no class weights and at most " +
        std::to_string(learn::irls{}.options().max_dimension) + " weights (this model has " +
        std::to_string(m.weights().size()) + ")");
  if (c.refine == "sgd") return "sgd";
  return newton_applies ? "newton" : "sgd";
}

// The cleansing chain: a preset, or the generic path for any file (trim, null tokens; types are
// read by the encoder: numeric-looking columns are numbers, the others categories).
clean::chain make_chain(const replay_config& c) {
  if (!c.preset.empty()) {
    try {
      return clean::preset(c.preset);
    } catch (const std::exception& e) {
      throw usage_error(std::string("replay: ") + e.what());
    }
  }
  return clean::load_rules(
      R"({"name": "generic", "steps": [{"op": "trim", "columns": "*"},
                                       {"op": "null_tokens", "columns": "*"}]})",
      "generic replay rules");
}

bool is_jsonl(const replay_config& c) {
  if (c.format != "auto") return c.format == "jsonl";
  const auto ext = std::filesystem::path(c.input).extension().string();
  return ext == ".jsonl" || ext == ".ndjson" || ext == ".json";
}

// Reads the input once per call, through a fresh chain, and calls on_row(row, index) for every
// clean or repaired row (index: its 0-based position among them). Returns the chain's report.
template <class OnRow>
clean::report stream_rows(const replay_config& c, const std::string* text, OnRow&& on_row) {
  auto chain = make_chain(c);
  clean::discard sink;
  std::uint64_t index = 0;
  auto run = [&](auto&& reader) {
    for (const clean::row& row : reader | clean::apply(chain, sink)) on_row(row, index++);
  };
  if (is_jsonl(c)) {
    if (text)
      run(io::read_jsonl_text(*text));
    else
      run(io::read_jsonl(c.input));
  } else {
    if (text)
      run(io::read_csv_text(*text));
    else
      run(io::read_csv(c.input));
  }
  return chain.report();
}

nlohmann::json number_or_null(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

void replay(const replay_config& c) {
  if (c.preset.empty() && c.label.empty())
    throw usage_error("replay: give --preset NAME or --label COLUMN --positive VALUE");
  if (!c.preset.empty() && !c.label.empty())
    throw usage_error("replay: --preset and --label exclude each other");
  if (!c.label.empty() && c.positive.empty())
    throw usage_error("replay: --label needs --positive VALUE (the label's positive value)");
  if (c.passes < 1) throw usage_error("replay: --passes must be >= 1");
  if (c.holdout_every == 1) throw usage_error("replay: --holdout-every 1 would learn nothing");
  if (c.input != "-" && !std::filesystem::exists(c.input))
    throw usage_error("replay: cannot open '" + c.input + "': no such file");

  // stdin is read once and kept, so that passes and the holdout can read it again
  std::optional<std::string> text;
  if (c.input == "-" && (c.passes > 1 || c.holdout_every > 1))
    text.emplace(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());

  features::encoder_options eo{.label = c.label,
                               .positive = c.positive,
                               .id = c.id,
                               .ignore = c.ignore,
                               .hash_bits = c.hash_bits,
                               .seed = c.seed};
  if (!c.preset.empty()) {  // the preset's output columns
    eo.label = "churn";
    eo.positive = "yes";
    eo.id = "customer_id";
  }
  features::encoder enc{eo};
  auto model = make_model(c);
  std::vector<std::string> not_features{eo.label, eo.id};
  not_features.insert(not_features.end(), c.ignore.begin(), c.ignore.end());
  replay_drift<std::unique_ptr<any_model>> drift(
      c.drift, [&c] { return make_model(c); }, not_features, c.seed);
  metrics::prequential eval{{.window = c.window, .curve_every = c.curve_every}};
  const std::uint64_t k = c.holdout_every;
  const auto held = [k](std::uint64_t i) { return k > 1 && i % k == k - 1; };

  features::sparse_vector x;
  std::uint64_t learned = 0, held_out = 0, unlabelled = 0;
  const auto t0 = std::chrono::steady_clock::now();
  const std::clock_t cpu0 = std::clock();  // CPU time too: wall time on a shared machine waits
  const clean::report counts =
      stream_rows(c, text ? &*text : nullptr, [&](const clean::row& row, std::uint64_t i) {
        if (i == 0 && !row.get(eo.label)) {
          std::string names;
          if (row.names)
            for (const auto& n : row.names->names) names += (names.empty() ? "" : ", ") + n;
          throw usage_error("replay: no label column '" + eo.label + "' in " + c.input +
                            " (columns: " + names + ")");
        }
        drift.observe_row(row);
        if (held(i)) {
          ++held_out;
          return;
        }
        enc.learn_one(row, x);
        const auto y = enc.label_of(row);
        if (!y) {  // nothing to score or learn
          ++unlabelled;
          return;
        }
        eval.update(*y, drift.predict_then_learn(model, row, x, *y));
        ++learned;
      });
  const double first_pass =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double first_pass_cpu = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
  drift.finish(model);  // the served model (after --drift's replacements) goes on
  const nlohmann::json learning_rate = model->learning_rate();
  const std::string optimizer_in_use = model->optimizer_name();
  if (auto leader = model->settle()) model = std::move(leader);

  // Later passes: the same records (never the held-out ones) again. A logistic model of a small
  // feature space takes one guarded Newton (IRLS) step per pass, which reaches the batch optimum;
  // otherwise (svm, L1, class weights, large or hashed spaces) averaged SGD epochs through a
  // bounded shuffle buffer, with a larger step and Polyak-Ruppert averaging over these passes.
  const std::string refine = c.passes > 1 ? refine_for(c, *model) : std::string("none");
  learn::irls newton{{.l2 = std::max(c.l2, 1e-6)}};
  if (c.passes > 1 && refine == "newton") {
    for (int pass = 1; pass < c.passes; ++pass) {
      newton.begin(model->weights());
      stream_rows(c, text ? &*text : nullptr, [&](const clean::row& row, std::uint64_t i) {
        if (held(i)) return;
        const auto y = enc.label_of(row);
        if (!y) return;
        enc.transform(row, x);
        newton.add(x, *y);
      });
      model->assign_weights(newton.step());
    }
  } else if (c.passes > 1) {
    model->scale_learning_rate(later_scale_for(c, model->optimizer_name()));
    model->start_averaging();
    learn::learn_passes(
        *model,
        [&](auto&& sink) {
          stream_rows(c, text ? &*text : nullptr, [&](const clean::row& row, std::uint64_t i) {
            if (held(i)) return;
            const auto y = enc.label_of(row);
            if (!y) return;
            enc.transform(row, x);
            sink(features::sparse_view{x}, *y);
          });
        },
        static_cast<std::size_t>(c.passes - 1), {.capacity = c.shuffle_buffer, .seed = c.seed});
    model->finish_averaging();
  }

  metrics::holdout hold;
  if (k > 1)
    stream_rows(c, text ? &*text : nullptr, [&](const clean::row& row, std::uint64_t i) {
      if (!held(i)) return;
      const auto y = enc.label_of(row);
      if (!y) return;
      enc.transform(row, x);
      hold.update(*y, model->predict_proba(x));
    });
  const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  nlohmann::json r;
  r["input"] = c.input;
  r["records"] = {{"in", counts.in},
                  {"clean", counts.clean},
                  {"repaired", counts.repaired},
                  {"quarantined", counts.quarantined},
                  {"duplicates", counts.duplicates},
                  {"learned", learned},
                  {"held_out", held_out},
                  {"unlabelled", unlabelled}};
  r["prequential"] = {{"n", eval.count()},
                      {"auc", number_or_null(eval.auc())},
                      {"logloss", eval.logloss()},
                      {"accuracy", eval.accuracy()},
                      {"precision", eval.precision()},
                      {"recall", eval.recall()},
                      {"f1", eval.f1()},
                      {"brier", eval.brier()},
                      {"window",
                       {{"size", c.window},
                        {"auc", number_or_null(eval.window_auc())},
                        {"logloss", eval.window_logloss()},
                        {"accuracy", eval.window_accuracy()}}}};
  nlohmann::json calib = nlohmann::json::array();
  for (const auto& b : hold.calibration().rows())
    calib.push_back({{"lo", b.lo},
                     {"hi", b.hi},
                     {"n", b.n},
                     {"mean_predicted", b.mean_predicted},
                     {"fraction_positive", b.fraction_positive}});
  r["holdout"] = {{"every", k},
                  {"n", hold.count()},
                  {"auc", number_or_null(hold.count() ? hold.auc() : NAN)},
                  {"logloss", hold.logloss()},
                  {"accuracy", hold.accuracy()},
                  {"precision", hold.precision()},
                  {"recall", hold.recall()},
                  {"f1", hold.f1()},
                  {"brier", hold.brier()},
                  {"calibration", calib}};
  nlohmann::json curve = nlohmann::json::array();
  for (const auto& p : eval.curve())
    curve.push_back({{"n", p.n},
                     {"auc", number_or_null(p.auc)},
                     {"logloss", p.logloss},
                     {"accuracy", p.accuracy},
                     {"window_auc", number_or_null(p.window_auc)},
                     {"window_logloss", p.window_logloss},
                     {"window_accuracy", p.window_accuracy}});
  r["curve"] = curve;
  r["throughput"] = {{"records_per_s", first_pass > 0 ? counts.in / first_pass : 0.0},
                     {"seconds", first_pass},
                     {"cpu_records_per_s", first_pass_cpu > 0 ? counts.in / first_pass_cpu : 0.0},
                     {"cpu_seconds", first_pass_cpu},
                     {"total_seconds", total},
                     {"passes", c.passes}};
  // the model: its largest weights by magnitude, named
  const auto& w = model->weights();
  std::vector<std::pair<float, std::uint32_t>> top;
  for (Eigen::Index i = 1; i < w.size(); ++i)
    if (w[i] != 0.0f) top.emplace_back(w[i], static_cast<std::uint32_t>(i - 1));
  std::sort(top.begin(), top.end(),
            [](const auto& a, const auto& b) { return std::fabs(a.first) > std::fabs(b.first); });
  nlohmann::json topw = nlohmann::json::array();
  for (std::size_t i = 0; i < std::min<std::size_t>(top.size(), 10); ++i)
    topw.push_back({{"feature", enc.feature_name(top[i].second)}, {"weight", top[i].first}});
  r["model"] = {{"features", enc.dimension()},
                {"nonzero_weights", top.size()},
                {"bias", w.size() ? w[0] : 0.0f},
                {"top_weights", topw}};
  if (drift.enabled()) r["drift"] = drift.report();
  r["config"] = {{"input", c.input},
                 {"format", is_jsonl(c) ? "jsonl" : "csv"},
                 {"preset", c.preset.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.preset)},
                 {"label", eo.label},
                 {"positive", eo.positive},
                 {"id", eo.id},
                 {"ignore", c.ignore},
                 {"learner", c.learner},
                 {"optimizer", c.optimizer},
                 {"optimizer_in_use", optimizer_in_use},
                 {"lr", c.lr > 0 ? nlohmann::json(c.lr) : nlohmann::json("auto")},
                 {"learning_rate", learning_rate},
                 {"l1", c.l1},
                 {"l2", c.l2},
                 {"passes", c.passes},
                 {"refine", c.passes > 1 ? nlohmann::json(refine) : nlohmann::json(nullptr)},
                 {"later_lr_scale", later_scale_for(c, optimizer_in_use)},
                 {"holdout_every", k},
                 {"seed", c.seed},
                 {"curve_every", c.curve_every},
                 {"window", c.window},
                 {"batch_size", c.batch_size},
                 {"class_weight", c.class_weight},
                 {"shuffle_buffer", c.shuffle_buffer},
                 {"hash_bits", c.hash_bits},
                 {"features",
                  "one-hot dictionary per text column (unseen -> reserved slot), "
                  "Welford-standardised numbers with missing indicators"}};

  if (!c.report.empty()) {
    std::ofstream out(c.report);
    if (!out) throw usage_error("replay: cannot write report '" + c.report + "'");
    out << r.dump(2) << "\n";
  }
  fmt::print("replay {}: {} records in ({} clean, {} repaired, {} quarantined, {} duplicates)\n",
             c.input, counts.in, counts.clean, counts.repaired, counts.quarantined,
             counts.duplicates);
  fmt::print("prequential ({} learned): auc {:.4f}  logloss {:.4f}  accuracy {:.4f}\n",
             eval.count(), eval.auc(), eval.logloss(), eval.accuracy());
  if (k > 1)
    fmt::print(
        "holdout (every {}th, {} records, {} pass{}): auc {:.4f}  logloss {:.4f}  accuracy "
        "{:.4f}\n",
        k, hold.count(), c.passes, c.passes > 1 ? "es" : "", hold.auc(), hold.logloss(),
        hold.accuracy());
  fmt::print("throughput: {:.0f} records/s (first pass, {:.3f} s)\n",
             first_pass > 0 ? counts.in / first_pass : 0.0, first_pass);
  if (drift.enabled()) fmt::print("{}\n", drift.summary());
}

}  // namespace

void add_replay_command(CLI::App& app) {
  auto c = std::make_shared<replay_config>();
  auto* cmd = app.add_subcommand(
      "replay", "Replay a file as a stream: clean -> encode -> learn, test-then-train");
  cmd->add_option("input", c->input, "CSV or JSON Lines file ('-' for stdin)")->required();
  cmd->add_option("--format", c->format, "Input format (auto: by extension, .jsonl -> jsonl)")
      ->check(CLI::IsMember({"auto", "csv", "jsonl"}));
  cmd->add_option("--preset", c->preset, "Cleansing preset (telco)");
  cmd->add_option("--label", c->label, "Label column (generic path)");
  cmd->add_option("--positive", c->positive, "The label's positive value");
  cmd->add_option("--id", c->id, "Id column (not a feature)");
  cmd->add_option("--ignore", c->ignore, "Columns that are not features")->delimiter(',');
  cmd->add_option("--learner", c->learner, "logreg or svm")
      ->check(CLI::IsMember({"logreg", "svm"}))
      ->capture_default_str();
  cmd->add_option("--optimizer", c->optimizer,
                  "sgd, adagrad, ftrl, adaptive, or auto (without --lr: race adagrad's and "
                  "constant-rate sgd's learning rates; with --lr: adagrad)")
      ->check(CLI::IsMember({"auto", "sgd", "adagrad", "ftrl", "adaptive"}))
      ->capture_default_str();
  cmd->add_option(
         "--lr", c->lr,
         "Learning rate (default: race the optimizer's default - sgd 0.01, adagrad 0.05, ftrl 0.1, "
         "adaptive 0.5 - against 4x and 16x of it, plus sgd 0.1, 0.5 and 2 with --optimizer "
         "auto, and keep the best by recent Brier score)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--race-records", c->race_records,
                  "Without --lr: records after which the learning-rate race keeps its leader "
                  "(0: never)")
      ->capture_default_str();
  cmd->add_option("--race-window", c->race_window,
                  "Without --lr: records of the recent Brier score that ranks the race")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--l1", c->l1, "L1 penalty")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--l2", c->l2, "L2 penalty")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--passes", c->passes, "Passes over the file")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--later-lr-scale", c->later_lr_scale,
                  "Learning-rate factor of the passes after the first, which average the weights "
                  "(default: adagrad 40, sgd 5, ftrl 1, adaptive 10)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--refine", c->refine,
                  "How passes after the first refine the model: newton (a Newton/IRLS step per "
                  "pass: logistic, small feature spaces), sgd (averaged epochs), auto (newton "
                  "where it applies)")
      ->check(CLI::IsMember({"auto", "newton", "sgd"}))
      ->capture_default_str();
  cmd->add_option("--holdout-every", c->holdout_every,
                  "Hold out clean record i when i % K == K - 1 (0: none)")
      ->capture_default_str();
  cmd->add_option("--report", c->report, "Write the JSON report here");
  cmd->add_option("--seed", c->seed, "Seed (shuffling, hashing)")->capture_default_str();
  cmd->add_option("--curve-every", c->curve_every, "A prequential curve point every N records")
      ->capture_default_str();
  cmd->add_option("--window", c->window, "Sliding window of the windowed metrics")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--batch-size", c->batch_size, "Mini-batch size (1: pure online)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--class-weight", c->class_weight, "none or balanced")
      ->check(CLI::IsMember({"none", "balanced"}))
      ->capture_default_str();
  cmd->add_option("--shuffle-buffer", c->shuffle_buffer, "Shuffle buffer of the later passes")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--hash-bits", c->hash_bits, "Slots of hashed features: 2^bits")
      ->check(CLI::Range(1, 31))
      ->capture_default_str();
  add_replay_drift_options(cmd, c->drift);
  cmd->callback([c] { replay(*c); });
}

}  // namespace riptide::cli
