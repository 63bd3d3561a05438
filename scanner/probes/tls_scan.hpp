// The raw-socket TLS scan of one listed endpoint: protocol versions SSLv2 ... TLS 1.3, every
// cipher suite of the registry per accepted version, named groups, the DHE modulus size, and the
// certificate chains a server presents to an RSA-only and to an ECDSA-only client. Hand-built
// ClientHellos (tls_hello.hpp) for everything but the certificate chains (OpenSSL over the
// same kind of socket, restricted signature algorithms). Contacts only options.host:port.
// Bounded: connect and read timeouts per connection, bytes per answer, connections per target
// and an overall deadline. What could not be tested is Untested with a reason, never Rejected.
// Private to scanner/probes.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

namespace grundscan::probe {

struct TlsScanOptions {
    std::string host;  // connect address: name or IP literal (no brackets)
    int port = 443;
    std::string sni;  // "" for IP literals
    long connect_timeout_ms = 3000;
    long io_timeout_ms = 5000;  // per answer
    bool legacy = true;         // test SSLv2, SSLv3, TLS 1.0, TLS 1.1
    bool ciphers = true;        // enumerate suites and groups (else one accepted suite per version)
    bool certificates = true;   // RSA-only and ECDSA-only certificate handshakes
    int max_connections = 2500;
    long deadline_ms = 300000;
    double max_rate = 0;  // new connections per second, 0 = unlimited
};

enum class Verdict { Accepted, Rejected, Untested };

struct VersionResult {
    std::string name;  // "SSLv2" ... "TLSv1.3"
    Verdict verdict = Verdict::Untested;
    std::string detail;  // why rejected / untested, or the first suite accepted
};

struct SeenCertificate {
    std::string role;   // "leaf" or "intermediate" or "root"
    std::string probe;  // "rsa" or "ecdsa" (which restricted client saw it)
    std::string subject;
    std::string key_type;  // rsa, ec, ed25519, ...
    int key_bits = 0;
    std::string signature_hash;  // sha256, sha1, md5, ... ("intrinsic" for EdDSA)
};

struct TlsScanReport {
    std::vector<VersionResult> versions;  // SSLv2, SSLv3, TLSv1, TLSv1.1, TLSv1.2, TLSv1.3
    // Accepted suites per version name (IANA names, in server preference of discovery).
    std::vector<std::pair<std::string, std::vector<std::uint16_t>>> suites;
    bool suites_complete = false;  // every version decided and every accepted one enumerated
    std::vector<std::string> groups_accepted;  // named groups (TLS 1.2 ECDHE and TLS 1.3)
    bool groups_complete = false;
    std::optional<bool> dhe_accepted;  // unset when not known
    int dhe_min_bits = 0;              // 0 = not measured
    std::string dhe_detail;
    std::vector<SeenCertificate> certificates;
    bool certificates_complete = false;
    std::vector<std::string> untested;  // reasons something was not (fully) tested
    int connections = 0;
};

TlsScanReport scan_tls(const TlsScanOptions& options);

// A fact of the scan: name, value, excerpt (the caller adds source and collector).
struct ScanFact {
    std::string name;
    std::variant<bool, std::int64_t, std::vector<std::string>> value;
    std::string excerpt;
};
// The tls.* facts the report supports (docs/facts.md says when each is emitted) and the notes
// saying what was not tested (become non-fatal issues).
std::vector<ScanFact> tls_scan_facts(const TlsScanReport& report, std::vector<std::string>& notes);

}  // namespace grundscan::probe
