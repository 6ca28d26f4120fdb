// Seq2Seq::backward's reports of finished gradients, which the data-parallel trainer uses to start summing
// them over processes while backward still runs: the reports cover every parameter once, from the last
// registered down, and a reported gradient never changes afterwards (tied embeddings included, whose
// gradient gathers from several parts).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model/seq2seq.h"
#include "support/model_case.h"

namespace ferry {
namespace {

struct DoneCase {
  std::string name;
  ModelConfig config;
  int64_t src_vocab, tgt_vocab;
  size_t min_reports;  // the parts that own parameters
};

void PrintTo(const DoneCase& c, std::ostream* out) { *out << c.name; }

ModelConfig one_matrix_config() {
  ModelConfig config = small_config({"lstm", 1, true, false}, {"gru", 1, "general", "dense", true});
  config.embedding.src_dim = config.embedding.tgt_dim = config.decoder.hidden;
  config.embedding.tie_all = true;
  return config;
}

std::vector<DoneCase> done_cases() {
  return {
      {"lstm_general", small_config({"lstm", 2, true, false}, {"lstm", 2, "general", "dense", false}),
       kTestSrcVocab, kTestTgtVocab, 4},
      {"tied_output", small_config({"gru", 1, true, false}, {"lstm", 1, "mlp", "dense", true}), kTestSrcVocab,
       kTestTgtVocab, 4},
      {"one_matrix", one_matrix_config(), kTestSrcVocab, kTestSrcVocab, 4},
      {"input_feeding", small_config({"lstm", 1, true, false}, {"gru", 2, "mlp", "dense", false, true}),
       kTestSrcVocab, kTestTgtVocab, 4},
      {"zero_bridge", small_config({"lstm", 1, true, false}, {"gru", 2, "dot", "zero", false}), kTestSrcVocab,
       kTestTgtVocab, 3},
      {"language_model", small_lm_config("lstm", 2, true), kTestTgtVocab, kTestTgtVocab, 2},
  };
}

class GradientsDoneTest : public ::testing::TestWithParam<DoneCase> {};

TEST_P(GradientsDoneTest, EveryParameterIsReportedOnceWithItsFinalGradient) {
  const DoneCase& c = GetParam();
  Seq2Seq model(c.config, c.src_vocab, c.tgt_vocab, 1);
  randomize_parameters(model.params(), 5);
  const std::vector<Parameter*>& params = model.params().all();
  model.params().zero_grads();
  model.forward(random_batch({3, 1, 5}, {2, 4, 3}, 11), true);

  std::vector<Tensor> at_report(params.size());
  std::vector<int> reports(params.size(), 0);
  size_t calls = 0, next_end = params.size();
  model.backward([&](size_t first, size_t count) {
    ++calls;
    EXPECT_EQ(first + count, next_end) << "reports go down without gaps";
    next_end = first;
    for (size_t i = first; i < first + count; ++i) {
      ++reports[i];
      at_report[i] = params[i]->grad.clone();
    }
  });
  EXPECT_EQ(next_end, 0u);
  EXPECT_GE(calls, c.min_reports);
  bool any_nonzero = false;
  for (size_t i = 0; i < params.size(); ++i) {
    ASSERT_EQ(reports[i], 1) << params[i]->name;
    const Tensor& grad = params[i]->grad;
    ASSERT_EQ(at_report[i].numel(), grad.numel()) << params[i]->name;
    for (int64_t k = 0; k < grad.numel(); ++k) {
      ASSERT_EQ(at_report[i].data()[k], grad.data()[k]) << params[i]->name << " changed after its report";
      any_nonzero = any_nonzero || grad.data()[k] != 0.0f;
    }
  }
  EXPECT_TRUE(any_nonzero);
}

INSTANTIATE_TEST_SUITE_P(Models, GradientsDoneTest, ::testing::ValuesIn(done_cases()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace ferry
