// riptide/clean/row.hpp: a record after cleansing, the input of feature encoding.
//
// A row is the unit that flows from riptide::clean to riptide::features. Its `columns` are the
// chain's output column names (shared by every row of one chain); values[i] belongs to columns[i].
// Every row leaves the cleansing chain with exactly one disposition:
//   clean       - passed every rule unchanged (up to type casts),
//   repaired    - passed after the repairs listed in `repairs`,
//   quarantined - rejected; `reason` says why (the raw bytes are in the quarantine sink),
//   duplicate   - dropped by de-duplication.
// so that records_in == clean + repaired + quarantined + duplicates.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "riptide/io/location.hpp"
#include "riptide/value.hpp"

namespace riptide::clean {

enum class disposition : unsigned char { clean, repaired, quarantined, duplicate };

inline constexpr std::string_view to_string(disposition d) noexcept {
  switch (d) {
    case disposition::clean:
      return "clean";
    case disposition::repaired:
      return "repaired";
    case disposition::quarantined:
      return "quarantined";
    case disposition::duplicate:
      return "duplicate";
  }
  return "unknown";
}

/// Column names of a chain's output, shared by all its rows.
struct columns {
  std::vector<std::string> names;

  /// Index of `name`, if present.
  std::optional<std::size_t> find(std::string_view name) const {
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == name) return i;
    return std::nullopt;
  }
  std::size_t size() const noexcept { return names.size(); }
};

/// One repair applied to a row: which column, and what was done (e.g. "trimmed", "null->mean").
struct repair {
  std::string column;
  std::string what;
};

struct row {
  std::shared_ptr<const columns> names;
  std::vector<value> values;
  io::location where;
  disposition status = disposition::clean;
  std::vector<repair> repairs;  // filled when status == repaired
  std::string reason;           // filled when status == quarantined or duplicate

  /// Value of column `name`, or nullptr when the chain has no such column.
  const value* get(std::string_view name) const {
    if (!names) return nullptr;
    const auto i = names->find(name);
    return i && *i < values.size() ? &values[*i] : nullptr;
  }
};

}  // namespace riptide::clean
