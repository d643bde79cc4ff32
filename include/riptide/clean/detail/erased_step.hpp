// riptide/clean/detail/erased_step.hpp: the chain's operators behind one interface (clean/chain.hpp
// holds them; include that one). Any type modelling clean::step (step.hpp) is wrapped in a
// step_model, which forwards bind/run/op/clone to it and, for a per-value operator (value_step),
// gives the fusion planner its columns and its run on one column.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "riptide/clean/step.hpp"
#include "riptide/snapshot/archive.hpp"

namespace riptide::clean::detail {

struct step_base {
  virtual ~step_base() = default;
  virtual void bind(binder& b) = 0;
  virtual bool run(work& w) = 0;
  virtual std::string_view op() const noexcept = 0;
  virtual std::unique_ptr<step_base> clone() const = 0;
  // A per-value operator's columns (see value_step in step.hpp); null for the others.
  virtual const std::vector<std::size_t>* value_columns() const noexcept { return nullptr; }
  virtual bool run_column(std::size_t, work&) { return true; }
  // The operator's learned state (impute's statistics, dedup's window), if it keeps any.
  virtual void save_state(snapshot::saver&) {}
  virtual void load_state(snapshot::loader&) {}
  template <class Archive>
  void state(Archive& a) {
    if constexpr (Archive::loading)
      load_state(a);
    else
      save_state(a);
  }
};

template <class S>
struct step_model final : step_base {
  S s;
  explicit step_model(S x) : s(std::move(x)) {}
  void bind(binder& b) override { s.bind(b); }
  bool run(work& w) override { return s.run(w); }
  std::string_view op() const noexcept override { return S::op; }
  std::unique_ptr<step_base> clone() const override { return std::make_unique<step_model>(s); }
  const std::vector<std::size_t>* value_columns() const noexcept override {
    if constexpr (value_step<S>)
      return &s.cols_;
    else
      return nullptr;
  }
  void save_state(snapshot::saver& a) override { state_of(a); }
  void load_state(snapshot::loader& a) override { state_of(a); }
  template <class Archive>
  void state_of(Archive& a) {
    if constexpr (requires { s.state(a); }) s.state(a);
  }
  bool run_column(std::size_t i, work& w) override {
    if constexpr (value_step<S>)
      return s.run_column(i, w);
    else
      return true;
  }
};

// What the chain's leading per-value operators made of one column's text: the value, the repairs

}  // namespace riptide::clean::detail
