// Diagnostic: one problem found in a file a person wrote (config, catalog, plan, rules, CSV),
// located by file and 1-based line so that it can be printed as "file:line: reason".
#pragma once

#include <string>
#include <vector>

namespace chiso {

struct Diagnostic {
  std::string file;
  int line = 0;  // 1-based; 0 when the problem concerns the whole file
  std::string message;

  // "file:line: message" (or "file: message" when line is 0).
  std::string ToString() const;
};

using Diagnostics = std::vector<Diagnostic>;

}  // namespace chiso

namespace chiso {

// A text file a person wrote, already read into memory (from disk or from the copy embedded in
// the binary). `path` is what diagnostics print.
struct SourceFile {
  std::string path;
  std::string text;
};

}  // namespace chiso
