// Token authentication (Bearer, and the forms InfluxDB clients send) and authorization scopes
// (SPEC §6).
//
// Tokens are configured by name with the SHA-256 of their secret (hex), a role and optional
// scopes. A request presents the secret; the table hashes it and looks the hash up, so secrets
// are never stored.
//
// Timing: the table finds candidates by the first 16 hex digits of the presented digest in an
// ordered map, which is not constant-time: its timing may tell whether some token's digest
// begins like the presented one. That does not help to guess a secret (choosing digests needs
// SHA-256 preimages). The comparison of the whole presented digest with each candidate's stored
// one is constant-time (OpenSSL's CRYPTO_memcmp), so how much of a digest matches is never
// revealed. Hashing the secret takes time linear in its length only. Scopes narrow what a token may
// write: units, indicators and metric-name prefixes (an empty list means "no restriction").
//
// Write scopes, decided for every series of every write protocol (JSON and CSV readings, Influx
// line protocol, remote write) and for task progress by Principal::MayWriteSeries:
//   units:       the series' `unit` label must be one of the units or a unit under one of them
//                in the catalog's tree (a commune under a scoped province); a series without a
//                `unit` label is refused.
//   indicators:  on indicator readings (chiso_indicator_reading), the `indicator` label must be
//                one of the indicators; a reading without one is refused. Other series carry no
//                indicator and are not narrowed by it.
//   metric prefixes: checked by MayWriteMetric on the raw-series protocols only (readings are
//                chiso's own series, named by their indicator).
//
// TokenTable is immutable after construction and safe to share between threads.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "common/labels.h"
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
  // Whether the token may write the series `labels` (any order): its role is write, and the
  // series lies within its unit and indicator scopes (file comment), units judged with the
  // tree of `catalog`. PermissionDenied naming the label and the scope otherwise, e.g. "unit
  // 'kim_thanh' is outside token 'portal_gia_loc''s units [gia_loc]". The one decision of
  // write scopes: every write path calls it.
  Status MayWriteSeries(const Labels& labels, const catalog::Catalog& catalog) const;
  // The token's scopes: what it may write (MayWriteSeries) and, in api/read_scope.h, read.
  const TokenScopes& scopes() const { return token_->scopes; }
  // Whether MayWriteSeries can refuse a series of a write token: it has unit or indicator scopes.
  bool HasSeriesScopes() const;
  // PermissionDenied when the metric name matches none of the token's prefixes.
  Status MayWriteMetric(std::string_view metric_name) const;
  // Whether the token may perform `action` ("reload", "backup"), which acts on the whole service
  // (every unit's configuration, every series of the store): its role is admin and it has no
  // scope at all. PermissionDenied naming the token, the action and the scope that forbids it.
  Status MayActOnWholeService(std::string_view action) const;

 private:
  const ApiToken* token_;  // owned by the TokenTable, which outlives every request
};

// A scope's list for messages: "gia_loc, kim_thanh"; "none" when empty.
std::string ScopeText(const std::vector<std::string>& items);

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

// The Authorization header value "Basic base64(<user>:<password>)" (RFC 7617).
std::string BasicAuthorization(std::string_view user, std::string_view password);

class TokenTable {
 public:
  TokenTable() = default;
  // Tokens with duplicate names or digests are a configuration error; the config loader
  // reports them before a table is built.
  explicit TokenTable(std::vector<ApiToken> tokens);

  // The token an Authorization header presents, in any of the forms metric senders use (the
  // scheme is case-insensitive):
  //   Bearer <secret>       chiso's own form (SPEC §6), Prometheus' `authorization:`
  //   Token <secret>        InfluxDB 2 clients (Telegraf's influxdb_v2 output)
  //   Token <user>:<secret> InfluxDB 1.8's form for 2.x clients, when <user>:<secret> as a whole
  //                         is not a secret
  //   Basic base64(<user>:<secret>)  InfluxDB 1.x clients (Telegraf's influxdb output, curl -u)
  // With a user name, the secret is the password; the user name may be empty or must be the
  // token's name (as VictoriaMetrics' -httpAuth checks both; InfluxDB 3 ignores it, but a
  // different name would wrongly suggest who the writer is). The password is split at the first
  // colon, so it may contain colons. Unauthenticated with the reason (never quoting a secret)
  // when the header is missing, malformed, or presents no known token.
  Result<Principal> Authenticate(std::string_view authorization_header) const;
  // The token whose secret has the SHA-256 `digest` (lower-case hex), for a browser session that
  // keeps the digest of the token it was opened with (api/sessions.h); Unauthenticated when no
  // token has it (any more: a reload removed it). Constant-time in the comparison, as above.
  Result<Principal> ByDigest(std::string_view digest) const;

  bool empty() const { return tokens_.empty(); }

 private:
  // The token whose secret is `secret`, or Unauthenticated saying `what` is not known.
  Result<Principal> BySecret(std::string_view secret, std::string_view what) const;
  // The token given as `password`, checking `user` against its name.
  Result<Principal> ByUserPassword(std::string_view user, std::string_view password) const;

  // How many leading hex digits of a digest index the table; candidates sharing them are
  // compared in full.
  static constexpr std::size_t kIndexedDigits = 16;

  std::vector<ApiToken> tokens_;
  std::multimap<std::string, std::size_t, std::less<>> by_digest_;  // leading digits → token
};

}  // namespace chiso::ingest
