// Checks of a whole Seq2Seq shared by the model tests: its loss against the naive reference, and every
// parameter's gradient against finite differences.
#pragma once

#include "data/batch.h"
#include "model/seq2seq.h"

namespace ferry {

// The loss of `batch` with label smoothing 0 and 0.1, in training (dropout must be 0) and inference mode,
// against reference_batch_loss over the model's current parameters.
void expect_loss_matches_reference(Seq2Seq& model, const Batch& batch);

// Randomises the model's parameters and checks the gradient of every one on `batch` (dropout masks of step
// 4).
void expect_every_gradient_matches(Seq2Seq& model, const Batch& batch, float label_smoothing = 0.0f);

}  // namespace ferry
