// Verification is a type (docs/ARCHITECTURE.md, convention 8): a Verified<T>
// can only be made by Verifier<T>, the one place that checks a T, so a
// function taking Verified<T> is proven by the compiler to see checked data.
//
// This generic piece belongs in src/common; it lives here until the common
// layer takes it (the tree was the first layer to need it).
#pragma once

#include <utility>

namespace mls {

// Specialised by each layer for the types it verifies; only the
// specialisation may construct Verified<T>.
template <typename T>
struct Verifier;

template <typename T>
class Verified {
 public:
  const T& operator*() const& { return value_; }
  const T* operator->() const { return &value_; }
  const T& get() const { return value_; }
  // Gives the value up (the verified state goes with it).
  T take() && { return std::move(value_); }

 private:
  explicit Verified(T value) : value_(std::move(value)) {}
  friend struct Verifier<T>;
  T value_;
};

}  // namespace mls
