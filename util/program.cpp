#include "util/program.h"

#include <exception>
#include <iostream>
#include <sstream>

#include "util/error.h"

namespace ferry {

int run_program(const std::string& program, const std::function<int()>& body) {
  try {
    return body();
  } catch (const Error& e) {
    std::cerr << program << ": error: " << e.what() << std::endl;
    return e.exit_code();
  } catch (const std::bad_alloc&) {
    std::cerr << program << ": error: out of memory" << std::endl;
    return kExitInternal;
  } catch (const std::exception& e) {
    std::cerr << program << ": internal error: " << e.what() << std::endl;
    return kExitInternal;
  }
}

namespace {

namespace po = boost::program_options;

po::variables_map store_options(const po::parsed_options& parsed) {
  po::variables_map values;
  try {
    po::store(parsed, values);
    po::notify(values);
  } catch (const po::error& e) {
    FERRY_THROW(InputError, e.what() << " (see --help)");
  }
  return values;
}

}  // namespace

std::string help_text(const po::options_description& options) {
  std::ostringstream text;
  text << options;
  return text.str();
}

po::variables_map parse_options(int argc, char** argv, const po::options_description& options) {
  po::parsed_options parsed(nullptr);
  try {
    parsed = po::command_line_parser(argc, argv).options(options).run();
  } catch (const po::error& e) {
    FERRY_THROW(InputError, e.what() << " (see --help)");
  }
  // Without a positional description Boost would drop these silently.
  for (const po::option& option : parsed.options)
    FERRY_CHECK(option.position_key < 0, InputError,
                "unexpected argument '" << option.original_tokens.front()
                                        << "' (input is read from standard input; see --help)");
  return store_options(parsed);
}

po::variables_map parse_options(int argc, char** argv, const po::options_description& options,
                                const po::positional_options_description& positional) {
  try {
    return store_options(po::command_line_parser(argc, argv).options(options).positional(positional).run());
  } catch (const po::error& e) {
    FERRY_THROW(InputError, e.what() << " (see --help)");
  }
}

}  // namespace ferry
