// riptide/clean/report.hpp: the accounting of a cleansing run.
//
// Every record read ends with exactly one disposition, so `in == clean + repaired + quarantined +
// duplicates` always holds (balanced()). `reasons` counts rejected records by reason key
// ("cast(tenure): not an integer", "read: field_count", "dedup: duplicate"; their sum is
// quarantined + duplicates), `repairs` counts repairs by key ("trim(gender): trimmed"; a record
// may have several), `flags` counts soft-check failures of records that flowed on.
//
// Example:
//   riptide::clean::report r;
//   r.in = 3; r.clean = 1; r.repaired = 1; r.quarantined = 1;
//   r.reasons["drop_if_null(total_charges): null"] = 1;
//   if (!r.balanced() || r.to_json().find("\"quarantined\":1") == std::string::npos) std::abort();
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace riptide::clean {

/// Appends `s` as a JSON string literal (quotes included). Bytes that are not valid UTF-8 are
/// written as \u00XX escapes of their Latin-1 reading, so the output is always valid JSON.
inline void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        continue;
      case '\\':
        out += "\\\\";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\r':
        out += "\\r";
        continue;
      case '\t':
        out += "\\t";
        continue;
      default:
        break;
    }
    if (c < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
      continue;
    }
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      continue;
    }
    // Validate one UTF-8 sequence (no overlongs, no surrogates, <= U+10FFFF).
    std::size_t len = 0;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    }
    bool valid = len > 0 && i + len <= s.size();
    for (std::size_t k = 1; valid && k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if (b < (k == 1 ? lo : 0x80u) || b > (k == 1 ? hi : 0xBFu)) valid = false;
    }
    if (valid) {
      out.append(s.substr(i, len));
      i += len - 1;
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    }
  }
  out.push_back('"');
}

struct report {
  std::uint64_t in = 0;
  std::uint64_t clean = 0;
  std::uint64_t repaired = 0;
  std::uint64_t quarantined = 0;
  std::uint64_t duplicates = 0;
  std::map<std::string, std::uint64_t, std::less<>> reasons;
  std::map<std::string, std::uint64_t, std::less<>> repairs;
  std::map<std::string, std::uint64_t, std::less<>> flags;

  bool balanced() const noexcept { return in == clean + repaired + quarantined + duplicates; }

  /// The counts (snapshot/archive.hpp); the keyed counts as parallel lists.
  template <class Archive>
  void state(Archive& a) {
    a("in", in);
    a("clean", clean);
    a("repaired", repaired);
    a("quarantined", quarantined);
    a("duplicates", duplicates);
    keyed(a, "reasons", reasons);
    keyed(a, "repairs", repairs);
    keyed(a, "flags", flags);
  }

  /// {"records":{"in":..,"clean":..,"repaired":..,"quarantined":..,"duplicates":..},
  ///  "reasons":{..},"repairs":{..},"flags":{..}}
  template <class Archive, class Map>
  static void keyed(Archive& a, const char* name, Map& m) {
    std::vector<std::string> keys;
    std::vector<std::uint64_t> counts;
    for (const auto& [k, n] : m) {
      keys.push_back(k);
      counts.push_back(n);
    }
    a(std::string(name).append("_keys"), keys);
    a(std::string(name).append("_counts"), counts);
    if constexpr (Archive::loading) {
      a.check(keys.size() == counts.size(), "keys and counts differ in number");
      m.clear();
      for (std::size_t i = 0; i < keys.size(); ++i) m[keys[i]] += counts[i];
    }
  }

  std::string to_json() const {
    std::string out = "{\"records\":{\"in\":" + std::to_string(in) +
                      ",\"clean\":" + std::to_string(clean) +
                      ",\"repaired\":" + std::to_string(repaired) +
                      ",\"quarantined\":" + std::to_string(quarantined) +
                      ",\"duplicates\":" + std::to_string(duplicates) + "}";
    const auto section = [&out](std::string_view name, const auto& counts) {
      out += ",\"";
      out += name;
      out += "\":{";
      bool first = true;
      for (const auto& [key, n] : counts) {
        if (!first) out.push_back(',');
        first = false;
        append_json_string(out, key);
        out += ':';
        out += std::to_string(n);
      }
      out += "}";
    };
    section("reasons", reasons);
    section("repairs", repairs);
    section("flags", flags);
    out += "}";
    return out;
  }
};

}  // namespace riptide::clean
