// riptide/clean/impute.hpp: streaming imputation of nulls.
//
// Fills a null with a constant, or with the running mean / median of the values seen so far in
// this column (numbers only; the mean is exact, the median is the P² estimate,
// sketch/p2_quantile.hpp). Being streaming, the fill depends on the records before: record i gets
// the statistic of records 0..i-1. Until a value has been seen, a mean/median null stays null (a
// later required / drop_if_null decides). Each fill records the repair "imputed".
//
// Parameters:
//   column    (required)
//   strategy  impute_strategy::mean   constant | mean | median
//   constant  null                    the value for `constant`
//
// Example:
//   riptide::clean::impute fill{.column = "x"};
//   riptide::io::schema s({"x"});
//   riptide::clean::binder b(s, {});
//   fill.bind(b);
//   riptide::clean::work w;
//   for (double x : {1.0, 3.0}) { w.values = {riptide::value::of_real(x)}; fill.run(w); }
//   w.values = {riptide::value{}};
//   fill.run(w);
//   if (w.values[0].as_real() != 2.0) std::abort();
#pragma once

#include <cstdint>
#include <string>

#include "riptide/clean/step.hpp"
#include "riptide/sketch/p2_quantile.hpp"

namespace riptide::clean {

enum class impute_strategy : std::uint8_t { constant, mean, median };

struct impute {
  static constexpr std::string_view op = "impute";
  std::string column{};
  impute_strategy strategy = impute_strategy::mean;
  value constant{};

  std::size_t col_ = no_column;
  std::uint64_t seen_ = 0;
  double mean_ = 0.0;
  sketch::p2_quantile median_{0.5};

  void bind(binder& b) { col_ = b.column(column); }

  /// The running statistics (snapshot/archive.hpp).
  template <class Archive>
  void state(Archive& a) {
    a("seen", seen_);
    a("mean", mean_);
    a("median", median_);
  }

  bool run(work& w) {
    if (col_ == no_column) return true;
    auto& v = w.values[col_];
    if (!v.is_null()) {
      if (v.is_number()) {
        const double x = v.as_number();
        ++seen_;
        mean_ += (x - mean_) / static_cast<double>(seen_);
        if (strategy == impute_strategy::median) median_.add(x);
      }
      return true;
    }
    switch (strategy) {
      case impute_strategy::constant:
        if (constant.is_null()) return true;
        v = constant;
        return w.repair(col_, "imputed constant");
      case impute_strategy::mean:
        if (seen_ == 0) return true;
        v.set_real(mean_);
        return w.repair(col_, "imputed mean");
      case impute_strategy::median:
        if (seen_ == 0) return true;
        v.set_real(median_.estimate());
        return w.repair(col_, "imputed median");
    }
    return true;
  }
};

}  // namespace riptide::clean
