// Snapshots and serving, each beside its baseline in the same run:
//  - latency of one raw Telco record (clean + encode + predict) from a pipeline loaded from a
//    snapshot (riptide::scorer), p50 / p99 over 10^6 calls, beside the in-process pipeline it
//    was saved from (pipeline::predict with a scratch): the price of the round trip (~1);
//  - save and load of the Telco model and of a linear model of 2^22 hashed weights (resume:
//    weights and AdaGrad state), beside writing / reading the same number of bytes plainly.
// Usage: snapshot_bench [CALLS]   (default 1000000). Prints one line per figure.
#include <fcntl.h>
#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "riptide/io/csv.hpp"
#include "riptide/learn/make_classifier.hpp"
#include "riptide/scorer.hpp"
#include "riptide/snapshot/file.hpp"
#include "riptide/snapshot/pipeline_io.hpp"

namespace {

using clock_type = std::chrono::steady_clock;
namespace fs = std::filesystem;

double seconds_since(clock_type::time_point t0) {
  return std::chrono::duration<double>(clock_type::now() - t0).count();
}

struct percentiles {
  double p50, p99, mean;
};

template <class F>
percentiles latency(std::size_t calls, std::size_t records, F&& one) {
  std::vector<double> ns(calls);
  double total = 0;
  for (std::size_t i = 0; i < calls; ++i) {
    const auto t0 = clock_type::now();
    one(i % records);
    const double d = std::chrono::duration<double, std::nano>(clock_type::now() - t0).count();
    ns[i] = d;
    total += d;
  }
  std::sort(ns.begin(), ns.end());
  return {ns[calls / 2], ns[calls * 99 / 100], total / static_cast<double>(calls)};
}

// Writes `bytes` to path with write() and fsync, then reads them back with read(): the plain
// baseline of saving and loading that many bytes.
std::pair<double, double> plain_write_read(const std::string& path, std::size_t bytes) {
  std::vector<char> buf(bytes, 'x');
  auto t0 = clock_type::now();
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  for (std::size_t at = 0; at < bytes;)
    at += static_cast<std::size_t>(::write(fd, buf.data() + at, bytes - at));
  ::fsync(fd);
  ::close(fd);
  const double w = seconds_since(t0);
  std::vector<char> back(bytes);
  t0 = clock_type::now();
  fd = ::open(path.c_str(), O_RDONLY);
  for (std::size_t at = 0; at < bytes;) {
    const auto n = ::read(fd, back.data() + at, bytes - at);
    if (n <= 0) break;
    at += static_cast<std::size_t>(n);
  }
  ::close(fd);
  const double r = seconds_since(t0);
  if (back[bytes / 2] != 'x') std::abort();
  return {w, r};
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t calls = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  const std::string dir =
      (fs::temp_directory_path() / ("riptide-snapshot-bench-" + std::to_string(::getpid())))
          .string();
  fs::create_directories(dir);

  // The Telco model, trained on the train file; saved and loaded.
  riptide::pipeline p{{.preset = "telco"}};
  auto train = riptide::io::read_csv("data/telco_customer_churn_train_data.csv");
  for (const auto& r : train) p.predict_then_learn(r);
  const std::string model = dir + "/telco.rts";
  auto t0 = clock_type::now();
  riptide::snapshot::save(p, model, {.what = riptide::snapshot::kind::resume});
  const double save_s = seconds_since(t0);
  t0 = clock_type::now();
  const riptide::pipeline loaded = riptide::snapshot::load(model);
  const double load_s = seconds_since(t0);
  const auto telco_bytes = fs::file_size(model);
  const auto [telco_w, telco_r] = plain_write_read(dir + "/plain", telco_bytes);
  fmt::print(
      "telco model (resume, {} bytes): save {:.3f} ms vs plain write+fsync {:.3f} ms (ratio "
      "{:.2f}); "
      "load {:.3f} ms vs plain read {:.3f} ms (ratio {:.2f})\n",
      telco_bytes, save_s * 1e3, telco_w * 1e3, save_s / telco_w, load_s * 1e3, telco_r * 1e3,
      load_s / telco_r);

  // Latency of one raw record: the score file's 411 records, cycled.
  auto score = riptide::io::read_csv("data/telco_customer_churn_score_data.csv");
  std::vector<riptide::io::record> owned;  // the reader's views live until its next record
  for (const auto& r : score) owned.emplace_back(r);
  std::vector<riptide::io::record_view> records;
  for (const auto& r : owned) records.push_back(r.view());
  riptide::scorer s(loaded);
  auto scratch = p.make_scratch();
  float sink = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {  // both serve the same answers
    const float a = s.score(records[i]).out.probability,
                b = p.predict(records[i], scratch).probability;
    if (a != b) {
      fmt::print(stderr, "loaded and in-process predictions differ at record {}\n", i);
      return 1;
    }
  }
  const auto in_process = latency(calls, records.size(), [&](std::size_t i) {
    sink += p.predict(records[i], scratch).probability;
  });
  const auto from_snapshot = latency(
      calls, records.size(), [&](std::size_t i) { sink += s.score(records[i]).out.probability; });
  fmt::print("one raw Telco record, clean + encode + predict, {} calls:\n", calls);
  fmt::print("  loaded snapshot (scorer):  p50 {:.0f} ns  p99 {:.0f} ns  mean {:.0f} ns\n",
             from_snapshot.p50, from_snapshot.p99, from_snapshot.mean);
  fmt::print("  in-process pipeline:       p50 {:.0f} ns  p99 {:.0f} ns  mean {:.0f} ns\n",
             in_process.p50, in_process.p99, in_process.mean);
  fmt::print("  ratio loaded / in-process: p50 {:.2f}  p99 {:.2f}\n",
             from_snapshot.p50 / in_process.p50, from_snapshot.p99 / in_process.p99);

  // 2^22 hashed weights with AdaGrad state (resume), through the snapshot file format.
  auto big = riptide::learn::make_classifier({.optimizer = "adagrad", .lr = 0.05});
  riptide::features::sparse_vector x;
  x.push((1u << 22) - 2, 1.0f);
  big.learn_one(x, true);
  riptide::snapshot::saver sv(riptide::snapshot::kind::resume);
  t0 = clock_type::now();
  big.state(sv);
  const std::string big_path = dir + "/big.rts";
  riptide::snapshot::write_file(big_path, {{"kind", "resume"}, {"state", sv.state()}}, sv.arrays());
  const double big_save = seconds_since(t0);
  auto big2 = riptide::learn::make_classifier({.optimizer = "adagrad", .lr = 0.05});
  t0 = clock_type::now();
  {
    const auto c = riptide::snapshot::read_file(big_path);
    riptide::snapshot::loader l(riptide::snapshot::kind::resume, c.header["state"], c.arrays);
    big2.state(l);
  }
  const double big_load = seconds_since(t0);
  if (big2.weights().size() != big.weights().size() ||
      big2.predict_proba(x) != big.predict_proba(x))
    return 1;
  const auto big_bytes = fs::file_size(big_path);
  const auto [big_w, big_r] = plain_write_read(dir + "/plain", big_bytes);
  fmt::print(
      "2^22 weights + AdaGrad state (resume, {} bytes): save {:.1f} ms vs plain write+fsync {:.1f} "
      "ms "
      "(ratio {:.2f}); load {:.1f} ms vs plain read {:.1f} ms (ratio {:.2f})\n",
      big_bytes, big_save * 1e3, big_w * 1e3, big_save / big_w, big_load * 1e3, big_r * 1e3,
      big_load / big_r);
  fs::remove_all(dir);
  return sink == 12345.0f ? 2 : 0;
}
