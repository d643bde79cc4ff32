// riptide/io/output_file.hpp: output files that never destroy what they replace, and a check that
// no output is one of the inputs.
//
// output_file(path) collects bytes in a buffer (buffer() / write(), written out with
// maybe_flush() once it holds options.flush_bytes, or flush()) into a temporary file created in
// the destination's directory (".NAME.riptide-XXXXXXXX", opened with O_EXCL, mode 0666 less the
// umask, or the mode of the file it replaces). commit() writes the rest and renames the temporary
// file over the destination: readers of the destination see the old bytes or the new ones, never
// a part. An output destroyed without commit() (an exception unwound past it, a failed job)
// removes its temporary file: the old destination is left as it was, and no litter. A process
// killed by a signal leaves its temporary file behind (nothing runs to remove it).
//
// Where the bytes go:
//  - "-": standard output (through stdio's stdout), no temporary file; commit() flushes. Bytes
//    flushed before a failure are out; buffered ones are dropped by the destructor.
//  - a symbolic link that resolves: the file it points to is replaced (as writing through it
//    would), the link stays;
//  - something that is not a regular file (a character device such as /dev/null, a FIFO), and
//    /dev/stdout, /dev/stderr, /dev/fd/N, /proc/...: written in place, no temporary file (nothing
//    to rename over; the shell's redirection must keep its file);
//  - a directory, an existing file the user may not write (access(W_OK)), a missing directory, a
//    directory the user may not create files in (even when the file itself is writable: the
//    temporary file cannot be made): std::system_error from the constructor, before any byte is
//    written.
// fsync: off by default. The tools' outputs can be made again from their inputs, and a rename
// without fsync already keeps old-or-new for every reader while the system stays up; only a
// crash of the machine right after commit() could leave an empty destination on some file
// systems. options.sync = true (for files that cannot be remade, such as model snapshots)
// fsyncs the temporary file before the rename and the directory after it.
// Write failures (a full disk) throw std::system_error naming the destination.
//
// check_outputs(inputs, outputs), called before any output is opened, refuses (throws
// same_file_error, an std::invalid_argument naming both paths) an output that is an input: the
// same file by device and inode, whatever path, hard link or symbolic link names it. It also
// refuses two outputs naming the same file (the second rename would silently win). Outputs that
// do not exist yet are fine; empty paths (an option not given) are skipped, as are character
// devices (writing /dev/null while reading it destroys nothing); "-" stands for the file behind
// standard input (an input) or standard output (an output) when that is a regular file
// (`riptide clean - --out X < X` and `riptide clean X >> X` are refused too).
//
// Example:
//   namespace fs = std::filesystem;
//   const fs::path dir =
//       fs::temp_directory_path() / ("riptide-output-file-example-" + std::to_string(::getpid()));
//   fs::create_directories(dir);
//   const std::string dest = (dir / "out.csv").string();
//   {
//     riptide::io::output_file out(dest);
//     out.write("a,b\n1,2\n");
//     out.commit();  // dest now holds the two lines
//   }
//   {
//     riptide::io::output_file out(dest);
//     out.write("partial");
//   }  // not committed: dest keeps "a,b\n1,2\n", the temporary file is gone
//   int files = 0;
//   for (const auto& entry : fs::directory_iterator(dir)) files += entry.is_regular_file();
//   if (fs::file_size(dest) != 8 || files != 1) std::abort();
//   try {
//     riptide::io::check_outputs({dest}, {(dir / "." / "out.csv").string()});
//     std::abort();  // not reached: the output is the input
//   } catch (const riptide::io::same_file_error& e) {
//     if (e.first() != dest) std::abort();
//   }
//   fs::remove_all(dir);
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace riptide::io {

/// An output that names an input (or another output): the same file. first() is the input (or
/// the first output), second() the output that would have replaced it.
class same_file_error : public std::invalid_argument {
 public:
  same_file_error(std::string first, std::string second, bool both_outputs)
      : std::invalid_argument(
            both_outputs
                ? "outputs " + shown(first, "output") + " and " + shown(second, "output") +
                      " are the same file: give each output its own file"
                : "output " + shown(second, "output") + " is the input " + shown(first, "input") +
                      " (the same file): refusing to overwrite an input; write elsewhere"),
        first_(std::move(first)),
        second_(std::move(second)) {}
  const std::string& first() const noexcept { return first_; }
  const std::string& second() const noexcept { return second_; }

 private:
  static std::string shown(const std::string& path, const char* stream) {
    return path == "-" ? std::string("'-' (standard ") + stream + ")" : "'" + path + "'";
  }

  std::string first_;
  std::string second_;
};

namespace detail {

struct file_id {
  dev_t dev = 0;
  ino_t ino = 0;
  mode_t mode = 0;
};

/// The file a path names (symbolic links followed), if it exists.
inline bool identify(const std::string& path, file_id& id) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return false;
  id = {st.st_dev, st.st_ino, st.st_mode};
  return true;
}

inline bool guarded(const std::string& path) {
  return !path.empty() && path != "-";
}

/// The path lexically normalised against the working directory, with the symbolic links of its
/// existing part resolved: equal for two spellings of one file that does not exist yet.
inline std::string normal_path(const std::string& path) {
  std::error_code ec;
  auto p = std::filesystem::weakly_canonical(std::filesystem::absolute(path, ec), ec);
  return ec ? path : p.lexically_normal().string();
}

}  // namespace detail

/// Throws same_file_error when an output is an input (device and inode, through any path or
/// link) or when two outputs name one file; see the top of this file.
inline void check_outputs(const std::vector<std::string>& inputs,
                          const std::vector<std::string>& outputs) {
  // "-" is the file behind standard input / output when that is a regular file (`< X`, `>> X`).
  const auto identify = [](const std::string& path, int stream, detail::file_id& id) {
    if (path.empty()) return false;
    if (path != "-") return detail::identify(path, id) && !S_ISCHR(id.mode);
    struct stat st {};
    if (::fstat(stream, &st) != 0 || !S_ISREG(st.st_mode)) return false;
    id = {st.st_dev, st.st_ino, st.st_mode};
    return true;
  };
  std::vector<std::pair<std::string, detail::file_id>> seen;  // inputs, then outputs
  for (const auto& in : inputs) {
    detail::file_id id;
    if (identify(in, STDIN_FILENO, id)) seen.emplace_back(in, id);
  }
  const std::size_t input_count = seen.size();
  std::vector<std::string> new_outputs;  // outputs that do not exist yet
  for (const auto& out : outputs) {
    detail::file_id id;
    if (identify(out, STDOUT_FILENO, id)) {
      for (std::size_t k = 0; k < seen.size(); ++k)
        if (seen[k].second.dev == id.dev && seen[k].second.ino == id.ino &&
            !(k >= input_count && out == "-" && seen[k].first == "-"))  // stdout twice: fine
          throw same_file_error(seen[k].first, out, k >= input_count);
      seen.emplace_back(out, id);
    } else if (detail::guarded(out) && !std::filesystem::exists(out)) {
      for (const auto& other : new_outputs)
        if (detail::normal_path(other) == detail::normal_path(out))
          throw same_file_error(other, out, true);
      new_outputs.push_back(out);
    }
  }
}

struct output_options {
  std::size_t flush_bytes = std::size_t{1} << 20;  // maybe_flush() writes the buffer beyond this
  bool sync = false;  // fsync before the rename (and the directory after): see the top
};

/// A buffered output file replaced atomically on commit(); see the top of this file.
class output_file {
 public:
  output_file() = default;
  explicit output_file(std::string path, output_options options = {})
      : path_(std::move(path)), options_(options) {
    if (path_ == "-") {
      to_stdout_ = true;
      return;
    }
    open_destination();
  }
  output_file(output_file&& o) noexcept { take(o); }
  output_file& operator=(output_file&& o) noexcept {
    if (this != &o) {
      discard();
      take(o);
    }
    return *this;
  }
  output_file(const output_file&) = delete;
  output_file& operator=(const output_file&) = delete;
  ~output_file() { discard(); }

  /// The destination as given.
  const std::string& path() const noexcept { return path_; }
  /// Open, and neither committed nor discarded.
  bool is_open() const noexcept { return !committed_ && (to_stdout_ || fd_ >= 0); }
  bool committed() const noexcept { return committed_; }

  /// The bytes not yet written: append to it, then maybe_flush().
  std::string& buffer() noexcept { return buf_; }
  void write(std::string_view bytes) {
    buf_.append(bytes);
    maybe_flush();
  }
  void maybe_flush() {
    if (buf_.size() >= options_.flush_bytes) flush();
  }
  /// Writes the buffer out (to the temporary file: the destination is unchanged until commit).
  void flush() {
    if (to_stdout_) {
      if (!buf_.empty() && std::fwrite(buf_.data(), 1, buf_.size(), stdout) != buf_.size())
        fail("writing standard output failed", errno);
      buf_.clear();
      if (std::fflush(stdout) != 0) fail("writing standard output failed", errno);
      return;
    }
    if (fd_ < 0) throw std::logic_error("output_file: " + path_ + " is not open");
    const char* p = buf_.data();
    std::size_t left = buf_.size();
    while (left > 0) {
      const ssize_t n = ::write(fd_, p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        fail("writing " + path_ + " failed", errno);
      }
      p += n;
      left -= static_cast<std::size_t>(n);
    }
    buf_.clear();
  }
  /// Writes the rest and puts the file in place (renames the temporary file over the
  /// destination). Once committed the output is closed; a second commit() does nothing.
  void commit() {
    if (committed_) return;
    flush();
    if (to_stdout_) {
      committed_ = true;
      return;
    }
    if (options_.sync && ::fsync(fd_) != 0 && errno != EINVAL)
      fail("writing " + path_ + " failed (fsync)", errno);
    const int fd = std::exchange(fd_, -1);
    if (::close(fd) != 0) {
      const int e = errno;
      remove_temp();
      fail("writing " + path_ + " failed (close)", e);
    }
    if (!temp_.empty()) {
      if (::rename(temp_.c_str(), target_.c_str()) != 0) {
        const int e = errno;
        remove_temp();
        fail("cannot put " + path_ + " in place (rename)", e);
      }
      temp_.clear();
      if (options_.sync) sync_directory();
    }
    committed_ = true;
  }
  /// Drops the output: removes the temporary file, the destination keeps its old bytes (what
  /// the destructor does to an uncommitted output).
  void discard() noexcept {
    buf_.clear();
    if (fd_ >= 0) ::close(std::exchange(fd_, -1));
    remove_temp();
    to_stdout_ = false;
  }

 private:
  [[noreturn]] static void fail(const std::string& what, int error) {
    throw std::system_error(error, std::generic_category(), what);
  }

  void take(output_file& o) noexcept {
    path_ = std::move(o.path_);
    target_ = std::move(o.target_);
    temp_ = std::move(o.temp_);
    options_ = o.options_;
    buf_ = std::move(o.buf_);
    fd_ = std::exchange(o.fd_, -1);
    to_stdout_ = std::exchange(o.to_stdout_, false);
    committed_ = std::exchange(o.committed_, false);
    o.temp_.clear();
  }

  void remove_temp() noexcept {
    if (!temp_.empty()) ::unlink(temp_.c_str());
    temp_.clear();
  }

  void open_destination() {
    namespace fs = std::filesystem;
    const std::string cannot = "cannot write " + path_;
    if (path_.empty()) fail(cannot, ENOENT);
    target_ = path_;
    struct stat st {};
    bool exists = ::stat(path_.c_str(), &st) == 0;
    const bool special_path = path_ == "/dev/stdout" || path_ == "/dev/stderr" ||
                              path_.rfind("/dev/fd/", 0) == 0 || path_.rfind("/proc/", 0) == 0;
    if (exists && S_ISDIR(st.st_mode)) fail(cannot, EISDIR);
    if (special_path || (exists && !S_ISREG(st.st_mode))) {
      fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
      if (fd_ < 0) fail(cannot, errno);
      return;  // written in place
    }
    if (exists) {
      if (::access(path_.c_str(), W_OK) != 0) fail(cannot, errno);
      std::error_code ec;
      const fs::path resolved = fs::canonical(path_, ec);  // through symbolic links
      if (!ec) target_ = resolved.string();
    }
    const fs::path target(target_);
    fs::path dir = target.parent_path();
    if (dir.empty()) dir = ".";
    const std::string stem = "." + target.filename().string() + ".riptide-";
    thread_local std::mt19937_64 random{std::random_device{}() ^
                                        (static_cast<std::uint64_t>(::getpid()) << 32)};
    static constexpr char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    for (int attempt = 0; attempt < 100; ++attempt) {
      std::string name = stem;
      std::uint64_t bits = random();
      for (int k = 0; k < 8; ++k, bits /= 36) name.push_back(digits[bits % 36]);
      const std::string temp = (dir / name).string();
      const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
      if (fd < 0) {
        if (errno == EEXIST) continue;
        fail(cannot, errno);
      }
      fd_ = fd;
      temp_ = temp;
      // The replaced file's permission bits (best effort: fopen would have kept them).
      if (exists) (void)::fchmod(fd_, st.st_mode & 07777);
      return;
    }
    fail(cannot + " (no unused temporary name)", EEXIST);
  }

  void sync_directory() const {
    std::filesystem::path dir = std::filesystem::path(target_).parent_path();
    if (dir.empty()) dir = ".";
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    (void)::fsync(fd);
    ::close(fd);
  }

  std::string path_;    // as given
  std::string target_;  // the file replaced on commit (symbolic links resolved)
  std::string temp_;    // the temporary file, while it exists
  output_options options_{};
  std::string buf_;
  int fd_ = -1;
  bool to_stdout_ = false;
  bool committed_ = false;
};

}  // namespace riptide::io
