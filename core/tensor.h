// Tensor: a dense, row-major (plain layout) array of f32, bf16 or int8 values over shared storage, viewable as a
// dnnl::memory. Copies share storage (like a handle); use clone() for a deep copy.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <oneapi/dnnl/dnnl.hpp>

namespace ferry {

using Dims = std::vector<int64_t>;

enum class DType { kF32, kBF16, kS8 };  // kS8: 8-bit integers of quantized products

size_t dtype_size(DType dtype);
dnnl::memory::data_type to_dnnl(DType dtype);
std::string dims_text(const Dims& dims);  // "[2, 3, 4]"
int64_t product(const Dims& dims);

class Tensor {
 public:
  Tensor() = default;
  // Allocates a zero-filled tensor (64-byte aligned).
  explicit Tensor(const Dims& dims, DType dtype = DType::kF32);
  // A non-owning view of `data`; the caller keeps the data alive.
  static Tensor wrap(void* data, const Dims& dims, DType dtype = DType::kF32);
  // A view of `data` that keeps `keep` (what owns the data) alive as long as any handle to it.
  static Tensor view(std::shared_ptr<const void> keep, void* data, const Dims& dims, DType dtype = DType::kF32);

  const Dims& dims() const { return dims_; }
  int rank() const { return static_cast<int>(dims_.size()); }
  int64_t dim(int axis) const;  // negative axes count from the end
  int64_t numel() const { return product(dims_); }
  DType dtype() const { return dtype_; }
  size_t bytes() const { return static_cast<size_t>(numel()) * dtype_size(dtype_); }
  // True for a default-constructed tensor (no storage) and for zero elements.
  bool empty() const { return !storage_ || numel() == 0; }

  // f32 element access (InternalError for a bf16 tensor).
  float* data();
  const float* data() const;
  void* raw() { return base(); }
  const void* raw() const { return base(); }

  // Gives the tensor new dims, keeping its storage when large enough (contents are then unspecified), else
  // allocating new zeroed storage with room to grow. Other handles to the old storage are not affected
  // by a reallocation.
  void resize(const Dims& dims);
  // A handle on the same storage with other dims of the same element count. Safe while another thread uses
  // this tensor (it reads nothing that use changes).
  Tensor reshaped(const Dims& dims) const;
  // Rows [begin, end) along axis 0, sharing storage.
  Tensor slice(int64_t begin, int64_t end) const;
  // A deep copy.
  Tensor clone() const;

  void zero();
  void fill(float value);
  // Copies the elements of `other` (same element count and dtype).
  void copy_from(const Tensor& other);

  // The plain-layout memory descriptor and a dnnl::memory over this storage (made once per shape).
  dnnl::memory::desc desc() const;
  const dnnl::memory& memory() const;

 private:
  struct Storage;
  void* base() const;

  std::shared_ptr<Storage> storage_;
  size_t offset_ = 0;  // bytes into the storage
  Dims dims_;
  DType dtype_ = DType::kF32;
  mutable dnnl::memory memory_;  // cached view; reset when dims change
};

// Throws InternalError naming `what` unless `tensor` has exactly these dims.
void check_dims(const Tensor& tensor, const Dims& expected, const char* what);

}  // namespace ferry
