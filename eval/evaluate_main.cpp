// evaluate: BLEU, chrF and chrF++ of a translation against one or more references, as sacreBLEU 2.x scores
// them by default.
#include <iostream>
#include <string>
#include <vector>

#include "eval/eval_corpus.h"
#include "eval/evaluation.h"
#include "eval/report.h"
#include "util/error.h"
#include "util/program.h"

namespace po = boost::program_options;

int main(int argc, char** argv) {
  return ferry::run_program("evaluate", [&] {
    po::options_description options(
        "Usage: evaluate --ref REF [--ref REF2 ...] [--metrics bleu,chrf,chrf++] [--json] < hyp.txt\n"
        "Scores a translation (one sentence a line) against references (plain or .gz, aligned by line)");
    // clang-format off
    options.add_options()
        ("ref,r", po::value<std::vector<std::string>>()->composing(),
         "reference file; repeat for more references (required, no default)")
        ("hyp,i", po::value<std::string>()->default_value(ferry::kStandardInput),
         "hypothesis file; - reads standard input")
        ("metrics,m", po::value<std::string>()->default_value("bleu,chrf"),
         "comma-separated metrics among bleu, chrf, chrf++")
        ("json", po::bool_switch(), "print one JSON object instead of score lines (default: off)")
        ("help,h", po::bool_switch(), "print this help and exit (default: off)");
    // clang-format on
    const po::variables_map values = ferry::parse_options(argc, argv, options);
    if (values["help"].as<bool>()) {
      std::cout << options << std::endl;
      return ferry::kExitOk;
    }
    FERRY_CHECK(values.count("ref") > 0, ferry::InputError, "at least one --ref is required (see --help)");

    const auto metrics = ferry::parse_metric_list(values["metrics"].as<std::string>());
    const ferry::EvalCorpus corpus = ferry::read_eval_corpus(values["hyp"].as<std::string>(),
                                                             values["ref"].as<std::vector<std::string>>());
    const ferry::CorpusEvaluation evaluation = ferry::evaluate_corpus(corpus, metrics);
    std::cout << (values["json"].as<bool>() ? ferry::format_json(evaluation)
                                            : ferry::format_score_lines(evaluation));
    return ferry::kExitOk;
  });
}
