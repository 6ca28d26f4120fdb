// libFuzzer target: the reader of model and checkpoint files (magic, version, entry table, checksum), then
// every entry read as a blob or a tensor, and a model file's config and decoding section as translate reads
// them. Damaged input must be refused with a ferry::Error.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "core/archive.h"
#include "model/model_file.h"
#include "train/checkpoint.h"
#include "translate/decode_config.h"
#include "util/error.h"
#include "util/file_io.h"

namespace {

void read_entries(const ferry::Archive& archive) {
  for (const std::string& name : archive.names()) {
    if (name.rfind("param/", 0) == 0 || name.rfind("optimizer/", 0) == 0) {
      archive.tensor(name);
    } else {
      archive.blob(name);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  // The checksum would stop almost every mutation at the door: the input's last four bytes are set to the
  // checksum of the rest, so that mutations reach the entry table and the entries behind it.
  if (bytes.size() >= 4) {
    const uint32_t crc = ferry::crc32_of(bytes.data(), bytes.size() - 4);
    std::memcpy(&bytes[bytes.size() - 4], &crc, sizeof crc);
  }
  for (const bool checkpoint : {false, true}) {
    try {
      const ferry::Archive archive =
          checkpoint ? ferry::Archive::parse(bytes, "fuzz", ferry::kCheckpointMagic, ferry::kCheckpointFormatVersion)
                     : ferry::Archive::parse(bytes, "fuzz", ferry::kModelMagic, ferry::kModelFormatVersion);
      read_entries(archive);
      if (archive.has("config")) ferry::decode_config_of_model(archive.blob("config"), "fuzz");
    } catch (const ferry::Error&) {
    }
  }
  return 0;
}
