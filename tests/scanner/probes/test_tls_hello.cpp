// ClientHello builder, server answer parser and suite classification, on answers recorded from
// real servers (tests/fixtures/tls, see SOURCE.md). No network.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "scanner/probes/tls_hello.hpp"
#include "scanner/probes/tls_registry.hpp"
#include "scanner/probes/tls_scan.hpp"

using namespace grundscan::probe;

namespace {

Bytes recorded(const std::string& name) {
    std::ifstream in(std::string(GRUNDSCAN_FIXTURES_DIR) + "/tls/" + name + ".hex");
    std::string hex;
    in >> hex;
    Bytes out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        out.push_back(static_cast<std::uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    EXPECT_FALSE(out.empty()) << name;
    return out;
}

Bytes random64() {
    Bytes r(64);
    for (std::size_t i = 0; i < r.size(); ++i) r[i] = static_cast<std::uint8_t>(i * 7 + 1);
    return r;
}

unsigned u16(const Bytes& b, std::size_t at) {
    return (static_cast<unsigned>(b[at]) << 8) | b[at + 1];
}

}  // namespace

TEST(TlsHello, Tls12HelloIsWellFormed) {
    HelloSpec spec;
    spec.version = kTls12;
    spec.suites = {0xC02F, 0x000A};
    spec.groups = {29, 23};
    spec.sni = "portal.example";
    const Bytes b = build_client_hello(spec, random64());
    ASSERT_GT(b.size(), 60u);
    EXPECT_EQ(b[0], 22);                 // handshake record
    EXPECT_EQ(u16(b, 1), 0x0301u);       // record version
    EXPECT_EQ(u16(b, 3), b.size() - 5);  // record length
    EXPECT_EQ(b[5], 1);                  // client_hello
    EXPECT_EQ(u16(b, 9), 0x0303u);       // client_version
    EXPECT_EQ(b[43], 32);                // session id length
    EXPECT_EQ(u16(b, 76), 4u);           // two suites
    EXPECT_EQ(u16(b, 78), 0xC02Fu);
    EXPECT_EQ(u16(b, 80), 0x000Au);
    const std::string text(b.begin(), b.end());
    EXPECT_NE(text.find("portal.example"), std::string::npos);
}

TEST(TlsHello, Ssl3HelloHasNoExtensions) {
    HelloSpec spec;
    spec.version = kSsl3;
    spec.suites = {0x000A};
    spec.groups = {23};
    const Bytes b = build_client_hello(spec, random64());
    EXPECT_EQ(u16(b, 1), 0x0300u);
    // header 5 + hs 4 + version 2 + random 32 + sid 33 + suites 2+2 + compression 2
    EXPECT_EQ(b.size(), 5u + 4 + 2 + 32 + 33 + 4 + 2);
}

TEST(TlsHello, Tls13HelloOffersOnlyTls13) {
    HelloSpec spec;
    spec.version = kTls13;
    spec.suites = {0x1301};
    spec.groups = {29};
    const Bytes b = build_client_hello(spec, random64());
    EXPECT_EQ(u16(b, 9), 0x0303u);  // legacy_version
    const Bytes sv{0x00, 0x2B, 0x00, 0x03, 0x02, 0x03, 0x04};
    EXPECT_NE(std::search(b.begin(), b.end(), sv.begin(), sv.end()), b.end());
    const Bytes ks{0x00, 0x33, 0x00, 0x26, 0x00, 0x24, 0x00, 0x1D, 0x00, 0x20};
    EXPECT_NE(std::search(b.begin(), b.end(), ks.begin(), ks.end()), b.end());
}

TEST(TlsHello, Sslv2HelloHeader) {
    const Bytes b = build_sslv2_client_hello(random64());
    EXPECT_EQ(b[0] & 0x80, 0x80);
    EXPECT_EQ(((b[0] & 0x7F) << 8 | b[1]) + 2, static_cast<int>(b.size()));
    EXPECT_EQ(b[2], 1);
    EXPECT_EQ(u16(b, 3), 0x0002u);
}

TEST(TlsAnswer, OpensslTls12FlightWithEcdhe) {
    const auto a = parse_server_answer(recorded("openssl-tls12"), true);
    EXPECT_EQ(a.kind, AnswerKind::ServerHello);
    EXPECT_EQ(a.version, kTls12);
    EXPECT_EQ(a.suite, 0xC02F);
    EXPECT_TRUE(a.flight_complete);
    EXPECT_EQ(a.ecdhe_group, 29);
    EXPECT_EQ(a.certificates.size(), 1u);
    // Without the flight the hello alone is enough.
    const auto h = parse_server_answer(recorded("openssl-tls12"), false);
    EXPECT_EQ(h.kind, AnswerKind::ServerHello);
    EXPECT_FALSE(h.flight_complete);
}

TEST(TlsAnswer, DheModulusSizeFromServerKeyExchange) {
    for (const char* name : {"openssl-tls12-dhe", "gnutls-tls12-dhe"}) {
        const auto a = parse_server_answer(recorded(name), true);
        EXPECT_EQ(a.kind, AnswerKind::ServerHello) << name;
        EXPECT_EQ(a.suite, 0x009E) << name;
        EXPECT_EQ(a.dh_bits, 2048) << name;
        EXPECT_TRUE(a.flight_complete) << name;
    }
}

TEST(TlsAnswer, GnutlsSends3desThatOpensslRefuses) {
    const auto g = parse_server_answer(recorded("gnutls-tls12-3des"), false);
    EXPECT_EQ(g.kind, AnswerKind::ServerHello);
    EXPECT_EQ(g.suite, 0xC012);
    EXPECT_EQ(suite_name(g.suite), "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA");
    const auto o = parse_server_answer(recorded("openssl-tls12-3des"), false);
    EXPECT_EQ(o.kind, AnswerKind::Alert);
    EXPECT_EQ(o.alert_level, 2);
    EXPECT_EQ(alert_name(o.alert_description), "handshake_failure");
}

TEST(TlsAnswer, Tls10ServerHello) {
    const auto a = parse_server_answer(recorded("openssl-tls10"), true);
    EXPECT_EQ(a.kind, AnswerKind::ServerHello);
    EXPECT_EQ(version_name(a.version), "TLSv1");
    EXPECT_EQ(a.suite, 0xC013);
    EXPECT_EQ(a.ecdhe_group, 23);
}

TEST(TlsAnswer, Tls13ServerHelloAndRetry) {
    for (const char* name : {"openssl-tls13", "gnutls-tls13"}) {
        const auto a = parse_server_answer(recorded(name), true);
        EXPECT_EQ(a.kind, AnswerKind::ServerHello) << name;
        EXPECT_EQ(a.version, kTls13) << name;
        EXPECT_EQ(a.suite, 0x1301) << name;
        EXPECT_EQ(a.group, 29) << name;
    }
    const auto r = parse_server_answer(recorded("openssl-tls13-hrr"), false);
    EXPECT_EQ(r.kind, AnswerKind::HelloRetry);
    EXPECT_EQ(r.version, kTls13);
    EXPECT_EQ(r.group, 23);
}

TEST(TlsAnswer, PartialInputNeedsMoreAndGarbageIsNamed) {
    const Bytes full = recorded("openssl-tls12");
    for (std::size_t n : {0u, 3u, 5u, 40u}) {
        const auto a = parse_server_answer(Bytes(full.begin(), full.begin() + n), false);
        EXPECT_EQ(a.kind, AnswerKind::NeedMore) << n;
    }
    // The hello arrived, the rest of the flight not yet.
    const auto h = parse_server_answer(Bytes(full.begin(), full.begin() + 200), true);
    EXPECT_EQ(h.kind, AnswerKind::NeedMore);
    EXPECT_TRUE(h.hello_seen);
    EXPECT_EQ(h.suite, 0xC02F);
    const std::string http = "HTTP/1.1 400 Bad Request\r\n\r\n";
    const auto g = parse_server_answer(Bytes(http.begin(), http.end()), false);
    EXPECT_EQ(g.kind, AnswerKind::Garbage);
    EXPECT_FALSE(g.error.empty());
    // A record claiming a huge length is refused, not waited for forever.
    const auto big = parse_server_answer(Bytes{22, 3, 3, 0xFF, 0xFF, 2}, false);
    EXPECT_EQ(big.kind, AnswerKind::Garbage);
}

TEST(TlsRegistry, CoversTheRegisteredSpace) {
    const auto& suites = legacy_suites();
    EXPECT_EQ(suites.size(), 352u);
    std::set<std::uint16_t> codes;
    for (const auto& s : suites) codes.insert(s.code);
    EXPECT_EQ(codes.size(), suites.size());
    for (std::uint16_t c : {0x0001, 0x0004, 0x000A, 0x0018, 0x0034, 0x0041, 0x0096, 0x0007, 0xC012,
                            0xC018, 0xC03C, 0xC09C, 0xC0A0, 0xCCA8, 0x0003})
        EXPECT_TRUE(codes.count(c)) << std::hex << c;
    EXPECT_EQ(tls13_suites().size(), 5u);
}

TEST(TlsRegistry, Tr02102Classification) {
    EXPECT_EQ(tr02102_weakness("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), "");
    EXPECT_EQ(tr02102_weakness("TLS_DHE_RSA_WITH_AES_256_CCM"), "");
    EXPECT_EQ(tr02102_weakness("TLS_AES_128_CCM_SHA256"), "");
    EXPECT_EQ(tr02102_weakness("TLS_RSA_WITH_NULL_SHA"), "NULL");
    EXPECT_EQ(tr02102_weakness("TLS_DH_anon_WITH_AES_128_CBC_SHA"), "anonymous");
    EXPECT_EQ(tr02102_weakness("TLS_ECDH_anon_WITH_AES_256_CBC_SHA"), "anonymous");
    EXPECT_EQ(tr02102_weakness("TLS_RSA_EXPORT_WITH_RC4_40_MD5"), "EXPORT");
    EXPECT_EQ(tr02102_weakness("TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA"), "3DES");
    EXPECT_EQ(tr02102_weakness("TLS_RSA_WITH_IDEA_CBC_SHA"), "IDEA");
    EXPECT_EQ(tr02102_weakness("TLS_DHE_RSA_WITH_SEED_CBC_SHA"), "SEED");
    EXPECT_EQ(tr02102_weakness("TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256"), "CAMELLIA");
    EXPECT_EQ(tr02102_weakness("TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256"), "ARIA");
    EXPECT_EQ(tr02102_weakness("TLS_RSA_WITH_AES_128_CCM"), "static RSA key exchange");
    EXPECT_EQ(tr02102_weakness("TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256"),
              "static (EC)DH key exchange");
    EXPECT_EQ(tr02102_weakness("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"), "CBC with SHA-1");
    EXPECT_EQ(tr02102_weakness("TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8"), "CCM_8 (64-bit tag)");
    EXPECT_EQ(tr02102_weakness("TLS_CHACHA20_POLY1305_SHA256"), "ChaCha20 not in TR-02102-2");
    // Every code point of the registry gets a verdict; only the TR list is clean.
    int clean = 0;
    for (const auto& s : legacy_suites()) clean += tr02102_weakness(s.name).empty();
    EXPECT_EQ(clean, 20);
}

TEST(TlsScanFacts, UntestedIsNeverNegative) {
    TlsScanReport r;
    r.versions = {{"SSLv2", Verdict::Untested, "legacy versions not tested"},
                  {"SSLv3", Verdict::Untested, "legacy versions not tested"},
                  {"TLSv1", Verdict::Untested, "legacy versions not tested"},
                  {"TLSv1.1", Verdict::Untested, "legacy versions not tested"},
                  {"TLSv1.2", Verdict::Accepted, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"},
                  {"TLSv1.3", Verdict::Rejected, "alert handshake_failure"}};
    r.suites = {{"TLSv1.2", {0xC02F}}};
    std::vector<std::string> notes;
    const auto facts = tls_scan_facts(r, notes);
    std::set<std::string> names;
    for (const auto& f : facts) names.insert(f.name);
    EXPECT_FALSE(names.count("tls.tls10_accepted"));
    EXPECT_FALSE(names.count("tls.protocols_accepted"));
    EXPECT_FALSE(names.count("tls.weak_ciphers_accepted"));
    EXPECT_FALSE(names.count("tls.ciphers_accepted"));
    EXPECT_TRUE(names.count("tls.tls12_accepted"));
    EXPECT_TRUE(names.count("tls.tls13_accepted"));
    EXPECT_FALSE(notes.empty());

    // A weak suite found in an incomplete enumeration is still reported.
    r.suites = {{"TLSv1.2", {0xC02F, 0xC012}}};
    notes.clear();
    bool weak = false;
    for (const auto& f : tls_scan_facts(r, notes))
        if (f.name == "tls.weak_ciphers_accepted") weak = true;
    EXPECT_TRUE(weak);
}
