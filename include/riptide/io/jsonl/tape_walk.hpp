// riptide/io/jsonl/tape_walk.hpp: the JSON Lines reader's tape walk (io/jsonl.hpp; this file is
// part of it, include that one): a simdjson DOM document read straight from simdjson's tape and
// string buffer (doc/tape.md) instead of through dom::element, for the simdjson versions whose
// layout was checked (tape_walk_checked). Its build walk matches members to the shape cache's
// slots and builds them anew from the first mismatch; its repeat walk, while a record has the last
// record's keys and value types, stores payloads only. It gives the records the dom::element walk
// (element_walk.hpp) gives. (It uses the shape cache only; the walks are stacked into one object,
// the reader's state.)
#pragma once

#include <simdjson.h>

#if defined(__SSE4_1__)
#include <immintrin.h>
#endif

#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "riptide/io/jsonl/element_walk.hpp"
#include "riptide/io/record.hpp"

namespace riptide::io::jsonl {

// Whether the tape of a simdjson DOM parser's current document can be read directly: its layout
// (doc/tape.md) and where parse / parse_many leave a document (parser.doc, root object at tape
// word 1) were checked for simdjson 3.x.
template <class Parser>
concept tape_walk_checked = simdjson::SIMDJSON_VERSION_MAJOR == 3 && requires(const Parser& p) {
  { p.doc.tape.get() } -> std::convertible_to<const std::uint64_t*>;
  { p.doc.string_buf.get() } -> std::convertible_to<const std::uint8_t*>;
};
class tape_walk : public element_walk {
 protected:
  // Points tape_ and strings_ at the document just parsed when its tape may be read directly
  // (see tape_walk_checked); false otherwise (the dom::element walk is used).
  template <class Parser>
  bool read_tape(const Parser& parser) noexcept {
    if constexpr (tape_walk_checked<Parser>) {
      tape_ = parser.doc.tape.get();
      strings_ = parser.doc.string_buf.get();
      // The layout checked: a root word, then the line's object.
      return (tape_[0] >> 56) == 'r' && (tape_[1] >> 56) == '{';
    } else {
      return false;
    }
  }
  // The same walk over simdjson's tape (doc/tape.md), from the document's root object (tape
  // word 1): each word's top byte is its type, an object's '{' word holds (in its low 32 bits)
  // the index after its '}', a string's word the offset of its 32-bit length and bytes in the
  // string buffer, and a number's value is the next word. Iterative, with what it reads in
  // locals (stores into fields would otherwise reload them); the rare paths are out of line and
  // the locals are reloaded after them.
  // The build walk: fields_ was cleared; every value is stored whole, members are matched to
  // their slots (key, depth, leaf or object) while they match, and from the first that does not,
  // the slots are built anew.
  void build_tape() {
    const std::uint64_t* const tape = tape_;
    const std::uint8_t* const strings = strings_;
    key_slot* shape = shape_.data();
    field* fields = fields_.data();
    std::size_t matchable = shape_.size();
    std::size_t slot = 0;
    std::size_t close = static_cast<std::uint32_t>(tape[1]) - 1;  // the object's '}' word
    std::size_t depth = 0, parent = 0;  // the object's depth and slot (none at depth 0)
    open_objects_.clear();
    for (std::size_t i = 2;;) {
      if (i >= close) {  // the end of an object
        if (depth == 0) break;
        shape[parent].end = slot;
        if (slot == parent + 1) {  // it had no members
          set_empty_object(parent);
          shape = shape_.data();
          fields = fields_.data();
        }
        close = open_objects_.back().close;
        parent = open_objects_.back().parent;
        open_objects_.pop_back();
        --depth;
        ++i;
        continue;
      }
      const std::uint64_t word = tape[i + 1];
      const bool object = (word >> 56) == '{';
      const std::size_t tag = depth * 2 + (object ? 1 : 0);
      if (slot >= matchable || shape[slot].tag != tag ||
          !key_matches(shape[slot], strings + (tape[i] & simdjson::internal::JSON_VALUE_MASK))) {
        matchable = 0;  // the rest of this record builds its slots
        new_slot(slot, tape_string(tape[i]), tag, parent);
        shape = shape_.data();
        fields = fields_.data();
      }
      if (object) {
        open_objects_.push_back({close, parent});
        close = static_cast<std::uint32_t>(word) - 1;
        parent = slot++;
        ++depth;
        i += 2;
        continue;
      }
      key_slot& k = shape[slot++];
      i = put_tape_value(fields[k.column], i, word);
      k.type = k.typed ? payload_type(word) : 0;
    }
    if (slot < shape_.size()) truncate_shape(slot);  // fewer keys than the last record
  }

  // The repeat walk: fields_ holds the last record, whose keys were shape_. Members matching
  // their slots with values of the types stored last store their payloads only (see key_slot);
  // a value of another type is stored whole. False at once when the keys differ from shape_
  // (some fields may then have been overwritten: the caller clears them and builds).
  bool repeat_tape() {
    const std::uint64_t* const tape = tape_;
    const std::uint8_t* const strings = strings_;
    key_slot* const shape = shape_.data();
    field* const fields = fields_.data();
    const std::size_t slots = shape_.size();
    std::size_t slot = 0;
    std::size_t close = static_cast<std::uint32_t>(tape[1]) - 1;  // the object's '}' word
    std::size_t depth = 0, parent = 0;  // the object's depth and slot (none at depth 0)
    open_objects_.clear();
    for (std::size_t i = 2;;) {
      // The usual case: leaves whose key and value type are their slots' (depth: see key_slot).
      if (i < close && slot < slots) {
        const std::uint64_t* at = tape + i;
        const key_slot* k = shape + slot;
        store_payloads(at, tape + close, k, shape + slots, strings, fields);
        i = static_cast<std::size_t>(at - tape);
        slot = static_cast<std::size_t>(k - shape);
      }
      if (i >= close) {  // the end of an object: its members must end where they did
        if (depth == 0) break;
        if (shape[parent].end != slot) return false;
        if (slot == parent + 1) set_empty_object(parent);  // no reallocation: no new column
        close = open_objects_.back().close;
        parent = open_objects_.back().parent;
        open_objects_.pop_back();
        --depth;
        ++i;
        continue;
      }
      // An object, a value of another type than its slot stored, or a slot storing whole values.
      const std::uint64_t word = tape[i + 1];
      const bool object = (word >> 56) == '{';
      const std::size_t tag = depth * 2 + (object ? 1 : 0);
      if (slot >= slots || shape[slot].tag != tag ||
          !key_matches(shape[slot], strings + (tape[i] & simdjson::internal::JSON_VALUE_MASK)))
        return false;
      if (object) {
        open_objects_.push_back({close, parent});
        close = static_cast<std::uint32_t>(word) - 1;
        parent = slot++;
        ++depth;
        i += 2;
        continue;
      }
      key_slot& k = shape[slot++];
      i = put_tape_value(fields[k.column], i, word);
      k.type = k.typed ? payload_type(word) : 0;
    }
    return slot == slots;  // fewer keys than the last record: not the same keys
  }

  // From the member whose key is tape word `at` (slot k): while members are leaves matching their
  // slots with values of the types those stored last, stores their payloads (see key_slot);
  // stops at `close` (the object's end), at `last` (the shape's end) or at a member that does not
  // match, leaving `at` and `k` there. Out of line, so that its loop has the registers to itself.
  [[gnu::noinline]] static void store_payloads(const std::uint64_t*& at,
                                               const std::uint64_t* const close, const key_slot*& k,
                                               const key_slot* const last,
                                               const std::uint8_t* const strings,
                                               field* const fields) noexcept {
    const std::uint64_t* word = at;
    const key_slot* slot = k;
    do {
      const std::uint64_t value = word[1];
      const auto type = static_cast<std::uint8_t>(value >> 56);
      if (type != slot->type ||
          !short_key_matches(*slot, strings + (word[0] & simdjson::internal::JSON_VALUE_MASK)))
        break;
      field& out = *reinterpret_cast<field*>(reinterpret_cast<char*>(fields) + slot->at);
      ++slot;
      if (type == '"') {
        const std::uint8_t* text = strings + (value & simdjson::internal::JSON_VALUE_MASK);
        std::uint32_t size;
        std::memcpy(&size, text, sizeof size);
        out.text = {reinterpret_cast<const char*>(text + sizeof size), size};
        word += 2;
      } else if (type == 'l' || type == 'd') {
        out.number_bits = word[2];
        word += 3;
      } else {  // null, true, false: the field holds them already
        word += 2;
      }
    } while (word < close && slot < last);
    at = word;
    k = slot;
  }

  // A leaf slot's `type` after it stored a value of tape word `word` whole: 0 (never matched)
  // for the types whose fields are rebuilt every time (arrays: their text; integers beyond int64:
  // their digits).
  static std::uint8_t payload_type(std::uint64_t word) noexcept {
    const auto type = static_cast<std::uint8_t>(word >> 56);
    return type == '[' || type == 'u' ? 0 : type;
  }

  // Stores the value of the member whose key is tape word i (its value word: `word`, not an
  // object) in `out`; returns the index of the next member's key.
  [[gnu::always_inline]] std::size_t put_tape_value(field& out, std::size_t i, std::uint64_t word) {
    switch (static_cast<unsigned char>(word >> 56)) {
      case '"':
        put(out, tape_string(word), field_kind::text);
        return i + 2;
      case 'l':
        put_number(out, field_kind::integer, tape_[i + 2]);
        return i + 3;
      case 'd':
        put_number(out, field_kind::real, tape_[i + 2]);
        return i + 3;
      case 't':
        put(out, "true", field_kind::boolean);
        return i + 2;
      case 'f':
        put(out, "false", field_kind::boolean);
        return i + 2;
      case 'n':
        put(out, "null", field_kind::null);
        return i + 2;
      case 'u':
        put_uint64(out, tape_[i + 2]);
        return i + 3;
      default:  // '['
        put(out, tape_array_text(i + 1), field_kind::text);
        return static_cast<std::uint32_t>(word);
    }
  }
  struct open_object {
    std::size_t close, parent;
  };
  // A string on the tape: its word's payload is the offset of its length (32 bits) and bytes.
  std::string_view tape_string(std::uint64_t word) const noexcept {
    const std::uint8_t* at = strings_ + (word & simdjson::internal::JSON_VALUE_MASK);
    std::uint32_t size;
    std::memcpy(&size, at, sizeof size);
    return {reinterpret_cast<const char*>(at + sizeof size), size};
  }

  // An array's text, minified exactly as simdjson::minify writes it (its own formatter).
  [[gnu::noinline]] std::string_view tape_array_text(std::size_t at) {
    minifier_.clear();
    std::size_t i = at;
    tape_json(i);
    const std::string_view text = minifier_.str();
    std::memcpy(reserve_owned(text.size()), text.data(), text.size());
    return commit_owned(text.size());
  }
  // Writes the value at tape word i to minifier_ and moves i past it.
  void tape_json(std::size_t& i) {
    const std::uint64_t word = tape_[i];
    switch (static_cast<unsigned char>(word >> 56)) {
      case '[':
      case '{': {
        const bool object = (word >> 56) == '{';
        const std::size_t close = static_cast<std::uint32_t>(word) - 1;
        object ? minifier_.start_object() : minifier_.start_array();
        const std::size_t first = ++i;
        for (; i < close;) {
          if (i != first) minifier_.comma();
          if (object) minifier_.key(tape_string(tape_[i++]));
          tape_json(i);
        }
        object ? minifier_.end_object() : minifier_.end_array();
        i = close + 1;
        return;
      }
      case '"':
        minifier_.string(tape_string(word));
        break;
      case 'l':
        minifier_.number(std::bit_cast<std::int64_t>(tape_[i + 1]));
        ++i;
        break;
      case 'u':
        minifier_.number(tape_[i + 1]);
        ++i;
        break;
      case 'd':
        minifier_.number(std::bit_cast<double>(tape_[i + 1]));
        ++i;
        break;
      case 't':
        minifier_.true_atom();
        break;
      case 'f':
        minifier_.false_atom();
        break;
      default:  // 'n'
        minifier_.null_atom();
        break;
    }
    ++i;
  }

  const std::uint64_t* tape_ = nullptr;  // the tape walk's document (see read_tape)
  const std::uint8_t* strings_ = nullptr;
  std::vector<open_object> open_objects_;  // the tape walk's enclosing objects
};

}  // namespace riptide::io::jsonl
