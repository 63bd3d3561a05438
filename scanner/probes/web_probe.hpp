// Live probes of the targets listed in the inventory (web endpoints, hosts). Only the listed
// targets are ever contacted; redirects are followed only within the listed host.
// The probe turns what it sees into facts (tls.*, http.*, leaks.*, ports.*) with provenance
// (source = the URL or host:port, excerpt = the header line or handshake result).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/core/dates.hpp"
#include "scanner/facts/fact.hpp"
#include "scanner/inventory/inventory.hpp"

namespace grundscan {

struct ProbeOptions {
    long connect_timeout_ms = 3000;
    long total_timeout_ms = 8000;                  // per request
    std::size_t max_body_bytes = 2 * 1024 * 1024;  // larger bodies are cut off (and noted)
    int max_redirects = 5;
    bool follow_other_hosts = false;  // redirects to another host are never followed by default
    std::string user_agent;           // default: "grundscan/<version> (BSI IT-Grundschutz check)"
    unsigned max_connections = 32;    // in flight, all targets together
    unsigned max_per_host = 6;        // in flight per host
    double max_rate = 0;              // new requests per second, all targets; 0 = unlimited
    std::string proxy;                // "" = libcurl's HTTPS_PROXY/HTTP_PROXY/NO_PROXY handling
    std::string cacert;               // CA bundle for internal CAs ("" = system store)
    bool legacy_tls = true;           // test SSLv2, SSLv3, TLS 1.0, TLS 1.1 (else: untested)
    bool test_ciphers = true;         // enumerate every registered suite and group
    bool test_leaks = true;           // request the shipped list of sensitive paths
    std::vector<int> default_ports;  // for host targets without ports (empty = built-in risky list)
};

struct ProbeRequestTarget {
    std::string asset_id;
    ProbeTarget target;
};

struct ProbeResult {
    std::string asset_id;
    std::string source;  // what was probed: the URL or the address
    std::vector<Fact> facts;
    std::vector<SourceIssue> issues;  // fatal = the target could not be probed at all
    int requests = 0;                 // requests made (for benchmarks and politeness checks)
};

// Probes every web target (ProbeTarget::url) concurrently through libcurl's multi interface:
// TLS versions, cipher suites, certificate, HTTP headers, cookies, CORS, TRACE, directory
// listing, sensitive paths. Never throws; a target that does not answer properly ends in a
// fatal issue naming the URL and the reason (timeout, TLS failure, garbage, reset ...).
// Absence of a protection is itself a fact, so rules can fail on it: http.csp,
// http.referrer_policy, http.permissions_policy and http.x_content_type_options are "" when the
// header is missing, http.frame_protection is false, http.hsts_max_age is 0 (https only); the
// cookie lists and leaks.exposed_paths are emitted even when empty. Server / X-Powered-By
// facts exist only when the header is sent. http.redirects_to_https: for an http:// URL from
// its first response; for an https:// URL from http://<host>/ on port 80 (no fact and a
// non-fatal issue when that port does not answer). http:// URLs get no tls.* facts.
std::vector<ProbeResult> probe_web_targets(const std::vector<ProbeRequestTarget>& targets,
                                           const ProbeOptions& options, const Date& today);

// TCP connect checks of ProbeTarget::address on its ports (or the default risky list).
std::vector<ProbeResult> probe_port_targets(const std::vector<ProbeRequestTarget>& targets,
                                            const ProbeOptions& options);

// --- Pure helpers (tested without network) -------------------------------------------------

struct HstsHeader {
    std::int64_t max_age = 0;
    bool include_subdomains = false;
};
// Parses a Strict-Transport-Security value; nullopt when it has no valid max-age.
std::optional<HstsHeader> parse_hsts(std::string_view value);

struct SetCookie {
    std::string name;
    bool secure = false, http_only = false, same_site = false;
};
// Parses one Set-Cookie header value (name and flags).
std::optional<SetCookie> parse_set_cookie(std::string_view value);

struct ServerBanner {
    std::string product;  // lower case, e.g. "nginx", "apache", "microsoft-iis"
    std::string version;  // e.g. "1.22.1"; empty when not disclosed
};
// Parses a Server (or X-Powered-By) header such as "nginx/1.22.1 (Debian)" or "Apache".
ServerBanner parse_server_banner(std::string_view value);

// A sensitive path with the content signature that proves it is really served (so that a
// "soft 404" page answering 200 for everything is not a finding).
struct LeakCheck {
    std::string path;       // "/.git/HEAD"
    std::string signature;  // ECMAScript regex the body must match, e.g. "^ref: refs/"
    std::string what;       // "Git-Repository", "Umgebungsvariablen (.env)" ...
};
const std::vector<LeakCheck>& leak_checks();

// True if `body` (of a 200 response to `check.path`) matches the check's signature and does
// not equal the site's answer to a random path (`soft404_body`, may be empty).
bool leak_confirmed(const LeakCheck& check, std::string_view body, std::string_view soft404_body);

// The built-in list of risky TCP ports with service names (3389 rdp, 445 smb, 23 telnet ...).
struct RiskyPort {
    int port;
    std::string_view service;
};
const std::vector<RiskyPort>& risky_ports();

}  // namespace grundscan
