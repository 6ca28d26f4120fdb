#include "core/tensor.h"

#include <algorithm>
#include <cstring>
#include <sstream>
#include <utility>

#include "core/context.h"
#include "util/error.h"
#include "util/zeroed_block.h"

namespace ferry {

struct Tensor::Storage {
  ZeroedBlock block;    // the bytes; only their address when not owned
  size_t capacity = 0;  // bytes
  bool owned = true;
  std::shared_ptr<const void> keep;  // what owns the bytes of a view, if anything
  ~Storage() {
    if (owned) release(block);
  }
};

size_t dtype_size(DType dtype) {
  switch (dtype) {
    case DType::kF32: return 4;
    case DType::kBF16: return 2;
    case DType::kS8: return 1;
  }
  return 0;
}

dnnl::memory::data_type to_dnnl(DType dtype) {
  switch (dtype) {
    case DType::kF32: return dnnl::memory::data_type::f32;
    case DType::kBF16: return dnnl::memory::data_type::bf16;
    case DType::kS8: return dnnl::memory::data_type::s8;
  }
  return dnnl::memory::data_type::undef;
}

std::string dims_text(const Dims& dims) {
  std::ostringstream out;
  out << "[";
  for (size_t i = 0; i < dims.size(); ++i) out << (i ? ", " : "") << dims[i];
  out << "]";
  return out.str();
}

int64_t product(const Dims& dims) {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  return n;
}

Tensor::Tensor(const Dims& dims, DType dtype) : dims_(dims), dtype_(dtype) {
  for (int64_t d : dims) FERRY_CHECK(d >= 0, InternalError, "negative dimension in " << dims_text(dims));
  storage_ = std::make_shared<Storage>();
  storage_->capacity = bytes();
  storage_->block = allocate_zeroed(storage_->capacity);
}

Tensor Tensor::wrap(void* data, const Dims& dims, DType dtype) {
  Tensor t;
  t.dims_ = dims;
  t.dtype_ = dtype;
  t.storage_ = std::make_shared<Storage>();
  t.storage_->block.data = data;
  t.storage_->capacity = t.bytes();
  t.storage_->owned = false;
  return t;
}

Tensor Tensor::view(std::shared_ptr<const void> keep, void* data, const Dims& dims, DType dtype) {
  Tensor t = wrap(data, dims, dtype);
  t.storage_->keep = std::move(keep);
  return t;
}

int64_t Tensor::dim(int axis) const {
  const int r = rank();
  const int a = axis < 0 ? axis + r : axis;
  FERRY_CHECK(a >= 0 && a < r, InternalError, "axis " << axis << " out of range for dims " << dims_text(dims_));
  return dims_[a];
}

void* Tensor::base() const {
  return storage_ ? static_cast<char*>(storage_->block.data) + offset_ : nullptr;
}

float* Tensor::data() {
  FERRY_CHECK(dtype_ == DType::kF32, InternalError, "f32 access to a tensor of another element type");
  return static_cast<float*>(base());
}

const float* Tensor::data() const {
  FERRY_CHECK(dtype_ == DType::kF32, InternalError, "f32 access to a tensor of another element type");
  return static_cast<const float*>(base());
}

void Tensor::resize(const Dims& dims) {
  if (dims == dims_ && storage_) return;
  const size_t needed = static_cast<size_t>(product(dims)) * dtype_size(dtype_);
  if (!storage_ || storage_->capacity < needed + offset_) {
    // Growth leaves headroom, so that buffers following varying batch shapes settle after a few steps.
    const size_t old_capacity = storage_ ? storage_->capacity : 0;
    const size_t capacity = std::max(needed + needed / 4, old_capacity + old_capacity / 2);
    auto storage = std::make_shared<Storage>();
    storage->capacity = capacity;
    storage->block = allocate_zeroed(capacity);
    storage_ = std::move(storage);
    offset_ = 0;
  }
  dims_ = dims;
  memory_ = dnnl::memory();
}

Tensor Tensor::reshaped(const Dims& dims) const {
  FERRY_CHECK(product(dims) == numel(), InternalError,
              "cannot reshape " << dims_text(dims_) << " to " << dims_text(dims));
  // Field by field: memory_ is not read, so another thread may be caching this tensor's view meanwhile.
  Tensor t;
  t.storage_ = storage_;
  t.offset_ = offset_;
  t.dims_ = dims;
  t.dtype_ = dtype_;
  return t;
}

Tensor Tensor::slice(int64_t begin, int64_t end) const {
  FERRY_CHECK(rank() >= 1 && begin >= 0 && begin <= end && end <= dims_[0], InternalError,
              "slice [" << begin << ", " << end << ") out of range for " << dims_text(dims_));
  Tensor t = *this;
  const int64_t row = dims_[0] == 0 ? 0 : numel() / dims_[0];
  t.offset_ += static_cast<size_t>(begin * row) * dtype_size(dtype_);
  t.dims_[0] = end - begin;
  t.memory_ = dnnl::memory();
  return t;
}

Tensor Tensor::clone() const {
  Tensor t(dims_, dtype_);
  if (bytes()) std::memcpy(t.base(), base(), bytes());
  return t;
}

void Tensor::zero() {
  if (bytes()) std::memset(base(), 0, bytes());
}

void Tensor::fill(float value) {
  float* p = data();
  const int64_t n = numel();
  for (int64_t i = 0; i < n; ++i) p[i] = value;
}

void Tensor::copy_from(const Tensor& other) {
  FERRY_CHECK(other.numel() == numel() && other.dtype_ == dtype_, InternalError,
              "copy between " << dims_text(other.dims_) << " and " << dims_text(dims_));
  if (bytes() && base() != other.base()) std::memmove(base(), other.base(), bytes());
}

dnnl::memory::desc Tensor::desc() const {
  Dims strides(dims_.size(), 1);
  for (int i = rank() - 2; i >= 0; --i) strides[i] = strides[i + 1] * dims_[i + 1];
  return dnnl::memory::desc(dims_, to_dnnl(dtype_), strides);
}

const dnnl::memory& Tensor::memory() const {
  if (!memory_) memory_ = dnnl::memory(desc(), Context::get().engine(), base());
  return memory_;
}

void check_dims(const Tensor& tensor, const Dims& expected, const char* what) {
  FERRY_CHECK(tensor.dims() == expected, InternalError,
              what << ": expected dims " << dims_text(expected) << ", got " << dims_text(tensor.dims()));
}

}  // namespace ferry
