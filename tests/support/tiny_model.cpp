#include "support/tiny_model.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <stdexcept>

#include "support/corpus.h"
#include "support/process.h"
#include "util/file_io.h"

namespace ferry {
namespace {

std::string joined_lines(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

std::string train_command_in(const std::string& root, const std::string& extra) {
  return program_path("train") + tiny_config_options(root) + extra;
}

// The folder of the build's one run of the tiny config, trained by the first test that asks for it. Its
// name holds a hash of the config, the command and the train program's size and time, so a rebuilt program
// or a changed config trains anew. A lock makes the tests that start together wait for the one that trains.
std::string shared_tiny_run() {
  struct stat program {};
  if (::stat(program_path("train").c_str(), &program) != 0)
    throw std::runtime_error("no train program at " + program_path("train"));
  const std::string key = read_file(source_dir() + "/configs/tiny.yaml") + train_command_in("", "") +
                          std::to_string(program.st_size) + "." + std::to_string(program.st_mtim.tv_sec) + "." +
                          std::to_string(program.st_mtim.tv_nsec);
  const std::string cache = program_path("../test-cache");
  std::filesystem::create_directories(cache);
  const std::string root = cache + "/tiny-" + std::to_string(std::hash<std::string>()(key));
  const std::string done = root + "/trained";

  const int lock = ::open((root + ".lock").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
  if (lock < 0) throw std::runtime_error("cannot open " + root + ".lock");
  if (::flock(lock, LOCK_EX) != 0) {
    ::close(lock);
    throw std::runtime_error("cannot lock " + root + ".lock");
  }
  std::string error;
  try {
    if (!std::filesystem::exists(done)) {
      std::filesystem::remove_all(root);  // what a test that was stopped while training left
      std::filesystem::create_directories(root);
      const ProcessResult r = run_command(train_command_in(root, ""));
      if (r.exit_code == 0)
        write_file_atomic(done, "");
      else
        error = "training the tiny model failed:\n" + r.err;
    }
  } catch (const std::exception& e) {
    error = std::string("training the tiny model in ") + root + ": " + e.what();
  }
  ::close(lock);  // releases the lock
  if (!error.empty()) throw std::runtime_error(error);
  return root;
}

}  // namespace

std::string tiny_config_options(const std::string& root) {
  return " --config " + source_dir() + "/configs/tiny.yaml" + " --set data.train.src=" +
         multi30k_file("train.de.gz") + " --set data.train.tgt=" + multi30k_file("train.en.gz") +
         " --set data.valid.src=" + multi30k_file("val.de.gz") + " --set data.valid.tgt=" +
         multi30k_file("val.en.gz") + " --set vocab.src.model=" + root + "/spm.de.model --set vocab.tgt.model=" +
         root + "/spm.en.model --set training.model_dir=" + root + "/run --set training.threads=1 ";
}

std::string tiny_train_command(const TempDir& dir, const std::string& extra) {
  return train_command_in(dir.root(), extra);
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
  const std::string shared = shared_tiny_run();
  for (const char* name : {"spm.de.model", "spm.en.model", "run"})
    std::filesystem::copy(shared + "/" + name, dir.path(name), std::filesystem::copy_options::recursive);
  return dir.path("run/model.bin");
}

}  // namespace ferry
