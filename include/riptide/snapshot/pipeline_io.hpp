// riptide/snapshot/pipeline_io.hpp: a pipeline to a snapshot file and back.
//
// save(p, path, {.what = kind::serve}) writes what prediction needs: the cleansing rules and
// the chain's statistics, the encoder (dictionaries, scalers, slot layout, hashing seed) and the
// served model's weights, with the model as a plain linear model of the learner, optimizer and
// learning rate in use (a race's leader; drift retraining's served model). kind::resume adds
// everything learning needs to go on bit for bit: the whole model (optimizer state, the race,
// drift retraining with its detector and background model), the dedup window, the accounting,
// the data drift monitor and the evaluation. The header (file.hpp) also says what the model is
// for people and tools: riptide version, created (UTC), records seen, the input schema and its
// fingerprint, the pipeline's description (report::describe) and its metrics at snapshot time.
// A preset is written as its rules text, so a snapshot does not change when a preset does.
//
// load(path) builds the pipeline of the snapshot's configuration and fills it; a serve
// snapshot gives a pipeline that predicts exactly as the one saved (and can learn on from its
// weights with a fresh optimizer), a resume snapshot one that also learns exactly as the one
// saved would have. Errors (a damaged file, a newer format, a state that does not fit its
// configuration) are snapshot::error naming the file.
//
// Example:
//   namespace fs = std::filesystem;
//   riptide::pipeline p{{.preset = "telco", .model = {.optimizer = "adagrad", .lr = 0.05}}};
//   for (const auto& record : riptide::io::read_csv("data/telco_customer_churn_train_data.csv"))
//     p.predict_then_learn(record);
//   const std::string path = fs::temp_directory_path() /
//                            ("riptide-pipeline-io-example-" + std::to_string(::getpid()));
//   riptide::snapshot::save(p, path);
//   const riptide::pipeline served = riptide::snapshot::load(path);
//   for (const auto& record : riptide::io::read_csv("data/telco_customer_churn_score_data.csv"))
//     if (served.predict(record).probability != p.predict(record).probability) std::abort();
//   fs::remove(path);
#pragma once

#include <xxhash.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <ctime>
#include <string>
#include <utility>

#include "riptide/clean/preset.hpp"
#include "riptide/pipeline.hpp"
#include "riptide/report/json.hpp"
#include "riptide/snapshot/archive.hpp"
#include "riptide/snapshot/file.hpp"
#include "riptide/version.hpp"

namespace riptide::snapshot {

struct save_options {
  kind what = kind::serve;
  /// Further metrics to record (e.g. a holdout's, which a registry's gate reads): "metrics".
  nlohmann::json metrics = nullptr;
};

namespace detail {

inline std::string utc_now() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

/// The input schema's fingerprint: XXH3-64 of the column names, each followed by a 0 byte.
inline std::string schema_fingerprint(const std::vector<std::string>& names) {
  std::string joined;
  for (const auto& n : names) joined.append(n).push_back('\0');
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx",
                static_cast<unsigned long long>(XXH3_64bits(joined.data(), joined.size())));
  return hex;
}

/// The configuration a snapshot of `p` rebuilds: a preset as its rules text; a serve
/// snapshot's model the plain linear model in use, without drift retraining or monitoring.
inline pipeline_config snapshot_config(const pipeline& p, kind what) {
  pipeline_config c = p.config();
  if (!c.preset.empty()) {
    c.rules = std::string(clean::preset_text(c.preset));
    c.rules_source = "preset " + c.preset;
    c.preset.clear();
  }
  if (c.rules.empty()) c.rules = std::string(pipeline::generic_rules);
  if (what == kind::serve || p.settled()) {
    const auto in_use = p.served().describe();
    c.model.optimizer = in_use.optimizer;
    c.model.lr = in_use.lr;
  }
  if (what == kind::serve) {
    c.drift.clear();
    c.drift_params.clear();
    c.feature_drift = false;
    c.no_feature_drift = true;
  }
  return c;
}

}  // namespace detail

/// Writes `p` to `path` (atomically; see the header comment).
inline void save(const pipeline& p, const std::string& path, const save_options& options = {}) {
  if (!p.chain_from_config())
    throw std::invalid_argument(
        "snapshot::save: the pipeline's chain was given ready-made; a snapshot rebuilds the chain "
        "from rules: give them as pipeline_config::rules");
  if (p.served().describe().optimizer.empty())
    throw std::invalid_argument("snapshot::save: the pipeline's model is not a linear model");
  pipeline_config config = detail::snapshot_config(p, options.what);
  saver s(options.what);
  const_cast<pipeline&>(p).state(s);  // a saver only reads
  saver spec(options.what);
  spec("config", config);
  bool settled = options.what == kind::serve || p.settled();
  spec("settled", settled);

  const auto report = p.report();
  const auto& columns = p.chain().input_columns();
  nlohmann::json header;
  header["format"] = format_version;
  header["riptide_version"] = version_string;
  header["kind"] = std::string(to_string(options.what));
  header["created"] = detail::utc_now();
  header["records_seen"] = report.in;
  header["stream_position"] = {
      {"records", report.in}, {"learned", p.learned()}, {"unlabelled", p.unlabelled()}};
  nlohmann::json names = nlohmann::json::array();
  for (const auto& n : columns) names.push_back(::riptide::snapshot::detail::text_json(n));
  header["schema"] = {{"columns", names},
                      {"fingerprint", detail::schema_fingerprint(columns)},
                      {"label", p.config().label},
                      {"id", p.config().id}};
  header["pipeline"] = spec.state();
  header["description"] = report::describe(p);
  header["metrics"] = {{"prequential", report::to_json(p.evaluation())},
                       {"records", nlohmann::json::parse(report.to_json())}};
  if (!options.metrics.is_null()) header["metrics"]["extra"] = options.metrics;
  header["state"] = std::move(s.state());
  write_file(path, std::move(header), s.arrays());
}

/// The pipeline of snapshot `c` (read_file's or parse()'s); `name` names it in errors.
inline pipeline load(const contents& c, const std::string& name) {
  const auto& h = c.header;
  const auto field = [&](const char* key) -> const nlohmann::json& {
    if (!h.contains(key))
      ::riptide::snapshot::detail::fail(name, std::string("the header has no '") + key + "'");
    return h[key];
  };
  const auto& kind_text = field("kind");
  if (kind_text != "serve" && kind_text != "resume")
    ::riptide::snapshot::detail::fail(name, "unknown snapshot kind " + kind_text.dump());
  const kind what = kind_text == "serve" ? kind::serve : kind::resume;
  try {
    pipeline_config config;
    bool settled = false;
    loader spec(what, field("pipeline"), c.arrays, "pipeline");
    spec("config", config);
    spec("settled", settled);
    pipeline p = [&] {
      try {
        return pipeline(config);
      } catch (const std::exception& e) {
        throw error(std::string("pipeline: the configuration does not build: ") + e.what());
      }
    }();
    if (settled) p.settle_as(config.model);
    loader l(what, field("state"), c.arrays, "state");
    p.state(l);
    return p;
  } catch (const error& e) {
    ::riptide::snapshot::detail::fail(name, e.what());
  } catch (const std::exception& e) {  // a component refusing what it was given
    ::riptide::snapshot::detail::fail(name, std::string("the state does not fit: ") + e.what());
  }
}

/// The pipeline of the snapshot at `path`.
inline pipeline load(const std::string& path) {
  return load(read_file(path), path);
}

/// What `riptide inspect` shows: version, kind, created, records seen, metrics, schema, the
/// pipeline's description, and the features with the largest weights by column and value.
inline nlohmann::json inspect(const std::string& path, std::size_t top = 10) {
  const contents c = read_file(path);
  const pipeline p = load(c, path);
  nlohmann::json out;
  out["file"] = path;
  out["format"] = c.format;
  for (const char* key : {"riptide_version", "kind", "created", "records_seen", "stream_position",
                          "schema", "metrics", "description"})
    if (c.header.contains(key)) out[key] = c.header[key];
  out["model"] = report::to_json(p.served(), p.encoder(), top);
  return out;
}

}  // namespace riptide::snapshot
