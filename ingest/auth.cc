#include "ingest/auth.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace chiso::ingest {
namespace {

bool Allowed(const std::vector<std::string>& list, std::string_view item) {
  return list.empty() || std::find(list.begin(), list.end(), item) != list.end();
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kRead:
      return "read";
    case Role::kWrite:
      return "write";
    case Role::kAdmin:
      return "admin";
  }
  return "read";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role role : {Role::kRead, Role::kWrite, Role::kAdmin}) {
    if (RoleName(role) == name) return role;
  }
  return std::nullopt;
}

Status Principal::RequireRole(Role needed) const {
  if (token_->role >= needed) return Status::Ok();
  return Status::PermissionDenied("token '" + token_->name + "' has role " +
                                  std::string(RoleName(token_->role)) + "; this needs role " +
                                  std::string(RoleName(needed)));
}

Status Principal::MayWriteReading(std::string_view unit, std::string_view indicator) const {
  if (Status role = RequireRole(Role::kWrite); !role.ok()) return role;
  if (!Allowed(token_->scopes.units, unit)) {
    return Status::PermissionDenied("token '" + token_->name + "' may not write unit '" +
                                    std::string(unit) +
                                    "' (its units: " + Join(token_->scopes.units) + ")");
  }
  if (!Allowed(token_->scopes.indicators, indicator)) {
    return Status::PermissionDenied("token '" + token_->name + "' may not write indicator '" +
                                    std::string(indicator) +
                                    "' (its indicators: " + Join(token_->scopes.indicators) + ")");
  }
  return Status::Ok();
}

Status Principal::MayWriteMetric(std::string_view metric_name) const {
  if (Status role = RequireRole(Role::kWrite); !role.ok()) return role;
  const auto& prefixes = token_->scopes.metric_prefixes;
  if (prefixes.empty()) return Status::Ok();
  for (const auto& prefix : prefixes) {
    if (metric_name.starts_with(prefix)) return Status::Ok();
  }
  return Status::PermissionDenied("token '" + token_->name + "' may not write metric '" +
                                  std::string(metric_name) + "' (its prefixes: " + Join(prefixes) +
                                  ")");
}

std::string Sha256Hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xF]);
  }
  return out;
}

TokenTable::TokenTable(std::vector<ApiToken> tokens) : tokens_(std::move(tokens)) {
  for (std::size_t i = 0; i < tokens_.size(); ++i) by_digest_.emplace(tokens_[i].sha256, i);
}

Result<Principal> TokenTable::Authenticate(std::string_view header) const {
  if (header.empty()) {
    return Status::Unauthenticated(
        "missing Authorization header; send 'Authorization: Bearer <token>'");
  }
  const auto same_letter = [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  };
  std::optional<std::string_view> secret;
  for (std::string_view scheme : {"Bearer ", "Token "}) {
    if (header.size() > scheme.size() &&
        std::equal(scheme.begin(), scheme.end(), header.begin(), same_letter)) {
      secret = header.substr(scheme.size());
    }
  }
  if (!secret) return Status::Unauthenticated("Authorization header must be 'Bearer <token>'");
  auto it = by_digest_.find(Sha256Hex(*secret));
  if (it == by_digest_.end()) return Status::Unauthenticated("the bearer token is not known");
  return Principal(&tokens_[it->second]);
}

}  // namespace chiso::ingest
