// The raw TLS scan against real servers on 127.0.0.1, each case judged by the shipped ozg-web
// rules: what passed falsely before (legacy versions not tested, suites the local OpenSSL
// cannot send, suites outside the old 31-suite list, DHE size, groups, the second certificate
// and the intermediate) now fails, or is no_evidence where it was not tested.
//   - openssl s_server (legacy: TLS 1.0/1.1, ALL:eNULL:@SECLEVEL=0, RSA 2048 + ECDSA P-256
//     leaves under an RSA 2048 intermediate signed with SHA-1, groups x25519:secp224r1:ffdhe2048)
//   - gnutls-serv (3DES, CAMELLIA, anonymous DH/ECDH, NULL, static-RSA CCM). gnutls-serv has
//     no listen-address option and binds the wildcard address, so it runs in a private
//     network namespace that has only a loopback interface (unshare(CLONE_NEWNET) in a forked
//     child, which also runs the probe and hands back a recorded probe file).
// Servers are stopped by PID; skips name the missing tool.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <arpa/inet.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "rules/evaluator.hpp"
#include "rules/loader.hpp"
#include "scanner/collectors/probe_record.hpp"
#include "scanner/core/dates.hpp"
#include "scanner/probes/web_probe.hpp"
#include "tests/scanner/probes/loopback_servers.hpp"
#include "tests/test_support.hpp"

namespace grundscan {
namespace {

namespace fs = std::filesystem;
using testing::ChildProcess;
using testing::find_executable;
using testing::run_command;

int free_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

bool wait_port(int port, int ms) {
    for (int waited = 0; waited < ms; waited += 100) {
        int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(static_cast<std::uint16_t>(port));
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
        ::close(fd);
        if (ok) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

ProbeOptions options(bool legacy = true) {
    ProbeOptions o;
    o.connect_timeout_ms = 1000;
    o.total_timeout_ms = 3000;
    o.legacy_tls = legacy;
    o.test_leaks = false;
    return o;
}

FactSet to_factset(const std::vector<Fact>& facts) {
    FactSet set;
    for (const auto& f : facts) set.add(f);
    return set;
}

std::string dump(const std::vector<Fact>& facts, const std::vector<SourceIssue>& issues) {
    std::string s;
    for (const auto& f : facts)
        s += "  fact " + f.name + " = " + fact_value_to_string(f.value).substr(0, 300) + "\n";
    for (const auto& i : issues)
        s += std::string("  ") + (i.fatal ? "FATAL " : "note ") + i.message + "\n";
    return s;
}

class TlsScanLive : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        openssl_ = find_executable("openssl");
        if (openssl_.empty()) return;
        dir_ = fs::temp_directory_path() / ("grundscan-tls-" + std::to_string(::getpid()));
        fs::create_directories(dir_);
        fs::permissions(dir_, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                  fs::perms::others_read | fs::perms::others_exec);
        pki_error_ = make_pki();
        rules_errors_ = load_rules({testing::source_dir() / "rules" / "packs" / "ozg-web"}, rules_);
        substitute_parameters(rules_);
    }
    static void TearDownTestSuite() {
        legacy_.stop();
        std::error_code ec;
        if (!dir_.empty()) fs::remove_all(dir_, ec);
    }

    static std::string ossl(const std::vector<std::string>& args) {
        std::vector<std::string> argv{openssl_};
        argv.insert(argv.end(), args.begin(), args.end());
        std::string out;
        if (run_command(argv, &out, 60000, dir_) != 0) return "openssl failed: " + out;
        return {};
    }

    // root (RSA 3072, SHA-256) -> intermediate (RSA 2048, signed with SHA-1) -> leaves RSA 2048
    // and ECDSA P-256 (SHA-256).
    static std::string make_pki() {
        for (const auto& args : std::vector<std::vector<std::string>>{
                 {"req", "-x509", "-newkey", "rsa:3072", "-nodes", "-keyout", "root.key", "-out",
                  "root.pem", "-days", "30", "-subj", "/CN=Test Root", "-sha256"},
                 {"req", "-newkey", "rsa:2048", "-nodes", "-keyout", "inter.key", "-out",
                  "inter.csr", "-subj", "/CN=Test Intermediate SHA1"},
                 {"x509", "-req", "-in", "inter.csr", "-CA", "root.pem", "-CAkey", "root.key",
                  "-CAcreateserial", "-out", "inter.pem", "-days", "30", "-sha1", "-extfile",
                  "ca.ext"},
                 {"req", "-newkey", "rsa:2048", "-nodes", "-keyout", "rsa.key", "-out", "rsa.csr",
                  "-subj", "/CN=localhost"},
                 {"x509", "-req", "-in", "rsa.csr", "-CA", "inter.pem", "-CAkey", "inter.key",
                  "-CAcreateserial", "-out", "rsa.pem", "-days", "30", "-sha256"},
                 {"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                  "-keyout", "ec.key", "-out", "ec.csr", "-subj", "/CN=localhost"},
                 {"x509", "-req", "-in", "ec.csr", "-CA", "inter.pem", "-CAkey", "inter.key",
                  "-CAcreateserial", "-out", "ec.pem", "-days", "30", "-sha256"},
             }) {
            if (args[0] == "x509" && !fs::exists(dir_ / "ca.ext"))
                std::ofstream(dir_ / "ca.ext") << "basicConstraints=critical,CA:TRUE\n";
            if (auto e = ossl(args); !e.empty()) return e;
        }
        return {};
    }

    // openssl s_server with legacy settings; started on first use.
    static std::string start_legacy() {
        if (legacy_port_ != 0) return {};
        legacy_port_ = free_port();
        const std::string d = dir_.string() + "/";
        const std::string err =
            legacy_.start({openssl_,       "s_server",
                           "-accept",      "127.0.0.1:" + std::to_string(legacy_port_),
                           "-cert",        d + "rsa.pem",
                           "-key",         d + "rsa.key",
                           "-cert_chain",  d + "inter.pem",
                           "-dcert",       d + "ec.pem",
                           "-dkey",        d + "ec.key",
                           "-dcert_chain", d + "inter.pem",
                           "-cipher",      "ALL:eNULL:@SECLEVEL=0",
                           "-groups",      "x25519:secp224r1:ffdhe2048",
                           "-www",         "-quiet"});
        if (!err.empty()) return err;
        if (!wait_port(legacy_port_, 10000)) return "openssl s_server did not listen";
        return {};
    }

    void SetUp() override {
        if (openssl_.empty()) GTEST_SKIP() << "openssl not installed";
        ASSERT_TRUE(pki_error_.empty()) << pki_error_;
        ASSERT_TRUE(rules_errors_.empty()) << rules_errors_.front().message;
    }

    static ResultState judge(const FactSet& facts, const std::string& rule_id,
                             std::string* message = nullptr) {
        for (const auto& r : rules_.rules) {
            if (r.id != rule_id) continue;
            EvalContext ctx{facts, "web-endpoint", rules_, today_utc(), Lang::En};
            RuleResult res = evaluate_rule(r, ctx);
            if (message) *message = res.message;
            return res.state;
        }
        ADD_FAILURE() << "no rule " << rule_id;
        return ResultState::Error;
    }

    static ProbeResult probe(const std::string& url, const ProbeOptions& o) {
        ProbeRequestTarget t;
        t.asset_id = "portal";
        t.target.url = url;
        auto results = probe_web_targets({t}, o, today_utc());
        return results.empty() ? ProbeResult{} : results.front();
    }

    static inline std::string openssl_, pki_error_;
    static inline fs::path dir_;
    static inline RuleSet rules_;
    static inline std::vector<Error> rules_errors_;
    static inline ChildProcess legacy_;
    static inline int legacy_port_ = 0;
};

#define EXPECT_STATE(facts, rule, want)                                     \
    do {                                                                    \
        std::string msg_;                                                   \
        EXPECT_EQ(state_name(judge(facts, rule, &msg_)), std::string(want)) \
            << rule << ": " << msg_;                                        \
    } while (0)

TEST_F(TlsScanLive, OpensslLegacyServerFailsEveryRuleItBreaks) {
    ASSERT_EQ(start_legacy(), "");
    const ProbeResult r =
        probe("https://127.0.0.1:" + std::to_string(legacy_port_) + "/", options());
    SCOPED_TRACE(dump(r.facts, r.issues));
    testing::expect_facts_declared(r.facts);
    const FactSet facts = to_factset(r.facts);
    EXPECT_STATE(facts, "OZG-TLS-NO-TLS10", "fail");
    EXPECT_STATE(facts, "OZG-TLS-NO-TLS11", "fail");
    EXPECT_STATE(facts, "OZG-TLS-WEAK-CIPHERS", "fail");
    EXPECT_STATE(facts, "OZG-TLS-DH-SIZE", "fail");                // 2048-bit DHE and ffdhe2048
    EXPECT_STATE(facts, "OZG-TLS-KEX-GROUPS", "fail");             // secp224r1, ffdhe2048
    EXPECT_STATE(facts, "OZG-CERT-CHAIN-KEY-SIZE", "fail");        // RSA 2048 leaf + intermediate
    EXPECT_STATE(facts, "OZG-CERT-CHAIN-SIGNATURE-HASH", "fail");  // SHA-1 intermediate
    const Fact* weak = facts.find("tls.weak_ciphers_accepted");
    ASSERT_NE(weak, nullptr);
    std::string w;
    for (const auto& suite : std::get<StringList>(weak->value)) w += suite + " ";
    EXPECT_NE(w.find("TLS_RSA_WITH_NULL_SHA "), std::string::npos) << "eNULL";
    EXPECT_NE(w.find("_anon_"), std::string::npos) << "ADH/AECDH";
    EXPECT_NE(w.find("CAMELLIA"), std::string::npos);
    EXPECT_NE(w.find("ARIA"), std::string::npos);
    const Fact* leaves = facts.find("tls.leaf_key_types");
    ASSERT_NE(leaves, nullptr);
    EXPECT_EQ(std::get<StringList>(leaves->value), (StringList{"ec", "rsa"}))
        << "both certificates";
}

TEST_F(TlsScanLive, NoLegacyTlsGivesNoEvidenceNotPass) {
    ASSERT_EQ(start_legacy(), "");
    const ProbeResult r =
        probe("https://127.0.0.1:" + std::to_string(legacy_port_) + "/", options(false));
    SCOPED_TRACE(dump(r.facts, r.issues));
    const FactSet facts = to_factset(r.facts);
    EXPECT_EQ(facts.find("tls.tls10_accepted"), nullptr);
    EXPECT_EQ(facts.find("tls.protocols_accepted"), nullptr);
    EXPECT_STATE(facts, "OZG-TLS-NO-TLS10", "no_evidence");
    EXPECT_STATE(facts, "OZG-TLS-NO-TLS11", "no_evidence");
    // Suites seen in TLS 1.2 are still findings; the enumeration is not complete.
    EXPECT_EQ(facts.find("tls.cipher_enumeration_complete"), nullptr);
    EXPECT_STATE(facts, "OZG-TLS-WEAK-CIPHERS", "fail");
    EXPECT_STATE(facts, "OZG-TLS-TLS13", "pass");
}

TEST_F(TlsScanLive, UnreachablePortIsNotTested) {
    // Nothing listens: the start page fails, so no TLS fact at all (never "not accepted").
    const ProbeResult r =
        probe("https://127.0.0.1:" + std::to_string(free_port()) + "/", options());
    for (const auto& f : r.facts) EXPECT_NE(f.name.rfind("tls.", 0), 0u) << f.name;
    const FactSet facts = to_factset(r.facts);
    EXPECT_STATE(facts, "OZG-TLS-NO-TLS10", "no_evidence");
    EXPECT_STATE(facts, "OZG-TLS-WEAK-CIPHERS", "no_evidence");
}

// Brings up "lo" in the current (new) network namespace.
bool loopback_up() {
    int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) return false;
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
    bool ok = ::ioctl(fd, SIOCGIFFLAGS, &ifr) == 0;
    ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP | IFF_RUNNING);
    ok = ok && ::ioctl(fd, SIOCSIFFLAGS, &ifr) == 0;
    ::close(fd);
    return ok;
}

TEST_F(TlsScanLive, GnutlsSuitesOpensslLacks) {
    const std::string gnutls = find_executable("gnutls-serv");
    if (gnutls.empty()) GTEST_SKIP() << "gnutls-serv not installed (Debian package gnutls-bin)";
    const fs::path record = dir_ / "gnutls.probe.json";
    const fs::path log = dir_ / "gnutls.log";
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {  // child: private network namespace with loopback only
        int code = 0;
        if (::unshare(CLONE_NEWNET) != 0) ::_exit(77);
        if (!loopback_up()) ::_exit(78);
        {
            ChildProcess server;
            const int logfd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
            const std::string d = dir_.string() + "/";
            const std::string err = server.start(
                {gnutls, "-p", "4433", "--http", "-a", "-q", "--x509certfile", d + "rsa.pem",
                 "--x509keyfile", d + "rsa.key", "--priority",
                 "NORMAL:+3DES-CBC:+CAMELLIA-128-CBC:+CAMELLIA-256-CBC:+ANON-ECDH:+ANON-DH:+RSA:"
                 "+AES-128-CCM:+NULL:+VERS-TLS1.0:+VERS-TLS1.1:+SHA1"},
                -1, logfd, logfd);
            if (!err.empty() || !wait_port(4433, 10000)) {
                code = 79;
            } else {
                const ProbeResult r = probe("https://127.0.0.1:4433/", options());
                std::ofstream(record) << probe_result_to_json(r, "2026-12-03T00:00:00Z");
            }
            server.stop();
            if (logfd >= 0) ::close(logfd);
        }
        ::_exit(code);
    }
    int status = 0;
    for (int waited = 0; ::waitpid(pid, &status, WNOHANG) == 0; waited += 100) {
        if (waited > 240000) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            FAIL() << "gnutls probe child did not finish";
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_TRUE(WIFEXITED(status));
    if (WEXITSTATUS(status) == 77 || WEXITSTATUS(status) == 78)
        GTEST_SKIP() << "no private network namespace here (unshare(CLONE_NEWNET) needs root); "
                        "gnutls-serv binds the wildcard address and is run only inside one";
    ASSERT_EQ(WEXITSTATUS(status), 0) << "gnutls-serv did not start: " << testing::read_bytes(log);
    // The recorded probe goes through the web-probe-json collector like any recording.
    auto parsed = parse_probe_record(testing::read_bytes(record));
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    SCOPED_TRACE(dump(parsed->facts, parsed->warnings));
    const FactSet facts = to_factset(parsed->facts);
    const Fact* weak = facts.find("tls.weak_ciphers_accepted");
    ASSERT_NE(weak, nullptr);
    const StringList& w = std::get<StringList>(weak->value);
    for (const char* suite :
         {"TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA",
          "TLS_ECDH_anon_WITH_AES_128_CBC_SHA", "TLS_DH_anon_WITH_AES_128_CBC_SHA",
          "TLS_RSA_WITH_AES_128_CCM", "TLS_RSA_WITH_NULL_SHA"})
        EXPECT_NE(std::find(w.begin(), w.end(), suite), w.end()) << suite;
    EXPECT_STATE(facts, "OZG-TLS-WEAK-CIPHERS", "fail");
    EXPECT_STATE(facts, "OZG-TLS-NO-TLS10", "fail");
    EXPECT_STATE(facts, "OZG-TLS-NO-TLS11", "fail");
}

}  // namespace
}  // namespace grundscan
