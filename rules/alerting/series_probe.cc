#include "rules/alerting/series_probe.h"

#include <algorithm>

namespace chiso::rules {
namespace {

bool IsNameStart(char c, bool metric) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (metric && c == ':');
}

bool IsNameChar(char c, bool metric) { return IsNameStart(c, metric) || (c >= '0' && c <= '9'); }

// A cursor over the selector text; every error names the offset it was found at.
class SelectorParser {
 public:
  explicit SelectorParser(std::string_view text) : text_(text) {}

  Result<std::vector<LabelMatcher>> Parse() {
    std::vector<LabelMatcher> out;
    SkipSpace();
    const std::string metric = Name(/*metric=*/true);
    if (!metric.empty()) {
      out.push_back(LabelMatcher::Make(Op::kEqual, std::string(kMetricNameLabel), metric).value());
    }
    SkipSpace();
    if (Peek('{')) {
      ++at_;
      SkipSpace();
      while (!Peek('}')) {
        auto matcher = Matcher();
        if (!matcher.ok()) return matcher.status();
        if (matcher->name() == kMetricNameLabel && !metric.empty()) {
          return Error("the metric name is given twice");
        }
        out.push_back(std::move(matcher.value()));
        SkipSpace();
        if (Peek(',')) {
          ++at_;
          SkipSpace();
        } else if (!Peek('}')) {
          return Error("expected ',' or '}'");
        }
      }
      ++at_;
      SkipSpace();
    }
    if (at_ != text_.size()) return Error("unexpected '" + std::string(1, text_[at_]) + "'");
    if (out.empty()) return Error("a selector needs a metric name or matchers");
    if (std::all_of(out.begin(), out.end(), [](const LabelMatcher& m) { return m.Matches(""); })) {
      return Status::InvalidArgument(
          "selector must have a matcher that rejects the empty value (a metric name, or "
          "label=\"value\")");
    }
    return out;
  }

 private:
  using Op = LabelMatcher::Op;

  Result<LabelMatcher> Matcher() {
    const std::string name = Name(/*metric=*/false);
    if (name.empty()) return Error("expected a label name");
    SkipSpace();
    Op op;
    if (Consume("=~")) {
      op = Op::kRegexMatch;
    } else if (Consume("!~")) {
      op = Op::kRegexNoMatch;
    } else if (Consume("!=")) {
      op = Op::kNotEqual;
    } else if (Consume("=")) {
      op = Op::kEqual;
    } else {
      return Error("expected one of =, !=, =~, !~ after label '" + name + "'");
    }
    SkipSpace();
    auto value = Quoted();
    if (!value.ok()) return value.status();
    return LabelMatcher::Make(op, name, std::move(value.value()));
  }

  Result<std::string> Quoted() {
    if (at_ >= text_.size() || (text_[at_] != '"' && text_[at_] != '\'' && text_[at_] != '`')) {
      return Error("expected a quoted value");
    }
    const char quote = text_[at_++];
    std::string out;
    while (at_ < text_.size() && text_[at_] != quote) {
      char c = text_[at_++];
      if (c == '\\' && quote != '`') {
        if (at_ >= text_.size()) break;
        c = text_[at_++];
        if (c == 'n') {
          c = '\n';
        } else if (c == 't') {
          c = '\t';
        } else if (c != '\\' && c != '"' && c != '\'') {
          // Kept verbatim, so regex escapes like \d and \. reach the regex.
          out += '\\';
        }
      }
      out += c;
    }
    if (at_ >= text_.size()) return Error("value has no closing " + std::string(1, quote));
    ++at_;
    return out;
  }

  std::string Name(bool metric) {
    const std::size_t start = at_;
    if (at_ < text_.size() && IsNameStart(text_[at_], metric)) {
      while (at_ < text_.size() && IsNameChar(text_[at_], metric)) ++at_;
    }
    return std::string(text_.substr(start, at_ - start));
  }

  bool Peek(char c) const { return at_ < text_.size() && text_[at_] == c; }
  bool Consume(std::string_view token) {
    if (text_.substr(at_, token.size()) != token) return false;
    at_ += token.size();
    return true;
  }
  void SkipSpace() {
    while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t')) ++at_;
  }
  Status Error(const std::string& why) const {
    return Status::InvalidArgument(why + " at offset " + std::to_string(at_) + " of '" +
                                   std::string(text_) + "'");
  }

  std::string_view text_;
  std::size_t at_ = 0;
};

}  // namespace

Result<std::vector<LabelMatcher>> ParseSeriesSelector(std::string_view text) {
  return SelectorParser(text).Parse();
}

bool SelectsSeries(std::span<const LabelMatcher> matchers, const Labels& labels) {
  return std::all_of(matchers.begin(), matchers.end(), [&](const LabelMatcher& m) {
    return m.Matches(LabelValue(labels, m.name()));
  });
}

void MemorySeriesProbe::Add(Labels labels, const Reading& reading) {
  SortLabels(labels);
  auto [it, added] = latest_.try_emplace(std::move(labels), reading);
  if (!added && reading.at >= it->second.at) it->second = reading;
}

Result<std::vector<LatestSeriesValue>> MemorySeriesProbe::Latest(
    std::span<const LabelMatcher> matchers) const {
  std::vector<LatestSeriesValue> out;
  for (const auto& [labels, reading] : latest_) {
    if (SelectsSeries(matchers, labels)) out.push_back({labels, reading});
  }
  return out;
}

}  // namespace chiso::rules
