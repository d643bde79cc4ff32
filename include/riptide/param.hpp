// riptide/param.hpp: the parameters of an options struct, declared once beside it, so that
// command-line flags and their help, reports, snapshot metadata and model descriptions all derive
// from one declaration (name, member, one-line doc, range, aliases, allowed texts) instead of
// repeating defaults in help strings.
//
// Declaring. An options struct O declares its parameters with a constexpr function returning
// riptide::declare_params(component, riptide::param{...}, ...), either
//   - a free function `constexpr auto parameters(std::type_identity<O>)` in O's namespace, right
//     after the struct (found by argument-dependent lookup; works for structs one cannot edit), or
//   - a static member function `static constexpr auto parameters()` of O.
// Each riptide::param{name, &O::member, doc} names one member (River's snake_case name) and may
// be refined: .above(x) / .at_least(x) / .below(x) / .at_most(x) / .within(lo, hi) (a numeric
// range, checked when set from text), .alias("other") (another accepted name), .choice("text",
// value) (the allowed texts of an enum-like parameter; for a std::string member the allowed
// values). Member types: bool ("flag"), integers ("integer"), floating point ("number"),
// std::string and enums with choices ("text"), and std::optional of a number or integer (unset
// reads and prints as "none").
//
// Using, for any O that declares (riptide::declares_params<O>):
//   set_param(o, name, text)      one parameter from text; '-' in names reads as '_', aliases
//                                 accepted; std::invalid_argument naming component, parameter
//                                 and text for an unknown name (listing the known ones), a
//                                 non-number, a non-integer or one outside the member's type, a
//                                 flag that is not true/false/1/0, a text not allowed, a value
//                                 outside the declared range
//   describe_params<O>()          {name, type, default as text, range, doc, aliases, choices}
//                                 per parameter, from a default-constructed O
//   visit_params(o, f)            f(name, value) per parameter with its current value as a
//   effective_params(o)           param_value (integers as std::int64_t / std::uint64_t, numbers
//                                 as double, flags as bool, texts as std::string, unset as
//                                 std::monostate), ready for JSON; or all of them as a vector
//   to_text(value)                a param_value as text (shortest round-trip numbers)
//   set_params(o, texts)          several at once from a name -> text map (param_texts),
//                                 refusing one parameter given under two spellings;
//                                 parse_param_assignment(s) reads "NAME=VALUE" texts into one
// Cross-parameter rules (EDDM's alpha >= beta) stay with the component's constructor.
//
// Example:
//   struct blur_options {
//     double radius = 1.5;
//     int passes = 2;
//     bool wrap = false;
//     static constexpr auto parameters() {
//       return riptide::declare_params(
//           "blur", riptide::param{"radius", &blur_options::radius, "kernel radius"}.above(0),
//           riptide::param{"passes", &blur_options::passes, "times applied"}.at_least(1),
//           riptide::param{"wrap", &blur_options::wrap, "wrap at the edges"}.alias("cyclic"));
//     }
//   };
//   blur_options o;
//   riptide::set_param(o, "passes", "3");
//   riptide::set_param(o, "cyclic", "true");
//   if (o.passes != 3 || !o.wrap) std::abort();
//   bool refused = false;
//   try { riptide::set_param(o, "radius", "-1"); } catch (const std::invalid_argument&) {
//     refused = true;  // "blur radius: must be > 0, got '-1'"
//   }
//   if (!refused) std::abort();
//   const auto described = riptide::describe_params<blur_options>();
//   if (described[0].default_text != "1.5" || described[1].type != "integer") std::abort();
//   if (std::get<std::int64_t>(riptide::effective_params(o)[1].second) != 3) std::abort();
#pragma once

#include <array>
#include <charconv>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace riptide {

/// A numeric range; an unbounded side is infinite. Open sides exclude their end.
struct param_range {
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool min_open = false;
  bool max_open = false;

  constexpr bool has_min() const noexcept { return min > -std::numeric_limits<double>::infinity(); }
  constexpr bool has_max() const noexcept { return max < std::numeric_limits<double>::infinity(); }
  constexpr bool bounded() const noexcept { return has_min() || has_max(); }
  constexpr bool contains(double x) const noexcept {
    if (has_min() && (min_open ? !(x > min) : !(x >= min))) return false;
    if (has_max() && (max_open ? !(x < max) : !(x <= max))) return false;
    return true;
  }
  /// "" (unbounded), "> 0", ">= 1", "< 1", "<= 1", "[0, 1]", "(0, 1]", ...
  std::string to_string() const;
};

/// A parameter's value as a caller would serialise it.
using param_value =
    std::variant<std::monostate, bool, std::int64_t, std::uint64_t, double, std::string>;

/// Name and value of each parameter, in declaration order.
using param_values = std::vector<std::pair<std::string, param_value>>;

/// Shortest round-trip text of a double ("0.002", "50", "1e-07").
inline std::string number_to_text(double x) {
  char buffer[32];
  const auto r = std::to_chars(buffer, buffer + sizeof buffer, x);
  return std::string(buffer, r.ptr);
}

/// A param_value as text: "none", "true"/"false", integers, shortest round-trip numbers, texts.
inline std::string to_text(const param_value& v) {
  struct {
    std::string operator()(std::monostate) const { return "none"; }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(std::int64_t i) const { return std::to_string(i); }
    std::string operator()(std::uint64_t u) const { return std::to_string(u); }
    std::string operator()(double d) const { return number_to_text(d); }
    std::string operator()(const std::string& s) const { return s; }
  } visitor;
  return std::visit(visitor, v);
}

inline std::string param_range::to_string() const {
  if (has_min() && has_max())
    return std::string(min_open ? "(" : "[") + number_to_text(min) + ", " + number_to_text(max) +
           (max_open ? ")" : "]");
  if (has_min()) return std::string(min_open ? "> " : ">= ") + number_to_text(min);
  if (has_max()) return std::string(max_open ? "< " : "<= ") + number_to_text(max);
  return {};
}

/// The most aliases and allowed texts one parameter can declare.
inline constexpr std::size_t max_param_aliases = 3;
inline constexpr std::size_t max_param_choices = 8;

/// One declared parameter: member `member` of Options, called `name`.
template <class Options, class T>
struct param {
  using options_type = Options;
  using value_type = T;
  // Enum members map each allowed text to a value; other members only list texts.
  using choice_value = std::conditional_t<std::is_enum_v<T>, T, unsigned char>;

  std::string_view name;
  T Options::*member;
  std::string_view doc;
  param_range range{};
  std::array<std::string_view, max_param_aliases> aliases{};
  std::array<std::string_view, max_param_choices> choice_texts{};
  std::array<choice_value, max_param_choices> choice_values{};
  std::size_t alias_count = 0;
  std::size_t choice_count = 0;

  constexpr param(std::string_view n, T Options::*m, std::string_view d)
      : name(n), member(m), doc(d) {}

  /// Numeric ranges, checked when the parameter is set from text.
  constexpr param above(double x) const { return with_min(x, true); }
  constexpr param at_least(double x) const { return with_min(x, false); }
  constexpr param below(double x) const { return with_max(x, true); }
  constexpr param at_most(double x) const { return with_max(x, false); }
  constexpr param within(double lo, double hi) const { return at_least(lo).at_most(hi); }

  /// Another name this parameter is read under (reported under `name`).
  constexpr param alias(std::string_view other) const {
    param p = *this;
    if (p.alias_count == max_param_aliases) throw std::length_error("too many aliases");
    p.aliases[p.alias_count++] = other;
    return p;
  }
  /// An allowed text and, for an enum member, the value it stands for.
  constexpr param choice(std::string_view text, choice_value value = {}) const {
    param p = *this;
    if (p.choice_count == max_param_choices) throw std::length_error("too many choices");
    p.choice_texts[p.choice_count] = text;
    p.choice_values[p.choice_count++] = value;
    return p;
  }

  constexpr bool named(std::string_view n) const noexcept {
    if (n == name) return true;
    for (std::size_t i = 0; i < alias_count; ++i)
      if (n == aliases[i]) return true;
    return false;
  }

 private:
  constexpr param with_min(double x, bool open) const {
    param p = *this;
    p.range.min = x;
    p.range.min_open = open;
    return p;
  }
  constexpr param with_max(double x, bool open) const {
    param p = *this;
    p.range.max = x;
    p.range.max_open = open;
    return p;
  }
};

/// A component's declared parameters: its name (for messages) and the params, in order.
template <class Options, class... Ts>
struct param_list {
  std::string_view component;
  std::tuple<param<Options, Ts>...> params;
};

/// What an options struct's `parameters` declaration returns.
template <class Options, class... Ts>
constexpr param_list<Options, Ts...> declare_params(std::string_view component,
                                                    param<Options, Ts>... params) {
  return {component, std::tuple<param<Options, Ts>...>{params...}};
}

namespace param_detail {

void parameters() = delete;  // makes `parameters(...)` below an ADL call whatever else is in scope

template <class O>
concept member_declared = requires {
  {O::parameters()};
};
template <class O>
concept adl_declared = requires {
  {parameters(std::type_identity<O>{})};
};

template <class T>
struct is_optional : std::false_type {};
template <class U>
struct is_optional<std::optional<U>> : std::true_type {};

template <class T>
constexpr std::string_view type_name() {
  if constexpr (is_optional<T>::value)
    return type_name<typename T::value_type>();
  else if constexpr (std::same_as<T, bool>)
    return "flag";
  else if constexpr (std::integral<T>)
    return "integer";
  else if constexpr (std::floating_point<T>)
    return "number";
  else
    return "text";  // std::string, enums
}

inline std::string join(const std::vector<std::string>& items, std::string_view last_sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? last_sep : std::string_view(", ");
    out += items[i];
  }
  return out;
}

inline std::string_view trim(std::string_view t) noexcept {
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\r'))
    t.remove_suffix(1);
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
  return t;
}

// A finite decimal number (std::from_chars syntax, a leading '+' allowed, spaces around ignored).
inline std::optional<double> parse_number(std::string_view t) noexcept {
  t = trim(t);
  if (!t.empty() && t.front() == '+') t.remove_prefix(1);
  if (t.empty()) return std::nullopt;
  double x = 0.0;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), x);
  if (ec != std::errc{} || end != t.data() + t.size() || !std::isfinite(x)) return std::nullopt;
  return x;
}

// An integer of type I: exact digits, or a number with an integral value up to 2^53 ("1e3").
template <std::integral I>
std::optional<I> parse_integer(std::string_view t) noexcept {
  t = trim(t);
  std::string_view digits = t;
  if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
  I i{};
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), i);
  if (!digits.empty() && ec == std::errc{} && end == digits.data() + digits.size()) return i;
  const auto x = parse_number(t);
  if (!x || *x != std::floor(*x) || std::fabs(*x) > 0x1p53 ||
      *x < static_cast<double>(std::numeric_limits<I>::min()) ||
      *x > static_cast<double>(std::numeric_limits<I>::max()))
    return std::nullopt;
  return static_cast<I>(*x);
}

template <class O, class T>
std::string where(std::string_view component, const param<O, T>& p) {
  return std::string(component) + " " + std::string(p.name) + ": ";
}

template <class O, class T>
std::vector<std::string> choice_list(const param<O, T>& p) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < p.choice_count; ++i) out.emplace_back(p.choice_texts[i]);
  return out;
}

template <class O, class T>
void check_range(std::string_view component, const param<O, T>& p, double x,
                 std::string_view text) {
  if (!p.range.contains(x))
    throw std::invalid_argument(where(component, p) + "must be " +
                                (p.range.has_min() && p.range.has_max() ? "in " : "") +
                                p.range.to_string() + ", got '" + std::string(text) + "'");
}

// Parses `text` as a value of member type V (V is T, or T's value_type for an optional).
template <class V, class O, class T>
V parse_value(std::string_view component, const param<O, T>& p, std::string_view text) {
  if constexpr (std::same_as<V, bool>) {
    const std::string_view t = trim(text);
    if (t == "true" || t == "1") return true;
    if (t == "false" || t == "0") return false;
    throw std::invalid_argument(where(component, p) + "expected true, false, 1 or 0, got '" +
                                std::string(text) + "'");
  } else if constexpr (std::integral<V>) {
    const auto i = parse_integer<V>(text);
    if (!i)
      throw std::invalid_argument(where(component, p) + "expected an integer from " +
                                  std::to_string(std::numeric_limits<V>::min()) + " to " +
                                  std::to_string(std::numeric_limits<V>::max()) + ", got '" +
                                  std::string(text) + "'");
    check_range(component, p, static_cast<double>(*i), text);
    return *i;
  } else if constexpr (std::floating_point<V>) {
    const auto x = parse_number(text);
    if (!x)
      throw std::invalid_argument(where(component, p) + "'" + std::string(text) +
                                  "' is not a finite number");
    if (std::fabs(*x) > static_cast<double>(std::numeric_limits<V>::max()))
      throw std::invalid_argument(where(component, p) + "'" + std::string(text) +
                                  "' is too large for this parameter");
    check_range(component, p, *x, text);
    return static_cast<V>(*x);
  } else {
    static_assert(std::same_as<V, std::string> || std::is_enum_v<V>,
                  "riptide::param: member types are bool, integers, floating point, std::string, "
                  "enums (with choices) and std::optional of a number");
    for (std::size_t i = 0; i < p.choice_count; ++i) {
      if (p.choice_texts[i] != text) continue;
      if constexpr (std::is_enum_v<V>)
        return p.choice_values[i];
      else
        return std::string(text);
    }
    if constexpr (std::is_enum_v<V>) {
      throw std::invalid_argument(where(component, p) + "expected " + join(choice_list(p), " or ") +
                                  ", got '" + std::string(text) + "'");
    } else {
      if (p.choice_count > 0)
        throw std::invalid_argument(where(component, p) + "expected " +
                                    join(choice_list(p), " or ") + ", got '" + std::string(text) +
                                    "'");
      return std::string(text);
    }
  }
}

template <class V, class O, class T>
param_value value_of(const param<O, T>& p, const V& v) {
  if constexpr (is_optional<V>::value) {
    if (!v) return std::monostate{};
    return value_of<typename V::value_type>(p, *v);
  } else if constexpr (std::same_as<V, bool>) {
    return v;
  } else if constexpr (std::signed_integral<V>) {
    return static_cast<std::int64_t>(v);
  } else if constexpr (std::unsigned_integral<V>) {
    return static_cast<std::uint64_t>(v);
  } else if constexpr (std::floating_point<V>) {
    return static_cast<double>(v);
  } else if constexpr (std::is_enum_v<V>) {
    for (std::size_t i = 0; i < p.choice_count; ++i)
      if (p.choice_values[i] == v) return std::string(p.choice_texts[i]);
    return static_cast<std::int64_t>(v);  // a value no text was declared for
  } else {
    return std::string(v);
  }
}

template <class O, class T>
void set_one(std::string_view component, const param<O, T>& p, O& options, std::string_view text) {
  if constexpr (is_optional<T>::value) {
    if (trim(text) == "none")
      (options.*p.member).reset();
    else
      options.*p.member = parse_value<typename T::value_type>(component, p, text);
  } else {
    options.*p.member = parse_value<T>(component, p, text);
  }
}

}  // namespace param_detail

/// O declares its parameters (see the top of this header).
template <class O>
concept declares_params = param_detail::member_declared<O> || param_detail::adl_declared<O>;

/// O's declaration: .component and .params (a tuple of riptide::param).
template <declares_params O>
constexpr auto params_of() {
  if constexpr (param_detail::member_declared<O>)
    return O::parameters();
  else
    return parameters(std::type_identity<O>{});
}

/// The component name O's declaration gives (used in messages).
template <declares_params O>
constexpr std::string_view component_of() {
  return params_of<O>().component;
}

/// Calls f(p) for each declared riptide::param p of O, in order.
template <declares_params O, class F>
constexpr void for_each_param(F&& f) {
  std::apply([&](const auto&... p) { (f(p), ...); }, params_of<O>().params);
}

/// Parameter names of O, in declaration order (aliases not included).
template <declares_params O>
std::vector<std::string> param_names() {
  std::vector<std::string> names;
  for_each_param<O>([&](const auto& p) { names.emplace_back(p.name); });
  return names;
}

/// `name` with '-' read as '_' ("min-window-length" -> "min_window_length").
inline std::string canonical_param_name(std::string_view name) {
  std::string out(name);
  for (char& c : out)
    if (c == '-') c = '_';
  return out;
}

/// The declared name of the parameter `name` (dashes or underscores, or an alias) stands for;
/// nullopt when O has none such.
template <declares_params O>
std::optional<std::string> find_param_name(std::string_view name) {
  const std::string n = canonical_param_name(name);
  std::optional<std::string> found;
  for_each_param<O>([&](const auto& p) {
    if (!found && p.named(n)) found.emplace(p.name);
  });
  return found;
}

/// Throws the std::invalid_argument for a parameter O does not have, listing those it has.
template <declares_params O>
[[noreturn]] void throw_unknown_param(std::string_view name) {
  throw std::invalid_argument(
      std::string(component_of<O>()) + " has no parameter '" + std::string(name) +
      "' (its parameters: " + param_detail::join(param_names<O>(), ", ") + ")");
}

/// Sets the parameter `name` of `options` from `text`. Throws std::invalid_argument with a
/// message naming the component, the parameter and the text.
template <declares_params O>
void set_param(O& options, std::string_view name, std::string_view text) {
  const std::string n = canonical_param_name(name);
  bool done = false;
  for_each_param<O>([&](const auto& p) {
    if (!done && p.named(n)) {
      param_detail::set_one(component_of<O>(), p, options, text);
      done = true;
    }
  });
  if (!done) throw_unknown_param<O>(name);
}

/// Parameters given as text by name ({"delta", "0.001"}); names dashed or underscored.
using param_texts = std::map<std::string, std::string, std::less<>>;

/// "NAME=VALUE" as {NAME, VALUE} (the value may be empty or hold '='); std::invalid_argument
/// "expected NAME=VALUE, got '...'" without a '=' or a name.
inline std::pair<std::string, std::string> parse_param_assignment(std::string_view text) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0)
    throw std::invalid_argument("expected NAME=VALUE, got '" + std::string(text) + "'");
  return {std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
}

/// Several "NAME=VALUE" texts as param_texts; a name given twice (dashes read as underscores)
/// is an std::invalid_argument.
inline param_texts parse_param_assignments(const std::vector<std::string>& texts) {
  param_texts out;
  std::map<std::string, std::string, std::less<>> seen;  // canonical name -> as given
  for (const auto& text : texts) {
    auto [name, value] = parse_param_assignment(text);
    if (!seen.emplace(canonical_param_name(name), name).second)
      throw std::invalid_argument("parameter '" + name + "' given twice");
    out.emplace(std::move(name), std::move(value));
  }
  return out;
}

/// Sets each of `texts` (set_param), after checking that no parameter is given twice under two
/// spellings ("min-instances" and "min_instances", or an alias and the name).
template <declares_params O>
void set_params(O& options, const param_texts& texts) {
  std::map<std::string, std::string, std::less<>> seen;  // declared name -> as given
  for (const auto& entry : texts) {
    const std::string& name = entry.first;
    const auto declared = find_param_name<O>(name);
    if (!declared) throw_unknown_param<O>(name);
    const auto [it, fresh] = seen.emplace(*declared, name);
    if (!fresh)
      throw std::invalid_argument(std::string(component_of<O>()) + ": parameter '" + *declared +
                                  "' given twice (as '" + it->second + "' and '" + name + "')");
  }
  for (const auto& [name, text] : texts) set_param(options, name, text);
}

/// One parameter as help text, a model description or snapshot metadata show it.
struct param_info {
  std::string name;
  std::string type;  // "number", "integer", "flag" or "text"
  std::string default_text;
  param_value default_value;
  param_range range;  // unbounded for flags and texts
  std::string doc;
  std::vector<std::string> aliases;
  std::vector<std::string> choices;  // allowed texts (empty: any)
};

/// O's parameters with their defaults (those of a default-constructed O), in order.
template <declares_params O>
std::vector<param_info> describe_params() {
  const O defaults{};
  std::vector<param_info> out;
  for_each_param<O>([&](const auto& p) {
    using T = typename std::remove_cvref_t<decltype(p)>::value_type;
    param_info info;
    info.name = std::string(p.name);
    info.type = std::string(param_detail::type_name<T>());
    info.default_value = param_detail::value_of<T>(p, defaults.*p.member);
    info.default_text = to_text(info.default_value);
    info.range = p.range;
    info.doc = std::string(p.doc);
    for (std::size_t i = 0; i < p.alias_count; ++i) info.aliases.emplace_back(p.aliases[i]);
    info.choices = param_detail::choice_list(p);
    out.push_back(std::move(info));
  });
  return out;
}

/// Calls f(name, value) for each parameter of `options` with its current value, in order.
template <declares_params O, class F>
void visit_params(const O& options, F&& f) {
  for_each_param<O>([&](const auto& p) {
    using T = typename std::remove_cvref_t<decltype(p)>::value_type;
    f(std::string_view(p.name), param_detail::value_of<T>(p, options.*p.member));
  });
}

/// Every parameter of `options` with its current value, in declaration order.
template <declares_params O>
param_values effective_params(const O& options) {
  param_values out;
  visit_params(options,
               [&](std::string_view name, param_value v) { out.emplace_back(name, std::move(v)); });
  return out;
}

}  // namespace riptide
