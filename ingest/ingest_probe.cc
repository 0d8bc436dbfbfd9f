#include "ingest/ingest_probe.h"

namespace chiso::ingest {

IngestProbe::IngestProbe(prometheus::Registry& registry)
    : samples_(prometheus::BuildCounter()
                   .Name("chiso_ingest_samples_total")
                   .Help("Samples stored by the write endpoints, by protocol.")
                   .Register(registry)),
      rejected_(prometheus::BuildCounter()
                    .Name("chiso_ingest_rejected_total")
                    .Help("Items (readings, rows, lines, series) or whole requests refused, by "
                          "protocol and reason.")
                    .Register(registry)) {}

void IngestProbe::Stored(std::string_view protocol, std::size_t samples) {
  samples_.Add({{"protocol", std::string(protocol)}}).Increment(static_cast<double>(samples));
}

void IngestProbe::Refused(std::string_view protocol, std::string_view reason, std::size_t count) {
  rejected_.Add({{"protocol", std::string(protocol)}, {"reason", std::string(reason)}})
      .Increment(static_cast<double>(count));
}

}  // namespace chiso::ingest
