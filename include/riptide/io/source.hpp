// riptide/io/source.hpp: where a reader's bytes come from, and the buffered window readers parse.
//
// A byte_source either exposes all its bytes at once (a memory-mapped file, a string) or hands
// them out in chunks (stdin, a std::istream, a callback). Readers parse a `buffered_input`, which
// shows a window of the source's bytes: the whole source for contiguous sources (zero copy), or a
// growing buffer for chunked ones, where a record straddling two chunks is completed by reading
// more (`refill`) while the bytes of the record being parsed are kept.
//
// Sources:
//   - mapped_file(path):        the file memory-mapped read-only (empty files are fine).
//   - streamed_file(path):      a file that cannot be mapped (pipe, FIFO), read in chunks.
//   - memory_source(text):      a string the source owns, or a string_view it does not own.
//   - istream_source(in):       reads `in` (not owned) chunk by chunk.
//   - fd_source(fd, name):      reads a file descriptor (stdin: fd_source::standard_input()).
//   - callback_source(fn):      `fn(char* dst, size_t capacity) -> size_t`, 0 at end of input.
// Setup failures (a file that cannot be opened) throw std::system_error; read failures during
// streaming are reported by `read` returning an error that readers turn into io_error records.
//
// Example:
//   riptide::io::buffered_input in{std::make_unique<riptide::io::memory_source>("a,b\n1,2\n")};
//   if (in.window().size() != 8 || !in.at_end_of_source()) std::abort();
#pragma once

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <functional>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace riptide::io {

/// Outcome of one chunk read: bytes delivered (0 at end of input) or a failure message.
struct read_result {
  std::size_t bytes = 0;
  std::string error;  // non-empty: the source failed (the reader yields an io_error record)
};

class byte_source {
 public:
  virtual ~byte_source() = default;
  /// All bytes at once, when the source has them in memory (they live as long as the source).
  virtual std::optional<std::string_view> contiguous() { return std::nullopt; }
  /// Reads up to `capacity` bytes into `dst`; bytes == 0 means end of input.
  virtual read_result read(char* dst, std::size_t capacity) = 0;
  /// The name records carry as their source (file name, "<stdin>", ...).
  virtual std::string name() const = 0;
  /// A hint that bytes [offset, offset + bytes) of a contiguous source are read soon (a mapped
  /// file maps them in ahead, one call instead of a page fault per few pages). Ignored by default.
  virtual void will_read(std::size_t /*offset*/, std::size_t /*bytes*/) noexcept {}
};

/// A read-only memory mapping of a file.
class mapped_file final : public byte_source {
 public:
  explicit mapped_file(const std::filesystem::path& path) : name_(path.string()) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw std::system_error(errno, std::generic_category(), "cannot open " + name_);
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
      const int e = errno;
      ::close(fd);
      throw std::system_error(e, std::generic_category(), "cannot stat " + name_);
    }
    if (S_ISDIR(st.st_mode)) {
      ::close(fd);
      throw std::system_error(EISDIR, std::generic_category(), "cannot read " + name_);
    }
    size_ = static_cast<std::size_t>(st.st_size);
    if (size_ > 0) {
      void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
      if (p == MAP_FAILED) {
        const int e = errno;
        ::close(fd);
        throw std::system_error(e, std::generic_category(), "cannot map " + name_);
      }
      ::madvise(p, size_, MADV_SEQUENTIAL);
      data_ = static_cast<const char*>(p);
    }
    ::close(fd);
  }
  ~mapped_file() override {
    if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
  }
  mapped_file(const mapped_file&) = delete;
  mapped_file& operator=(const mapped_file&) = delete;

  std::optional<std::string_view> contiguous() override { return std::string_view(data_, size_); }
  read_result read(char* dst, std::size_t capacity) override {
    const std::size_t n = std::min(capacity, size_ - consumed_);
    if (n > 0) std::memcpy(dst, data_ + consumed_, n);
    consumed_ += n;
    return {n, {}};
  }
  std::string name() const override { return name_; }
  void will_read(std::size_t offset, std::size_t bytes) noexcept override {
#ifdef MADV_POPULATE_READ
    // Page-aligned and clipped to the file; a kernel without MADV_POPULATE_READ (before Linux
    // 5.14) refuses it (EINVAL) and the pages fault in as they are read, as without the hint.
    static const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    if (offset >= size_ || populate_off_) return;
    const std::size_t begin = offset / page * page;
    const std::size_t end = bytes >= size_ - offset ? size_ : offset + bytes;
    const int saved = errno;
    if (::madvise(const_cast<char*>(data_) + begin, end - begin, MADV_POPULATE_READ) != 0 &&
        errno == EINVAL)
      populate_off_ = true;
    errno = saved;
#else
    (void)offset;
    (void)bytes;
#endif
  }

 private:
  std::string name_;
  bool populate_off_ = false;
  const char* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t consumed_ = 0;
};

/// Bytes in memory: owned (constructed from std::string) or borrowed (from std::string_view,
/// which must outlive the source).
class memory_source final : public byte_source {
 public:
  explicit memory_source(std::string text, std::string name = "<text>")
      : owned_(std::move(text)), view_(owned_), name_(std::move(name)) {}
  explicit memory_source(const char* text, std::string name = "<text>")
      : memory_source(std::string(text), std::move(name)) {}
  static std::unique_ptr<memory_source> borrow(std::string_view text, std::string name = "<text>") {
    auto s = std::make_unique<memory_source>(std::string(), std::move(name));
    s->view_ = text;
    return s;
  }

  std::optional<std::string_view> contiguous() override { return view_; }
  read_result read(char* dst, std::size_t capacity) override {
    const std::size_t n = std::min(capacity, view_.size() - consumed_);
    if (n > 0) std::memcpy(dst, view_.data() + consumed_, n);
    consumed_ += n;
    return {n, {}};
  }
  std::string name() const override { return name_; }

 private:
  std::string owned_;
  std::string_view view_;
  std::string name_;
  std::size_t consumed_ = 0;
};

/// A std::istream read chunk by chunk; the stream must outlive the source.
class istream_source final : public byte_source {
 public:
  explicit istream_source(std::istream& in, std::string name = "<stream>")
      : in_(&in), name_(std::move(name)) {}
  read_result read(char* dst, std::size_t capacity) override {
    if (!*in_) return {0, in_->bad() ? "stream read failed" : std::string()};
    in_->read(dst, static_cast<std::streamsize>(capacity));
    const auto n = static_cast<std::size_t>(in_->gcount());
    if (n == 0 && in_->bad()) return {0, "stream read failed"};
    return {n, {}};
  }
  std::string name() const override { return name_; }

 private:
  std::istream* in_;
  std::string name_;
};

/// A file descriptor read with read(2); not closed by the source.
class fd_source final : public byte_source {
 public:
  fd_source(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
  static std::unique_ptr<fd_source> standard_input() {
    return std::make_unique<fd_source>(0, "<stdin>");
  }
  read_result read(char* dst, std::size_t capacity) override {
    for (;;) {
      const ssize_t n = ::read(fd_, dst, capacity);
      if (n >= 0) return {static_cast<std::size_t>(n), {}};
      if (errno == EINTR) continue;
      return {0, std::string("read failed: ") + std::strerror(errno)};
    }
  }
  std::string name() const override { return name_; }

 private:
  int fd_;
  std::string name_;
};

/// Bytes pulled from a function: `fn(dst, capacity)` fills up to capacity bytes and returns how
/// many (0 at end of input). Chunks may have any size, down to one byte.
class callback_source final : public byte_source {
 public:
  using function = std::function<std::size_t(char* dst, std::size_t capacity)>;
  explicit callback_source(function fn, std::string name = "<callback>")
      : fn_(std::move(fn)), name_(std::move(name)) {}
  read_result read(char* dst, std::size_t capacity) override {
    return {std::min(fn_(dst, capacity), capacity), {}};
  }
  std::string name() const override { return name_; }

 private:
  function fn_;
  std::string name_;
};

/// A file read chunk by chunk with read(2): a pipe, a FIFO, a character device, or a regular file
/// read through a reused buffer (open_read_source).
class streamed_file final : public byte_source {
 public:
  explicit streamed_file(const std::filesystem::path& path) : name_(path.string()) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "cannot open " + name_);
    struct stat st {};
    if (::fstat(fd_, &st) == 0 && S_ISDIR(st.st_mode)) {
      ::close(fd_);
      throw std::system_error(EISDIR, std::generic_category(), "cannot read " + name_);
    }
    (void)::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);  // a pipe refuses it: no matter
  }
  ~streamed_file() override { ::close(fd_); }
  streamed_file(const streamed_file&) = delete;
  streamed_file& operator=(const streamed_file&) = delete;
  read_result read(char* dst, std::size_t capacity) override {
    return fd_source(fd_, name_).read(dst, capacity);
  }
  std::string name() const override { return name_; }

 private:
  std::string name_;
  int fd_ = -1;
};

/// A file path as a source: regular files are memory-mapped, anything else (a pipe, a FIFO,
/// /dev/stdin) is read chunk by chunk; "-" is standard input.
inline std::unique_ptr<byte_source> open_source(const std::filesystem::path& path) {
  if (path == "-") return fd_source::standard_input();
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
    return std::make_unique<streamed_file>(path);
  return std::make_unique<mapped_file>(path);
}

/// A file path as a source read chunk by chunk with read(2), regular files too; "-" is standard
/// input. For a reader that parses each chunk once, front to back (the CSV reader): the kernel
/// copies through its own large-page mapping into a buffer that stays in the core's cache, where a
/// memory mapping costs a page-table entry per 4 KiB page (mapped, walked, unmapped) and brings
/// each byte from memory again for each read of it. Records longer than the reader's
/// max_record_bytes become too_large error records, as from a pipe.
inline std::unique_ptr<byte_source> open_read_source(const std::filesystem::path& path) {
  if (path == "-") return fd_source::standard_input();
  return std::make_unique<streamed_file>(path);
}

/// The window of source bytes a reader parses. `window()` holds the bytes from the oldest byte
/// still kept to the last byte read; `window_offset()` is the source offset of its first byte.
/// `refill(keep_from)` drops the bytes before window position `keep_from`, reads at least one
/// more chunk and returns false when the source is exhausted (or failed: see `error()`).
class buffered_input {
 public:
  static constexpr std::size_t default_chunk = std::size_t{1} << 20;
  static constexpr std::size_t slack = 64;  // readable bytes kept past a chunked window

  buffered_input() = default;
  explicit buffered_input(std::unique_ptr<byte_source> source,
                          std::size_t chunk_bytes = default_chunk)
      : source_(std::move(source)), chunk_(std::max<std::size_t>(chunk_bytes, 1)) {
    name_ = source_->name();
    if (auto all = source_->contiguous()) {
      data_ = all->data();
      size_ = all->size();
      end_ = true;
      contiguous_ = true;
    }
  }

  std::string_view window() const noexcept { return {data_, size_}; }
  /// Tells a contiguous source that the reader has reached window position `pos`: the next
  /// `ahead` bytes past what was announced before are announced (byte_source::will_read) once
  /// the reader is within half of that of their start. Free between announcements.
  void reading_at(std::size_t pos) noexcept {
    if (!contiguous_ || pos + announce_bytes / 2 < announced_ || announced_ >= size_) return;
    const std::size_t from = std::max(announced_, pos);
    source_->will_read(from, announce_bytes);
    announced_ = from + announce_bytes;
  }
  std::uint64_t window_offset() const noexcept { return offset_; }
  bool at_end_of_source() const noexcept { return end_; }
  /// Bytes that may be read (not used) past the window's end: parsers that read ahead in blocks
  /// (simdjson's padding) can use them without copying. 0 for contiguous sources.
  std::size_t readable_past_window() const noexcept {
    return buffer_.empty() ? 0 : buffer_.size() - size_;
  }
  const std::string& name() const noexcept { return name_; }
  const std::string& error() const noexcept { return error_; }
  void set_name(std::string name) { name_ = std::move(name); }

  bool refill(std::size_t keep_from) {
    if (end_) return false;
    keep_from = std::min(keep_from, size_);
    const std::size_t kept = size_ - keep_from;
    if (kept > 0 && keep_from > 0) std::memmove(buffer_.data(), buffer_.data() + keep_from, kept);
    offset_ += keep_from;
    if (buffer_.size() < kept + chunk_ + slack)
      buffer_.resize(std::max(kept + chunk_ + slack, buffer_.size() * 2));
    const read_result r = source_->read(buffer_.data() + kept, chunk_);
    data_ = buffer_.data();
    size_ = kept + r.bytes;
    if (r.bytes == 0) {
      end_ = true;
      error_ = r.error;
      return false;
    }
    return true;
  }

 private:
  std::unique_ptr<byte_source> source_;
  std::size_t chunk_ = default_chunk;
  std::vector<char> buffer_;
  const char* data_ = nullptr;
  std::size_t size_ = 0;
  std::uint64_t offset_ = 0;
  bool end_ = false;
  static constexpr std::size_t announce_bytes = std::size_t{8} << 20;
  bool contiguous_ = false;
  std::size_t announced_ = 0;  // window bytes [0, announced_) were announced to the source
  std::string name_;
  std::string error_;
};

}  // namespace riptide::io
