// The command line every benchmark shares: --help, --runs and --threads, and parsing with the help printed.
#pragma once

#include <boost/program_options.hpp>
#include <optional>
#include <string>

namespace ferry {

// A benchmark's options, --help among them, under the usage line `usage`.
boost::program_options::options_description bench_options(const std::string& usage);

// Adds --runs (timed runs, the median is reported) with its default, and --threads (0: every core).
void add_runs_and_threads(boost::program_options::options_description& options, int default_runs);

// Parses argv against `options`. With --help, prints the options and returns nothing: the benchmark then
// exits 0. Bad options are InputErrors, as in every program.
std::optional<boost::program_options::variables_map> parse_bench_options(
    int argc, char** argv, const boost::program_options::options_description& options);

}  // namespace ferry
