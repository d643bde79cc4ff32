// riptide/serve/predictor.hpp: predictions for a service, from a model that can be swapped
// under load.
//
// A predictor holds the current model (a served_model: a pipeline loaded from a snapshot, its
// version and card) behind a shared_ptr: a request copies the pointer once and finishes on that
// model; swap() replaces it and the old model is freed when its last request ends. The pointer
// is guarded by a mutex held only to copy or replace it (never across a prediction, a load or
// the old model's destruction), so requests and swaps wait on each other for nanoseconds at
// most. (std::atomic<std::shared_ptr> would avoid the mutex; GCC 12's reads its pointer in a way
// ThreadSanitizer reports as a race.) Prediction writes no shared state: each serving thread
// keeps a session (the scorer of the model it served last: chain copy, encoder scratch), remade
// when the model changes.
// predict(body, session) answers a request body (serve/request.hpp): 200 with
//   {"predictions": [{"id": "...", "probability": 0.123, "label": 1} or
//                    {"error": "cast(tenure): not a number: 'abc'"}, ...],
//    "model": {"version": "...", "created": "..."}}
// one entry per instance in order (an instance that fails cleansing, or whose columns the model
// does not know, gets its reason, the others are predicted); probabilities in shortest
// round-trip form (bit-identical to `riptide predict`); a request error gives its 4xx status and
// {"error": "..."}; no model yet gives 503.
//
// Example:
//   riptide::pipeline p{{.preset = "telco", .model = {.lr = 0.05}}};
//   for (const auto& r : riptide::io::read_csv("data/telco_customer_churn_train_data.csv"))
//     p.predict_then_learn(r);
//   riptide::serve::predictor predictor;
//   predictor.swap(std::make_shared<const riptide::serve::served_model>(
//       riptide::serve::served_model{std::move(p), "1", "2026-12-07T00:00:00Z"}));
//   riptide::serve::predictor::session s;
//   const auto r = predictor.predict(
//       R"({"instances": [{"customerID": "1-A", "gender": "Female", "SeniorCitizen": 0,
//           "Partner": "Yes", "Dependents": "No", "tenure": 1, "PhoneService": "No",
//           "MultipleLines": "No phone service", "InternetService": "DSL",
//           "OnlineSecurity": "No", "OnlineBackup": "Yes", "DeviceProtection": "No",
//           "TechSupport": "No", "StreamingTV": "No", "StreamingMovies": "No",
//           "Contract": "Month-to-month", "PaperlessBilling": "Yes",
//           "PaymentMethod": "Electronic check", "MonthlyCharges": 29.85,
//           "TotalCharges": "29.85"}]})",
//       s);
//   if (r.status != 200 || r.predicted != 1 || r.body.find("\"id\":\"1-A\"") == std::string::npos)
//     std::abort();
#pragma once

#include <atomic>
#include <charconv>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "riptide/clean/report.hpp"
#include "riptide/io/jsonl.hpp"
#include "riptide/pipeline.hpp"
#include "riptide/scorer.hpp"
#include "riptide/serve/request.hpp"

namespace riptide::serve {

/// A model a service serves: the pipeline and what identifies it to clients.
struct served_model {
  riptide::pipeline pipeline;
  std::string version;  ///< e.g. the snapshot's name in its registry
  std::string created;  ///< the snapshot's creation time (UTC)
};

class predictor {
 public:
  /// One serving thread's scratch: the scorer of the model it served last.
  class session {
    friend class predictor;
    std::shared_ptr<const served_model> model_;
    std::optional<scorer> scorer_;
  };

  /// An answer: HTTP status and JSON body; instances in the request and predicted.
  struct response {
    int status = 200;
    std::string body;
    std::size_t instances = 0;
    std::size_t predicted = 0;
  };

  predictor() = default;
  explicit predictor(std::shared_ptr<const served_model> m) : model_(std::move(m)) {}

  /// The model serving now (null before the first).
  std::shared_ptr<const served_model> current() const {
    const std::lock_guard<std::mutex> hold(mutex_);
    return model_;
  }
  /// Publishes `m`: requests that start after this serve it; those in flight finish on theirs.
  void swap(std::shared_ptr<const served_model> m) {
    {
      const std::lock_guard<std::mutex> hold(mutex_);
      model_.swap(m);
    }  // the old model (now in m) is released outside the lock
    swaps_.fetch_add(1, std::memory_order_relaxed);
  }
  std::uint64_t swaps() const noexcept { return swaps_.load(std::memory_order_relaxed); }

  /// Answers a predict request body (see the header comment).
  response predict(std::string_view body, session& s) const {
    response out;
    const auto m = current();
    if (!m) return error(503, "no model loaded yet");
    auto request = decode_request(body);
    if (request.error) return error(request.error->status, request.error->message);
    if (s.model_ != m) {
      s.scorer_.reset();
      s.model_ = m;
      s.scorer_.emplace(m->pipeline);
    }
    s.scorer_->new_input();  // this request's reader
    out.instances = request.count;
    std::string& b = out.body;
    b.reserve(64 * request.count + 128);
    b += "{\"predictions\":[";
    std::size_t k = 0;
    for (const auto& record : io::read_jsonl_text(std::move(request.lines))) {
      if (k++) b += ',';
      const auto& got = s.scorer_->score(record);
      if (!got.out.ok()) {
        b += "{\"error\":";
        clean::append_json_string(b, got.out.reason);
        b += '}';
        continue;
      }
      b += "{\"id\":";
      clean::append_json_string(b, got.id);
      b += ",\"probability\":";
      char num[32];
      b.append(num, std::to_chars(num, num + sizeof num, got.out.probability).ptr);
      b += got.label ? ",\"label\":1}" : ",\"label\":0}";
      ++out.predicted;
    }
    b += "],\"model\":{\"version\":";
    clean::append_json_string(b, m->version);
    b += ",\"created\":";
    clean::append_json_string(b, m->created);
    b += "}}";
    return out;
  }

 private:
  static response error(int status, std::string_view message) {
    response r;
    r.status = status;
    r.body = "{\"error\":";
    clean::append_json_string(r.body, message);
    r.body += '}';
    return r;
  }

  mutable std::mutex mutex_;
  std::shared_ptr<const served_model> model_;
  std::atomic<std::uint64_t> swaps_{0};
};

}  // namespace riptide::serve
