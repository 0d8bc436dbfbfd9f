#include "tests/support/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

extern char** environ;

namespace chiso::testing {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

ChildProcess::ChildProcess(const std::string& program, const std::vector<std::string>& args,
                           const std::vector<std::string>& env) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return;
  std::vector<std::string> argv{program};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<std::string> envp;
  for (char** e = environ; *e != nullptr; ++e) envp.emplace_back(*e);
  envp.insert(envp.end(), env.begin(), env.end());
  auto argv_ptrs = Pointers(argv);
  auto envp_ptrs = Pointers(envp);
  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(pipe_fds[1], STDERR_FILENO);
    ::execve(program.c_str(), argv_ptrs.data(), envp_ptrs.data());
    std::fprintf(stderr, "exec %s failed: %s\n", program.c_str(), std::strerror(errno));
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  stderr_fd_ = pipe_fds[0];
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !exited_) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  if (stderr_fd_ >= 0) ::close(stderr_fd_);
}

bool ChildProcess::ReadSome(int timeout_ms) {
  pollfd p{stderr_fd_, POLLIN, 0};
  if (::poll(&p, 1, timeout_ms) <= 0) return false;
  char buffer[4096];
  const ssize_t n = ::read(stderr_fd_, buffer, sizeof buffer);
  if (n <= 0) return false;
  stderr_.append(buffer, static_cast<std::size_t>(n));
  return true;
}

std::optional<std::string> ChildProcess::WaitForStderrLine(const std::string& needle,
                                                           std::chrono::milliseconds within) {
  const auto deadline = Clock::now() + within;
  while (true) {
    std::size_t line_end;
    while ((line_end = stderr_.find('\n', scanned_)) != std::string::npos) {
      std::string line = stderr_.substr(scanned_, line_end - scanned_);
      scanned_ = line_end + 1;
      if (line.find(needle) != std::string::npos) return line;
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return std::nullopt;
    if (!ReadSome(static_cast<int>(left.count())) && WaitForExit(std::chrono::milliseconds(0))) {
      return std::nullopt;
    }
  }
}

void ChildProcess::Signal(int signal_number) {
  if (pid_ > 0 && !exited_) ::kill(pid_, signal_number);
}

std::optional<int> ChildProcess::WaitForExit(std::chrono::milliseconds within) {
  const auto deadline = Clock::now() + within;
  while (!exited_) {
    int status = 0;
    const pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      exited_ = true;
      exit_status_ = status;
      while (ReadSome(100)) {
      }
      break;
    }
    if (Clock::now() >= deadline) return std::nullopt;
    ::usleep(10'000);
  }
  if (WIFEXITED(exit_status_)) return WEXITSTATUS(exit_status_);
  return std::nullopt;
}

CommandResult RunCommand(const std::string& program, const std::vector<std::string>& args,
                         const std::string& stdin_text) {
  int out_pipe[2], in_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(in_pipe, O_CLOEXEC) != 0) return {};
  std::vector<std::string> argv{program};
  argv.insert(argv.end(), args.begin(), args.end());
  auto argv_ptrs = Pointers(argv);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(in_pipe[0], STDIN_FILENO);
    ::dup2(out_pipe[1], STDOUT_FILENO);
    ::dup2(out_pipe[1], STDERR_FILENO);
    ::execvp(program.c_str(), argv_ptrs.data());
    ::_exit(127);
  }
  ::close(out_pipe[1]);
  ::close(in_pipe[0]);
  if (!stdin_text.empty()) {
    ::signal(SIGPIPE, SIG_IGN);
    [[maybe_unused]] ssize_t written = ::write(in_pipe[1], stdin_text.data(), stdin_text.size());
  }
  ::close(in_pipe[1]);
  CommandResult result;
  char buffer[4096];
  ssize_t n;
  while ((n = ::read(out_pipe[0], buffer, sizeof buffer)) > 0)
    result.output.append(buffer, static_cast<std::size_t>(n));
  ::close(out_pipe[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string FindOnPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    const std::size_t end = std::min(dirs.find(':', start), dirs.size());
    const std::string candidate = dirs.substr(start, end - start) + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return "";
}

}  // namespace chiso::testing
