// Pieces shared by the integration tests that run chiso and a real Prometheus side by side.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/child_process.h"

namespace chiso::integration {

// A port that was free a moment ago (Prometheus cannot be told to pick one and report it).
std::uint16_t FreePort();

// The port a started `chiso serve --listen 127.0.0.1:0` reports on its "serving" line, or nullopt
// when it does not report one within 30 s (its stderr then says why).
std::optional<std::uint16_t> ServingPort(testing::ChildProcess& chiso);

// `chiso serve` with the bundled configuration (or `config_file` when not empty) on
// 127.0.0.1:0, its store in `data_dir`, and `admin_secret` as CHISO_ADMIN_TOKEN; ServingPort
// tells its port.
std::unique_ptr<testing::ChildProcess> StartChiso(const std::filesystem::path& data_dir,
                                                  const std::string& admin_secret,
                                                  const std::filesystem::path& config_file = {});

// The Debian Prometheus with `config_file`, its TSDB in `tsdb_dir`, serving on 127.0.0.1:`port`,
// once it is ready (within 60 s). nullptr when it is not installed or not ready; `why` then says
// why, with its stderr.
// `extra_args` are added to its command line (e.g. --web.enable-remote-write-receiver).
std::unique_ptr<testing::ChildProcess> StartPrometheus(
    const std::filesystem::path& config_file, const std::filesystem::path& tsdb_dir,
    std::uint16_t port, std::string* why, const std::vector<std::string>& extra_args = {});

// The Debian VictoriaMetrics (single node) with its data in `data_dir`, serving on
// 127.0.0.1:`port` (remote write at /api/v1/write), with `extra_args` (e.g. -retentionPeriod),
// once it listens (within 60 s). nullptr when it is not installed or not ready; `why` then says
// why, with its stderr.
std::unique_ptr<testing::ChildProcess> StartVictoriaMetrics(
    const std::filesystem::path& data_dir, std::uint16_t port, std::string* why,
    const std::vector<std::string>& extra_args = {});

// Stops Prometheus, then chiso, by PID (SIGTERM) and releases chiso, so that its store can be
// opened. Empty when both exited within 30 s and Prometheus logged no non-recoverable error (a
// remote-write batch it dropped), else what went wrong with the process' stderr.
std::string StopPrometheusThenChiso(testing::ChildProcess& prometheus,
                                    std::unique_ptr<testing::ChildProcess>& chiso);

}  // namespace chiso::integration
