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
  void clear() noexcept { entries_.clear(); }
  void push(std::uint32_t index, float value) { entries_.push_back({index, value}); }
  void reserve(std::size_t n) { entries_.reserve(n); }
  std::size_t size() const noexcept { return entries_.size(); }
  bool empty() const noexcept { return entries_.empty(); }
  const entry* begin() const noexcept { return entries_.data(); }
  const entry* end() const noexcept { return entries_.data() + entries_.size(); }
  const entry& operator[](std::size_t i) const noexcept { return entries_[i]; }
  sparse_view view() const noexcept { return {entries_.data(), entries_.size()}; }
  operator sparse_view() const noexcept { return view(); }  // NOLINT: implicit by design

 private:
  std::vector<entry> entries_;
};

}  // namespace riptide::features
