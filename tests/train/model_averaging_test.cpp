// Checkpoint averaging: the mean of tiny models trained with two seeds, a checkpoint's weight average, what
// is refused (naming the file and the difference), and the average program end to end.
#include "train/model_averaging.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/optim/weight_average.h"
#include "model/model_file.h"
#include "support/corpus.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "support/tiny_model.h"
#include "train/checkpoint.h"
#include "util/error.h"
#include "util/file_io.h"

namespace ferry {
namespace {

bool is_tensor_entry(const std::string& name) {
  for (const char* prefix : {"param/", "optimizer/", "average/"}) {
    if (name.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

class ModelAveraging : public ::testing::Test {
 protected:
  // Two short runs sharing the subword models: seed 1, and seed 2 keeping a weight average.
  static void SetUpTestSuite() {
    dir_ = std::make_unique<TempDir>();
    const std::string quick =
        " --set training.max_steps=30 --set training.validate_every=1000" + small_valid_set(*dir_, 20);
    for (const std::string& run :
         {std::string("--set training.seed=1 --set training.model_dir=") + dir_->path("a") + quick,
          std::string("--set training.seed=2 --set training.ema_decay=0.9") +
              " --set training.model_dir=" + dir_->path("b") + quick}) {
      const ProcessResult r = run_command(tiny_train_command(*dir_, run));
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
  }
  static void TearDownTestSuite() { dir_.reset(); }

  static std::string path(const std::string& name) { return dir_->path(name); }
  static Archive model(const std::string& file) {
    return Archive::read(file, kModelMagic, kModelFormatVersion);
  }

  // A copy of model file `from` at `to` with `edit` applied to its entries (name -> tensor or blob).
  static void rewrite(
      const std::string& from, const std::string& to,
      const std::function<void(std::map<std::string, Tensor>&, std::map<std::string, std::string>&)>& edit) {
    const Archive source = model(from);
    std::map<std::string, Tensor> tensors;
    std::map<std::string, std::string> blobs;
    for (const std::string& name : source.names()) {
      if (is_tensor_entry(name)) {
        tensors[name] = source.tensor(name).clone();
      } else {
        blobs[name] = source.blob(name);
      }
    }
    edit(tensors, blobs);
    ArchiveWriter writer;
    for (const auto& [name, bytes] : blobs) writer.add_blob(name, bytes);
    for (const auto& [name, tensor] : tensors) writer.add_tensor(name, tensor);
    writer.write(to, kModelMagic, kModelFormatVersion);
  }

  // The message of the ModelFileError that averaging `inputs` throws; fails the test if none is thrown or if
  // the output file appears.
  static std::string refusal(const std::vector<std::string>& inputs) {
    const std::string out = path("refused.bin");
    try {
      average_model_files(inputs, out);
    } catch (const ModelFileError& e) {
      EXPECT_FALSE(file_exists(out)) << "written although refused";
      return e.what();
    }
    ADD_FAILURE() << "averaging was not refused";
    return "";
  }

  static std::unique_ptr<TempDir> dir_;
};

std::unique_ptr<TempDir> ModelAveraging::dir_;

TEST_F(ModelAveraging, TheResultIsTheElementwiseMean) {
  const std::string out = path("mean.bin");
  const AveragingSummary summary = average_model_files({path("a/model.bin"), path("b/model.bin")}, out);
  EXPECT_EQ(summary.inputs, 2u);
  EXPECT_EQ(summary.weight_averages, 0u);
  const Archive a = model(path("a/model.bin")), b = model(path("b/model.bin")), mean = model(out);
  EXPECT_EQ(mean.blob("config"), a.blob("config"));
  EXPECT_EQ(mean.blob("vocab/tgt"), a.blob("vocab/tgt"));
  size_t checked = 0;
  for (const std::string& name : a.names()) {
    if (name.rfind("param/", 0) != 0) continue;
    const Tensor x = a.tensor(name), y = b.tensor(name), m = mean.tensor(name);
    ASSERT_EQ(m.dims(), x.dims()) << name;
    for (int64_t i = 0; i < x.numel(); ++i) {
      const double expected = (static_cast<double>(x.data()[i]) + y.data()[i]) / 2;
      ASSERT_NEAR(m.data()[i], expected, 1e-6 * (1 + std::fabs(expected))) << name << " element " << i;
    }
    ++checked;
  }
  EXPECT_EQ(checked, summary.parameters);
  EXPECT_NO_THROW(load_model(out));
}

TEST_F(ModelAveraging, OneInputIsCopiedExactly) {
  const std::string out = path("one.bin");
  average_model_files({path("a/model.bin")}, out);
  const Archive a = model(path("a/model.bin")), copy = model(out);
  for (const std::string& name : a.names()) {
    if (name.rfind("param/", 0) != 0) continue;
    const Tensor x = a.tensor(name), y = copy.tensor(name);
    EXPECT_EQ(std::memcmp(x.raw(), y.raw(), x.bytes()), 0) << name;
  }
}

TEST_F(ModelAveraging, ACheckpointContributesItsWeightAverage) {
  const std::string out = path("with_checkpoint.bin");
  const AveragingSummary summary = average_model_files({path("a/model.bin"), path("b/checkpoint.bin")}, out);
  EXPECT_EQ(summary.weight_averages, 1u);
  const Archive a = model(path("a/model.bin")), mean = model(out);
  const Checkpoint b = read_checkpoint(path("b/checkpoint.bin"));
  ASSERT_FALSE(b.average.empty());
  for (const NamedTensor& average : b.average) {
    const std::string name = "param/" + average.name.substr(std::strlen(WeightAverage::kPrefix));
    const Tensor x = a.tensor(name), m = mean.tensor(name);
    for (int64_t i = 0; i < x.numel(); ++i) {
      const double expected = (static_cast<double>(x.data()[i]) + average.value.data()[i]) / 2;
      ASSERT_NEAR(m.data()[i], expected, 1e-6 * (1 + std::fabs(expected))) << name << " element " << i;
    }
  }
}

TEST_F(ModelAveraging, WithoutWeightAveragesACheckpointContributesItsOwnWeights) {
  const std::string out = path("own_weights.bin");
  const AveragingSummary summary = average_model_files({path("b/checkpoint.bin")}, out, false);
  EXPECT_EQ(summary.weight_averages, 0u);
  const Archive copy = model(out);
  const Checkpoint b = read_checkpoint(path("b/checkpoint.bin"));
  for (const std::string& name : copy.names()) {
    if (name.rfind("param/", 0) != 0) continue;
    const Tensor x = b.archive.tensor(name), y = copy.tensor(name);
    EXPECT_EQ(std::memcmp(x.raw(), y.raw(), x.bytes()), 0) << name;
  }
}

TEST_F(ModelAveraging, ATensorOfOtherDimsIsRefusedByName) {
  const std::string other = path("other_dims.bin");
  rewrite(path("b/model.bin"), other,
          [](auto& tensors, auto&) { tensors["param/decoder/combine/bias"] = Tensor({3}); });
  const std::string message = refusal({path("a/model.bin"), other});
  EXPECT_NE(message.find("decoder/combine/bias"), std::string::npos) << message;
  EXPECT_NE(message.find(other), std::string::npos) << message;
}

TEST_F(ModelAveraging, AMissingOrExtraTensorIsRefusedByName) {
  const std::string missing = path("missing.bin"), extra = path("extra.bin");
  rewrite(path("b/model.bin"), missing,
          [](auto& tensors, auto&) { tensors.erase("param/decoder/combine/bias"); });
  rewrite(path("b/model.bin"), extra,
          [](auto& tensors, auto&) { tensors["param/decoder/extra"] = Tensor({2}); });
  std::string message = refusal({path("a/model.bin"), missing});
  EXPECT_NE(message.find("decoder/combine/bias"), std::string::npos) << message;
  message = refusal({path("a/model.bin"), extra});
  EXPECT_NE(message.find("decoder/extra"), std::string::npos) << message;
}

TEST_F(ModelAveraging, AnotherArchitectureOrVocabularyIsRefused) {
  const std::string other_model = path("other_model.bin"), other_vocab = path("other_vocab.bin");
  rewrite(path("b/model.bin"), other_model, [](auto&, auto& blobs) {
    const std::string from = "attention: general", to = "attention: dot";
    std::string& config = blobs["config"];
    ASSERT_NE(config.find(from), std::string::npos) << config;
    config.replace(config.find(from), from.size(), to);
  });
  rewrite(path("b/model.bin"), other_vocab,
          [](auto&, auto& blobs) { blobs["vocab/tgt"] = blobs["vocab/src"]; });
  std::string message = refusal({path("a/model.bin"), other_model});
  EXPECT_NE(message.find("model.decoder.attention"), std::string::npos) << message;
  message = refusal({path("a/model.bin"), other_vocab});
  EXPECT_NE(message.find("target vocabulary"), std::string::npos) << message;
}

TEST_F(ModelAveraging, NonFiniteWeightsAreRefused) {
  const std::string poisoned = path("poisoned.bin");
  rewrite(path("b/model.bin"), poisoned, [](auto& tensors, auto&) {
    tensors["param/decoder/combine/bias"].data()[1] = std::numeric_limits<float>::quiet_NaN();
  });
  const std::string message = refusal({path("a/model.bin"), poisoned});
  EXPECT_NE(message.find("decoder/combine/bias"), std::string::npos) << message;
  EXPECT_NE(message.find("non-finite"), std::string::npos) << message;
}

TEST_F(ModelAveraging, TheProgramAveragesAndItsModelTranslates) {
  const std::string out = path("program.bin");
  ProcessResult r = run_command(program_path("average") + " --out " + out + " " + path("a/model.bin") + " " +
                                path("b/checkpoint.bin"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("over 2 files (1 checkpoint weight averages)"), std::string::npos) << r.err;
  r = run_command(program_path("translate") + " --model " + out, "Ein Hund läuft.\nZwei Männer.\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 2) << r.out;
}

TEST_F(ModelAveraging, TheProgramRefusesBadArgumentsWithExitTwo) {
  const std::string out = path("never.bin");
  for (const std::string& arguments :
       {std::string(" ") + path("a/model.bin"), " --out " + out, " --out " + out + " /nonexistent/model.bin",
        " --out " + out + " " + path("a/model.bin") + " " + path("a/train.log")}) {
    SCOPED_TRACE(arguments);
    const ProcessResult r = run_command(program_path("average") + arguments);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("average: error: "), std::string::npos) << r.err;
    EXPECT_FALSE(file_exists(out));
  }
}

}  // namespace
}  // namespace ferry
