// TLS knowledge of the web probe: the tested cipher suites with their TR-02102-2 judgement,
// which of them the local OpenSSL can offer at all, and reading a server certificate.
// Private to scanner/probes.
#pragma once

#include <openssl/x509.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/core/dates.hpp"

namespace grundscan::probe {

struct CipherSuite {
    std::string_view
        name;            // OpenSSL name ("ECDHE-RSA-AES128-GCM-SHA256", "TLS_AES_128_GCM_SHA256")
    bool tls13 = false;  // a TLS 1.3 suite (set with CURLOPT_TLS13_CIPHERS)
    std::string_view weakness;  // why TR-02102-2 does not recommend it ("" = not weak)
};

// The suites tested one handshake each: NULL, EXPORT, RC4, 3DES, CBC with SHA-1, static RSA,
// the TR-02102-2 recommendations and the TLS 1.3 suites.
const std::vector<CipherSuite>& tested_cipher_suites();

// True when the local OpenSSL knows `suite` (at security level 0), i.e. a handshake with it
// can be attempted. Suites it does not know are skipped, never reported as rejected.
bool locally_available(const CipherSuite& suite);

// CURLOPT_SSLVERSION value for "at least `min`, at most `max`" (libcurl's two enums are ORed).
constexpr long ssl_version_range(long min, long max) {
    return min | max;
}

// The protocol versions tested ("TLSv1" ... "TLSv1.3") with their libcurl SSLVERSION value.
struct ProtocolVersion {
    std::string_view name;
    long curl_version;  // CURL_SSLVERSION_TLSv1_x | CURL_SSLVERSION_MAX_TLSv1_x
    bool legacy;        // TLS 1.0/1.1: needs the lowered OpenSSL security level
};
const std::vector<ProtocolVersion>& tested_protocol_versions();

// What the report needs from the leaf certificate.
struct CertificateInfo {
    std::string subject;  // RFC 2253, UTF-8
    std::string issuer;
    std::optional<Date> not_after;
    std::string key_type;  // rsa, ec, ed25519, ed448, dsa, rsa-pss
    int key_bits = 0;
    std::string signature_algorithm;  // long name, e.g. sha256WithRSAEncryption
    bool hostname_match = false;      // SAN/CN matches `host` (IP literals: iPAddress SAN)
};
CertificateInfo describe_certificate(X509* cert, const std::string& host, bool host_is_ip);

// True when `host` is an IPv4 or IPv6 literal.
bool is_ip_literal(const std::string& host);

}  // namespace grundscan::probe
