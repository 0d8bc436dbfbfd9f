#include "store/internal/info_log.h"

#include <sys/time.h>

#include <ctime>
#include <system_error>

namespace chiso::store_internal {

InfoLog::InfoLog(std::filesystem::path path) : path_(std::move(path)) {
  if (path_.empty()) return;
  MutexLock lock(&mu_);
  Rotate();
}

InfoLog::~InfoLog() {
  if (!closed_) Close().PermitUncheckedError();
}

void InfoLog::Rotate() {
  if (file_ != nullptr) std::fclose(file_);
  std::error_code ignored;
  std::filesystem::rename(path_, path_.string() + ".old", ignored);
  file_ = std::fopen(path_.c_str(), "we");
}

void InfoLog::Logv(const char* format, va_list ap) {
  if (path_.empty()) return;
  timeval now;
  ::gettimeofday(&now, nullptr);
  tm local;
  ::localtime_r(&now.tv_sec, &local);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y/%m/%d-%H:%M:%S", &local);
  MutexLock lock(&mu_);
  if (file_ == nullptr) return;
  if (std::ftell(file_) > kMaxBytes) {
    Rotate();
    if (file_ == nullptr) return;
  }
  std::fprintf(file_, "%s.%06ld ", stamp, static_cast<long>(now.tv_usec));
  std::vfprintf(file_, format, ap);
  std::fputc('\n', file_);
}

void InfoLog::Flush() {
  MutexLock lock(&mu_);
  if (file_ != nullptr) std::fflush(file_);
}

rocksdb::Status InfoLog::CloseImpl() {
  MutexLock lock(&mu_);
  if (file_ != nullptr) std::fclose(file_);
  file_ = nullptr;
  return rocksdb::Status::OK();
}

}  // namespace chiso::store_internal
