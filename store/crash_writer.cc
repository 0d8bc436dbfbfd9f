// store_crash_writer DATA_DIR per_batch|group_commit
//
// Writes crash-workload batches (crash_workload.h) forever, continuing after the last batch the
// store holds, and prints "k\n" on stdout once batch k is acknowledged. Killed by the crash test.
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "store/crash_workload.h"
#include "store/store.h"

namespace {

int Fail(const chiso::Status& status) {
  std::fprintf(stderr, "store_crash_writer: %s\n", status.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  constexpr const char* kUsage = "usage: store_crash_writer DATA_DIR per_batch|group_commit\n";
  if (argc == 2 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0)) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  const bool known_mode = argc == 3 && (std::strcmp(argv[2], "per_batch") == 0 ||
                                        std::strcmp(argv[2], "group_commit") == 0);
  if (!known_mode || argv[1][0] == '-') {
    std::fprintf(stderr, "store_crash_writer: expected a data directory and a sync mode\n%s",
                 kUsage);
    return 2;
  }
  chiso::StoreOptions options;
  options.data_dir = argv[1];
  options.sync_mode = std::strcmp(argv[2], "group_commit") == 0 ? chiso::SyncMode::kGroupCommit
                                                                : chiso::SyncMode::kPerBatch;
  options.group_commit_window = std::chrono::milliseconds(2);
  options.block_cache_bytes = 8 << 20;
  options.write_buffer_bytes = 256 << 10;  // tiny: flushes and compactions run under the kill
  options.seal_interval = std::chrono::milliseconds(20);  // sealing runs under the kill too
  options.head_max_samples = 300;  // and drains of the head, beside the writes
  auto store = chiso::Store::Open(options);
  if (!store.ok()) return Fail(store.status());
  auto last = chiso::crash::LastStoredBatch(**store);
  if (!last.ok()) return Fail(last.status());
  // A kill between a batch and its state left the state one batch behind: record the batch the
  // store holds first, or a second such kill would leave it two behind.
  if (*last > 0) {
    const chiso::Status caught_up = (*store)->PutState(
        chiso::crash::kStateSpace, chiso::crash::kStateKey, std::to_string(*last));
    if (!caught_up.ok()) return Fail(caught_up);
  }
  for (std::uint64_t batch = *last + 1;; ++batch) {
    auto written = (*store)->Write(chiso::crash::MakeBatch(batch));
    if (!written.ok()) return Fail(written.status());
    const chiso::Status state = (*store)->PutState(chiso::crash::kStateSpace,
                                                   chiso::crash::kStateKey, std::to_string(batch));
    if (!state.ok()) return Fail(state);
    const std::string ack = std::to_string(batch) + "\n";
    if (::write(STDOUT_FILENO, ack.data(), ack.size()) != static_cast<ssize_t>(ack.size())) {
      return 1;
    }
  }
}
