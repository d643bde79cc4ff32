// riptide/io/jsonl/error_location.hpp: where in a bad JSON line the error lies (io/jsonl.hpp; this
// file is part of it, include that one). When the DOM parser rejects a line for one value's error
// (a bad number, string escape or literal), the line is walked again with simdjson's On-Demand
// API, which reports such an error at the value, to name the member holding it (dotted, as its
// column would be): the error record's message then names it and its error_field is that column.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace riptide::io::jsonl {

// Errors simdjson raises for one value (a number, string or literal), which can be pinned to
// the member holding it.
inline bool is_value_error(simdjson::error_code e) noexcept {
  switch (e) {
    case simdjson::NUMBER_ERROR:
    case simdjson::NUMBER_OUT_OF_RANGE:
    case simdjson::STRING_ERROR:
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR:
    case simdjson::N_ATOM_ERROR:
      return true;
    default:
      return false;
  }
}

enum class walk { ok, found, lost };  // lost: a structural error, not one member's

inline walk walk_value(simdjson::ondemand::value v, std::string& name);

inline walk walk_members(simdjson::ondemand::object obj, std::string& name) {
  const std::size_t prefix = name.size();
  for (auto member : obj) {
    simdjson::ondemand::field f;
    std::string_view key;
    if (std::move(member).get(f) || f.unescaped_key().get(key)) return walk::lost;
    name.resize(prefix);
    if (prefix > 0) name += '.';
    name += key;
    if (const walk w = walk_value(f.value(), name); w != walk::ok) return w;
  }
  name.resize(prefix);
  return walk::ok;
}

inline walk walk_value(simdjson::ondemand::value v, std::string& name) {
  simdjson::ondemand::json_type type;
  if (v.type().get(type)) return walk::found;
  switch (type) {
    case simdjson::ondemand::json_type::object: {
      simdjson::ondemand::object obj;
      if (v.get_object().get(obj)) return walk::found;
      return walk_members(obj, name);
    }
    case simdjson::ondemand::json_type::array: {
      simdjson::ondemand::array arr;
      if (v.get_array().get(arr)) return walk::found;
      for (auto element : arr) {
        simdjson::ondemand::value ev;
        if (std::move(element).get(ev)) return walk::lost;
        if (const walk w = walk_value(ev, name); w != walk::ok) return w;
      }
      return walk::ok;
    }
    case simdjson::ondemand::json_type::string: {
      std::string_view text;
      return v.get_string().get(text) ? walk::found : walk::ok;
    }
    case simdjson::ondemand::json_type::number: {
      simdjson::ondemand::number number;
      return v.get_number().get(number) ? walk::found : walk::ok;
    }
    case simdjson::ondemand::json_type::boolean: {
      bool b = false;
      return v.get_bool().get(b) ? walk::found : walk::ok;
    }
    case simdjson::ondemand::json_type::null: {
      bool null = false;
      return v.is_null().get(null) || !null ? walk::found : walk::ok;
    }
  }
  return walk::lost;
}

// On the error path only: walks the line with simdjson's On-Demand API, which reports a value's
// error at the value, to name the member (dotted, as its column would be) holding the bad value.
// On-Demand reads the byte after the document (a root object followed by '}' is checked for
// balance and rejected whole), so the line is walked from a copy padded with blanks: the
// member named does not depend on what follows the line in the reader's buffer.
inline bool find_bad_member(simdjson::ondemand::parser& parser, std::string& copy, const char* json,
                            std::size_t len, std::string& name) {
  copy.assign(json, len);
  copy.append(simdjson::SIMDJSON_PADDING, ' ');
  simdjson::ondemand::document doc;
  simdjson::ondemand::object obj;
  if (parser.iterate(copy.data(), len, copy.size()).get(doc) || doc.get_object().get(obj))
    return false;
  return walk_members(obj, name) == walk::found;
}

}  // namespace riptide::io::jsonl
