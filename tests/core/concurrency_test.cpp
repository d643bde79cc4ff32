// The process-wide state riptide shares between threads, under ThreadSanitizer (label
// `concurrency`): value identities come from one counter that every cleansing chain draws
// blocks from, and chains may run in several threads at once; const reads of a metric.
#include <riptide/metrics/binned_roc_auc.hpp>
#include <riptide/value.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <thread>
#include <utility>
#include <vector>

TEST(ValueIdentities, BlocksDrawnByConcurrentThreadsNeverOverlap) {
  constexpr int threads = 4, draws = 5000;
  std::vector<std::vector<std::pair<std::uint64_t, std::uint32_t>>> blocks(threads);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&blocks, t] {
      for (int i = 0; i < draws; ++i) {
        const auto n = static_cast<std::uint32_t>(1 + (i + t) % 8);
        blocks[static_cast<std::size_t>(t)].emplace_back(riptide::value::new_identities(n), n);
      }
    });
  for (auto& th : pool) th.join();
  std::vector<std::pair<std::uint64_t, std::uint32_t>> all;
  for (const auto& b : blocks) all.insert(all.end(), b.begin(), b.end());
  std::sort(all.begin(), all.end());
  ASSERT_EQ(all.size(), static_cast<std::size_t>(threads * draws));
  for (std::size_t i = 0; i < all.size(); ++i) {
    ASSERT_NE(all[i].first, 0u) << "identity space exhausted in a test";
    if (i > 0) {
      ASSERT_GE(all[i].first, all[i - 1].first + all[i - 1].second) << "blocks overlap";
    }
  }
  // a value keeps the identity it was given, in the thread that set it
  riptide::value v = riptide::value::of_text("x");
  v.set_identity(all.back().first);
  EXPECT_EQ(v.identity(), all.back().first);
}

// binned_roc_auc counts an update one update late; get() adds the pending one without writing it,
// so that a const object is safe to read from several threads at once (it once applied the
// pending update in get(), through mutable members: a data race here).
TEST(BinnedRocAuc, ConstReadsFromTwoThreadsAtOnce) {
  riptide::metrics::binned_roc_auc auc(64);
  for (int i = 0; i < 500; ++i)
    auc.update(i % 3 == 0, static_cast<float>((i * 37) % 101) / 100.0f);  // the last one pending
  const riptide::metrics::binned_roc_auc& reader = auc;
  riptide::metrics::binned_roc_auc counted = auc;
  counted.widen();  // counts the pending update (64-bit counts, the plain sweep)
  const double want = counted.get();
  ASSERT_TRUE(std::isfinite(want));
  std::vector<int> wrong(2, 0);
  std::vector<std::thread> pool;
  for (std::size_t t = 0; t < 2; ++t)
    pool.emplace_back([&reader, &wrong, want, t] {
      for (int i = 0; i < 2000; ++i) wrong[t] += reader.get() != want;
    });
  for (auto& th : pool) th.join();
  EXPECT_EQ(wrong[0], 0);
  EXPECT_EQ(wrong[1], 0);
  // the pending update is still counted once, by the next update
  auc.update(true, 0.5f);
  counted.update(true, 0.5f);
  EXPECT_EQ(auc.get(), counted.get());
}
