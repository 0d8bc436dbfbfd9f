// The command line of the developer programs in tools/: --help, unknown flags and bad values
// answered the same way by each of them.
#pragma once

#include <boost/program_options.hpp>
#include <iostream>
#include <optional>

namespace chiso::tools {

// Parses argv against `options`, to which it adds --help/-h; positional arguments are refused.
// Returns the exit code when the program should stop: 0 after printing `usage` and the options
// for --help, 2 after naming a bad argument on stderr. Returns std::nullopt when `values` holds
// the parsed flags.
inline std::optional<int> ParseCommandLine(const char* program, const char* usage,
                                           boost::program_options::options_description& options,
                                           int argc, char** argv,
                                           boost::program_options::variables_map* values) {
  namespace po = boost::program_options;
  options.add_options()("help,h", "print this text and exit");
  try {
    const po::positional_options_description none;
    po::store(po::command_line_parser(argc, argv).options(options).positional(none).run(), *values);
    if (values->count("help")) {
      std::cout << usage << "\n\n" << options;
      return 0;
    }
    po::notify(*values);
    return std::nullopt;
  } catch (const po::error& error) {
    std::cerr << program << ": " << error.what() << "\n" << usage << "\n";
    return 2;
  }
}

}  // namespace chiso::tools
