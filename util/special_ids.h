// The special token ids every vocabulary of the toolkit uses: the contract between the subword models that
// produce ids and the network that embeds and predicts them.
#pragma once

namespace ferry {

constexpr int kPadId = 0;
constexpr int kUnkId = 1;
constexpr int kBosId = 2;
constexpr int kEosId = 3;

}  // namespace ferry
