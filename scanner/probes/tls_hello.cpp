#include "scanner/probes/tls_hello.hpp"

#include <cstring>

#include <algorithm>
#include <array>

#include "scanner/probes/tls_registry.hpp"

namespace grundscan::probe {

namespace {

constexpr std::uint8_t kHandshake = 22, kAlert = 21;
constexpr std::size_t kMaxRecord = 16384 + 2048;

// SHA-256("HelloRetryRequest"), RFC 8446 section 4.1.3.
constexpr std::array<std::uint8_t, 32> kHrrRandom{
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
    0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};

// Every signature scheme of RFC 8446 and the TLS 1.2 hash/signature pairs.
const std::vector<std::uint16_t> kAllSigalgs{0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805,
                                             0x0806, 0x0809, 0x080A, 0x080B, 0x0401, 0x0501, 0x0601,
                                             0x0301, 0x0303, 0x0302, 0x0402, 0x0502, 0x0602, 0x0201,
                                             0x0203, 0x0202, 0x0101, 0x0102, 0x0103};

void put8(Bytes& b, unsigned v) {
    b.push_back(static_cast<std::uint8_t>(v & 0xFF));
}
void put16(Bytes& b, unsigned v) {
    put8(b, v >> 8);
    put8(b, v);
}
void put24(Bytes& b, std::size_t v) {
    put8(b, static_cast<unsigned>(v >> 16));
    put16(b, static_cast<unsigned>(v & 0xFFFF));
}
// resize + memcpy rather than vector::insert: GCC 12 at -O2 reports a false -Warray-bounds for
// the inlined range insert into a two-byte vector (release builds treat warnings as errors).
void append(Bytes& b, const Bytes& x) {
    if (x.empty()) return;
    const std::size_t old = b.size();
    b.resize(old + x.size());
    std::memcpy(b.data() + old, x.data(), x.size());
}
void extension(Bytes& exts, unsigned type, const Bytes& body) {
    put16(exts, type);
    put16(exts, static_cast<unsigned>(body.size()));
    append(exts, body);
}

unsigned get16(const Bytes& d, std::size_t at) {
    return (static_cast<unsigned>(d[at]) << 8) | d[at + 1];
}
std::size_t get24(const Bytes& d, std::size_t at) {
    return (static_cast<std::size_t>(d[at]) << 16) | (static_cast<std::size_t>(d[at + 1]) << 8) |
           d[at + 2];
}

int bit_length(const std::uint8_t* p, std::size_t n) {
    while (n > 0 && *p == 0) {
        ++p;
        --n;
    }
    if (n == 0) return 0;
    int bits = static_cast<int>((n - 1) * 8);
    for (std::uint8_t top = *p; top != 0; top >>= 1) ++bits;
    return bits;
}

ServerAnswer garbage(std::string why) {
    ServerAnswer a;
    a.kind = AnswerKind::Garbage;
    a.error = std::move(why);
    return a;
}

// Parses a ServerHello body into `a`; false on a malformed message.
bool parse_server_hello(const Bytes& m, std::size_t at, std::size_t len, ServerAnswer& a) {
    const std::size_t end = at + len;
    if (len < 38) return false;
    a.version = static_cast<std::uint16_t>(get16(m, at));
    const bool hrr = std::equal(kHrrRandom.begin(), kHrrRandom.end(), m.begin() + at + 2);
    std::size_t p = at + 34;
    const std::size_t sid = m[p++];
    if (p + sid + 3 > end) return false;
    p += sid;
    a.suite = static_cast<std::uint16_t>(get16(m, p));
    p += 3;  // suite and compression method
    a.kind = hrr ? AnswerKind::HelloRetry : AnswerKind::ServerHello;
    if (p + 2 > end) return true;  // no extensions
    const std::size_t ext_end = p + 2 + get16(m, p);
    if (ext_end > end) return false;
    for (p += 2; p + 4 <= ext_end;) {
        const unsigned type = get16(m, p), elen = get16(m, p + 2);
        p += 4;
        if (p + elen > ext_end) return false;
        if (type == 43 && elen == 2) a.version = static_cast<std::uint16_t>(get16(m, p));
        if (type == 51 && elen >= 2) a.group = static_cast<std::uint16_t>(get16(m, p));
        p += elen;
    }
    return true;
}

// The TLS 1.2-and-lower flight after the ServerHello: Certificate, ServerKeyExchange,
// ServerHelloDone.
void parse_flight_message(unsigned type, const Bytes& m, std::size_t at, std::size_t len,
                          ServerAnswer& a) {
    const std::size_t end = at + len;
    if (type == 11 && len >= 3) {
        std::size_t p = at + 3;
        const std::size_t list_end = std::min(end, p + get24(m, at));
        while (p + 3 <= list_end && a.certificates.size() < 10) {
            const std::size_t clen = get24(m, p);
            p += 3;
            if (p + clen > list_end) break;
            a.certificates.emplace_back(m.begin() + static_cast<std::ptrdiff_t>(p),
                                        m.begin() + static_cast<std::ptrdiff_t>(p + clen));
            p += clen;
        }
    } else if (type == 12) {
        const std::string name = suite_name(a.suite);
        if (name.find("PSK") != std::string::npos) return;
        if (is_dhe_suite(name) && len >= 2) {
            const std::size_t plen = get16(m, at);
            if (at + 2 + plen <= end) a.dh_bits = bit_length(&m[at + 2], plen);
        } else if (is_ecdhe_suite(name) && len >= 3 && m[at] == 3) {
            a.ecdhe_group = static_cast<std::uint16_t>(get16(m, at + 1));
        }
    } else if (type == 14) {
        a.flight_complete = true;
    }
}

}  // namespace

Bytes build_client_hello(const HelloSpec& spec, const Bytes& random) {
    const bool tls13 = spec.version == kTls13;
    const bool ssl3 = spec.version == kSsl3;
    Bytes body;
    put16(body, tls13 ? kTls12 : spec.version);
    body.insert(body.end(), random.begin(), random.begin() + 32);
    put8(body, 32);  // session id (TLS 1.3 middlebox compatibility; harmless before)
    body.insert(body.end(), random.begin() + 32, random.begin() + 64);
    put16(body, static_cast<unsigned>(spec.suites.size() * 2));
    for (auto s : spec.suites) put16(body, s);
    put8(body, 1);
    put8(body, 0);  // null compression
    if (!ssl3) {
        Bytes exts;
        if (!spec.sni.empty()) {
            Bytes sn;
            put16(sn, static_cast<unsigned>(spec.sni.size() + 3));
            put8(sn, 0);
            put16(sn, static_cast<unsigned>(spec.sni.size()));
            sn.insert(sn.end(), spec.sni.begin(), spec.sni.end());
            extension(exts, 0, sn);
        }
        if (!spec.groups.empty()) {
            Bytes g;
            put16(g, static_cast<unsigned>(spec.groups.size() * 2));
            for (auto x : spec.groups) put16(g, x);
            extension(exts, 10, g);
            extension(exts, 11, Bytes{3, 0, 1, 2});  // ec_point_formats
        }
        if (spec.version >= kTls12) {
            const auto& algs = spec.sigalgs.empty() ? kAllSigalgs : spec.sigalgs;
            Bytes s;
            put16(s, static_cast<unsigned>(algs.size() * 2));
            for (auto x : algs) put16(s, x);
            extension(exts, 13, s);
        }
        if (tls13) {
            extension(exts, 43, Bytes{2, 0x03, 0x04});  // supported_versions: TLS 1.3 only
            extension(exts, 45, Bytes{1, 1});           // psk_key_exchange_modes: psk_dhe_ke
            Bytes ks;
            if (spec.x25519_share &&
                std::find(spec.groups.begin(), spec.groups.end(), 29) != spec.groups.end()) {
                put16(ks, 36);
                put16(ks, 29);
                put16(ks, 32);
                // Any 32 bytes are an x25519 public key; the handshake is never finished.
                ks.insert(ks.end(), random.begin(), random.begin() + 32);
            } else {
                put16(ks, 0);
            }
            extension(exts, 51, ks);
        }
        extension(exts, 0xFF01, Bytes{0});  // renegotiation_info (empty)
        put16(body, static_cast<unsigned>(exts.size()));
        append(body, exts);
    }
    Bytes hs;
    put8(hs, 1);  // client_hello
    put24(hs, body.size());
    append(hs, body);
    Bytes rec;
    put8(rec, kHandshake);
    put16(rec, ssl3 ? kSsl3 : kTls10);
    put16(rec, static_cast<unsigned>(hs.size()));
    append(rec, hs);
    return rec;
}

Bytes build_sslv2_client_hello(const Bytes& random) {
    static const std::uint8_t kSpecs[] = {0x01, 0x00, 0x80, 0x02, 0x00, 0x80, 0x03,
                                          0x00, 0x80, 0x04, 0x00, 0x80, 0x05, 0x00,
                                          0x80, 0x06, 0x00, 0x40, 0x07, 0x00, 0xC0};
    Bytes msg;
    put8(msg, 1);  // CLIENT-HELLO
    put16(msg, 0x0002);
    put16(msg, sizeof kSpecs);
    put16(msg, 0);   // session id
    put16(msg, 16);  // challenge
    msg.insert(msg.end(), std::begin(kSpecs), std::end(kSpecs));
    msg.insert(msg.end(), random.begin(), random.begin() + 16);
    Bytes rec;
    put8(rec, 0x80 | static_cast<unsigned>(msg.size() >> 8));
    put8(rec, static_cast<unsigned>(msg.size() & 0xFF));
    append(rec, msg);
    return rec;
}

ServerAnswer parse_server_answer(const Bytes& d, bool want_flight) {
    if (d.empty()) return {};
    // SSLv2 SERVER-HELLO: 2-byte header with the high bit set, message type 4.
    if ((d[0] & 0x80) != 0) {
        if (d.size() < 7) return {};
        const std::size_t len = ((d[0] & 0x7Fu) << 8) | d[1];
        if (d[2] != 4 || len < 5) return garbage("SSLv2 record that is not a SERVER-HELLO");
        ServerAnswer a;
        a.kind = AnswerKind::Sslv2Hello;
        a.version = static_cast<std::uint16_t>(get16(d, 5));
        return a;
    }
    Bytes hs;  // handshake bytes reassembled from the records read so far
    ServerAnswer a;
    bool have_hello = false;
    std::size_t consumed = 0;  // handshake bytes already parsed as messages
    for (std::size_t p = 0; p + 5 <= d.size();) {
        const std::uint8_t type = d[p];
        const std::size_t len = get16(d, p + 3);
        if (d[p + 1] != 3 || len > kMaxRecord)
            return have_hello ? a : garbage("not a TLS record (first bytes are no TLS header)");
        if (p + 5 + len > d.size()) break;  // record not complete yet
        if (type == kAlert) {
            if (have_hello) return a;  // the flight ends early: keep what the hello said
            if (len < 2) return garbage("truncated alert");
            a.kind = AnswerKind::Alert;
            a.alert_level = d[p + 5];
            a.alert_description = d[p + 6];
            return a;
        }
        if (type != kHandshake) {
            if (have_hello) return a;  // TLS 1.3: ChangeCipherSpec / encrypted records follow
            return garbage("record type " + std::to_string(type) + " before the ServerHello");
        }
        hs.insert(hs.end(), d.begin() + static_cast<std::ptrdiff_t>(p + 5),
                  d.begin() + static_cast<std::ptrdiff_t>(p + 5 + len));
        p += 5 + len;
        while (consumed + 4 <= hs.size()) {
            const unsigned mtype = hs[consumed];
            const std::size_t mlen = get24(hs, consumed + 1);
            if (mlen > 1 << 20) return garbage("handshake message too large");
            if (consumed + 4 + mlen > hs.size()) break;
            if (!have_hello) {
                if (mtype != 2) return garbage("first handshake message is not a ServerHello");
                if (!parse_server_hello(hs, consumed + 4, mlen, a))
                    return garbage("malformed ServerHello");
                have_hello = true;
                a.hello_seen = true;
                if (!want_flight || a.kind == AnswerKind::HelloRetry || a.version >= kTls13)
                    return a;
            } else {
                parse_flight_message(mtype, hs, consumed + 4, mlen, a);
                if (a.flight_complete) return a;
            }
            consumed += 4 + mlen;
        }
    }
    if (have_hello) {
        ServerAnswer more = a;
        more.kind = AnswerKind::NeedMore;  // caller may still use the hello when input ends
        more.error = "flight incomplete";
        return more;
    }
    return {};
}

std::string alert_name(std::uint8_t d) {
    switch (d) {
        case 0:
            return "close_notify";
        case 10:
            return "unexpected_message";
        case 20:
            return "bad_record_mac";
        case 40:
            return "handshake_failure";
        case 47:
            return "illegal_parameter";
        case 50:
            return "decode_error";
        case 70:
            return "protocol_version";
        case 71:
            return "insufficient_security";
        case 80:
            return "internal_error";
        case 86:
            return "inappropriate_fallback";
        case 109:
            return "missing_extension";
        case 112:
            return "unrecognized_name";
        default:
            return "alert " + std::to_string(d);
    }
}

std::string version_name(std::uint16_t v) {
    switch (v) {
        case 0x0002:
            return "SSLv2";
        case kSsl3:
            return "SSLv3";
        case kTls10:
            return "TLSv1";
        case kTls11:
            return "TLSv1.1";
        case kTls12:
            return "TLSv1.2";
        case kTls13:
            return "TLSv1.3";
        default:
            return "0x" + std::to_string(v);
    }
}

}  // namespace grundscan::probe
