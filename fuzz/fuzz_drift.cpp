// Fuzz target `drift`: arbitrary bytes as number lines (riptide drift's input parser) and as
// streams of doubles (any bit pattern: NaN, infinities, subnormals, huge values) fed to every
// detector and to the feature monitor. Nothing may crash, hang or trip the sanitizers, and
// detectors must stay deterministic (a copy fed the same stream agrees).
#include <riptide/drift/adwin.hpp>
#include <riptide/drift/ddm.hpp>
#include <riptide/drift/eddm.hpp>
#include <riptide/drift/features/monitor.hpp>
#include <riptide/drift/hddm_a.hpp>
#include <riptide/drift/hddm_w.hpp>
#include <riptide/drift/kswin.hpp>
#include <riptide/drift/number_line.hpp>
#include <riptide/drift/page_hinkley.hpp>

#include <cstdlib>
#include <cstring>
#include <string_view>
#include <vector>

#include "fuzz_target.hpp"

namespace {

template <class D>
void feed(D detector, const std::vector<double>& values) {
  D twin = detector;
  for (double x : values) {
    detector.update(x);
    twin.update(x);
    if (detector.drift_detected() != twin.drift_detected()) std::abort();
  }
  detector.reset();
}

}  // namespace

RIPTIDE_FUZZ_TARGET(drift) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<double> values;
  // 1. The bytes as lines of numbers.
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t nl = std::min(text.find('\n', start), text.size());
    if (const auto x = riptide::drift::parse_number_line(text.substr(start, nl - start)))
      values.push_back(*x);
    start = nl + 1;
  }
  // 2. The bytes as raw doubles (mode bit 0) or as small values, one per byte.
  if (data[0] & 1) {
    for (std::size_t i = 1; i + 8 <= size; i += 8) {
      double x;
      std::memcpy(&x, data + i, 8);
      values.push_back(x);
    }
  } else {
    for (std::size_t i = 1; i < size; ++i) values.push_back((data[i] - 128) / 16.0);
  }
  // Small clocks and windows so that short inputs reach the interesting paths.
  feed(riptide::drift::adwin{{.clock = 1 + (data[0] >> 5), .max_buckets = 1 + (data[0] >> 6)}},
       values);
  feed(riptide::drift::page_hinkley{{.min_instances = 3}}, values);
  feed(riptide::drift::kswin{{.window_size = 8, .stat_size = 4, .seed = data[0]}}, values);
  feed(riptide::drift::ddm{{.warm_start = 3}}, values);
  feed(riptide::drift::eddm{{.warm_start = 3}}, values);
  feed(riptide::drift::hddm_a{{.two_sided_test = true}}, values);
  feed(riptide::drift::hddm_w{{.two_sided_test = true}}, values);
  namespace rf = riptide::drift::features;
  rf::monitor monitor(
      {{"x", 0, rf::feature_kind::numeric}, {"c", 1, rf::feature_kind::categorical}},
      {.reference_size = 4, .window_size = 4, .check_every = 1, .bins = 3});
  for (double x : values) {
    const riptide::value row[] = {riptide::value::of_real(x),
                                  riptide::value::of_int(static_cast<long>(x != x   ? 0
                                                                           : x > 9  ? 9
                                                                           : x < -9 ? -9
                                                                                    : x))};
    monitor.update(row);
  }
  return 0;
}
