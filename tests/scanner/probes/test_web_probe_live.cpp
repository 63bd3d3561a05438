// Integration tests of the live web probe against real servers on 127.0.0.1: nginx in several
// configurations (hardened, weak, soft 404, expired and wrong-host certificates, endless
// redirects, 50 MiB body) and misbehaving python peers (silent, garbage, reset, TRACE echo).
// The servers are started once per suite (tests/scanner/probes/loopback_servers.hpp). The
// suite skips only when nginx, openssl or python3 is missing (ci/install-deps.sh installs
// them).
#include "scanner/probes/web_probe.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <regex>
#include <variant>

#include "scanner/facts/catalog.hpp"
#include "tests/scanner/probes/loopback_servers.hpp"
#include "tests/test_support.hpp"

namespace grundscan {
namespace {

using testing::LoopbackLab;
using testing::Peer;
using Clock = std::chrono::steady_clock;

constexpr long kTimeoutMs = 2000;  // per request, in all live tests

// --- reading a ProbeResult -------------------------------------------------------------------

const Fact* find_fact(const ProbeResult& r, const std::string& name) {
    for (const auto& f : r.facts)
        if (f.name == name) return &f;
    return nullptr;
}

template <class T>
std::optional<T> typed(const ProbeResult& r, const std::string& name) {
    const Fact* f = find_fact(r, name);
    if (f == nullptr || !std::holds_alternative<T>(f->value)) return std::nullopt;
    return std::get<T>(f->value);
}

std::optional<std::int64_t> int_fact(const ProbeResult& r, const std::string& n) {
    return typed<std::int64_t>(r, n);
}
std::optional<bool> bool_fact(const ProbeResult& r, const std::string& n) {
    return typed<bool>(r, n);
}
std::optional<std::string> str_fact(const ProbeResult& r, const std::string& n) {
    return typed<std::string>(r, n);
}
StringList list_fact(const ProbeResult& r, const std::string& n) {
    return typed<StringList>(r, n).value_or(StringList{});
}

std::vector<const SourceIssue*> fatal_issues(const ProbeResult& r) {
    std::vector<const SourceIssue*> v;
    for (const auto& i : r.issues)
        if (i.fatal) v.push_back(&i);
    return v;
}

// Everything about a result, for failure messages.
std::string dump(const ProbeResult& r) {
    std::string s = "result for " + r.asset_id + " (" + r.source + "), " +
                    std::to_string(r.requests) + " requests\n";
    for (const auto& f : r.facts)
        s += "  fact " + f.name + " = " + fact_value_to_string(f.value) + "   [" +
             f.provenance.source + " | " + f.provenance.excerpt.substr(0, 80) + "]\n";
    for (const auto& i : r.issues)
        s += std::string("  ") + (i.fatal ? "FATAL " : "note  ") + "[" + i.collector + "] " +
             i.message + "\n";
    return s;
}

std::string join(const StringList& l) {
    std::string s = "[";
    for (const auto& x : l) s += (s.size() > 1 ? ", " : "") + x;
    return s + "]";
}

::testing::AssertionResult Has(const StringList& l, const std::string& x) {
    if (std::find(l.begin(), l.end(), x) != l.end()) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << join(l) << " does not contain " << x;
}

::testing::AssertionResult Empty(const StringList& l) {
    if (l.empty()) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << join(l) << " is not empty";
}

::testing::AssertionResult NoFatal(const ProbeResult& r) {
    for (const auto& i : r.issues)
        if (i.fatal) return ::testing::AssertionFailure() << "fatal issue: " << i.message;
    return ::testing::AssertionSuccess();
}

::testing::AssertionResult HasSub(const std::string& s, const std::string& part) {
    if (s.find(part) != std::string::npos) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "'" << s << "' does not contain '" << part << "'";
}

bool any_matches(const StringList& list, const std::string& re) {
    std::regex rx(re);
    return std::any_of(list.begin(), list.end(),
                       [&](const std::string& s) { return std::regex_search(s, rx); });
}

// --- the suite -------------------------------------------------------------------------------

class WebProbeLive : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        missing_ = LoopbackLab::missing_tools();
        if (!missing_.empty()) return;
        lab_ = std::make_unique<LoopbackLab>();
        start_error_ = lab_->start();
    }
    static void TearDownTestSuite() {
        lab_.reset();  // stops nginx and the peers by PID, removes the temp dir
        results_.clear();
        batch_done_ = false;
    }
    void SetUp() override {
        if (!missing_.empty()) GTEST_SKIP() << "live web probe tests skipped: " << missing_;
        ASSERT_TRUE(start_error_.empty()) << "loopback servers did not start: " << start_error_;
    }

    static ProbeOptions options() {
        ProbeOptions o;
        o.connect_timeout_ms = 1000;
        o.total_timeout_ms = kTimeoutMs;
        o.cacert = lab_->ca_cert().string();
        return o;
    }

    static ProbeRequestTarget target(Peer p, const std::string& scheme = "") {
        ProbeRequestTarget t;
        t.asset_id = asset_id(p, scheme);
        t.target.url = lab_->url(p, scheme);
        return t;
    }
    static std::string asset_id(Peer p, const std::string& scheme = "") {
        return "peer-" + std::to_string(static_cast<int>(p)) + scheme;
    }

    // The result for `p`. The well-behaved servers are probed together, in one concurrent
    // call, the first time any of them is needed.
    static const ProbeResult& result(Peer p) {
        static const Peer batch[] = {Peer::Hardened,  Peer::Weak,    Peer::Soft404,  Peer::Expired,
                                     Peer::WrongHost, Peer::BigBody, Peer::TraceEcho};
        if (!batch_done_) {
            batch_done_ = true;
            std::vector<ProbeRequestTarget> targets;
            for (Peer b : batch) targets.push_back(target(b));
            const auto t0 = Clock::now();
            auto results = probe_web_targets(targets, options(), today_utc());
            batch_ms_ =
                std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
            for (auto& r : results) results_[r.asset_id] = std::move(r);
        }
        auto it = results_.find(asset_id(p));
        if (it == results_.end()) {
            ADD_FAILURE() << "no result for " << lab_->url(p);
            static const ProbeResult none;
            return none;
        }
        return it->second;
    }

    static std::unique_ptr<LoopbackLab> lab_;
    static std::string missing_, start_error_;
    static std::map<std::string, ProbeResult> results_;
    static long long batch_ms_;
    static bool batch_done_;
};

std::unique_ptr<LoopbackLab> WebProbeLive::lab_;
std::string WebProbeLive::missing_;
std::string WebProbeLive::start_error_;
std::map<std::string, ProbeResult> WebProbeLive::results_;
long long WebProbeLive::batch_ms_ = 0;
bool WebProbeLive::batch_done_ = false;

TEST_F(WebProbeLive, ProbesEveryListedTargetOnce) {
    const auto& r = result(Peer::Hardened);
    EXPECT_EQ(results_.size(), 7u) << "one result per listed target";
    EXPECT_EQ(r.source, lab_->url(Peer::Hardened));
    EXPECT_GT(r.requests, 0);
    std::cout << "[   INFO   ] 7 well-behaved targets probed in " << batch_ms_ << " ms\n";
    if (std::getenv("GRUNDSCAN_LIVE_DUMP") != nullptr)  // every fact and issue, for debugging
        for (const auto& [id, res] : results_) std::cout << dump(res);
}

TEST_F(WebProbeLive, HardenedServerHasNoWeakness) {
    const auto& r = result(Peer::Hardened);
    SCOPED_TRACE(dump(r));
    EXPECT_TRUE(NoFatal(r));
    StringList protocols = list_fact(r, "tls.protocols_accepted");
    std::sort(protocols.begin(), protocols.end());
    EXPECT_EQ(protocols, (StringList{"TLSv1.2", "TLSv1.3"})) << join(protocols);
    EXPECT_NE(find_fact(r, "tls.weak_ciphers_accepted"), nullptr) << "cipher test ran";
    EXPECT_TRUE(Empty(list_fact(r, "tls.weak_ciphers_accepted")));
    EXPECT_TRUE(
        Has(list_fact(r, "tls.ciphers_accepted"), "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"));
    EXPECT_EQ(bool_fact(r, "tls.cipher_enumeration_complete"), true);
    for (const char* v :
         {"tls.sslv2_accepted", "tls.sslv3_accepted", "tls.tls10_accepted", "tls.tls11_accepted"})
        EXPECT_EQ(bool_fact(r, v), false) << v;
    EXPECT_EQ(list_fact(r, "tls.leaf_key_types"), StringList{"ec"});
    EXPECT_GE(int_fact(r, "http.hsts_max_age").value_or(-1), 31536000);
    EXPECT_EQ(bool_fact(r, "http.hsts_include_subdomains"), true);
    EXPECT_EQ(bool_fact(r, "http.frame_protection"), true);
    EXPECT_EQ(str_fact(r, "http.x_content_type_options"), "nosniff");
    EXPECT_TRUE(HasSub(str_fact(r, "http.csp").value_or(""), "frame-ancestors"));
    EXPECT_EQ(str_fact(r, "http.referrer_policy"), "strict-origin-when-cross-origin");
    EXPECT_TRUE(str_fact(r, "http.permissions_policy").has_value());
    EXPECT_TRUE(Empty(list_fact(r, "http.cookies_without_secure")));
    EXPECT_TRUE(Empty(list_fact(r, "http.cookies_without_httponly")));
    EXPECT_TRUE(Empty(list_fact(r, "http.cookies_without_samesite")));
    EXPECT_EQ(find_fact(r, "http.server_version"), nullptr) << "server_tokens off";
    EXPECT_EQ(str_fact(r, "http.server_product"), "nginx");
    EXPECT_TRUE(Empty(list_fact(r, "leaks.exposed_paths")));
    EXPECT_NE(bool_fact(r, "http.directory_listing"), true);
    EXPECT_NE(bool_fact(r, "http.trace_enabled"), true);
    EXPECT_EQ(int_fact(r, "http.status"), 200);
    // The chain is signed by the test CA given as cacert; the SAN has IP:127.0.0.1.
    EXPECT_EQ(bool_fact(r, "tls.cert_trusted"), true);
    EXPECT_EQ(bool_fact(r, "tls.cert_hostname_match"), true);
    EXPECT_GT(int_fact(r, "tls.cert_days_left").value_or(-1), 0);
    EXPECT_EQ(str_fact(r, "tls.cert_key_type"), "ec");
}

TEST_F(WebProbeLive, WeakServerAcceptsLegacyTls) {
    const auto& r = result(Peer::Weak);
    SCOPED_TRACE(dump(r));
    EXPECT_TRUE(Has(list_fact(r, "tls.protocols_accepted"), "TLSv1.2"));
    EXPECT_FALSE(Has(list_fact(r, "tls.protocols_accepted"), "TLSv1.3"));
    // Raw ClientHellos: no dependence on what the local OpenSSL client allows.
    EXPECT_EQ(bool_fact(r, "tls.tls10_accepted"), true);
    EXPECT_EQ(bool_fact(r, "tls.tls11_accepted"), true);
    EXPECT_EQ(bool_fact(r, "tls.sslv3_accepted"), false);
    EXPECT_TRUE(Has(list_fact(r, "tls.protocols_accepted"), "TLSv1"));
    EXPECT_TRUE(Has(list_fact(r, "tls.protocols_accepted"), "TLSv1.1"));
}

TEST_F(WebProbeLive, WeakServerAcceptsCbcSha1Suites) {
    const auto& r = result(Peer::Weak);
    SCOPED_TRACE(dump(r));
    const StringList weak = list_fact(r, "tls.weak_ciphers_accepted");
    EXPECT_FALSE(weak.empty());
    EXPECT_TRUE(any_matches(weak, "_CBC_SHA$")) << "a CBC-SHA1 suite";
    EXPECT_TRUE(any_matches(weak, "^TLS_RSA_WITH_")) << "a static-RSA suite";
    for (const auto& c : weak)
        EXPECT_TRUE(Has(list_fact(r, "tls.ciphers_accepted"), c)) << "weak ⊆ accepted";
}

TEST_F(WebProbeLive, WeakServerEnumerationIsCompleteWithoutLocalCipherSupport) {
    const auto& r = result(Peer::Weak);
    SCOPED_TRACE(dump(r));
    // nginx "ALL:@SECLEVEL=0": anonymous suites and ChaCha20 come with it; 3DES only where the
    // server's OpenSSL still has it (gnutls-serv covers 3DES in test_tls_scan_live.cpp).
    EXPECT_EQ(bool_fact(r, "tls.cipher_enumeration_complete"), true);
    const StringList weak = list_fact(r, "tls.weak_ciphers_accepted");
    EXPECT_TRUE(any_matches(weak, "_anon_")) << "ADH/AECDH";
    EXPECT_TRUE(any_matches(weak, "CAMELLIA|ARIA|CHACHA20"));
    if (lab_->local_has_3des()) {
        EXPECT_TRUE(any_matches(weak, "3DES_EDE"));
    }
}

TEST_F(WebProbeLive, WeakServerHeadersCookiesLeaksListing) {
    const auto& r = result(Peer::Weak);
    SCOPED_TRACE(dump(r));
    EXPECT_TRUE(NoFatal(r));
    EXPECT_EQ(str_fact(r, "http.server_version"), lab_->nginx_version());
    EXPECT_EQ(str_fact(r, "http.server_product"), "nginx");
    EXPECT_TRUE(Has(list_fact(r, "http.cookies_without_secure"), "tracking"));
    EXPECT_TRUE(Has(list_fact(r, "http.cookies_without_httponly"), "tracking"));
    EXPECT_TRUE(Has(list_fact(r, "http.cookies_without_samesite"), "tracking"));
    EXPECT_EQ(int_fact(r, "http.hsts_max_age").value_or(0), 0);
    EXPECT_NE(bool_fact(r, "http.frame_protection"), true);
    EXPECT_NE(str_fact(r, "http.x_content_type_options"), "nosniff");
    EXPECT_TRUE(Has(list_fact(r, "leaks.exposed_paths"), "/.git/HEAD"));
    EXPECT_EQ(bool_fact(r, "http.directory_listing"), true);
    EXPECT_NE(bool_fact(r, "http.trace_enabled"), true) << "nginx answers TRACE with 405";
}

// Issue 9, point 9: a site that answers every path with the same page cannot show whether a
// sensitive path or a directory listing is there: no fact (no evidence), with the reason.
TEST_F(WebProbeLive, Soft404SiteLeavesLeaksAndListingUnjudged) {
    const auto& r = result(Peer::Soft404);
    SCOPED_TRACE(dump(r));
    EXPECT_TRUE(NoFatal(r));
    EXPECT_EQ(int_fact(r, "http.status"), 200);
    EXPECT_EQ(find_fact(r, "leaks.exposed_paths"), nullptr) << "soft 404: not judged";
    EXPECT_EQ(find_fact(r, "http.directory_listing"), nullptr) << "soft 404: not judged";
    bool explained = false;
    for (const auto& i : r.issues)
        for (const auto& f : i.explains) explained |= f == "leaks.exposed_paths";
    EXPECT_TRUE(explained) << "an issue says why the leak check decided nothing";
}

// A site that redirects every path but the start page: the paths were never seen.
TEST_F(WebProbeLive, RedirectingSiteLeavesPathsAndTraceUnjudged) {
    auto results = probe_web_targets({target(Peer::RedirectPaths)}, options(), today_utc());
    ASSERT_EQ(results.size(), 1u);
    const auto& r = results.front();
    SCOPED_TRACE(dump(r));
    EXPECT_TRUE(NoFatal(r));
    EXPECT_EQ(int_fact(r, "http.status"), 200);
    EXPECT_EQ(find_fact(r, "leaks.exposed_paths"), nullptr);
    EXPECT_EQ(find_fact(r, "http.directory_listing"), nullptr);
    // nginx refuses TRACE (405) before any location applies: that answer does decide.
    EXPECT_EQ(bool_fact(r, "http.trace_enabled"), false);
}

// The hardened server answers a random path with 404: there "not found" is evidence.
TEST_F(WebProbeLive, DiscriminatingSiteJudgesLeaksListingAndTrace) {
    const auto& r = result(Peer::Hardened);
    SCOPED_TRACE(dump(r));
    EXPECT_NE(find_fact(r, "leaks.exposed_paths"), nullptr);
    EXPECT_TRUE(Empty(list_fact(r, "leaks.exposed_paths")));
    EXPECT_EQ(bool_fact(r, "http.directory_listing"), false);
    EXPECT_EQ(bool_fact(r, "http.trace_enabled"), false);
}

TEST_F(WebProbeLive, ExpiredCertificate) {
    const auto& r = result(Peer::Expired);
    SCOPED_TRACE(dump(r));
    ASSERT_TRUE(int_fact(r, "tls.cert_days_left").has_value());
    EXPECT_LT(*int_fact(r, "tls.cert_days_left"), 0);
    EXPECT_EQ(str_fact(r, "tls.cert_not_after"), "2020-02-01");
    EXPECT_EQ(bool_fact(r, "tls.cert_trusted"), false);
    EXPECT_EQ(bool_fact(r, "tls.cert_hostname_match"), true);
}

TEST_F(WebProbeLive, SelfSignedCertificateForWrongHost) {
    const auto& r = result(Peer::WrongHost);
    SCOPED_TRACE(dump(r));
    EXPECT_EQ(bool_fact(r, "tls.cert_hostname_match"), false);
    EXPECT_EQ(bool_fact(r, "tls.cert_trusted"), false);
    EXPECT_TRUE(HasSub(str_fact(r, "tls.cert_subject").value_or(""), "wrong.example"));
    EXPECT_TRUE(int_fact(r, "tls.cert_days_left").has_value()) << "still inspected";
}

TEST_F(WebProbeLive, TraceEchoIsDetected) {
    const auto& r = result(Peer::TraceEcho);
    SCOPED_TRACE(dump(r));
    EXPECT_TRUE(NoFatal(r));
    EXPECT_EQ(bool_fact(r, "http.trace_enabled"), true);
    EXPECT_EQ(find_fact(r, "tls.protocols_accepted"), nullptr) << "plain http";
}

TEST_F(WebProbeLive, BigBodyIsCutOffAndHeadersKept) {
    const auto& r = result(Peer::BigBody);
    SCOPED_TRACE(dump(r));
    EXPECT_TRUE(NoFatal(r));
    EXPECT_EQ(int_fact(r, "http.status"), 200);
    EXPECT_EQ(int_fact(r, "http.hsts_max_age"), 31536000);
    EXPECT_EQ(str_fact(r, "http.x_content_type_options"), "nosniff");
    EXPECT_TRUE(Has(list_fact(r, "tls.protocols_accepted"), "TLSv1.3"));
    // The cut-off is noted (a non-fatal issue mentioning the limit or the cut).
    const bool noted = std::any_of(r.issues.begin(), r.issues.end(), [](const SourceIssue& i) {
        return !i.fatal &&
               std::regex_search(i.message, std::regex("cut|truncat|abgeschnitten|limit|MiB|"
                                                       "bytes|Bytes|max",
                                                       std::regex::icase));
    });
    EXPECT_TRUE(noted) << "the 50 MiB body's cut-off is noted";
}

TEST_F(WebProbeLive, FactsAreDeclaredTypedAndAttributed) {
    for (Peer p : {Peer::Hardened, Peer::Weak, Peer::Expired, Peer::BigBody}) {
        const auto& r = result(p);
        grundscan::testing::expect_facts_declared(r.facts);
        for (const auto& f : r.facts) {
            EXPECT_FALSE(f.provenance.source.empty()) << f.name << " has no source";
            EXPECT_EQ(f.provenance.collector, "web-probe") << f.name;
        }
    }
}

// Peers that accept but never answer, answer garbage, reset the connection, or redirect
// forever: each ends in a fatal issue naming its URL, all within the timeout.
TEST_F(WebProbeLive, MisbehavingPeersFailFastWithFatalIssues) {
    std::vector<ProbeRequestTarget> targets{target(Peer::Silent),          target(Peer::Garbage),
                                            target(Peer::Garbage, "http"), target(Peer::Reset),
                                            target(Peer::ResetLate),       target(Peer::Redirect)};
    const auto t0 = Clock::now();
    auto results = probe_web_targets(targets, options(), today_utc());
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
    std::cout << "[   INFO   ] " << targets.size() << " misbehaving peers probed in " << ms
              << " ms (timeout " << kTimeoutMs << " ms)\n";
    EXPECT_LT(ms, 3 * kTimeoutMs) << "the whole call must end within 3x the per-request timeout";
    ASSERT_EQ(results.size(), targets.size());
    for (const auto& t : targets) {
        auto it = std::find_if(results.begin(), results.end(),
                               [&](const ProbeResult& r) { return r.asset_id == t.asset_id; });
        ASSERT_NE(it, results.end()) << "no result for " << t.target.url;
        SCOPED_TRACE(dump(*it));
        if (std::getenv("GRUNDSCAN_LIVE_DUMP") != nullptr) std::cout << dump(*it);
        auto fatal = fatal_issues(*it);
        ASSERT_FALSE(fatal.empty()) << t.target.url << " must end in a fatal issue";
        EXPECT_EQ(fatal.front()->collector, "web-probe");
        // The message names the URL (with or without the trailing slash).
        std::string bare = t.target.url.substr(0, t.target.url.size() - 1);
        EXPECT_TRUE(HasSub(fatal.front()->message, bare));
        EXPECT_EQ(find_fact(*it, "leaks.exposed_paths"), nullptr);
        // Nothing else is sent to a target that does not answer (redirect hops count).
        EXPECT_LE(it->requests, options().max_redirects + 1);
    }
}

// --- port probe ------------------------------------------------------------------------------

// A TCP socket on 127.0.0.1:<free port>, listening or merely bound (= closed port).
class LoopbackSocket {
  public:
    explicit LoopbackSocket(bool listening) {
        fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        if (fd_ >= 0 && bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
            (!listening || listen(fd_, 16) == 0) &&
            getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) == 0)
            port_ = ntohs(a.sin_port);
    }
    ~LoopbackSocket() {
        if (fd_ >= 0) close(fd_);
    }
    LoopbackSocket(const LoopbackSocket&) = delete;
    LoopbackSocket& operator=(const LoopbackSocket&) = delete;
    int port() const { return port_; }

  private:
    int fd_ = -1;
    int port_ = 0;
};

TEST(PortProbeLive, ReportsOpenButNotClosedPorts) {
    LoopbackSocket open_sock(true);
    LoopbackSocket closed_sock(false);  // bound, not listening: connect is refused
    ASSERT_GT(open_sock.port(), 0);
    ASSERT_GT(closed_sock.port(), 0);
    ProbeRequestTarget t;
    t.asset_id = "loopback";
    t.target.address = "127.0.0.1";
    t.target.ports = {open_sock.port(), closed_sock.port()};
    ProbeOptions o;
    o.connect_timeout_ms = 1000;
    o.total_timeout_ms = kTimeoutMs;
    const auto t0 = Clock::now();
    auto results = probe_port_targets({t}, o);
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
    ASSERT_EQ(results.size(), 1u);
    const auto& r = results.front();
    SCOPED_TRACE(dump(r));
    EXPECT_EQ(r.asset_id, "loopback");
    EXPECT_TRUE(NoFatal(r));
    const StringList open = list_fact(r, "ports.open");
    EXPECT_TRUE(any_matches(open, "^" + std::to_string(open_sock.port()) + "(/|$)"));
    EXPECT_FALSE(any_matches(open, "^" + std::to_string(closed_sock.port()) + "(/|$)"));
    EXPECT_LT(ms, 3 * kTimeoutMs);
    const Fact* f = find_fact(r, "ports.open");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->provenance.collector, "port-probe");
}

}  // namespace
}  // namespace grundscan
