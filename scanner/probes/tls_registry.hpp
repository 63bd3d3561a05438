// The TLS parameter space the raw-socket scan offers: every cipher suite code point of the IANA
// registry (plus the deployed unregistered ones testssl.sh also sends), the TLS 1.3 suites and
// the named groups, each with its judgement after BSI TR-02102-2 (docs/tls-classification.md).
// Private to scanner/probes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace grundscan::probe {

struct SuiteEntry {
    std::uint16_t code;
    std::string_view name;  // IANA name, e.g. "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
};

// SSLv3 / TLS 1.0-1.2 suites (352 code points, sorted by code).
const std::vector<SuiteEntry>& legacy_suites();
// TLS 1.3 suites (0x1301-0x1305).
const std::vector<SuiteEntry>& tls13_suites();
// Name of a code point from either list ("0xC0FF" style hex when unknown).
std::string suite_name(std::uint16_t code);

// "" when BSI TR-02102-2 recommends the suite (TLS 1.2 with (EC)DHE and AES-GCM/-CCM/-CBC-SHA2;
// TLS 1.3 AES-GCM and AES-128-CCM); otherwise the reason it is a finding, e.g. "3DES",
// "anonymous", "static RSA key exchange", "ChaCha20 not in TR-02102-2".
std::string tr02102_weakness(std::string_view iana_name);

// True for suites whose key exchange is ephemeral finite-field DH (TLS_DHE_*, TLS_DH_anon_*).
bool is_dhe_suite(std::string_view iana_name);
// True for suites whose key exchange is ECDHE (TLS_ECDHE_*, TLS_ECDH_anon_*).
bool is_ecdhe_suite(std::string_view iana_name);

struct GroupEntry {
    std::uint16_t code;
    std::string_view name;  // "x25519", "secp256r1", "ffdhe2048" ...
    int bits;               // field size (EC) or modulus size (FFDHE)
    bool ffdhe;             // finite-field group (RFC 7919)
};
// Named groups the scan tests one at a time (RFC 8422, RFC 7919, RFC 8446, RFC 8734).
const std::vector<GroupEntry>& named_groups();
std::string group_name(std::uint16_t code);

}  // namespace grundscan::probe
