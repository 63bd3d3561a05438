#include "scanner/probes/tls_checks.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <openssl/bio.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <map>
#include <mutex>

#include "scanner/core/text.hpp"

namespace grundscan::probe {

namespace {

// Why a suite is weak (short tags for excerpts).
constexpr std::string_view kNull = "NULL";
constexpr std::string_view kExport = "EXPORT";
constexpr std::string_view kRc4 = "RC4";
constexpr std::string_view k3des = "3DES";
constexpr std::string_view kCbcSha1 = "CBC-SHA1";
constexpr std::string_view kStaticRsa = "static RSA";
constexpr std::string_view kStaticRsaCbcSha1 = "static RSA, CBC-SHA1";

// Checks availability in a throwaway client context (security level 0, like the probes).
bool check_available(const CipherSuite& suite) {
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    if (ctx == nullptr) return false;
    bool ok = false;
    const std::string name(suite.name);
    if (suite.tls13) {
        ok = SSL_CTX_set_ciphersuites(ctx, name.c_str()) == 1;
    } else if (SSL_CTX_set_cipher_list(ctx, (name + ":@SECLEVEL=0").c_str()) == 1) {
        STACK_OF(SSL_CIPHER)* list = SSL_CTX_get_ciphers(ctx);
        for (int i = 0; list != nullptr && i < sk_SSL_CIPHER_num(list); ++i) {
            if (name == SSL_CIPHER_get_name(sk_SSL_CIPHER_value(list, i))) ok = true;
        }
    }
    SSL_CTX_free(ctx);
    return ok;
}

std::string name_to_string(const X509_NAME* name) {
    BIO* bio = BIO_new(BIO_s_mem());
    if (bio == nullptr) return {};
    // RFC 2253 order, but UTF-8 kept as is (municipal names have umlauts).
    X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    std::string s = (len > 0 && data != nullptr) ? std::string(data, static_cast<std::size_t>(len))
                                                 : std::string();
    BIO_free(bio);
    return text::sanitize_utf8(s);
}

std::string key_type_name(int base_id) {
    switch (base_id) {
        case EVP_PKEY_RSA:
            return "rsa";
        case EVP_PKEY_RSA_PSS:
            return "rsa-pss";
        case EVP_PKEY_EC:
            return "ec";
        case EVP_PKEY_ED25519:
            return "ed25519";
        case EVP_PKEY_ED448:
            return "ed448";
        case EVP_PKEY_DSA:
            return "dsa";
        default:
            return base_id == NID_undef ? "unknown" : text::to_lower(OBJ_nid2sn(base_id));
    }
}

}  // namespace

const std::vector<CipherSuite>& tested_cipher_suites() {
    static const std::vector<CipherSuite> suites{
        // Not recommended by TR-02102-2 (reported in tls.weak_ciphers_accepted).
        {"NULL-SHA256", false, kNull},
        {"ECDHE-RSA-NULL-SHA", false, kNull},
        {"EXP-RC4-MD5", false, kExport},
        {"EXP-DES-CBC-SHA", false, kExport},
        {"RC4-SHA", false, kRc4},
        {"ECDHE-RSA-RC4-SHA", false, kRc4},
        {"DES-CBC3-SHA", false, k3des},
        {"ECDHE-RSA-DES-CBC3-SHA", false, k3des},
        {"ECDHE-RSA-AES128-SHA", false, kCbcSha1},
        {"ECDHE-RSA-AES256-SHA", false, kCbcSha1},
        {"ECDHE-ECDSA-AES128-SHA", false, kCbcSha1},
        {"ECDHE-ECDSA-AES256-SHA", false, kCbcSha1},
        {"DHE-RSA-AES128-SHA", false, kCbcSha1},
        {"DHE-RSA-AES256-SHA", false, kCbcSha1},
        {"AES128-SHA", false, kStaticRsaCbcSha1},
        {"AES256-SHA", false, kStaticRsaCbcSha1},
        {"AES128-SHA256", false, kStaticRsa},
        {"AES256-SHA256", false, kStaticRsa},
        {"AES128-GCM-SHA256", false, kStaticRsa},
        {"AES256-GCM-SHA384", false, kStaticRsa},
        // Recommended by TR-02102-2 (forward secrecy, AEAD or CBC with SHA-2).
        {"ECDHE-ECDSA-AES128-GCM-SHA256", false, {}},
        {"ECDHE-ECDSA-AES256-GCM-SHA384", false, {}},
        {"ECDHE-RSA-AES128-GCM-SHA256", false, {}},
        {"ECDHE-RSA-AES256-GCM-SHA384", false, {}},
        {"ECDHE-ECDSA-AES128-SHA256", false, {}},
        {"ECDHE-ECDSA-AES256-SHA384", false, {}},
        {"ECDHE-RSA-AES128-SHA256", false, {}},
        {"ECDHE-RSA-AES256-SHA384", false, {}},
        {"DHE-RSA-AES128-GCM-SHA256", false, {}},
        {"DHE-RSA-AES256-GCM-SHA384", false, {}},
        // Not in TR-02102-2, but none of the weak classes.
        {"ECDHE-ECDSA-CHACHA20-POLY1305", false, {}},
        {"ECDHE-RSA-CHACHA20-POLY1305", false, {}},
        // TLS 1.3.
        {"TLS_AES_128_GCM_SHA256", true, {}},
        {"TLS_AES_256_GCM_SHA384", true, {}},
        {"TLS_CHACHA20_POLY1305_SHA256", true, {}},
        {"TLS_AES_128_CCM_SHA256", true, {}},
        {"TLS_AES_128_CCM_8_SHA256", true, {}},
    };
    return suites;
}

bool locally_available(const CipherSuite& suite) {
    static std::mutex mu;
    static std::map<std::string_view, bool> cache;
    std::lock_guard<std::mutex> lock(mu);
    auto it = cache.find(suite.name);
    if (it == cache.end()) it = cache.emplace(suite.name, check_available(suite)).first;
    return it->second;
}

const std::vector<ProtocolVersion>& tested_protocol_versions() {
    static const std::vector<ProtocolVersion> versions{
        {"TLSv1", ssl_version_range(CURL_SSLVERSION_TLSv1_0, CURL_SSLVERSION_MAX_TLSv1_0), true},
        {"TLSv1.1", ssl_version_range(CURL_SSLVERSION_TLSv1_1, CURL_SSLVERSION_MAX_TLSv1_1), true},
        {"TLSv1.2", ssl_version_range(CURL_SSLVERSION_TLSv1_2, CURL_SSLVERSION_MAX_TLSv1_2), false},
        {"TLSv1.3", ssl_version_range(CURL_SSLVERSION_TLSv1_3, CURL_SSLVERSION_MAX_TLSv1_3), false},
    };
    return versions;
}

bool is_ip_literal(const std::string& host) {
    unsigned char buf[16];
    return inet_pton(AF_INET, host.c_str(), buf) == 1 ||
           inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

CertificateInfo describe_certificate(X509* cert, const std::string& host, bool host_is_ip) {
    CertificateInfo info;
    if (cert == nullptr) return info;
    info.subject = name_to_string(X509_get_subject_name(cert));
    info.issuer = name_to_string(X509_get_issuer_name(cert));
    std::tm tm{};
    if (const ASN1_TIME* t = X509_get0_notAfter(cert); t != nullptr && ASN1_TIME_to_tm(t, &tm) == 1)
        info.not_after = Date{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
    if (EVP_PKEY* key = X509_get0_pubkey(cert)) {
        info.key_type = key_type_name(EVP_PKEY_get_base_id(key));
        info.key_bits = EVP_PKEY_get_bits(key);
    }
    const int sig_nid = X509_get_signature_nid(cert);
    if (sig_nid != NID_undef) info.signature_algorithm = OBJ_nid2ln(sig_nid);
    if (host_is_ip) {
        info.hostname_match = X509_check_ip_asc(cert, host.c_str(), 0) == 1;
    } else {
        info.hostname_match = X509_check_host(cert, host.c_str(), host.size(), 0, nullptr) == 1;
    }
    return info;
}

}  // namespace grundscan::probe
