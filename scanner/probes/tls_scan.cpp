#include "scanner/probes/tls_scan.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "scanner/core/text.hpp"
#include "scanner/probes/tls_checks.hpp"
#include "scanner/probes/tls_hello.hpp"
#include "scanner/probes/tls_registry.hpp"

namespace grundscan::probe {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxAnswerBytes = 256 * 1024;
constexpr std::size_t kChunk = 128;  // suites per ClientHello (some servers choke on more)

enum class Outcome { Answer, Closed, Untested };

struct Exchange {
    Outcome outcome = Outcome::Untested;
    ServerAnswer answer;
    std::string error;  // for Closed / Untested
};

class Fd {
  public:
    explicit Fd(int fd = -1) : fd_(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const { return fd_; }

  private:
    int fd_;
};

class Scanner {
  public:
    explicit Scanner(const TlsScanOptions& o) : o_(o), start_(Clock::now()) {}
    Scanner(const Scanner&) = delete;
    Scanner& operator=(const Scanner&) = delete;
    ~Scanner() {
        if (addr_ && *addr_ != nullptr) freeaddrinfo(*addr_);
    }
    TlsScanReport run();

  private:
    int connect_socket(std::string& error);
    Exchange exchange(const Bytes& hello, bool want_flight);
    Exchange hello(std::uint16_t version, const std::vector<std::uint16_t>& suites,
                   const std::vector<std::uint16_t>& groups, bool want_flight = false,
                   bool x25519_share = true);
    bool budget(std::string& why);
    void untested(std::string why) {
        if (std::find(report_.untested.begin(), report_.untested.end(), why) ==
            report_.untested.end())
            report_.untested.push_back(std::move(why));
    }

    VersionResult probe_sslv2();
    VersionResult enumerate(std::uint16_t version, const std::vector<SuiteEntry>& list,
                            std::vector<std::uint16_t>& accepted, bool& complete);
    void probe_groups(bool tls12, bool tls13, std::uint16_t tls12_version,
                      const std::vector<std::uint16_t>& ecdhe12);
    void probe_dhe(std::uint16_t version, const std::vector<std::uint16_t>& dhe_suites);
    void probe_certificates();
    // One OpenSSL handshake with restricted algorithms; Accepted with the chain, Rejected when
    // the server refused with an alert, Untested otherwise.
    Verdict openssl_chain(const char* ciphers, const char* sigalgs, const std::string& label);

    TlsScanOptions o_;
    Clock::time_point start_;
    Clock::time_point last_connect_{};
    std::optional<addrinfo*> addr_;
    std::string resolve_error_;
    TlsScanReport report_;
};

std::vector<std::uint16_t> ec_group_codes(bool with_ffdhe) {
    std::vector<std::uint16_t> out;
    for (const auto& g : named_groups())
        if (with_ffdhe || !g.ffdhe) out.push_back(g.code);
    return out;
}

bool Scanner::budget(std::string& why) {
    if (report_.connections >= o_.max_connections) {
        why = "connection budget of " + std::to_string(o_.max_connections) + " used up";
        return false;
    }
    if (Clock::now() - start_ > std::chrono::milliseconds(o_.deadline_ms)) {
        why = "time budget of " + std::to_string(o_.deadline_ms / 1000) + " s used up";
        return false;
    }
    return true;
}

int Scanner::connect_socket(std::string& error) {
    if (!addr_) {
        addrinfo hints{};
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;
        addrinfo* res = nullptr;
        const std::string port = std::to_string(o_.port);
        const int rc = getaddrinfo(o_.host.c_str(), port.c_str(), &hints, &res);
        if (rc != 0) {
            resolve_error_ = std::string("cannot resolve ") + o_.host + ": " + gai_strerror(rc);
            res = nullptr;
        }
        addr_ = res;
    }
    if (*addr_ == nullptr) {
        error = resolve_error_;
        return -1;
    }
    if (!budget(error)) return -1;
    if (o_.max_rate > 0) {
        const auto gap = std::chrono::duration_cast<Clock::duration>(
            std::chrono::duration<double>(1.0 / o_.max_rate));
        const auto next = last_connect_ + gap;
        if (Clock::now() < next) std::this_thread::sleep_until(next);
    }
    last_connect_ = Clock::now();
    ++report_.connections;
    const addrinfo* a = *addr_;  // the first address only: the same peer for every hello
    int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
    if (fd < 0) {
        error = std::string("socket: ") + std::strerror(errno);
        return -1;
    }
    if (::connect(fd, a->ai_addr, a->ai_addrlen) != 0 && errno != EINPROGRESS) {
        error = std::string("connect: ") + std::strerror(errno);
        ::close(fd);
        return -1;
    }
    pollfd p{fd, POLLOUT, 0};
    const int n = ::poll(&p, 1, static_cast<int>(o_.connect_timeout_ms));
    int soerr = 0;
    socklen_t len = sizeof soerr;
    if (n <= 0 || ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) != 0 || soerr != 0) {
        error = n == 0 ? "connect timeout" : std::string("connect: ") + std::strerror(soerr);
        ::close(fd);
        return -1;
    }
    return fd;
}

Exchange Scanner::exchange(const Bytes& hello, bool want_flight) {
    Exchange ex;
    std::string error;
    Fd fd(connect_socket(error));
    if (fd.get() < 0) {
        ex.error = error;
        return ex;
    }
    const auto deadline = Clock::now() + std::chrono::milliseconds(o_.io_timeout_ms);
    auto remaining_ms = [&] {
        return static_cast<int>(std::max<long long>(
            0, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now())
                   .count()));
    };
    for (std::size_t sent = 0; sent < hello.size();) {
        pollfd p{fd.get(), POLLOUT, 0};
        if (::poll(&p, 1, remaining_ms()) <= 0) {
            ex.error = "timeout sending the ClientHello";
            return ex;
        }
        const ssize_t n = ::send(fd.get(), hello.data() + sent, hello.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) {
            ex.error = std::string("send: ") + std::strerror(errno);
            return ex;
        }
        sent += static_cast<std::size_t>(n);
    }
    Bytes buf;
    std::uint8_t chunk[8192];
    for (;;) {
        pollfd p{fd.get(), POLLIN, 0};
        const int pr = ::poll(&p, 1, remaining_ms());
        if (pr <= 0) {
            ex.answer = parse_server_answer(buf, want_flight);
            if (ex.answer.hello_seen) {  // the flight stopped: keep the hello
                ex.answer.kind = AnswerKind::ServerHello;
                ex.outcome = Outcome::Answer;
                return ex;
            }
            ex.error = "no answer within " + std::to_string(o_.io_timeout_ms) + " ms";
            return ex;
        }
        const ssize_t n = ::recv(fd.get(), chunk, sizeof chunk, 0);
        if (n <= 0) {
            ex.answer = parse_server_answer(buf, want_flight);
            if (ex.answer.hello_seen) {
                ex.answer.kind = AnswerKind::ServerHello;
                ex.outcome = Outcome::Answer;
                return ex;
            }
            if (!buf.empty()) {
                ex.error = "connection closed in the middle of an answer";
                return ex;
            }
            ex.outcome = Outcome::Closed;
            ex.error = n == 0 ? "connection closed without an answer"
                              : std::string("connection reset without an answer (") +
                                    std::strerror(errno) + ")";
            return ex;
        }
        buf.insert(buf.end(), chunk, chunk + n);
        ex.answer = parse_server_answer(buf, want_flight);
        if (ex.answer.kind == AnswerKind::Garbage) {
            ex.error = "not a TLS answer: " + ex.answer.error;
            return ex;
        }
        if (ex.answer.kind != AnswerKind::NeedMore) {
            ex.outcome = Outcome::Answer;
            return ex;
        }
        if (buf.size() > kMaxAnswerBytes) {
            ex.error = "answer larger than " + std::to_string(kMaxAnswerBytes) + " bytes";
            return ex;
        }
    }
}

Exchange Scanner::hello(std::uint16_t version, const std::vector<std::uint16_t>& suites,
                        const std::vector<std::uint16_t>& groups, bool want_flight,
                        bool x25519_share) {
    HelloSpec spec;
    spec.version = version;
    spec.suites = suites;
    spec.groups = groups;
    spec.sni = o_.sni;
    spec.x25519_share = x25519_share;
    Bytes random(64);
    RAND_bytes(random.data(), static_cast<int>(random.size()));
    return exchange(build_client_hello(spec, random), want_flight);
}

VersionResult Scanner::probe_sslv2() {
    VersionResult r{"SSLv2", Verdict::Untested, {}};
    Bytes random(64);
    RAND_bytes(random.data(), static_cast<int>(random.size()));
    Exchange ex = exchange(build_sslv2_client_hello(random), false);
    if (ex.outcome == Outcome::Answer && ex.answer.kind == AnswerKind::Sslv2Hello &&
        ex.answer.version == 0x0002) {
        r.verdict = Verdict::Accepted;
        r.detail = "SSLv2 SERVER-HELLO";
    } else if (ex.outcome == Outcome::Answer || ex.outcome == Outcome::Closed) {
        r.verdict = Verdict::Rejected;
        r.detail = ex.outcome == Outcome::Closed ? ex.error
                   : ex.answer.kind == AnswerKind::Alert
                       ? "alert " + alert_name(ex.answer.alert_description)
                       : "answered as " + version_name(ex.answer.version);
    } else if (ex.error.rfind("not a TLS answer", 0) == 0) {
        // A TLS server that answers an SSLv2 hello with a TLS record does not speak SSLv2.
        r.verdict = Verdict::Rejected;
        r.detail = ex.error;
    } else {
        r.detail = ex.error;
    }
    return r;
}

VersionResult Scanner::enumerate(std::uint16_t version, const std::vector<SuiteEntry>& list,
                                 std::vector<std::uint16_t>& accepted, bool& complete) {
    VersionResult r{version_name(version), Verdict::Untested, {}};
    const bool tls13 = version == kTls13;
    const auto groups = ec_group_codes(true);
    bool decided = true, lower = false;
    std::string reason;
    for (std::size_t at = 0; at < list.size() && !lower; at += kChunk) {
        std::vector<std::uint16_t> rest;
        for (std::size_t i = at; i < std::min(list.size(), at + kChunk); ++i)
            rest.push_back(list[i].code);
        while (!rest.empty()) {
            Exchange ex =
                hello(version, rest, version == kSsl3 ? std::vector<std::uint16_t>{} : groups);
            if (ex.outcome == Outcome::Closed ||
                (ex.outcome == Outcome::Answer && ex.answer.kind == AnswerKind::Alert)) {
                if (reason.empty())
                    reason = ex.outcome == Outcome::Closed
                                 ? ex.error
                                 : "alert " + alert_name(ex.answer.alert_description);
                break;  // the server accepts none of the rest
            }
            if (ex.outcome != Outcome::Answer) {
                decided = false;
                untested(r.name + ": " + ex.error);
                break;
            }
            const std::uint16_t got = ex.answer.version;
            if (got != version) {
                if ((tls13 && got < kTls13) || (!tls13 && got < version)) {
                    lower = true;  // the server does not speak this version
                    reason = "server answered with " + version_name(got);
                } else {
                    decided = false;
                    untested(r.name + ": server answered with " + version_name(got));
                }
                break;
            }
            auto it = std::find(rest.begin(), rest.end(), ex.answer.suite);
            if (it == rest.end()) {
                decided = false;
                untested(r.name + ": server chose suite " + suite_name(ex.answer.suite) +
                         " that was not offered");
                break;
            }
            rest.erase(it);
            accepted.push_back(ex.answer.suite);
            if (r.detail.empty()) r.detail = suite_name(ex.answer.suite);
            if (!o_.ciphers) break;  // one accepted suite proves the version
        }
        if (!o_.ciphers && !accepted.empty()) break;
    }
    if (!accepted.empty()) {
        r.verdict = Verdict::Accepted;
        complete = decided && o_.ciphers;
    } else if (decided) {
        r.verdict = Verdict::Rejected;
        r.detail = reason;
        complete = true;
    } else {
        complete = false;
    }
    return r;
}

void Scanner::probe_groups(bool tls12, bool tls13, std::uint16_t v12,
                           const std::vector<std::uint16_t>& ecdhe12) {
    bool decided = true;
    std::set<std::string> accepted;
    std::vector<std::uint16_t> t13;
    for (const auto& s : tls13_suites()) t13.push_back(s.code);
    for (const auto& g : named_groups()) {
        if (tls13) {
            Exchange ex = hello(kTls13, t13, {g.code}, false, g.code == 29);
            if (ex.outcome == Outcome::Answer && (ex.answer.kind == AnswerKind::ServerHello ||
                                                  ex.answer.kind == AnswerKind::HelloRetry)) {
                if (ex.answer.group == g.code)
                    accepted.insert(std::string(g.name));
                else {
                    decided = false;
                    untested("group " + std::string(g.name) + " (TLS 1.3): server selected " +
                             group_name(ex.answer.group));
                }
            } else if (ex.outcome == Outcome::Untested) {
                decided = false;
                untested("group " + std::string(g.name) + " (TLS 1.3): " + ex.error);
            }
        }
        if (tls12 && !g.ffdhe && !ecdhe12.empty()) {
            Exchange ex = hello(v12, ecdhe12, {g.code});
            if (ex.outcome == Outcome::Answer && ex.answer.kind == AnswerKind::ServerHello) {
                accepted.insert(std::string(g.name));
            } else if (ex.outcome == Outcome::Untested) {
                decided = false;
                untested("group " + std::string(g.name) + " (" + version_name(v12) +
                         "): " + ex.error);
            }
        }
    }
    report_.groups_accepted.assign(accepted.begin(), accepted.end());
    report_.groups_complete = decided;
}

void Scanner::probe_dhe(std::uint16_t version, const std::vector<std::uint16_t>& dhe_suites) {
    Exchange ex = hello(version, dhe_suites, ec_group_codes(false), true);
    if (ex.outcome == Outcome::Answer && ex.answer.kind == AnswerKind::ServerHello &&
        ex.answer.dh_bits > 0) {
        if (report_.dhe_min_bits == 0 || ex.answer.dh_bits < report_.dhe_min_bits)
            report_.dhe_min_bits = ex.answer.dh_bits;
        report_.dhe_detail = suite_name(ex.answer.suite) + " with a " +
                             std::to_string(ex.answer.dh_bits) + "-bit DH modulus (" +
                             version_name(version) + ")";
    } else {
        untested("DHE modulus size not measured: " +
                 (ex.error.empty() ? std::string("no ServerKeyExchange read") : ex.error));
        report_.dhe_min_bits = -1;  // DHE accepted but its size unknown
    }
}

Verdict Scanner::openssl_chain(const char* ciphers, const char* sigalgs, const std::string& label) {
    std::string error;
    Fd fd(connect_socket(error));
    if (fd.get() < 0) {
        untested(label + " certificate: " + error);
        return Verdict::Untested;
    }
    ::fcntl(fd.get(), F_SETFL, ::fcntl(fd.get(), F_GETFL) & ~O_NONBLOCK);
    timeval tv{o_.io_timeout_ms / 1000, static_cast<suseconds_t>((o_.io_timeout_ms % 1000) * 1000)};
    ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    if (ctx == nullptr) return Verdict::Untested;
    SSL_CTX_set_security_level(ctx, 0);
    SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
    Verdict verdict = Verdict::Untested;
    SSL* ssl = nullptr;
    if (SSL_CTX_set_cipher_list(ctx, ciphers) == 1 &&
        SSL_CTX_set1_sigalgs_list(ctx, sigalgs) == 1 && (ssl = SSL_new(ctx)) != nullptr) {
        SSL_set_fd(ssl, fd.get());
        if (!o_.sni.empty()) SSL_set_tlsext_host_name(ssl, o_.sni.c_str());
        ERR_clear_error();
        if (SSL_connect(ssl) == 1) {
            verdict = Verdict::Accepted;
            STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl);
            for (int i = 0; chain != nullptr && i < sk_X509_num(chain) && i < 10; ++i) {
                X509* c = sk_X509_value(chain, i);
                SeenCertificate seen;
                const bool self_signed = X509_check_issued(c, c) == X509_V_OK;
                seen.role = i == 0 ? "leaf" : self_signed ? "root" : "intermediate";
                seen.probe = label;
                char buf[256];
                X509_NAME_oneline(X509_get_subject_name(c), buf, sizeof buf);
                seen.subject = text::sanitize_utf8(buf);
                if (EVP_PKEY* key = X509_get0_pubkey(c)) {
                    seen.key_type = key_type_name(EVP_PKEY_get_base_id(key));
                    seen.key_bits = EVP_PKEY_get_bits(key);
                }
                int md = NID_undef, pk = NID_undef, bits = 0;
                std::uint32_t flags = 0;
                if (X509_get_signature_info(c, &md, &pk, &bits, &flags) == 1)
                    seen.signature_hash =
                        md == NID_undef ? "intrinsic" : text::to_lower(OBJ_nid2sn(md));
                else
                    seen.signature_hash = "unknown";
                report_.certificates.push_back(std::move(seen));
            }
        } else {
            const unsigned long e = ERR_peek_last_error();
            const char* why = e != 0 ? ERR_reason_error_string(e) : nullptr;
            const std::string reason = why ? why : "handshake failed";
            if (reason.find("alert handshake failure") != std::string::npos ||
                reason.find("alert insufficient security") != std::string::npos ||
                reason.find("alert illegal parameter") != std::string::npos) {
                verdict = Verdict::Rejected;
            } else {
                untested(label + " certificate handshake: " + reason);
            }
        }
    } else {
        untested(label + " certificate: the local OpenSSL refused the restricted client setup");
    }
    if (ssl != nullptr) SSL_free(ssl);
    SSL_CTX_free(ctx);
    ERR_clear_error();
    return verdict;
}

void Scanner::probe_certificates() {
    const Verdict rsa = openssl_chain(
        "aRSA:@SECLEVEL=0",
        "RSA+SHA256:RSA+SHA384:RSA+SHA512:RSA-PSS+SHA256:RSA-PSS+SHA384:RSA-PSS+SHA512:"
        "rsa_pss_pss_sha256:rsa_pss_pss_sha384:rsa_pss_pss_sha512:RSA+SHA224:RSA+SHA1",
        "rsa");
    const Verdict ec =
        openssl_chain("aECDSA:@SECLEVEL=0",
                      "ECDSA+SHA256:ECDSA+SHA384:ECDSA+SHA512:ECDSA+SHA224:ECDSA+SHA1", "ecdsa");
    report_.certificates_complete = rsa != Verdict::Untested && ec != Verdict::Untested &&
                                    (rsa == Verdict::Accepted || ec == Verdict::Accepted);
    if (rsa == Verdict::Rejected && ec == Verdict::Rejected)
        untested("neither an RSA-only nor an ECDSA-only client got a certificate");
}

TlsScanReport Scanner::run() {
    bool complete_all = true;
    // Protocol versions, lowest first; each accepted one enumerated fully.
    if (o_.legacy) {
        report_.versions.push_back(probe_sslv2());
    } else {
        report_.versions.push_back({"SSLv2", Verdict::Untested, "legacy versions not tested"});
    }
    const std::uint16_t order[] = {kSsl3, kTls10, kTls11, kTls12, kTls13};
    std::vector<std::uint16_t> acc12, dhe, ecdhe12;
    std::uint16_t best12 = 0;
    for (std::uint16_t v : order) {
        if (!o_.legacy && v < kTls12) {
            report_.versions.push_back(
                {version_name(v), Verdict::Untested, "legacy versions not tested"});
            complete_all = false;
            continue;
        }
        std::vector<std::uint16_t> accepted;
        bool complete = false;
        report_.versions.push_back(
            enumerate(v, v == kTls13 ? tls13_suites() : legacy_suites(), accepted, complete));
        complete_all = complete_all && complete;
        if (!accepted.empty()) report_.suites.emplace_back(version_name(v), accepted);
        if (v != kTls13 && !accepted.empty()) {
            best12 = v;
            for (auto s : accepted) {
                const std::string n = suite_name(s);
                if (is_dhe_suite(n) && n.find("PSK") == std::string::npos &&
                    std::find(dhe.begin(), dhe.end(), s) == dhe.end())
                    dhe.push_back(s);
                if (v == kTls12 && is_ecdhe_suite(n) && n.find("PSK") == std::string::npos)
                    ecdhe12.push_back(s);
            }
        }
    }
    if (report_.versions.front().verdict == Verdict::Untested) complete_all = false;
    report_.suites_complete = complete_all;
    if (!o_.ciphers) untested("cipher suites not enumerated (cipher test switched off)");
    auto verdict_of = [&](const char* name) {
        for (const auto& v : report_.versions)
            if (v.name == name) return v.verdict;
        return Verdict::Untested;
    };
    if (o_.ciphers) {
        const bool t12 = verdict_of("TLSv1.2") == Verdict::Accepted;
        const bool t13 = verdict_of("TLSv1.3") == Verdict::Accepted;
        probe_groups(t12, t13, kTls12, ecdhe12);
        report_.groups_complete = report_.groups_complete && report_.suites_complete;
        int ffdhe_min = 0;
        for (const auto& g : named_groups())
            if (g.ffdhe && std::find(report_.groups_accepted.begin(), report_.groups_accepted.end(),
                                     g.name) != report_.groups_accepted.end())
                if (ffdhe_min == 0 || g.bits < ffdhe_min) ffdhe_min = g.bits;
        if (!dhe.empty()) probe_dhe(best12, dhe);
        if (ffdhe_min > 0 && report_.dhe_min_bits >= 0 &&
            (report_.dhe_min_bits == 0 || ffdhe_min < report_.dhe_min_bits)) {
            report_.dhe_min_bits = ffdhe_min;
            report_.dhe_detail += std::string(report_.dhe_detail.empty() ? "" : "; ") +
                                  "TLS 1.3 accepts ffdhe" + std::to_string(ffdhe_min);
        }
        if (!dhe.empty() || ffdhe_min > 0)
            report_.dhe_accepted = true;
        else if (report_.suites_complete && report_.groups_complete)
            report_.dhe_accepted = false;
        if (report_.dhe_min_bits < 0) report_.dhe_min_bits = 0;
    }
    if (o_.certificates) probe_certificates();
    return report_;
}

}  // namespace

TlsScanReport scan_tls(const TlsScanOptions& options) {
    Scanner s(options);
    TlsScanReport r = s.run();
    return r;
}

}  // namespace grundscan::probe
