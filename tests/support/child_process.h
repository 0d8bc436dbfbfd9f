// ChildProcess: runs a program for an end-to-end test, with its stderr readable line by line,
// and stops it by PID (a signal, then SIGKILL if it does not exit in time). The destructor
// always reaps the child, so a failed test leaves no process behind.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace chiso::testing {

class ChildProcess {
 public:
  // `env` entries ("NAME=value") are added to the current environment.
  ChildProcess(const std::string& program, const std::vector<std::string>& args,
               const std::vector<std::string>& env = {});
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  // The first stderr line containing `needle`, or nullopt when the child exits or the time ends.
  std::optional<std::string> WaitForStderrLine(const std::string& needle,
                                               std::chrono::milliseconds within);
  // Everything read from stderr so far (for failure messages).
  const std::string& stderr_text() const { return stderr_; }
  void Signal(int signal_number);
  // The exit code, or nullopt if still running after `within` (or killed by a signal).
  std::optional<int> WaitForExit(std::chrono::milliseconds within);

 private:
  bool ReadSome(int timeout_ms);

  pid_t pid_ = -1;
  int stderr_fd_ = -1;
  std::string stderr_;
  std::size_t scanned_ = 0;
  bool exited_ = false;
  int exit_status_ = 0;
};

// Runs a program to completion; returns its exit code and what it printed on stdout+stderr.
struct CommandResult {
  int exit_code = -1;
  std::string output;
};
CommandResult RunCommand(const std::string& program, const std::vector<std::string>& args,
                         const std::string& stdin_text = "");

// Full path of `name` found on PATH, or empty.
std::string FindOnPath(const std::string& name);

}  // namespace chiso::testing
