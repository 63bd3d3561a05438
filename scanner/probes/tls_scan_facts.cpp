// Turns a raw TLS scan into tls.* facts. "Not tested" is never a negative value: a fact whose
// subject was not (completely) tested is left out and a note says why.
#include <algorithm>
#include <map>
#include <set>

#include "scanner/probes/tls_registry.hpp"
#include "scanner/probes/tls_scan.hpp"

namespace grundscan::probe {

namespace {

std::string join(const std::vector<std::string>& items, std::string_view sep) {
    std::string out;
    for (const auto& i : items) {
        if (!out.empty()) out += sep;
        out += i;
    }
    return out;
}

const char* version_fact(const std::string& v) {
    if (v == "SSLv2") return "tls.sslv2_accepted";
    if (v == "SSLv3") return "tls.sslv3_accepted";
    if (v == "TLSv1") return "tls.tls10_accepted";
    if (v == "TLSv1.1") return "tls.tls11_accepted";
    if (v == "TLSv1.2") return "tls.tls12_accepted";
    return "tls.tls13_accepted";
}

}  // namespace

std::vector<ScanFact> tls_scan_facts(const TlsScanReport& r, std::vector<std::string>& notes) {
    std::vector<ScanFact> out;
    // Protocol versions.
    std::vector<std::string> accepted, parts, untested_versions;
    for (const auto& v : r.versions) {
        if (v.verdict == Verdict::Untested) {
            untested_versions.push_back(v.name);
            notes.push_back(v.name + " not tested: " + v.detail);
            continue;
        }
        const bool yes = v.verdict == Verdict::Accepted;
        const std::string ex = v.name + (yes ? " accepted (" : " rejected (") + v.detail + ")";
        out.push_back({version_fact(v.name), yes, ex});
        if (yes) accepted.push_back(v.name);
        parts.push_back(ex);
    }
    if (untested_versions.empty() && !r.versions.empty())
        out.push_back({"tls.protocols_accepted", accepted, join(parts, "; ")});
    else if (!r.versions.empty())
        notes.push_back("tls.protocols_accepted left out: not tested: " +
                        join(untested_versions, ", "));

    // Cipher suites: the union over every accepted version.
    std::map<std::uint16_t, std::vector<std::string>> seen;  // code -> versions
    for (const auto& [version, codes] : r.suites)
        for (auto c : codes) seen[c].push_back(version);
    std::vector<std::string> all, weak, weak_parts;
    for (const auto& [code, versions] : seen) {
        const std::string name = suite_name(code);
        all.push_back(name);
        const std::string why = tr02102_weakness(name);
        if (!why.empty()) {
            weak.push_back(name);
            weak_parts.push_back(name + " (" + why + "; " + join(versions, ", ") + ")");
        }
    }
    const std::string count = std::to_string(legacy_suites().size()) + " SSLv3-TLS 1.2 and " +
                              std::to_string(tls13_suites().size()) + " TLS 1.3 suites";
    if (r.suites_complete) {
        out.push_back({"tls.cipher_enumeration_complete", true,
                       "every accepted version enumerated over " + count + " (" +
                           std::to_string(r.connections) + " connections)"});
        out.push_back({"tls.ciphers_accepted", all,
                       std::to_string(all.size()) + " suites accepted: " + join(all, ", ")});
        out.push_back({"tls.weak_ciphers_accepted", weak,
                       weak.empty() ? "no suite outside BSI TR-02102-2 accepted (" + count + ")"
                                    : "not recommended by TR-02102-2: " + join(weak_parts, ", ")});
    } else {
        notes.push_back("cipher suite enumeration incomplete: tls.ciphers_accepted left out");
        if (!weak.empty())  // found even so: a finding, but never proof of absence
            out.push_back({"tls.weak_ciphers_accepted", weak,
                           "enumeration incomplete; not recommended by TR-02102-2: " +
                               join(weak_parts, ", ")});
    }

    // Key exchange.
    if (r.groups_complete)
        out.push_back(
            {"tls.groups_accepted", r.groups_accepted,
             r.groups_accepted.empty()
                 ? "no named group accepted (" + std::to_string(named_groups().size()) + " tested)"
                 : "named groups accepted: " + join(r.groups_accepted, ", ")});
    else if (!r.versions.empty())
        notes.push_back("named groups not completely tested: tls.groups_accepted left out");
    if (r.dhe_accepted)
        out.push_back({"tls.dhe_accepted", *r.dhe_accepted,
                       *r.dhe_accepted
                           ? "finite-field DHE accepted" +
                                 std::string(r.dhe_detail.empty() ? "" : ": " + r.dhe_detail)
                           : "no DHE suite and no ffdhe group accepted"});
    if (r.dhe_min_bits > 0)
        out.push_back({"tls.dhe_min_bits", std::int64_t{r.dhe_min_bits}, r.dhe_detail});

    // Certificates of every chain presented (RSA-only and ECDSA-only client).
    if (r.certificates_complete) {
        std::set<std::string> key_types, leaf_types, hashes;
        int rsa_min = 0, ec_min = 0;
        std::vector<std::string> desc;
        for (const auto& c : r.certificates) {
            if (c.role == "root") continue;  // a self-signed anchor's own signature proves nothing
            key_types.insert(c.key_type);
            if (c.role == "leaf") leaf_types.insert(c.key_type);
            hashes.insert(c.signature_hash);
            if ((c.key_type == "rsa" || c.key_type == "rsa-pss") &&
                (rsa_min == 0 || c.key_bits < rsa_min))
                rsa_min = c.key_bits;
            if (c.key_type == "ec" && (ec_min == 0 || c.key_bits < ec_min)) ec_min = c.key_bits;
            desc.push_back(c.role + " (" + c.probe + " client) " + c.subject + ": " + c.key_type +
                           " " + std::to_string(c.key_bits) + " bits, " + c.signature_hash);
        }
        const std::string ex = join(desc, "; ");
        out.push_back({"tls.leaf_key_types",
                       std::vector<std::string>(leaf_types.begin(), leaf_types.end()), ex});
        out.push_back({"tls.chain_key_types",
                       std::vector<std::string>(key_types.begin(), key_types.end()), ex});
        out.push_back({"tls.chain_signature_hashes",
                       std::vector<std::string>(hashes.begin(), hashes.end()), ex});
        if (rsa_min > 0) out.push_back({"tls.chain_rsa_min_bits", std::int64_t{rsa_min}, ex});
        if (ec_min > 0) out.push_back({"tls.chain_ec_min_bits", std::int64_t{ec_min}, ex});
    }
    for (const auto& u : r.untested) notes.push_back(u);
    return out;
}

}  // namespace grundscan::probe
