// The write pipeline on a real store in a temporary directory, with a fake clock: outcomes,
// counts, what reaches the store and what the metrics count. The HTTP answers built from these
// results are tested in api/ingest_routes_test.cc.
#include "ingest/write_pipeline.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <memory>
#include <sstream>

#include "ingest/instant.h"
#include "ingest/testing/bodies.h"
#include "ingest/testing/fixtures.h"
#include "ingest/testing/xlsx_files.h"
#include "ingest/xlsx_sheet.h"
#include "store/testing/test_util.h"

namespace chiso::ingest {
namespace {

constexpr std::string_view kTwoReadings = R"({"readings":[
  {"indicator":"dvc_online_dossier_rate","unit":"gia_loc","value":72.5,"period":"2025-10"},
  {"indicator":"dvc_online_dossier_rate","unit":"gia_loc","value":120,"period":"2025-09"}]})";

class WritePipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = chiso::testing::OpenOrDie(chiso::testing::OptionsFor(dir_.path()));
    ASSERT_NE(store_, nullptr);
    Rebuild();
  }

  void Rebuild() { pipeline_ = std::make_unique<WritePipeline>(*store_, clock_, limits_, probe_); }

  WriteResult Write(WriteProtocol protocol, std::string_view body,
                    std::string_view content_encoding = "", bool dry_run = false) {
    WriteRequest request;
    request.protocol = protocol;
    request.body = body;
    request.content_encoding = content_encoding;
    request.principal = &writer_;
    request.catalog = catalog_.get();
    request.dry_run = dry_run;
    request.influx_precision = "s";
    request.endpoint = "/test";
    return pipeline_->Write(request);
  }

  std::size_t StoredSamples(const std::string& metric) {
    const std::vector<LabelMatcher> matchers{LabelMatcher::Equal("__name__", metric)};
    auto selected = store_->Select(matchers, kMinSampleTimestamp, kMaxSampleTimestamp);
    EXPECT_TRUE(selected.ok());
    std::size_t samples = 0;
    if (selected.ok()) {
      for (const SeriesSamples& series : *selected) samples += series.samples.size();
    }
    return samples;
  }

  std::string Metrics() {
    std::ostringstream out;
    prometheus::TextSerializer().Serialize(out, registry_.Collect());
    return out.str();
  }

  chiso::testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  FakeClock clock_{*ParseInstant("2025-11-22T08:00:00Z")};
  IngestLimits limits_;
  prometheus::Registry registry_;
  IngestProbe probe_{registry_};
  std::shared_ptr<const catalog::Catalog> catalog_ = testing::SmallCatalog();
  std::vector<ApiToken> tokens_ = testing::TestTokens();
  Principal writer_{&tokens_[0]};
  std::unique_ptr<WritePipeline> pipeline_;
};

TEST_F(WritePipelineTest, AValidBatchIsStoredAndCounted) {
  const WriteResult result =
      Write(WriteProtocol::kInflux, "dvc,unit=gia_loc received=12i,sent=3i 1761930000\n");
  EXPECT_EQ(result.outcome, WriteOutcome::kStored);
  EXPECT_EQ(result.accepted, 2u);
  EXPECT_EQ(result.stored, 2u);
  EXPECT_EQ(result.summary.inserted, 2u);
  EXPECT_TRUE(result.refused.empty());
  EXPECT_TRUE(result.message.empty());
  EXPECT_EQ(StoredSamples("dvc_received"), 1u);
  EXPECT_EQ(StoredSamples("dvc_sent"), 1u);
  EXPECT_NE(Metrics().find("chiso_ingest_samples_total{protocol=\"influx\"} 2"), std::string::npos);

  const WriteResult again =
      Write(WriteProtocol::kInflux, "dvc,unit=gia_loc received=12i,sent=3i 1761930000\n");
  EXPECT_EQ(again.summary.inserted, 0u);
  EXPECT_EQ(again.summary.unchanged, 2u);
}

TEST_F(WritePipelineTest, RefusedReadingsAreListedAndTheValidOnesStored) {
  const WriteResult result = Write(WriteProtocol::kJsonReadings, kTwoReadings);
  EXPECT_EQ(result.outcome, WriteOutcome::kPartlyRefused);
  EXPECT_EQ(result.accepted, 1u);
  EXPECT_EQ(result.stored, 1u);
  ASSERT_EQ(result.refused.size(), 1u);
  EXPECT_EQ(result.refused[0].position, 1u);
  EXPECT_EQ(result.refused[0].rejection.reason, RejectReason::kOutOfDomain);
  EXPECT_EQ(result.position_name, "index");
  EXPECT_EQ(result.listed_refusals, 1u);
  ASSERT_EQ(result.details.size(), 1u);
  EXPECT_EQ(result.details[0].rfind("readings[1]: value 120 is outside 0..100", 0), 0u)
      << result.details[0];
  EXPECT_EQ(result.message, "1 readings refused; 1 valid samples were stored");
  EXPECT_EQ(StoredSamples("chiso_indicator_reading"), 1u);
  EXPECT_NE(
      Metrics().find("chiso_ingest_rejected_total{protocol=\"json\",reason=\"out_of_domain\"} 1"),
      std::string::npos);
}

TEST_F(WritePipelineTest, AGzipBodyIsDecompressed) {
  const std::string body = testing::CompressBody(
      "indicator,unit,period,value\ndvc_online_dossier_rate,gia_loc,2025-11,74\n",
      ContentCoding::kGzip);
  const WriteResult result = Write(WriteProtocol::kCsvReadings, body, "gzip");
  EXPECT_EQ(result.outcome, WriteOutcome::kStored) << result.message;
  EXPECT_EQ(result.stored, 1u);
  EXPECT_EQ(StoredSamples("chiso_indicator_reading"), 1u);

  const WriteResult truncated =
      Write(WriteProtocol::kCsvReadings, body.substr(0, body.size() - 4), "gzip");
  EXPECT_EQ(truncated.outcome, WriteOutcome::kMalformed);
  EXPECT_EQ(truncated.status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(truncated.message.find("it is truncated"), std::string::npos) << truncated.message;
}

TEST_F(WritePipelineTest, AnUnsupportedCodingIsRefusedBeforeDecoding) {
  const WriteResult brotli = Write(WriteProtocol::kInflux, "dvc ok=1\n", "br");
  EXPECT_EQ(brotli.outcome, WriteOutcome::kUnsupportedCoding);
  EXPECT_EQ(brotli.accepted_codings, "gzip, deflate");
  EXPECT_EQ(brotli.message,
            "Content-Encoding \"br\" is not supported on /test; send gzip, deflate or no "
            "Content-Encoding; nothing was stored");

  const std::string remote_write = testing::EncodeRemoteWrite(
      {{{{"__name__", "dvc_dossiers_received_total"}}, {{clock_.Now(), 42}}}});
  const WriteResult gzip_rw =
      Write(WriteProtocol::kRemoteWrite, testing::CompressBody(remote_write, ContentCoding::kGzip),
            "gzip");
  EXPECT_EQ(gzip_rw.outcome, WriteOutcome::kUnsupportedCoding);
  EXPECT_EQ(gzip_rw.accepted_codings, "snappy");
  EXPECT_EQ(Write(WriteProtocol::kRemoteWrite, remote_write, "snappy").outcome,
            WriteOutcome::kStored);

  EXPECT_EQ(StoredSamples("dvc_ok"), 0u);
  EXPECT_NE(
      Metrics().find(
          "chiso_ingest_rejected_total{protocol=\"influx\",reason=\"unsupported_encoding\"} 1"),
      std::string::npos);
}

TEST_F(WritePipelineTest, TheInFlightGateRefusesContentPastItsBudget) {
  // The compressed body alone is admitted (nothing else is in flight); its content, counted on
  // top of it, is not.
  limits_.max_in_flight_bytes = 1000;
  Rebuild();
  std::string lines;
  for (int i = 0; i < 100; ++i) lines += "dvc,unit=gia_loc received=12i 1761930000\n";
  const std::string body = testing::CompressBody(lines, ContentCoding::kGzip);
  ASSERT_LT(body.size(), limits_.max_in_flight_bytes);

  const WriteResult result = Write(WriteProtocol::kInflux, body, "gzip");
  EXPECT_EQ(result.outcome, WriteOutcome::kOverloaded);
  EXPECT_EQ(result.retry_after_seconds, 1);
  EXPECT_EQ(result.message, "chiso is busy with other writes; retry shortly");
  EXPECT_EQ(StoredSamples("dvc_received"), 0u);
  EXPECT_NE(
      Metrics().find("chiso_ingest_rejected_total{protocol=\"influx\",reason=\"overloaded\"} 1"),
      std::string::npos);

  // The budget is released with the request: a small body fits again.
  EXPECT_EQ(Write(WriteProtocol::kInflux, "dvc,unit=gia_loc received=12i 1761930000\n").outcome,
            WriteOutcome::kStored);
}

TEST_F(WritePipelineTest, ARemoteWriteBodyCountsItsSnappyDecompressedSize) {
  // Repeated series compress well: the snappy body fits the budget, its message does not.
  std::vector<testing::RemoteSeries> series;
  for (int i = 0; i < 50; ++i) {
    series.push_back({{{"__name__", "dvc_dossiers_received_total"}, {"unit", "gia_loc"}},
                      {{clock_.Now() - i, 1.0}}});
  }
  const std::string body = testing::EncodeRemoteWrite(series);
  limits_.max_in_flight_bytes = 1000;
  Rebuild();
  ASSERT_LT(body.size(), limits_.max_in_flight_bytes);
  const WriteResult result = Write(WriteProtocol::kRemoteWrite, body);
  EXPECT_EQ(result.outcome, WriteOutcome::kOverloaded);
  EXPECT_EQ(result.retry_after_seconds, 1);
  EXPECT_EQ(StoredSamples("dvc_dossiers_received_total"), 0u);

  limits_.max_in_flight_bytes = 64 * 1024;
  Rebuild();
  EXPECT_EQ(Write(WriteProtocol::kRemoteWrite, body).outcome, WriteOutcome::kStored);
  EXPECT_EQ(StoredSamples("dvc_dossiers_received_total"), 50u);
}

TEST_F(WritePipelineTest, AnXlsxBodyCountsItsUnpackedSize) {
  // 300 rows: the workbook's XML deflates to a fraction of what it unpacks to.
  std::string csv = "indicator,unit,period,value\n";
  for (int month = 1; month <= 300; ++month) {
    const int of_year = (month - 1) % 12 + 1;
    csv += "dvc_online_dossier_rate,gia_loc," + std::to_string(2000 + (month - 1) / 12) +
           (of_year < 10 ? "-0" : "-") + std::to_string(of_year) + ",70\n";
  }
  const std::string xlsx = testing::XlsxFromCsvByLibreOffice(csv, "Số liệu");
  const std::size_t unpacked = *XlsxUnpackedSize(xlsx);
  ASSERT_GT(unpacked, 2 * xlsx.size());
  limits_.max_in_flight_bytes = unpacked;  // the body fits, the body and its content do not
  Rebuild();
  EXPECT_EQ(Write(WriteProtocol::kXlsxReadings, xlsx).outcome, WriteOutcome::kOverloaded);
  EXPECT_EQ(StoredSamples("chiso_indicator_reading"), 0u);

  limits_.max_in_flight_bytes = xlsx.size() + unpacked;
  Rebuild();
  const WriteResult result = Write(WriteProtocol::kXlsxReadings, xlsx);
  EXPECT_EQ(result.outcome, WriteOutcome::kStored) << result.message;
  EXPECT_EQ(StoredSamples("chiso_indicator_reading"), 300u);
}

TEST_F(WritePipelineTest, ARemoteWrite2BodyIsRefusedUndecoded) {
  const std::string body = testing::EncodeRemoteWrite(
      {{{{"__name__", "dvc_dossiers_received_total"}, {"unit", "gia_loc"}}, {{clock_.Now(), 1}}}});
  const auto write = [&](std::string_view content_type) {
    WriteRequest request;
    request.protocol = WriteProtocol::kRemoteWrite;
    request.body = body;
    request.content_type = content_type;
    request.principal = &writer_;
    request.catalog = catalog_.get();
    return pipeline_->Write(request);
  };
  const WriteResult v2 = write("application/x-protobuf;proto=io.prometheus.write.v2.Request");
  EXPECT_EQ(v2.outcome, WriteOutcome::kUnsupportedMediaType);
  EXPECT_NE(v2.message.find("proto=prometheus.WriteRequest"), std::string::npos) << v2.message;
  EXPECT_EQ(StoredSamples("dvc_dossiers_received_total"), 0u);
  EXPECT_NE(Metrics().find("chiso_ingest_rejected_total{protocol=\"remote_write\",reason="
                           "\"unsupported_media_type\"} 1"),
            std::string::npos);
  EXPECT_EQ(write("application/x-protobuf; Proto=\"io.prometheus.write.v2.Request\"").outcome,
            WriteOutcome::kUnsupportedMediaType);

  EXPECT_EQ(write("application/x-protobuf;proto=prometheus.WriteRequest").outcome,
            WriteOutcome::kStored);
  EXPECT_EQ(write("application/x-protobuf").outcome, WriteOutcome::kStored);
  EXPECT_EQ(write("").outcome, WriteOutcome::kStored);
}

TEST_F(WritePipelineTest, ATokenOverItsRateIsToldWhenToRetry) {
  limits_.rate_samples_per_second = 1;
  limits_.rate_burst_seconds = 2;
  Rebuild();
  // Admitted in credit, leaving the token one sample in debt.
  EXPECT_EQ(Write(WriteProtocol::kInflux, "m a=1,b=2,c=3\n").outcome, WriteOutcome::kStored);
  const WriteResult limited = Write(WriteProtocol::kInflux, "m a=1,b=2\n");
  EXPECT_EQ(limited.outcome, WriteOutcome::kRateLimited);
  EXPECT_EQ(limited.retry_after_seconds, 1);
  EXPECT_EQ(limited.message,
            "token 'writer' is over its rate of 1 samples/s; retry after 1 s; nothing was stored");
  EXPECT_EQ(StoredSamples("m_a"), 1u);
  EXPECT_NE(
      Metrics().find("chiso_ingest_rejected_total{protocol=\"influx\",reason=\"rate_limited\"} 2"),
      std::string::npos);

  clock_.Advance(1000);
  EXPECT_EQ(Write(WriteProtocol::kInflux, "m a=1\n").outcome, WriteOutcome::kStored);
}

TEST_F(WritePipelineTest, ADryRunValidatesAndStoresNothing) {
  const WriteResult result = Write(WriteProtocol::kJsonReadings, kTwoReadings, "", true);
  EXPECT_EQ(result.outcome, WriteOutcome::kPartlyRefused);
  EXPECT_TRUE(result.dry_run);
  EXPECT_EQ(result.accepted, 1u);
  EXPECT_EQ(result.stored, 0u);
  EXPECT_EQ(result.summary.inserted, 0u);
  EXPECT_EQ(result.message, "1 readings refused; dry run: nothing was stored");
  EXPECT_EQ(StoredSamples("chiso_indicator_reading"), 0u);
  EXPECT_EQ(Metrics().find("chiso_ingest_samples_total{protocol=\"json\"}"), std::string::npos);

  // Only readings have a dry run: the raw-series protocols store as usual.
  const WriteResult influx = Write(WriteProtocol::kInflux, "m a=1\n", "", true);
  EXPECT_FALSE(influx.dry_run);
  EXPECT_EQ(StoredSamples("m_a"), 1u);
}

TEST_F(WritePipelineTest, OversizedAndUnreadableBodiesStoreNothing) {
  limits_.max_items_per_request = 1;
  Rebuild();
  const WriteResult too_large = Write(WriteProtocol::kJsonReadings, kTwoReadings);
  EXPECT_EQ(too_large.outcome, WriteOutcome::kTooLarge);
  EXPECT_EQ(too_large.status.code(), StatusCode::kResourceExhausted);
  EXPECT_NE(too_large.message.find("; nothing was stored"), std::string::npos);

  const WriteResult precision = [&] {
    WriteRequest request;
    request.protocol = WriteProtocol::kInflux;
    request.body = "m a=1\n";
    request.principal = &writer_;
    request.influx_precision = "sec";
    return pipeline_->Write(request);
  }();
  EXPECT_EQ(precision.outcome, WriteOutcome::kMalformed);
  EXPECT_EQ(StoredSamples("chiso_indicator_reading"), 0u);
  EXPECT_EQ(StoredSamples("m_a"), 0u);
}

}  // namespace
}  // namespace chiso::ingest
