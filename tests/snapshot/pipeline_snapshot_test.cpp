// Pipeline snapshots (snapshot/pipeline_io.hpp, snapshot/file.hpp): predictions and learning
// after a save and a load are the in-process pipeline's, bit for bit; damaged files are refused.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>
#include <unistd.h>

#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "riptide/io/csv.hpp"
#include "riptide/io/jsonl.hpp"
#include "riptide/scorer.hpp"
#include "riptide/snapshot/pipeline_io.hpp"
#include "riptide/synth/messify.hpp"

namespace {

namespace fs = std::filesystem;
namespace snapshot = riptide::snapshot;
using riptide::pipeline;
using riptide::pipeline_config;

const std::string train_csv =
    std::string(RIPTIDE_SOURCE_DIR) + "/data/telco_customer_churn_train_data.csv";
const std::string score_csv =
    std::string(RIPTIDE_SOURCE_DIR) + "/data/telco_customer_churn_score_data.csv";

struct temp_dir {
  fs::path path;
  temp_dir() {
    path = fs::temp_directory_path() / ("riptide-snapshot-test-" + std::to_string(::getpid()) +
                                        "-" + std::to_string(counter()++));
    fs::create_directories(path);
  }
  ~temp_dir() { fs::remove_all(path); }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
  static int& counter() {
    static int n = 0;
    return n;
  }
};

bool same_float(float a, float b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// Learns the first `n` records of the train file (all when n is 0).
pipeline trained(const pipeline_config& c, std::size_t n = 0) {
  pipeline p{c};
  std::size_t i = 0;
  for (const auto& r : riptide::io::read_csv(train_csv)) {
    if (n && i++ == n) break;
    p.predict_then_learn(r);
  }
  return p;
}

TEST(PipelineSnapshot, ServedPredictionsAreTheInProcessOnes) {
  temp_dir dir;
  for (const pipeline_config& c :
       {pipeline_config{.preset = "telco"},
        pipeline_config{.preset = "telco", .model = {.optimizer = "ftrl", .lr = 0.1}},
        pipeline_config{.preset = "telco", .drift = "adwin"},
        pipeline_config{.label = "Churn", .positive = "Yes", .id = "customerID"}}) {
    const pipeline p = trained(c);
    const std::string path = dir / "m.rts";
    snapshot::save(p, path);
    const pipeline q = snapshot::load(path);
    std::size_t scored = 0;
    for (const auto& r : riptide::io::read_csv(score_csv)) {
      const auto a = p.predict(r), b = q.predict(r);
      ASSERT_EQ(a.status, b.status);
      ASSERT_TRUE(same_float(a.probability, b.probability) ||
                  (std::isnan(a.probability) && std::isnan(b.probability)));
      scored += a.ok();
    }
    EXPECT_GT(scored, 400u);
  }
}

TEST(PipelineSnapshot, ResumeLearnsOnBitForBit) {
  temp_dir dir;
  for (const pipeline_config& c :
       {pipeline_config{.preset = "telco"},
        pipeline_config{.preset = "telco",
        .model = {.optimizer = "adaptive", .lr = 0.2, .batch_size = 4}},
        pipeline_config{.preset = "telco",
        .model = {.optimizer = "sgd", .lr = 0.05, .class_weight = "balanced"}},
        pipeline_config{.preset = "telco", .drift = "adwin", .drift_params = {"delta=0.02"}},
        pipeline_config{.preset = "telco",
        .model = {.lr = 0.05},
        .drift = "kswin",
        .feature_monitor = {.reference_size = 500, .window_size = 300}},
        pipeline_config{.label = "Churn",
        .positive = "Yes",
        .id = "customerID",
        .model = {.optimizer = "ftrl"}}}) {
    pipeline a{c};
    std::optional<pipeline> b;
    std::size_t i = 0;
    const std::string path = dir / "r.rts";
    for (const auto& r : riptide::io::read_csv(train_csv)) {
      if (i++ == 3000) {
        snapshot::save(a, path, {.what = snapshot::kind::resume});
        b.emplace(snapshot::load(path));
      }
      const auto x = a.predict_then_learn(r);
      if (b) {
        const auto y = b->predict_then_learn(r);
        ASSERT_EQ(x.status, y.status) << i;
        ASSERT_TRUE(same_float(x.probability, y.probability) ||
                    (std::isnan(x.probability) && std::isnan(y.probability)))
            << i;
      }
    }
    ASSERT_TRUE(b);
    EXPECT_EQ(a.report().in, b->report().in);
    EXPECT_EQ(a.report().duplicates, b->report().duplicates);
    EXPECT_EQ(a.report().reasons, b->report().reasons);
    const double auc_a = a.evaluation().auc(), auc_b = b->evaluation().auc();
    EXPECT_EQ(std::memcmp(&auc_a, &auc_b, sizeof auc_a), 0);
    EXPECT_EQ(a.evaluation().count(), b->evaluation().count());
    EXPECT_EQ(a.served().describe().leader, b->served().describe().leader);
    if (a.retraining()) {
      EXPECT_EQ(a.retraining()->events_total(), b->retraining()->events_total());
    }
    if (a.feature_monitor()) {
      EXPECT_EQ(a.feature_monitor()->alerts_total(), b->feature_monitor()->alerts_total());
    }
    const auto& wa = a.served().weights();
    const auto& wb = b->served().weights();
    ASSERT_EQ(wa.size(), wb.size());
    EXPECT_EQ(
        std::memcmp(wa.data(), wb.data(), sizeof(float) * static_cast<std::size_t>(wa.size())), 0);
  }
}

// The score file messified (CSV and JSON Lines): the loaded snapshot scores every record as
// the in-process pipeline does, bit for bit, and rejects the same ones for the same reasons.
TEST(PipelineSnapshot, ServedPredictionsOnAMessifiedScoreFileAreTheInProcessOnes) {
  temp_dir dir;
  const pipeline p = trained({.preset = "telco"});
  snapshot::save(p, dir / "m.rts");
  const pipeline q = snapshot::load(dir / "m.rts");
  auto sp = p.make_scratch();
  auto sq = q.make_scratch();
  for (const auto format :
       {riptide::synth::messify_format::csv, riptide::synth::messify_format::jsonl}) {
    const auto messy = riptide::synth::messify(slurp(score_csv), 11, {.format = format});
    std::size_t scored = 0, rejected = 0;
    const auto each = [&](auto&& reader) {
      for (const auto& r : reader) {
        const auto a = p.predict(r, sp), b = q.predict(r, sq);
        ASSERT_EQ(a.status, b.status);
        ASSERT_EQ(a.reason, b.reason);
        ASSERT_TRUE(same_float(a.probability, b.probability) ||
                    (std::isnan(a.probability) && std::isnan(b.probability)));
        (a.ok() ? scored : rejected) += 1;
      }
    };
    if (format == riptide::synth::messify_format::csv)
      each(riptide::io::read_csv_text(messy.text));
    else
      each(riptide::io::read_jsonl_text(messy.text));
    EXPECT_GT(scored, 350u);
    EXPECT_GT(rejected, 0u);
  }
}

TEST(PipelineSnapshot, EveryTruncationAndByteFlipIsRefused) {
  temp_dir dir;
  const pipeline p =
      trained({.preset = "telco", .model = {.optimizer = "adagrad", .lr = 0.05}}, 200);
  const std::string path = dir / "m.rts";
  snapshot::save(p, path);
  const std::string bytes = slurp(path);
  const auto view = [](const std::string& s) {
    return std::span<const std::byte>(reinterpret_cast<const std::byte*>(s.data()), s.size());
  };
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    const std::string cut = bytes.substr(0, n);
    ASSERT_THROW(snapshot::parse(view(cut), "cut"), snapshot::error) << n;
  }
  std::string flipped = bytes;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    flipped[i] = static_cast<char>(bytes[i] ^ (1 << (i % 8)));
    ASSERT_THROW(snapshot::parse(view(flipped), "flipped"), snapshot::error) << i;
    flipped[i] = bytes[i];
  }
  // Behind the checksum (as a hostile writer could compute it): a flip in the header is refused
  // or loads a pipeline that still predicts and learns with balanced accounting.
  auto score = riptide::io::read_csv(score_csv);
  std::vector<riptide::io::record> some;
  for (const auto& r : score)
    if (some.size() < 5) some.emplace_back(r);
  std::size_t refused = 0, loaded = 0;
  for (std::size_t i = 0; i < bytes.size() && i < 30000; i += 29) {
    flipped[i] = static_cast<char>(bytes[i] ^ (1 << (i % 8)));
    try {
      pipeline q = snapshot::load(snapshot::parse(view(flipped), "flipped", false), "flipped");
      for (const auto& r : some) {
        (void)q.predict(r.view());
        (void)q.predict_then_learn(r.view());
      }
      ASSERT_TRUE(q.report().balanced());
      ++loaded;
    } catch (const snapshot::error&) {
      ++refused;
    }
    flipped[i] = bytes[i];
  }
  EXPECT_GT(refused, 0u);
  EXPECT_GT(loaded, 0u);
}

TEST(PipelineSnapshot, ErrorsSayWhatAndWhere) {
  temp_dir dir;
  const std::string path = dir / "m.rts";
  snapshot::save(trained({.preset = "telco", .model = {.lr = 0.05}}, 50), path);
  std::string bytes = slurp(path);
  const auto message = [&](const std::string& b) {
    try {
      snapshot::parse({reinterpret_cast<const std::byte*>(b.data()), b.size()}, "m.rts");
    } catch (const snapshot::error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  std::string newer = bytes;
  newer[8] = 9;
  EXPECT_NE(message(newer).find("m.rts: written by riptide 0.1.0 (format 9); this build"),
            std::string::npos)
      << message(newer);
  std::string bad = bytes;
  bad[0] = 'X';
  EXPECT_EQ(message(bad), "m.rts: not a riptide snapshot (bad magic bytes)");
  EXPECT_EQ(message(bytes.substr(0, bytes.size() - 1)),
            "m.rts: checksum mismatch: the file is damaged or truncated");
  EXPECT_THROW(snapshot::load(dir / "absent.rts"), snapshot::error);

  // A well-formed file (checksum right) whose header claims 2^40 weights: refused before any
  // allocation, by the extent check against the file.
  const std::string header =
      R"({"kind":"serve","arrays":[{"name":"model.weights","dtype":"f32","offset":128,)"
      R"("count":1099511627776}]})";
  std::string forged("\x89RIPTIDE", 8);
  const auto put = [&](std::uint64_t v, int n) {
    for (int i = 0; i < n; ++i) forged.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  };
  put(1, 4);
  put(0, 4);
  put(header.size(), 8);
  forged += header;
  forged.resize(128 + 64, '\0');
  put(XXH3_64bits(forged.data(), forged.size()), 8);
  EXPECT_EQ(message(forged),
            "m.rts: array 0 (model.weights): 1099511627776 elements run past the end of the file");
}

}  // namespace

namespace {

// A snapshot written by riptide 0.1.0 (format 1), committed: every later version must load it
// and predict exactly what it predicted then (older formats are read forever).
TEST(PipelineSnapshot, TheCommittedFormat1SnapshotPredictsAsItDidWhenWritten) {
  const std::string dir = std::string(RIPTIDE_SOURCE_DIR) + "/tests/snapshot/fixtures/";
  const pipeline p = snapshot::load(dir + "telco_resume_format1.rts");
  riptide::scorer s(p);
  std::string got = "id,probability,label\n";
  for (const auto& r : riptide::io::read_csv(score_csv)) {
    const auto& x = s.score(r);
    ASSERT_TRUE(x.out.ok()) << x.out.reason;
    char num[32];
    const auto end = std::to_chars(num, num + sizeof num, x.out.probability).ptr;
    got.append(x.id).append(",").append(num, end).append(x.label ? ",1\n" : ",0\n");
  }
  EXPECT_EQ(got, slurp(dir + "telco_resume_format1.predictions.csv"));
  EXPECT_EQ(s.in(), 411u);
}

TEST(PipelineSnapshot, AScoreFileMissingATrainedColumnIsQuarantinedPerRecord) {
  const pipeline p = trained({.label = "Churn", .positive = "Yes", .id = "customerID"}, 300);
  riptide::scorer s(p);
  riptide::io::schema schema({"customerID", "gender"});
  std::vector<riptide::io::field> f{{"1-A"}, {"Male"}};
  riptide::io::record_view r;
  r.columns = &schema;
  r.fields = f;
  const auto& got = s.score(r);
  EXPECT_FALSE(got.out.ok());
  EXPECT_EQ(got.out.reason.rfind("schema: column '", 0), 0u) << got.out.reason;
  EXPECT_EQ(s.quarantined(), 1u);
  EXPECT_EQ(s.in(), s.predicted() + s.quarantined());
}

}  // namespace

namespace {

// The state of a pipeline as a resume snapshot holds it: header state and array bytes.
std::pair<nlohmann::json, std::vector<std::vector<std::byte>>> resume_state(const pipeline& p) {
  snapshot::saver s(snapshot::kind::resume);
  const_cast<pipeline&>(p).state(s);
  std::vector<std::vector<std::byte>> arrays;
  for (const auto& a : s.arrays()) arrays.push_back(a.bytes);
  return {s.state(), arrays};
}

// Learning A then B equals learning A, saving, loading, learning B: the whole state (weights,
// optimizer, race, drift retraining, encoder, chain, metrics) bit for bit, and every outcome.
RC_GTEST_PROP(PipelineSnapshot, ResumeEqualsLearningOnForAnyConfigurationAndSplit, ()) {
  static const std::vector<riptide::io::record> records = [] {
    std::vector<riptide::io::record> out;
    std::size_t i = 0;
    static auto reader = riptide::io::read_csv(train_csv);  // owns the schema
    for (const auto& r : reader)
      if (i++ < 1500) out.emplace_back(r);
    return out;
  }();
  pipeline_config c{.preset = "telco"};
  c.model.optimizer = *rc::gen::element<std::string>("auto", "sgd", "adagrad", "ftrl", "adaptive");
  c.model.lr = *rc::gen::element(0.0, 0.05, 0.3);
  c.model.batch_size = *rc::gen::element<std::size_t>(1, 1, 3);
  c.model.class_weight = *rc::gen::element<std::string>("none", "balanced");
  c.model.race_records = 600;
  c.drift = *rc::gen::element<std::string>("", "", "adwin", "ddm", "kswin", "page-hinkley");
  c.feature_monitor.reference_size = 300;
  c.feature_monitor.window_size = 200;
  const auto split = *rc::gen::inRange<std::size_t>(0, records.size());
  temp_dir dir;
  pipeline a{c};
  for (std::size_t i = 0; i < split; ++i) a.predict_then_learn(records[i].view());
  snapshot::save(a, dir / "r.rts", {.what = snapshot::kind::resume});
  pipeline b = snapshot::load(dir / "r.rts");
  for (std::size_t i = split; i < records.size(); ++i) {
    const auto x = a.predict_then_learn(records[i].view());
    const auto y = b.predict_then_learn(records[i].view());
    RC_ASSERT(x.status == y.status);
    RC_ASSERT(std::memcmp(&x.probability, &y.probability, sizeof(float)) == 0);
  }
  const auto sa = resume_state(a), sb = resume_state(b);
  RC_ASSERT(sa.first == sb.first);
  RC_ASSERT(sa.second == sb.second);
}

}  // namespace
