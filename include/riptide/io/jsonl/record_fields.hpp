// riptide/io/jsonl/record_fields.hpp: the record the JSON Lines reader builds (io/jsonl.hpp; this
// file is part of it, include that one): its fields, one per column of the schema, and the texts
// it owns (numbers written as text, arrays' minified JSON) in one scratch buffer that moves the
// fields along when it grows. Every walk (tape, dom::element, On-Demand) stores values through
// these helpers only, so that a value is the same field whichever walk read it.
#pragma once

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "riptide/io/record.hpp"

namespace riptide::io::jsonl {

/// The JSON Lines reader's record under construction (the base of the reader's state).
class record_fields {
 protected:
  void clear_fields() {
    fields_.assign(schema_.size(), field{{}, field_kind::missing});
    scratch_used_ = 0;
  }

  static void put(field& out, std::string_view text, field_kind kind) noexcept {
    out.text = text;
    out.kind = kind;
    out.has_number = false;
  }
  static void put_number(field& out, field_kind kind, std::uint64_t bits) noexcept {
    out.text = {};
    out.kind = kind;
    out.has_number = true;
    out.number_bits = bits;
  }
  [[gnu::noinline]] void put_uint64(field& out, std::uint64_t x) {
    char* at = reserve_owned(32);
    const auto n = static_cast<std::size_t>(std::to_chars(at, at + 32, x).ptr - at);
    out = field::from_real(static_cast<double>(x), commit_owned(n));
  }

  // Text built for a record (numbers, arrays) lives in scratch_, appended: reserve_owned(n)
  // gives room for n bytes at its end, commit_owned(k) keeps k of them. When scratch_ must grow,
  // the fields already pointing into it are moved along (rare: it only grows).
  char* reserve_owned(std::size_t n) {
    if (scratch_.size() - scratch_used_ < n) grow_scratch(n);
    return scratch_.data() + scratch_used_;
  }
  std::string_view commit_owned(std::size_t k) noexcept {
    const std::string_view text(scratch_.data() + scratch_used_, k);
    scratch_used_ += k;
    return text;
  }
  [[gnu::noinline]] void grow_scratch(std::size_t n) {
    const auto old_begin = reinterpret_cast<std::uintptr_t>(scratch_.data());
    const std::uintptr_t old_end = old_begin + scratch_used_;
    scratch_.resize(std::max(scratch_.size() * 2, scratch_used_ + n));
    for (field& f : fields_) {
      const auto at = reinterpret_cast<std::uintptr_t>(f.text.data());
      if (!f.text.empty() && at >= old_begin && at < old_end)
        f.text = std::string_view(scratch_.data() + (at - old_begin), f.text.size());
    }
  }

  simdjson::internal::mini_formatter minifier_;          // arrays' text in the tape walk
  std::vector<char> scratch_ = std::vector<char>(4096);  // owned texts (see reserve_owned)
  std::size_t scratch_used_ = 0;
  schema schema_;
  std::vector<field> fields_;
};

}  // namespace riptide::io::jsonl
