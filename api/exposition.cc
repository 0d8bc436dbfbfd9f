#include "api/exposition.h"

#include <charconv>
#include <cmath>

#include "common/labels.h"

namespace chiso::api {
namespace {

// HELP text: backslash and newline escaped (label values: AppendQuotedLabelValue).
void AppendHelp(std::string_view text, std::string* out) {
  for (char c : text) {
    if (c == '\\') {
      out->append("\\\\");
    } else if (c == '\n') {
      out->append("\\n");
    } else {
      out->push_back(c);
    }
  }
}

void AppendValue(double value, std::string* out) {
  if (std::isnan(value)) {
    out->append("NaN");
  } else if (std::isinf(value)) {
    out->append(value > 0 ? "+Inf" : "-Inf");
  } else {
    char buf[32];
    const auto [end, error] = std::to_chars(buf, buf + sizeof buf, value);
    out->append(buf, end);
  }
}

}  // namespace

void ExpositionWriter::Gauge(std::string_view name, std::string_view help) {
  name_ = name;
  help_ = help;
  header_written_ = false;
}

void ExpositionWriter::Sample(std::span<const Label> labels, double value) {
  if (!header_written_) {
    out_->append("# HELP ").append(name_).push_back(' ');
    AppendHelp(help_, out_);
    out_->append("\n# TYPE ").append(name_).append(" gauge\n");
    header_written_ = true;
  }
  out_->append(name_);
  if (!labels.empty()) {
    char separator = '{';
    for (const Label& label : labels) {
      out_->push_back(separator);
      out_->append(label.name).push_back('=');
      AppendQuotedLabelValue(*out_, label.value);
      separator = ',';
    }
    out_->push_back('}');
  }
  out_->push_back(' ');
  AppendValue(value, out_);
  out_->push_back('\n');
}

}  // namespace chiso::api
