// riptide/clean/infer.hpp: the generic cleansing chain for datasets without rules, built from what
// a sample of the data looks like.
//
// clean::inference reads good records (a sample: the first N of a file) and decides per column,
// tolerating a little mess (so a few bad values do not change a column's type):
//   boolean      >= 99% of the non-null values are boolean spellings (yes/no, true/false, y/n,
//                t/f, on/off, 1/0) and there are two canonical spellings: the most frequent true
//                and false spellings ("Yes"/"No", 1/0, true/false) are written for every spelling;
//   integer/real >= 95% of the non-null values are numbers by parse_number (locale-tolerant);
//                integer when every such number is whole. never_negative: <= 5% negative
//                values, then a negative one is quarantined as out of range;
//   categorical  text with at most `max_categories` distinct values (ignoring case and spaces),
//                each seen twice on average: every spelling of a category is rewritten to its
//                most frequent one ("YES" -> "Yes"); unseen categories pass;
//   text         anything else.
// make_chain(): trim (Unicode spaces, invisible characters, inner runs collapsed) -> null tokens
// -> booleans -> casts (unreadable numbers quarantined) -> never-negative checks -> category
// spellings -> de-duplication of whole records. Nulls are kept (no rules say they are wrong).
//
// Example:
//   riptide::io::schema s({"n", "flag"});
//   std::vector<riptide::io::field> f = {{"1,5"}, {"Yes"}, {"2"}, {"no"}, {"3"}, {"No"}};
//   riptide::clean::inference inf;
//   for (int i = 0; i < 3; ++i) {
//     riptide::io::record_view r;
//     r.columns = &s;
//     r.fields = {f.data() + 2 * i, 2};
//     inf.add(r);
//   }
//   auto chain = inf.make_chain();
//   riptide::io::record_view r;
//   r.columns = &s;
//   r.fields = {f.data(), 2};
//   if (chain.process(r).values[0].as_real() != 1.5) std::abort();
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "riptide/clean/boolean.hpp"
#include "riptide/clean/cast.hpp"
#include "riptide/clean/chain.hpp"
#include "riptide/clean/dedup.hpp"
#include "riptide/clean/map_values.hpp"
#include "riptide/clean/null_tokens.hpp"
#include "riptide/clean/number.hpp"
#include "riptide/clean/range_check.hpp"
#include "riptide/clean/trim.hpp"
#include "riptide/io/record.hpp"

namespace riptide::clean {

enum class column_kind : std::uint8_t { empty, boolean, integer, real, categorical, text };

inline constexpr std::string_view to_string(column_kind k) noexcept {
  switch (k) {
    case column_kind::empty:
      return "empty";
    case column_kind::boolean:
      return "boolean";
    case column_kind::integer:
      return "integer";
    case column_kind::real:
      return "real";
    case column_kind::categorical:
      return "categorical";
    case column_kind::text:
      return "text";
  }
  return "unknown";
}

struct inferred_column {
  std::string name;
  column_kind kind = column_kind::empty;
  bool never_negative = false;
  value true_value, false_value;        // boolean columns
  std::vector<std::string> categories;  // categorical columns: the canonical spellings
};

class inference {
 public:
  explicit inference(std::size_t max_categories = 50) : max_categories_(max_categories) {}

  /// Adds a record of the sample (error records are ignored).
  void add(const io::record_view& r) {
    if (!r.ok() || r.columns == nullptr) return;
    if (cols_.size() < r.columns->size()) cols_.resize(r.columns->size());
    for (std::size_t i = 0; i < r.columns->size(); ++i) {
      auto& c = cols_[i];
      c.name = r.columns->name(i);
      const auto f = r[i];
      if (f.kind == io::field_kind::missing || f.kind == io::field_kind::null) continue;
      char number[32];  // a JSON number's text (io::text_of)
      text::clean_spaces(io::text_of(f, number), scratch_, true);
      const std::string_view t = scratch_;
      if (t.empty() || is_null(t)) continue;
      ++c.values;
      const auto n = parse_number(t);
      if (n.status == number_status::ok) {
        ++c.numbers;
        c.whole += n.integral;
        c.negative += n.value < 0;
      }
      if (const auto b = parse_bool(t)) {
        ++c.booleans;
        auto& spellings = *b ? c.true_spellings : c.false_spellings;
        if (spellings.size() < 32 || spellings.count(std::string(t))) ++spellings[std::string(t)];
      }
      if (!c.too_many) {
        auto& by_key = c.categories[text::lower(t)];
        ++by_key[std::string(t)];
        if (c.categories.size() > max_categories_) {
          c.too_many = true;
          c.categories.clear();
        }
      }
    }
  }

  std::vector<inferred_column> columns() const {
    std::vector<inferred_column> out;
    for (const auto& c : cols_) {
      inferred_column k;
      k.name = c.name;
      const double n = static_cast<double>(c.values);
      if (c.values == 0) {
        k.kind = column_kind::empty;
      } else if (c.booleans >= 0.99 * n && !c.true_spellings.empty() &&
                 !c.false_spellings.empty() && (c.numbers < 0.95 * n || only_zero_one(c))) {
        k.kind = column_kind::boolean;
        k.true_value = spelling_value(most_frequent(c.true_spellings));
        k.false_value = spelling_value(most_frequent(c.false_spellings));
        if (k.true_value == k.false_value) k.kind = column_kind::text;
      } else if (c.numbers >= 0.95 * n) {
        k.kind = c.whole == c.numbers ? column_kind::integer : column_kind::real;
        // as with the 95% rule for types: errors are the rare values, so a column whose negatives
        // are at most 1 in 20 is never negative (1% was too tight for short samples of messy data)
        k.never_negative = static_cast<double>(c.negative) <= 0.05 * static_cast<double>(c.numbers);
      } else if (!c.too_many && n >= 2.0 * static_cast<double>(c.categories.size())) {
        k.kind = column_kind::categorical;
        for (const auto& [key, spellings] : c.categories)
          k.categories.push_back(most_frequent(spellings));
      } else {
        k.kind = column_kind::text;
      }
      out.push_back(std::move(k));
    }
    return out;
  }

  /// The generic chain for the columns seen (see the top of this file).
  chain make_chain() const {
    chain c;
    c.name("generic");
    c.then(trim{.collapse_spaces = true});
    c.then(null_tokens{});
    for (const auto& k : columns()) {
      switch (k.kind) {
        case column_kind::boolean:
          c.then(boolean{
              .columns = {k.name}, .true_value = k.true_value, .false_value = k.false_value});
          break;
        case column_kind::integer:
        case column_kind::real:
          c.then(cast{.columns = {k.name},
                      .to = k.kind == column_kind::integer ? type::integer : type::real});
          if (k.never_negative) c.then(range_check{.column = k.name, .min = 0.0});
          break;
        case column_kind::categorical: {
          map_values m{.columns = {k.name}, .case_insensitive = true, .repair = true};
          for (const auto& s : k.categories) m.mapping.emplace_back(s, s);
          c.then(std::move(m));
          break;
        }
        default:
          break;
      }
    }
    c.then(dedup{});
    return c;
  }

 private:
  struct stats {
    std::string name;
    std::uint64_t values = 0, numbers = 0, whole = 0, negative = 0, booleans = 0;
    std::map<std::string, std::uint64_t> true_spellings, false_spellings;
    std::map<std::string, std::map<std::string, std::uint64_t>> categories;
    bool too_many = false;
  };

  static bool is_null(std::string_view t) {
    for (const auto& token : default_null_tokens())
      if (text::iequals(t, token)) return true;
    return false;
  }
  static bool only_zero_one(const stats& c) {
    for (const auto& m : {c.true_spellings, c.false_spellings})
      for (const auto& [s, n] : m)
        if (parse_number(s).status == number_status::ok && s != "0" && s != "1") return false;
    return true;
  }
  static std::string most_frequent(const std::map<std::string, std::uint64_t>& m) {
    std::string best;
    std::uint64_t count = 0;
    for (const auto& [s, n] : m)
      if (n > count) best = s, count = n;
    return best;
  }
  static value spelling_value(const std::string& s) {
    if (s == "1") return value::of_int(1);
    if (s == "0") return value::of_int(0);
    if (s == "true") return value::of_bool(true);
    if (s == "false") return value::of_bool(false);
    return value::of_text(s);
  }

  std::size_t max_categories_;
  std::vector<stats> cols_;
  std::string scratch_;
};

}  // namespace riptide::clean
