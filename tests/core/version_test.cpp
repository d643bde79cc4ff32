#include <riptide/version.hpp>

#include <gtest/gtest.h>

#include <string>

TEST(Version, StringMatchesMacros) {
  const std::string expected = std::to_string(RIPTIDE_VERSION_MAJOR) + "." +
                               std::to_string(RIPTIDE_VERSION_MINOR) + "." +
                               std::to_string(RIPTIDE_VERSION_PATCH);
  EXPECT_EQ(expected, riptide::version_string);
  EXPECT_EQ(expected, RIPTIDE_VERSION);
}

TEST(Version, NumberOrdersVersions) {
  EXPECT_EQ(riptide::version_number,
            RIPTIDE_VERSION_MAJOR * 10000 + RIPTIDE_VERSION_MINOR * 100 + RIPTIDE_VERSION_PATCH);
  EXPECT_GE(riptide::version_number, 100);  // 0.1.0 or later
}
