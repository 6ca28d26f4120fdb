#include "core/precision.h"

#include "core/context.h"
#include "util/error.h"

namespace ferry {

const char* precision_name(Precision precision) {
  switch (precision) {
    case Precision::kF32:
      return "f32";
    case Precision::kBf16:
      return "bf16";
    case Precision::kInt8:
      return "int8";
  }
  FERRY_THROW(InternalError, "unknown precision " << static_cast<int>(precision));
}

Precision parse_precision(const std::string& name) {
  for (const Precision p : {Precision::kF32, Precision::kBf16, Precision::kInt8})
    if (name == precision_name(p)) return p;
  FERRY_THROW(InputError, "unknown precision '" << name << "' (choose f32, bf16 or int8)");
}

Precision float_precision(Precision precision) {
  if (precision != Precision::kInt8) return precision;
  return Context::has_bf16_dot_products() ? Precision::kBf16 : Precision::kF32;
}

DType compute_type(Precision precision) {
  return float_precision(precision) == Precision::kBf16 ? DType::kBF16 : DType::kF32;
}

}  // namespace ferry
