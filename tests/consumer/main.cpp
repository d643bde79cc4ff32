#include <riptide/riptide.hpp>

#include <cstdio>
#include <cstring>

int main() {
  std::printf("riptide %s\n", riptide::version_string);
  return std::strcmp(riptide::version_string, RIPTIDE_VERSION) == 0 ? 0 : 1;
}
