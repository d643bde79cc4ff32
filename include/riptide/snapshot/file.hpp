// riptide/snapshot/file.hpp: the snapshot file: write one atomically, read one trusting nothing.
//
// Layout (docs/snapshot-format.md is the reference for readers in other languages):
//   offset 0   8 bytes  magic "\x89RIPTIDE"
//          8   u32      format version (1)
//         12   u32      reserved, 0
//         16   u64      header length H
//         24   H bytes  header: a JSON object (UTF-8); "arrays" lists the binary arrays as
//                       {"name", "dtype", "offset", "count"}, offsets from the file's start
//              zeros up to the next multiple of 64, then each array's little-endian elements at
//              a 64-byte aligned offset (zeros between), so a reader can map the file and use
//              the arrays in place
//   size - 8   u64      XXH3-64 of every byte before it
// All integers little-endian. write_file() writes a temporary file in the destination's
// directory, fsyncs it, renames it over the destination and fsyncs the directory: a reader sees
// the old snapshot or the new one, and a crash leaves one of them whole.
// read_file() maps the file and checks, before it trusts anything: the size, the magic, the
// format version (a newer one: "written by riptide X (format N); this build reads formats up to
// M"), the checksum, the header's length and JSON, and every array's type, alignment and extent
// against the file (an array claiming 2^40 elements is refused before anything is allocated).
// Errors are snapshot::error, one line naming the file and what is wrong.
//
// Example:
//   namespace snap = riptide::snapshot;
//   const std::string path = std::filesystem::temp_directory_path() /
//                            ("riptide-file-example-" + std::to_string(::getpid()) + ".rts");
//   std::vector<float> w{0.5f, -1.0f};
//   snap::saver s(snap::kind::serve);
//   s("w", w);
//   snap::write_file(path, {{"kind", "serve"}, {"state", s.state()}}, s.arrays());
//   const auto got = snap::read_file(path);
//   std::vector<float> back;
//   snap::loader l(snap::kind::serve, got.header["state"], got.arrays, path);
//   l("w", back);
//   if (back != w || got.format != 1) std::abort();
//   std::filesystem::remove(path);
#pragma once

#define XXH_INLINE_ALL
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "riptide/io/output_file.hpp"
#include "riptide/snapshot/archive.hpp"
#include "riptide/version.hpp"

namespace riptide::snapshot {

inline constexpr std::array<char, 8> magic = {'\x89', 'R', 'I', 'P', 'T', 'I', 'D', 'E'};
/// The format this build writes, and the newest it reads (it reads every older one).
inline constexpr std::uint32_t format_version = 1;
inline constexpr std::size_t alignment = 64;
inline constexpr std::size_t preamble_size = 24;

/// What read_file() or parse() found: the header, and the arrays in place in the bytes.
struct contents {
  std::uint32_t format = 0;
  nlohmann::json header;
  std::vector<array_in> arrays;
  std::shared_ptr<const void> keep;  ///< keeps the bytes the arrays point into alive
};

namespace detail {

inline std::uint64_t aligned(std::uint64_t n) noexcept {
  return (n + alignment - 1) / alignment * alignment;
}
template <class T>
void put_le(std::string& out, T v) {
  for (std::size_t i = 0; i < sizeof v; ++i)
    out.push_back(static_cast<char>((static_cast<std::uint64_t>(v) >> (8 * i)) & 0xFF));
}

[[noreturn]] inline void fail(std::string_view name, std::string_view what) {
  std::string m(name);
  m.append(": ").append(what);
  throw error(m);
}

}  // namespace detail

/// Writes a snapshot: `header` (a JSON object; "arrays" is added) and `arrays`, atomically.
inline void write_file(const std::string& path, nlohmann::json header,
                       const std::vector<array_out>& arrays) {
  // Offsets depend on the header's length, which depends on the offsets' digits: lay out with
  // a header padded to a fixed guess, growing the guess until it holds.
  std::uint64_t reserve = 0;
  std::string text;
  for (;;) {
    nlohmann::json listed = nlohmann::json::array();
    std::uint64_t at = detail::aligned(preamble_size + reserve);
    for (const auto& a : arrays) {
      listed.push_back({{"name", a.name},
                        {"dtype", std::string(to_string(a.type))},
                        {"offset", at},
                        {"count", a.count}});
      at = detail::aligned(at + a.bytes.size());
    }
    header["arrays"] = std::move(listed);
    text = header.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (text.size() <= reserve) break;
    reserve = text.size() + 256;
  }
  text.append(reserve - text.size(), ' ');  // JSON allows trailing whitespace

  io::output_file out(path, {.sync = true});
  XXH3_state_t* st = XXH3_createState();
  if (!st) throw std::bad_alloc();
  std::unique_ptr<XXH3_state_t, decltype(&XXH3_freeState)> hold(st, &XXH3_freeState);
  XXH3_64bits_reset(st);
  std::uint64_t written = 0;
  const auto emit = [&](std::string_view bytes) {
    XXH3_64bits_update(st, bytes.data(), bytes.size());
    out.write(bytes);
    out.maybe_flush();
    written += bytes.size();
  };
  const auto pad_to = [&](std::uint64_t at) {
    static constexpr char zeros[alignment] = {};
    while (written < at)
      emit({zeros, static_cast<std::size_t>(std::min<std::uint64_t>(at - written, alignment))});
  };
  std::string pre(magic.data(), magic.size());
  detail::put_le(pre, format_version);
  detail::put_le(pre, std::uint32_t{0});
  detail::put_le(pre, static_cast<std::uint64_t>(text.size()));
  emit(pre);
  emit(text);
  for (const auto& a : arrays) {
    pad_to(detail::aligned(written));
    emit({reinterpret_cast<const char*>(a.bytes.data()), a.bytes.size()});
  }
  std::string sum;
  detail::put_le(sum, static_cast<std::uint64_t>(XXH3_64bits_digest(st)));
  out.write(sum);
  out.commit();
}

/// Parses the bytes of a snapshot (`name` names it in errors); the arrays point into `bytes`.
/// verify_checksum = false skips the checksum only (fuzzing reaches the checks behind it).
inline contents parse(std::span<const std::byte> bytes, std::string_view name,
                      bool verify_checksum = true) {
  using detail::fail;
  const std::uint64_t size = bytes.size();
  if (size < preamble_size + 8)
    fail(name, "not a riptide snapshot (" + std::to_string(size) + " bytes: too short)");
  if (std::memcmp(bytes.data(), magic.data(), magic.size()) != 0)
    fail(name, "not a riptide snapshot (bad magic bytes)");
  const auto format = ::riptide::snapshot::detail::read_le<std::uint32_t>(bytes.data() + 8);
  const auto header_size = ::riptide::snapshot::detail::read_le<std::uint64_t>(bytes.data() + 16);
  const bool header_fits = header_size <= size - preamble_size - 8;
  if (format == 0 || format > format_version) {
    std::string writer = "a newer riptide";
    if (header_fits) {
      const auto* h = reinterpret_cast<const char*>(bytes.data() + preamble_size);
      const auto j = nlohmann::json::parse(h, h + header_size, nullptr, false);
      if (j.is_object() && j.contains("riptide_version") && j["riptide_version"].is_string())
        writer = "riptide " + j["riptide_version"].get<std::string>();
    }
    std::string m = "written by ";
    m.append(writer)
        .append(" (format ")
        .append(std::to_string(format))
        .append("); this build (riptide ")
        .append(version_string)
        .append(") reads formats up to ")
        .append(std::to_string(format_version));
    fail(name, m);
  }
  if (verify_checksum) {
    const auto stored =
        ::riptide::snapshot::detail::read_le<std::uint64_t>(bytes.data() + size - 8);
    if (XXH3_64bits(bytes.data(), size - 8) != stored)
      fail(name, "checksum mismatch: the file is damaged or truncated");
  }
  if (!header_fits)
    fail(name, "header length " + std::to_string(header_size) + " runs past the end of the file");
  const auto* h = reinterpret_cast<const char*>(bytes.data() + preamble_size);
  contents c;
  c.format = format;
  c.header = nlohmann::json::parse(h, h + header_size, nullptr, false);
  if (c.header.is_discarded()) fail(name, "the header is not valid JSON");
  if (!c.header.is_object()) fail(name, "the header is not a JSON object");
  if (!c.header.contains("arrays") || !c.header["arrays"].is_array())
    fail(name, "the header lists no arrays");
  const std::uint64_t data_begin = preamble_size + header_size;
  const std::uint64_t data_end = size - 8;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> extents;
  const auto& listed = c.header["arrays"];
  for (std::size_t i = 0; i < listed.size(); ++i) {
    const auto& a = listed[i];
    const std::string where = "array " + std::to_string(i);
    if (!a.is_object() || !a.contains("name") || !a["name"].is_string() || !a.contains("dtype") ||
        !a["dtype"].is_string() || !a.contains("offset") || !a["offset"].is_number_unsigned() ||
        !a.contains("count") || !a["count"].is_number_unsigned())
      fail(name, where + ": expected {\"name\", \"dtype\", \"offset\", \"count\"}");
    const auto type = parse_dtype(a["dtype"].get<std::string>());
    if (!type) fail(name, where + ": unknown dtype '" + a["dtype"].get<std::string>() + "'");
    const auto offset = a["offset"].get<std::uint64_t>();
    const auto count = a["count"].get<std::uint64_t>();
    if (offset % alignment != 0) fail(name, where + ": offset not 64-byte aligned");
    if (offset < data_begin || offset > data_end)
      fail(name, where + ": offset outside the data section");
    if (count > (data_end - offset) / size_of(*type))
      fail(name, where + " (" + a["name"].get<std::string>() + "): " + std::to_string(count) +
                     " elements run past the end of the file");
    extents.emplace_back(offset, offset + count * size_of(*type));
    c.arrays.push_back({a["name"].get<std::string>(), *type, bytes.data() + offset, count});
  }
  std::sort(extents.begin(), extents.end());
  for (std::size_t i = 1; i < extents.size(); ++i)
    if (extents[i].first < extents[i - 1].second) fail(name, "two arrays overlap");
  return c;
}

/// Maps and parses the snapshot at `path` (see parse()).
inline contents read_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) detail::fail(path, std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    detail::fail(path, "not a regular file");
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  if (size == 0) {
    ::close(fd);
    detail::fail(path, "not a riptide snapshot (empty file)");
  }
  void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (p == MAP_FAILED) detail::fail(path, std::strerror(errno));
  std::shared_ptr<const void> keep(p,
                                   [size](const void* q) { ::munmap(const_cast<void*>(q), size); });
  contents c = parse({static_cast<const std::byte*>(p), size}, path);
  c.keep = std::move(keep);
  return c;
}

}  // namespace riptide::snapshot
