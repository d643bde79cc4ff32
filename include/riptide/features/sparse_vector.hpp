// riptide/features/sparse_vector.hpp: the encoded form of one record, the input of every learner.
//
// A sparse vector is a list of (index, value) pairs in a buffer that the encoder reuses record
// after record, so encoding allocates nothing once warm. Indices are unique within one vector but
// not sorted. Learners take a `sparse_view` (a non-owning span), so any buffer can feed them.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace riptide::features {

struct entry {
  std::uint32_t index;
  float value;
};

/// Non-owning view of one encoded record.
using sparse_view = std::span<const entry>;

/// Reused buffer of entries.
class sparse_vector {
 public:
  void clear() noexcept { size_ = 0; }
  // The buffer is kept at its capacity and the size counted beside it: a push is a store and an
  // increment, inlined (std::vector's push_back is a call in the encoder's loop; GCC left even
  // this one out of line in the encoder's large loop without the attribute).
  [[gnu::always_inline]] inline void push(std::uint32_t index, float value) {
    if (size_ == entries_.size()) [[unlikely]]
      grow();
    entries_[size_++] = {index, value};
  }
  void reserve(std::size_t n) {
    if (n > entries_.size()) entries_.resize(n);
  }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  const entry* begin() const noexcept { return entries_.data(); }
  const entry* end() const noexcept { return entries_.data() + size_; }
  const entry& operator[](std::size_t i) const noexcept { return entries_[i]; }
  sparse_view view() const noexcept { return {entries_.data(), size_}; }
  operator sparse_view() const noexcept { return view(); }  // NOLINT: implicit by design

 private:
  // Out of line, so that push stays small enough for the compiler to inline it.
  [[gnu::noinline]] void grow() { entries_.resize(entries_.empty() ? 32 : 2 * entries_.size()); }

  std::vector<entry> entries_;  // the first size_ are the vector's
  std::size_t size_ = 0;
};

}  // namespace riptide::features
