// Test helper: two cleansed rows are the same (status, reason, each value with its type, each
// repair), as RapidCheck assertions.
#pragma once

#include <rapidcheck.h>
#include <riptide/clean/row.hpp>

#include <cstddef>

namespace riptide::test {

inline void expect_same_row(const clean::row& got, const clean::row& want) {
  RC_ASSERT(got.status == want.status);
  RC_ASSERT(got.reason == want.reason);
  RC_ASSERT(got.values.size() == want.values.size());
  for (std::size_t i = 0; i < want.values.size(); ++i) {
    RC_ASSERT(got.values[i].type() == want.values[i].type());
    RC_ASSERT(got.values[i] == want.values[i]);
  }
  RC_ASSERT(got.repairs.size() == want.repairs.size());
  for (std::size_t r = 0; r < want.repairs.size(); ++r) {
    RC_ASSERT(got.repairs[r].column == want.repairs[r].column);
    RC_ASSERT(got.repairs[r].what == want.repairs[r].what);
  }
}

}  // namespace riptide::test
