// riptide/io/record_range.hpp: the range-v3 input range every reader is (CSV, JSON Lines).
//
// A reader is a handle on its parser state, shared by copies of the handle (an input range: one
// pass, one reading position). The parser state type provides start() (reads up to the first
// record), advance(), done(), current() (the record_view at the reading position), stats() and
// source_name(); record_range gives it begin()/end() and the common accessors, and each reader
// adds its own (columns(), delimiter(), ...).
//
// Example:
//   auto reader = riptide::io::read_csv_text("a\n1\n2\n");
//   auto it = reader.begin();                  // an io::detail::record_range iterator
//   if (it == reader.end() || (*it).fields[0].text != "1") std::abort();
//   ++it;
//   if (it->fields[0].text != "2" || ++it != reader.end() || reader.stats().records != 2)
//     std::abort();
#pragma once

#include <cstddef>
#include <iterator>
#include <memory>
#include <range/v3/iterator/default_sentinel.hpp>
#include <range/v3/range_fwd.hpp>
#include <string>
#include <utility>

#include "riptide/io/reader_stats.hpp"
#include "riptide/io/record.hpp"

namespace riptide::io::detail {

template <class Parser>
class record_range : public ranges::view_base {
 public:
  class iterator {
   public:
    using value_type = record_view;
    using reference = const record_view&;
    using difference_type = std::ptrdiff_t;
    using iterator_category = std::input_iterator_tag;
    using iterator_concept = std::input_iterator_tag;

    iterator() = default;
    explicit iterator(Parser* p) : p_(p) {}
    reference operator*() const noexcept { return p_->current(); }
    const record_view* operator->() const noexcept { return &p_->current(); }
    iterator& operator++() {
      p_->advance();
      return *this;
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& it, ranges::default_sentinel_t) noexcept {
      return it.p_ == nullptr || it.p_->done();
    }

   private:
    Parser* p_ = nullptr;
  };

  record_range() = default;

  iterator begin() {
    p_->start();
    return iterator{p_.get()};
  }
  ranges::default_sentinel_t end() const noexcept { return {}; }

  /// Counts so far (records, errors, blank lines, lines, bytes).
  const reader_stats& stats() const noexcept { return p_->stats(); }
  const std::string& source_name() const noexcept { return p_->source_name(); }

 protected:
  template <class... Args>
  explicit record_range(std::in_place_t, Args&&... args)
      : p_(std::make_shared<Parser>(std::forward<Args>(args)...)) {}
  Parser& parser() const noexcept { return *p_; }

 private:
  std::shared_ptr<Parser> p_;
};

}  // namespace riptide::io::detail
