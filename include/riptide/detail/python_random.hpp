// riptide/detail/python_random.hpp: CPython's `random.Random(seed)` (MT19937 seeded through
// init_by_array), reproduced draw for draw.
//
// River's KSWIN samples its reference window with random.Random(seed).sample(...), and River's
// synthetic streams draw with random.Random(seed).random()/uniform()/randint(); implementing the
// same generator and the same derivations (_randbelow, sample, random, getrandbits) makes
// riptide's detections and streams identical to River's for the same seed, not just alike.
// state() lists the generator's position (snapshot/archive.hpp), so a copy draws on identically.
//
// Example:
//   riptide::detail::python_random rng(42);
//   const double u = rng.random();  // Python: random.Random(42).random() == 0.6394267984578837
//   if (u != 0.6394267984578837) std::abort();
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace riptide::detail {

class python_random {
 public:
  /// Same stream as Python's random.Random(seed) for an integer seed (its absolute value).
  explicit python_random(std::int64_t seed = 0) { seed_with(seed); }

  void seed_with(std::int64_t seed) {
    std::uint64_t magnitude =
        seed < 0 ? std::uint64_t(0) - static_cast<std::uint64_t>(seed) : std::uint64_t(seed);
    std::array<std::uint32_t, 2> key{static_cast<std::uint32_t>(magnitude),
                                     static_cast<std::uint32_t>(magnitude >> 32)};
    init_by_array(key.data(), key[1] != 0 ? 2 : 1);
  }

  /// The generator's words and position (snapshot/archive.hpp).
  template <class Archive>
  void state(Archive& a) {
    std::vector<std::uint32_t> words(mt_.begin(), mt_.end());
    std::size_t index = index_;
    a("mt", words);
    a("index", index);
    if constexpr (Archive::loading) {
      a.check(words.size() == n, "expected 624 generator words");
      a.check(index <= n, "generator index beyond its words");
      std::copy(words.begin(), words.end(), mt_.begin());
      index_ = index;
    }
  }

  /// One 32-bit output of MT19937 (CPython's genrand_uint32).
  std::uint32_t next_u32() noexcept {
    if (index_ >= n) regenerate();
    std::uint32_t y = mt_[index_++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680U;
    y ^= (y << 15) & 0xefc60000U;
    y ^= y >> 18;
    return y;
  }

  /// random.random(): a double in [0, 1) from 53 random bits.
  double random() noexcept {
    const std::uint32_t a = next_u32() >> 5, b = next_u32() >> 6;
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
  }

  /// random.uniform(a, b).
  double uniform(double a, double b) noexcept { return a + (b - a) * random(); }

  /// random.getrandbits(k) for 0 <= k <= 64.
  std::uint64_t getrandbits(int k) noexcept {
    if (k <= 0) return 0;
    if (k <= 32) return next_u32() >> (32 - k);
    const std::uint64_t low = next_u32();
    const std::uint64_t high = next_u32() >> (64 - k);
    return (high << 32) | low;
  }

  /// random._randbelow(n): uniform in [0, n) by rejection on bit_length(n) bits; n > 0.
  std::uint64_t randbelow(std::uint64_t n) noexcept {
    const int k = std::bit_width(n);
    std::uint64_t r = getrandbits(k);
    while (r >= n) r = getrandbits(k);
    return r;
  }

  /// random.randint(a, b), inclusive.
  std::int64_t randint(std::int64_t a, std::int64_t b) noexcept {
    return a + static_cast<std::int64_t>(randbelow(static_cast<std::uint64_t>(b - a + 1)));
  }

  /// random.sample(range(n), k) into out (k values), with CPython's choice between the pool and
  /// the set algorithm. `pool` is scratch space reused across calls.
  void sample_range(std::size_t n, std::size_t k, std::vector<std::size_t>& out,
                    std::vector<std::size_t>& pool) {
    if (k > n) throw std::invalid_argument("sample larger than population");
    out.resize(k);
    std::size_t setsize = 21;
    if (k > 5) {
      const double power = std::ceil(std::log(static_cast<double>(k * 3)) / std::log(4.0));
      setsize += static_cast<std::size_t>(std::pow(4.0, power));
    }
    if (n <= setsize) {
      pool.resize(n);
      for (std::size_t i = 0; i < n; ++i) pool[i] = i;
      for (std::size_t i = 0; i < k; ++i) {
        const std::size_t j = static_cast<std::size_t>(randbelow(n - i));
        out[i] = pool[j];
        pool[j] = pool[n - i - 1];
      }
    } else {
      // Set algorithm: redraw until unseen; `pool` holds the picks so far (k is small here).
      pool.clear();
      for (std::size_t i = 0; i < k; ++i) {
        std::size_t j = static_cast<std::size_t>(randbelow(n));
        while (contains(pool, j)) j = static_cast<std::size_t>(randbelow(n));
        pool.push_back(j);
        out[i] = j;
      }
    }
  }

 private:
  static constexpr std::size_t n = 624, m = 397;

  static bool contains(const std::vector<std::size_t>& v, std::size_t x) noexcept {
    for (std::size_t e : v)
      if (e == x) return true;
    return false;
  }

  void init_genrand(std::uint32_t s) noexcept {
    mt_[0] = s;
    for (std::size_t i = 1; i < n; ++i)
      mt_[i] = 1812433253U * (mt_[i - 1] ^ (mt_[i - 1] >> 30)) + static_cast<std::uint32_t>(i);
    index_ = n;
  }

  void init_by_array(const std::uint32_t* key, std::size_t key_length) noexcept {
    init_genrand(19650218U);
    std::size_t i = 1, j = 0;
    for (std::size_t k = n > key_length ? n : key_length; k; --k) {
      mt_[i] = (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * 1664525U)) + key[j] +
               static_cast<std::uint32_t>(j);
      ++i;
      ++j;
      if (i >= n) {
        mt_[0] = mt_[n - 1];
        i = 1;
      }
      if (j >= key_length) j = 0;
    }
    for (std::size_t k = n - 1; k; --k) {
      mt_[i] = (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * 1566083941U)) -
               static_cast<std::uint32_t>(i);
      ++i;
      if (i >= n) {
        mt_[0] = mt_[n - 1];
        i = 1;
      }
    }
    mt_[0] = 0x80000000U;
    index_ = n;
  }

  void regenerate() noexcept {
    constexpr std::uint32_t upper = 0x80000000U, lower = 0x7fffffffU, matrix = 0x9908b0dfU;
    std::size_t kk = 0;
    for (; kk < n - m; ++kk) {
      const std::uint32_t y = (mt_[kk] & upper) | (mt_[kk + 1] & lower);
      mt_[kk] = mt_[kk + m] ^ (y >> 1) ^ ((y & 1U) ? matrix : 0U);
    }
    for (; kk < n - 1; ++kk) {
      const std::uint32_t y = (mt_[kk] & upper) | (mt_[kk + 1] & lower);
      mt_[kk] = mt_[kk + m - n] ^ (y >> 1) ^ ((y & 1U) ? matrix : 0U);
    }
    const std::uint32_t y = (mt_[n - 1] & upper) | (mt_[0] & lower);
    mt_[n - 1] = mt_[m - 1] ^ (y >> 1) ^ ((y & 1U) ? matrix : 0U);
    index_ = 0;
  }

  std::array<std::uint32_t, n> mt_{};
  std::size_t index_ = n;
};

}  // namespace riptide::detail
