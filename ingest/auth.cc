#include "ingest/auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>

#include "common/naming.h"
#include "ingest/text.h"

namespace chiso::ingest {
namespace {

bool Listed(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Standard base64 (RFC 4648 §4); the trailing '=' padding may be left out. nullopt for any other
// character, misplaced padding or a dangling single character.
std::optional<std::string> Base64Decode(std::string_view text) {
  std::size_t padding = 0;
  while (padding < 2 && text.ends_with('=')) {
    text.remove_suffix(1);
    ++padding;
  }
  if ((padding > 0 && (text.size() + padding) % 4 != 0) || text.size() % 4 == 1) {
    return std::nullopt;
  }
  std::string out;
  std::uint32_t bits = 0;
  int count = 0;
  for (char c : text) {
    const std::size_t value = kBase64Alphabet.find(c);
    if (value == std::string_view::npos) return std::nullopt;
    bits = (bits << 6) | static_cast<std::uint32_t>(value);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>((bits >> count) & 0xFF));
    }
  }
  return out;
}

}  // namespace

std::string ScopeText(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out.empty() ? "none" : out;
}

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

bool Principal::HasSeriesScopes() const {
  return !token_->scopes.units.empty() || !token_->scopes.indicators.empty();
}

Status Principal::MayWriteSeries(const Labels& labels, const catalog::Catalog& catalog) const {
  if (Status role = RequireRole(Role::kWrite); !role.ok()) return role;
  const TokenScopes& scopes = token_->scopes;
  const auto refused = [&](std::string_view what, std::string_view label,
                           const std::vector<std::string>& scope) {
    return Status::PermissionDenied(std::string(what) + " is outside token '" + token_->name +
                                    "''s " + std::string(label) + "s [" + ScopeText(scope) + "]");
  };
  if (!scopes.units.empty()) {
    const std::string_view unit = LabelValue(labels, kUnitLabel);
    if (unit.empty()) return refused("a series without a 'unit' label", "unit", scopes.units);
    if (!catalog.WithinUnits(unit, scopes.units)) {
      return refused("unit '" + std::string(unit) + "'", "unit", scopes.units);
    }
  }
  if (!scopes.indicators.empty() && LabelValue(labels, kMetricNameLabel) == kReadingMetric) {
    const std::string_view indicator = LabelValue(labels, kIndicatorLabel);
    if (indicator.empty()) {
      return refused("a reading without an 'indicator' label", "indicator", scopes.indicators);
    }
    if (!Listed(scopes.indicators, indicator)) {
      return refused("indicator '" + std::string(indicator) + "'", "indicator", scopes.indicators);
    }
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
                                  std::string(metric_name) +
                                  "' (its prefixes: " + ScopeText(prefixes) + ")");
}

Status Principal::MayActOnWholeService(std::string_view action) const {
  if (Status role = RequireRole(Role::kAdmin); !role.ok()) return role;
  const TokenScopes& scopes = token_->scopes;
  for (const auto& [kind, scope] :
       {std::pair{"units", &scopes.units}, std::pair{"indicators", &scopes.indicators},
        std::pair{"metric prefixes", &scopes.metric_prefixes}}) {
    if (!scope->empty()) {
      return Status::PermissionDenied(std::string(action) + " acts on the whole service; token '" +
                                      token_->name + "' is limited to " + kind + " [" +
                                      ScopeText(*scope) + "]");
    }
  }
  return Status::Ok();
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

std::string BasicAuthorization(std::string_view user, std::string_view password) {
  const std::string pair = std::string(user) + ":" + std::string(password);
  std::string out = "Basic ";
  for (std::size_t i = 0; i < pair.size(); i += 3) {
    std::uint32_t chunk = static_cast<unsigned char>(pair[i]) << 16;
    if (i + 1 < pair.size()) chunk |= static_cast<unsigned char>(pair[i + 1]) << 8;
    if (i + 2 < pair.size()) chunk |= static_cast<unsigned char>(pair[i + 2]);
    for (std::size_t k = 0; k < 4; ++k) {
      out.push_back(i + k <= pair.size() ? kBase64Alphabet[(chunk >> (18 - 6 * k)) & 0x3F] : '=');
    }
  }
  return out;
}

TokenTable::TokenTable(std::vector<ApiToken> tokens) : tokens_(std::move(tokens)) {
  for (std::size_t i = 0; i < tokens_.size(); ++i) {
    by_digest_.emplace(tokens_[i].sha256.substr(0, kIndexedDigits), i);
  }
}

Result<Principal> TokenTable::Authenticate(std::string_view header) const {
  if (header.empty()) {
    return Status::Unauthenticated(
        "missing Authorization header; send 'Authorization: Bearer <token>'");
  }
  const std::size_t space = header.find(' ');
  const std::string_view scheme = header.substr(0, space);
  const std::string_view credentials =
      space == std::string_view::npos ? std::string_view() : header.substr(space + 1);
  if (!credentials.empty()) {
    if (SameWordIgnoringCase(scheme, "Bearer")) return BySecret(credentials, "the bearer token");
    if (SameWordIgnoringCase(scheme, "Token")) {
      auto whole = BySecret(credentials, "the token");
      const std::size_t colon = credentials.find(':');
      if (whole.ok() || colon == std::string_view::npos) return whole;
      return ByUserPassword(credentials.substr(0, colon), credentials.substr(colon + 1));
    }
    if (SameWordIgnoringCase(scheme, "Basic")) {
      const std::optional<std::string> decoded = Base64Decode(credentials);
      if (!decoded) return Status::Unauthenticated("the Basic credentials are not valid base64");
      const std::size_t colon = decoded->find(':');
      if (colon == std::string::npos) {
        return Status::Unauthenticated(
            "the Basic credentials must be base64 of '<user>:<token>'; they have no colon");
      }
      const std::string_view pair = *decoded;
      return ByUserPassword(pair.substr(0, colon), pair.substr(colon + 1));
    }
  }
  return Status::Unauthenticated(
      "Authorization header must be 'Bearer <token>' (InfluxDB clients: 'Token <token>' or "
      "Basic auth with the token as password)");
}

Result<Principal> TokenTable::BySecret(std::string_view secret, std::string_view what) const {
  auto principal = ByDigest(Sha256Hex(secret));
  if (!principal.ok()) return Status::Unauthenticated(std::string(what) + " is not known");
  return principal;
}

Result<Principal> TokenTable::ByDigest(std::string_view digest) const {
  const auto [first, last] =
      by_digest_.equal_range(std::string_view(digest).substr(0, kIndexedDigits));
  for (auto it = first; it != last; ++it) {
    const std::string& stored = tokens_[it->second].sha256;
    if (stored.size() == digest.size() &&
        CRYPTO_memcmp(stored.data(), digest.data(), digest.size()) == 0) {
      return Principal(&tokens_[it->second]);
    }
  }
  return Status::Unauthenticated("no token has this digest");
}

Result<Principal> TokenTable::ByUserPassword(std::string_view user,
                                             std::string_view password) const {
  if (password.empty()) {
    return Status::Unauthenticated("the password is empty; send the token as the password");
  }
  auto principal = BySecret(password, "the password (a token's secret)");
  if (principal.ok() && !user.empty() && user != principal->name()) {
    return Status::Unauthenticated(
        "the user name does not match the token given as password: "
        "send its name '" +
        principal->name() + "' or an empty user name");
  }
  return principal;
}

}  // namespace chiso::ingest
