#include "bench/support/command_line.h"

#include <iostream>

#include "util/program.h"

namespace ferry {

namespace po = boost::program_options;

po::options_description bench_options(const std::string& usage) {
  po::options_description options(usage);
  options.add_options()("help,h", "print this help");
  return options;
}

void add_runs_and_threads(po::options_description& options, int default_runs) {
  options.add_options()
      ("runs", po::value<int>()->default_value(default_runs), "timed runs (the median is reported)")
      ("threads", po::value<int>()->default_value(0), "threads (0: every core)");
}

std::optional<po::variables_map> parse_bench_options(int argc, char** argv, const po::options_description& options) {
  po::variables_map args = parse_options(argc, argv, options);
  if (args.count("help")) {
    std::cout << options << std::endl;
    return std::nullopt;
  }
  return args;
}

}  // namespace ferry
