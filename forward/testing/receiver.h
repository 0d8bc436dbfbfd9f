// RemoteWriteReceiver: a real HTTP server on 127.0.0.1 (port 0) for forward/ tests. It answers
// each POST with the next scripted answer (then with what the answering rule says, else 204), and
// keeps every request it read: its headers and its body decoded as a snappy remote-write
// WriteRequest.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/write_request.h"

namespace chiso::forward::testing {

struct ScriptedAnswer {
  unsigned status = 204;
  std::string retry_after;  // sent as Retry-After when not empty
};

struct ReceivedRequest {
  std::map<std::string, std::string> headers;  // names lower-cased
  std::vector<WriteRequestSeries> series;      // empty when the body did not decode
};

class RemoteWriteReceiver {
 public:
  RemoteWriteReceiver();  // listening when constructed
  ~RemoteWriteReceiver();
  RemoteWriteReceiver(const RemoteWriteReceiver&) = delete;
  RemoteWriteReceiver& operator=(const RemoteWriteReceiver&) = delete;

  std::string url() const;  // http://127.0.0.1:PORT/api/v1/write
  void Script(std::vector<ScriptedAnswer> answers);
  // The status of a request once the script is used up (e.g. 503 for some series); unset: 204.
  void AnswerBy(std::function<unsigned(const ReceivedRequest&)> rule);
  std::vector<ReceivedRequest> requests() const;
  // The samples of every request answered 2xx, per series text (LabelsToString).
  std::map<std::string, std::vector<std::pair<TimestampMs, double>>> Accepted() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace chiso::forward::testing
