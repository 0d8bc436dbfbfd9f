// Bearer-token authentication and authorization scopes (SPEC §6).
//
// Tokens are configured by name with the SHA-256 of their secret (hex), a role and optional
// scopes. A request presents the secret; the table hashes it and looks the hash up, so secrets
// are never stored. Scopes narrow what a token may write: units, indicators and metric-name
// prefixes (an empty list means "no restriction").
//
// TokenTable is immutable after construction and safe to share between threads.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace chiso::ingest {

enum class Role { kRead = 0, kWrite = 1, kAdmin = 2 };  // each role includes the ones before it

std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);

struct TokenScopes {
  std::vector<std::string> units;            // empty: every unit
  std::vector<std::string> indicators;       // empty: every indicator
  std::vector<std::string> metric_prefixes;  // empty: every metric name
};

struct ApiToken {
  std::string name;    // recorded as the writer of every value the token stores
  std::string sha256;  // lower-case hex digest of the secret, 64 characters
  Role role = Role::kRead;
  TokenScopes scopes;
};

// Who made a request, once authenticated.
class Principal {
 public:
  explicit Principal(const ApiToken* token) : token_(token) {}

  const std::string& name() const { return token_->name; }
  Role role() const { return token_->role; }

  // PermissionDenied naming the token, its role and the role needed.
  Status RequireRole(Role needed) const;
  // PermissionDenied naming the unit or indicator outside the token's scope.
  Status MayWriteReading(std::string_view unit, std::string_view indicator) const;
  // PermissionDenied when the metric name matches none of the token's prefixes.
  Status MayWriteMetric(std::string_view metric_name) const;

 private:
  const ApiToken* token_;  // owned by the TokenTable, which outlives every request
};

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

class TokenTable {
 public:
  TokenTable() = default;
  // Tokens with duplicate names or digests are a configuration error; the config loader
  // reports them before a table is built.
  explicit TokenTable(std::vector<ApiToken> tokens);

  // Unauthenticated when the header is missing, not "Bearer <secret>", or the secret is unknown.
  // "Token <secret>" is accepted as well: InfluxDB 2 clients (Telegraf's influxdb_v2 output)
  // send their token that way.
  Result<Principal> Authenticate(std::string_view authorization_header) const;

  bool empty() const { return tokens_.empty(); }

 private:
  std::vector<ApiToken> tokens_;
  std::map<std::string, std::size_t, std::less<>> by_digest_;
};

}  // namespace chiso::ingest
