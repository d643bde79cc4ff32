// riptide/drift/make_detector.hpp: a drift detector by name, with parameters given as text.
//
// make_detector(name, params, defaults) builds adwin, page-hinkley, kswin, ddm, eddm, hddm-a or
// hddm-w (underscores accepted: hddm_a) from River's parameter names (dashes read as
// underscores; hddm-w's lambda_val also as lambda), each parameter's text read as its declaration
// in the detector's header says (riptide/param.hpp). `defaults` are the caller's own defaults,
// applied first and only where the detector has such a parameter (a replay's seed for KSWIN,
// whose River default draws OS entropy). It returns the detector as an any_detector and its
// effective parameters: every parameter of that detector, by its declared name, with the value
// the detector uses (integers as integers, numbers as doubles, flags as bools, texts as strings;
// KSWIN's seed unset is std::monostate), in declaration order.
//
// Errors are std::invalid_argument with a one-line message: an unknown detector (listing the
// names), a parameter the detector does not have (listing its parameters), one given twice, a
// value that does not read (naming detector, parameter and text), and whatever the detector's
// constructor refuses ("eddm: alpha must be >= beta").
//
// describe_detectors() lists every detector with its parameters (param_info: name, type, default,
// range, doc) for help texts and model descriptions; detector_names() just the names.
//
// Example:
//   auto made = riptide::drift::make_detector("hddm-w", {{"lambda", "0.1"}});
//   if (made.detector.name() != "hddm-w" || !made.detector.has_warning_zone()) std::abort();
//   if (made.params[2].first != "lambda_val" || std::get<double>(made.params[2].second) != 0.1)
//     std::abort();
//   auto ph = riptide::drift::make_detector(
//       "page-hinkley",
//       riptide::parse_param_assignments({"min-instances=50", "mode=up"}));
//   if (ph.detector.target<riptide::drift::page_hinkley>()->options().min_instances != 50)
//     std::abort();
//   bool refused = false;
//   try { riptide::drift::make_detector("adwin", {{"threshold", "3"}}); }
//   catch (const std::invalid_argument&) { refused = true; }  // adwin has no parameter ...
//   if (!refused || riptide::drift::describe_detectors().size() != 7) std::abort();
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "riptide/drift/adwin.hpp"
#include "riptide/drift/any_detector.hpp"
#include "riptide/drift/ddm.hpp"
#include "riptide/drift/detector.hpp"
#include "riptide/drift/eddm.hpp"
#include "riptide/drift/hddm_a.hpp"
#include "riptide/drift/hddm_w.hpp"
#include "riptide/drift/kswin.hpp"
#include "riptide/drift/page_hinkley.hpp"
#include "riptide/param.hpp"

namespace riptide::drift {

/// A detector made by name and the parameters it uses.
struct made_detector {
  any_detector detector;
  param_values params;  // every parameter of the detector: declared name, value used
};

/// One detector as help texts and model descriptions show it.
struct detector_description {
  std::string name;  // as make_detector takes it
  bool warning_zone = false;
  std::vector<param_info> params;
};

namespace make_detector_detail {

template <class D>
using options_of = std::remove_cvref_t<decltype(std::declval<const D&>().options())>;

// Every detector make_detector knows, in the order names are listed.
template <class F>
void for_each_detector(F&& f) {
  const auto one = [&](auto tag) { return f(tag); };
  (void)(one(std::type_identity<adwin>{}) || one(std::type_identity<page_hinkley>{}) ||
         one(std::type_identity<kswin>{}) || one(std::type_identity<ddm>{}) ||
         one(std::type_identity<eddm>{}) || one(std::type_identity<hddm_a>{}) ||
         one(std::type_identity<hddm_w>{}));
}

}  // namespace make_detector_detail

/// The names make_detector takes, in order.
inline std::vector<std::string> detector_names() {
  std::vector<std::string> names;
  make_detector_detail::for_each_detector([&](auto tag) {
    using D = typename decltype(tag)::type;
    names.emplace_back(component_of<make_detector_detail::options_of<D>>());
    return false;
  });
  return names;
}

/// Every detector with its parameters and their defaults.
inline std::vector<detector_description> describe_detectors() {
  std::vector<detector_description> out;
  make_detector_detail::for_each_detector([&](auto tag) {
    using D = typename decltype(tag)::type;
    using O = make_detector_detail::options_of<D>;
    out.push_back({std::string(component_of<O>()), warning_detector<D>, describe_params<O>()});
    return false;
  });
  return out;
}

/// The detector `name` with `params` over River's defaults (and `defaults` where the detector
/// has such parameters). Throws std::invalid_argument (see the top of this header).
inline made_detector make_detector(std::string_view name, const param_texts& params,
                                   const param_texts& defaults = {}) {
  const std::string wanted = canonical_param_name(name);
  std::optional<made_detector> made;
  make_detector_detail::for_each_detector([&](auto tag) {
    using D = typename decltype(tag)::type;
    using O = make_detector_detail::options_of<D>;
    const std::string_view declared = component_of<O>();
    if (canonical_param_name(declared) != wanted) return false;
    O options{};
    for (const auto& [key, text] : defaults)
      if (find_param_name<O>(key)) set_param(options, key, text);
    set_params(options, params);
    D detector{options};
    param_values effective = effective_params(detector.options());
    made.emplace(made_detector{any_detector(std::string(declared), std::move(detector)),
                               std::move(effective)});
    return true;
  });
  if (!made) {
    std::string names;
    for (const auto& n : detector_names()) names += (names.empty() ? "" : ", ") + n;
    throw std::invalid_argument("unknown detector '" + std::string(name) + "' (" + names + ")");
  }
  return std::move(*made);
}

}  // namespace riptide::drift
