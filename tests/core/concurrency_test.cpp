// What threads may share, under ThreadSanitizer (label `concurrency`): cleansing chains running in
// several threads at once (each chain draws value identities from a source of its own: nothing
// process-wide), and const reads of a metric.
#include <riptide/clean/preset.hpp>
#include <riptide/io/csv.hpp>
#include <riptide/metrics/binned_roc_auc.hpp>
#include <riptide/serve/predictor.hpp>
#include <riptide/snapshot/registry.hpp>
#include <riptide/value.hpp>

#include <gtest/gtest.h>

#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <string>
#include <thread>
#include <utility>
#include <vector>

TEST(ValueIdentities, ASourceHandsOutBlocksThatNeverOverlapUntilItRunsOut) {
  riptide::identity_source ids;
  std::uint64_t next = 1;
  for (std::uint32_t n = 1; n < 100; ++n) {
    ASSERT_EQ(ids.take(n), next);
    next += n;
  }
  EXPECT_EQ(ids.take(UINT32_MAX), 0u);  // more than are left: none
  EXPECT_EQ(ids.take(), next);          // a smaller block still comes
  riptide::value v = riptide::value::of_text("x");
  v.set_identity(7);
  riptide::value copy = v;
  EXPECT_EQ(copy.identity(), 7u);
  copy.set_text("y");  // a mutation clears it
  EXPECT_EQ(copy.identity(), 0u);
}

// Four threads, each with its own copy of one chain, cleanse the same records at once and get what
// one thread gets: rows, dispositions and reports.
TEST(ChainsInThreads, FourChainsCleansingAtOnceGetWhatOneGets) {
  const auto run = [](riptide::clean::chain chain) {
    std::vector<std::string> out;
    for (const auto& rec : riptide::io::read_csv("data/telco_customer_churn_train_data.csv")) {
      const auto& row = chain.process(rec);
      std::string line(riptide::clean::to_string(row.status));
      for (const auto& v : row.values) {
        line += '|';
        line += v.is_text() ? std::string(v.as_text()) : std::to_string(v.as_number());
      }
      out.push_back(std::move(line));
    }
    out.push_back(std::to_string(chain.report().clean));
    return out;
  };
  const auto prototype = riptide::clean::preset("telco");
  const auto want = run(prototype);
  std::vector<std::vector<std::string>> got(4);
  std::vector<std::thread> pool;
  for (std::size_t t = 0; t < got.size(); ++t)
    pool.emplace_back([&, t] { got[t] = run(prototype); });  // copies: const reads of prototype
  for (auto& th : pool) th.join();
  for (const auto& g : got) EXPECT_EQ(g, want);
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

// A reader loading the registry's champion in a loop while a writer adds and promotes snapshots
// (and prunes old ones): every load gives a whole pipeline of one of the promoted snapshots,
// never a partial state or an error.
TEST(RegistryInThreads, AReaderLoadsWholeChampionsWhileAWriterPromotes) {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("riptide-registry-threads-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  riptide::snapshot::registry writer(dir.string(), {.keep = 2});
  riptide::pipeline p{{.preset = "telco", .model = {.lr = 0.05}}};
  auto records = riptide::io::read_csv("data/telco_customer_churn_train_data.csv");
  auto it = records.begin();
  for (int i = 0; i < 50; ++i, ++it) p.predict_then_learn(*it);
  writer.add(p, 0.9, nullptr);
  std::atomic<bool> done{false};
  std::atomic<int> loads{0};
  std::thread reader([&] {
    riptide::snapshot::registry r(dir.string());
    while (!done.load()) {
      const riptide::pipeline champion = r.load_champion();
      // a champion learned 50 + 10 k records, k < 12
      if (champion.learned() < 50 || (champion.learned() - 50) % 10 != 0) std::abort();
      loads.fetch_add(1);
    }
  });
  for (int k = 1; k < 12; ++k) {
    for (int i = 0; i < 10; ++i, ++it) p.predict_then_learn(*it);
    EXPECT_TRUE(writer.add(p, 0.9, nullptr).promoted);
  }
  while (loads.load() < 3) std::this_thread::yield();
  done.store(true);
  reader.join();
  EXPECT_LE(writer.snapshots().size(), 3u);
  fs::remove_all(dir);
}

// Four threads answering predict requests while the main thread swaps the model 50 times:
// every answer is a 200 from one of the two models, whole (each thread's session follows).
TEST(PredictorInThreads, RequestsDuringSwapsAllSucceedOnOneModelOrTheOther) {
  using riptide::serve::served_model;
  auto reader = riptide::io::read_csv("data/telco_customer_churn_train_data.csv");
  riptide::pipeline a{{.preset = "telco", .model = {.lr = 0.05}}};
  riptide::pipeline b{{.preset = "telco", .model = {.lr = 0.05}}};
  int i = 0;
  for (const auto& r : reader) {
    if (i++ % 2 == 0) a.predict_then_learn(r);
    if (i > 600) break;
  }
  const auto ma = std::make_shared<const served_model>(served_model{std::move(a), "a", "t"});
  const auto mb = std::make_shared<const served_model>(served_model{std::move(b), "b", "t"});
  riptide::serve::predictor pr(ma);
  const std::string body =
      R"({"instances": [{"customerID": "1-A", "gender": "Female", "SeniorCitizen": 0,
          "Partner": "Yes", "Dependents": "No", "tenure": 1, "PhoneService": "No",
          "MultipleLines": "No phone service", "InternetService": "DSL",
          "OnlineSecurity": "No", "OnlineBackup": "Yes", "DeviceProtection": "No",
          "TechSupport": "No", "StreamingTV": "No", "StreamingMovies": "No",
          "Contract": "Month-to-month", "PaperlessBilling": "Yes",
          "PaymentMethod": "Electronic check", "MonthlyCharges": 29.85,
          "TotalCharges": "29.85"}]})";
  std::atomic<bool> done{false};
  std::atomic<int> answered{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      riptide::serve::predictor::session s;
      while (!done.load()) {
        const auto r = pr.predict(body, s);
        if (r.status != 200 || r.predicted != 1 ||
            (r.body.find("\"version\":\"a\"") == std::string::npos &&
             r.body.find("\"version\":\"b\"") == std::string::npos))
          std::abort();
        answered.fetch_add(1);
      }
    });
  for (int k = 0; k < 50; ++k) {
    pr.swap(k % 2 ? ma : mb);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  while (answered.load() < 20) std::this_thread::yield();
  done.store(true);
  for (auto& t : threads) t.join();
  EXPECT_EQ(pr.swaps(), 50u);
}
