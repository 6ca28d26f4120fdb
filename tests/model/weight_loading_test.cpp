// How a loaded model holds its weights: by default the model file's own pages (each parameter's bytes lie in a
// private mapping of the file, so a write to them stays in the process), with WeightLoading::kCopied memory of
// the process's own. Both give the same values.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "model/model_file.h"
#include "support/numeric.h"
#include "support/tiny_model.h"
#include "support/temp_dir.h"
#include "util/file_io.h"

namespace ferry {
namespace {

// The path of the file mapped at `address` in this process (/proc/self/maps), or "" for anonymous memory.
std::string file_mapped_at(const void* address) {
  const auto at = reinterpret_cast<uintptr_t>(address);
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    std::istringstream fields(line);
    std::string range, permissions, offset, device, inode, path;
    fields >> range >> permissions >> offset >> device >> inode >> path;
    const size_t dash = range.find('-');
    const uintptr_t begin = std::stoull(range.substr(0, dash), nullptr, 16);
    const uintptr_t end = std::stoull(range.substr(dash + 1), nullptr, 16);
    if (at >= begin && at < end) return path;
  }
  return "";
}

class WeightLoadingTest : public ::testing::Test {
 protected:
  void TearDown() override { set_weight_loading(WeightLoading::kMapped); }
  TempDir dir_;
};

TEST_F(WeightLoadingTest, MappedByDefaultCopiedOnRequest) {
  const std::string path = train_tiny_model(dir_);
  const std::string canonical = std::filesystem::canonical(path).string();
  LoadedModel mapped = load_model(path);
  set_weight_loading(WeightLoading::kCopied);
  const LoadedModel copied = load_model(path);
  const std::vector<Parameter*> mapped_params = mapped.network->params().all();
  const std::vector<Parameter*> copied_params = copied.network->params().all();
  ASSERT_EQ(mapped_params.size(), copied_params.size());
  for (size_t i = 0; i < mapped_params.size(); ++i) {
    SCOPED_TRACE(mapped_params[i]->name);
    EXPECT_TRUE(all_close(mapped_params[i]->value, copied_params[i]->value, 0, 0));
    EXPECT_EQ(file_mapped_at(mapped_params[i]->value.raw()), canonical);
    EXPECT_EQ(file_mapped_at(copied_params[i]->value.raw()).find(canonical), std::string::npos);
  }
  // A write to a mapped weight stays in this process.
  const std::string before = read_file(path);
  mapped_params.front()->value.fill(3.0f);
  EXPECT_EQ(read_file(path), before);
}

}  // namespace
}  // namespace ferry
