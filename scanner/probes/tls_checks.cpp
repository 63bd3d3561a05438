#include "scanner/probes/tls_checks.hpp"

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <ctime>

#include "scanner/core/text.hpp"

namespace grundscan::probe {

namespace {

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

}  // namespace

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
