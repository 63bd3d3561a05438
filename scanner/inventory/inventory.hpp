// The inventory: an organisation (IT-Verbund) -> municipalities -> assets -> sources.
// Written by users in YAML; see docs/inventory.md.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "scanner/core/dates.hpp"
#include "scanner/core/expected.hpp"

namespace grundscan {

// A date written in the inventory (`collected:`, `until:`) with where it was written.
struct DeclaredDate {
    Date date;
    std::string file;  // inventory file
    int line = 0;
};

// One export file of an asset, after resolving globs and directories.
struct SourceFile {
    std::filesystem::path path;  // absolute or relative to the working directory
    std::string display;         // path as shown in reports (relative to the inventory file)
    std::string type;            // collector type; empty = detect from content
    std::optional<DeclaredDate> collected{};  // `collected:` of its sources entry
};

// A `sources:` entry as written (may be a glob or directory).
struct SourceSpec {
    std::string pattern;
    std::string type;
    std::string file;  // inventory file that declared it
    int line = 0;
    std::optional<DeclaredDate> collected{};
};

// `extended_support: {until: DATE, contract: TEXT, note: TEXT}` of an asset or municipality:
// the Kommune declares that it receives paid or contractual extended support (ESU, ELTS,
// ESM, ELS) until `until`. `note` documents a contract running past the end of extended
// support known to the end-of-life feed.
struct ExtendedSupportDecl {
    Date until;
    std::string contract;
    std::string note;
    std::string file;        // inventory file that declared it
    int line = 0;            // line of the `extended_support:` key
    bool inherited = false;  // declared for the whole municipality
};

// `mfa: {method: totp|fido2|passkey, note: TEXT}` of an asset or municipality: the ISB declares
// that every interactive logon to the asset's accounts is protected by one of the MFA methods
// the BSI password-policy component approves for its tier 2 (Passwortrichtlinie, section 3,
// "Stufe 2: MFA-geschützter Zugriff", condition 1). `note` documents how it is enforced. No
// declaration means the stricter tier 1 applies (scanner/enrich/password_tier).
struct MfaDecl {
    std::string method;      // totp, fido2 or passkey
    std::string note;        // how it is enforced (required)
    std::string file;        // inventory file that declared it
    int line = 0;            // line of the `mfa:` key
    bool inherited = false;  // declared for the whole municipality
};

// The MFA methods tier 2 of the BSI password-policy component approves.
const std::vector<std::string>& approved_mfa_methods();

// What a live probe may contact for an asset. Only these targets are ever contacted.
struct ProbeTarget {
    std::string url;            // web-endpoint: http(s)://host[:port]/path
    std::string address;        // host: name or IP address for TCP port checks
    std::vector<int> ports;     // host: ports to check (empty = the default risky-port list)
    std::string expected_host;  // name the certificate must match (default: the URL's host)
    std::string proxy;          // per-asset proxy (else --proxy / HTTPS_PROXY)
    std::string cacert;         // CA bundle for internal CAs (path, relative to the inventory)
    std::string client_cert;    // client certificate (PEM), for mutual TLS
    std::string client_key;     // its key (PEM)
    bool empty() const { return url.empty() && address.empty(); }
};

struct Asset {
    std::string id;
    std::string name;
    std::string kind;  // windows-client, windows-server, linux-server, ...
    std::vector<SourceSpec> specs;
    std::vector<SourceFile> sources;          // resolved; may be empty (-> no evidence)
    std::vector<std::string> problems;        // e.g. "pattern matched no file" (shown in reports)
    ProbeTarget probe;                        // live targets (web-endpoint, host)
    std::optional<DeclaredDate> collected{};  // `collected:`: date of all sources without their own
    std::optional<ExtendedSupportDecl> extended_support{};  // own or the municipality's
    std::optional<MfaDecl> mfa{};                           // own or the municipality's
    std::string file;
    int line = 0;
};

struct Municipality {
    std::string id;
    std::string name;
    std::string ags;  // Amtlicher Gemeindeschlüssel, optional
    std::optional<ExtendedSupportDecl> extended_support{};  // applies to assets without their own
    std::optional<MfaDecl> mfa{};                           // applies to assets without their own
    std::vector<Asset> assets;
    std::string file;
    int line = 0;
};

struct Inventory {
    std::string org_id;
    std::string org_name;
    std::filesystem::path file;
    std::vector<Municipality> municipalities;
    std::vector<std::string> warnings;  // "file:line: ..." messages; the scan still runs

    std::size_t asset_count() const;
};

// The asset kinds grundscan knows.
const std::vector<std::string>& known_asset_kinds();

// Loads and validates `path` and the files it includes. Errors name file and line; the
// first error stops loading (a scan never starts on a broken inventory). Patterns that
// match no file are warnings, not errors.
Expected<Inventory> load_inventory(const std::filesystem::path& path);

}  // namespace grundscan
