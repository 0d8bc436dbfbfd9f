// StateNames: the two spellings of each value of a state enum that offices and clients see:
// its machine name (`status=on_track` in the API, the metrics' labels, the state files) and its
// Vietnamese label ("Đúng tiến độ"). The entries are listed in enum order, so a lookup by value
// is an index; the constructor-time check keeps that order honest.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace chiso::rules {

template <typename State>
struct StateName {
  State state;
  std::string_view name;
  std::string_view label;
};

template <typename State, std::size_t N>
class StateNames {
 public:
  // `entries[i].state` must be the enum value i (checked at compile time where constexpr).
  consteval explicit StateNames(std::array<StateName<State>, N> entries) : entries_(entries) {
    for (std::size_t i = 0; i < N; ++i) {
      if (static_cast<std::size_t>(entries_[i].state) != i) throw "entries out of enum order";
    }
  }

  constexpr std::string_view Name(State state) const { return At(state).name; }
  constexpr std::string_view Label(State state) const { return At(state).label; }
  // The value named `name`; nullopt for an unknown name.
  constexpr std::optional<State> Parse(std::string_view name) const {
    for (const StateName<State>& entry : entries_) {
      if (entry.name == name) return entry.state;
    }
    return std::nullopt;
  }
  constexpr const std::array<StateName<State>, N>& entries() const { return entries_; }

 private:
  constexpr const StateName<State>& At(State state) const {
    return entries_[static_cast<std::size_t>(state)];
  }

  std::array<StateName<State>, N> entries_;
};

}  // namespace chiso::rules
