// Error types and exit codes: every failure the user can cause is an InputError (exit 2);
// anything else that escapes is an internal error (exit 1).
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

namespace ferry {

enum ExitCode : int { kExitOk = 0, kExitInternal = 1, kExitBadInput = 2 };

// Base of the toolkit's errors; the message carries the context (what, where, which value).
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  virtual int exit_code() const { return kExitInternal; }
};

// Something the user gave us is wrong: a config, a corpus, a model file, an option.
class InputError : public Error {
 public:
  using Error::Error;
  int exit_code() const override { return kExitBadInput; }
};

class ConfigError : public InputError {
 public:
  using InputError::InputError;
};

class DataError : public InputError {
 public:
  using InputError::InputError;
};

class ModelFileError : public InputError {
 public:
  using InputError::InputError;
};

// A broken internal invariant (a bug), never caused by input.
class InternalError : public Error {
 public:
  using Error::Error;
};

}  // namespace ferry

// Throws Type with a message built by streaming the arguments: FERRY_THROW(DataError, "bad line " << n).
#define FERRY_THROW(Type, message)         \
  do {                                     \
    std::ostringstream ferry_message_;     \
    ferry_message_ << message;             \
    throw Type(ferry_message_.str());      \
  } while (0)

// Throws Type with the message unless the condition holds.
#define FERRY_CHECK(condition, Type, message) \
  do {                                        \
    if (!(condition)) FERRY_THROW(Type, message); \
  } while (0)
