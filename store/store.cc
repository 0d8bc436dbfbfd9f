#include "store/store.h"

#include "store/internal/store_impl.h"

namespace chiso {

Result<std::unique_ptr<Store>> Store::Open(const StoreOptions& options) {
  return store_internal::StoreImpl::Open(options);
}

Status Store::Restore(const std::filesystem::path& backup_dir,
                      const std::filesystem::path& data_dir) {
  return store_internal::StoreImpl::Restore(backup_dir, data_dir);
}

Store::Store(std::unique_ptr<store_internal::StoreImpl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

Result<WriteSummary> Store::Write(const SampleBatch& batch) { return impl_->Write(batch, {}); }
Result<WriteSummary> Store::Write(const SampleBatch& batch, const StateBatch& with_state) {
  return impl_->Write(batch, with_state);
}

Result<std::vector<SeriesSamples>> Store::Select(std::span<const LabelMatcher> matchers,
                                                 TimestampMs from, TimestampMs to,
                                                 const QueryLimits& limits) const {
  return impl_->Select(matchers, from, to, limits);
}

Result<std::vector<LatestSample>> Store::Latest(std::span<const LabelMatcher> matchers,
                                                const QueryLimits& limits) const {
  return impl_->Latest(matchers, limits);
}

Result<std::vector<SeriesAudit>> Store::Audit(std::span<const LabelMatcher> matchers,
                                              TimestampMs from, TimestampMs to,
                                              const QueryLimits& limits) const {
  return impl_->Audit(matchers, from, to, limits);
}

std::vector<Labels> Store::FindSeries(std::span<const LabelMatcher> matchers) const {
  return impl_->FindSeries(matchers);
}

SeriesChanges Store::ChangedSeries(std::span<const LabelMatcher> matchers,
                                   std::uint64_t since) const {
  return impl_->ChangedSeries(matchers, since);
}

std::vector<std::string> Store::LabelNames() const { return impl_->LabelNames(); }

std::vector<std::string> Store::LabelValues(std::string_view name) const {
  return impl_->LabelValues(name);
}

Status Store::PutState(std::string_view space, std::string_view key, std::string_view value) {
  StateBatch batch;
  batch.Put(space, key, value);
  return impl_->WriteState(batch);
}

Status Store::DeleteState(std::string_view space, std::string_view key) {
  StateBatch batch;
  batch.Delete(space, key);
  return impl_->WriteState(batch);
}

Status Store::WriteState(const StateBatch& batch) { return impl_->WriteState(batch); }

Result<std::optional<std::string>> Store::GetState(std::string_view space,
                                                   std::string_view key) const {
  return impl_->GetState(space, key);
}

Result<std::vector<StateEntry>> Store::ScanState(std::string_view space,
                                                 std::string_view prefix) const {
  return impl_->ScanState(space, prefix);
}

Status Store::Backup(const std::filesystem::path& target_dir) const {
  return impl_->Backup(target_dir);
}

Result<RetentionSummary> Store::EnforceRetention() { return impl_->EnforceRetention(); }

Status Store::Compact() { return impl_->Compact(); }

StoreStats Store::Stats() const { return impl_->Stats(); }

}  // namespace chiso
