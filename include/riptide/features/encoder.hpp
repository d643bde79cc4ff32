// riptide/features/encoder.hpp: turns clean rows into sparse feature vectors, online.
//
// Per column, one of:
//   categorical  online one-hot dictionary: a value not in the dictionary maps to the column's
//                reserved "unseen" slot; learning then adds it (up to max_categories), so
//                its next occurrence gets a slot of its own; null has its own slot
//   hashed       signed feature hashing (XXH3) into 2^hash_bits shared slots, for open-ended
//                or high-cardinality inputs
//   numeric      online standardisation (Welford): (x - mean) / std with the statistics of the
//                records learned before this one, plus a missing-value indicator slot
//   raw          the number as is (plus the missing indicator)
//   bucketed     one slot per interval of the given sorted edges (plus missing)
//   ignore       not a feature (the label and id columns are always ignored)
//   automatic    decided by the column's first non-null value: a number, a bool, or a text
//                that reads fully as a number ("42", "-1.5e3") -> numeric; other text ->
//                categorical (the default for unlisted columns). Numeric columns read
//                numeric texts as numbers, so untyped CSV fields work as they are.
// and optional pairwise interactions between named groups of columns (as Vowpal Wabbit's -q):
// every product of a feature of a left-group column with one of a right-group column, hashed.
// Slot layout: slots 0 .. 2^hash_bits - 1 hashed (only when hashed columns or interactions exist),
// then the dictionary slots in order of first appearance; so the layout is a pure function of the
// options and the order of the rows learned. Indices in one vector are unique (hash collisions
// summed).
//
// learn_one(row, out) encodes with the current state and then updates it (dictionaries and
// statistics); transform(row, out) encodes with the state frozen. For the same state both give
// the same vector: what a model learned from is exactly what it is served (no train/serve skew).
// `out` is cleared and refilled; once the dictionaries are warm nothing is allocated.
// The label: label_of(row) reads the options' label column: the row is positive when the value's
// text equals `positive` (ASCII case-insensitive); a bool label is itself (or its negation when
// `positive` names false, "no", "0"); null gives no label.
// State apart from scratch: the encoder holds what a snapshot keeps (dictionaries, statistics,
// the slot layout); what encoding caches (the column layout of the rows it sees, the slots of
// identified values, buffers) lives in an encoder::scratch. transform(row, out, scratch) const
// writes nothing else, so any number of threads may transform with one encoder at once, each
// with its own scratch, while nothing learns. learn_one and the two-argument transform use the
// encoder's own scratch (one thread).
//
// Example:
//   auto names = std::make_shared<const riptide::clean::columns>(
//       riptide::clean::columns{{"contract", "tenure", "churn"}});
//   riptide::clean::row r;
//   r.names = names;
//   r.values = {riptide::value::of_text("Month-to-month"), riptide::value::of_int(3),
//               riptide::value::of_text("yes")};
//   riptide::features::encoder enc{{.label = "churn", .positive = "yes"}};
//   riptide::features::sparse_vector x, served;
//   enc.learn_one(r, x);        // a new stream: no features yet; the state learns the row
//   enc.transform(r, served);   // served with the learned state: contract=Month-to-month
//   if (!x.empty() || served.size() != 1 || !enc.label_of(r).value()) std::abort();
//   if (enc.feature_name(served[0].index) != "contract=Month-to-month") std::abort();
//   r.values[0].set_text("Two year");   // never seen: the contract column's unseen slot
//   enc.transform(r, served);
//   if (enc.feature_name(served[0].index) != "contract=<unseen>") std::abort();
#pragma once

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "riptide/clean/row.hpp"
#include "riptide/features/category_dictionary.hpp"
#include "riptide/features/feature_hash.hpp"
#include "riptide/features/sparse_vector.hpp"
#include "riptide/features/standard_scaler.hpp"
#include "riptide/param.hpp"
#include "riptide/value.hpp"

namespace riptide::features {

enum class column_kind : std::uint8_t {
  automatic,
  categorical,
  hashed,
  numeric,
  raw,
  bucketed,
  ignore
};

inline constexpr std::string_view to_string(column_kind k) noexcept {
  switch (k) {
    case column_kind::automatic:
      return "automatic";
    case column_kind::categorical:
      return "categorical";
    case column_kind::hashed:
      return "hashed";
    case column_kind::numeric:
      return "numeric";
    case column_kind::raw:
      return "raw";
    case column_kind::bucketed:
      return "bucketed";
    case column_kind::ignore:
      return "ignore";
  }
  return "unknown";
}

struct column_spec {
  std::string name{};
  column_kind kind = column_kind::automatic;
  std::vector<double> edges{};  // bucketed: sorted interval edges
};

/// Features of every column of `left` times those of every column of `right`.
struct interaction {
  std::vector<std::string> left{};
  std::vector<std::string> right{};
};

struct encoder_options {
  std::string label{};     // label column (not a feature); empty: none
  std::string positive{};  // the label value meaning "positive" (text); bools need none
  std::string id{};        // id column (not a feature); empty: none
  std::vector<std::string> ignore{};
  std::vector<column_spec> columns{};  // explicit kinds; other columns get default_kind
  column_kind default_kind = column_kind::automatic;
  std::vector<interaction> interactions{};
  unsigned hash_bits = 18;
  std::uint64_t seed = 0;
  std::size_t max_categories = std::size_t{1} << 16;  // per categorical column
  bool missing_indicators = true;
};

/// encoder_options' scalar parameters (riptide/param.hpp); the column lists (ignore, columns,
/// interactions) are configuration of their own.
constexpr auto parameters(std::type_identity<encoder_options>) {
  using o = encoder_options;
  return declare_params(
      "encoder", param{"label", &o::label, "label column (not a feature); empty: none"},
      param{"positive", &o::positive, "the label value meaning positive (bools need none)"},
      param{"id", &o::id, "id column (not a feature); empty: none"},
      param{"default_kind", &o::default_kind, "kind of the columns not listed"}
          .choice("automatic", column_kind::automatic)
          .choice("categorical", column_kind::categorical)
          .choice("hashed", column_kind::hashed)
          .choice("numeric", column_kind::numeric)
          .choice("raw", column_kind::raw)
          .choice("ignore", column_kind::ignore),
      param{"hash_bits", &o::hash_bits, "slots of hashed features: 2^bits"}.within(1, 31),
      param{"seed", &o::seed, "seed of feature hashing"},
      param{"max_categories", &o::max_categories, "dictionary entries per categorical column"}
          .at_least(1),
      param{"missing_indicators", &o::missing_indicators,
            "a slot telling a missing number, per numeric column"});
}

class encoder {
  static constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();
  struct active_column {
    std::uint32_t state;
    std::uint32_t begin, end;  // its entries in the output
  };

 public:
  explicit encoder(encoder_options options = {}) : options_(std::move(options)) {
    bool hashing = !options_.interactions.empty();
    for (const auto& c : options_.columns) {
      if (c.kind == column_kind::hashed) hashing = true;
      if (c.kind == column_kind::bucketed &&
          (c.edges.empty() || !std::is_sorted(c.edges.begin(), c.edges.end())))
        throw std::invalid_argument("encoder: bucketed column '" + c.name +
                                    "' needs sorted, non-empty edges");
    }
    if (hashing) {
      hash_.emplace(options_.hash_bits, options_.seed);
      next_slot_ = hash_->slots();
    }
    base_ = next_slot_;
  }

  /// Encodes `row` into `out` with the current state, then learns the row (dictionaries grow,
  /// statistics update).
  void learn_one(const clean::row& row, sparse_vector& out) {
    run<true>(*this, scratch_, row, out);
  }
  /// What encoding caches for one thread (see the header comment).
  class scratch {
    friend class encoder;
    struct identified_slot {
      std::uint32_t identity = 0;
      std::uint32_t slot = 0;
    };
    static constexpr std::size_t identified_size = 32;
    std::shared_ptr<const clean::columns> layout_names_;
    std::vector<std::uint32_t> positions_;
    std::uint32_t label_pos_ = none;
    bool distinct_states_ = true;
    std::vector<active_column> active_;
    std::vector<entry> entries_;
    // Slots of values by identity (value::identity: equal identities, equal values), per column
    // state, so that a categorical value the cleansing chain recognised costs an array read
    // instead of a dictionary lookup of its text. Direct-mapped by the identity's low bits (one
    // chain memo's identities differ there); only found slots are kept (dictionary slots never
    // change). Identities are a chain's own: the slots hold for the rows of one chain binding
    // (one row.names), and are forgotten when rows of another arrive.
    std::vector<std::array<identified_slot, identified_size>> identified_;
    char key_buffer_[32] = {};
  };

  /// Encodes `row` into `out` with the state frozen (the encoder's own scratch: one thread).
  void transform(const clean::row& row, sparse_vector& out) {
    run<false>(*this, scratch_, row, out);
  }
  /// Encodes `row` into `out` with the state frozen; writes only `s` and `out`, so threads with
  /// scratches of their own may call it at once while nothing learns.
  void transform(const clean::row& row, sparse_vector& out, scratch& s) const {
    run<false>(*this, s, row, out);
  }

  /// The row's label, if the options name a label column and the row has a non-null value.
  std::optional<bool> label_of(const clean::row& row) { return label_of(row, scratch_); }
  std::optional<bool> label_of(const clean::row& row, scratch& s) const {
    layout_for(row, s);
    if (s.label_pos_ == none || s.label_pos_ >= row.values.size()) return std::nullopt;
    const value& v = row.values[s.label_pos_];
    if (v.is_null()) return std::nullopt;
    if (v.is_bool()) {  // a typed label: `positive` may still name either side
      if (options_.positive.empty() || is_one_of(options_.positive, {"true", "yes", "1", "y", "t"}))
        return v.as_bool();
      if (is_one_of(options_.positive, {"false", "no", "0", "n", "f"})) return !v.as_bool();
    }
    const std::string_view text = key_of(v, s);
    return equal_ignoring_case(text, options_.positive);
  }

  /// Number of slots in use: every index produced so far is below it.
  std::size_t dimension() const noexcept { return next_slot_; }
  /// Human-readable name of a slot ("contract=Month-to-month", "tenure", "hash:123", ...).
  std::string feature_name(std::uint32_t slot) const {
    if (slot < base_) return "hash:" + std::to_string(slot);
    const std::size_t k = slot - base_;
    return k < names_.size() ? names_[k] : "slot:" + std::to_string(slot);
  }
  /// The resolved kind of a column (automatic until its first non-null value).
  std::optional<column_kind> kind_of(std::string_view column) const {
    for (const auto& c : columns_)
      if (c.name == column) return c.kind;
    return std::nullopt;
  }
  const encoder_options& options() const noexcept { return options_; }
  /// Calls f(name, kind) for each column the encoder has met, in order of first appearance.
  template <class F>
  void each_column(F&& f) const {
    for (const auto& c : columns_) f(std::string_view(c.name), c.kind);
  }

  /// The dictionaries, statistics and slot layout (snapshot/archive.hpp); a loader fills an
  /// encoder made with the same options, and refuses slots outside the layout.
  template <class Archive>
  void state(Archive& a) {
    std::uint32_t base = base_;
    a("base", base);
    a("next_slot", next_slot_);
    a("columns", columns_);
    a("names", names_);
    if constexpr (Archive::loading) {
      a.check(base == base_, "the hashed slots differ from the options' (hash_bits)");
      a.check(next_slot_ >= base_ && next_slot_ - base_ == names_.size(),
              "next_slot disagrees with the slot names");
      const auto in_layout = [&](std::uint32_t slot) {
        return slot == none || (slot >= base_ && slot < next_slot_);
      };
      for (const auto& c : columns_) {
        a.check(static_cast<unsigned>(c.kind) <= static_cast<unsigned>(column_kind::ignore),
                "unknown column kind");
        a.check(in_layout(c.value_slot) && in_layout(c.missing_slot) && in_layout(c.unseen_slot),
                "a column slot outside the layout");
        a.check(c.kind != column_kind::bucketed ||
                    (c.bucket_base != none && c.bucket_base >= base_ &&
                     c.bucket_base < next_slot_ && c.edges.size() < next_slot_ - c.bucket_base &&
                     std::is_sorted(c.edges.begin(), c.edges.end())),
                "a bucketed column's slots outside the layout");
        a.check(c.kind != column_kind::hashed || hash_, "a hashed column without hashing");
        a.check(
            c.kind != column_kind::categorical || (c.unseen_slot != none && c.missing_slot != none),
            "a categorical column without its unseen and null slots");
        a.check(
            (c.kind != column_kind::numeric && c.kind != column_kind::raw) || c.value_slot != none,
            "a numeric column without its slot");
        a.check(c.dictionary.all_slots([&](std::uint32_t s) { return in_layout(s) && s != none; }),
                "a dictionary slot outside the layout");
      }
      scratch_ = {};
    }
  }

 private:
  struct column_state {
    std::string name;
    column_kind kind = column_kind::automatic;
    std::vector<double> edges;
    std::uint64_t hash_seed = 0;
    std::uint32_t value_slot = none;
    std::uint32_t missing_slot = none;
    std::uint32_t unseen_slot = none;
    std::uint32_t bucket_base = none;
    category_dictionary dictionary;
    standard_scaler scaler;
    std::uint32_t left_groups = 0;  // bit g: in interaction g's left group
    std::uint32_t right_groups = 0;

    template <class Archive>
    void state(Archive& a) {
      a("name", name);
      a("kind", kind);
      a("edges", edges);
      a("hash_seed", hash_seed);
      a("value_slot", value_slot);
      a("missing_slot", missing_slot);
      a("unseen_slot", unseen_slot);
      a("bucket_base", bucket_base);
      a("dictionary", dictionary);
      a("scaler", scaler);
      a("left_groups", left_groups);
      a("right_groups", right_groups);
    }
  };
  // --- layout: which column state each position of the rows' columns feeds -------------------
  // A scratch's layout is valid for the encoder's columns as they were when it was made: a
  // scratch that has seen fewer column states than the encoder has now lays out again.
  void layout_for(const clean::row& row, scratch& sc) const {
    if (sc.identified_.size() != columns_.size()) {
      sc.identified_.resize(columns_.size());
      sc.layout_names_ = nullptr;
    }
    if (row.names == sc.layout_names_ && row.names) return;
    // Rows of another chain (or binding): value identities are each chain's own, so what the
    // scratch remembers by identity is forgotten.
    for (auto& slots : sc.identified_) slots.fill({});
    const bool same = row.names && sc.layout_names_ && row.names->names == sc.layout_names_->names;
    sc.layout_names_ = row.names;
    if (same) return;
    sc.positions_.clear();
    sc.label_pos_ = none;
    sc.distinct_states_ = true;
    if (!row.names) return;
    for (std::size_t p = 0; p < row.names->size(); ++p) {
      const std::string& name = row.names->names[p];
      if (!options_.label.empty() && name == options_.label)
        sc.label_pos_ = static_cast<std::uint32_t>(p);
      std::uint32_t s = none;
      for (std::size_t k = 0; k < columns_.size(); ++k)
        if (columns_[k].name == name) s = static_cast<std::uint32_t>(k);
      sc.positions_.push_back(s);
    }
    check_distinct_states(sc);
  }
  // Whether every position feeds its own column state (two columns of one name would share
  // one; then statistics learn after the whole row is encoded, as each encoding must see the
  // state before the row).
  static void check_distinct_states(scratch& sc) {
    const auto& pos = sc.positions_;
    sc.distinct_states_ = true;
    for (std::size_t p = 0; p < pos.size(); ++p)
      for (std::size_t q = p + 1; q < pos.size(); ++q)
        if (pos[p] != none && pos[p] == pos[q]) sc.distinct_states_ = false;
  }
  bool is_excluded(std::string_view name) const {
    if (!options_.label.empty() && name == options_.label) return true;
    if (!options_.id.empty() && name == options_.id) return true;
    return std::find(options_.ignore.begin(), options_.ignore.end(), name) != options_.ignore.end();
  }
  // Adds states for the row's columns not seen before (learning only).
  void add_columns(const clean::row& row) {
    unseen_ |= std::find(scratch_.positions_.begin(), scratch_.positions_.end(), none) !=
               scratch_.positions_.end();
    for (std::size_t p = 0; p < scratch_.positions_.size(); ++p) {
      if (scratch_.positions_[p] != none) continue;
      const std::string& name = row.names->names[p];
      column_state c;
      c.name = name;
      c.kind = is_excluded(name) ? column_kind::ignore : options_.default_kind;
      for (const auto& spec : options_.columns)
        if (spec.name == name && !is_excluded(name)) {
          c.kind = spec.kind;
          c.edges = spec.edges;
        }
      if (c.kind == column_kind::bucketed && c.edges.empty()) c.kind = column_kind::numeric;
      if (c.kind == column_kind::hashed && !hash_) c.kind = column_kind::categorical;
      if (hash_) c.hash_seed = hash_->column_seed(name);
      for (std::size_t g = 0; g < options_.interactions.size() && g < 32; ++g) {
        const auto& in = options_.interactions[g];
        if (std::find(in.left.begin(), in.left.end(), name) != in.left.end())
          c.left_groups |= 1u << g;
        if (std::find(in.right.begin(), in.right.end(), name) != in.right.end())
          c.right_groups |= 1u << g;
      }
      if (c.kind != column_kind::automatic) allocate(c);
      scratch_.positions_[p] = static_cast<std::uint32_t>(columns_.size());
      columns_.push_back(std::move(c));
    }
    check_distinct_states(scratch_);
  }
  std::uint32_t new_slot(std::string name) {
    names_.push_back(std::move(name));
    return next_slot_++;
  }
  void allocate(column_state& c) {
    switch (c.kind) {
      case column_kind::categorical:
        c.unseen_slot = new_slot(c.name + "=<unseen>");
        c.missing_slot = new_slot(c.name + "=<null>");
        break;
      case column_kind::numeric:
      case column_kind::raw:
        c.value_slot = new_slot(c.name);
        if (options_.missing_indicators) c.missing_slot = new_slot(c.name + "=<null>");
        break;
      case column_kind::bucketed:
        c.bucket_base = next_slot_;
        for (std::size_t b = 0; b <= c.edges.size(); ++b)
          new_slot(c.name + "[" + std::to_string(b) + "]");
        if (options_.missing_indicators) c.missing_slot = new_slot(c.name + "=<null>");
        break;
      default:
        break;
    }
  }

  // --- encoding ------------------------------------------------------------------------------
  // Encoding reads the state only; learning updates it afterwards, so the vector a row gets while
  // learning is the one it would be served with the same state.
  template <bool Learn, class Self>
  static void run(Self& self, scratch& sc, const clean::row& row, sparse_vector& out) {
    out.clear();
    self.layout_for(row, sc);
    sc.active_.clear();
    // Learning: a numeric column's statistics learn its value right after encoding it (the
    // column's encoding used the state before); the rest of the learning (new columns,
    // dictionary growth, automatic kinds) is learn_row's, needed only when the row met one.
    bool rest = false;
    if constexpr (Learn) self.unseen_ = false;
    const std::size_t n = std::min(sc.positions_.size(), row.values.size());
    if constexpr (Learn) rest = n < row.values.size() || n < sc.positions_.size();
    for (std::size_t p = 0; p < n; ++p) {
      const std::uint32_t s = sc.positions_[p];
      if (s == none) {
        rest = true;
        continue;
      }
      const column_state& c = self.columns_[s];
      const auto begin = static_cast<std::uint32_t>(out.size());
      const value& v = row.values[p];
      if constexpr (Learn) {
        if (c.kind == column_kind::numeric && sc.distinct_states_) {
          const auto number = number_of(v);
          if (!number || !std::isfinite(*number)) {
            if (c.missing_slot != none) out.push(c.missing_slot, 1.0f);
          } else {
            const double z = c.scaler.transform(*number);
            if (z != 0.0) out.push(c.value_slot, static_cast<float>(z));
            self.columns_[s].scaler.learn(*number);
          }
        } else {
          self.encode_value(c, v, out, sc, s);
          self.unseen_ |= c.kind == column_kind::categorical && out.size() > begin &&
                          out[begin].index == c.unseen_slot;
          rest |= c.kind == column_kind::automatic && !v.is_null();
        }
      } else {
        self.encode_value(c, v, out, sc, s);
      }
      if (c.left_groups | c.right_groups)
        sc.active_.push_back({s, begin, static_cast<std::uint32_t>(out.size())});
    }
    if (self.hash_) {
      add_interactions(self, sc, out);
      merge_duplicates(out, sc.entries_);
    }
    if constexpr (Learn)
      if (rest || self.unseen_ || !sc.distinct_states_) self.learn_row(row);
  }

  // Learns what the encoding loop did not: new columns, dictionary growth, automatic kinds (and
  // the statistics of a column whose kind this row decided).
  void learn_row(const clean::row& row) {
    const bool numeric_learned = scratch_.distinct_states_;
    new_here_.assign(scratch_.positions_.size(), 0);  // columns this row adds (not encoded above)
    for (std::size_t p = 0; p < scratch_.positions_.size(); ++p)
      new_here_[p] = scratch_.positions_[p] == none;
    add_columns(row);
    const std::size_t n = std::min(scratch_.positions_.size(), row.values.size());
    for (std::size_t p = 0; p < n; ++p) {
      const std::uint32_t s = scratch_.positions_[p];
      if (s == none) continue;
      column_state& c = columns_[s];
      const value& v = row.values[p];
      if (v.is_null()) continue;
      bool fresh = false;
      if (c.kind == column_kind::automatic) {
        c.kind = number_of(v) ? column_kind::numeric : column_kind::categorical;
        allocate(c);
        fresh = true;
      }
      if (c.kind == column_kind::categorical) {
        // only a row that met an unseen value (or a new column) can grow a dictionary
        if (!unseen_ && !fresh) continue;
        const std::string_view key = key_of(v, scratch_);
        if (c.dictionary.size() < options_.max_categories && !c.dictionary.contains(key)) {
          const auto slot = new_slot(c.name + "=" + std::string(key));
          c.dictionary.insert(key, slot);
        }
      } else if (c.kind == column_kind::numeric &&
                 (!numeric_learned || fresh || new_here_[p])) {  // else learned while encoding
        const auto x = number_of(v);
        if (x && std::isfinite(*x)) c.scaler.learn(*x);
      }
    }
  }

  void encode_value(const column_state& c, const value& v, sparse_vector& out, scratch& sc,
                    std::uint32_t state) const {
    switch (c.kind) {
      case column_kind::categorical: {
        if (v.is_null()) {
          out.push(c.missing_slot, 1.0f);
          return;
        }
        const std::uint32_t identity = v.identity();
        auto& known = sc.identified_[state][identity % scratch::identified_size];
        if (identity != 0 && known.identity == identity) {
          out.push(known.slot, 1.0f);
          return;
        }
        const auto slot = c.dictionary.find(key_of(v, sc));
        if (slot == category_dictionary::npos) {
          out.push(c.unseen_slot, 1.0f);
          return;
        }
        if (identity != 0) known = {identity, slot};
        out.push(slot, 1.0f);
        return;
      }
      case column_kind::hashed: {
        const auto h =
            hash_->slot(c.hash_seed, v.is_null() ? std::string_view("\0null", 5) : key_of(v, sc));
        out.push(h.index, h.sign);
        return;
      }
      case column_kind::numeric:
      case column_kind::raw:
      case column_kind::bucketed: {
        const auto number = number_of(v);
        const double x = number ? *number : 0.0;
        if (!number || !std::isfinite(x)) {
          if (c.missing_slot != none) out.push(c.missing_slot, 1.0f);
          return;
        }
        if (c.kind == column_kind::bucketed) {
          const auto b = std::upper_bound(c.edges.begin(), c.edges.end(), x) - c.edges.begin();
          out.push(c.bucket_base + static_cast<std::uint32_t>(b), 1.0f);
          return;
        }
        const double z = c.kind == column_kind::raw ? x : c.scaler.transform(x);
        if (z != 0.0) out.push(c.value_slot, static_cast<float>(z));
        return;
      }
      default:
        return;
    }
  }

  template <class Self>
  static void add_interactions(Self& self, const scratch& sc, sparse_vector& out) {
    const auto& act = sc.active_;
    for (std::size_t g = 0; g < self.options_.interactions.size() && g < 32; ++g) {
      const std::uint32_t bit = 1u << g;
      for (const auto& a : act) {
        if (!(self.columns_[a.state].left_groups & bit)) continue;
        for (const auto& b : act) {
          if (a.state == b.state || !(self.columns_[b.state].right_groups & bit)) continue;
          for (std::uint32_t i = a.begin; i < a.end; ++i)
            for (std::uint32_t j = b.begin; j < b.end; ++j) {
              const auto ea = out[i];
              const auto eb = out[j];
              const auto h = self.hash_->interaction(ea.index, eb.index);
              out.push(h.index, h.sign * ea.value * eb.value);
            }
        }
      }
    }
  }

  // Sums entries with equal indices (hash collisions) so that indices are unique.
  static void merge_duplicates(sparse_vector& out, std::vector<entry>& scratch) {
    scratch.assign(out.begin(), out.end());
    std::sort(scratch.begin(), scratch.end(),
              [](const entry& a, const entry& b) { return a.index < b.index; });
    out.clear();
    for (std::size_t i = 0; i < scratch.size();) {
      entry e = scratch[i++];
      for (; i < scratch.size() && scratch[i].index == e.index; ++i) e.value += scratch[i].value;
      if (e.value != 0.0f) out.push(e.index, e.value);
    }
  }

  // The value as a number: numbers and bools as such, text when it reads fully as a number.
  static std::optional<double> number_of(const value& v) noexcept {
    if (v.is_number() || v.is_bool()) return v.as_number();
    if (!v.is_text()) return std::nullopt;
    std::string_view t = v.as_text();
    if (!t.empty() && t.front() == '+') t.remove_prefix(1);
    if (t.empty()) return std::nullopt;
    double x = 0.0;
    const auto r = std::from_chars(t.data(), t.data() + t.size(), x);
    if (r.ec != std::errc{} || r.ptr != t.data() + t.size()) return std::nullopt;
    return x;
  }

  // Text of a value as a dictionary key (numbers in shortest round-trip form).
  static std::string_view key_of(const value& v, scratch& sc) {
    switch (v.type()) {
      case value::kind::text:
        return v.as_text();
      case value::kind::boolean:
        return v.as_bool() ? "true" : "false";
      case value::kind::integer: {
        const auto r =
            std::to_chars(sc.key_buffer_, sc.key_buffer_ + sizeof sc.key_buffer_, v.as_int());
        return {sc.key_buffer_, static_cast<std::size_t>(r.ptr - sc.key_buffer_)};
      }
      case value::kind::real: {
        const auto r =
            std::to_chars(sc.key_buffer_, sc.key_buffer_ + sizeof sc.key_buffer_, v.as_real());
        return {sc.key_buffer_, static_cast<std::size_t>(r.ptr - sc.key_buffer_)};
      }
      default:
        return {};
    }
  }
  static bool is_one_of(std::string_view s, std::initializer_list<std::string_view> set) noexcept {
    for (const auto t : set)
      if (equal_ignoring_case(s, t)) return true;
    return false;
  }
  static bool equal_ignoring_case(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      char x = a[i], y = b[i];
      if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
      if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
      if (x != y) return false;
    }
    return true;
  }

  encoder_options options_;
  std::optional<feature_hash> hash_;
  std::uint32_t next_slot_ = 0;
  std::uint32_t base_ = 0;
  std::vector<column_state> columns_;
  std::vector<std::string> names_;  // of dictionary slots, from base_
  scratch scratch_;                 // of learn_one and the two-argument transform
  bool unseen_ = false;  // the row being learned met a categorical value not in its dictionary
  std::vector<std::uint8_t> new_here_;  // learn_row: positions whose column the row adds
};

}  // namespace riptide::features
