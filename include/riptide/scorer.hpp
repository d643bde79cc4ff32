// riptide/scorer.hpp: batch scoring of new records with a trained pipeline (`riptide predict`).
//
// A scorer holds one thread's scratch over a pipeline that is not learning (typically one
// loaded from a snapshot) and scores records one at a time: each goes through the cleansing and
// encoding the model was trained with and comes back as an outcome (probability and predicted
// label), or quarantined with its reason. Nothing is lost: in() == predicted() + quarantined(),
// always, and the reasons are counted.
// Schema: the cleansed rows' columns are checked against the columns the encoder was trained on,
// once per output schema: a row that lacks a trained feature column is quarantined ("schema:
// column 'tenure' is missing (the model was trained with it)"), and so is one with a column the
// model never saw ("schema: column 'x' is unknown to the model"), unless
// options.ignore_extra_columns. Input columns are matched by the cleansing chain (rules bind
// "Customer ID" to customerID); a column the rules require and the input lacks quarantines every
// record with the chain's binding error. A pipeline that never learned a record checks nothing.
// Parameters (defaults): ignore_extra_columns (false), threshold (0.5: label = probability >=
// threshold).
//
// Example:
//   riptide::pipeline p{{.preset = "telco", .model = {.lr = 0.05}}};
//   for (const auto& r : riptide::io::read_csv("data/telco_customer_churn_train_data.csv"))
//     p.predict_then_learn(r);
//   riptide::scorer s{p};
//   for (const auto& r : riptide::io::read_csv("data/telco_customer_churn_score_data.csv")) {
//     const auto& got = s.score(r);
//     if (got.out.ok() && got.id.empty()) std::abort();  // telco rows have a customer id
//   }
//   if (s.in() != 411 || s.predicted() + s.quarantined() != s.in()) std::abort();
#pragma once

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "riptide/io/record.hpp"
#include "riptide/pipeline.hpp"

namespace riptide {

struct scorer_options {
  bool ignore_extra_columns = false;
  float threshold = 0.5f;
};

class scorer {
 public:
  /// What became of one record: the outcome (its label field is not read: scoring needs no
  /// label), the predicted label, the id's text (valid until the next call).
  struct scored {
    outcome out;
    bool label = false;
    std::string_view id;
  };

  explicit scorer(const pipeline& p, scorer_options options = {})
      : p_(&p), scratch_(p.make_scratch()), options_(options) {}

  /// Scores one record.
  const scored& score(const io::record_view& record) {
    ++in_;
    last_.id = {};
    last_.label = false;
    const clean::row& row = scratch_.chain.process(record);
    if (row.status != clean::disposition::clean && row.status != clean::disposition::repaired) {
      last_.out = {};
      last_.out.status = row.status;
      last_.out.reason = row.reason;
      return rejected();
    }
    if (row.names != checked_) check_schema(row);
    if (!schema_problem_.empty()) {
      last_.out = {};
      last_.out.status = clean::disposition::quarantined;
      last_.out.reason = schema_problem_;
      return rejected();
    }
    last_.out.status = row.status;
    last_.out.reason.clear();
    last_.out.label.reset();
    last_.out.probability = p_->probability(row, scratch_);
    last_.label = last_.out.probability >= options_.threshold;
    if (row.names != id_names_) locate_id(row);
    if (id_position_ < row.values.size()) {
      const value& v = row.values[id_position_];
      if (v.is_text()) {
        last_.id = v.as_text();
      } else {
        id_buffer_ = text_of(v);
        last_.id = id_buffer_;
      }
    }
    ++predicted_;
    return last_;
  }

  std::uint64_t in() const noexcept { return in_; }
  std::uint64_t predicted() const noexcept { return predicted_; }
  std::uint64_t quarantined() const noexcept { return quarantined_; }
  /// Quarantined records by reason.
  const std::map<std::string, std::uint64_t, std::less<>>& reasons() const noexcept {
    return reasons_;
  }

 private:
  static std::string text_of(const value& v) {
    if (v.is_text()) return std::string(v.as_text());
    if (v.is_bool()) return v.as_bool() ? "true" : "false";
    if (v.type() == value::kind::integer) return std::to_string(v.as_int());
    if (v.is_number()) {
      char buf[32];
      const auto r = std::to_chars(buf, buf + sizeof buf, v.as_number());
      return {buf, r.ptr};
    }
    return {};
  }
  const scored& rejected() {
    ++quarantined_;
    auto it = reasons_.find(last_.out.reason);
    if (it == reasons_.end()) it = reasons_.emplace(last_.out.reason, 0).first;
    ++it->second;
    return last_;
  }
  void locate_id(const clean::row& row) {
    id_names_ = row.names;
    id_position_ = static_cast<std::size_t>(-1);
    const auto& id = p_->config().id;
    if (id.empty() || !row.names) return;
    for (std::size_t i = 0; i < row.names->size(); ++i)
      if (row.names->names[i] == id) id_position_ = i;
  }
  void check_schema(const clean::row& row) {
    checked_ = row.names;
    schema_problem_.clear();
    if (!row.names) return;
    const auto& names = row.names->names;
    const auto has = [&](std::string_view n) {
      return std::find(names.begin(), names.end(), n) != names.end();
    };
    p_->encoder().each_column([&](std::string_view name, features::column_kind kind) {
      if (schema_problem_.empty() && kind != features::column_kind::ignore && !has(name))
        schema_problem_.append("schema: column '")
            .append(name)
            .append("' is missing (the model was trained with it)");
    });
    if (!schema_problem_.empty() || options_.ignore_extra_columns) return;
    std::size_t trained = 0;
    p_->encoder().each_column([&](std::string_view, features::column_kind) { ++trained; });
    if (trained == 0) return;
    for (const auto& n : names) {
      bool known = false;
      p_->encoder().each_column(
          [&](std::string_view name, features::column_kind) { known = known || name == n; });
      if (!known) {
        schema_problem_.append("schema: column '").append(n).append("' is unknown to the model");
        return;
      }
    }
  }

  const pipeline* p_;
  pipeline::scratch scratch_;
  scorer_options options_;
  scored last_;
  std::shared_ptr<const clean::columns> checked_;  // the output schema checked last
  std::string schema_problem_;
  std::shared_ptr<const clean::columns> id_names_;
  std::string id_buffer_;  // a non-text id as text
  std::size_t id_position_ = static_cast<std::size_t>(-1);
  std::uint64_t in_ = 0, predicted_ = 0, quarantined_ = 0;
  std::map<std::string, std::uint64_t, std::less<>> reasons_;
};

}  // namespace riptide
