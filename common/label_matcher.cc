#include "common/label_matcher.h"

#include <algorithm>
#include <optional>
#include <regex>
#include <vector>

namespace chiso {

// A regex is either a plain alternation of literals ("gia_loc|nghia_dan", what Grafana sends for
// multi-value variables), matched by comparison, or a compiled std::regex.
struct LabelMatcher::Pattern {
  std::vector<std::string> literals;
  std::optional<std::regex> regex;
};

namespace {

constexpr std::string_view kRegexSpecials = ".*+?()[]{}^$\\";

}  // namespace

LabelMatcher::LabelMatcher(Op op, std::string name, std::string value,
                           std::shared_ptr<const Pattern> pattern)
    : op_(op), name_(std::move(name)), value_(std::move(value)), pattern_(std::move(pattern)) {}

Result<LabelMatcher> LabelMatcher::Make(Op op, std::string name, std::string value) {
  if (name.empty()) return Status::InvalidArgument("label matcher has an empty label name");
  if (op == Op::kEqual || op == Op::kNotEqual) {
    return LabelMatcher(op, std::move(name), std::move(value), nullptr);
  }
  auto pattern = std::make_shared<Pattern>();
  if (value.find_first_of(kRegexSpecials) == std::string::npos) {
    std::string_view rest = value;
    while (true) {
      const auto bar = rest.find('|');
      pattern->literals.emplace_back(rest.substr(0, bar));
      if (bar == std::string_view::npos) break;
      rest.remove_prefix(bar + 1);
    }
  } else {
    try {
      // libstdc++'s breadth-first (Thompson NFA) executor: time linear in the value, stack depth
      // bounded by the expression, so no expression or label value can hang or crash a query
      // (the default backtracking executor recurses per character and backtracks exponentially).
      pattern->regex.emplace(value, std::regex::ECMAScript | std::regex_constants::__polynomial);
    } catch (const std::regex_error& error) {
      return Status::InvalidArgument("invalid regular expression for label \"" + name + "\": \"" +
                                     value + "\": " + error.what());
    }
  }
  return LabelMatcher(op, std::move(name), std::move(value), std::move(pattern));
}

LabelMatcher LabelMatcher::Equal(std::string name, std::string value) {
  return LabelMatcher(Op::kEqual, std::move(name), std::move(value), nullptr);
}

LabelMatcher LabelMatcher::NotEqual(std::string name, std::string value) {
  return LabelMatcher(Op::kNotEqual, std::move(name), std::move(value), nullptr);
}

bool LabelMatcher::Matches(std::string_view value) const {
  switch (op_) {
    case Op::kEqual:
      return value == value_;
    case Op::kNotEqual:
      return value != value_;
    case Op::kRegexMatch:
    case Op::kRegexNoMatch:
      break;
  }
  bool matched;
  if (pattern_->regex) {
    matched = std::regex_match(value.begin(), value.end(), *pattern_->regex);
  } else {
    const auto& literals = pattern_->literals;
    matched = std::find(literals.begin(), literals.end(), value) != literals.end();
  }
  return op_ == Op::kRegexMatch ? matched : !matched;
}

std::string LabelMatcher::ToString() const {
  static constexpr std::string_view kOps[] = {"=", "!=", "=~", "!~"};
  std::string out = name_;
  out.append(kOps[static_cast<int>(op_)]);
  out.push_back('"');
  for (char c : value_) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace chiso
