// libFuzzer target: evaluate's readers and scorers. The input becomes a hypothesis file and a reference file
// (split at the first NUL byte; gzip-compressed when it starts with the gzip magic), read as evaluate reads
// them, then scored with BLEU, chrF and chrF++. A ferry::Error is a refusal; scores must be finite and in
// [0, 100].
#include <unistd.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#include "eval/eval_corpus.h"
#include "eval/evaluation.h"
#include "util/error.h"

namespace {

std::string temp_path(const char* what) {
  return "/tmp/ferry-eval-fuzzer-" + std::to_string(getpid()) + "-" + what;
}

void write(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

void check_score(double score) {
  // A perfect match may come out a rounding error above 100.
  if (!(std::isfinite(score) && score >= 0.0 && score <= 100.0 + 1e-9)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t split = input.find('\0');
  const std::string hyp = temp_path("hyp"), ref = temp_path("ref");
  write(hyp, input.substr(0, split));
  write(ref, split == std::string::npos ? input : input.substr(split + 1));
  try {
    const ferry::EvalCorpus corpus = ferry::read_eval_corpus(hyp, {ref, hyp});
    const ferry::CorpusEvaluation result = ferry::evaluate_corpus(
        corpus, {ferry::MetricKind::kBleu, ferry::MetricKind::kChrf, ferry::MetricKind::kChrfPlusPlus});
    check_score(result.bleu->score);
    check_score(result.chrf->score);
    check_score(result.chrf_plus_plus->score);
  } catch (const ferry::Error&) {
  }
  std::remove(hyp.c_str());
  std::remove(ref.c_str());
  return 0;
}
