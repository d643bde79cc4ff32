// riptide/drift/any_detector.hpp: any drift detector behind one type, with value semantics.
//
// any_detector holds one detector satisfying riptide::drift::detector (ADWIN, Page-Hinkley,
// KSWIN, DDM, EDDM, HDDM_A, HDDM_W or a user's) and a name, and is itself a detector: update(x),
// drift_detected(), reset(); plus warning_detected() (always false for a detector without a
// warning zone), has_warning_zone() and name(). Copies are deep (each copy detects on its own).
// target<D>() gives the detector itself (nullptr if it is not a D), for its statistics.
// riptide::drift::make_detector (make_detector.hpp) builds one from a name and parameters.
// state() is the held detector's (snapshot/archive.hpp).
//
// Example:
//   riptide::drift::any_detector d{"adwin", riptide::drift::adwin{}};
//   static_assert(riptide::drift::detector<riptide::drift::any_detector>);
//   long detected_at = -1;
//   for (int i = 0; i < 2000 && detected_at < 0; ++i) {
//     d.update(i < 1000 ? (i % 2) : 4 + (i % 4));
//     if (d.drift_detected()) detected_at = i;
//   }
//   if (detected_at < 1000 || d.has_warning_zone() || d.warning_detected()) std::abort();
//   if (d.target<riptide::drift::adwin>() == nullptr || d.name() != "adwin") std::abort();
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <utility>

#include "riptide/drift/detector.hpp"
#include "riptide/snapshot/archive.hpp"

namespace riptide::drift {

class any_detector {
 public:
  /// Holds `d` under `name` (make_detector's names: "adwin", "page-hinkley", ...).
  template <detector D>
  requires(!std::same_as<std::remove_cvref_t<D>, any_detector>) any_detector(std::string name, D d)
      : name_(std::move(name)), impl_(std::make_unique<holder<D>>(std::move(d))) {}

  any_detector(const any_detector& other) : name_(other.name_), impl_(other.impl_->clone()) {}
  any_detector(any_detector&&) noexcept = default;
  any_detector& operator=(const any_detector& other) {
    if (this != &other) *this = any_detector(other);
    return *this;
  }
  any_detector& operator=(any_detector&&) noexcept = default;
  ~any_detector() = default;

  void update(double x) { impl_->update(x); }
  bool drift_detected() const noexcept { return impl_->drift_detected(); }
  /// False for a detector without a warning zone (ADWIN, Page-Hinkley, KSWIN).
  bool warning_detected() const noexcept { return impl_->warning_detected(); }
  /// Whether the detector held signals warnings (satisfies warning_detector).
  bool has_warning_zone() const noexcept { return impl_->has_warning_zone(); }
  void reset() { impl_->reset(); }
  const std::string& name() const noexcept { return name_; }

  /// The held detector's state (snapshot/archive.hpp); a loader fills a detector of the same
  /// type, made with the same options (the name and options are configuration).
  template <class Archive>
  void state(Archive& a) {
    if (!impl_) throw std::logic_error("any_detector: no detector");
    if constexpr (Archive::loading)
      impl_->load_state(a);
    else
      impl_->save_state(a);
  }

  /// The detector held, if it is a D; else nullptr.
  template <class D>
  D* target() noexcept {
    return impl_->type() == typeid(D) ? &static_cast<holder<D>*>(impl_.get())->d : nullptr;
  }
  template <class D>
  const D* target() const noexcept {
    return impl_->type() == typeid(D) ? &static_cast<const holder<D>*>(impl_.get())->d : nullptr;
  }

 private:
  struct base {
    virtual ~base() = default;
    virtual std::unique_ptr<base> clone() const = 0;
    virtual void update(double x) = 0;
    virtual bool drift_detected() const noexcept = 0;
    virtual bool warning_detected() const noexcept = 0;
    virtual bool has_warning_zone() const noexcept = 0;
    virtual void reset() = 0;
    virtual const std::type_info& type() const noexcept = 0;
    virtual void save_state(snapshot::saver& a) = 0;
    virtual void load_state(snapshot::loader& a) = 0;
  };

  template <class D>
  struct holder final : base {
    explicit holder(D detector) : d(std::move(detector)) {}
    std::unique_ptr<base> clone() const override { return std::make_unique<holder>(d); }
    void update(double x) override { d.update(x); }
    bool drift_detected() const noexcept override { return static_cast<bool>(d.drift_detected()); }
    bool warning_detected() const noexcept override {
      if constexpr (warning_detector<D>)
        return static_cast<bool>(d.warning_detected());
      else
        return false;
    }
    bool has_warning_zone() const noexcept override { return warning_detector<D>; }
    void reset() override { d.reset(); }
    const std::type_info& type() const noexcept override { return typeid(D); }
    void save_state(snapshot::saver& a) override { state_of(a); }
    void load_state(snapshot::loader& a) override { state_of(a); }
    template <class Archive>
    void state_of(Archive& a) {
      if constexpr (requires { d.state(a); })
        d.state(a);
      else
        throw std::logic_error("any_detector: this detector has no snapshot state");
    }
    D d;
  };

  std::string name_;
  std::unique_ptr<base> impl_;
};

}  // namespace riptide::drift
