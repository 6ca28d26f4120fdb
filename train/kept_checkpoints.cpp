#include "train/kept_checkpoints.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "util/error.h"
#include "util/file_io.h"

namespace ferry {
namespace {

constexpr const char* kPrefix = "checkpoint-";
constexpr const char* kSuffix = ".bin";

std::filesystem::path folder_of(const std::string& path) {
  const std::filesystem::path p(path);
  return p.has_parent_path() ? p.parent_path() : std::filesystem::path(".");
}

}  // namespace

std::string kept_checkpoint_path(const std::string& checkpoint_path, int64_t step) {
  return (folder_of(checkpoint_path) / (kPrefix + std::to_string(step) + kSuffix)).string();
}

std::vector<std::pair<int64_t, std::string>> kept_checkpoints(const std::string& folder) {
  const std::string prefix = kPrefix, suffix = kSuffix;
  std::vector<std::pair<int64_t, std::string>> kept;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    const std::string name = entry.path().filename().string();
    if (name.size() <= prefix.size() + suffix.size() || name.compare(0, prefix.size(), prefix) != 0 ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
      continue;
    const std::string digits = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
    if (digits.size() > 18 || digits.find_first_not_of("0123456789") != std::string::npos) continue;
    kept.emplace_back(std::stoll(digits), entry.path().string());
  }
  std::sort(kept.begin(), kept.end());
  return kept;
}

void keep_checkpoint(const std::string& checkpoint_path, int64_t step, int64_t keep) {
  const std::string kept = kept_checkpoint_path(checkpoint_path, step);
  std::error_code error;
  std::filesystem::remove(kept, error);  // a kept checkpoint of this step from a run resumed before it
  std::filesystem::create_hard_link(checkpoint_path, kept, error);
  if (error) {
    // A file system without hard links: a copy, written as atomically as the checkpoint itself.
    write_file_atomic(kept, read_file(checkpoint_path));
  }
  const auto all = kept_checkpoints(folder_of(checkpoint_path).string());
  const size_t excess = all.size() > static_cast<size_t>(keep) ? all.size() - static_cast<size_t>(keep) : 0;
  for (size_t i = 0; i < excess; ++i) {
    if (!std::filesystem::remove(all[i].second, error) || error) {
      FERRY_THROW(InputError,
                  "cannot remove the old kept checkpoint '" << all[i].second << "': " << error.message());
    }
  }
}

}  // namespace ferry
