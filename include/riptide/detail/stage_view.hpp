// riptide/detail/stage_view.hpp: the one-pass range adaptor under encode, test_then_train, learn.
//
// stage_view<Base, Stage> applies Stage to each element of an input range exactly once, in order,
// when the iterator reaches it (never again on repeated dereference), and yields the results,
// skipping elements for which Stage returns an empty optional. Stages with side effects (an
// encoder that learns its dictionary, a model that learns) thus see each record once. When the
// base range yields elements by value, the view keeps the current one alive while it is used.
// Single pass: begin() once; the view must not move after begin().
#pragma once

#include <range/v3/range/access.hpp>
#include <range/v3/range/concepts.hpp>
#include <range/v3/range/traits.hpp>
#include <range/v3/view/interface.hpp>

#include <cstddef>
#include <optional>
#include <type_traits>
#include <utility>

namespace riptide::detail {

template <class Base, class Stage>
class stage_view : public ranges::view_base {
  using base_ref = ranges::range_reference_t<Base>;
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

  iterator begin() {
    if (!it_) {
      it_.emplace(ranges::begin(base_));
      settle();
    }
    return iterator{this};
  }
  sentinel end() const noexcept { return {}; }

 private:
  void settle() {
    for (; *it_ != ranges::end(base_); ++*it_) {
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
  std::optional<ranges::iterator_t<Base>> it_;
  std::optional<held> held_;
  std::optional<out> current_;
};

}  // namespace riptide::detail
