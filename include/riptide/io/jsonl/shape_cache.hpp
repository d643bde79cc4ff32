// riptide/io/jsonl/shape_cache.hpp: the JSON Lines reader's shape cache (io/jsonl.hpp; this file
// is part of it, include that one): the flattened key sequence of the last record (its slots),
// matched member by member against the next record's keys so that a repeating record finds its
// columns without building dotted names or hashing, and the typed-slot bookkeeping that lets the
// tape walk store payloads only. The walks (tape_walk.hpp, element_walk.hpp, on_demand_walk.hpp)
// all match and build slots through it, which is what makes their records agree.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "riptide/io/jsonl/record_fields.hpp"
#include "riptide/io/record.hpp"

namespace riptide::io::jsonl {

/// The slots of the last record's keys, over the record under construction.
class shape_cache : public record_fields {
 protected:
  // One member of the previous record's flattened key sequence (preorder): records usually repeat
  // their predecessor's keys, so each member is matched against the slot at the same position
  // (its key bytes, depth and whether it is an object) and, while every member so far matched,
  // its column is the slot's, without building the dotted name or hashing. The first mismatch
  // switches the rest of the record to building names (and rewrites the slots from there).
  // The tape walk matches a key where simdjson's string buffer holds it, as its 32-bit length
  // and then its bytes (`image`, 4 + key_size bytes): the image's first 16 bytes and its last 16
  // (overlapping; the same ones when it is shorter, with `mask` keeping its bytes) compared in
  // two loads. Longer keys compare the bytes between too.
  // A leaf slot also remembers the tape type of the value it stored last (`type`): while a
  // record repeats the last record's keys, a value of the same type finds its field already
  // holding that kind (and, for a number, no text), so only the payload is stored: a string's
  // text, a number's bits, nothing for null, true or false. A slot whose column another slot of
  // the shape also writes (a key repeated in one object, names colliding once flattened, an
  // empty object's "{}") never takes that path: its field is not its own. An object's slot
  // remembers where its members' slots ended (`end`): a repeating record whose objects open at
  // the same slots and end at the same slots has every member at the depth of its slot, so the
  // members need no depth check of their own.
  using word_pair = std::uint64_t __attribute__((vector_size(16)));
  struct key_slot {
    word_pair first, last, mask;   // see above
    std::size_t last_at;           // the last 16 bytes' offset in the image (0 when shorter)
    std::size_t key_at, key_size;  // the member's own key: key_bytes_[key_at, + key_size)
    std::size_t tag;     // depth * 2 + (1 for a nested object, whose members follow at depth + 1)
    std::size_t column;  // leaf: its column; object: the column of "{}" once needed, or npos
    std::size_t at;      // leaf: its field's byte offset in fields_ (column * sizeof(field))
    std::size_t end;     // object: the slot after its members' slots (set by build walks)
    std::uint8_t type;   // leaf: the tape type it stored last, when `typed`; else 0
    bool typed;          // the payload-only path is open to it (see above; a key <= 28 bytes)
    bool plain;          // the key is its own JSON spelling (no escapes needed; see od_key_matches)
    word_pair od_first, od_last, od_mask;  // the words of its spelling (see od_key_matches)
    std::size_t od_last_at;
    std::size_t od_image;  // its spelling's size (key and closing quote); npos when not plain
  };
  static constexpr std::size_t image_words_bytes = 32;  // longer images compare the bytes between
  static constexpr std::size_t no_column = static_cast<std::size_t>(-1);

  // The slot of member `key` (tag as in key_slot, inside the object of slot `parent`, none at
  // depth 0) for this record's next position.
  std::size_t slot_of(std::string_view key, std::size_t tag, std::size_t parent) {
    const std::size_t i = slot_++;
    if (i < matchable_) {
      const key_slot& k = shape_[i];
      if (k.tag == tag && k.key_size == key.size() &&
          same_bytes(key_bytes_.data() + k.key_at, key.data(), key.size()))
        return i;
    }
    return new_slot(i, key, tag, parent);
  }

  // Rewrites slot i (and drops those after it) for member `key`; the caller builds the rest of
  // the record's slots the same way (its matchable is 0 from here).
  [[gnu::noinline]] std::size_t new_slot(std::size_t i, std::string_view key, std::size_t tag,
                                         std::size_t parent) {
    std::string name = dotted_name(key, tag, parent);
    const std::size_t column = (tag & 1) != 0 ? no_column : add_column(name);
    return make_slot(i, key, tag, std::move(name), column);
  }
  std::string dotted_name(std::string_view key, std::size_t tag, std::size_t parent) const {
    std::string name;
    if (tag >= 2) {
      name = slot_names_[parent];
      name += '.';
    }
    name += key;
    return name;
  }
  // Slot i (dropping those after it) for member `key`, full name `name`, writing `column`.
  std::size_t make_slot(std::size_t i, std::string_view key, std::size_t tag, std::string name,
                        std::size_t column) {
    matchable_ = 0;  // the rest of this record builds its slots
    truncate_shape(i);
    key_slot k = image_of(key);
    k.key_at = key_bytes_.size();
    k.key_size = key.size();
    k.tag = tag;
    k.column = column;
    k.plain = std::none_of(key.begin(), key.end(), [](char c) {
      return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20;
    });
    std::string spelling(key);
    spelling += '"';
    image_words(spelling, k.od_first, k.od_last, k.od_mask, k.od_last_at);
    k.od_image = k.plain ? spelling.size() : static_cast<std::size_t>(-1);
    k.at = k.column * sizeof(field);
    k.end = 0;
    k.type = 0;
    k.typed = (tag & 1) == 0 && 4 + key.size() <= image_words_bytes;
    shape_.push_back(k);
    key_bytes_ += key;
    slot_names_.push_back(std::move(name));
    if (k.column != no_column) count_writer(i);
    return i;
  }

  // Slot i writes its column: when another slot of the shape writes it too, none of them may
  // store payloads only (see key_slot).
  void count_writer(std::size_t i) {
    const std::size_t column = shape_[i].column;
    if (column_writers_[column]++ == 0) return;
    for (key_slot& k : shape_)
      if (k.column == column) {
        k.typed = false;
        k.type = 0;
      }
  }

  // Drops the slots from i on.
  void truncate_shape(std::size_t i) {
    if (i >= shape_.size()) return;
    for (std::size_t j = i; j < shape_.size(); ++j)
      if (shape_[j].column != no_column) --column_writers_[shape_[j].column];
    key_bytes_.resize(shape_[i].key_at);
    shape_.resize(i);
    slot_names_.resize(i);
  }

  std::size_t add_column(std::string_view name) {
    const std::size_t column = schema_.add(name);
    if (column >= fields_.size()) fields_.resize(schema_.size(), field{{}, field_kind::missing});
    if (column >= column_writers_.size()) column_writers_.resize(schema_.size(), 0);
    return column;
  }
  // key_matches for a slot whose image is at most 32 bytes (a typed slot's): two words.
  static bool short_key_matches(const key_slot& k, const std::uint8_t* image) noexcept {
    word_pair a, b;
    std::memcpy(&a, image, sizeof a);
    std::memcpy(&b, image + k.last_at, sizeof b);
    const word_pair diff = (a ^ k.first) | (b ^ k.last);
#if defined(__SSE4_1__)
    // One ptest for "no difference under the mask" (x86-64-v2 has SSE4.1).
    return _mm_testz_si128(std::bit_cast<__m128i>(diff), std::bit_cast<__m128i>(k.mask)) != 0;
#else
    const word_pair masked = diff & k.mask;
    return (masked[0] | masked[1]) == 0;
#endif
  }

  // Whether the string at `image` in simdjson's string buffer (length, then bytes) is slot k's key.
  bool key_matches(const key_slot& k, const std::uint8_t* image) const noexcept {
    word_pair a, b;
    std::memcpy(&a, image, sizeof a);
    std::memcpy(&b, image + k.last_at, sizeof b);
    const word_pair diff = ((a ^ k.first) | (b ^ k.last)) & k.mask;
    if ((diff[0] | diff[1]) != 0) return false;
    if (k.key_size + 4 <= image_words_bytes) return true;
    // The same length: the key bytes between the two 16-byte words.
    return std::memcmp(image + 16, key_bytes_.data() + k.key_at + 12, k.key_size + 4 - 32) == 0;
  }

  // A slot's image words for `key` (see key_slot); the other members are the caller's.
  static key_slot image_of(std::string_view key) {
    const auto size = static_cast<std::uint32_t>(key.size());
    std::string image(4 + key.size(), '\0');
    std::memcpy(image.data(), &size, 4);
    std::memcpy(image.data() + 4, key.data(), key.size());
    key_slot k{};
    image_words(image, k.first, k.last, k.mask, k.last_at);
    return k;
  }
  // An image's first and last 16 bytes (overlapping; the same ones when it is shorter, zero
  // padded), the mask keeping its bytes, and where the last 16 start.
  static void image_words(std::string_view bytes, word_pair& first, word_pair& last,
                          word_pair& mask, std::size_t& last_at) {
    std::string image(bytes);
    image.resize(std::max<std::size_t>(16, bytes.size()), '\0');
    unsigned char m[16];
    for (std::size_t b = 0; b < 16; ++b) m[b] = b < bytes.size() ? 0xFF : 0;
    last_at = image.size() - 16;
    std::memcpy(&first, image.data(), 16);
    std::memcpy(&last, image.data() + last_at, 16);
    std::memcpy(&mask, m, 16);
    first &= mask;
    last &= mask;
  }
  // An empty object {} is kept as that text under its own name.
  [[gnu::noinline]] void set_empty_object(std::size_t slot) {
    if (shape_[slot].column == no_column) {
      shape_[slot].column = add_column(slot_names_[slot]);
      count_writer(slot);
    }
    fields_[shape_[slot].column] = field{"{}", field_kind::text};
  }
  // Key bytes equal: whole words, the last one overlapping (keys repeat in the same order, so
  // the branches on the length are predictable).
  static bool same_bytes(const char* a, const char* b, std::size_t n) noexcept {
    if (n >= 8) {
      std::uint64_t diff = load<std::uint64_t>(a) ^ load<std::uint64_t>(b);
      diff |= load<std::uint64_t>(a + n - 8) ^ load<std::uint64_t>(b + n - 8);
      for (std::size_t i = 8; i + 8 < n; i += 8)  // keys longer than 16 bytes
        diff |= load<std::uint64_t>(a + i) ^ load<std::uint64_t>(b + i);
      return diff == 0;
    }
    if (n >= 4)
      return ((load<std::uint32_t>(a) ^ load<std::uint32_t>(b)) |
              (load<std::uint32_t>(a + n - 4) ^ load<std::uint32_t>(b + n - 4))) == 0;
    return n == 0 || (a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1]);
  }
  template <class Word>
  static Word load(const char* p) noexcept {
    Word w;
    std::memcpy(&w, p, sizeof w);
    return w;
  }

  std::vector<key_slot> shape_;                // the key sequence of the last record (see key_slot)
  std::vector<std::uint32_t> column_writers_;  // per column, how many slots of shape_ write it
  bool fields_hold_shape_ = false;       // fields_ holds the last record's fields, its keys shape_
  std::vector<std::string> slot_names_;  // shape_[i]'s full dotted name
  std::string key_bytes_;                // the keys of shape_, one after the other
  std::size_t slot_ = 0;                 // this record's next position in shape_
  std::size_t matchable_ = 0;  // slots below this may match (0 after this record's first mismatch)
};

}  // namespace riptide::io::jsonl
