// Reading a server certificate for the web probe (the suites and their TR-02102-2 judgement
// live in tls_registry.hpp).
// Private to scanner/probes.
#pragma once

#include <openssl/x509.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/core/dates.hpp"

namespace grundscan::probe {

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

// "rsa", "rsa-pss", "ec", "ed25519", "ed448", "dsa" for an EVP_PKEY base id; other algorithms by
// their lower-case short name, "unknown" for NID_undef.
std::string key_type_name(int base_id);

// True when `host` is an IPv4 or IPv6 literal.
bool is_ip_literal(const std::string& host);

}  // namespace grundscan::probe
