// riptide/detail/huge_page_allocator.hpp: an allocator for large, randomly probed tables.
//
// A hash table of a few megabytes probed at random (dedup's window) misses the TLB on nearly
// every probe with 4 KiB pages. Blocks of at least 2 MiB are therefore mapped 2 MiB-aligned and,
// on Linux, marked MADV_HUGEPAGE so that transparent huge pages back them when the system allows
// (a hint: without huge pages the memory is ordinary). Smaller blocks use operator new.
//
// Example:
//   riptide::detail::huge_page_allocator<int> alloc;
//   int* table = alloc.allocate(1 << 20);  // 4 MiB: 2 MiB-aligned, huge pages advised
//   table[12345] = 1;
//   if (table[12345] != 1) std::abort();
//   alloc.deallocate(table, 1 << 20);
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace riptide::detail {

template <class T>
struct huge_page_allocator {
  using value_type = T;
  static constexpr std::size_t huge_page = std::size_t{2} << 20;

  huge_page_allocator() = default;
  template <class U>
  constexpr huge_page_allocator(const huge_page_allocator<U>&) noexcept {}

  T* allocate(std::size_t n) {
    if (n > static_cast<std::size_t>(-1) / sizeof(T) - huge_page) throw std::bad_array_new_length();
    const std::size_t bytes = n * sizeof(T);
    if (bytes < huge_page) return static_cast<T*>(::operator new(bytes));
    const std::size_t rounded = round_up(bytes);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    // Fresh pages from mmap (memory the heap already faulted in with small pages would stay
    // small), 2 MiB-aligned by trimming an over-sized mapping.
    const std::size_t mapped = rounded + huge_page;
    void* m = ::mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) throw std::bad_alloc();
    auto* base = static_cast<char*>(m);
    const auto misalign = reinterpret_cast<std::uintptr_t>(base) % huge_page;
    const std::size_t head = misalign == 0 ? 0 : huge_page - misalign;
    if (head > 0) ::munmap(base, head);
    if (mapped - head > rounded) ::munmap(base + head + rounded, mapped - head - rounded);
    ::madvise(base + head, rounded, MADV_HUGEPAGE);  // a hint; refusal leaves ordinary pages
    return reinterpret_cast<T*>(base + head);
#else
    void* p = std::aligned_alloc(huge_page, rounded);
    if (p == nullptr) throw std::bad_alloc();
    return static_cast<T*>(p);
#endif
  }
  void deallocate(T* p, std::size_t n) noexcept {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < huge_page) {
      ::operator delete(p);
      return;
    }
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    ::munmap(p, round_up(bytes));
#else
    std::free(p);
#endif
  }

 private:
  static std::size_t round_up(std::size_t bytes) noexcept {
    return (bytes + huge_page - 1) / huge_page * huge_page;
  }

 public:
  template <class U>
  friend bool operator==(const huge_page_allocator&, const huge_page_allocator<U>&) noexcept {
    return true;
  }
};

}  // namespace riptide::detail
