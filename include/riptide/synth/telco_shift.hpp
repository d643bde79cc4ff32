// riptide/synth/telco_shift.hpp: the bundled Telco churn records replayed as a stream whose
// churn concept changes at known points.
//
// The records of a Telco CSV (data/telco_customer_churn_train_data.csv) are replayed in an order
// shuffled with random.Random(seed) on each pass (so the stream is stationary before a drift
// point however the file is sorted; a stream longer than the file starts a new pass). Under odd
// concepts the contract's effect on churn is inverted: the Churn label (Yes/No) of Month-to-month
// and Two year customers is flipped, so the churn rates by contract go from about 43% / 11% / 3%
// (month-to-month / one year / two year) to 57% / 11% / 97%: long contracts now churn. The
// features, and so the input distribution, are unchanged: a pure concept drift, which a model
// that learned the first concept gets badly wrong (two-year customers are a quarter of the data).
// Unreadable CSV records are skipped and counted (unreadable()).
//
// Parameters:
//   path = "data/telco_customer_churn_train_data.csv"   a CSV with Contract and Churn columns
//   seed = 42                                          shuffling seed
//
// Example:
//   riptide::synth::telco_shift stream;  // run from the repository root
//   const auto& record = stream.next(1);  // concept 1: the contract's effect inverted
//   if (stream.header()[stream.label_column()] != "Churn" || record.size() != 21) std::abort();
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "riptide/detail/python_random.hpp"
#include "riptide/io/csv.hpp"

namespace riptide::synth {

struct telco_shift_options {
  std::string path = "data/telco_customer_churn_train_data.csv";
  std::int64_t seed = 42;
};

class telco_shift {
 public:
  /// Reads the CSV; throws std::system_error when it cannot be opened and
  /// std::invalid_argument when it has no readable record or no Contract or Churn column.
  explicit telco_shift(telco_shift_options options = {})
      : opt_(std::move(options)), rng_(opt_.seed) {
    auto reader = io::read_csv(opt_.path);
    for (const io::record_view& r : reader) {
      if (!r.ok()) {
        ++unreadable_;
        continue;
      }
      std::vector<std::string> fields;
      fields.reserve(r.fields.size());
      for (const io::field& f : r.fields) fields.emplace_back(f.text);
      rows_.push_back(std::move(fields));
    }
    for (std::size_t i = 0; i < reader.columns().size(); ++i)
      header_.emplace_back(reader.columns().name(i));
    contract_ = label_ = header_.size();
    for (std::size_t i = 0; i < header_.size(); ++i) {
      if (header_[i] == "Contract") contract_ = i;
      if (header_[i] == "Churn") label_ = i;
    }
    if (rows_.empty() || contract_ == header_.size() || label_ == header_.size())
      throw std::invalid_argument(opt_.path +
                                  ": no readable records with Contract and Churn columns");
    order_.resize(rows_.size());
  }

  /// The next record's fields under concept `concept_index` (odd: contract effect inverted);
  /// valid until the next call.
  const std::vector<std::string_view>& next(std::size_t concept_index) {
    if (position_ % rows_.size() == 0) shuffle();
    const auto& fields = rows_[order_[position_ % rows_.size()]];
    ++position_;
    current_.assign(fields.begin(), fields.end());
    if (concept_index % 2 == 1 && contract_ < current_.size() && label_ < current_.size() &&
        (current_[contract_] == "Month-to-month" || current_[contract_] == "Two year")) {
      if (current_[label_] == "Yes")
        current_[label_] = "No";
      else if (current_[label_] == "No")
        current_[label_] = "Yes";
    }
    return current_;
  }

  const std::vector<std::string>& header() const noexcept { return header_; }
  std::size_t contract_column() const noexcept { return contract_; }
  std::size_t label_column() const noexcept { return label_; }
  std::size_t records() const noexcept { return rows_.size(); }
  std::uint64_t unreadable() const noexcept { return unreadable_; }

 private:
  // random.shuffle(order) with CPython's algorithm.
  void shuffle() {
    for (std::size_t i = 0; i < order_.size(); ++i) order_[i] = i;
    for (std::size_t i = order_.size() - 1; i > 0; --i)
      std::swap(order_[i], order_[static_cast<std::size_t>(rng_.randbelow(i + 1))]);
  }

  telco_shift_options opt_;
  detail::python_random rng_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<std::string> header_;
  std::vector<std::size_t> order_;
  std::vector<std::string_view> current_;
  std::size_t contract_ = 0, label_ = 0;
  std::uint64_t position_ = 0, unreadable_ = 0;
};

}  // namespace riptide::synth
