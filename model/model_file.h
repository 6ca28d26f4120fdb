// model.bin: everything translation needs in one checksummed file: the effective YAML config the model was
// trained with, both SentencePiece models and every parameter.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/archive.h"
#include "data/subword.h"
#include "model/model_config.h"
#include "model/seq2seq.h"

namespace ferry {

constexpr const char* kModelMagic = "FERRYMOD";
constexpr uint32_t kModelFormatVersion = 1;

struct LoadedModel {
  std::string config_yaml;  // the whole config as trained (other sections are read by whoever needs them)
  ModelConfig config;
  SubwordModel src_vocab;
  SubwordModel tgt_vocab;
  std::unique_ptr<Seq2Seq> network;
};

// Adds the model's entries (config, vocabularies, parameters) to an archive: the model file's content, and
// part of a checkpoint's.
void add_model_entries(ArchiveWriter& writer, const std::string& config_yaml, const SubwordModel& src_vocab,
                       const SubwordModel& tgt_vocab, const ParamRegistry& params);
// Writes model.bin atomically.
void save_model(const std::string& path, const std::string& config_yaml, const SubwordModel& src_vocab,
                const SubwordModel& tgt_vocab, const ParamRegistry& params);

// How model_from_archive gives a network its weights. kMapped, the default: a mapped file's own bytes where
// they allow it (Archive::view), with no copy and no fresh memory to fault in; the file must then not be
// rewritten in place while the process runs (replace it by renaming, as train and average do). kCopied:
// copies, for a process that runs for long (serve).
enum class WeightLoading { kMapped, kCopied };
void set_weight_loading(WeightLoading loading);

// Builds the network an archive describes, for inference (no gradient buffers), and loads its parameters
// (see WeightLoading); ModelFileError if anything is missing or inconsistent, or a parameter is not finite.
// `precision` replaces the config's model.precision: the arithmetic the network runs in, whatever it was
// trained in.
LoadedModel model_from_archive(const Archive& archive,
                               const std::optional<Precision>& precision = std::nullopt);
// Reads, verifies and loads model.bin (ModelFileError naming the file and the problem).
LoadedModel load_model(const std::string& path, const std::optional<Precision>& precision = std::nullopt);

// The same model for a search on another thread: its network's buffers and primitives are its own, its
// weights `model`'s, shared, not copied.
LoadedModel model_sharing_weights(const LoadedModel& model);

// Copies every parameter of `params` from the archive (ModelFileError on a missing name or other dims).
void load_parameters(const Archive& archive, ParamRegistry& params);

}  // namespace ferry
