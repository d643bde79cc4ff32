// riptide/version.hpp: the library's version, as macros and as values.
// The CMake project reads RIPTIDE_VERSION_{MAJOR,MINOR,PATCH} from this file, so it is the one
// place the version is written down.
#pragma once

#define RIPTIDE_VERSION_MAJOR 0
#define RIPTIDE_VERSION_MINOR 1
#define RIPTIDE_VERSION_PATCH 0

#define RIPTIDE_STRINGIFY_IMPL(x) #x
#define RIPTIDE_STRINGIFY(x) RIPTIDE_STRINGIFY_IMPL(x)
#define RIPTIDE_VERSION                    \
  RIPTIDE_STRINGIFY(RIPTIDE_VERSION_MAJOR) \
  "." RIPTIDE_STRINGIFY(RIPTIDE_VERSION_MINOR) "." RIPTIDE_STRINGIFY(RIPTIDE_VERSION_PATCH)

namespace riptide {

/// The library version as "MAJOR.MINOR.PATCH".
inline constexpr const char* version_string = RIPTIDE_VERSION;

/// The library version as a single comparable number: MAJOR * 10000 + MINOR * 100 + PATCH.
inline constexpr int version_number =
    RIPTIDE_VERSION_MAJOR * 10000 + RIPTIDE_VERSION_MINOR * 100 + RIPTIDE_VERSION_PATCH;

}  // namespace riptide
