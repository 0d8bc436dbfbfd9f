// chiso: the program. It parses the command line and hands over to app::Service (serve) or the
// config loader (check); everything else lives in the modules.
#include <malloc.h>
#include <pthread.h>

#include <boost/program_options.hpp>
#include <csignal>
#include <cstdlib>
#include <iostream>

#include "app/config.h"
#include "app/file_source.h"
#include "app/service.h"
#include "catalog/catalog_loader.h"
#include "store/store.h"

namespace po = boost::program_options;
using namespace chiso;

namespace {

constexpr const char* kUsage = R"(chiso — indicator tracking for Resolution 57-NQ/TW commune plans

Usage:
  chiso serve [--config FILE] [--listen HOST:PORT] [--data-dir DIR]
  chiso check [--config FILE] [--summary]
  chiso backup --data-dir DIR --to BACKUP_DIR
  chiso restore --from BACKUP_DIR --data-dir DIR
  chiso help

Without --config, the configuration embedded in the binary is used: the five seed communes'
plans, listening on 127.0.0.1:9157, with the store under ./data.
Environment: CHISO_ADMIN_TOKEN adds an admin API token at start-up.
`backup` needs the store not to be in use; while chiso serves, use POST /api/v1/admin/backup.
`restore` creates DIR from a backup and never overwrites an existing store.
)";

// Parses `args` against `options`; prints the problem and returns false on bad flags. With
// --help the required options are not checked: the caller prints the help.
bool ParseFlags(const std::vector<std::string>& args, const po::options_description& options,
                po::variables_map* values) {
  try {
    po::store(po::command_line_parser(args).options(options).run(), *values);
    if (values->count("help")) return true;
    po::notify(*values);
    return true;
  } catch (const po::error& e) {
    std::cerr << "chiso: " << e.what() << "\n\n" << options;
    return false;
  }
}

// Each ingest request allocates and frees a few megabytes (the body, its samples, the store batch).
// With glibc's defaults such blocks are mapped and unmapped per request, or trimmed from the heap
// top, so every request faults its memory in page by page again: a third of a decoder's time in a
// loop of requests. Served from the heap instead, and kept (up to the trim threshold per arena)
// for the next request: 4% more samples per second end to end, about 10 MB more peak memory.
void KeepRequestMemory() {
  constexpr int kMmapThreshold = 32 << 20;   // larger than a decompressed 10,000-sample request
  constexpr int kTrimThreshold = 128 << 20;  // per arena
  mallopt(M_MMAP_THRESHOLD, kMmapThreshold);
  mallopt(M_TRIM_THRESHOLD, kTrimThreshold);
}

int Serve(const std::vector<std::string>& args) {
  KeepRequestMemory();
  po::options_description options("chiso serve");
  options.add_options()("help,h", "show this help")("config", po::value<std::string>(),
                                                    "config file (default: the embedded example)")(
      "listen", po::value<std::string>(), "HOST:PORT to listen on (overrides the config)")(
      "data-dir", po::value<std::string>(), "store directory (overrides the config)");
  po::variables_map values;
  if (!ParseFlags(args, options, &values)) return 2;
  if (values.count("help")) {
    std::cout << options;
    return 0;
  }
  app::ServeFlags flags;
  if (values.count("config")) flags.config_path = values["config"].as<std::string>();
  if (values.count("listen")) flags.listen = values["listen"].as<std::string>();
  if (values.count("data-dir")) flags.data_dir = values["data-dir"].as<std::string>();
  if (const char* secret = std::getenv("CHISO_ADMIN_TOKEN")) flags.admin_secret = secret;

  // SIGINT and SIGTERM are taken by sigwait below, on this thread only: block them before any
  // server thread starts so that those threads inherit the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto service = app::Service::Create(flags);
  if (!service.ok()) {
    std::cerr << "chiso: the configuration has problems; nothing was started:\n"
              << service.status().message() << "\n";
    return 1;
  }
  if (Status started = (*service)->Start(); !started.ok()) {
    std::cerr << "chiso: " << started.message() << "\n";
    return 1;
  }
  const auto& config = (*service)->config();
  std::cerr << "chiso: serving " << config.catalog->plans.size() << " plans of "
            << config.catalog->units.size() << " units on http://" << config.server.address << ":"
            << (*service)->port() << " (config: " << flags.config_path.value_or("embedded")
            << ", data: " << config.data_dir << ")" << std::endl;
  if (config.tokens.empty()) {
    std::cerr << "chiso: no API tokens are configured; only /healthz, /readyz and /metrics answer. "
                 "Set CHISO_ADMIN_TOKEN or list tokens in the config."
              << std::endl;
  }
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  std::cerr << "chiso: " << (signal_number == SIGTERM ? "SIGTERM" : "SIGINT")
            << " received, stopping" << std::endl;
  (*service)->Stop();
  return 0;
}

int Check(const std::vector<std::string>& args) {
  po::options_description options("chiso check");
  options.add_options()("help,h", "show this help")("config", po::value<std::string>(),
                                                    "config file (default: the embedded example)")(
      "summary",
      "print per plan the number of targets, milestones, tasks and reporting rules, and how many "
      "offices, deadlines, due days and periods the source states or the encoder inferred");
  po::variables_map values;
  if (!ParseFlags(args, options, &values)) return 2;
  if (values.count("help")) {
    std::cout << options;
    return 0;
  }
  std::unique_ptr<app::FileSource> files;
  std::string path;
  if (values.count("config")) {
    files = std::make_unique<app::DiskFileSource>();
    path = values["config"].as<std::string>();
  } else {
    files = std::make_unique<app::EmbeddedFileSource>();
    path = app::EmbeddedFileSource::kDefaultConfig;
  }
  app::ConfigLoad load = app::LoadServiceConfig(*files, path);
  for (const auto& problem : load.problems) std::cout << problem.ToString() << "\n";
  if (!load.problems.empty()) {
    std::cout << load.problems.size() << " problem(s) found\n";
    return 1;
  }
  const catalog::Catalog& catalog = *load.config.catalog;
  if (values.count("summary")) {
    std::cout << catalog::PlanSummaryTable(catalog::SummarizePlans(catalog));
  }
  std::cout << path << ": OK (" << catalog.units.size() << " units, " << catalog.offices.size()
            << " offices, " << catalog.indicators.size() << " indicators, " << catalog.plans.size()
            << " plans)\n";
  return 0;
}

// Options of `backup` and `restore`: two required directories.
po::options_description DirectoryOptions(const char* title, const char* first,
                                         const char* first_help, const char* second,
                                         const char* second_help) {
  po::options_description options(title);
  options.add_options()("help,h", "show this help")(first, po::value<std::string>()->required(),
                                                    first_help)(
      second, po::value<std::string>()->required(), second_help);
  return options;
}

int Backup(const std::vector<std::string>& args) {
  auto options = DirectoryOptions("chiso backup", "data-dir", "the store to copy", "to",
                                  "where to write the copy (must not exist)");
  po::variables_map values;
  if (!ParseFlags(args, options, &values)) return 2;
  if (values.count("help")) {
    std::cout << options;
    return 0;
  }
  StoreOptions store_options;
  store_options.data_dir = values["data-dir"].as<std::string>();
  auto store = Store::Open(store_options);
  if (!store.ok()) {
    std::cerr << "chiso: cannot open the store: " << store.status().message() << "\n";
    return 1;
  }
  if (Status done = (*store)->Backup(values["to"].as<std::string>()); !done.ok()) {
    std::cerr << "chiso: backup failed: " << done.message() << "\n";
    return 1;
  }
  std::cout << "backup written to " << values["to"].as<std::string>() << "\n";
  return 0;
}

int Restore(const std::vector<std::string>& args) {
  auto options = DirectoryOptions("chiso restore", "from", "a directory written by chiso backup",
                                  "data-dir", "the store to create (must not exist or be empty)");
  po::variables_map values;
  if (!ParseFlags(args, options, &values)) return 2;
  if (values.count("help")) {
    std::cout << options;
    return 0;
  }
  if (Status done =
          Store::Restore(values["from"].as<std::string>(), values["data-dir"].as<std::string>());
      !done.ok()) {
    std::cerr << "chiso: restore failed: " << done.message() << "\n";
    return 1;
  }
  std::cout << "store restored to " << values["data-dir"].as<std::string>() << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << kUsage;
    return 2;
  }
  const std::string command = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  if (command == "serve") return Serve(args);
  if (command == "check") return Check(args);
  if (command == "backup") return Backup(args);
  if (command == "restore") return Restore(args);
  if (command == "help" || command == "--help" || command == "-h") {
    std::cout << kUsage;
    return 0;
  }
  std::cerr << "chiso: unknown command '" << command << "'\n\n" << kUsage;
  return 2;
}
