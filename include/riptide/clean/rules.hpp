// riptide/clean/rules.hpp: declarative cleansing rules: a JSON document that configures a chain
// without recompiling (presets are such documents, see preset.hpp and data/presets/).
//
//   {
//     "name": "example",                     optional
//     "description": "...",                  optional
//     "optional": ["Churn"],                 columns that may be absent from the input
//     "steps": [ {"op": "...", ...}, ... ],  the operators, in order (required)
//     "output": ["customer_id", ...],        output columns in order (default: all)
//     "label": "churn", "positive": "yes",   what the output rows mean to a learner (optional):
//     "id": "customer_id"                    the label column, its positive value, the id column
//   }
//
// Each step has "op" and that operator's parameters (see each operator's header for meaning and
// defaults); any step may carry a "name" used in error messages. "columns" is "*", one name, or
// an array of names.
//   {"op":"null_tokens", "columns", "tokens":[...], "case_insensitive":true, "trim":true}
//   {"op":"trim", "columns", "collapse_spaces":false, "repair":true}
//   {"op":"case", "columns", "to":"lower"|"upper", "repair":false}
//   {"op":"map", "columns", "values":{"from":"to",...}, "case_insensitive":false, "repair":false}
//   {"op":"cast", "columns", "to":"integer"|"real"|"boolean"|"text", "decimal":"auto"|"."|",",
//    "on_error":"quarantine"|"null"}
//   {"op":"boolean", "columns", "true":<scalar>, "false":<scalar>}
//   {"op":"bucket", "column", "into", "buckets":[{"max":12,"label":"..."},...], "otherwise"}
//   {"op":"rename", "map":{"from":"to",...}, "snake_case":false, "columns":"*"}
//   {"op":"drop_columns", "columns"}        {"op":"required", "columns"}
//   {"op":"drop_if_null", "columns":"*"}
//   {"op":"range", "column", "min", "max", "on_fail":"quarantine"|"clamp"|"null"|"flag"}
//   {"op":"allowed", "columns", "values":[...], "canonicalize":true}
//   {"op":"regex", "columns", "pattern", "max_length":4096}
//   {"op":"cross_check", "column", "factors":[...], "rel_tol":0.05, "abs_tol":0,
//    "on_fail":"flag"|"quarantine", "into":""}
//   {"op":"impute", "column", "strategy":"constant"|"mean"|"median", "value":<scalar>}
//   {"op":"dedup", "key":"*", "window":100000}
//
// Bad rules are configuration errors: load_rules throws clean::rules_error naming the source, the
// rule (1-based index, op, name) and the field: "rules.json: rule 3 (cast), field 'to': must be
// one of integer, real, boolean, text (got "flaot")". Unknown keys are errors too (typos must not
// pass silently).
//
// Example:
//   auto chain = riptide::clean::load_rules(
//       R"({"steps": [{"op": "trim"}, {"op": "cast", "columns": "n", "to": "integer"}]})");
//   if (chain.size() != 2) std::abort();
//   try {
//     riptide::clean::load_rules(R"({"steps": [{"op": "cast", "columns": "n", "to": "int3"}]})");
//     std::abort();
//   } catch (const riptide::clean::rules_error& e) {
//     if (std::string(e.what()).find("field 'to'") == std::string::npos) std::abort();
//   }
#pragma once

#include <simdjson.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "riptide/clean/allowed.hpp"
#include "riptide/clean/boolean.hpp"
#include "riptide/clean/bucket.hpp"
#include "riptide/clean/case_fold.hpp"
#include "riptide/clean/cast.hpp"
#include "riptide/clean/chain.hpp"
#include "riptide/clean/cross_check.hpp"
#include "riptide/clean/dedup.hpp"
#include "riptide/clean/drop_columns.hpp"
#include "riptide/clean/drop_if_null.hpp"
#include "riptide/clean/impute.hpp"
#include "riptide/clean/map_values.hpp"
#include "riptide/clean/null_tokens.hpp"
#include "riptide/clean/range_check.hpp"
#include "riptide/clean/regex_check.hpp"
#include "riptide/clean/rename.hpp"
#include "riptide/clean/required.hpp"
#include "riptide/clean/trim.hpp"

namespace riptide::clean {

/// A rules document that cannot configure a chain.
class rules_error : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

namespace detail {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

inline std::string json_quote(std::string_view s) {
  std::string out;
  std::string cut;
  text::excerpt(s, cut, 60);
  append_json_string(out, cut);
  return out;
}

// Reads one rule (a JSON object) for one operator, with messages naming rule and field.
class rule_reader {
 public:
  rule_reader(std::string where, object obj, std::initializer_list<std::string_view> keys)
      : where_(std::move(where)), obj_(obj) {
    for (const auto field : obj_) {
      const std::string_view key = field.key;
      bool known = key == "op" || key == "name";
      for (const auto k : keys) known = known || key == k;
      if (!known) {
        std::string list;
        for (const auto k : keys) list += (list.empty() ? "" : ", ") + std::string(k);
        throw rules_error(where_ + ": unknown field " + json_quote(key) +
                          " (this op takes: " + (list.empty() ? "no parameters" : list) + ")");
      }
    }
  }

  [[noreturn]] void fail(std::string_view field, const std::string& message) const {
    throw rules_error(where_ + ", field '" + std::string(field) + "': " + message);
  }

  std::optional<element> get(std::string_view key) const {
    element e;
    if (obj_[key].get(e) != simdjson::SUCCESS) return std::nullopt;
    return e;
  }
  element need(std::string_view key) const {
    auto e = get(key);
    if (!e) fail(key, "missing");
    return *e;
  }

  std::string string(std::string_view key, std::optional<std::string> fallback = {}) const {
    auto e = get(key);
    if (!e) {
      if (!fallback) fail(key, "missing");
      return *fallback;
    }
    std::string_view s;
    if (e->get(s) != simdjson::SUCCESS) fail(key, "must be a string");
    return std::string(s);
  }
  bool boolean(std::string_view key, bool fallback) const {
    auto e = get(key);
    if (!e) return fallback;
    bool b = false;
    if (e->get(b) != simdjson::SUCCESS) fail(key, "must be true or false");
    return b;
  }
  std::optional<double> number(std::string_view key) const {
    auto e = get(key);
    if (!e) return std::nullopt;
    return as_number(*e, key);
  }
  double as_number(element e, std::string_view key) const {
    double d = 0;
    if (e.type() == element_type::BOOL || e.get(d) != simdjson::SUCCESS)
      fail(key, "must be a number");
    return d;
  }
  std::vector<std::string> strings(std::string_view key, bool required,
                                   std::vector<std::string> fallback = {}) const {
    auto e = get(key);
    if (!e) {
      if (required) fail(key, "missing");
      return fallback;
    }
    std::vector<std::string> out;
    std::string_view s;
    if (e->get(s) == simdjson::SUCCESS) {
      out.emplace_back(s);
      return out;
    }
    simdjson::dom::array a;
    if (e->get(a) != simdjson::SUCCESS) fail(key, "must be a string or an array of strings");
    for (const auto item : a) {
      if (item.get(s) != simdjson::SUCCESS) fail(key, "must be a string or an array of strings");
      out.emplace_back(s);
    }
    if (out.empty() && required) fail(key, "must not be empty");
    return out;
  }
  column_list columns(std::string_view key, bool required) const {
    auto c = strings(key, required, {"*"});
    for (const auto& n : c)
      if (n.empty()) fail(key, "a column name is empty");
    return c;
  }
  std::vector<std::pair<std::string, std::string>> pairs(std::string_view key) const {
    auto e = get(key);
    if (!e) fail(key, "missing");
    object o;
    if (e->get(o) != simdjson::SUCCESS) fail(key, "must be an object of \"from\": \"to\" strings");
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto field : o) {
      std::string_view to;
      if (field.value.get(to) != simdjson::SUCCESS)
        fail(key, "the value of " + json_quote(field.key) + " must be a string");
      out.emplace_back(std::string(field.key), std::string(to));
    }
    return out;
  }
  value scalar(std::string_view key, value fallback) const {
    auto e = get(key);
    if (!e) return fallback;
    switch (e->type()) {
      case element_type::NULL_VALUE:
        return value{};
      case element_type::BOOL:
        return value::of_bool(bool(*e));
      case element_type::INT64:
        return value::of_int(std::int64_t(*e));
      case element_type::UINT64:
        return value::of_real(static_cast<double>(std::uint64_t(*e)));
      case element_type::DOUBLE:
        return value::of_real(double(*e));
      case element_type::STRING:
        return value::of_text(std::string_view(*e));
      default:
        fail(key, "must be a string, number, boolean or null");
    }
  }
  template <class E>
  E choice(std::string_view key, std::initializer_list<std::pair<std::string_view, E>> options,
           E fallback) const {
    auto e = get(key);
    if (!e) return fallback;
    std::string_view s;
    std::string list;
    for (const auto& [name, v] : options) list += (list.empty() ? "" : ", ") + std::string(name);
    if (e->get(s) != simdjson::SUCCESS) fail(key, "must be one of " + list);
    for (const auto& [name, v] : options)
      if (s == name) return v;
    fail(key, "must be one of " + list + " (got " + json_quote(s) + ")");
  }

 private:
  std::string where_;
  object obj_;
};

inline void add_step(chain& c, const std::string& where, std::string_view op, object o) {
  if (op == "null_tokens") {
    rule_reader r(where, o, {"columns", "tokens", "case_insensitive", "trim"});
    c.then(null_tokens{.columns = r.columns("columns", false),
                       .tokens = r.strings("tokens", false, default_null_tokens()),
                       .case_insensitive = r.boolean("case_insensitive", true),
                       .trim = r.boolean("trim", true)});
  } else if (op == "trim") {
    rule_reader r(where, o, {"columns", "collapse_spaces", "repair"});
    c.then(trim{.columns = r.columns("columns", false),
                .collapse_spaces = r.boolean("collapse_spaces", false),
                .repair = r.boolean("repair", true)});
  } else if (op == "case") {
    rule_reader r(where, o, {"columns", "to", "repair"});
    c.then(case_fold{
        .columns = r.columns("columns", false),
        .to = r.choice("to", {{"lower", letter_case::lower}, {"upper", letter_case::upper}},
                       letter_case::lower),
        .repair = r.boolean("repair", false)});
  } else if (op == "map") {
    rule_reader r(where, o, {"columns", "values", "case_insensitive", "repair"});
    c.then(map_values{.columns = r.columns("columns", false),
                      .mapping = r.pairs("values"),
                      .case_insensitive = r.boolean("case_insensitive", false),
                      .repair = r.boolean("repair", false)});
  } else if (op == "cast") {
    rule_reader r(where, o, {"columns", "to", "decimal", "on_error"});
    c.then(cast{
        .columns = r.columns("columns", true),
        .to = r.choice("to",
                       {{"integer", type::integer},
                        {"int", type::integer},
                        {"real", type::real},
                        {"double", type::real},
                        {"float", type::real},
                        {"boolean", type::boolean},
                        {"bool", type::boolean},
                        {"text", type::text},
                        {"string", type::text}},
                       type::real),
        .decimal = r.choice("decimal",
                            {{"auto", decimal_mark::automatic},
                             {".", decimal_mark::dot},
                             {",", decimal_mark::comma}},
                            decimal_mark::automatic),
        .on_error = r.choice("on_error",
                             {{"quarantine", cast_error::quarantine}, {"null", cast_error::null}},
                             cast_error::quarantine)});
  } else if (op == "boolean") {
    rule_reader r(where, o, {"columns", "true", "false"});
    boolean b{.columns = r.columns("columns", true)};
    b.true_value = r.scalar("true", b.true_value);
    b.false_value = r.scalar("false", b.false_value);
    if (b.true_value.is_null()) r.fail("true", "must not be null");
    if (b.false_value.is_null()) r.fail("false", "must not be null");
    if (b.true_value == b.false_value) r.fail("false", "must differ from 'true'");
    c.then(std::move(b));
  } else if (op == "bucket") {
    rule_reader r(where, o, {"column", "into", "buckets", "otherwise"});
    bucket b{.column = r.string("column"),
             .into = r.string("into"),
             .otherwise = r.string("otherwise", "")};
    if (b.into.empty()) r.fail("into", "must not be empty");
    simdjson::dom::array a;
    if (r.need("buckets").get(a) != simdjson::SUCCESS)
      r.fail("buckets", "must be an array of {\"max\": number, \"label\": string}");
    for (const auto item : a) {
      object bo;
      if (item.get(bo) != simdjson::SUCCESS)
        r.fail("buckets", "must be an array of {\"max\": number, \"label\": string}");
      rule_reader br(where + ", field 'buckets'", bo, {"max", "label"});
      const auto max = br.number("max");
      if (!max || !std::isfinite(*max)) br.fail("max", "missing or not a finite number");
      if (!b.buckets.empty() && *max <= b.buckets.back().first)
        br.fail("max", "bounds must increase");
      b.buckets.emplace_back(*max, br.string("label"));
    }
    if (b.buckets.empty()) r.fail("buckets", "must not be empty");
    c.then(std::move(b));
  } else if (op == "rename") {
    rule_reader r(where, o, {"map", "snake_case", "columns"});
    rename rn{.snake_case = r.boolean("snake_case", false), .columns = r.columns("columns", false)};
    if (r.get("map")) rn.mapping = r.pairs("map");
    for (const auto& [from, to] : rn.mapping)
      if (to.empty()) r.fail("map", "the new name of " + json_quote(from) + " is empty");
    if (rn.mapping.empty() && !rn.snake_case) r.fail("map", "missing (or set snake_case)");
    c.then(std::move(rn));
  } else if (op == "drop_columns") {
    rule_reader r(where, o, {"columns"});
    c.then(drop_columns{.columns = r.columns("columns", true)});
  } else if (op == "required") {
    rule_reader r(where, o, {"columns"});
    c.then(required{.columns = r.columns("columns", true)});
  } else if (op == "drop_if_null") {
    rule_reader r(where, o, {"columns"});
    c.then(drop_if_null{.columns = r.columns("columns", false)});
  } else if (op == "range") {
    rule_reader r(where, o, {"column", "min", "max", "on_fail"});
    range_check rc{.column = r.string("column"), .min = r.number("min"), .max = r.number("max")};
    if (!rc.min && !rc.max) r.fail("min", "give min, max or both");
    if (rc.min && rc.max && *rc.min > *rc.max) r.fail("max", "is below min");
    rc.on_fail = r.choice("on_fail",
                          {{"quarantine", range_action::quarantine},
                           {"clamp", range_action::clamp},
                           {"null", range_action::null},
                           {"flag", range_action::flag}},
                          range_action::quarantine);
    c.then(std::move(rc));
  } else if (op == "allowed") {
    rule_reader r(where, o, {"columns", "values", "canonicalize"});
    c.then(allowed{.columns = r.columns("columns", true),
                   .values = r.strings("values", true),
                   .canonicalize = r.boolean("canonicalize", true)});
  } else if (op == "regex") {
    rule_reader r(where, o, {"columns", "pattern", "max_length"});
    regex_check rc{.columns = r.columns("columns", true), .pattern = r.string("pattern")};
    if (const auto error = regex_error_of(rc.pattern); !error.empty())
      r.fail("pattern", "invalid regular expression: " + error);
    if (const auto m = r.number("max_length")) {
      if (!(*m >= 1 && *m <= 1e6)) r.fail("max_length", "must be between 1 and 1000000");
      rc.max_length = static_cast<std::size_t>(*m);
    }
    c.then(std::move(rc));
  } else if (op == "cross_check") {
    rule_reader r(where, o, {"column", "factors", "rel_tol", "abs_tol", "on_fail", "into"});
    cross_check cc{.column = r.string("column"), .factors = r.strings("factors", true)};
    if (const auto t = r.number("rel_tol")) cc.rel_tol = *t;
    if (const auto t = r.number("abs_tol")) cc.abs_tol = *t;
    if (!(cc.rel_tol >= 0) || !std::isfinite(cc.rel_tol)) r.fail("rel_tol", "must be >= 0");
    if (!(cc.abs_tol >= 0) || !std::isfinite(cc.abs_tol)) r.fail("abs_tol", "must be >= 0");
    cc.on_fail = r.choice("on_fail",
                          {{"flag", cross_action::flag}, {"quarantine", cross_action::quarantine}},
                          cross_action::flag);
    cc.into = r.string("into", "");
    c.then(std::move(cc));
  } else if (op == "impute") {
    rule_reader r(where, o, {"column", "strategy", "value"});
    impute im{.column = r.string("column")};
    im.strategy = r.choice("strategy",
                           {{"constant", impute_strategy::constant},
                            {"mean", impute_strategy::mean},
                            {"median", impute_strategy::median}},
                           impute_strategy::mean);
    im.constant = r.scalar("value", value{});
    if (im.strategy == impute_strategy::constant && im.constant.is_null())
      r.fail("value", "missing (strategy constant)");
    c.then(std::move(im));
  } else if (op == "dedup") {
    rule_reader r(where, o, {"key", "window"});
    dedup d{.key = r.columns("key", false)};
    if (const auto w = r.number("window")) {
      if (!(*w >= 1 && *w <= 1e8)) r.fail("window", "must be between 1 and 100000000");
      d.window = static_cast<std::size_t>(*w);
    }
    c.then(std::move(d));
  } else {
    throw rules_error(where + ", field 'op': unknown op " + json_quote(op) +
                      " (known: null_tokens, trim, case, map, cast, boolean, bucket, rename, "
                      "drop_columns, required, drop_if_null, range, allowed, regex, cross_check, "
                      "impute, dedup)");
  }
}

}  // namespace detail

/// Builds a chain from a rules document; `source` names it in error messages.
inline chain load_rules(std::string_view json, std::string_view source = "rules") {
  const std::string src(source);
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(json);
  simdjson::dom::element doc;
  if (const auto err = parser.parse(padded).get(doc))
    throw rules_error(src + ": not valid JSON (" + simdjson::error_message(err) + ")");
  simdjson::dom::object root;
  if (doc.get(root) != simdjson::SUCCESS) throw rules_error(src + ": must be a JSON object");
  detail::rule_reader top(
      src, root, {"description", "optional", "steps", "output", "label", "positive", "id"});
  chain c;
  c.name(top.string("name", ""));
  c.binding({.label = top.string("label", ""),
             .positive = top.string("positive", ""),
             .id = top.string("id", "")});
  for (auto& o : top.strings("optional", false)) c.optional(std::move(o));
  c.output(top.strings("output", false));
  simdjson::dom::array steps;
  if (top.need("steps").get(steps) != simdjson::SUCCESS)
    top.fail("steps", "must be an array of rules");
  std::size_t index = 0;
  for (const auto item : steps) {
    ++index;
    std::string where = src + ": rule " + std::to_string(index);
    simdjson::dom::object o;
    if (item.get(o) != simdjson::SUCCESS) throw rules_error(where + ": must be a JSON object");
    std::string_view op;
    if (o["op"].get(op) != simdjson::SUCCESS)
      throw rules_error(where + ", field 'op': missing or not a string");
    where += " (" + std::string(op);
    std::string_view name;
    if (o["name"].get(name) == simdjson::SUCCESS) where += " '" + std::string(name) + "'";
    where += ")";
    detail::add_step(c, where, op, o);
  }
  return c;
}

/// Reads and loads a rules file.
inline chain load_rules_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw rules_error(path + ": cannot open the rules file");
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  return load_rules(text, path);
}

}  // namespace riptide::clean
