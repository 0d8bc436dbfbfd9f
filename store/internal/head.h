// Head: the fresh samples of every series, held in memory until a drain moves them into blocks
// and records (draining.cc).
//
// A fresh sample is a plain one (revision 0, no comment) newer than everything its series held
// when it was written: the usual sample of a steady stream. Instead of one RocksDB record (and
// one memtable insert) each, the fresh samples of one write go to the `head` key space as one
// entry, the head log below, and to this table; a record of the same instant (a later
// correction) takes precedence over the head's sample, as over a sealed one. Open replays the
// head log into the table. A drain writes the dense runs of each series' samples as blocks and
// deletes the log entries, in one atomic batch; what SplitForDrain leaves (the last sample,
// sparse days) becomes records or stays in the head.
//
// Head log entry (value of the head key space; key HeadKey(sequence)), per sample in order:
//   series   varint series id
//   time     zigzag varint of the timestamp minus the previous sample's of the entry (0 first)
//   record   EncodeSampleRecord of the plain sample
//
// Not thread-safe: StoreImpl guards it like the series index.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/internal/keys.h"
#include "store/internal/sample_block.h"

namespace chiso::store_internal {

// Appends `sample` of series `id` to a head log entry; `previous` carries the entry's previous
// timestamp (0 before the first sample).
void AppendHeadLogSample(SeriesId id, const BlockSample& sample, TimestampMs& previous,
                         std::string& entry);
// The samples of a head log entry, appended to `samples`; false when it is malformed.
bool DecodeHeadLogEntry(std::string_view entry,
                        std::vector<std::pair<SeriesId, BlockSample>>& samples);

// How a drain divides the samples of one series (ascending): the samples of one window, at least
// kMinSamplesToSeal of them, form a block; the series' last sample (which Latest and Open find in
// the head or the samples key space, never in a block) and the samples of sparser windows are
// the rest.
struct DrainSplit {
  std::vector<std::span<const BlockSample>> blocks;
  std::vector<BlockSample> rest;  // ascending
};
DrainSplit SplitForDrain(std::span<const BlockSample> samples);

class Head;
// SplitForDrain of every series of `head`, by ascending series id (the order of their keys).
// The spans point into `head`.
std::vector<std::pair<SeriesId, DrainSplit>> SplitHeadForDrain(const Head& head);

class Head {
 public:
  // `sample` must be newer than every sample of `id` in the head.
  void Append(SeriesId id, const BlockSample& sample);
  // The head's sample of `id` at `timestamp`, or null. Valid until the head next changes.
  const BlockSample* Find(SeriesId id, TimestampMs timestamp) const;
  // The samples of `id`, ascending (empty when it has none).
  std::span<const BlockSample> Of(SeriesId id) const;
  // The samples of `id` with from <= timestamp <= to, appended to `out`.
  void CopyRange(SeriesId id, TimestampMs from, TimestampMs to,
                 std::vector<BlockSample>& out) const;
  // Series holding samples, in the order they got their first one.
  const std::vector<SeriesId>& series() const { return occupied_; }
  std::size_t samples() const { return samples_; }
  // Whether a record may replace one of the samples of `id` (a correction written since the last
  // Clear, or a head replayed at Open): a sample found here is then not known to be the stored
  // one, and a drain must not write over such a record. corrected() asks it of any series.
  bool corrected(SeriesId id) const { return id < corrected_.size() && corrected_[id]; }
  bool corrected() const { return any_corrected_; }
  void MarkCorrected(SeriesId id);
  // Empties the head and releases its memory.
  void Clear();
  // Moves every sample out into the head returned.
  Head TakeAll();
  // Puts the samples of `older` (a head taken out by TakeAll) back before this head's own; a
  // sample of this head at an instant of `older` (taken out and kept) is there once.
  void Restore(const Head& older);

 private:
  std::vector<std::vector<BlockSample>> by_series_;  // indexed by series id
  std::vector<SeriesId> occupied_;
  std::size_t samples_ = 0;
  std::vector<bool> corrected_;  // indexed by series id
  bool any_corrected_ = false;
};

}  // namespace chiso::store_internal
