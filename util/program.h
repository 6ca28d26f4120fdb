// What every program's main shares: option parsing that reports bad options as input errors, and the one
// place where exceptions become exit codes (2 for bad input, 1 for internal errors).
#pragma once

#include <boost/program_options.hpp>
#include <functional>
#include <string>

namespace ferry {

// Runs `body`, printing "program: error: message" on stderr and returning the exit code for any exception.
int run_program(const std::string& program, const std::function<int()>& body);

// The options' help as Boost prints it (usage line, then one entry per option).
std::string help_text(const boost::program_options::options_description& options);

// Parses argv against `options`; InputError (exit 2) for unknown or malformed options and for arguments that
// belong to no option.
boost::program_options::variables_map parse_options(
    int argc, char** argv, const boost::program_options::options_description& options);
// The same for a program that takes arguments outside options, as `positional` describes.
boost::program_options::variables_map parse_options(
    int argc, char** argv, const boost::program_options::options_description& options,
    const boost::program_options::positional_options_description& positional);

}  // namespace ferry
