// riptide/sketch/frequent_items.hpp: the most frequent items of a stream in bounded memory.
//
// Misra-Gries summary with `capacity` counters: every item occurring more than n / (capacity + 1)
// times in a stream of n items is kept, and a kept item's count is at most n / (capacity + 1)
// below its true count. While the stream has at most `capacity` distinct items, counts are exact
// (exact() says so). Updates cost O(1) amortized.
// Parameters: capacity (default 1024).
// Follows Misra and Gries, "Finding repeated elements" (Science of Computer Programming, 1982);
// the error bound as in Agarwal et al., "Mergeable summaries" (PODS 2012).
//
// Example:
//   riptide::sketch::frequent_items top{8};
//   for (int i = 0; i < 100; ++i) top.add(i % 10 == 0 ? "rare" + std::to_string(i) : "common");
//   const auto best = top.top(1);
//   if (best.size() != 1 || best[0].item != "common" || best[0].count < 80) std::abort();
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace riptide::sketch {

class frequent_items {
 public:
  struct entry {
    std::string item;
    std::uint64_t count;  // a lower bound of the true count (exact while exact())
  };

  explicit frequent_items(std::size_t capacity = 1024)
      : capacity_(std::max<std::size_t>(capacity, 1)) {
    counts_.reserve(capacity_ + 1);
  }

  void add(std::string_view item, std::uint64_t weight = 1) {
    total_ += weight;
    if (const auto it = counts_.find(item); it != counts_.end()) {
      it->second += weight;
      return;
    }
    if (counts_.size() < capacity_) {
      counts_.emplace(std::string(item), weight);
      return;
    }
    // Full: decrement every counter (and the new item's weight) by the smallest count involved.
    exact_ = false;
    std::uint64_t dec = weight;
    for (const auto& [k, c] : counts_) dec = std::min(dec, c);
    for (auto it = counts_.begin(); it != counts_.end();) {
      it->second -= dec;
      it = it->second == 0 ? counts_.erase(it) : std::next(it);
    }
    if (weight > dec) counts_.emplace(std::string(item), weight - dec);
  }

  /// The `k` items with the highest counts, highest first (ties by item).
  std::vector<entry> top(std::size_t k) const {
    std::vector<entry> all;
    all.reserve(counts_.size());
    for (const auto& [item, count] : counts_) all.push_back({item, count});
    const auto better = [](const entry& a, const entry& b) {
      return a.count != b.count ? a.count > b.count : a.item < b.item;
    };
    const std::size_t n = std::min(k, all.size());
    std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n), all.end(), better);
    all.resize(n);
    return all;
  }

  /// True while every count is exact (no more distinct items than the capacity so far).
  bool exact() const noexcept { return exact_; }
  std::uint64_t total() const noexcept { return total_; }
  /// The most a reported count can be below the true one.
  std::uint64_t max_error() const noexcept { return exact_ ? 0 : total_ / (capacity_ + 1); }

 private:
  struct string_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };

  std::size_t capacity_;
  std::unordered_map<std::string, std::uint64_t, string_hash, std::equal_to<>> counts_;
  std::uint64_t total_ = 0;
  bool exact_ = true;
};

}  // namespace riptide::sketch
