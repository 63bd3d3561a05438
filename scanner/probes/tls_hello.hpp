// Hand-built ClientHello messages and a parser for what a server answers (ServerHello,
// HelloRetryRequest, alert, SSLv2 SERVER-HELLO), independent of what the local TLS library can
// negotiate. Pure functions on bytes; the socket side is tls_scan.cpp. Private to
// scanner/probes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace grundscan::probe {

using Bytes = std::vector<std::uint8_t>;

inline constexpr std::uint16_t kSsl3 = 0x0300, kTls10 = 0x0301, kTls11 = 0x0302, kTls12 = 0x0303,
                               kTls13 = 0x0304;

struct HelloSpec {
    std::uint16_t version = kTls12;      // client_version; kTls13 = TLS 1.3 only
    std::vector<std::uint16_t> suites;   // offered cipher suites, in order
    std::vector<std::uint16_t> groups;   // supported_groups (empty: extension left out)
    std::vector<std::uint16_t> sigalgs;  // signature_algorithms (TLS 1.2/1.3; empty: default)
    std::string sni;                     // server_name ("" = none, e.g. for IP literals)
    bool x25519_share = true;            // TLS 1.3: key_share with an x25519 entry, else empty
};

// A complete TLS record (or records) carrying the ClientHello. SSLv3 hellos carry no
// extensions. Random and key share bytes come from `random` (at least 64 bytes).
Bytes build_client_hello(const HelloSpec& spec, const Bytes& random);

// An SSLv2 CLIENT-HELLO offering the seven SSLv2 cipher kinds.
Bytes build_sslv2_client_hello(const Bytes& random);

enum class AnswerKind {
    NeedMore,     // not enough bytes yet for a verdict
    ServerHello,  // a ServerHello (TLS 1.2 and lower, or TLS 1.3 by supported_versions)
    HelloRetry,   // a TLS 1.3 HelloRetryRequest (selected cipher suite and group)
    Alert,        // a TLS alert before any ServerHello
    Sslv2Hello,   // an SSLv2 SERVER-HELLO
    Garbage,      // bytes that are not a TLS answer (reason in `error`)
};

struct ServerAnswer {
    AnswerKind kind = AnswerKind::NeedMore;
    std::uint16_t version = 0;  // negotiated (supported_versions when present)
    std::uint16_t suite = 0;
    std::uint16_t group = 0;  // key_share / HRR selected group (TLS 1.3)
    std::uint8_t alert_level = 0, alert_description = 0;
    // TLS 1.2 and lower, when the flight up to ServerHelloDone was read:
    bool hello_seen = false;  // a ServerHello was parsed (also with kind NeedMore)
    bool flight_complete = false;
    int dh_bits = 0;                  // ServerKeyExchange of a DHE suite: size of p in bits
    std::uint16_t ecdhe_group = 0;    // ServerKeyExchange of an ECDHE suite: named curve
    std::vector<Bytes> certificates;  // DER, from the Certificate message, leaf first
    std::string error;
};

// Parses what the server sent so far. `want_flight`: for a ServerHello of TLS 1.2 and lower,
// keep asking for more (NeedMore) until ServerHelloDone, to read the certificates and the
// ServerKeyExchange. Bounded by the input; never reads past `data`.
ServerAnswer parse_server_answer(const Bytes& data, bool want_flight);

// "handshake_failure", "protocol_version" ... for an alert description.
std::string alert_name(std::uint8_t description);
// "SSLv2", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3" (the names tls.* facts use).
std::string version_name(std::uint16_t version);

}  // namespace grundscan::probe
