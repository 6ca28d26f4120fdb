// libFuzzer target: translate's input-line cleaning. Whatever the bytes, the cleaned line is valid UTF-8 with
// no control characters, no leading, trailing or double spaces, and encoding it gives at most the kept
// number of subwords.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "data/subword.h"
#include "translate/input_line.h"
#include "util/utf8.h"

namespace {

const ferry::SubwordModel* vocab = nullptr;

void check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const std::vector<std::string> lines = {
      "Ein Mann mit einem orangefarbenen Hut starrt auf etwas.", "Zwei Hunde spielen im Schnee.",
      "Eine Frau in einem roten Mantel geht über die Straße.", "Kinder spielen Fußball auf einer Wiese.",
      "Ein älterer Herr sitzt auf einer Bank und liest Zeitung."};
  ferry::SubwordConfig config;
  config.size = 60;
  vocab = new ferry::SubwordModel(
      ferry::SubwordModel::from_bytes(ferry::SubwordModel::train(lines, config, 1, 1), "fuzz vocabulary"));
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string raw(reinterpret_cast<const char*>(data), size);
  const std::string cleaned = ferry::clean_line(raw);
  check(ferry::is_valid_utf8(cleaned));
  check(cleaned.empty() || (cleaned.front() != ' ' && cleaned.back() != ' '));
  check(cleaned.find("  ") == std::string::npos);
  for (const char c : cleaned) check(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f);
  const int64_t kept = size % 7 + 1;
  const ferry::PreparedInput input = ferry::prepare_input(raw, *vocab, kept);
  check(static_cast<int64_t>(input.ids.size()) <= kept);
  for (const int id : input.ids) check(id >= 0 && id < vocab->vocab_size());
  return 0;
}
