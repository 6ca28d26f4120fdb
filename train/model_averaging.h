// Averaging the parameters of several model files or checkpoints of one architecture into one model file
// (checkpoint averaging): the element-wise mean of each parameter. A checkpoint of a run that keeps a weight
// average (training.ema_decay) contributes that average, as its model.bin would.
#pragma once

#include <string>
#include <vector>

namespace ferry {

struct AveragingSummary {
  size_t inputs = 0;
  size_t parameters = 0;       // tensors averaged
  size_t weight_averages = 0;  // inputs that contributed a checkpoint's weight average
};

// Writes the model file `output` (atomically) with the first input's config and vocabularies and the mean of
// every parameter over `inputs` (model.bin or checkpoint.bin files, at least one). ModelFileError naming the
// file and what differs (another architecture config key, other vocabularies, a tensor missing, extra or of
// other dims), before anything is written. Without `weight_averages`, checkpoints contribute the weights
// training went on from, not their weight averages.
AveragingSummary average_model_files(const std::vector<std::string>& inputs, const std::string& output,
                                     bool weight_averages = true);

}  // namespace ferry
