// RnnLayer::forward_inference with the state updated in place (h_last the same tensor as h0, c_last as c0),
// as the decoder's search step uses it: the same bits as with separate outputs, also with several threads
// and a batch wide enough for oneDNN to split the work.
#include <gtest/gtest.h>

#include "core/layers/rnn.h"
#include "support/rnn_case.h"
#include "support/thread_count.h"

namespace ferry {
namespace {

class RnnInPlace : public ::testing::TestWithParam<CellKind> {};

TEST_P(RnnInPlace, StateUpdatedInPlaceEqualsSeparateOutputs) {
  ScopedThreadCount threads(2);
  const bool lstm = GetParam() == CellKind::kLstm;
  for (const int64_t batch : {1, 16, 64, 160}) {
    RnnCase c(GetParam(), {1, batch, 32, 64}, true);
    Tensor dst = c.sequence_output(), h_last = c.state(), c_last = lstm ? c.state() : Tensor();
    c.layer.forward_inference(c.src, c.h0, c.c0, dst, h_last, c_last);
    Tensor in_place_dst = c.sequence_output(), h = c.h0.clone(), cell = lstm ? c.c0.clone() : Tensor();
    c.layer.forward_inference(c.src, h, cell, in_place_dst, h, cell);
    EXPECT_TRUE(bitwise_equal(in_place_dst, dst)) << "dst, batch " << batch;
    EXPECT_TRUE(bitwise_equal(h, h_last)) << "h, batch " << batch;
    if (lstm) {
      EXPECT_TRUE(bitwise_equal(cell, c_last)) << "c, batch " << batch;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(RnnCells, RnnInPlace,
                         ::testing::Values(CellKind::kLstm, CellKind::kGru, CellKind::kRnn),
                         [](const ::testing::TestParamInfo<CellKind>& info) {
                           return cell_name(info.param);
                         });

}  // namespace
}  // namespace ferry
