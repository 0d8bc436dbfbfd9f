// LabelMatcher: selects series by one label, with Prometheus semantics.
//
// A series without the label is treated as having the value "", so a matcher that accepts ""
// (`unit=""`, `unit!="x"`, `unit=~".*"`) also selects series lacking the label. Regular
// expressions use ECMAScript syntax (std::regex; RE2's common subset: literals, classes,
// alternation, repetition, groups; no backreferences) and are fully anchored: `gia_.*` matches
// "gia_loc", not "xa_gia_loc". Matching takes time linear in the value's length whatever the
// expression.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace chiso {

class LabelMatcher {
 public:
  enum class Op { kEqual, kNotEqual, kRegexMatch, kRegexNoMatch };

  // InvalidArgument when `name` is empty or the regex does not compile (the message names the
  // label and the expression).
  static Result<LabelMatcher> Make(Op op, std::string name, std::string value);
  // Shorthands for the two operators that cannot fail.
  static LabelMatcher Equal(std::string name, std::string value);
  static LabelMatcher NotEqual(std::string name, std::string value);

  // Whether a series whose label has `value` ("" when absent) is selected. Thread-safe.
  bool Matches(std::string_view value) const;

  Op op() const { return op_; }
  const std::string& name() const { return name_; }
  const std::string& value() const { return value_; }
  // PromQL form: unit=~"gia_.*".
  std::string ToString() const;

 private:
  struct Pattern;  // compiled regex, shared between copies
  LabelMatcher(Op op, std::string name, std::string value, std::shared_ptr<const Pattern> pattern);

  Op op_;
  std::string name_;
  std::string value_;
  std::shared_ptr<const Pattern> pattern_;
};

}  // namespace chiso
