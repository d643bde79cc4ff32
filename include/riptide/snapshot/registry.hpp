// riptide/snapshot/registry.hpp: a directory of numbered snapshots with a quality-gated champion.
//
// Layout of a registry directory:
//   snapshots/000001.rts, 000002.rts, ...  every snapshot added (pipeline_io.hpp), numbered
//   champion                               {"snapshot": "snapshots/000002.rts", "auc": 0.84, ...}
//                                          replaced atomically (temp file, fsync, rename)
//   decisions.jsonl                        one line per snapshot added: time, snapshot, holdout
//                                          metrics, decision (promoted | rejected), reason
// add(p, holdout) writes the snapshot, then decides: it becomes champion only if its holdout
// AUC >= min_auc (the seed's deployment gate: 0.6) and is not worse than the champion's by more
// than `tolerance`; a rejection is logged with its reason. keep > 0 prunes the snapshots older
// than the newest `keep`, never the champion. A reader of the champion (load_champion) never
// sees a partial state: snapshots are whole before the pointer names them, the pointer is
// replaced by a rename, and a reader that finds its snapshot pruned under it reads the pointer
// again. One writer per registry.
// Parameters (defaults): min_auc (0.6), tolerance (0.01), keep (0: keep all), what (resume).
//
// Example:
//   namespace fs = std::filesystem;
//   const fs::path dir = fs::temp_directory_path() / ("riptide-registry-example-" +
//                                                     std::to_string(::getpid()));
//   riptide::pipeline p{{.preset = "telco", .model = {.lr = 0.05}}};
//   riptide::metrics::holdout h;
//   std::uint64_t i = 0;
//   for (const auto& r : riptide::io::read_csv("data/telco_customer_churn_train_data.csv")) {
//     if (i++ % 5 == 4) {  // held out: scored, never learned
//       const auto o = p.predict(r);
//       if (o.ok() && o.label) h.update(*o.label, o.probability);
//     } else {
//       p.predict_then_learn(r);
//     }
//   }
//   riptide::snapshot::registry reg(dir.string());
//   const auto d = reg.add(p, h);
//   if (!d.promoted || reg.champion() != d.snapshot) std::abort();
//   if (reg.load_champion().learned() != p.learned()) std::abort();
//   fs::remove_all(dir);
#pragma once

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "riptide/io/output_file.hpp"
#include "riptide/metrics/holdout.hpp"
#include "riptide/pipeline.hpp"
#include "riptide/report/json.hpp"
#include "riptide/snapshot/pipeline_io.hpp"

namespace riptide::snapshot {

struct registry_options {
  double min_auc = 0.6;  ///< the gate: a champion's holdout AUC is at least this
  /// A new champion may be worse than the old by at most this: holdouts of a few hundred records
  /// differ by about this much from noise alone (the champion's was measured on earlier records).
  double tolerance = 0.01;
  std::size_t keep = 0;  ///< snapshots kept (the newest; never the champion); 0: all
  kind what = kind::resume;
};

/// The gate's verdict on one snapshot.
struct decision {
  bool promoted = false;
  std::string reason;
};

/// The gate alone (a pure function): promote a snapshot of holdout AUC `auc` over a champion of
/// `champion_auc` (none: no champion yet)?
inline decision decide(double auc, std::optional<double> champion_auc, const registry_options& o) {
  char buf[160];
  if (!std::isfinite(auc))
    return {false, "holdout AUC undefined (the holdout has a single class or no records)"};
  if (auc < o.min_auc) {
    std::snprintf(buf, sizeof buf, "holdout AUC %.4f below the gate %.4f", auc, o.min_auc);
    return {false, buf};
  }
  if (champion_auc && auc < *champion_auc - o.tolerance) {
    std::snprintf(buf, sizeof buf,
                  "holdout AUC %.4f worse than the champion's %.4f by more than %.4f", auc,
                  *champion_auc, o.tolerance);
    return {false, buf};
  }
  if (!champion_auc) {
    std::snprintf(buf, sizeof buf, "holdout AUC %.4f passes the gate %.4f; first champion", auc,
                  o.min_auc);
    return {true, buf};
  }
  std::snprintf(buf, sizeof buf, "holdout AUC %.4f passes the gate %.4f; champion's %.4f", auc,
                o.min_auc, *champion_auc);
  return {true, buf};
}

class registry {
 public:
  /// What add() did.
  struct added {
    std::string snapshot;  ///< its path
    bool promoted = false;
    std::string reason;
    double auc = 0.0;
  };

  /// The registry at `dir` (created when absent).
  explicit registry(std::string dir, registry_options options = {})
      : dir_(std::move(dir)), options_(options) {
    std::filesystem::create_directories(std::filesystem::path(dir_) / "snapshots");
  }

  const std::string& dir() const noexcept { return dir_; }

  /// Snapshots `p` with its holdout metrics, and promotes it if the gate says so.
  added add(const pipeline& p, const metrics::holdout& holdout) {
    return add(p, holdout.auc(),
               {{"n", holdout.count()},
                {"auc", report::finite_or_null(holdout.auc())},
                {"logloss", holdout.logloss()},
                {"accuracy", holdout.accuracy()}});
  }

  /// The same with the holdout's AUC and metrics (JSON) measured elsewhere.
  added add(const pipeline& p, double auc, const nlohmann::json& holdout) {
    const auto number = next_number();
    char name[32];
    std::snprintf(name, sizeof name, "%06llu.rts", static_cast<unsigned long long>(number));
    const std::string relative = std::string("snapshots/") + name;
    const std::string path = (std::filesystem::path(dir_) / relative).string();
    nlohmann::json metrics = {{"holdout", holdout}};
    save(p, path, {.what = options_.what, .metrics = metrics});

    const auto champ = champion_record();
    std::optional<double> champion_auc;
    if (champ && (*champ)["auc"].is_number()) champion_auc = (*champ)["auc"].get<double>();
    const decision d = decide(auc, champion_auc, options_);
    if (d.promoted) {
      io::output_file out((std::filesystem::path(dir_) / "champion").string(), {.sync = true});
      out.buffer() = nlohmann::json{{"snapshot", relative},
                                    {"auc", auc},
                                    {"promoted", detail::utc_now()},
                                    {"records_seen", p.report().in}}
                         .dump();
      out.buffer() += "\n";
      out.commit();
    }
    log({{"time", detail::utc_now()},
         {"snapshot", relative},
         {"records_seen", p.report().in},
         {"holdout", holdout},
         {"champion_auc", champion_auc ? nlohmann::json(*champion_auc) : nlohmann::json(nullptr)},
         {"decision", d.promoted ? "promoted" : "rejected"},
         {"reason", d.reason}});
    prune();
    return {path, d.promoted, d.reason, auc};
  }

  /// The champion's path, if there is one.
  std::optional<std::string> champion() const {
    const auto c = champion_record();
    if (!c) return std::nullopt;
    return (std::filesystem::path(dir_) / (*c)["snapshot"].get<std::string>()).string();
  }

  /// The champion's pipeline; throws snapshot::error when there is none (or it is unreadable).
  pipeline load_champion() const {
    for (int attempt = 0;; ++attempt) {
      const auto path = champion();
      if (!path) throw error(dir_ + ": no champion yet (no snapshot passed the gate)");
      try {
        return load(*path);
      } catch (const error&) {
        // pruned between reading the pointer and opening it: the pointer has moved on
        if (attempt < 10 && !std::filesystem::exists(*path)) continue;
        throw;
      }
    }
  }

  /// The snapshots' paths, oldest first.
  std::vector<std::string> snapshots() const {
    std::vector<std::string> out;
    for (const auto& e :
         std::filesystem::directory_iterator(std::filesystem::path(dir_) / "snapshots"))
      if (e.is_regular_file() && e.path().extension() == ".rts" &&
          e.path().filename().string()[0] != '.')
        out.push_back(e.path().string());
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  std::optional<nlohmann::json> champion_record() const {
    std::ifstream in(std::filesystem::path(dir_) / "champion");
    if (!in) return std::nullopt;
    const auto j = nlohmann::json::parse(in, nullptr, false);
    if (!j.is_object() || !j.contains("snapshot") || !j["snapshot"].is_string())
      throw error(dir_ + "/champion: not a champion record");
    return j;
  }
  // After every snapshot ever added: the newest file's number, or the decisions logged (pruning
  // may have removed the newest files).
  std::uint64_t next_number() const {
    std::uint64_t last = 0;
    for (const auto& p : snapshots()) {
      const auto stem = std::filesystem::path(p).stem().string();
      last = std::max<std::uint64_t>(last, std::strtoull(stem.c_str(), nullptr, 10));
    }
    std::ifstream in(std::filesystem::path(dir_) / "decisions.jsonl");
    std::uint64_t logged = 0;
    for (std::string line; std::getline(in, line);) logged += !line.empty();
    return std::max(last, logged) + 1;
  }
  void log(const nlohmann::json& line) const {
    const auto path = std::filesystem::path(dir_) / "decisions.jsonl";
    std::FILE* f = std::fopen(path.c_str(), "a");
    if (!f) throw std::system_error(errno, std::generic_category(), path.string());
    const std::string text = line.dump() + "\n";
    const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
    if (std::fclose(f) != 0 || !ok)
      throw std::system_error(errno, std::generic_category(), path.string());
  }
  // Removes the snapshots older than the newest `keep`, but the champion.
  void prune() const {
    if (options_.keep == 0) return;
    const auto all = snapshots();
    if (all.size() <= options_.keep) return;
    const auto champ = champion();
    for (std::size_t i = 0; i + options_.keep < all.size(); ++i)
      if (!champ || !std::filesystem::equivalent(all[i], *champ)) std::filesystem::remove(all[i]);
  }

  std::string dir_;
  registry_options options_;
};

}  // namespace riptide::snapshot
