#include "support/tiny_model.h"

#include <stdexcept>

#include "support/corpus.h"
#include "support/process.h"

namespace ferry {
namespace {

std::string joined_lines(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

}  // namespace

std::string tiny_train_command(const TempDir& dir, const std::string& extra) {
  return program_path("train") + " --config " + source_dir() + "/configs/tiny.yaml" +
         " --set data.train.src=" + multi30k_file("train.de.gz") +
         " --set data.train.tgt=" + multi30k_file("train.en.gz") +
         " --set data.valid.src=" + multi30k_file("val.de.gz") +
         " --set data.valid.tgt=" + multi30k_file("val.en.gz") +
         " --set vocab.src.model=" + dir.path("spm.de.model") +
         " --set vocab.tgt.model=" + dir.path("spm.en.model") +
         " --set training.model_dir=" + dir.path("run") + " --set training.threads=1 " + extra;
}

std::string small_valid_set(const TempDir& dir, size_t lines) {
  const std::string src = dir.write("valid.de", joined_lines(multi30k_lines("val.de.gz", lines)));
  const std::string tgt = dir.write("valid.en", joined_lines(multi30k_lines("val.en.gz", lines)));
  return " --set data.valid.src=" + src + " --set data.valid.tgt=" + tgt + " ";
}

std::string train_tiny_model(const TempDir& dir) {
  const ProcessResult r = run_command(tiny_train_command(dir));
  if (r.exit_code != 0) throw std::runtime_error("training the tiny model failed:\n" + r.err);
  return dir.path("run/model.bin");
}

}  // namespace ferry
