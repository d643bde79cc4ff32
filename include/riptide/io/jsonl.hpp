// riptide/io/jsonl.hpp: a JSON Lines reader on simdjson (On-Demand, with its DOM parser for the
// lines On-Demand does not take), as a range-v3 input range of io::record_view (the same record
// model as the CSV reader).
//
// Lines are read with simdjson's On-Demand API (options.on_demand, the default), which parses
// values as they are visited instead of building a tape first, in batches: about
// options.batch_bytes of complete lines per iterate_many (one stage-1 pass over the block), each
// document taken only when it is exactly its line's object. (In simdjson 3.0.1, Debian 12's,
// On-Demand's iteration is compiled for the build's baseline while its stage 1 and string
// unescaping dispatch at run time to the best kernel the CPU has.) A batch's line ends are found
// in one SIMD pass (newline_scan.hpp; options.newlines picks the kernel) rather than one memchr
// per line. Records repeat their keys, so the flattened key sequence of the previous line (its
// slots) is reused while it matches: each member's key is compared with its slot's where it lies
// in the line, with no dotted name built and no hashing, and the last record's fields are
// overwritten in place.
//
// A line a batch does not take is read alone (as every line is with batch_bytes = 0), with
// On-Demand again, and a line On-Demand does not take whole goes through the DOM parser, which
// gives the same records, errors and messages by construction: a line that is not exactly one
// valid object (its error record then carries the DOM parser's text), a line with a member whose
// column is new (the DOM walk adds columns, so a line given up half way adds none), one nested
// deeper than 64 objects, or one with a number token longer than 19 characters (see
// od_max_number_chars). After such a line the next ones go straight to the DOM parser, 1, 2,
// 4 .. up to 64 of them while On-Demand keeps giving up (a stream whose every line brings new
// columns pays for On-Demand on few of its lines).
//
// With on_demand off, every line goes through simdjson's DOM parser, in batches of parse_many
// taken the same way (or alone with batch_bytes = 0). The key sequence is reused as above, and
// while its values keep their types only their payloads are stored (a string's text, a number's
// bits: the fields hold their kinds already). Either way numbers are kept as values, not written
// back to text (see below).
//
// Each DOM document is read straight from simdjson's tape (dom::document's tape and string
// buffer, doc/tape.md), not through dom::element with its type checks and tape_ref copies (about
// 1.1x the records/s on the bench's Telco lines); when a record's keys are the previous
// record's, its fields are overwritten in place instead of cleared first. That layout is
// simdjson's documented but internal one, so it is read only for the versions it was checked
// against (simdjson 3.x; see detail::tape_walk_checked); with any other version, or with
// options.element_walk (which also turns On-Demand off), the documents are read through
// dom::element. All three walks give the same records (tests and the fuzz target compare them),
// arrays' text included (written by simdjson's own minifier, mini_formatter, in each).
//
// What it reads: one JSON object per line (LF or CRLF line ends; a UTF-8 byte order mark at the
// start is skipped; empty or all-whitespace lines are skipped and counted in stats().blank_lines).
// Each object becomes one record:
//  - nested objects are flattened to dotted names: {"a":{"b":1}} is column "a.b" (an empty
//    object {} is kept as the text "{}" under its own name);
//  - arrays are kept as their JSON text, minified (field_kind::text), e.g. "[1,\"x\"]";
//  - strings are unescaped (text); true/false are boolean, null is null (text "null");
//  - numbers are typed values: kind integer (fits int64: field::integer()) or real (anything
//    else, including integers up to 2^64: field::real()), with field::has_number set. Their
//    text is not materialised (field::text is empty; for integers beyond int64 it holds their
//    digits): io::text_of(field, buf) writes it on demand in shortest round-trip form
//    (std::to_chars: 1.50 reads "1.5", 1e3 reads "1000"). Writing every number back to text
//    cost about a fifth of the reader's time, and the cleansing chain wants the value anyway.
//    Numbers simdjson cannot represent (beyond 2^64 or double) make the line an error record;
//  - keys are columns in order of first appearance: the schema grows as new keys show up, and
//    a record lacks (field_kind::missing) the columns it does not have. A key repeated in one
//    object keeps its last value.
// A line that is not one valid JSON object becomes an error record carrying simdjson's error
// text (json_syntax; invalid_utf8 for bad UTF-8, nul_byte when the line holds a NUL byte), its
// location and raw bytes; reading goes on with the next line. When the error is one value's (a
// bad number, string escape or literal), the message names the member holding it (dotted) and
// error_field is that member's column if the schema has it (-1 otherwise). Chunked sources: a line
// longer than options.max_record_bytes is a too_large error record (raw: its first max_record_bytes
// bytes) and the rest of the line is skipped.
//
// Lifetimes: field texts point into the reader's buffer or simdjson's string buffer, valid until
// the iterator advances (io::record keeps a copy). Sources and provenance as in csv.hpp.
//
// Example:
//   auto reader = riptide::io::read_jsonl_text(
//       "{\"id\":1,\"plan\":{\"name\":\"pro\",\"price\":9.5},\"tags\":[\"a\"]}\n"
//       "{\"id\":2,\"churned\":true}\n"
//       "{\"id\":3,\n");
//   std::size_t good = 0, bad = 0;
//   for (const riptide::io::record_view& r : reader) {
//     if (!r.ok()) { ++bad; continue; }  // line 3 is cut short: an error record
//     ++good;
//     if (r.where.line == 1 && r.get("plan.price").real() != 9.5) std::abort();
//     char number[32];  // a number's text, written on demand
//     if (riptide::io::text_of(r.get("id"), number) != std::to_string(r.where.line)) std::abort();
//   }
//   if (good != 2 || bad != 1 || reader.columns().size() != 5) std::abort();
#pragma once

#include <simdjson.h>

#if defined(__SSE4_1__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <bit>
#include <charconv>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <istream>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "riptide/io/jsonl/error_location.hpp"
#include "riptide/io/jsonl/on_demand_walk.hpp"
#include "riptide/io/newline_scan.hpp"
#include "riptide/io/number_text.hpp"
#include "riptide/io/reader_stats.hpp"
#include "riptide/io/record.hpp"
#include "riptide/io/record_range.hpp"
#include "riptide/io/source.hpp"

namespace riptide::io {

struct jsonl_options {
  std::size_t max_record_bytes = std::size_t{64} << 20;     // chunked sources: too_large beyond
  std::size_t chunk_bytes = buffered_input::default_chunk;  // read size for chunked sources
  // Reads lines with simdjson's On-Demand API first (see the top of this file); false parses
  // every line with its DOM parser. The same records either way.
  bool on_demand = true;
  // Lines are parsed in batches of up to this many bytes (simdjson iterate_many, or parse_many
  // without on_demand); 0 parses one line at a time. Either way the records are the same.
  std::size_t batch_bytes = std::size_t{256} << 10;
  std::string source_name;  // overrides the source's name in locations when not empty
  // Reads simdjson's DOM documents through dom::element even where its tape can be read directly
  // (see the top of this file), and every line with the DOM parser (on_demand is then off): the
  // same records, slower; for tests.
  bool element_walk = false;
  // The kernel finding a batch's line ends (newline_scan.hpp): the same records with any.
  newline_kernel newlines = newline_kernel::automatic;
};

using jsonl_stats = reader_stats;

namespace detail {

inline std::string_view trim_json_space(std::string_view s) {
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// The reader's state is one object, stacked from the reader's parts (each in io/jsonl/, namespace
// riptide::io::jsonl): the record under construction (record_fields.hpp), the shape cache
// (shape_cache.hpp), the walks that fill the record from a parsed line (element_walk.hpp,
// tape_walk.hpp, on_demand_walk.hpp: they must give the same records) and, here, the framing:
// lines and batches, which walk reads which line, error records (error_location.hpp names the
// member holding a bad value).
class jsonl_state : public jsonl::on_demand_walk {
 public:
  jsonl_state(std::unique_ptr<byte_source> source, jsonl_options options)
      : options_(std::move(options)),
        in_(std::move(source), options_.chunk_bytes),
        batch_bytes_(std::min(options_.batch_bytes, max_batch_bytes)),
        newlines_(options_.newlines),
        on_demand_(options_.on_demand && !options_.element_walk) {
    if (!options_.source_name.empty()) in_.set_name(options_.source_name);
#ifdef SIMDJSON_THREADS_ENABLED
    parser_.threaded = false;     // one batch per parse_many: no stage-1 thread to overlap with
    od_parser_.threaded = false;  // the same for iterate_many
#endif
  }

  const record_view& current() const noexcept {
    return current_;
  }
  bool done() const noexcept {
    return done_;
  }
  const schema& columns() const noexcept {
    return schema_;
  }
  const reader_stats& stats() const noexcept {
    return stats_;
  }
  const std::string& source_name() const noexcept {
    return in_.name();
  }

  void start() {
    if (started_) return;
    started_ = true;
    ensure_line_start(3);
    const std::string_view w = in_.window();
    if (w.size() >= 3 && w.compare(0, 3, "\xEF\xBB\xBF") == 0) pos_ = 3;
    advance();
  }
  void advance() {
    if (in_od_batch_ && od_batch_next()) return;  // the usual case, kept in line
    done_ = !read_next();
  }

 private:
  void ensure_line_start(std::size_t want) {
    while (in_.window().size() - pos_ < want && !in_.at_end_of_source()) refill();
  }
  void refill() {
    in_.refill(pos_);
    pos_ = 0;
  }

  static bool all_space(std::string_view s) {
    for (const char c : s)
      if (c != ' ' && c != '\t' && c != '\r') return false;
    return true;
  }

  bool read_next() {
    for (;;) {
      if (in_od_batch_ && od_batch_next()) return true;
      if (in_batch_ && batch_next()) return true;
      ensure_line_start(1);
      std::string_view w = in_.window();
      if (pos_ >= w.size()) return emit_io_error();
      if (batch_bytes_ > 0 && !line_path_next_ && (on_demand_ ? start_od_batch() : start_batch()))
        continue;
      line_path_next_ = false;
      // Find the line end, reading more while the line is incomplete.
      std::size_t eol = std::string_view::npos;
      for (;;) {
        w = in_.window();
        const void* nl = std::memchr(w.data() + pos_, '\n', w.size() - pos_);
        if (nl != nullptr) {
          eol = static_cast<std::size_t>(static_cast<const char*>(nl) - w.data());
          break;
        }
        if (in_.at_end_of_source()) {
          eol = w.size();
          break;
        }
        if (w.size() - pos_ > options_.max_record_bytes) return emit_too_large();
        refill();
      }
      w = in_.window();
      const std::size_t next = eol < w.size() ? eol + 1 : eol;
      std::string_view line = w.substr(pos_, eol - pos_);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (all_space(line)) {
        skip_blank_line(next);
        continue;
      }
      parse_line(w, line);
      emit(line, next);
      return true;
    }
  }

  void skip_blank_line(std::size_t next) {
    ++stats_.blank_lines;
    ++line_;
    pos_ = next;
    stats_.lines = line_ - 1;
    stats_.bytes = in_.window_offset() + pos_;
  }

  // current_ holds the record of `line` (at pos_); the next line starts at window position next.
  void emit(std::string_view line, std::size_t next) {
    current_.where = {in_.name(), line_, in_.window_offset() + pos_, stats_.records++};
    current_.raw = line;
    if (!current_.ok()) ++stats_.errors;
    ++line_;
    pos_ = next;
    stats_.lines = line_ - 1;
    stats_.bytes = in_.window_offset() + pos_;
  }

  // --- Batches -------------------------------------------------------------------------------
  // The complete lines in the window from pos_ (up to batch_bytes_ bytes) are parsed with one
  // parse_many: one stage-1 pass over the block instead of one per line. simdjson sees documents,
  // not lines, and stops at the first bad one, so each document is taken only when it is exactly
  // one line's object (it starts at the line's first non-blank byte, is an object, and only blanks
  // follow it on the line). The first line that is not so ends the batch, goes through the line
  // path (which gives its error record, or its record when the block's trouble lay elsewhere), and
  // the next batch starts after it. The batch size halves after each such line (so that a dirty
  // stretch does not pay for stage 1 over long blocks again and again) and doubles back after
  // each clean batch.

  // Starts a batch at pos_ (a line start); false when the window has fewer than two complete
  // lines from there (the line path is cheaper for one line).
  bool start_batch() {
    const char* json = batch_block();
    if (json == nullptr) return false;
    const std::size_t len = batch_end_ - pos_;
    if (parser_.parse_many(json, len, len).get(stream_)) return false;
    doc_ = stream_.begin();
    start_lines(len);
    in_batch_ = true;
    return true;
  }

  // The batch's block from pos_: sets batch_end_ and returns where simdjson may read it (the
  // window, or a padded copy), or nullptr when the window has fewer than two complete lines
  // from pos_ (the line path is cheaper for one line).
  const char* batch_block() {
    const std::string_view w = in_.window();
    const std::size_t limit = std::min(w.size(), pos_ + batch_bytes_);
    std::size_t end = 0;
    if (limit == w.size() && in_.at_end_of_source()) {
      end = w.size();
    } else {
      const std::size_t nl = w.substr(pos_, limit - pos_).rfind('\n');
      if (nl == std::string_view::npos) return nullptr;
      end = pos_ + nl + 1;
    }
    const void* first_nl = std::memchr(w.data() + pos_, '\n', end - pos_);
    if (first_nl == nullptr || static_cast<const char*>(first_nl) + 1 >= w.data() + end)
      return nullptr;
    const std::size_t len = end - pos_;
    const char* json = w.data() + pos_;
    if (w.size() + in_.readable_past_window() < end + simdjson::SIMDJSON_PADDING) {
      // Too close to the end of the readable bytes for simdjson's padding: parse a padded copy.
      if (batch_copy_.size() < len + simdjson::SIMDJSON_PADDING)
        batch_copy_.resize(len + simdjson::SIMDJSON_PADDING);
      std::memcpy(batch_copy_.data(), json, len);
      json = batch_copy_.data();
    }
    batch_end_ = end;
    return json;
  }
  // The batch's line ends (each line consumes the next one), from pos_.
  void start_lines(std::size_t len) {
    batch_start_ = pos_;
    line_ends_ = newlines_.find(in_.window().data() + pos_, len);
    next_line_end_ = 0;
    advance_doc_ = false;
  }

  // The batch's next record; false when the batch is over (all its lines read, or a line the
  // line path must read: then line_path_next_ is set).
  [[gnu::always_inline]] bool batch_next() {
    if (advance_doc_) {
      ++doc_;
      advance_doc_ = false;
    }
    const std::string_view w = in_.window();
    batch_line l;
    if (!next_batch_line(w, l)) {
      in_batch_ = false;
      return batch_over();
    }
    if (!(doc_ != stream_.end())) return leave_batch();
    simdjson::dom::element doc;
    simdjson::dom::object obj;
    if ((*doc_).get(doc) || doc.get_object().get(obj)) return leave_batch();
    const std::size_t at = batch_start_ + doc_.current_index();
    if (at != pos_ + l.lead) return leave_batch();
    const std::size_t doc_end = at + doc_.source().size();
    const std::size_t line_end = pos_ + l.text.size();
    if (doc_end > line_end || !all_space(w.substr(doc_end, line_end - doc_end)))
      return leave_batch();
    begin_record();
    build_record(obj);
    end_record();
    emit(l.text, l.next);
    advance_doc_ = true;
    return true;
  }

  // A batch line: its text (without a CR before its LF), the blanks before its first byte, and
  // the window position where the line after it starts.
  struct batch_line {
    std::string_view text;
    std::size_t lead = 0;
    std::size_t next = 0;
  };

  // The batch's next line that is not blank (blank ones are skipped and counted); false when
  // the batch's lines are all read. A line ends at the batch's next newline (every line read or
  // skipped consumes one; a line the batch leaves to the line path ends the batch), or at the
  // end of an unterminated last line.
  [[gnu::always_inline]] bool next_batch_line(std::string_view w, batch_line& l) {
    while (pos_ < batch_end_) {
      const bool terminated = next_line_end_ < line_ends_.size();
      const std::size_t eol = terminated ? batch_start_ + line_ends_[next_line_end_++] : batch_end_;
      l.next = terminated ? eol + 1 : eol;
      l.text = w.substr(pos_, eol - pos_);
      if (!l.text.empty() && l.text.back() == '\r') l.text.remove_suffix(1);
      if (all_space(l.text)) {
        skip_blank_line(l.next);
        continue;
      }
      l.lead = 0;
      while (l.text[l.lead] == ' ' || l.text[l.lead] == '\t' || l.text[l.lead] == '\r') ++l.lead;
      return true;
    }
    return false;
  }

  // Every line of a batch was read: the next batch may be twice as long.
  bool batch_over() {
    batch_bytes_ = std::min({options_.batch_bytes, max_batch_bytes, batch_bytes_ * 2});
    return false;
  }

  // On-Demand batches: the same, with iterate_many (one stage-1 pass over the block) and the
  // On-Demand walk; a document is taken only when it is exactly its line's object (it starts
  // at the line's first non-blank byte, and the next token after it lies beyond the line with
  // only blanks between), and read only while it repeats the last record's keys or its members'
  // columns exist (od_record); any other line ends the batch and goes through the line path.
  bool start_od_batch() {
    const char* json = batch_block();
    if (json == nullptr) return false;
    const std::size_t len = batch_end_ - pos_;
    if (od_parser_.iterate_many(json, len, len).get(od_stream_)) return false;
    od_doc_ = od_stream_.begin();
    od_batch_json_ = json;
    start_lines(len);
    in_od_batch_ = true;
    return true;
  }

  [[gnu::always_inline]] bool od_batch_next() {
    if (advance_doc_) {
      ++od_doc_;
      advance_doc_ = false;
    }
    const std::string_view w = in_.window();
    batch_line l;
    if (!next_batch_line(w, l)) {
      in_od_batch_ = false;
      return batch_over();
    }
    if (!(od_doc_ != od_stream_.end())) return leave_od_batch();
    if (batch_start_ + od_doc_.current_index() != pos_ + l.lead) return leave_od_batch();
    simdjson::ondemand::document_reference doc;
    if ((*od_doc_).get(doc)) return leave_od_batch();
    // The line's end where simdjson reads it.
    const char* const line_end = od_batch_json_ + (pos_ + l.text.size() - batch_start_);
    od_end_ = line_end;
    begin_record();
    bool last = false;  // no token after the document in simdjson's batch
    if (!od_record(doc, [line_end, &last](simdjson::ondemand::document_reference& d) {
          const char* at = nullptr;
          const simdjson::error_code e = d.current_location().get(at);
          // Nothing after it in simdjson's batch, which may end before the block does (when
          // the block's tail looks unbalanced): what follows it is unknown here.
          last = e == simdjson::OUT_OF_BOUNDS;
          if (e != simdjson::SUCCESS || at < line_end) return false;
          for (const char* p = line_end; p < at; ++p)
            if (*p != '\n' && *p != '\r' && *p != ' ' && *p != '\t') return false;
          return true;
        }))
      return last ? end_od_batch() : leave_od_batch();
    end_record();
    emit(l.text, l.next);
    advance_doc_ = true;
    return true;
  }

  bool leave_od_batch() {
    in_od_batch_ = false;
    return leave_batch();
  }
  // The batch's last document (see od_batch_next) is read by the line path; the batch size
  // stays.
  bool end_od_batch() {
    in_od_batch_ = false;
    line_path_next_ = true;
    return false;
  }

  bool leave_batch() {
    in_batch_ = false;
    line_path_next_ = true;
    batch_bytes_ = std::max(std::min(options_.batch_bytes, min_batch_bytes), batch_bytes_ / 2);
    return false;
  }

  // A chunked source's line grew past max_record_bytes: yield its first bytes as a too_large
  // error and skip the rest of the line.
  bool emit_too_large() {
    const std::uint64_t offset = in_.window_offset() + pos_;
    too_large_raw_.assign(in_.window().substr(pos_, options_.max_record_bytes));
    bool found = false;
    while (!found) {
      const std::string_view w = in_.window();
      const void* nl = std::memchr(w.data() + pos_, '\n', w.size() - pos_);
      if (nl != nullptr) {
        pos_ = static_cast<std::size_t>(static_cast<const char*>(nl) - w.data()) + 1;
        found = true;
      } else {
        pos_ = w.size();
        if (in_.at_end_of_source()) break;
        refill();
      }
    }
    fields_.clear();
    fields_hold_shape_ = false;
    message_ = "line longer than " + std::to_string(options_.max_record_bytes) + " bytes";
    current_ = record_view{};
    current_.columns = &schema_;
    current_.where = {in_.name(), line_, offset, stats_.records++};
    current_.raw = too_large_raw_;
    current_.error = error_code::too_large;
    current_.message = message_;
    ++stats_.errors;
    ++line_;
    stats_.lines = line_ - 1;
    stats_.bytes = in_.window_offset() + pos_;
    return true;
  }

  bool emit_io_error() {
    if (in_.error().empty() || io_error_reported_) return false;
    io_error_reported_ = true;
    fields_.clear();
    fields_hold_shape_ = false;
    message_ = in_.name() + ": " + in_.error();
    current_ = record_view{};
    current_.columns = &schema_;
    current_.where = {in_.name(), line_, in_.window_offset() + pos_, stats_.records++};
    current_.error = error_code::io_error;
    current_.message = message_;
    ++stats_.errors;
    return true;
  }

  // Fields are cleared (all missing) when the record is built (see build_record).
  void begin_record() {
    scratch_used_ = 0;
    current_.columns = &schema_;
    current_.error = error_code::none;
    current_.error_field = -1;
    current_.message = {};
  }

  void build_record(simdjson::dom::object obj) {
    if (od_fields_) {  // od_line wrote them, keeping no slot types: build
      od_fields_ = false;
      fields_hold_shape_ = false;
    }
    if (!options_.element_walk && read_tape(parser_)) {
      // fields_ still holds the last record, whose keys were shape_: when this record's keys are
      // the same, it sets the same fields, so they need no clearing (else it is walked again).
      if (fields_hold_shape_ && repeat_tape()) return;
      clear_fields();
      build_tape();
      fields_hold_shape_ = true;
      return;
    }
    clear_fields();
    fields_hold_shape_ = false;  // this walk leaves shape_ longer when the record is shorter
    slot_ = 0;
    matchable_ = shape_.size();
    flatten(obj, 0, 0);
  }

  void end_record() {
    current_.fields = std::span<const field>(fields_.data(), fields_.size());
  }

  // Parses `line` (a view into window w) alone into fields_ and the error fields of current_.
  void parse_line(std::string_view w, std::string_view line) {
    const auto line_start = static_cast<std::size_t>(line.data() - w.data());
    const std::size_t readable = w.size() + in_.readable_past_window() - line_start;
    const char* json = line.data();
    if (readable < line.size() + simdjson::SIMDJSON_PADDING) {
      // Too close to the end of the mapped bytes for simdjson's padding: parse a padded copy.
      if (padded_.size() < line.size() + simdjson::SIMDJSON_PADDING)
        padded_.resize(line.size() + simdjson::SIMDJSON_PADDING);
      std::memcpy(padded_.data(), line.data(), line.size());
      json = padded_.data();
    }
    begin_record();
    if (on_demand_) {
      if (od_skip_ > 0) {
        --od_skip_;
      } else if (od_line(json, line.size())) {
        od_backoff_ = 0;
        end_record();
        return;
      } else {  // the DOM parser reads this line, and the next od_backoff_ ones (see od_line)
        od_backoff_ = std::clamp<std::uint32_t>(od_backoff_ * 2, 1, od_max_backoff);
        od_skip_ = od_backoff_;
      }
    }
    simdjson::dom::element doc;
    simdjson::error_code e = parser_.parse(json, line.size(), false).get(doc);
    if (e == simdjson::SUCCESS) {
      simdjson::dom::object obj;
      e = doc.get_object().get(obj);
      if (e == simdjson::SUCCESS) build_record(obj);
    }
    if (e != simdjson::SUCCESS) {
      fields_.clear();
      fields_hold_shape_ = false;
      current_.error =
          e == simdjson::UTF8_ERROR ? error_code::invalid_utf8 : error_code::json_syntax;
      if (std::memchr(line.data(), 0, line.size()) != nullptr)
        current_.error = error_code::nul_byte;
      message_ = simdjson::error_message(e);
      if (e == simdjson::INCORRECT_TYPE) message_ = "the line is not a JSON object";
      if (jsonl::is_value_error(e)) {
        std::string name;
        if (jsonl::find_bad_member(od_parser_, member_copy_, json, line.size(), name)) {
          message_ += " (member \"" + name + "\")";
          if (const auto column = schema_.find(name))
            current_.error_field = static_cast<std::int64_t>(*column);
        }
      }
      current_.message = message_;
    }
    end_record();
  }

  jsonl_options options_;
  buffered_input in_;
  simdjson::dom::parser parser_;
  simdjson::dom::document_stream stream_;               // the batch being read (see start_batch)
  simdjson::dom::document_stream::iterator doc_;        // its next document
  static constexpr std::size_t min_batch_bytes = 4096;  // the batch size never halves below
  static constexpr std::size_t max_batch_bytes = std::size_t{1} << 30;  // line ends are 32-bit
  std::size_t batch_bytes_;                                             // the next batch's size
  std::size_t batch_start_ = 0, batch_end_ = 0;  // the batch's window positions
  newline_scanner newlines_;                     // finds a batch's line ends
  std::span<const std::uint32_t> line_ends_;     // the batch's, from batch_start_
  std::size_t next_line_end_ = 0;                // the line at pos_ ends at this one
  bool in_batch_ = false;
  bool in_od_batch_ = false;
  simdjson::ondemand::document_stream od_stream_;  // an On-Demand batch (see start_od_batch)
  simdjson::ondemand::document_stream::iterator od_doc_;
  const char* od_batch_json_ = nullptr;  // where simdjson reads the batch
  bool advance_doc_ = false;             // doc_ still holds the record last yielded
  bool line_path_next_ = false;          // the next line goes through the line path
  std::vector<char> batch_copy_;         // a batch copied for padding (the end of a mapped file)
  bool on_demand_;                       // lines are read by od_line first
  static constexpr std::uint32_t od_max_backoff = 64;
  std::uint32_t od_backoff_ = 0;  // lines left to the DOM parser after od_line last gave up
  std::uint32_t od_skip_ = 0;     // of those, not yet read
  std::vector<char> padded_;
  std::string member_copy_;  // find_bad_member's padded copy of the line
  std::string message_;
  std::string too_large_raw_;
  record_view current_;
  reader_stats stats_;
  std::size_t pos_ = 0;
  std::uint64_t line_ = 1;
  bool started_ = false;
  bool done_ = false;
  bool io_error_reported_ = false;
};

}  // namespace detail

/// A JSON Lines source as a range-v3 input range of record_view (see the top of this file).
/// Copies share one reading position (it is an input range: one pass).
class jsonl_reader : public detail::record_range<detail::jsonl_state> {
 public:
  jsonl_reader() = default;
  jsonl_reader(std::unique_ptr<byte_source> source, jsonl_options options = {})
      : record_range(std::in_place, std::move(source), std::move(options)) {}

  /// The columns seen so far (the schema grows while the source is read).
  const schema& columns() const noexcept { return parser().columns(); }
};

/// Reads a JSON Lines file (memory-mapped); "-" reads standard input.
inline jsonl_reader read_jsonl(const std::filesystem::path& path, jsonl_options options = {}) {
  return jsonl_reader(open_source(path), std::move(options));
}
/// Reads JSON Lines from a stream, chunk by chunk; the stream must outlive the reader.
inline jsonl_reader read_jsonl(std::istream& in, jsonl_options options = {}) {
  return jsonl_reader(std::make_unique<istream_source>(in), std::move(options));
}
/// Reads JSON Lines from any byte source (e.g. io::callback_source).
inline jsonl_reader read_jsonl(std::unique_ptr<byte_source> source, jsonl_options options = {}) {
  return jsonl_reader(std::move(source), std::move(options));
}
/// Reads JSON Lines text held in memory (the reader keeps its own copy).
inline jsonl_reader read_jsonl_text(std::string text, jsonl_options options = {}) {
  return jsonl_reader(std::make_unique<memory_source>(std::move(text)), std::move(options));
}

}  // namespace riptide::io
