// Test helper: record_views over owned strings, as a reader would yield them.
#pragma once

#include <riptide/io/record.hpp>

#include <deque>
#include <string>
#include <vector>

namespace riptide::test {

/// Holds the bytes and fields behind a list of record_views.
class records {
 public:
  explicit records(std::vector<std::string> names) : schema_(std::move(names)) {}

  /// Adds a good record of text fields (missing_from: fields past this index are missing).
  records& add(std::vector<std::string> texts) {
    auto& e = entries_.emplace_back();
    e.texts = std::move(texts);
    for (const auto& t : e.texts) {
      if (!e.raw.empty()) e.raw += ',';
      e.raw += t;
    }
    return *this;
  }
  /// Adds a record with explicit field kinds (JSON-like).
  records& add_kinds(std::vector<std::string> texts, std::vector<io::field_kind> kinds) {
    add(std::move(texts));
    entries_.back().kinds = std::move(kinds);
    return *this;
  }
  /// Adds a reader error record.
  records& add_error(io::error_code code, std::string message, std::string raw) {
    auto& e = entries_.emplace_back();
    e.error = code;
    e.message = std::move(message);
    e.raw = std::move(raw);
    return *this;
  }

  /// The views (valid while this object lives and is not modified).
  const std::vector<io::record_view>& views() {
    views_.clear();
    std::uint64_t offset = 0;
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      auto& e = entries_[i];
      e.fields.clear();
      for (std::size_t k = 0; k < e.texts.size(); ++k)
        e.fields.push_back({e.texts[k], k < e.kinds.size() ? e.kinds[k] : io::field_kind::text});
      io::record_view v;
      v.columns = &schema_;
      v.fields = e.fields;
      v.where.source = "test.csv";
      v.where.line = i + 2;
      v.where.byte_offset = offset;
      v.where.index = i;
      v.raw = e.raw;
      v.error = e.error;
      v.message = e.message;
      offset += e.raw.size() + 1;
      views_.push_back(v);
    }
    return views_;
  }

  io::schema& schema() { return schema_; }

 private:
  struct entry {
    std::vector<std::string> texts;
    std::vector<io::field_kind> kinds;
    std::vector<io::field> fields;
    std::string raw;
    io::error_code error = io::error_code::none;
    std::string message;
  };
  io::schema schema_;
  std::deque<entry> entries_;
  std::vector<io::record_view> views_;
};

}  // namespace riptide::test
