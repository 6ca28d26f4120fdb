#include "data/subword.h"

#include <gtest/gtest.h>
#include <sentencepiece_trainer.h>

#include <algorithm>

#include "support/corpus.h"
#include "support/temp_dir.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/utf8.h"

namespace ferry {
namespace {

std::vector<std::string> cleaned(const std::vector<std::string>& lines) {
  std::vector<std::string> out;
  for (const auto& l : lines) out.push_back(clean_line(l));
  return out;
}

// Lines for SentencePiece's own trainer, as running text.
class VectorIterator : public sentencepiece::SentenceIterator {
 public:
  explicit VectorIterator(const std::vector<std::string>& lines) : lines_(lines) {}
  bool done() const override { return index_ >= lines_.size(); }
  void Next() override { ++index_; }
  const std::string& value() const override { return lines_[index_]; }
  sentencepiece::util::Status status() const override { return {}; }

 private:
  const std::vector<std::string>& lines_;
  size_t index_ = 0;
};

class SubwordTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    lines_ = new std::vector<std::string>(cleaned(multi30k_lines("train.de.gz", 3000)));
    SubwordConfig config;
    config.size = 1000;
    model_ = new SubwordModel(SubwordModel::from_bytes(SubwordModel::train(*lines_, config, 1, 2), "test"));
  }
  static void TearDownTestSuite() {
    delete lines_;
    delete model_;
  }
  static std::vector<std::string>* lines_;
  static SubwordModel* model_;
};
std::vector<std::string>* SubwordTest::lines_ = nullptr;
SubwordModel* SubwordTest::model_ = nullptr;

TEST_F(SubwordTest, SpecialIdsAndSize) {
  EXPECT_EQ(model_->vocab_size(), 1000);
  EXPECT_EQ(model_->pieces({kPadId, kUnkId, kBosId, kEosId}),
            (std::vector<std::string>{"<pad>", "<unk>", "<s>", "</s>"}));
}

TEST_F(SubwordTest, RoundTripGivesTheNormalisedText) {
  const auto held_out = cleaned(multi30k_lines("val.de.gz", 200));
  for (const auto& line : held_out) {
    const TokenIds ids = model_->encode(line);
    ASSERT_FALSE(ids.empty());
    for (int id : ids) {
      ASSERT_GE(id, kUnkId);
      ASSERT_NE(id, kBosId);
      ASSERT_NE(id, kEosId);
      ASSERT_LT(id, 1000);
    }
    bool has_unknown = false;
    for (int id : ids) has_unknown |= id == kUnkId;
    if (!has_unknown) {
      EXPECT_EQ(model_->decode(ids), line);
    }
  }
  for (size_t i = 0; i < 100; ++i) EXPECT_EQ(model_->decode(model_->encode((*lines_)[i])), (*lines_)[i]);
}

TEST_F(SubwordTest, DecodeDropsSpecials) {
  TokenIds ids = model_->encode("Ein Hund läuft.");
  TokenIds framed = {kBosId};
  framed.insert(framed.end(), ids.begin(), ids.end());
  framed.push_back(kEosId);
  framed.push_back(kPadId);
  EXPECT_EQ(model_->decode(framed), "Ein Hund läuft.");
}

TEST_F(SubwordTest, TrainingIsDeterministic) {
  SubwordConfig config;
  config.size = 1000;
  EXPECT_EQ(SubwordModel::train(*lines_, config, 1, 2), model_->serialized());
}

// The pieces of a serialized model, in id order (its bytes also record the training options).
std::vector<std::string> all_pieces(const std::string& serialized) {
  const SubwordModel model = SubwordModel::from_bytes(serialized, "test");
  TokenIds ids(static_cast<size_t>(model.vocab_size()));
  for (size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<int>(i);
  return model.pieces(ids);
}

// vocab.*.sample_sentences: a corpus of more lines trains on a random sample of them (SentencePiece's
// reservoir sampling), the same every time.
TEST_F(SubwordTest, ALargerCorpusTrainsOnASample) {
  SubwordConfig config;
  config.size = 1000;
  config.sample_sentences = 1500;
  const std::vector<std::string> sampled = all_pieces(SubwordModel::train(*lines_, config, 1, 2));
  EXPECT_EQ(all_pieces(SubwordModel::train(*lines_, config, 1, 2)), sampled) << "not the same sample twice";
  EXPECT_NE(sampled, all_pieces(model_->serialized())) << "the pieces of all 3000 lines: no sample was taken";
  const std::vector<std::string> first(lines_->begin(), lines_->begin() + 1500);
  EXPECT_NE(all_pieces(SubwordModel::train(first, config, 1, 2)), sampled) << "the sample is the first lines";
  // A corpus no larger than the sample is read whole.
  config.sample_sentences = 10000;
  EXPECT_EQ(all_pieces(SubwordModel::train(*lines_, config, 1, 2)), all_pieces(model_->serialized()));
}

// A source that must not be read: the model exists.
class UnreadLines : public LineSource {
 public:
  bool next(std::string&) override {
    ADD_FAILURE() << "lines read although the model exists";
    return false;
  }
};

TEST(Subword, LoadOrTrainWritesThenLoads) {
  TempDir dir;
  SubwordConfig config;
  config.model = dir.path("sub/spm.model");
  config.size = 300;
  const auto lines = cleaned(multi30k_lines("train.en.gz", 1000));
  VectorLines source(lines);
  SubwordModel trained = load_or_train_subwords(config, source, 3, 1, "target");
  ASSERT_TRUE(file_exists(config.model));
  UnreadLines unread;
  SubwordModel loaded = load_or_train_subwords(config, unread, 3, 1, "target");
  EXPECT_EQ(loaded.serialized(), trained.serialized());
}

// Lines given one at a time train the model the same lines in a vector train, sampled or not.
TEST(Subword, TrainingFromALineSourceEqualsTrainingFromAVector) {
  const auto lines = cleaned(multi30k_lines("train.en.gz", 2000));
  SubwordConfig config;
  config.size = 300;
  for (const int64_t sample : {int64_t{500}, int64_t{5000}}) {
    config.sample_sentences = sample;
    VectorLines source(lines);
    int64_t read = 0;
    EXPECT_EQ(SubwordModel::train(source, config, 4, 2, &read), SubwordModel::train(lines, config, 4, 2))
        << "sample " << sample;
    EXPECT_EQ(read, 2000);
  }
  const std::vector<std::string> none;
  VectorLines empty(none);
  EXPECT_THROW(SubwordModel::train(empty, config, 4, 2), DataError);
}

TEST(Subword, RejectsGarbageAndForeignSpecialIds) {
  TempDir dir;
  EXPECT_THROW(SubwordModel::load(dir.write("bad.model", "not a model")), InputError);
  EXPECT_THROW(SubwordModel::load(dir.path("missing.model")), InputError);

  // A model trained with SentencePiece's own defaults (unk 0, <s> 1, </s> 2, no pad).
  const auto lines = cleaned(multi30k_lines("train.en.gz", 500));
  std::string serialized;
  VectorIterator iterator(lines);
  ASSERT_TRUE(sentencepiece::SentencePieceTrainer::Train(
                  {{"vocab_size", "200"}, {"minloglevel", "2"}, {"hard_vocab_limit", "false"}}, &iterator, &serialized)
                  .ok());
  try {
    SubwordModel::from_bytes(serialized, "'foreign.model'");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("SentencePiece model 'foreign.model' has special ids pad -1, unk 0"),
              std::string::npos)
        << e.what();
  }
}

TEST(Subword, SmallCorpusGivesASmallerVocabularyNotAnError) {
  SubwordConfig config;
  config.size = 5000;
  const std::string serialized = SubwordModel::train({"ein kleiner Satz", "noch ein Satz"}, config, 1, 1);
  EXPECT_LT(SubwordModel::from_bytes(serialized, "small").vocab_size(), 5000);
}

// SentencePiece trains on the sample's word counts, not on its running text (data/subword.cpp says why). The
// model is close to what running text gives: most pieces the same, and about as many subwords. (Every count
// taken as 1 shares 601 of the 1,000 pieces and gives 26% more subwords.)
TEST_F(SubwordTest, WordCountsTrainAlmostTheModelRunningTextTrains) {
  VectorIterator iterator(*lines_);
  std::string serialized;
  ASSERT_TRUE(sentencepiece::SentencePieceTrainer::Train(
      "--model_type=unigram --vocab_size=1000 --character_coverage=1.0 --hard_vocab_limit=false --pad_id=0 "
      "--unk_id=1 --bos_id=2 --eos_id=3 --minloglevel=2 --num_threads=2",
      &iterator, &serialized).ok());
  const SubwordModel text_model = SubwordModel::from_bytes(serialized, "running text");

  const std::vector<std::string> ours = all_pieces(model_->serialized());
  std::vector<std::string> theirs = all_pieces(serialized);
  std::sort(theirs.begin(), theirs.end());
  size_t shared = 0;
  for (const auto& piece : ours) shared += std::binary_search(theirs.begin(), theirs.end(), piece);
  EXPECT_GE(shared, 880u) << "of 1000 pieces";

  size_t our_count = 0, their_count = 0;
  for (const auto& line : *lines_) {
    our_count += model_->encode(line).size();
    their_count += text_model.encode(line).size();
  }
  EXPECT_NEAR(static_cast<double>(our_count) / static_cast<double>(their_count), 1.0, 0.02);
}

}  // namespace
}  // namespace ferry
