// The web page's files (web/page/), compiled into the binary by cmake/embed_files.cmake.
#pragma once

#include <vector>

#include "common/embedded_file.h"

namespace chiso::web {

const std::vector<EmbeddedFile>& PageFiles();

}  // namespace chiso::web
