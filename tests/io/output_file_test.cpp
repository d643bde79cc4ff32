// riptide::io::output_file and check_outputs: atomic replacement (the destination is unchanged
// until commit; an exception before commit leaves the old file and no temporary file), and the
// refusal of an output that is an input through a hard link, a symbolic link or a relative path.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <riptide/io/output_file.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <system_error>

namespace io = riptide::io;
namespace fs = std::filesystem;

namespace {

// A fresh directory per test, removed afterwards.
class OutputFile : public ::testing::Test {
 protected:
  void SetUp() override {
    char tpl[] = "/tmp/riptide-output-file-XXXXXX";
    ASSERT_NE(::mkdtemp(tpl), nullptr);
    dir_ = tpl;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::set<std::string> entries() const {
    std::set<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) names.insert(e.path().filename().string());
    return names;
  }
  static void put(const std::string& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
  }
  static std::string get(const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  fs::path dir_;
};

TEST_F(OutputFile, DestinationUnchangedUntilCommit) {
  const auto dest = path("out.csv");
  put(dest, "old\n");
  io::output_file out(dest, {.flush_bytes = 4});
  out.write("new,bytes\n");  // past flush_bytes: written to the temporary file
  out.write("more\n");
  out.flush();
  EXPECT_EQ(get(dest), "old\n");
  EXPECT_EQ(entries().size(), 2u);  // the destination and the temporary file beside it
  out.commit();
  EXPECT_EQ(get(dest), "new,bytes\nmore\n");
  EXPECT_EQ(entries(), std::set<std::string>{"out.csv"});
  EXPECT_FALSE(out.is_open());
}

TEST_F(OutputFile, ExceptionBeforeCommitLeavesTheOldFileAndNoTemporary) {
  const auto dest = path("out.csv");
  put(dest, "precious\n");
  try {
    io::output_file out(dest, {.flush_bytes = 1});
    out.write("half a job");
    throw std::runtime_error("the job failed");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(get(dest), "precious\n");
  EXPECT_EQ(entries(), std::set<std::string>{"out.csv"});
}

TEST_F(OutputFile, NewDestinationAppearsOnlyOnCommit) {
  const auto dest = path("new.csv");
  {
    io::output_file out(dest);
    out.write("x\n");
    EXPECT_FALSE(fs::exists(dest));
  }
  EXPECT_TRUE(entries().empty());
  io::output_file out(dest);
  out.write("x\n");
  out.commit();
  EXPECT_EQ(get(dest), "x\n");
}

TEST_F(OutputFile, KeepsTheReplacedFilesMode) {
  const auto dest = path("out.csv");
  put(dest, "old\n");
  ASSERT_EQ(::chmod(dest.c_str(), 0640), 0);
  io::output_file out(dest);
  out.write("new\n");
  out.commit();
  struct stat st {};
  ASSERT_EQ(::stat(dest.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
}

TEST_F(OutputFile, WritesThroughASymbolicLink) {
  const auto real = path("real.csv");
  const auto link = path("link.csv");
  put(real, "old\n");
  fs::create_symlink(real, link);
  io::output_file out(link);
  out.write("new\n");
  out.commit();
  EXPECT_TRUE(fs::is_symlink(link));
  EXPECT_EQ(get(real), "new\n");
  EXPECT_EQ(entries(), (std::set<std::string>{"link.csv", "real.csv"}));
}

TEST_F(OutputFile, SyncOptionCommitsToo) {
  const auto dest = path("snapshot.bin");
  io::output_file out(dest, {.sync = true});
  out.write("state");
  out.commit();
  EXPECT_EQ(get(dest), "state");
}

TEST_F(OutputFile, DevNullIsWrittenInPlace) {
  io::output_file out("/dev/null");
  out.write("gone\n");
  EXPECT_NO_THROW(out.commit());
  struct stat st {};
  ASSERT_EQ(::stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
}

TEST_F(OutputFile, UnwritableDestinationsThrowBeforeWriting) {
  EXPECT_THROW(io::output_file(path("no/such/dir/out.csv")), std::system_error);
  EXPECT_THROW(io::output_file(dir_.string()), std::system_error);  // a directory
  EXPECT_TRUE(entries().empty());
}

TEST_F(OutputFile, MovedOutputCommitsOnce) {
  const auto dest = path("out.csv");
  io::output_file a(dest);
  a.write("moved\n");
  io::output_file b = std::move(a);
  b.commit();
  EXPECT_EQ(get(dest), "moved\n");
  EXPECT_EQ(entries(), std::set<std::string>{"out.csv"});
}

TEST_F(OutputFile, RefusesTheInputThroughAHardLink) {
  const auto in = path("in.csv");
  const auto hard = path("hard.csv");
  put(in, "a\n1\n");
  fs::create_hard_link(in, hard);
  try {
    io::check_outputs({in}, {hard});
    FAIL() << "not refused";
  } catch (const io::same_file_error& e) {
    EXPECT_EQ(e.first(), in);
    EXPECT_EQ(e.second(), hard);
    const std::string what = e.what();
    EXPECT_NE(what.find(in), std::string::npos) << what;
    EXPECT_NE(what.find(hard), std::string::npos) << what;
  }
  EXPECT_EQ(get(in), "a\n1\n");
}

TEST_F(OutputFile, RefusesTheInputThroughASymbolicLinkEitherWay) {
  const auto in = path("in.csv");
  const auto link = path("link.csv");
  put(in, "a\n");
  fs::create_symlink(in, link);
  EXPECT_THROW(io::check_outputs({in}, {link}), io::same_file_error);
  EXPECT_THROW(io::check_outputs({link}, {in}), io::same_file_error);
}

TEST_F(OutputFile, RefusesTheInputThroughARelativePath) {
  const auto in = path("in.csv");
  put(in, "a\n");
  const auto cwd = fs::current_path();
  fs::current_path(dir_);
  EXPECT_THROW(io::check_outputs({in}, {"./in.csv"}), io::same_file_error);
  EXPECT_THROW(io::check_outputs({"in.csv"}, {"../" + dir_.filename().string() + "/in.csv"}),
               std::invalid_argument);
  fs::current_path(cwd);
}

TEST_F(OutputFile, RefusesTwoOutputsNamingOneFile) {
  const auto out = path("out.csv");
  EXPECT_THROW(io::check_outputs({}, {out, "", path("./out.csv")}), io::same_file_error);
  put(out, "x");
  fs::create_symlink(out, path("alias.csv"));
  EXPECT_THROW(io::check_outputs({}, {out, path("alias.csv")}), io::same_file_error);
}

TEST_F(OutputFile, DashIsTheFileBehindStandardInputOrOutput) {
  const auto in = path("in.csv");
  put(in, "a\n");
  const int saved = ::dup(STDIN_FILENO);
  ASSERT_GE(saved, 0);
  const int fd = ::open(in.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::dup2(fd, STDIN_FILENO), STDIN_FILENO);
  ::close(fd);
  bool refused = false;
  try {
    io::check_outputs({"-"}, {path("./in.csv")});
  } catch (const io::same_file_error& e) {
    refused = std::string(e.what()).find("standard input") != std::string::npos;
  }
  ::dup2(saved, STDIN_FILENO);
  ::close(saved);
  EXPECT_TRUE(refused);
}

TEST_F(OutputFile, AcceptsDistinctNewAndSpecialOutputs) {
  const auto in = path("in.csv");
  put(in, "a\n");
  EXPECT_NO_THROW(io::check_outputs({in, "-", ""}, {path("out.csv"), "-", "-", "", "/dev/null"}));
  EXPECT_NO_THROW(io::check_outputs({"/dev/null"}, {"/dev/null"}));  // a character device
  put(path("other.csv"), "b\n");
  EXPECT_NO_THROW(io::check_outputs({in}, {path("other.csv")}));
}

}  // namespace
