#include "tests/integration/prometheus_pair.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <regex>

namespace chiso::integration {

using namespace std::chrono_literals;

std::uint16_t FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

std::optional<std::uint16_t> ServingPort(testing::ChildProcess& chiso) {
  auto line = chiso.WaitForStderrLine("serving", 30s);
  std::smatch match;
  if (!line || !std::regex_search(*line, match, std::regex("http://127\\.0\\.0\\.1:(\\d+)"))) {
    return std::nullopt;
  }
  return static_cast<std::uint16_t>(std::stoi(match[1]));
}

std::unique_ptr<testing::ChildProcess> StartChiso(const std::filesystem::path& data_dir,
                                                  const std::string& admin_secret,
                                                  const std::filesystem::path& config_file) {
  std::vector<std::string> args{"serve", "--listen", "127.0.0.1:0", "--data-dir",
                                data_dir.string()};
  if (!config_file.empty()) args.push_back("--config=" + config_file.string());
  return std::make_unique<testing::ChildProcess>(
      CHISO_BINARY, args, std::vector<std::string>{"CHISO_ADMIN_TOKEN=" + admin_secret});
}

namespace {

// The Debian `program` with `args`, once its stderr shows `ready_line` (within 60 s).
std::unique_ptr<testing::ChildProcess> StartPeer(const std::string& program,
                                                 const std::string& package, const char* name,
                                                 const std::vector<std::string>& args,
                                                 const std::string& ready_line, std::string* why) {
  const std::string binary = testing::FindOnPath(program);
  if (binary.empty()) {
    *why = "the Debian package " + package + " must be installed";
    return nullptr;
  }
  auto server = std::make_unique<testing::ChildProcess>(binary, args);
  if (!server->WaitForStderrLine(ready_line, 60s)) {
    *why = std::string(name) + " did not get ready within 60 s:\n" + server->stderr_text();
    return nullptr;
  }
  return server;
}

}  // namespace

std::unique_ptr<testing::ChildProcess> StartPrometheus(const std::filesystem::path& config_file,
                                                       const std::filesystem::path& tsdb_dir,
                                                       std::uint16_t port, std::string* why,
                                                       const std::vector<std::string>& extra_args) {
  std::vector<std::string> args{"--config.file=" + config_file.string(),
                                "--storage.tsdb.path=" + tsdb_dir.string(),
                                "--web.listen-address=127.0.0.1:" + std::to_string(port)};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  return StartPeer("prometheus", "prometheus", "Prometheus", args,
                   "Server is ready to receive web requests", why);
}

std::unique_ptr<testing::ChildProcess> StartVictoriaMetrics(
    const std::filesystem::path& data_dir, std::uint16_t port, std::string* why,
    const std::vector<std::string>& extra_args) {
  std::vector<std::string> args{"-storageDataPath=" + data_dir.string(),
                                "-httpListenAddr=127.0.0.1:" + std::to_string(port)};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  return StartPeer("victoria-metrics", "victoria-metrics", "VictoriaMetrics", args,
                   "starting http server at", why);
}

std::string StopPrometheusThenChiso(testing::ChildProcess& prometheus,
                                    std::unique_ptr<testing::ChildProcess>& chiso) {
  std::string problems;
  if (prometheus.stderr_text().find("non-recoverable error") != std::string::npos) {
    problems += "Prometheus dropped data:\n" + prometheus.stderr_text();
  }
  prometheus.Signal(SIGTERM);
  if (!prometheus.WaitForExit(30s)) problems += "Prometheus did not exit within 30 s\n";
  chiso->Signal(SIGTERM);
  if (!chiso->WaitForExit(30s))
    problems += "chiso did not exit within 30 s\n" + chiso->stderr_text();
  chiso.reset();
  return problems;
}

}  // namespace chiso::integration
