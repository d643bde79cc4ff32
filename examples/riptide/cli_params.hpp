// Command-line options generated from a component's declared parameters (riptide/param.hpp):
// one --NAME per parameter (dashed; aliases too), its help the declared doc with its default and
// range, its value set through set_param (a value the declaration refuses: exit 2).
#pragma once

#include <fmt/core.h>
#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <riptide/param.hpp>

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <string>

#include "commands.hpp"

namespace riptide::cli {

inline std::string dashed_flag(std::string_view name) {
  std::string flag(2 + name.size(), '-');  // (no operator+: GCC 12's -Wrestrict misfires on it)
  std::replace_copy(name.begin(), name.end(), flag.begin() + 2, '_', '-');
  return flag;
}

/// Adds one option per declared parameter of O, writing into `options`.
template <declares_params O>
void add_param_options(CLI::App* cmd, O& options) {
  for (const auto& p : describe_params<O>()) {
    std::string names = dashed_flag(p.name);
    for (const auto& a : p.aliases) names.append(",").append(dashed_flag(a));
    std::string help = fmt::format("{} (default {}", p.doc, p.default_text);
    if (p.range.bounded()) help += ", " + p.range.to_string();
    help += ")";
    std::string type = p.choices.empty() ? p.type : fmt::format("{}", fmt::join(p.choices, "|"));
    if (p.choices.empty())
      std::transform(type.begin(), type.end(), type.begin(),
                     [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    const std::string name = p.name;
    const auto set = [&options, name](const std::string& text) {
      try {
        set_param(options, name, text);
      } catch (const std::invalid_argument& e) {
        throw usage_error(e.what());
      }
    };
    if (p.type == "flag")
      cmd->add_flag_function(
          names, [set](std::int64_t count) { set(count > 0 ? "true" : "false"); }, help);
    else
      cmd->add_option_function<std::string>(names, set, help)->type_name(type);
  }
}

}  // namespace riptide::cli
