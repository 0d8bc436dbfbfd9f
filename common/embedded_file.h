// A text file compiled into the binary by cmake/embed_files.cmake (the bundled configuration of
// app/, the web page of web/): its path relative to the repository root and its content.
#pragma once

#include <string_view>

namespace chiso {

struct EmbeddedFile {
  std::string_view path;
  std::string_view text;
};

}  // namespace chiso
