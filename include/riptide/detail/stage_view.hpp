// riptide/detail/stage_view.hpp: the one-pass range adaptor under encode, test_then_train, learn.
//
// stage_view<Base, Stage> applies Stage to each element of an input range exactly once, in order,
// when the iterator reaches it (never again on repeated dereference), and yields the results,
// skipping elements for which Stage returns an empty optional. Stages with side effects (an
// encoder that learns its dictionary, a model that learns) thus see each record once. When the
// base range yields elements by value, the view keeps the current one alive while it is used.
// Single pass: begin() once; the view must not move after begin(). Copies start afresh.
#pragma once

#include <range/v3/range/concepts.hpp>  // ranges::view_base

#include <concepts>
#include <cstddef>
#include <optional>
#include <type_traits>
#include <utility>

namespace riptide::detail {

template <class Base, class Stage>
class stage_view : public ranges::view_base {
  using base_iterator = decltype(std::declval<Base&>().begin());
  using base_ref = decltype(*std::declval<base_iterator&>());
  static constexpr bool by_reference = std::is_lvalue_reference_v<base_ref>;
  using held = std::remove_cvref_t<base_ref>;
  using stage_result = decltype(std::declval<Stage&>()(std::declval<held&>()));
  using out = typename stage_result::value_type;

 public:
  struct sentinel {};
  class iterator {
   public:
    using value_type = out;
    using difference_type = std::ptrdiff_t;
    iterator() = default;
    explicit iterator(stage_view* v) : view_(v) {}
    const out& operator*() const { return *view_->current_; }
    const out* operator->() const { return &*view_->current_; }
    iterator& operator++() {
      ++*view_->it_;
      view_->settle();
      return *this;
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& i, sentinel) { return i.done(); }
    bool done() const { return !view_->current_; }

   private:
    stage_view* view_ = nullptr;
  };

  stage_view() = default;
  stage_view(Base base, Stage stage) : base_(std::move(base)), stage_(std::move(stage)) {}
  stage_view(stage_view&&) = default;
  stage_view& operator=(stage_view&&) = default;
  // Copies (range-v3 views must be copyable) carry the base and the stage, not the position.
  stage_view(const stage_view& o) requires std::copy_constructible<Base> : base_(o.base_),
                                                                           stage_(o.stage_) {}
  stage_view& operator=(const stage_view& o) requires std::copy_constructible<Base> {
    if (this != &o) {
      base_ = o.base_;
      stage_ = o.stage_;
      it_.reset();
      held_.reset();
      current_.reset();
    }
    return *this;
  }

  iterator begin() {
    if (!it_) {
      it_.emplace(base_.begin());
      settle();
    }
    return iterator{this};
  }
  sentinel end() const noexcept { return {}; }

 private:
  void settle() {
    for (; *it_ != base_.end(); ++*it_) {
      if constexpr (by_reference) {
        current_ = stage_(**it_);
      } else {
        held_ = **it_;
        current_ = stage_(*held_);
      }
      if (current_) return;
    }
    current_.reset();
  }

  Base base_;
  Stage stage_;
  std::optional<base_iterator> it_;
  std::optional<held> held_;
  std::optional<out> current_;
};

/// Refers to a range the caller owns (an lvalue piped into an adaptor).
template <class Range>
class range_ref {
 public:
  range_ref() = default;
  explicit range_ref(Range& r) : r_(&r) {}
  auto begin() const { return r_->begin(); }
  auto end() const { return r_->end(); }

 private:
  Range* r_ = nullptr;
};

/// An lvalue range is referred to, an rvalue one (a view, a reader) is moved into the adaptor.
template <class Range>
auto hold(Range&& r) {
  if constexpr (std::is_lvalue_reference_v<Range>)
    return range_ref<std::remove_reference_t<Range>>(r);
  else
    return std::remove_cvref_t<Range>(std::move(r));
}

/// The right-hand side of `range | adaptor`: works with range-v3 views, std views, containers
/// and readers alike.
template <class Make>
struct stage_closure {
  Make make;
  template <class Range>
  friend auto operator|(Range&& r, const stage_closure& c) {
    return c.make(std::forward<Range>(r));
  }
};
template <class Make>
stage_closure(Make) -> stage_closure<Make>;

}  // namespace riptide::detail
