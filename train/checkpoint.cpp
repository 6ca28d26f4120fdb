#include "train/checkpoint.h"

#include <cstdio>
#include <map>
#include <sstream>

#include "model/model_file.h"
#include "util/error.h"

namespace ferry {
namespace {

const std::string kOptimizerPrefix = "optimizer/";

// Progress as "name value" lines; doubles with every digit, so that a resumed run compares exactly.
std::string progress_text(const TrainingProgress& p) {
  std::ostringstream out;
  const auto real = [&](const char* name, double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.17g", value);
    out << name << " " << buffer << "\n";
  };
  out << "step " << p.step << "\nepoch " << p.epoch << "\nbatch_in_epoch " << p.batch_in_epoch
      << "\nskipped_steps " << p.skipped_steps << "\nbad_steps_in_row " << p.bad_steps_in_row
      << "\nvalidations_without_improvement " << p.validations_without_improvement << "\nearly_stopped "
      << p.early_stopped << "\nschedule_bad_validations " << p.schedule.bad_validations << "\n";
  if (!p.data_fingerprint.empty()) out << "data_fingerprint " << p.data_fingerprint << "\n";
  out << "last_validated_step " << p.last_validated_step << "\nprocesses " << p.processes << "\n";
  real("elapsed_sec", p.elapsed_sec);
  real("best_metric", p.best_metric);
  real("best_saved_metric", p.best_saved_metric);
  real("schedule_scale", p.schedule.scale);
  return out.str();
}

TrainingProgress parse_progress(const std::string& text, const std::string& origin) {
  std::map<std::string, std::string> fields;
  std::istringstream in(text);
  for (std::string name, value; in >> name >> value;) fields[name] = value;
  const auto get = [&](const char* name) -> const std::string& {
    auto it = fields.find(name);
    if (it == fields.end()) FERRY_THROW(ModelFileError, origin << " lacks the progress field '" << name << "'");
    return it->second;
  };
  TrainingProgress p;
  try {
    p.step = std::stoll(get("step"));
    p.epoch = std::stoll(get("epoch"));
    p.batch_in_epoch = std::stoll(get("batch_in_epoch"));
    p.skipped_steps = std::stoll(get("skipped_steps"));
    p.bad_steps_in_row = std::stoll(get("bad_steps_in_row"));
    p.validations_without_improvement = std::stoll(get("validations_without_improvement"));
    p.early_stopped = std::stoll(get("early_stopped")) != 0;
    p.schedule.bad_validations = std::stoll(get("schedule_bad_validations"));
    p.elapsed_sec = std::stod(get("elapsed_sec"));
    p.best_metric = std::stod(get("best_metric"));
    p.best_saved_metric = std::stod(get("best_saved_metric"));
    p.schedule.scale = std::stod(get("schedule_scale"));
    // Fields that checkpoints written by earlier versions lack.
    if (fields.count("data_fingerprint")) p.data_fingerprint = fields["data_fingerprint"];
    if (fields.count("last_validated_step")) p.last_validated_step = std::stoll(fields["last_validated_step"]);
    if (fields.count("processes")) p.processes = std::stoll(fields["processes"]);
  } catch (const std::logic_error&) {
    FERRY_THROW(ModelFileError, origin << " has a malformed progress record");
  }
  return p;
}

}  // namespace

void save_checkpoint(const std::string& path, const std::string& config_yaml, const SubwordModel& src_vocab,
                     const SubwordModel& tgt_vocab, const ParamRegistry& params,
                     const OptimizerState& optimizer, const std::vector<NamedTensor>& average,
                     const TrainingProgress& progress, const std::vector<NamedTensor>& carried_state) {
  ArchiveWriter writer;
  add_model_entries(writer, config_yaml, src_vocab, tgt_vocab, params);
  writer.add_blob("optimizer_steps", std::to_string(optimizer.steps));
  for (const NamedTensor& slot : optimizer.slots) writer.add_tensor(kOptimizerPrefix + slot.name, slot.value);
  for (const NamedTensor& entry : average) writer.add_tensor(entry.name, entry.value);
  for (const NamedTensor& entry : carried_state) writer.add_tensor(entry.name, entry.value);
  writer.add_blob("progress", progress_text(progress));
  writer.write(path, kCheckpointMagic, kCheckpointFormatVersion);
}

Checkpoint read_checkpoint(const std::string& path) {
  Checkpoint c{Archive::read(path, kCheckpointMagic, kCheckpointFormatVersion), "", {}, {}, {}, {}};
  const Archive& a = c.archive;
  c.config_yaml = a.blob("config");
  try {
    c.optimizer.steps = std::stoll(a.blob("optimizer_steps"));
  } catch (const std::logic_error&) {
    FERRY_THROW(ModelFileError, a.origin() << " has a malformed optimizer step count");
  }
  for (const std::string& name : a.names()) {
    if (name.rfind(kOptimizerPrefix, 0) == 0)
      c.optimizer.slots.push_back({name.substr(kOptimizerPrefix.size()), a.tensor(name)});
    if (name.rfind(WeightAverage::kPrefix, 0) == 0) c.average.push_back({name, a.tensor(name)});
    if (name.rfind(kCarriedPrefix, 0) == 0) c.carried_state.push_back({name, a.tensor(name)});
  }
  c.progress = parse_progress(a.blob("progress"), a.origin());
  return c;
}

}  // namespace ferry
