#include "scanner/probes/tls_registry.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

namespace grundscan::probe {

namespace {

bool has(std::string_view s, std::string_view part) {
    return s.find(part) != std::string_view::npos;
}

// BSI TR-02102-2 (2025-01), section 3.3.1 table 1 (TLS 1.2 with perfect forward secrecy) and
// section 3.4.4 (TLS 1.3). Suites of the other tables (static DH/ECDH without forward secrecy,
// PSK) are findings for a web endpoint: the Mindeststandard TLS demands forward secrecy, and PSK
// suites are meant for closed systems.
constexpr std::array<std::string_view, 23> kRecommended{
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CCM",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CCM",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256",
    "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256",
    "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256",
    "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384",
    "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256",
    "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_DHE_RSA_WITH_AES_128_CCM",
    "TLS_DHE_RSA_WITH_AES_256_CCM",
    "TLS_AES_128_GCM_SHA256",
    "TLS_AES_256_GCM_SHA384",
    "TLS_AES_128_CCM_SHA256",
};

const SuiteEntry kLegacy[] = {
#include "scanner/probes/tls_suite_table.inc"
};

}  // namespace

const std::vector<SuiteEntry>& legacy_suites() {
    static const std::vector<SuiteEntry> v = [] {
        std::vector<SuiteEntry> out(std::begin(kLegacy), std::end(kLegacy));
        std::sort(out.begin(), out.end(),
                  [](const SuiteEntry& a, const SuiteEntry& b) { return a.code < b.code; });
        return out;
    }();
    return v;
}

const std::vector<SuiteEntry>& tls13_suites() {
    static const std::vector<SuiteEntry> v{
        {0x1301, "TLS_AES_128_GCM_SHA256"},       {0x1302, "TLS_AES_256_GCM_SHA384"},
        {0x1303, "TLS_CHACHA20_POLY1305_SHA256"}, {0x1304, "TLS_AES_128_CCM_SHA256"},
        {0x1305, "TLS_AES_128_CCM_8_SHA256"},
    };
    return v;
}

std::string suite_name(std::uint16_t code) {
    for (const auto* list : {&legacy_suites(), &tls13_suites()}) {
        auto it = std::lower_bound(list->begin(), list->end(), code,
                                   [](const SuiteEntry& e, std::uint16_t c) { return e.code < c; });
        if (it != list->end() && it->code == code) return std::string(it->name);
    }
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%04X", code);
    return buf;
}

std::string tr02102_weakness(std::string_view n) {
    if (std::find(kRecommended.begin(), kRecommended.end(), n) != kRecommended.end()) return {};
    // The first matching reason names the worst property.
    if (has(n, "NULL") || has(n, "GOST")) return has(n, "NULL") ? "NULL" : "GOST";
    if (has(n, "_anon_")) return "anonymous";
    if (has(n, "EXPORT")) return "EXPORT";
    if (has(n, "RC4")) return "RC4";
    if (has(n, "RC2")) return "RC2";
    if (has(n, "3DES")) return "3DES";
    if (has(n, "DES")) return "DES";
    if (has(n, "IDEA")) return "IDEA";
    if (has(n, "KRB5")) return "Kerberos";
    if (has(n, "SRP")) return "SRP";
    if (has(n, "PSK")) return "PSK";
    if (has(n, "SEED")) return "SEED";
    if (has(n, "CAMELLIA")) return "CAMELLIA";
    if (has(n, "ARIA")) return "ARIA";
    if (has(n, "CHACHA20")) return "ChaCha20 not in TR-02102-2";
    if (has(n, "CCM_8")) return "CCM_8 (64-bit tag)";
    if (n.starts_with("TLS_RSA_") || n.starts_with("SSL_RSA_")) return "static RSA key exchange";
    if (n.starts_with("TLS_DH_") || n.starts_with("TLS_ECDH_")) return "static (EC)DH key exchange";
    if (n.ends_with("_SHA") || has(n, "MD5")) return "CBC with SHA-1";
    return "not in TR-02102-2";
}

bool is_dhe_suite(std::string_view n) {
    return n.starts_with("TLS_DHE_") || n.starts_with("TLS_DH_anon_");
}

bool is_ecdhe_suite(std::string_view n) {
    return n.starts_with("TLS_ECDHE_") || n.starts_with("TLS_ECDH_anon_");
}

const std::vector<GroupEntry>& named_groups() {
    static const std::vector<GroupEntry> v{
        {1, "sect163k1", 163, false},
        {2, "sect163r1", 163, false},
        {3, "sect163r2", 163, false},
        {4, "sect193r1", 193, false},
        {5, "sect193r2", 193, false},
        {6, "sect233k1", 233, false},
        {7, "sect233r1", 233, false},
        {8, "sect239k1", 239, false},
        {9, "sect283k1", 283, false},
        {10, "sect283r1", 283, false},
        {11, "sect409k1", 409, false},
        {12, "sect409r1", 409, false},
        {13, "sect571k1", 571, false},
        {14, "sect571r1", 571, false},
        {15, "secp160k1", 160, false},
        {16, "secp160r1", 160, false},
        {17, "secp160r2", 160, false},
        {18, "secp192k1", 192, false},
        {19, "secp192r1", 192, false},
        {20, "secp224k1", 224, false},
        {21, "secp224r1", 224, false},
        {22, "secp256k1", 256, false},
        {23, "secp256r1", 256, false},
        {24, "secp384r1", 384, false},
        {25, "secp521r1", 521, false},
        {26, "brainpoolP256r1", 256, false},
        {27, "brainpoolP384r1", 384, false},
        {28, "brainpoolP512r1", 512, false},
        {29, "x25519", 255, false},
        {30, "x448", 448, false},
        {31, "brainpoolP256r1tls13", 256, false},
        {32, "brainpoolP384r1tls13", 384, false},
        {33, "brainpoolP512r1tls13", 512, false},
        {256, "ffdhe2048", 2048, true},
        {257, "ffdhe3072", 3072, true},
        {258, "ffdhe4096", 4096, true},
        {259, "ffdhe6144", 6144, true},
        {260, "ffdhe8192", 8192, true},
    };
    return v;
}

std::string group_name(std::uint16_t code) {
    for (const auto& g : named_groups())
        if (g.code == code) return std::string(g.name);
    return "group-" + std::to_string(code);
}

}  // namespace grundscan::probe
