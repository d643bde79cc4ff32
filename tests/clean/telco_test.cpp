// riptide::clean: the telco preset against an independent reference of the seed's Spark job, the
// preset file, accounting properties, and the allocation-free hot path.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <riptide/clean/apply.hpp>
#include <riptide/clean/preset.hpp>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <new>
#include <sstream>
#include <string>
#include <vector>

#include "clean/records.hpp"

namespace clean = riptide::clean;
namespace io = riptide::io;
using riptide::value;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::string field;
  std::stringstream ss(line);
  while (std::getline(ss, field, sep)) out.push_back(field);
  if (!line.empty() && line.back() == sep) out.emplace_back();
  return out;
}

// A plain CSV file (no quotes) as records.
struct csv_file {
  std::vector<std::string> header;
  riptide::test::records recs{{}};
  std::vector<std::vector<std::string>> rows;
};

csv_file load_plain_csv(const std::string& path) {
  const auto text = slurp(std::string(RIPTIDE_SOURCE_DIR) + "/" + path);
  EXPECT_EQ(text.find('"'), std::string::npos) << "the reference reads unquoted CSV only";
  std::stringstream ss(text);
  std::string line;
  csv_file f;
  std::getline(ss, line);
  f.header = split(line, ',');
  f.recs = riptide::test::records(f.header);
  while (std::getline(ss, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    f.rows.push_back(split(line, ','));
    f.recs.add(f.rows.back());
  }
  return f;
}

// The seed's Spark "Lab 1" job, written straight from its description (issue 5), independently
// of the rules mechanism: one expected output row of (name, text) pairs per kept input row.
struct expected_row {
  std::vector<std::string> names;
  std::vector<std::string> texts;
  std::vector<char> types;  // 's' string, 'i' integer, 'd' double
};

std::vector<expected_row> spark_reference(const csv_file& f) {
  std::map<std::string, std::size_t> at;
  for (std::size_t i = 0; i < f.header.size(); ++i) at[f.header[i]] = i;
  const bool has_churn = at.count("Churn") > 0;
  std::vector<expected_row> out;
  for (const auto& row : f.rows) {
    bool any_null = false;
    for (const auto& v : row)
      if (v == "None" || v == "NULL" || v.empty() || v == " " || v == "NaN") any_null = true;
    if (row.size() < f.header.size() || any_null) continue;  // dropna
    auto get = [&](const std::string& name) {
      std::string v = row[at.at(name)];
      if (v == "No internet service" || v == "No phone service") v = "No";
      return v;
    };
    expected_row e;
    auto put = [&e](std::string name, std::string text, char type) {
      e.names.push_back(std::move(name));
      e.texts.push_back(std::move(text));
      e.types.push_back(type);
    };
    const long tenure = std::strtol(get("tenure").c_str(), nullptr, 10);
    const char* group = tenure <= 12   ? "Tenure_0-12"
                        : tenure <= 24 ? "Tenure_12-24"
                        : tenure <= 48 ? "Tenure_24-48"
                        : tenure <= 60 ? "Tenure_48-60"
                                       : "Tenure_gt_60";
    put("customer_id", get("customerID"), 's');
    put("gender", get("gender"), 's');
    put("senior_citizen", get("SeniorCitizen"), 'i');
    put("partner", get("Partner"), 's');
    put("dependents", get("Dependents"), 's');
    put("tenure", get("tenure"), 'i');
    put("tenure_group", group, 's');
    put("phone_service", get("PhoneService"), 's');
    put("multiple_lines", get("MultipleLines"), 's');
    put("internet_service", get("InternetService"), 's');
    put("online_security", get("OnlineSecurity"), 's');
    put("online_backup", get("OnlineBackup"), 's');
    put("device_protection", get("DeviceProtection"), 's');
    put("tech_support", get("TechSupport"), 's');
    put("streaming_tv", get("StreamingTV"), 's');
    put("streaming_movies", get("StreamingMovies"), 's');
    put("contract", get("Contract"), 's');
    put("paperless_billing", get("PaperlessBilling"), 's');
    put("payment_method", get("PaymentMethod"), 's');
    put("monthly_charges", get("MonthlyCharges"), 'd');
    put("total_charges", get("TotalCharges"), 'd');
    if (has_churn) {
      std::string churn = get("Churn");
      for (auto& c : churn) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      put("churn", churn, 's');
    }
    out.push_back(std::move(e));
  }
  return out;
}

void expect_matches_reference(const std::string& path, std::size_t expected_rows) {
  auto f = load_plain_csv(path);
  const auto reference = spark_reference(f);
  ASSERT_EQ(reference.size(), expected_rows);
  auto chain = clean::preset("telco");
  clean::quarantine q;
  std::size_t n = 0;
  for (const auto& row : f.recs.views() | clean::apply(chain, q)) {
    ASSERT_LT(n, reference.size());
    const auto& e = reference[n++];
    ASSERT_EQ(row.names->names, e.names);
    ASSERT_EQ(row.values.size(), e.texts.size());
    for (std::size_t i = 0; i < e.texts.size(); ++i) {
      const auto& v = row.values[i];
      switch (e.types[i]) {
        case 's':
          ASSERT_TRUE(v.is_text()) << e.names[i];
          EXPECT_EQ(v.as_text(), e.texts[i]) << e.names[i] << " row " << n;
          break;
        case 'i':
          ASSERT_TRUE(v.is_int()) << e.names[i];
          EXPECT_EQ(v.as_int(), std::strtoll(e.texts[i].c_str(), nullptr, 10)) << e.names[i];
          break;
        default: {
          ASSERT_TRUE(v.is_real()) << e.names[i];
          const double want = std::strtod(e.texts[i].c_str(), nullptr);
          EXPECT_LE(std::fabs(v.as_real() - want), 1e-6 * std::fabs(want)) << e.names[i];
        }
      }
    }
  }
  EXPECT_EQ(n, expected_rows);
  const auto report = chain.report();
  EXPECT_TRUE(report.balanced());
  EXPECT_EQ(report.in, f.rows.size());
  EXPECT_EQ(report.clean, expected_rows);  // nothing to repair in the bundled export
  EXPECT_EQ(q.size(), f.rows.size() - expected_rows);
}

}  // namespace

TEST(CleanTelco, TrainFileMatchesTheSparkReference7043To7032) {
  expect_matches_reference("data/telco_customer_churn_train_data.csv", 7032);
}

TEST(CleanTelco, ScoreFileHasNoChurnColumn) {
  auto f = load_plain_csv("data/telco_customer_churn_score_data.csv");
  const auto reference = spark_reference(f);
  expect_matches_reference("data/telco_customer_churn_score_data.csv", reference.size());
  EXPECT_EQ(reference.at(0).names.back(), "total_charges");
}

TEST(CleanTelco, QuarantinedRowsAreTheBlankTotalCharges) {
  auto f = load_plain_csv("data/telco_customer_churn_train_data.csv");
  auto chain = clean::preset("telco");
  clean::quarantine q;
  for ([[maybe_unused]] const auto& row : f.recs.views() | clean::apply(chain, q)) {
  }
  ASSERT_EQ(q.size(), 11u);
  for (const auto& r : q.records()) {
    EXPECT_EQ(r.reason, "drop_if_null(total_charges): null");
    EXPECT_NE(r.raw.find(", ,"), std::string::npos) << r.raw;
  }
  EXPECT_EQ(chain.report().reasons.at("drop_if_null(total_charges): null"), 11u);
}

TEST(CleanTelco, PresetFileAndCompiledPresetAreIdentical) {
  EXPECT_EQ(slurp(std::string(RIPTIDE_SOURCE_DIR) + "/data/presets/telco.json"),
            clean::preset_text("telco"));
  EXPECT_EQ(
      clean::load_rules_file(std::string(RIPTIDE_SOURCE_DIR) + "/data/presets/telco.json").size(),
      clean::preset("telco").size());
}

TEST(CleanTelco, RepairsMessyVariantsOfAValidRecord) {
  riptide::test::records recs(
      {"\xEF\xBB\xBF"
       "Customer ID",
       "Gender",
       "Senior Citizen",
       "partner",
       "DEPENDENTS",
       "Tenure",
       "PhoneService",
       "MultipleLines",
       "InternetService",
       "OnlineSecurity",
       "OnlineBackup",
       "DeviceProtection",
       "TechSupport",
       "StreamingTV",
       "StreamingMovies",
       "Contract",
       "PaperlessBilling",
       "PaymentMethod",
       "MonthlyCharges",
       "TotalCharges",
       "churn"});
  recs.add({" 7590-VHVEG",
            "female",
            "no",
            "Y",
            "false",
            "+1",
            "no",
            "No Phone Service",
            "dsl",
            "No",
            "YES\xE2\x80\x8B",
            "No",
            "No",
            "No",
            "No",
            "month-to-month",
            "1",
            "Electronic\r\ncheck",
            "$29.85",
            "2.985e1",
            "No"});
  auto chain = clean::preset("telco");
  clean::quarantine q;
  std::vector<clean::row> rows;
  for (const auto& row : recs.views() | clean::apply(chain, q)) rows.push_back(row);
  ASSERT_EQ(rows.size(), 1u) << chain.report().to_json() << chain.binding_error();
  const auto& r = rows[0];
  EXPECT_EQ(r.status, clean::disposition::repaired);
  EXPECT_EQ(r.get("customer_id")->as_text(), "7590-VHVEG");
  EXPECT_EQ(r.get("gender")->as_text(), "Female");
  EXPECT_EQ(r.get("senior_citizen")->as_int(), 0);
  EXPECT_EQ(r.get("partner")->as_text(), "Yes");
  EXPECT_EQ(r.get("dependents")->as_text(), "No");
  EXPECT_EQ(r.get("tenure")->as_int(), 1);
  EXPECT_EQ(r.get("tenure_group")->as_text(), "Tenure_0-12");
  EXPECT_EQ(r.get("multiple_lines")->as_text(), "No");
  EXPECT_EQ(r.get("internet_service")->as_text(), "DSL");
  EXPECT_EQ(r.get("online_backup")->as_text(), "Yes");
  EXPECT_EQ(r.get("contract")->as_text(), "Month-to-month");
  EXPECT_EQ(r.get("paperless_billing")->as_text(), "Yes");
  EXPECT_EQ(r.get("payment_method")->as_text(), "Electronic check");
  EXPECT_EQ(r.get("monthly_charges")->as_real(), 29.85);
  EXPECT_EQ(r.get("total_charges")->as_real(), 29.85);
  EXPECT_EQ(r.get("churn")->as_text(), "no");
}

TEST(CleanTelco, UnrecoverableValuesAreQuarantinedWithReasons) {
  const std::vector<std::string> header = {
      "customerID",   "gender",           "SeniorCitizen", "Partner",         "Dependents",
      "tenure",       "PhoneService",     "MultipleLines", "InternetService", "OnlineSecurity",
      "OnlineBackup", "DeviceProtection", "TechSupport",   "StreamingTV",     "StreamingMovies",
      "Contract",     "PaperlessBilling", "PaymentMethod", "MonthlyCharges",  "TotalCharges",
      "Churn"};
  const std::vector<std::string> good = {"7590-VHVEG", "Female",
                                         "0",          "Yes",
                                         "No",         "1",
                                         "No",         "No phone service",
                                         "DSL",        "No",
                                         "Yes",        "No",
                                         "No",         "No",
                                         "No",         "Month-to-month",
                                         "Yes",        "Electronic check",
                                         "29.85",      "29.85",
                                         "No"};
  const std::vector<std::tuple<std::size_t, std::string, std::string>> cases = {
      {5, "-3", "range(tenure): out of range: '-3'"},
      {5, "3.5", "cast(tenure): not an integer: '3.5'"},
      {18, "1,234", "cast(monthly_charges): ambiguous number format: '1,234'"},
      {18, "abc", "cast(monthly_charges): not a number: 'abc'"},
      {1, "Unknown", "allowed(gender): not an allowed value: 'Unknown'"},
      {3, "maybe", "boolean(partner): not a boolean: 'maybe'"},
      {19, "N/A", "drop_if_null(total_charges): null"},
  };
  riptide::test::records recs(header);
  for (const auto& [col, text, reason] : cases) {
    auto row = good;
    row[col] = text;
    recs.add(row);
  }
  auto chain = clean::preset("telco");
  clean::quarantine q;
  for ([[maybe_unused]] const auto& row : recs.views() | clean::apply(chain, q)) ADD_FAILURE();
  ASSERT_EQ(q.records().size(), cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i)
    EXPECT_EQ(q.records()[i].reason, std::get<2>(cases[i]));
}

// ---------------------------------------------------------------------------------------------
// Properties

namespace {

// Field texts as messy exports have them, including bytes that are not UTF-8.
rc::Gen<std::string> messy_text() {
  return rc::gen::oneOf(
      rc::gen::element<std::string>("", " ", "NULL", "None", "NaN", "n/a", "Yes", "No", "yes",
                                    " No ", "Female", "DSL", "No internet service", "1,234",
                                    "1,889.50", "$29.85", "-3", "12", "0", "1", "1e3", "abc",
                                    "\xC2\xA0Yes", "\xFF\xFE", "Mailed\ncheck", "One year"),
      rc::gen::arbitrary<std::string>(),
      rc::gen::map(rc::gen::inRange(-100000, 100000), [](int x) { return std::to_string(x); }));
}

}  // namespace

RC_GTEST_PROP(CleanProperties, EveryRecordIsAccountedForExactlyOnce, ()) {
  const std::vector<std::string> header = {
      "customerID",   "gender",           "SeniorCitizen", "Partner",         "Dependents",
      "tenure",       "PhoneService",     "MultipleLines", "InternetService", "OnlineSecurity",
      "OnlineBackup", "DeviceProtection", "TechSupport",   "StreamingTV",     "StreamingMovies",
      "Contract",     "PaperlessBilling", "PaymentMethod", "MonthlyCharges",  "TotalCharges",
      "Churn"};
  riptide::test::records recs(header);
  const auto n = *rc::gen::inRange(0, 60);
  for (int i = 0; i < n; ++i) {
    if (*rc::gen::inRange(0, 10) == 0) {
      recs.add_error(io::error_code::field_count, "ragged", *rc::gen::arbitrary<std::string>());
      continue;
    }
    std::vector<std::string> row;
    const auto width = *rc::gen::inRange<std::size_t>(0, header.size() + 1);
    for (std::size_t k = 0; k < width; ++k) row.push_back(*messy_text());
    recs.add(row);
  }
  const bool use_preset = *rc::gen::arbitrary<bool>();
  auto chain = use_preset ? clean::preset("telco")
                          : clean::trim{.collapse_spaces = true} | clean::null_tokens{} |
                                clean::cast{.columns = {"tenure"},
                                            .to = clean::type::integer,
                                            .on_error = clean::cast_error::null} |
                                clean::impute{.column = "tenure"} | clean::dedup{.window = 8};
  std::size_t yielded = 0, rejected = 0, duplicates = 0;
  const auto sink = [&](const clean::row& r, const io::record_view&) {
    ++rejected;
    duplicates += r.status == clean::disposition::duplicate;
    RC_ASSERT(!r.reason.empty());
  };
  for (const auto& row : recs.views() | clean::apply(chain, sink)) {
    ++yielded;
    RC_ASSERT(row.status == clean::disposition::clean ||
              row.status == clean::disposition::repaired);
    RC_ASSERT((row.status == clean::disposition::repaired) == !row.repairs.empty());
  }
  const auto report = chain.report();
  RC_ASSERT(report.balanced());
  RC_ASSERT(report.in == static_cast<std::uint64_t>(n));
  RC_ASSERT(report.clean + report.repaired == yielded);
  RC_ASSERT(report.quarantined + report.duplicates == rejected);
  RC_ASSERT(report.duplicates == duplicates);
  std::uint64_t reasons = 0;
  for (const auto& [key, count] : report.reasons) reasons += count;
  RC_ASSERT(reasons == rejected);
}

RC_GTEST_PROP(CleanProperties, FormattedNumbersReadBack, ()) {
  const auto cents = *rc::gen::inRange<std::int64_t>(-1000000000, 1000000000);
  const double x = static_cast<double>(cents) / 100.0;
  const bool negative = cents < 0;
  const auto whole = std::to_string((negative ? -cents : cents) / 100);
  const auto frac = std::to_string((negative ? -cents : cents) % 100 + 100).substr(1);
  // Group the whole part with `sep`.
  const auto group = [&](const std::string& sep) {
    std::string out;
    for (std::size_t i = 0; i < whole.size(); ++i) {
      if (i > 0 && (whole.size() - i) % 3 == 0) out += sep;
      out += whole[i];
    }
    return out;
  };
  const auto style = *rc::gen::inRange(0, 6);
  std::string text;
  switch (style) {
    case 0:
      text = whole + "." + frac;
      break;
    case 1:
      text = group(",") + "." + frac;
      break;
    case 2:
      text = group(".") + "," + frac;
      break;
    case 3:
      text = group("\xC2\xA0") + "," + frac;
      break;
    case 4:
      text = "$" + group(",") + "." + frac;
      break;
    default:
      text = group("'") + "." + frac;
      break;
  }
  if (negative) text = (style == 4 ? "(" + text + ")" : "-" + text);
  const auto n = clean::parse_number(text);
  RC_ASSERT(n.status == clean::number_status::ok);
  RC_ASSERT(std::fabs(n.value - x) <= 1e-9 * std::max(1.0, std::fabs(x)));
}

RC_GTEST_PROP(CleanProperties, ArbitraryBytesNeverBreakTheParsers, (const std::string& s)) {
  (void)clean::parse_number(s);
  (void)clean::text::trim(s);
  (void)clean::text::snake_case(s);
  std::string out;
  clean::text::clean_spaces(s, out, true);
  RC_ASSERT(clean::text::trim(out) == out);
  std::string json;
  clean::append_json_string(json, s);
  RC_ASSERT(json.size() >= 2);
}
