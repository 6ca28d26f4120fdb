// Floating-point operations of the network's matrix products for one batch: what benchmarks divide by time.
// Counts what runs, padding included (the RNNs compute every padded position; the output layer only the
// target tokens). Element-wise work is left out: it is small next to the products.
#pragma once

#include "data/batch.h"
#include "model/model_config.h"

namespace ferry {

struct ForwardFlops {
  double encoder = 0;
  double bridge = 0;
  double decoder_rnn = 0;
  double attention = 0;  // scores, context and the combine layer
  double output = 0;
  double total() const { return encoder + bridge + decoder_rnn + attention + output; }
};

// Forward FLOPs of a teacher-forced pass over `batch`. A training step costs about three times as much
// (the backward pass computes two products per forward product: data and weight gradients).
ForwardFlops forward_flops(const ModelConfig& config, int64_t tgt_vocab, const Batch& batch);

}  // namespace ferry
