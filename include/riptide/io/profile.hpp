// riptide/io/profile.hpp: a one-pass profile of a stream of records, column by column.
//
// For each column: the inferred type (riptide/io/type_inference.hpp), the null count with the
// spellings seen (e.g. " " x 11), the distinct-count estimate of its non-null values
// (HyperLogLog), min / max / mean / standard deviation of its numbers, the count of true values,
// and its most frequent values (Misra-Gries, exact while a column has <= 1024 distinct values).
// Error records are counted by reason, and the first few are kept as samples with their location.
// Parameters: top_capacity (counters per column for frequent values, default 1024),
// error_samples (default 10), hll_precision (default 14).
//
// Example:
//   riptide::io::dataset_profile profile;
//   for (const auto& r : riptide::io::read_csv_text("plan,price\npro,9.5\nfree,\npro,12\n"))
//     profile.add(r);
//   const auto& price = profile.column(1);
//   if (price.type() != riptide::io::column_type::real || price.nulls() != 1) std::abort();
//   if (price.numbers().max != 12.0 || profile.column(0).top(1)[0].item != "pro") std::abort();
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "riptide/io/record.hpp"
#include "riptide/io/type_inference.hpp"
#include "riptide/sketch/frequent_items.hpp"
#include "riptide/sketch/hyperloglog.hpp"

namespace riptide::io {

/// Count, min, max, mean and standard deviation of numbers (Welford's update).
struct number_summary {
  std::uint64_t count = 0;
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  double mean = 0.0;
  double m2 = 0.0;

  void add(double x) noexcept {
    ++count;
    min = std::min(min, x);
    max = std::max(max, x);
    const double delta = x - mean;
    mean += delta / static_cast<double>(count);
    m2 += delta * (x - mean);
  }
  /// Sample standard deviation (0 below two values).
  double stddev() const noexcept {
    return count > 1 ? std::sqrt(m2 / static_cast<double>(count - 1)) : 0.0;
  }
};

struct profile_options {
  std::size_t top_capacity = 1024;
  std::size_t error_samples = 10;
  int hll_precision = 14;
};

class column_profile {
 public:
  explicit column_profile(std::string name, const profile_options& options = {})
      : name_(std::move(name)), distinct_(options.hll_precision), top_(options.top_capacity) {}

  void add(const field& f) {
    const classified c = inference_.add(f);
    if (f.kind == field_kind::missing) return;
    switch (c.cls) {
      case value_class::null:
        if (null_values_.size() < max_null_spellings || null_values_.count(std::string(f.text)))
          ++null_values_[std::string(f.text)];
        return;
      case value_class::boolean:
        true_count_ += c.boolean ? 1 : 0;
        break;
      case value_class::integer:
      case value_class::real:
        numbers_.add(c.real);
        break;
      case value_class::text:
        break;
    }
    distinct_.add(c.text);
    top_.add(c.text);
  }

  const std::string& name() const noexcept { return name_; }
  column_type type() const noexcept { return inference_.type(); }
  const type_inference& inference() const noexcept { return inference_; }
  /// Text column with few distinct values.
  bool categorical() const noexcept {
    return type() == column_type::text && looks_categorical(distinct(), inference_.non_null());
  }
  std::uint64_t nulls() const noexcept { return inference_.nulls(); }
  /// How often each null spelling was seen (the first 16 spellings).
  const std::map<std::string, std::uint64_t>& null_values() const noexcept { return null_values_; }
  double distinct() const noexcept { return distinct_.estimate(); }
  const number_summary& numbers() const noexcept { return numbers_; }
  std::uint64_t true_count() const noexcept { return true_count_; }
  std::vector<sketch::frequent_items::entry> top(std::size_t k) const { return top_.top(k); }
  bool top_exact() const noexcept { return top_.exact(); }

 private:
  static constexpr std::size_t max_null_spellings = 16;
  std::string name_;
  type_inference inference_;
  sketch::hyperloglog distinct_;
  sketch::frequent_items top_;
  number_summary numbers_;
  std::uint64_t true_count_ = 0;
  std::map<std::string, std::uint64_t> null_values_;
};

class dataset_profile {
 public:
  struct error_sample {
    location where;  // where.source is left empty: `source` holds the name
    std::string source;
    error_code error;
    std::int64_t field;
    std::string message;
  };

  explicit dataset_profile(profile_options options = {}) : options_(options) {}

  void add(const record_view& r) {
    ++records_;
    if (!r.ok()) {
      ++errors_[std::string(to_string(r.error))];
      ++error_count_;
      if (samples_.size() < options_.error_samples) {
        samples_.push_back(
            {r.where, std::string(r.where.source), r.error, r.error_field, std::string(r.message)});
        samples_.back().where.source = {};
      }
      return;
    }
    const std::size_t n = r.columns != nullptr ? r.columns->size() : r.fields.size();
    while (columns_.size() < n) {
      const std::size_t i = columns_.size();
      columns_.emplace_back(
          r.columns != nullptr ? r.columns->name(i) : "column_" + std::to_string(i + 1), options_);
      // Records before this column appeared did not have it.
      for (std::uint64_t k = 0; k < good_; ++k) columns_.back().add(field{{}, field_kind::missing});
    }
    for (std::size_t i = 0; i < n; ++i) columns_[i].add(r[i]);
    ++good_;
  }

  std::size_t size() const noexcept { return columns_.size(); }
  const column_profile& column(std::size_t i) const { return columns_[i]; }
  const std::vector<column_profile>& columns() const noexcept { return columns_; }
  std::uint64_t records() const noexcept { return records_; }
  std::uint64_t good() const noexcept { return good_; }
  std::uint64_t errors() const noexcept { return error_count_; }
  const std::map<std::string, std::uint64_t>& errors_by_reason() const noexcept { return errors_; }
  const std::vector<error_sample>& error_samples() const noexcept { return samples_; }

 private:
  profile_options options_;
  std::vector<column_profile> columns_;
  std::uint64_t records_ = 0, good_ = 0, error_count_ = 0;
  std::map<std::string, std::uint64_t> errors_;
  std::vector<error_sample> samples_;
};

}  // namespace riptide::io
