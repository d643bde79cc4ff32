// riptide/clean/quarantine.hpp: sinks for the records a cleansing chain rejects.
//
// A rejected record (quarantined or duplicate) is kept with its reason, location and raw bytes,
// so that nothing is lost and every rejection can be traced back to its source. Sinks:
//   discard      counts nothing, keeps nothing (the chain's report still counts every record);
//   quarantine   keeps owned copies in memory (the first `max_kept`; size() counts all);
//   to_jsonl     formats one rejected record as a JSON Lines object, for file sinks:
//                {"status":"quarantined","reason":"...","source":"...","line":12,
//                 "byte_offset":345,"index":11,"raw":"..."}
//
// Example:
//   riptide::clean::quarantine q;
//   riptide::clean::row r;
//   r.status = riptide::clean::disposition::quarantined;
//   r.reason = "cast(tenure): not a number: 'abc'";
//   riptide::io::record_view rec;
//   rec.raw = "x,abc";
//   q(r, rec);
//   if (q.size() != 1 || q.records()[0].raw != "x,abc") std::abort();
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "riptide/clean/report.hpp"
#include "riptide/clean/row.hpp"
#include "riptide/io/record.hpp"

namespace riptide::clean {

/// A sink that keeps nothing.
struct discard {
  void operator()(const row&, const io::record_view&) const noexcept {}
};

/// An owned copy of a rejected record.
struct rejected_record {
  disposition status = disposition::quarantined;
  std::string reason;
  std::string source;
  std::uint64_t line = 0;
  std::uint64_t byte_offset = 0;
  std::uint64_t index = 0;
  std::string raw;
};

/// Keeps rejected records in memory (the first `max_kept`).
class quarantine {
 public:
  explicit quarantine(std::size_t max_kept = std::numeric_limits<std::size_t>::max())
      : max_kept_(max_kept) {}

  void operator()(const row& r, const io::record_view& rec) {
    ++seen_;
    if (kept_.size() >= max_kept_) return;
    kept_.push_back({r.status, r.reason, std::string(rec.where.source), rec.where.line,
                     rec.where.byte_offset, rec.where.index, std::string(rec.raw)});
  }

  /// Rejected records seen (kept or not).
  std::size_t size() const noexcept { return seen_; }
  const std::vector<rejected_record>& records() const noexcept { return kept_; }

 private:
  std::size_t max_kept_;
  std::size_t seen_ = 0;
  std::vector<rejected_record> kept_;
};

/// Appends one JSON Lines object (with its '\n') describing a rejected record.
inline void to_jsonl(std::string& out, const row& r, const io::record_view& rec) {
  out += "{\"status\":";
  append_json_string(out, to_string(r.status));
  out += ",\"reason\":";
  append_json_string(out, r.reason);
  out += ",\"source\":";
  append_json_string(out, rec.where.source);
  out += ",\"line\":" + std::to_string(rec.where.line);
  out += ",\"byte_offset\":" + std::to_string(rec.where.byte_offset);
  out += ",\"index\":" + std::to_string(rec.where.index);
  out += ",\"raw\":";
  append_json_string(out, rec.raw);
  out += "}\n";
}

}  // namespace riptide::clean
