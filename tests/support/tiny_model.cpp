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

std::string tiny_lm_train_command(const TempDir& dir, const std::string& extra) {
  const std::string valid = dir.write("valid.en", joined_lines(multi30k_lines("val.en.gz", 20)));
  return program_path("train") + " --config " + source_dir() + "/configs/lm-en.yaml" +
         " --set data.train.text=" + multi30k_file("train.en.gz") + " --set data.valid.text=" + valid +
         " --set data.max_pairs=500 --set vocab.model=" + dir.path("spm.en.model") +
         " --set vocab.size=400 --set model.embedding.tgt_dim=32 --set model.decoder.hidden=32"
         " --set model.decoder.layers=1 --set training.batch_tokens=500 --set training.validate_every=10"
         " --set training.log_every=10 --set training.model_dir=" +
         dir.path("run") + " --set training.threads=1 " + extra;
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
