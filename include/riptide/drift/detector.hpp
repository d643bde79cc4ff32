// riptide/drift/detector.hpp: the one small interface every drift detector in riptide::drift has.
//
// A detector is fed one number at a time with update(x); right after each update,
// drift_detected() tells whether that input completed a detection. Detectors that also signal an
// early warning zone (DDM, EDDM, HDDM_A, HDDM_W) satisfy warning_detector as well. reset()
// returns a detector to the state it was constructed in. As in River, a detector that reported
// drift resets itself at the start of the next update(), so each detection starts a new
// monitoring period.
//
// Which numbers go in depends on the detector: ADWIN, Page-Hinkley and KSWIN watch any real
// stream; DDM, EDDM, HDDM_A and HDDM_W watch a stream of 0/1 errors (1 = the model was wrong).
//
// Example:
//   static_assert(riptide::drift::detector<riptide::drift::adwin>);
//   static_assert(riptide::drift::warning_detector<riptide::drift::ddm>);
//   static_assert(!riptide::drift::warning_detector<riptide::drift::page_hinkley>);
#pragma once

#include <concepts>

namespace riptide::drift {

/// update(x) with a double, drift_detected() after it, reset() to the initial state.
template <class D>
concept detector = std::copyable<D> && requires(D d, const D cd, double x) {
  d.update(x);
  { cd.drift_detected() } -> std::convertible_to<bool>;
  d.reset();
};

/// A detector that also reports a warning zone (a likely drift building up).
template <class D>
concept warning_detector = detector<D> && requires(const D cd) {
  { cd.warning_detected() } -> std::convertible_to<bool>;
};

}  // namespace riptide::drift
