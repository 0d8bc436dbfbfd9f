// Where configuration files come from: the disk, or the copy of deploy/ embedded in the binary
// (so `chiso serve` with no config works from any directory). Both answer the same two
// questions, so the config loader does not care which one it reads.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"

namespace chiso::app {

class FileSource {
 public:
  virtual ~FileSource() = default;
  // The whole file; NotFound naming the path when it does not exist or cannot be read.
  virtual Result<std::string> Read(const std::string& path) const = 0;
  // Paths matching a shell pattern (*, ?, [..]; '*' does not cross '/'), sorted.
  virtual std::vector<std::string> Glob(const std::string& pattern) const = 0;
  // Resolves `path` written in file `relative_to` (paths in a config are relative to it).
  virtual std::string Resolve(const std::string& relative_to, const std::string& path) const;
};

class DiskFileSource final : public FileSource {
 public:
  Result<std::string> Read(const std::string& path) const override;
  std::vector<std::string> Glob(const std::string& pattern) const override;
};

// The files of deploy/ compiled into the binary, named as in the repository
// ("deploy/chiso.yaml", "deploy/catalog/units.yaml", …).
class EmbeddedFileSource final : public FileSource {
 public:
  static constexpr const char* kDefaultConfig = "deploy/chiso.yaml";
  Result<std::string> Read(const std::string& path) const override;
  std::vector<std::string> Glob(const std::string& pattern) const override;
};

}  // namespace chiso::app
