// riptide/snapshot/archive.hpp: how a component tells a snapshot what state it holds.
//
// A stateful component (encoder, model, optimizer, detector, metric, cleansing operator) has one
// member template that lists its state once, for saving and for loading alike:
//
//   template <class Archive> void state(Archive& a) {
//     a("count", n_);         // scalars, enums, strings, lists of strings: the JSON header
//     a("weights", w_);       // numeric vectors (Eigen::VectorXf, std::vector<float|double|
//                             //   u8|u32|u64|i64>): arrays in the binary section
//     a("scaler", scaler_);   // a component with a state() of its own: a nested object
//     a("columns", columns_); // a std::vector of such components: a JSON array of objects
//     if (a.resume()) a("optimizer", optimizer_);  // learning state only a resume snapshot keeps
//     a.check(n_ <= w_.size(), "count beyond the weights");  // loading: refuse nonsense
//   }
//
// Options that declare their parameters (riptide/param.hpp) need no state(): they are saved as
// an object of their parameters, and loading checks each value against its declaration.
//
// saver walks it to build the header's "state" object and the list of arrays; loader walks it
// to fill a freshly built component back, trusting nothing: a missing field, a wrong type, an
// array of the wrong element type or an inconsistent size is a snapshot::error naming the path
// in the state ("state.encoder.columns[3].scaler.mean: missing"). A loader's allocations are
// bounded by the file: JSON lists by the header's length, arrays by their declared bytes, which
// the file reader (file.hpp) checked against the file before any state is read.
// Floats and doubles in the header round-trip exactly (shortest round-trip text); NaN and
// infinities, which JSON lacks, are the strings "nan", "inf", "-inf".
#pragma once

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "riptide/param.hpp"

namespace riptide::snapshot {

/// What a snapshot keeps: `serve` what prediction needs; `resume` everything that learning
/// needs to go on bit for bit (optimizer state, metrics, detectors, the dedup window).
enum class kind : std::uint8_t { serve, resume };

inline constexpr std::string_view to_string(kind k) noexcept {
  return k == kind::serve ? "serve" : "resume";
}

/// A snapshot that cannot be read, or whose contents make no sense: what and where.
class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Element types of the binary arrays.
enum class dtype : std::uint8_t { f32, f64, u8, u32, u64, i64 };

inline constexpr std::string_view to_string(dtype t) noexcept {
  constexpr std::string_view names[] = {"f32", "f64", "u8", "u32", "u64", "i64"};
  return names[static_cast<std::size_t>(t)];
}
inline constexpr std::size_t size_of(dtype t) noexcept {
  constexpr std::size_t sizes[] = {4, 8, 1, 4, 8, 8};
  return sizes[static_cast<std::size_t>(t)];
}
inline std::optional<dtype> parse_dtype(std::string_view s) noexcept {
  for (std::uint8_t i = 0; i < 6; ++i)
    if (to_string(static_cast<dtype>(i)) == s) return static_cast<dtype>(i);
  return std::nullopt;
}

namespace detail {

template <class T>
inline constexpr bool is_array_element =
    std::is_same_v<T, float> || std::is_same_v<T, double> || std::is_same_v<T, std::uint8_t> ||
    std::is_same_v<T, std::uint32_t> || std::is_same_v<T, std::uint64_t> ||
    std::is_same_v<T, std::int64_t> || std::is_same_v<T, unsigned long> || std::is_same_v<T, long>;

template <class T>
constexpr dtype dtype_of() noexcept {
  if constexpr (std::is_same_v<T, float>) return dtype::f32;
  if constexpr (std::is_same_v<T, double>) return dtype::f64;
  if constexpr (std::is_same_v<T, std::uint8_t>) return dtype::u8;
  if constexpr (std::is_same_v<T, std::uint32_t>) return dtype::u32;
  if constexpr (std::is_unsigned_v<T> && sizeof(T) == 8) return dtype::u64;
  if constexpr (std::is_signed_v<T> && std::is_integral_v<T> && sizeof(T) == 8) return dtype::i64;
}

template <class T>
struct numeric_vector : std::false_type {};
template <class T, class A>
requires is_array_element<T>
struct numeric_vector<std::vector<T, A>> : std::true_type {
  using element = T;
};
template <>
struct numeric_vector<Eigen::VectorXf> : std::true_type {
  using element = float;
};
template <>
struct numeric_vector<Eigen::VectorXd> : std::true_type {
  using element = double;
};

template <class T>
struct is_std_vector : std::false_type {};
template <class T, class A>
struct is_std_vector<std::vector<T, A>> : std::true_type {};

template <class T>
struct is_std_array : std::false_type {};
template <class T, std::size_t N>
struct is_std_array<std::array<T, N>> : std::true_type {};

template <class T, class A>
concept has_state = requires(T& t, A& a) {
  t.state(a);
};

/// base + "[i]" (built by appending: GCC 12's -Wrestrict misfires on chains of operator+).
inline std::string indexed(std::string_view base, std::size_t i) {
  std::string s(base);
  s.append("[").append(std::to_string(i)).append("]");
  return s;
}
inline std::string dotted(std::string_view base, std::string_view key) {
  std::string s(base);
  if (!s.empty()) s.append(".");
  s.append(key);
  return s;
}

/// A std::vector of components with a state() of their own.
template <class T, class A>
struct is_state_list : std::false_type {};
template <class T, class Alloc, class A>
requires has_state<T, A>
struct is_state_list<std::vector<T, Alloc>, A> : std::true_type {
};

/// Reads element i of little-endian bytes (the format is little-endian on every host).
template <class T>
T read_le(const std::byte* p) noexcept {
  T v;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::big) {
    auto* b = reinterpret_cast<unsigned char*>(&v);
    for (std::size_t i = 0; i < sizeof v / 2; ++i) std::swap(b[i], b[sizeof v - 1 - i]);
  }
  return v;
}

/// Whether `s` is well-formed UTF-8 (JSON strings must be; data may not be).
inline bool is_utf8(std::string_view s) noexcept {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if ((c >> 5) == 0x6) {
      n = 1, cp = c & 0x1Fu;
    } else if ((c >> 4) == 0xE) {
      n = 2, cp = c & 0x0Fu;
    } else if ((c >> 3) == 0x1E) {
      n = 3, cp = c & 0x07u;
    } else {
      return false;
    }
    if (s.size() - i <= n) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3Fu);
    }
    const std::uint32_t least[] = {0, 0x80, 0x800, 0x10000};
    if (cp < least[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

/// A text as JSON: a string when it is UTF-8, else {"hex": "..."} of its bytes.
inline nlohmann::json text_json(const std::string& s) {
  if (is_utf8(s)) return s;
  static constexpr char digits[] = "0123456789abcdef";
  std::string hex;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    hex += digits[c >> 4];
    hex += digits[c & 15];
  }
  return nlohmann::json{{"hex", hex}};
}

inline nlohmann::json number_json(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  return x;
}

}  // namespace detail

/// One numeric array of a snapshot being written: a copy of its elements, little-endian (a
/// component may list a temporary; saving copies once, as writing would).
struct array_out {
  std::string name;
  dtype type;
  std::vector<std::byte> bytes;
  std::uint64_t count;
};

/// Walks components' state() to build a snapshot's state object and arrays.
class saver {
 public:
  static constexpr bool loading = false;

  explicit saver(kind k) : kind_(k), root_(nlohmann::json::object()) { at_ = &root_; }

  kind what() const noexcept { return kind_; }
  /// Whether learning state is kept (a resume snapshot).
  bool resume() const noexcept { return kind_ == kind::resume; }

  /// Saves `value` (see the header comment for the types) under `name`.
  template <class T>
  void operator()(std::string_view name, T& value) {
    const std::string key(name);
    using U = std::remove_cv_t<T>;
    if constexpr (detail::numeric_vector<U>::value) {
      using E = typename detail::numeric_vector<U>::element;
      static_assert(std::endian::native == std::endian::little,
                    "snapshot::saver writes elements as they are in memory: little-endian hosts");
      const auto index = arrays_.size();
      const auto count = static_cast<std::size_t>(value.size());
      std::vector<std::byte> bytes(count * sizeof(E));
      if (count > 0) std::memcpy(bytes.data(), value.data(), bytes.size());
      arrays_.push_back({path_of(key), detail::dtype_of<E>(), std::move(bytes), count});
      (*at_)[key] = nlohmann::json{{"array", index}};
    } else if constexpr (detail::has_state<U, saver>) {
      nest(key, nlohmann::json::object(), [&] { value.state(*this); });
    } else if constexpr (declares_params<U>) {
      nest(key, nlohmann::json::object(),
           [&] { for_each_param<U>([&](const auto& p) { (*this)(p.name, value.*p.member); }); });
    } else if constexpr (detail::is_state_list<U, saver>::value) {
      nest(key, nlohmann::json::array(), [&] {
        for (std::size_t i = 0; i < value.size(); ++i) {
          nlohmann::json item = nlohmann::json::object();
          nlohmann::json* outer = at_;
          const std::string outer_path = path_;
          path_ = detail::indexed(path_, i);
          at_ = &item;
          value[i].state(*this);
          at_ = outer;
          path_ = outer_path;
          at_->push_back(std::move(item));
        }
      });
    } else {
      (*at_)[key] = to_json(value);
    }
  }

  /// Checks a loaded state's consistency (nothing to check when saving).
  void check(bool, std::string_view) const noexcept {}

  /// The state object built, and the arrays it refers to ({"array": i} is arrays()[i]).
  nlohmann::json& state() noexcept { return root_; }
  const std::vector<array_out>& arrays() const noexcept { return arrays_; }

 private:
  template <class T>
  static nlohmann::json to_json(const T& v) {
    if constexpr (std::is_same_v<T, bool>) {
      return v;
    } else if constexpr (std::is_enum_v<T>) {
      return static_cast<std::underlying_type_t<T>>(v);
    } else if constexpr (std::is_floating_point_v<T>) {
      return detail::number_json(static_cast<double>(v));
    } else if constexpr (std::is_integral_v<T>) {
      return v;
    } else if constexpr (std::is_same_v<T, std::string>) {
      return detail::text_json(v);
    } else if constexpr (detail::is_std_vector<T>::value || detail::is_std_array<T>::value) {
      nlohmann::json a = nlohmann::json::array();
      for (const auto& x : v) a.push_back(to_json(x));
      return a;
    } else {
      static_assert(sizeof(T) == 0, "snapshot::saver: no way to save this type");
    }
  }
  template <class F>
  void nest(const std::string& key, nlohmann::json init, F&& body) {
    nlohmann::json* outer = at_;
    const std::string outer_path = path_;
    path_ = path_of(key);
    (*outer)[key] = std::move(init);
    at_ = &(*outer)[key];
    body();
    at_ = outer;
    path_ = outer_path;
  }
  std::string path_of(const std::string& key) const { return detail::dotted(path_, key); }

  kind kind_;
  nlohmann::json root_;
  nlohmann::json* at_;
  std::string path_;
  std::vector<array_out> arrays_;
};

/// An array of a snapshot being read, as the file reader validated it.
struct array_in {
  std::string name;
  dtype type;
  const std::byte* data;  // little-endian elements, within the file
  std::uint64_t count;
};

/// Walks components' state() to fill them from a snapshot's state object and arrays.
class loader {
 public:
  static constexpr bool loading = true;

  loader(kind k, const nlohmann::json& state, std::span<const array_in> arrays,
         std::string where = "state")
      : kind_(k), at_(&state), arrays_(arrays), path_(std::move(where)) {}

  kind what() const noexcept { return kind_; }
  bool resume() const noexcept { return kind_ == kind::resume; }

  /// Loads `value` from `name`; throws snapshot::error when absent or malformed.
  template <class T>
  void operator()(std::string_view name, T& value) {
    const std::string key(name);
    if (!at_->is_object() || !at_->contains(key)) fail(key, "missing");
    const nlohmann::json& j = (*at_)[key];
    using U = std::remove_cv_t<T>;
    if constexpr (detail::numeric_vector<U>::value) {
      using E = typename detail::numeric_vector<U>::element;
      const array_in& a = array_at(key, j, detail::dtype_of<E>());
      if constexpr (std::is_same_v<U, Eigen::VectorXf> || std::is_same_v<U, Eigen::VectorXd>)
        value.resize(static_cast<Eigen::Index>(a.count));
      else
        value.resize(static_cast<std::size_t>(a.count));
      for (std::uint64_t i = 0; i < a.count; ++i)
        value[static_cast<std::size_t>(i)] = detail::read_le<E>(a.data + i * sizeof(E));
    } else if constexpr (detail::has_state<U, loader>) {
      if (!j.is_object()) fail(key, "expected an object");
      nested(key, j, [&](loader& inner) { value.state(inner); });
    } else if constexpr (declares_params<U>) {
      if (!j.is_object()) fail(key, "expected an object");
      nested(key, j, [&](loader& inner) {
        for_each_param<U>([&](const auto& p) {
          inner(p.name, value.*p.member);
          // the declaration's ranges and choices hold for loaded values too
          using V = typename std::remove_cvref_t<decltype(p)>::value_type;
          U probe{};
          try {
            set_param(probe, p.name, to_text(param_detail::value_of<V>(p, value.*p.member)));
          } catch (const std::invalid_argument& e) {
            inner.check(false, e.what());
          }
        });
      });
    } else if constexpr (detail::is_state_list<U, loader>::value) {
      // Items already there (built from configuration, e.g. typed models) are filled in place;
      // else, when the item type has a default, the list is made anew from the snapshot.
      if (!j.is_array()) fail(key, "expected a list");
      if (value.size() != j.size()) {
        if constexpr (std::is_default_constructible_v<typename U::value_type>) {
          value.clear();
          value.resize(j.size());  // bounded by the header's length
        } else {
          fail(key, "expected a list of " + std::to_string(value.size()) + ", found " +
                        std::to_string(j.size()));
        }
      }
      for (std::size_t i = 0; i < j.size(); ++i) {
        if (!j[i].is_object()) fail(detail::indexed(key, i), "expected an object");
        loader inner(kind_, j[i], arrays_, detail::indexed(detail::dotted(path_, key), i));
        value[i].state(inner);
      }
    } else {
      from_json(key, j, value);
    }
  }

  /// Refuses the snapshot when a loaded state is inconsistent.
  void check(bool ok, std::string_view what) const {
    if (!ok) throw error(path_ + ": " + std::string(what));
  }

  /// Whether the state has a field (for fields later formats add: absent in older ones).
  bool has(std::string_view name) const {
    return at_->is_object() && at_->contains(std::string(name));
  }

 private:
  [[noreturn]] void fail(const std::string& key, std::string_view what) const {
    throw error(detail::dotted(path_, key).append(": ").append(what));
  }
  template <class F>
  void nested(const std::string& key, const nlohmann::json& j, F&& body) {
    loader inner(kind_, j, arrays_, detail::dotted(path_, key));
    body(inner);
  }
  const array_in& array_at(const std::string& key, const nlohmann::json& j, dtype want) const {
    if (!j.is_object() || !j.contains("array") || !j["array"].is_number_unsigned())
      fail(key, "expected an array reference {\"array\": N}");
    const auto index = j["array"].get<std::uint64_t>();
    if (index >= arrays_.size())
      fail(key, "array " + std::to_string(index) + " does not exist (the file has " +
                    std::to_string(arrays_.size()) + ")");
    const array_in& a = arrays_[static_cast<std::size_t>(index)];
    if (a.type != want)
      fail(key, "array " + std::to_string(index) + " holds " + std::string(to_string(a.type)) +
                    ", expected " + std::string(to_string(want)));
    return a;
  }
  template <class T>
  void from_json(const std::string& key, const nlohmann::json& j, T& v) const {
    if constexpr (std::is_same_v<T, bool>) {
      if (!j.is_boolean()) fail(key, "expected true or false");
      v = j.get<bool>();
    } else if constexpr (std::is_enum_v<T>) {
      std::underlying_type_t<T> u{};
      from_json(key, j, u);
      v = static_cast<T>(u);
    } else if constexpr (std::is_floating_point_v<T>) {
      if (j.is_number()) {
        v = static_cast<T>(j.get<double>());
      } else if (j.is_string() && (j == "nan" || j == "inf" || j == "-inf")) {
        v = j == "nan"   ? std::numeric_limits<T>::quiet_NaN()
            : j == "inf" ? std::numeric_limits<T>::infinity()
                         : -std::numeric_limits<T>::infinity();
      } else {
        fail(key, "expected a number");
      }
    } else if constexpr (std::is_integral_v<T>) {
      if constexpr (std::is_unsigned_v<T>) {
        if (!j.is_number_unsigned()) fail(key, "expected a non-negative integer");
        const auto u = j.get<std::uint64_t>();
        if (u > std::numeric_limits<T>::max()) fail(key, "integer out of range");
        v = static_cast<T>(u);
      } else {
        if (!j.is_number_integer()) fail(key, "expected an integer");
        const auto s = j.get<std::int64_t>();
        if (s < std::numeric_limits<T>::min() || s > std::numeric_limits<T>::max())
          fail(key, "integer out of range");
        v = static_cast<T>(s);
      }
    } else if constexpr (std::is_same_v<T, std::string>) {
      if (j.is_string()) {
        v = j.get<std::string>();
        return;
      }
      if (!j.is_object() || !j.contains("hex") || !j["hex"].is_string())
        fail(key, "expected a string");
      const auto& hex = j["hex"].get_ref<const std::string&>();
      if (hex.size() % 2 != 0) fail(key, "odd number of hex digits");
      v.clear();
      const auto digit = [&](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        fail(key, "bad hex digit");
      };
      for (std::size_t i = 0; i < hex.size(); i += 2)
        v += static_cast<char>(digit(hex[i]) * 16 + digit(hex[i + 1]));
    } else if constexpr (detail::is_std_vector<T>::value) {
      if (!j.is_array()) fail(key, "expected a list");
      v.clear();
      v.reserve(j.size());
      for (std::size_t i = 0; i < j.size(); ++i) {
        typename T::value_type x{};
        from_json(detail::indexed(key, i), j[i], x);
        v.push_back(std::move(x));
      }
    } else if constexpr (detail::is_std_array<T>::value) {
      if (!j.is_array() || j.size() != v.size())
        fail(key, "expected a list of " + std::to_string(v.size()));
      for (std::size_t i = 0; i < v.size(); ++i) from_json(detail::indexed(key, i), j[i], v[i]);
    } else {
      static_assert(sizeof(T) == 0, "snapshot::loader: no way to load this type");
    }
  }

  kind kind_;
  const nlohmann::json* at_;
  std::span<const array_in> arrays_;
  std::string path_;
};

}  // namespace riptide::snapshot

namespace riptide::snapshot {

/// The arrays a saver collected, as a loader reads them (little-endian hosts: the bytes in
/// memory are the file's): copies state in memory without a file, e.g. in tests.
inline std::vector<array_in> arrays_of(const saver& s) {
  static_assert(std::endian::native == std::endian::little,
                "arrays_of reads arrays in place: little-endian hosts only");
  std::vector<array_in> in;
  for (const auto& a : s.arrays()) in.push_back({a.name, a.type, a.bytes.data(), a.count});
  return in;
}

/// Copies `from`'s state (of kind `k`) into `to` through a saver and a loader: what saving and
/// loading a snapshot does to a component.
template <class T>
void copy_state(const T& from, T& to, kind k = kind::resume) {
  saver s(k);
  const_cast<T&>(from).state(s);  // a saver only reads
  const auto arrays = arrays_of(s);
  loader l(k, s.state(), arrays);
  to.state(l);
}

}  // namespace riptide::snapshot
