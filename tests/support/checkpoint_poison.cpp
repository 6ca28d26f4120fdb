#include "support/checkpoint_poison.h"

#include <limits>

#include "core/archive.h"
#include "train/checkpoint.h"

namespace ferry {

void poison_checkpoint_parameter(const std::string& path, const std::string& name, int64_t index) {
  const Archive saved = Archive::read(path, kCheckpointMagic, kCheckpointFormatVersion);
  ArchiveWriter poisoned;
  for (const std::string& entry : saved.names()) {
    if (entry.rfind("param/", 0) != 0 && entry.rfind("optimizer/", 0) != 0) {
      poisoned.add_blob(entry, saved.blob(entry));
      continue;
    }
    Tensor t = saved.tensor(entry);
    if (entry == "param/" + name) t.data()[index] = std::numeric_limits<float>::quiet_NaN();
    poisoned.add_tensor(entry, t);
  }
  poisoned.write(path, kCheckpointMagic, kCheckpointFormatVersion);
}

}  // namespace ferry
