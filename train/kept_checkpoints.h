// The checkpoints of the last validations kept beside checkpoint.bin as checkpoint-<step>.bin
// (training.keep_checkpoints), for averaging them at the end of a run (build/bin/average).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ferry {

// checkpoint-<step>.bin in the folder of `checkpoint_path`.
std::string kept_checkpoint_path(const std::string& checkpoint_path, int64_t step);

// The kept checkpoints in `folder`, (step, path) in increasing step order.
std::vector<std::pair<int64_t, std::string>> kept_checkpoints(const std::string& folder);

// Keeps the checkpoint just written at `checkpoint_path` as that of `step` (a hard link: no copy, and the
// next checkpoint, written to a new file and renamed, leaves it as it is), then removes all but the `keep`
// latest kept checkpoints. InputError naming the file on failure.
void keep_checkpoint(const std::string& checkpoint_path, int64_t step, int64_t keep);

}  // namespace ferry
