// riptide/clean/preset.hpp: the built-in rules presets (compiled in; the same text is shipped as
// data/presets/NAME.json, and a test checks that the two are identical).
//
//   telco  the seed's Spark "Lab 1" cleansing of the IBM Telco churn export (7043 -> 7032 rows on
//          the bundled train data), hardened for messy exports; see data/presets/telco.json.
//
// Example:
//   auto chain = riptide::clean::preset("telco");
//   if (chain.name() != "telco") std::abort();
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "riptide/clean/chain.hpp"
#include "riptide/clean/rules.hpp"

namespace riptide::clean {

namespace presets {

// data/presets/telco.json, verbatim.
inline constexpr std::string_view telco = R"json({
  "name": "telco",
  "description": "The seed's Spark 'Lab 1' cleansing of the IBM Telco customer churn export: nulls (None, NULL, NaN, blank, ...) dropped, 'No internet service' / 'No phone service' recoded to 'No', tenure_group added, snake_case columns in a fixed order, integer and real casts, churn lower-cased. Beyond Spark, and without changing its result on clean exports, it repairs what messy exports do to these columns (spaces, invisible characters, header spellings, case, boolean and number formats) and quarantines what it cannot repair (unknown categories, unreadable numbers, out-of-range values), and drops exact duplicates.",
  "optional": ["Churn"],
  "steps": [
    {"op": "trim", "columns": "*", "collapse_spaces": true},
    {"op": "null_tokens", "columns": "*"},
    {"op": "drop_if_null", "columns": "*"},
    {"op": "allowed", "columns": "gender", "values": ["Female", "Male"]},
    {"op": "boolean", "columns": ["Partner", "Dependents", "PhoneService", "PaperlessBilling", "Churn"],
     "true": "Yes", "false": "No"},
    {"op": "boolean", "columns": "SeniorCitizen", "true": 1, "false": 0},
    {"op": "allowed", "columns": "MultipleLines", "values": ["Yes", "No", "No phone service"]},
    {"op": "allowed", "columns": "InternetService", "values": ["DSL", "Fiber optic", "No"]},
    {"op": "allowed",
     "columns": ["OnlineSecurity", "OnlineBackup", "DeviceProtection", "TechSupport", "StreamingTV",
                 "StreamingMovies"],
     "values": ["Yes", "No", "No internet service"]},
    {"op": "allowed", "columns": "Contract", "values": ["Month-to-month", "One year", "Two year"]},
    {"op": "allowed", "columns": "PaymentMethod",
     "values": ["Electronic check", "Mailed check", "Bank transfer (automatic)",
                "Credit card (automatic)"]},
    {"op": "map", "columns": "*", "values": {"No internet service": "No", "No phone service": "No"}},
    {"op": "cast", "columns": "tenure", "to": "integer"},
    {"op": "cast", "columns": ["MonthlyCharges", "TotalCharges"], "to": "real"},
    {"op": "range", "column": "tenure", "min": 0, "max": 1200},
    {"op": "range", "column": "MonthlyCharges", "min": 0, "max": 100000},
    {"op": "range", "column": "TotalCharges", "min": 0, "max": 10000000},
    {"op": "bucket", "column": "tenure", "into": "tenure_group",
     "buckets": [{"max": 12, "label": "Tenure_0-12"}, {"max": 24, "label": "Tenure_12-24"},
                 {"max": 48, "label": "Tenure_24-48"}, {"max": 60, "label": "Tenure_48-60"}],
     "otherwise": "Tenure_gt_60"},
    {"op": "case", "columns": "Churn", "to": "lower"},
    {"op": "rename", "map": {
      "customerID": "customer_id", "gender": "gender", "SeniorCitizen": "senior_citizen",
      "Partner": "partner", "Dependents": "dependents", "tenure": "tenure",
      "PhoneService": "phone_service", "MultipleLines": "multiple_lines",
      "InternetService": "internet_service", "OnlineSecurity": "online_security",
      "OnlineBackup": "online_backup", "DeviceProtection": "device_protection",
      "TechSupport": "tech_support", "StreamingTV": "streaming_tv",
      "StreamingMovies": "streaming_movies", "Contract": "contract",
      "PaperlessBilling": "paperless_billing", "PaymentMethod": "payment_method",
      "MonthlyCharges": "monthly_charges", "TotalCharges": "total_charges", "Churn": "churn"}},
    {"op": "cross_check", "name": "total vs tenure x monthly", "column": "total_charges",
     "factors": ["tenure", "monthly_charges"], "rel_tol": 0.5, "abs_tol": 100, "on_fail": "flag"},
    {"op": "dedup", "key": "*", "window": 100000}
  ],
  "output": ["customer_id", "gender", "senior_citizen", "partner", "dependents", "tenure",
             "tenure_group", "phone_service", "multiple_lines", "internet_service",
             "online_security", "online_backup", "device_protection", "tech_support",
             "streaming_tv", "streaming_movies", "contract", "paperless_billing", "payment_method",
             "monthly_charges", "total_charges", "churn"],
  "label": "churn",
  "positive": "yes",
  "id": "customer_id"
}
)json";

}  // namespace presets

/// Names of the built-in presets.
inline std::vector<std::string_view> preset_names() {
  return {"telco"};
}

/// The rules text of preset `name`; throws rules_error for an unknown name.
inline std::string_view preset_text(std::string_view name) {
  if (name == "telco") return presets::telco;
  std::string known;
  for (const auto n : preset_names()) known += (known.empty() ? "" : ", ") + std::string(n);
  throw rules_error("unknown preset '" + std::string(name) + "' (known: " + known + ")");
}

/// A fresh chain configured by preset `name`.
inline chain preset(std::string_view name) {
  return load_rules(preset_text(name), "preset " + std::string(name));
}

}  // namespace riptide::clean
