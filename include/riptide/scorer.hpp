// riptide/scorer.hpp: batch scoring of new records with a trained pipeline (`riptide predict`).
//
// A scorer holds one thread's scratch over a pipeline that is not learning (typically one
// loaded from a snapshot) and scores records one at a time: each goes through the cleansing and
// encoding the model was trained with and comes back as an outcome (probability and predicted
// label), or quarantined with its reason. Nothing is lost: in() == predicted() + quarantined(),
// always, and the reasons are counted.
// Schema: an input column the pipeline was not trained with (pipeline::chain().input_columns(),
// kept by snapshots; names matched as the rules match them: exactly, then by text::column_key,
// so "Customer ID" is customerID) quarantines the record ("schema: column 'x' is unknown to the
// model"), unless options.ignore_extra_columns; a column the rules require and the input lacks
// quarantines every record with the chain's binding error; and a cleansed row that lacks a
// feature column the encoder was trained on is quarantined ("schema: column 'tenure' is missing
// (the model was trained with it)"), or has one it never saw (unless ignore_extra_columns). A
// pipeline that never learned a record checks nothing. Input schemas are known by address: call
// new_input() when the records of another reader follow.
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

#include "riptide/clean/text.hpp"
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
    if (record.columns != input_ || (input_ && input_->size() != input_size_))
      check_input(record.columns);
    if (!input_problem_.empty() && record.error == io::error_code::none) {
      last_.out = {};
      last_.out.status = clean::disposition::quarantined;
      last_.out.reason = input_problem_;
      return rejected();
    }
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

  /// Records of another reader follow (its schema may sit where the last one's did).
  void new_input() noexcept { input_ = nullptr; }

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
  // An input column the model was not trained with (matched as the rules match names: exactly,
  // then by text::column_key) is unknown to the model.
  void check_input(const io::schema* s) {
    input_ = s;
    input_size_ = s ? s->size() : 0;
    input_problem_.clear();
    const auto& trained = p_->chain().input_columns();
    if (!s || trained.empty() || options_.ignore_extra_columns) return;
    for (const auto& n : s->names()) {
      bool known = false;
      for (const auto& t : trained) known = known || t == n;
      if (!known) {
        const auto key = clean::text::column_key(n);
        for (const auto& t : trained) known = known || clean::text::column_key(t) == key;
      }
      if (!known) {
        input_problem_.append("schema: column '").append(n).append("' is unknown to the model");
        return;
      }
    }
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
  const io::schema* input_ = nullptr;              // the input schema checked last (by address)
  std::size_t input_size_ = 0;                     // its size then (a JSON Lines schema grows)
  std::string input_problem_;
  std::string schema_problem_;
  std::shared_ptr<const clean::columns> id_names_;
  std::string id_buffer_;  // a non-text id as text
  std::size_t id_position_ = static_cast<std::size_t>(-1);
  std::uint64_t in_ = 0, predicted_ = 0, quarantined_ = 0;
  std::map<std::string, std::uint64_t, std::less<>> reasons_;
};

}  // namespace riptide
