// A small trained model for translation tests: configs/tiny.yaml trained by build/bin/train into a folder.
#pragma once

#include <string>

#include "support/temp_dir.h"

namespace ferry {

// Trains the tiny config (corpus from Multi30k, subword models and run folder inside `dir`) and returns the
// path of its model.bin; throws (failing the test) if training fails. One thread, a few seconds.
std::string train_tiny_model(const TempDir& dir);

}  // namespace ferry
