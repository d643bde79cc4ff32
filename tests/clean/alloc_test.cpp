// riptide::clean: the hot path does not allocate once warm (counted by replacing operator new in
// this test binary).
// GCC cannot see that these operator new/delete replacements pair up.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include <gtest/gtest.h>
#include <riptide/clean/preset.hpp>

#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "clean/records.hpp"

namespace {
bool counting = false;
std::size_t allocations = 0;
}  // namespace

// AddressSanitizer owns operator new in its builds (replacing it there mixes allocators across
// shared libraries); the count runs in the Release build.
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#define RIPTIDE_COUNT_ALLOCATIONS 1
void* operator new(std::size_t n) {
  if (counting) ++allocations;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
#endif

TEST(CleanHotPath, TelcoChainDoesNotAllocateOnceWarm) {
#ifndef RIPTIDE_COUNT_ALLOCATIONS
  GTEST_SKIP() << "operator new is the sanitizer's in this build";
#endif
  const std::vector<std::string> header = {
      "customerID",   "gender",           "SeniorCitizen", "Partner",         "Dependents",
      "tenure",       "PhoneService",     "MultipleLines", "InternetService", "OnlineSecurity",
      "OnlineBackup", "DeviceProtection", "TechSupport",   "StreamingTV",     "StreamingMovies",
      "Contract",     "PaperlessBilling", "PaymentMethod", "MonthlyCharges",  "TotalCharges",
      "Churn"};
  riptide::test::records recs(header);
  for (int i = 0; i < 2000; ++i) {
    const auto id = std::to_string(1000 + i) + "-ABCDE";
    recs.add({id,
              i % 2 ? "Female" : "Male",
              i % 3 ? "0" : "1",
              "Yes",
              "No",
              std::to_string(i % 72),
              "Yes",
              i % 2 ? "No phone service" : "Yes",
              "Fiber optic",
              "No internet service",
              "Yes",
              "No",
              "No",
              "Yes",
              "No",
              "Two year",
              "Yes",
              "Bank transfer (automatic)",
              std::to_string(20 + i % 80) + ".25",
              std::to_string(100 + i * 3) + ".5",
              i % 5 ? "No" : "Yes"});
  }
  const auto& views = recs.views();
  auto chain = riptide::clean::preset("telco");
  for (std::size_t i = 0; i < 100; ++i) chain.process(views[i]);  // warm up
  std::size_t clean = 0;
  counting = true;
  for (std::size_t i = 100; i < views.size(); ++i)
    clean += chain.process(views[i]).status == riptide::clean::disposition::clean;
  counting = false;
  EXPECT_EQ(clean, views.size() - 100);
  EXPECT_EQ(allocations, 0u);
}
