// riptide/io/jsonl/on_demand_walk.hpp: the JSON Lines reader's On-Demand walk (io/jsonl.hpp; this
// file is part of it, include that one): a line (or a batch's document aligned with its line)
// read with simdjson's On-Demand API, members matched to the shape cache's slots by their bytes in
// the line. It gives up, before anything the user sees has changed, on whatever it cannot read
// exactly as the DOM walks (tape_walk.hpp, element_walk.hpp) would: the DOM parser then reads the
// line. (It uses the shape cache only; the walks are stacked into one object, the reader's state.)
#pragma once

#include <simdjson.h>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

#include "riptide/io/jsonl/tape_walk.hpp"
#include "riptide/io/record.hpp"

namespace riptide::io::jsonl {

class on_demand_walk : public tape_walk {
 protected:
  // --- On-Demand ---------------------------------------------------------------------------
  // The line path's first try: the line read with simdjson's On-Demand API, which parses values
  // as they are visited instead of building a tape first. Members are matched to the slots of
  // the last record's keys as in the tape walk, here by the key's bytes in the line itself (a
  // slot's key that needs no escapes is its own spelling: see od_key_matches); values are stored
  // whole. While fields_ holds the last record and this one has its keys (every member matching
  // its slot, as many), its fields are overwritten in place; at the first member that does not
  // match (or whose key is spelt with escapes), the document is rewound, fields_ cleared, and
  // the walk done again building slots (matching keys unescaped).
  // False when the DOM parser must read the line instead, before anything the user sees has
  // changed: the line is not exactly one valid object (the DOM parser then gives the error
  // record its exact text), or it has a member whose column is new (the DOM walk adds columns,
  // so a line given up half way adds none), or it nests deeper than od_max_depth, or it has a
  // number token longer than od_max_number_chars.
  bool od_line(const char* json, std::size_t len) {
    simdjson::ondemand::document doc;
    if (od_parser_.iterate(json, len, len + simdjson::SIMDJSON_PADDING).get(doc))
      return od_give_up();
    od_end_ = json + len;
    // Only blanks may follow the object: nothing left for the iterator.
    return od_record(doc, [](simdjson::ondemand::document& d) {
      return d.current_location().error() == simdjson::OUT_OF_BOUNDS;
    });
  }

  // Reads the document `doc` (a line's, or a batch's document aligned with its line) into
  // fields_ (see od_line); at_end(doc) after the walk: nothing but blanks follows the object
  // on its line.
  template <class Document, class AtEnd>
  [[gnu::always_inline]] bool od_record(Document& doc, AtEnd at_end) {
    simdjson::ondemand::object obj;
    if (doc.get_object().get(obj)) return od_give_up();
    if (fields_hold_shape_) {
      slot_ = 0;
      const od_walk w = od_repeat_members(obj, 0);
      if (w == od_walk::give_up) return od_give_up();
      if (w == od_walk::ok && slot_ == shape_.size()) {
        if (!at_end(doc)) return od_give_up();
        od_fields_ = true;
        return true;
      }
      doc.rewind();  // other keys: build
      if (doc.get_object().get(obj)) return od_give_up();
    }
    clear_fields();
    fields_hold_shape_ = false;
    slot_ = 0;
    matchable_ = shape_.size();
    std::size_t members = 0;
    if (od_members(obj, 0, 0, members) != od_walk::ok || !at_end(doc)) return od_give_up();
    if (slot_ < shape_.size()) truncate_shape(slot_);  // fewer keys than the last record
    fields_hold_shape_ = true;
    od_fields_ = true;
    return true;
  }

  // fields_ may hold anything now: the DOM walk builds from cleared fields.
  bool od_give_up() noexcept {
    fields_hold_shape_ = false;
    return false;
  }

  static constexpr std::size_t od_max_depth = 64;  // deeper lines go through the DOM parser
  // Simdjson 3.0.1's On-Demand get_number reads a number of more than 19 digits (its slow path)
  // as 0.0 where the DOM parser reads it right: a line with a number token longer than this
  // (the token may include the blanks after it) goes through the DOM parser.
  static constexpr std::size_t od_max_number_chars = 19;
  enum class od_walk { ok, give_up, rebuild };  // rebuild: a repeating walk met other keys

  // The repeat walk: the members of `obj` (at `depth`) from slot slot_ on, each matching its
  // slot (key, depth, leaf or object), their values stored whole; rebuild at the first that does
  // not. No slot or column is added, so shape_ and fields_ stay where they are.
  // (In line for the line's own members, out of line for nested objects' members: On-Demand's
  // iterator state stays in registers only while no pointer to it leaves the function.)
  [[gnu::noinline]] od_walk od_repeat(simdjson::ondemand::object obj, std::size_t depth) {
    return od_repeat_members(obj, depth);
  }
  [[gnu::always_inline]] od_walk od_repeat_members(simdjson::ondemand::object& obj,
                                                   std::size_t depth) {
    using json_type = simdjson::ondemand::json_type;
    key_slot* const shape = shape_.data();
    const std::size_t slots = shape_.size();
    field* const fields = fields_.data();
    std::size_t i = slot_;
    for (auto member : obj) {
      simdjson::ondemand::field f;
      if (std::move(member).get(f)) return od_walk::give_up;
      if (i >= slots) return od_walk::rebuild;
      const key_slot& k = shape[i];
      if (!od_key_matches(k, f.key().raw())) return od_walk::rebuild;
      simdjson::ondemand::value& v = f.value();
      json_type type;
      if (v.type().get(type)) return od_walk::give_up;
      if (type == json_type::object) {
        if (k.tag != depth * 2 + 1) return od_walk::rebuild;
        simdjson::ondemand::object inner;
        if (depth + 1 >= od_max_depth || v.get_object().get(inner)) return od_walk::give_up;
        slot_ = i + 1;
        const od_walk w = od_repeat(inner, depth + 1);
        if (w != od_walk::ok) return w;
        if (slot_ == i + 1 && !od_empty_object(i)) return od_walk::give_up;  // no members
        i = slot_;
        continue;
      }
      if (k.tag != depth * 2) return od_walk::rebuild;
      if (!od_value(v, type, fields[k.column])) return od_walk::give_up;
      ++i;
    }
    slot_ = i;
    return od_walk::ok;
  }

  // The build walk: flattens the members of `obj` (at `depth`, inside slot `parent`), counting
  // them in `members`; slots are matched while they match, and built from the first that does
  // not (od_slot).
  od_walk od_members(simdjson::ondemand::object obj, std::size_t depth, std::size_t parent,
                     std::size_t& members) {
    using json_type = simdjson::ondemand::json_type;
    for (auto member : obj) {
      simdjson::ondemand::field f;
      if (std::move(member).get(f)) return od_walk::give_up;
      ++members;
      const char* const raw_key = f.key().raw();
      simdjson::ondemand::value& v = f.value();
      json_type type;
      if (v.type().get(type)) return od_walk::give_up;
      const bool object = type == json_type::object;
      const std::size_t tag = depth * 2 + (object ? 1 : 0);
      const std::size_t slot = slot_;
      if (slot >= matchable_ || shape_[slot].tag != tag || !od_key_matches(shape_[slot], raw_key)) {
        std::string_view key;
        if (f.unescaped_key().get(key) || !od_slot(slot, key, tag, parent)) return od_walk::give_up;
      }
      ++slot_;
      if (object) {
        simdjson::ondemand::object inner;
        std::size_t inner_members = 0;
        if (depth + 1 >= od_max_depth || v.get_object().get(inner)) return od_walk::give_up;
        const od_walk w = od_members(inner, depth + 1, slot, inner_members);
        if (w != od_walk::ok) return w;
        if (inner_members == 0 && !od_empty_object(slot)) return od_walk::give_up;
        continue;
      }
      if (!od_value(v, type, fields_[shape_[slot].column])) return od_walk::give_up;
    }
    return od_walk::ok;
  }

  void od_put_number(field& out, simdjson::ondemand::number number) {
    switch (number.get_number_type()) {
      case simdjson::ondemand::number_type::signed_integer:
        put_number(out, field_kind::integer, std::bit_cast<std::uint64_t>(number.get_int64()));
        return;
      case simdjson::ondemand::number_type::floating_point_number:
        put_number(out, field_kind::real, std::bit_cast<std::uint64_t>(number.get_double()));
        return;
      default:  // beyond int64: a real for consumers, its text the integer's
        put_uint64(out, number.get_uint64());
        return;
    }
  }

  // Whether the key whose bytes start at `raw` in the line (after its opening quote) is slot k's:
  // for a key that needs no escapes (no quote, backslash or control byte: `plain`) its bytes
  // followed by the closing quote (`od_image`), compared as the tape walk compares images: the
  // first and last 16 bytes in two loads (reading past a short key stays within simdjson's
  // padding), the bytes between for longer ones. Other spellings (escapes) are compared
  // unescaped.
  [[gnu::always_inline]] bool od_key_matches(const key_slot& k, const char* raw) const noexcept {
    const std::size_t image = k.od_image;
    if (static_cast<std::size_t>(od_end_ - raw) < image) return false;
    word_pair a, b;
    std::memcpy(&a, raw, sizeof a);
    std::memcpy(&b, raw + k.od_last_at, sizeof b);
    const word_pair diff = ((a ^ k.od_first) | (b ^ k.od_last)) & k.od_mask;
    if ((diff[0] | diff[1]) != 0) return false;
    return image <= image_words_bytes ||
           std::memcmp(raw + 16, key_bytes_.data() + k.key_at + 16, image - 32) == 0;
  }

  // Whether slot i is member `key` (unescaped) at `tag`.
  bool od_same_key(std::size_t i, std::string_view key, std::size_t tag) const noexcept {
    if (i >= matchable_) return false;
    const key_slot& k = shape_[i];
    return k.tag == tag && k.key_size == key.size() &&
           same_bytes(key_bytes_.data() + k.key_at, key.data(), key.size());
  }

  // Slot i for member `key` (unescaped) when its bytes did not match: slot i itself when the key
  // is its key spelt otherwise, else slot i rewritten (as new_slot does) to the column the schema
  // has for the member's name; false when the schema has none (a new column: see od_line).
  [[gnu::noinline]] bool od_slot(std::size_t i, std::string_view key, std::size_t tag,
                                 std::size_t parent) {
    if (od_same_key(i, key, tag)) return true;
    std::string name = dotted_name(key, tag, parent);
    std::size_t column = no_column;
    if ((tag & 1) == 0) {
      const auto found = schema_.find(name);
      if (!found) return false;
      column = *found;
    }
    make_slot(i, key, tag, std::move(name), column);
    return true;
  }

  // An empty object {} is kept as that text under its own name (when the schema has it).
  [[gnu::noinline]] bool od_empty_object(std::size_t slot) {
    if (shape_[slot].column == no_column) {
      const auto found = schema_.find(slot_names_[slot]);
      if (!found) return false;
      shape_[slot].column = *found;
      count_writer(slot);
    }
    fields_[shape_[slot].column] = field{"{}", field_kind::text};
    return true;
  }

  // Stores the value `v` (of `type`, not an object) in column `column`.
  [[gnu::always_inline]] bool od_value(simdjson::ondemand::value& v,
                                       simdjson::ondemand::json_type type, field& out) {
    using json_type = simdjson::ondemand::json_type;
    switch (type) {
      case json_type::string: {
        std::string_view text;
        if (v.get_string().get(text)) return false;
        put(out, text, field_kind::text);
        return true;
      }
      case json_type::number: {
        simdjson::ondemand::number number;
        if (v.raw_json_token().size() > od_max_number_chars || v.get_number().get(number))
          return false;
        od_put_number(out, number);
        return true;
      }
      case json_type::boolean: {
        bool b = false;
        if (v.get_bool().get(b)) return false;
        put(out, b ? "true" : "false", field_kind::boolean);
        return true;
      }
      case json_type::null: {
        bool null = false;
        if (v.is_null().get(null) || !null) return false;
        put(out, "null", field_kind::null);
        return true;
      }
      case json_type::array:
        return od_array(v, out);
      default:
        return false;
    }
  }
  // An array is kept as its minified JSON text (the tape walk's: tape_array_text).
  [[gnu::noinline]] bool od_array(simdjson::ondemand::value v, field& out) {
    minifier_.clear();
    if (!od_json(v, 0)) return false;
    const std::string_view text = minifier_.str();
    std::memcpy(reserve_owned(text.size()), text.data(), text.size());
    put(out, commit_owned(text.size()), field_kind::text);
    return true;
  }

  // Writes the value `v` to minifier_ as tape_json does (an array's text: the same bytes).
  [[gnu::noinline]] bool od_json(simdjson::ondemand::value v, std::size_t depth) {
    using json_type = simdjson::ondemand::json_type;
    json_type type;
    if (depth >= od_max_depth || v.type().get(type)) return false;
    switch (type) {
      case json_type::array: {
        simdjson::ondemand::array array;
        if (v.get_array().get(array)) return false;
        minifier_.start_array();
        bool first = true;
        for (auto element : array) {
          simdjson::ondemand::value ev;
          if (std::move(element).get(ev)) return false;
          if (!first) minifier_.comma();
          first = false;
          if (!od_json(ev, depth + 1)) return false;
        }
        minifier_.end_array();
        return true;
      }
      case json_type::object: {
        simdjson::ondemand::object object;
        if (v.get_object().get(object)) return false;
        minifier_.start_object();
        bool first = true;
        for (auto member : object) {
          simdjson::ondemand::field f;
          std::string_view key;
          if (std::move(member).get(f) || f.unescaped_key().get(key)) return false;
          if (!first) minifier_.comma();
          first = false;
          minifier_.key(key);
          if (!od_json(f.value(), depth + 1)) return false;
        }
        minifier_.end_object();
        return true;
      }
      case json_type::string: {
        std::string_view text;
        if (v.get_string().get(text)) return false;
        minifier_.string(text);
        return true;
      }
      case json_type::number: {
        simdjson::ondemand::number number;
        if (v.raw_json_token().size() > od_max_number_chars || v.get_number().get(number))
          return false;
        switch (number.get_number_type()) {
          case simdjson::ondemand::number_type::signed_integer:
            minifier_.number(number.get_int64());
            return true;
          case simdjson::ondemand::number_type::floating_point_number:
            minifier_.number(number.get_double());
            return true;
          default:
            minifier_.number(number.get_uint64());
            return true;
        }
      }
      case json_type::boolean: {
        bool b = false;
        if (v.get_bool().get(b)) return false;
        b ? minifier_.true_atom() : minifier_.false_atom();
        return true;
      }
      case json_type::null: {
        bool null = false;
        if (v.is_null().get(null) || !null) return false;
        minifier_.null_atom();
        return true;
      }
    }
    return false;
  }

  simdjson::ondemand::parser od_parser_;  // od_line, and find_bad_member on the error path
  const char* od_end_ = nullptr;          // the end of the line od_line reads
  // fields_ was last written by od_line, which keeps no slot types: the DOM walk's repeat path,
  // which trusts them, must build instead.
  bool od_fields_ = false;
};

}  // namespace riptide::io::jsonl
