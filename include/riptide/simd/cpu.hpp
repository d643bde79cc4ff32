// riptide/simd/cpu.hpp: what this CPU offers the SIMD kernels, probed once, and the levels the
// kernels need, each stated here once.
//
// riptide's SIMD kernels are compiled with __attribute__((target(...))) so that the build baseline
// stays x86-64-v2, and each kernel family picks at run time the best kernel the CPU can run. The
// CPU is probed here only (cpu(): one __builtin_cpu_supports pass, on first use); a kernel family
// names the level it needs (a `level`: the features its target attribute uses), and asks
// supports(level). The families and their levels:
//  - the JSON Lines reader's line-end scan (io/newline_scan.hpp): avx512_bw, else avx2_bmi, else
//    portable;
//  - the CSV structural index (io/csv_scan.hpp) with the CSV reader's field cut that runs with it
//    (io/csv.hpp): avx512_vbmi2, else avx2_clmul, else scalar.
// What each family chose on this CPU is what its automatic scanner runs (io::structural_scanner{},
// io::newline_scanner{}); `riptide info` prints exactly that. simdjson dispatches on its own.
//
// Example:
//   const riptide::simd::feature_set mine = riptide::simd::cpu();
//   if (riptide::simd::supports(riptide::simd::avx512_vbmi2) &&
//       !mine.contains(riptide::simd::avx2_clmul.needs))
//     std::abort();  // the levels nest as the dispatchers assume
//   if (riptide::simd::names({riptide::simd::feature::avx2, riptide::simd::feature::bmi1}) !=
//       "avx2 bmi1")
//     std::abort();
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace riptide::simd {

/// An x86-64 feature some kernel needs.
enum class feature : std::uint32_t {
  avx2 = 1U << 0,
  bmi1 = 1U << 1,
  pclmul = 1U << 2,
  avx512f = 1U << 3,
  avx512bw = 1U << 4,
  avx512vl = 1U << 5,
  avx512vbmi2 = 1U << 6,
};

/// Every feature with its name (__builtin_cpu_supports's, but "bmi1" for its "bmi").
inline constexpr std::array<std::pair<feature, std::string_view>, 7> feature_names{{
    {feature::avx2, "avx2"},
    {feature::bmi1, "bmi1"},
    {feature::pclmul, "pclmul"},
    {feature::avx512f, "avx512f"},
    {feature::avx512bw, "avx512bw"},
    {feature::avx512vl, "avx512vl"},
    {feature::avx512vbmi2, "avx512vbmi2"},
}};

/// A set of features: what a CPU has, or what a kernel needs.
struct feature_set {
  std::uint32_t bits = 0;

  constexpr feature_set() = default;
  constexpr feature_set(std::initializer_list<feature> features) {
    for (const feature f : features) bits |= static_cast<std::uint32_t>(f);
  }
  constexpr bool contains(feature f) const noexcept {
    return (bits & static_cast<std::uint32_t>(f)) != 0;
  }
  constexpr bool contains(feature_set need) const noexcept {
    return (bits & need.bits) == need.bits;
  }
};

/// What one kernel needs: its features (those of its target attribute), and how to say them.
struct level {
  std::string_view name;
  feature_set needs;
};

// --- The levels, each with the kernels that need it ---------------------------------------------

/// io/newline_scan.hpp's AVX2 kernel (compare, movemask, tzcnt).
inline constexpr level avx2_bmi{"AVX2, BMI1", {feature::avx2, feature::bmi1}};
/// io/newline_scan.hpp's AVX-512 kernel (compares into mask registers, masked tail load).
inline constexpr level avx512_bw{"AVX-512 F, BW; BMI1",
                                 {feature::avx512f, feature::avx512bw, feature::bmi1}};
/// io/csv_scan.hpp's AVX2 index (quote regions by carry-less multiply) and io/csv.hpp's AVX2
/// field cut, which runs with it.
inline constexpr level avx2_clmul{"AVX2, PCLMUL, BMI1",
                                  {feature::avx2, feature::pclmul, feature::bmi1}};
/// io/csv_scan.hpp's AVX-512 index (positions flattened with vpcompressb: VBMI2) and io/csv.hpp's
/// AVX-512 field cut (VL), which runs with it.
inline constexpr level avx512_vbmi2{"AVX-512 F, BW, VL, VBMI2; PCLMUL, BMI1",
                                    {feature::avx512f, feature::avx512bw, feature::avx512vl,
                                     feature::avx512vbmi2, feature::pclmul, feature::bmi1}};

namespace detail {
inline feature_set probe() noexcept {
  feature_set found;
#if defined(__x86_64__)
  __builtin_cpu_init();
  const auto add = [&found](bool has, feature f) {
    if (has) found.bits |= static_cast<std::uint32_t>(f);
  };
  add(__builtin_cpu_supports("avx2"), feature::avx2);
  add(__builtin_cpu_supports("bmi"), feature::bmi1);
  add(__builtin_cpu_supports("pclmul"), feature::pclmul);
  add(__builtin_cpu_supports("avx512f"), feature::avx512f);
  add(__builtin_cpu_supports("avx512bw"), feature::avx512bw);
  add(__builtin_cpu_supports("avx512vl"), feature::avx512vl);
  add(__builtin_cpu_supports("avx512vbmi2"), feature::avx512vbmi2);
#endif
  return found;
}
}  // namespace detail

/// The features of this CPU (probed on the first call; none off x86-64).
inline feature_set cpu() noexcept {
  static const feature_set features = detail::probe();
  return features;
}

/// Whether this CPU can run the kernels of level `l`.
inline bool supports(const level& l) noexcept {
  return cpu().contains(l.needs);
}

/// The names of the features in `set`, space separated, in feature_names' order.
inline std::string names(feature_set set) {
  std::string out;
  for (const auto& [f, name] : feature_names) {
    if (!set.contains(f)) continue;
    if (!out.empty()) out += ' ';
    out += name;
  }
  return out;
}

}  // namespace riptide::simd
