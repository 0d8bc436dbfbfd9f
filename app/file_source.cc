#include "app/file_source.h"

#include <fnmatch.h>
#include <glob.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "app/embedded_files.h"

namespace chiso::app {

std::string FileSource::Resolve(const std::string& relative_to, const std::string& path) const {
  if (!path.empty() && path[0] == '/') return path;
  const std::size_t slash = relative_to.rfind('/');
  return slash == std::string::npos ? path : relative_to.substr(0, slash + 1) + path;
}

Result<std::string> DiskFileSource::Read(const std::string& path) const {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read file '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> DiskFileSource::Glob(const std::string& pattern) const {
  glob_t matches{};
  std::vector<std::string> out;
  if (::glob(pattern.c_str(), 0, nullptr, &matches) == 0) {
    for (std::size_t i = 0; i < matches.gl_pathc; ++i) out.emplace_back(matches.gl_pathv[i]);
  }
  ::globfree(&matches);
  std::sort(out.begin(), out.end());
  return out;
}

Result<std::string> EmbeddedFileSource::Read(const std::string& path) const {
  for (const EmbeddedFile& file : EmbeddedFiles()) {
    if (file.path == path) return std::string(file.text);
  }
  return Status::NotFound("no embedded file '" + path + "'");
}

std::vector<std::string> EmbeddedFileSource::Glob(const std::string& pattern) const {
  std::vector<std::string> out;
  for (const EmbeddedFile& file : EmbeddedFiles()) {
    const std::string path(file.path);
    if (::fnmatch(pattern.c_str(), path.c_str(), FNM_PATHNAME) == 0) out.push_back(path);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace chiso::app
