// riptide/features/encode.hpp: the range adaptor `rows | features::encode(encoder)`.
//
// Over a range of clean::row, yields one features::example per clean or repaired row (rows
// quarantined or dropped as duplicates carry no data to learn and are skipped; the cleansing
// stage has accounted for them): the row, its encoded features and its label (from the
// encoder's label column). encode(encoder) learns the encoder's state as it goes (dictionaries,
// statistics: what a training stream does); transform(encoder) encodes with the state frozen
// (serving). Each row is encoded once, into one buffer reused for every row; the example's view
// is valid until the range advances. Include only this header and the encoder's.
//
// Example:
//   auto names = std::make_shared<const riptide::clean::columns>(
//       riptide::clean::columns{{"plan", "churn"}});
//   std::vector<riptide::clean::row> rows(3);
//   for (auto& r : rows) r.names = names;
//   rows[0].values = {riptide::value::of_text("basic"), riptide::value::of_text("no")};
//   rows[1].values = {riptide::value::of_text("pro"), riptide::value::of_text("yes")};
//   rows[2] = rows[1];
//   rows[2].status = riptide::clean::disposition::quarantined;
//   riptide::features::encoder enc{{.label = "churn", .positive = "yes"}};
//   int n = 0;
//   for (const auto& ex : rows | riptide::features::encode(enc)) {
//     if (ex.x.size() != (n == 0 ? 0u : 1u) || !ex.label) std::abort();
//     ++n;
//   }
//   if (n != 2) std::abort();
#pragma once

#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "riptide/clean/row.hpp"
#include "riptide/detail/stage_view.hpp"
#include "riptide/features/encoder.hpp"
#include "riptide/features/sparse_vector.hpp"

namespace riptide::features {

/// One encoded record: the clean row it came from, its features and its label if it has one.
struct example {
  const clean::row* row = nullptr;
  sparse_view x;
  std::optional<bool> label;
};

namespace detail {
template <bool Learn>
struct encode_stage {
  std::conditional_t<Learn, encoder*, const encoder*> enc;
  sparse_vector* buffer;    // owned by the stage's holder below
  encoder::scratch* cache;  // ditto (transform: the encoder's state stays untouched)
  std::optional<example> operator()(const clean::row& row) const {
    if (row.status == clean::disposition::quarantined ||
        row.status == clean::disposition::duplicate)
      return std::nullopt;
    if constexpr (Learn) {
      enc->learn_one(row, *buffer);
      return example{&row, buffer->view(), enc->label_of(row)};
    } else {
      enc->transform(row, *buffer, *cache);
      return example{&row, buffer->view(), enc->label_of(row, *cache)};
    }
  }
};

// The stage with its own buffer; the buffer lives on the heap so that the view stays movable
// before iteration begins.
template <bool Learn>
struct owning_encode_stage {
  std::conditional_t<Learn, encoder*, const encoder*> enc;
  std::shared_ptr<sparse_vector> buffer = std::make_shared<sparse_vector>();
  std::shared_ptr<encoder::scratch> cache = std::make_shared<encoder::scratch>();
  std::optional<example> operator()(const clean::row& row) const {
    return encode_stage<Learn>{enc, buffer.get(), cache.get()}(row);
  }
};

template <bool Learn, class Encoder>
auto make_encode(Encoder* enc) {
  return riptide::detail::stage_closure{[enc](auto&& rows) {
    auto base = riptide::detail::hold(std::forward<decltype(rows)>(rows));
    return riptide::detail::stage_view<decltype(base), owning_encode_stage<Learn>>(
        std::move(base), owning_encode_stage<Learn>{enc});
  }};
}
}  // namespace detail

/// Encodes and learns: `rows | encode(enc)`.
inline auto encode(encoder& enc) {
  return detail::make_encode<true>(&enc);
}
/// Encodes with the state frozen: `rows | transform(enc)`.
inline auto transform(const encoder& enc) {
  return detail::make_encode<false>(&enc);
}

}  // namespace riptide::features
