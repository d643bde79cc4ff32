// riptide/learn/shuffle_buffer.hpp: bounded shuffling of a stream for multi-pass learning.
//
// A stream read in file order may be sorted (by date, by customer); learning it again in the same
// order repeats the same drift. shuffle_buffer keeps `capacity` examples; once full, each new
// example replaces a uniformly chosen stored one, which is emitted (the scheme of tf.data's
// shuffle). flush() emits what is left, in random order. Memory is bounded by capacity examples;
// slots keep their storage, so a warm buffer allocates nothing. The random stream is our own
// xoshiro256** seeded by splitmix64, so a seed gives the same order on every platform.
// learn_passes() runs a model over several passes of a replayable source through one buffer.
// Parameters (defaults): capacity (4096), seed (42).
//
// Example:
//   riptide::learn::shuffle_buffer buffer{{.capacity = 2, .seed = 7}};
//   std::vector<int> order;
//   auto emit = [&](riptide::features::sparse_view x, bool) { order.push_back(int(x[0].index)); };
//   for (std::uint32_t i = 0; i < 5; ++i) {
//     std::vector<riptide::features::entry> x{{i, 1.0f}};
//     buffer.push(x, true, emit);
//   }
//   buffer.flush(emit);
//   if (order.size() != 5) std::abort();
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "riptide/features/sparse_vector.hpp"

namespace riptide::learn {

/// xoshiro256** (Blackman & Vigna), seeded by splitmix64: small, fast, reproducible.
class random_stream {
 public:
  explicit random_stream(std::uint64_t seed) {
    for (auto& s : s_) {
      seed += 0x9e3779b97f4a7c15ULL;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      s = z ^ (z >> 31);
    }
  }
  std::uint64_t next() noexcept {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  /// Uniform in 0 .. n - 1 (Lemire's multiply-shift on 32 bits for n < 2^32; modulo beyond).
  std::size_t below(std::size_t n) noexcept {
    if (n <= 0xffffffffULL) return static_cast<std::size_t>(((next() >> 32) * n) >> 32);
    return static_cast<std::size_t>(next() % n);
  }
  /// Uniform in 0 <= u < 1.
  double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

struct shuffle_options {
  std::size_t capacity = 4096;
  std::uint64_t seed = 42;
};

class shuffle_buffer {
 public:
  explicit shuffle_buffer(shuffle_options options = {}) : random_(options.seed) {
    if (options.capacity == 0) throw std::invalid_argument("shuffle_buffer: capacity is 0");
    slots_.resize(options.capacity);
  }

  /// Stores (x, y); when the buffer is full, first emits a random stored example through
  /// emit(sparse_view, bool) and reuses its slot.
  template <class Emit>
  void push(features::sparse_view x, bool y, Emit&& emit) {
    std::size_t k = size_;
    if (size_ == slots_.size()) {
      k = random_.below(size_);
      emit(features::sparse_view{slots_[k].x}, slots_[k].y);
    } else {
      ++size_;
    }
    slots_[k].x.assign(x.begin(), x.end());
    slots_[k].y = y;
  }
  /// Emits every stored example in random order and empties the buffer.
  template <class Emit>
  void flush(Emit&& emit) {
    while (size_ > 0) {
      const std::size_t k = random_.below(size_);
      emit(features::sparse_view{slots_[k].x}, slots_[k].y);
      std::swap(slots_[k], slots_[size_ - 1]);
      --size_;
    }
  }
  std::size_t size() const noexcept { return size_; }
  std::size_t capacity() const noexcept { return slots_.size(); }

 private:
  struct slot {
    std::vector<features::entry> x;
    bool y = false;
  };
  std::vector<slot> slots_;
  std::size_t size_ = 0;
  random_stream random_;
};

/// Learns `passes` passes of a replayable source through one shuffle buffer: for each pass,
/// source(sink) must call sink(sparse_view x, bool y) for every example of the stream.
template <class Model, class Source>
void learn_passes(Model& model, Source&& source, std::size_t passes, shuffle_options options = {}) {
  shuffle_buffer buffer{options};
  auto learn = [&model](features::sparse_view x, bool y) { model.learn_one(x, y); };
  for (std::size_t p = 0; p < passes; ++p) {
    source([&](features::sparse_view x, bool y) { buffer.push(x, y, learn); });
    buffer.flush(learn);
  }
}

}  // namespace riptide::learn
