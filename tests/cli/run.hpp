// Runs the real riptide binary as a child process and captures its exit code, stdout and stderr.
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

namespace riptide::test {

struct run_result {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Runs `program args...`, stdin from `stdin_path` (or /dev/null), in the source directory.
inline run_result run_program(const std::string& program, const std::vector<std::string>& args,
                              const std::string& stdin_path = "/dev/null") {
  char out_tpl[] = "/tmp/riptide-cli-out-XXXXXX";
  char err_tpl[] = "/tmp/riptide-cli-err-XXXXXX";
  const int out_fd = mkstemp(out_tpl);
  const int err_fd = mkstemp(err_tpl);
  const int in_fd = open(stdin_path.c_str(), O_RDONLY);
  if (out_fd < 0 || err_fd < 0 || in_fd < 0) throw std::runtime_error("cannot set up child io");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_fd, 0);
  posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
  posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(program.c_str()));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(in_fd);
  close(out_fd);
  close(err_fd);
  run_result result;
  if (rc == 0) {
    int status = 0;
    waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  result.out = slurp(out_tpl);
  result.err = slurp(err_tpl);
  std::remove(out_tpl);
  std::remove(err_tpl);
  if (rc != 0) throw std::runtime_error("cannot start " + program);
  return result;
}

#ifdef RIPTIDE_CLI
/// Runs the riptide tool built in this tree.
inline run_result run_riptide(const std::vector<std::string>& args,
                              const std::string& stdin_path = "/dev/null") {
  return run_program(RIPTIDE_CLI, args, stdin_path);
}
#endif

}  // namespace riptide::test
