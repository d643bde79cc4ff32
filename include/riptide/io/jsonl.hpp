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

// Whether the tape of a simdjson DOM parser's current document can be read directly: its layout
// (doc/tape.md) and where parse / parse_many leave a document (parser.doc, root object at tape
// word 1) were checked for simdjson 3.x.
template <class Parser>
concept tape_walk_checked = simdjson::SIMDJSON_VERSION_MAJOR == 3 && requires(const Parser& p) {
  { p.doc.tape.get() } -> std::convertible_to<const std::uint64_t*>;
  { p.doc.string_buf.get() } -> std::convertible_to<const std::uint8_t*>;
};

inline std::string_view trim_json_space(std::string_view s) {
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

class jsonl_state {
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

  void clear_fields() {
    fields_.assign(schema_.size(), field{{}, field_kind::missing});
    scratch_used_ = 0;
  }

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
      if (is_value_error(e)) {
        std::string name;
        if (find_bad_member(json, line.size(), name)) {
          message_ += " (member \"" + name + "\")";
          if (const auto column = schema_.find(name))
            current_.error_field = static_cast<std::int64_t>(*column);
        }
      }
      current_.message = message_;
    }
    end_record();
  }

  // Errors simdjson raises for one value (a number, string or literal), which can be pinned to
  // the member holding it.
  static bool is_value_error(simdjson::error_code e) noexcept {
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

  // On the error path only: walks the line with simdjson's On-Demand API, which reports a value's
  // error at the value, to name the member (dotted, as its column would be) holding the bad value.
  // On-Demand reads the byte after the document (a root object followed by '}' is checked for
  // balance and rejected whole), so the line is walked from a copy padded with blanks: the
  // member named does not depend on what follows the line in the reader's buffer.
  bool find_bad_member(const char* json, std::size_t len, std::string& name) {
    member_copy_.assign(json, len);
    member_copy_.append(simdjson::SIMDJSON_PADDING, ' ');
    simdjson::ondemand::document doc;
    simdjson::ondemand::object obj;
    if (od_parser_.iterate(member_copy_.data(), len, member_copy_.size()).get(doc) ||
        doc.get_object().get(obj))
      return false;
    return walk_members(obj, name) == walk::found;
  }

  enum class walk { ok, found, lost };  // lost: a structural error, not one member's

  static walk walk_members(simdjson::ondemand::object obj, std::string& name) {
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

  static walk walk_value(simdjson::ondemand::value v, std::string& name) {
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

  // An empty object {} is kept as that text under its own name.
  [[gnu::noinline]] void set_empty_object(std::size_t slot) {
    if (shape_[slot].column == no_column) {
      shape_[slot].column = add_column(slot_names_[slot]);
      count_writer(slot);
    }
    fields_[shape_[slot].column] = field{"{}", field_kind::text};
  }

  // An array is kept as its minified JSON text.
  [[gnu::noinline]] std::string_view array_text(simdjson::dom::element array) {
    const std::string text = simdjson::minify(array);
    std::memcpy(reserve_owned(text.size()), text.data(), text.size());
    return commit_owned(text.size());
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

  static void put(field& out, std::string_view text, field_kind kind) noexcept {
    out.text = text;
    out.kind = kind;
    out.has_number = false;
  }
  static void put_number(field& out, field_kind kind, std::uint64_t bits) noexcept {
    out.text = {};
    out.kind = kind;
    out.has_number = true;
    out.number_bits = bits;
  }
  [[gnu::noinline]] void put_uint64(field& out, std::uint64_t x) {
    char* at = reserve_owned(32);
    const auto n = static_cast<std::size_t>(std::to_chars(at, at + 32, x).ptr - at);
    out = field::from_real(static_cast<double>(x), commit_owned(n));
  }

  // Text built for a record (numbers, arrays) lives in scratch_, appended: reserve_owned(n)
  // gives room for n bytes at its end, commit_owned(k) keeps k of them. When scratch_ must grow,
  // the fields already pointing into it are moved along (rare: it only grows).
  char* reserve_owned(std::size_t n) {
    if (scratch_.size() - scratch_used_ < n) grow_scratch(n);
    return scratch_.data() + scratch_used_;
  }
  std::string_view commit_owned(std::size_t k) noexcept {
    const std::string_view text(scratch_.data() + scratch_used_, k);
    scratch_used_ += k;
    return text;
  }
  [[gnu::noinline]] void grow_scratch(std::size_t n) {
    const auto old_begin = reinterpret_cast<std::uintptr_t>(scratch_.data());
    const std::uintptr_t old_end = old_begin + scratch_used_;
    scratch_.resize(std::max(scratch_.size() * 2, scratch_used_ + n));
    for (field& f : fields_) {
      const auto at = reinterpret_cast<std::uintptr_t>(f.text.data());
      if (!f.text.empty() && at >= old_begin && at < old_end)
        f.text = std::string_view(scratch_.data() + (at - old_begin), f.text.size());
    }
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
  const char* od_batch_json_ = nullptr;   // where simdjson reads the batch
  bool advance_doc_ = false;              // doc_ still holds the record last yielded
  bool line_path_next_ = false;           // the next line goes through the line path
  std::vector<char> batch_copy_;          // a batch copied for padding (the end of a mapped file)
  bool on_demand_;                        // lines are read by od_line first
  simdjson::ondemand::parser od_parser_;  // od_line, and find_bad_member on the error path
  const char* od_end_ = nullptr;          // the end of the line od_line reads
  // fields_ was last written by od_line, which keeps no slot types: the DOM walk's repeat path,
  // which trusts them, must build instead.
  bool od_fields_ = false;
  static constexpr std::uint32_t od_max_backoff = 64;
  std::uint32_t od_backoff_ = 0;         // lines left to the DOM parser after od_line last gave up
  std::uint32_t od_skip_ = 0;            // of those, not yet read
  const std::uint64_t* tape_ = nullptr;  // the tape walk's document (see read_tape)
  const std::uint8_t* strings_ = nullptr;
  simdjson::internal::mini_formatter minifier_;          // arrays' text in the tape walk
  std::vector<char> scratch_ = std::vector<char>(4096);  // owned texts (see reserve_owned)
  std::size_t scratch_used_ = 0;
  schema schema_;
  std::vector<field> fields_;
  std::vector<key_slot> shape_;                // the key sequence of the last record (see key_slot)
  std::vector<std::uint32_t> column_writers_;  // per column, how many slots of shape_ write it
  std::vector<open_object> open_objects_;      // the tape walk's enclosing objects
  bool fields_hold_shape_ = false;       // fields_ holds the last record's fields, its keys shape_
  std::vector<std::string> slot_names_;  // shape_[i]'s full dotted name
  std::string key_bytes_;                // the keys of shape_, one after the other
  std::size_t slot_ = 0;                 // this record's next position in shape_
  std::size_t matchable_ = 0;  // slots below this may match (0 after this record's first mismatch)
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
