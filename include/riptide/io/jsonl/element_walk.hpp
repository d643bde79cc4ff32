// riptide/io/jsonl/element_walk.hpp: the JSON Lines reader's dom::element walk (io/jsonl.hpp;
// this file is part of it, include that one): a simdjson DOM document flattened into the record
// through simdjson's dom::element accessors. It is the walk for simdjson versions whose tape
// layout was not checked (see tape_walk_checked) and for options.element_walk, and the reference
// the tape walk (tape_walk.hpp) and the On-Demand walk (on_demand_walk.hpp) must agree with.
// (It uses the shape cache only; the walks are stacked into one object, the reader's state.)
#pragma once

#include <simdjson.h>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "riptide/io/jsonl/shape_cache.hpp"
#include "riptide/io/record.hpp"

namespace riptide::io::jsonl {

class element_walk : public shape_cache {
 protected:
  // Flattens the members of `obj` (at `depth`, inside slot `parent`); returns how many leaf
  // values it set.
  // (flatten: simdjson's accessors inlined into this loop are half its cost otherwise; the rare
  // paths are kept out of line.)
  [[gnu::flatten]] std::size_t flatten(simdjson::dom::object obj, std::size_t depth,
                                       std::size_t parent) {
    using type = simdjson::dom::element_type;
    std::size_t set = 0;
    for (auto it = obj.begin(), end = obj.end(); it != end; ++it) {
      const std::string_view key = it.key();
      const simdjson::dom::element v = it.value();
      const type t = v.type();
      ++set;
      if (t == type::OBJECT) {
        const std::size_t slot = slot_of(key, depth * 2 + 1, parent);
        if (flatten(simdjson::dom::object(v), depth + 1, slot) == 0) set_empty_object(slot);
        continue;
      }
      const std::size_t column = shape_[slot_of(key, depth * 2, parent)].column;
      // Each member is stored on its own: a field built on the stack and copied whole is read
      // back in 16-byte words from narrower stores, which stalls store forwarding.
      field& out = fields_[column];
      switch (t) {
        case type::STRING:
          put(out, v.get_string().value_unsafe(), field_kind::text);
          break;
        case type::INT64:
          put_number(out, field_kind::integer,
                     std::bit_cast<std::uint64_t>(v.get_int64().value_unsafe()));
          break;
        case type::DOUBLE:
          put_number(out, field_kind::real,
                     std::bit_cast<std::uint64_t>(v.get_double().value_unsafe()));
          break;
        case type::UINT64:  // beyond int64: a real for consumers, its text the integer's
          put_uint64(out, v.get_uint64().value_unsafe());
          break;
        case type::BOOL:
          put(out, v.get_bool().value_unsafe() ? "true" : "false", field_kind::boolean);
          break;
        case type::NULL_VALUE:
          put(out, "null", field_kind::null);
          break;
        case type::ARRAY:
          put(out, array_text(v), field_kind::text);
          break;
        case type::OBJECT:
          break;
      }
    }
    return set;
  }
  // An array is kept as its minified JSON text.
  [[gnu::noinline]] std::string_view array_text(simdjson::dom::element array) {
    const std::string text = simdjson::minify(array);
    std::memcpy(reserve_owned(text.size()), text.data(), text.size());
    return commit_owned(text.size());
  }
};

}  // namespace riptide::io::jsonl
