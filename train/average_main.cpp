// average --out model.bin IN1 IN2 ...: one model file whose parameters are the mean of those of several model
// files or checkpoints of the same architecture and vocabularies.
#include <iostream>
#include <string>
#include <vector>

#include "train/model_averaging.h"
#include "util/error.h"
#include "util/log.h"
#include "util/program.h"

namespace po = boost::program_options;

int main(int argc, char** argv) {
  return ferry::run_program("average", [&] {
    po::options_description options(
        "Usage: average --out OUT.bin [--no-weight-average] IN.bin [IN.bin ...]\n"
        "Averages the parameters of model files (model.bin) or checkpoints (checkpoint.bin; the weight "
        "average\n"
        "when the run kept one) of one architecture and vocabularies into one model file");
    // clang-format off
    options.add_options()
        ("out,o", po::value<std::string>(), "the model file to write (required, no default)")
        ("no-weight-average", po::bool_switch(),
         "take a checkpoint's own weights, not its weight average (default: off)")
        ("input", po::value<std::vector<std::string>>()->composing(), "a model or checkpoint file")
        ("help,h", po::bool_switch(), "print this help and exit (default: off)");
    // clang-format on
    po::positional_options_description inputs;
    inputs.add("input", -1);
    const po::variables_map values = ferry::parse_options(argc, argv, options, inputs);
    if (values["help"].as<bool>()) {
      std::cout << options << std::endl;
      return ferry::kExitOk;
    }
    FERRY_CHECK(values.count("out") > 0, ferry::InputError, "--out FILE is required (see --help)");
    FERRY_CHECK(values.count("input") > 0, ferry::InputError, "no input files: name the models to average");
    const auto files = values["input"].as<std::vector<std::string>>();
    const std::string out = values["out"].as<std::string>();
    const ferry::AveragingSummary summary =
        ferry::average_model_files(files, out, !values["no-weight-average"].as<bool>());
    ferry::log_info() << "averaged " << summary.parameters << " tensors over " << summary.inputs << " files ("
                      << summary.weight_averages << " checkpoint weight averages) into " << out;
    return ferry::kExitOk;
  });
}
