// The tool's side of riptide/io/output_file.hpp and riptide/io/format.hpp: the library's errors
// about inputs and outputs become usage errors (one line, exit 2).
#pragma once

#include <fmt/core.h>
#include <riptide/io/output_file.hpp>

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "commands.hpp"

namespace riptide::cli {

/// io::check_outputs: an output naming an input (or another output) is a usage error, before
/// anything is opened for writing. Empty paths (options not given) and "-" are skipped.
inline void check_outputs(const std::vector<std::string>& inputs,
                          const std::vector<std::string>& outputs) {
  try {
    io::check_outputs(inputs, outputs);
  } catch (const io::same_file_error& e) {
    throw usage_error(e.what());
  }
}

/// An io::output_file ("-": standard output); one that cannot be opened is a usage error.
inline io::output_file open_output(const std::string& path) {
  try {
    return io::output_file(path);
  } catch (const std::system_error& e) {
    throw usage_error(e.what());
  }
}

}  // namespace riptide::cli
