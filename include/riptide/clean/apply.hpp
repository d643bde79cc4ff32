// riptide/clean/apply.hpp: the cleansing chain as a range adaptor.
//
//   for (const clean::row& row : records | clean::apply(chain, sink)) { ... }
//
// `records` is any input range of io::record_view (or io::record); the result is an input range
// of the clean and repaired rows (a reused row: copy it to keep it). Quarantined and duplicate
// records never reach the loop: they go to `sink(row, record)` with their reason, location and raw
// bytes (quarantine.hpp has ready sinks), and are counted in the chain's report. The chain and the
// sink are used by reference when passed as lvalues and owned by the view otherwise (then reach
// the chain through view.chain()). Single pass: begin() once.
//
// Example:
//   riptide::io::schema s({"id", "n"});
//   std::vector<riptide::io::field> fields = {{"a"}, {"1"}, {"b"}, {"x"}};
//   std::vector<riptide::io::record_view> records(2);
//   for (int i = 0; i < 2; ++i) {
//     records[i].columns = &s;
//     records[i].fields = {fields.data() + 2 * i, 2};
//   }
//   auto chain = riptide::clean::chain{}.then(
//       riptide::clean::cast{.columns = {"n"}, .to = riptide::clean::type::integer});
//   riptide::clean::quarantine q;
//   int rows = 0;
//   for (const auto& row : records | riptide::clean::apply(chain, q))
//     rows += row.values[1].is_int();
//   if (rows != 1 || q.size() != 1 || !chain.report().balanced()) std::abort();
#pragma once

#include <concepts>
#include <cstddef>
#include <iterator>
#include <ranges>
#include <type_traits>
#include <utility>

#include "riptide/clean/chain.hpp"
#include "riptide/clean/quarantine.hpp"
#include "riptide/clean/row.hpp"
#include "riptide/io/record.hpp"

namespace riptide::clean {

namespace detail {

// Holds a T by value, or a T& by pointer (so that views stay movable and assignable).
template <class T>
struct stored {
  T value;
  T& get() noexcept { return value; }
};
template <class T>
struct stored<T&> {
  T* ptr;
  T& get() noexcept { return *ptr; }
};
template <class T>
stored<T> store(T&& x) {
  if constexpr (std::is_lvalue_reference_v<T>)
    return stored<T>{&x};
  else
    return stored<T>{std::move(x)};
}

inline const io::record_view& as_record_view(const io::record_view& v) noexcept {
  return v;
}
inline io::record_view as_record_view(const io::record& r) noexcept {
  return r.view();
}

}  // namespace detail

/// A sink for rejected records: any callable taking (const row&, const io::record_view&).
template <class S>
concept rejected_sink = std::invocable<S&, const row&, const io::record_view&>;

template <std::ranges::view V, class C, class S>
class apply_view : public std::ranges::view_interface<apply_view<V, C, S>> {
 public:
  apply_view() = default;
  apply_view(V base, detail::stored<C> chain, detail::stored<S> sink)
      : base_(std::move(base)), chain_(std::move(chain)), sink_(std::move(sink)) {}

  class iterator {
   public:
    using value_type = row;
    using reference = const row&;
    using difference_type = std::ptrdiff_t;
    using iterator_concept = std::input_iterator_tag;
    using iterator_category = std::input_iterator_tag;

    iterator() = default;
    const row& operator*() const noexcept { return *current_; }
    const row* operator->() const noexcept { return current_; }
    iterator& operator++() {
      ++it_;
      settle();
      return *this;
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& i, std::default_sentinel_t) noexcept {
      return i.current_ == nullptr;
    }

   private:
    friend class apply_view;
    iterator(apply_view* parent, std::ranges::iterator_t<V> it)
        : parent_(parent), it_(std::move(it)) {
      settle();
    }
    // Moves to the next record that yields a clean or repaired row; rejected ones go to the sink.
    void settle() {
      current_ = nullptr;
      const auto end = std::ranges::end(parent_->base_);
      for (; it_ != end; ++it_) {
        auto&& ref = *it_;
        const io::record_view& rec = detail::as_record_view(ref);
        const row& r = parent_->chain_.get().process(rec);
        if (r.status == disposition::clean || r.status == disposition::repaired) {
          current_ = &r;
          return;
        }
        parent_->sink_.get()(r, rec);
      }
    }

    apply_view* parent_ = nullptr;
    std::ranges::iterator_t<V> it_{};
    const row* current_ = nullptr;
  };

  iterator begin() { return iterator(this, std::ranges::begin(base_)); }
  std::default_sentinel_t end() const noexcept { return {}; }

  clean::chain& chain() noexcept { return chain_.get(); }
  clean::report report() const { return const_cast<apply_view*>(this)->chain_.get().report(); }

 private:
  V base_{};
  detail::stored<C> chain_;
  detail::stored<S> sink_;
};

template <class C, class S>
struct apply_closure {
  detail::stored<C> chain;
  detail::stored<S> sink;
};

/// The adaptor: `records | apply(chain)` (rejected records only counted) or
/// `records | apply(chain, sink)`.
template <class C, class S = discard>
requires std::same_as<std::remove_cvref_t<C>, chain> && rejected_sink<std::remove_cvref_t<S>>
    apply_closure<C, S> apply(C&& chain, S&& sink = S{}) {
  return {detail::store<C>(std::forward<C>(chain)), detail::store<S>(std::forward<S>(sink))};
}

template <std::ranges::viewable_range R, class C, class S>
requires std::ranges::input_range<R>
auto operator|(R&& records, apply_closure<C, S> closure) {
  using V = std::views::all_t<R>;
  return apply_view<V, C, S>(std::views::all(std::forward<R>(records)), std::move(closure.chain),
                             std::move(closure.sink));
}

}  // namespace riptide::clean
