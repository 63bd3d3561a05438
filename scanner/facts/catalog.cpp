#include "scanner/facts/catalog.hpp"

#include <array>

namespace grundscan {

namespace {

using enum FactType;

// Keep sorted by name; one line per fact. Collectors must only emit facts declared here
// (tests check this for every collector on its samples).
// clang-format off
constexpr std::array kFacts = std::to_array<FactDecl>({
    {"accounts.admin_name", String, "", "Name of the built-in administrator account (renamed or not).", "secedit-inf"},
    {"accounts.guest_enabled", Boolean, "", "The built-in guest account is enabled.", "secedit-inf,gpresult-xml"},
    {"evidence.age_days", Integer, "days", "Age of the asset's evidence on the Stichtag: whole days from evidence.collected_at to the scan date (--as-of). Absent when evidence.collected_at is.", "evidence"},
    {"evidence.collected_at", Date, "", "When the asset's evidence was collected: the oldest collection time over its exports, each from the export's own timestamp (gpresult ReadTime, recorded probe probed_at, slmgr trusted time), else the nearest manifest.json, else the inventory's collected: (never file times). Absent when any export has no known time (an issue names them).", "evidence"},
    {"host.domain", String, "", "Windows domain or workgroup the host belongs to.", "systeminfo,systeminfo-csv"},
    {"host.name", String, "", "Host name as reported by the export.", "systeminfo,systeminfo-csv,gpresult-xml,os-release"},
    {"http.cookies_without_httponly", List, "", "Cookies set by the start page without the HttpOnly flag (names).", "web-probe,web-probe-json"},
    {"http.cookies_without_samesite", List, "", "Cookies set by the start page without a SameSite attribute (names).", "web-probe,web-probe-json"},
    {"http.cookies_without_secure", List, "", "Cookies set over HTTPS without the Secure flag (names).", "web-probe,web-probe-json"},
    {"http.cors_wildcard_with_credentials", Boolean, "", "Access-Control-Allow-Origin reflects any origin (or *) together with Access-Control-Allow-Credentials: true.", "web-probe,web-probe-json"},
    {"http.csp", String, "", "Content-Security-Policy header of the start page.", "web-probe,web-probe-json"},
    {"http.directory_listing", Boolean, "", "A directory listing (autoindex) is served for a probed directory.", "web-probe,web-probe-json"},
    {"http.frame_protection", Boolean, "", "X-Frame-Options (DENY/SAMEORIGIN) or CSP frame-ancestors protects against framing.", "web-probe,web-probe-json"},
    {"http.hsts_include_subdomains", Boolean, "", "The HSTS header has includeSubDomains.", "web-probe,web-probe-json"},
    {"http.hsts_max_age", Integer, "seconds", "HSTS max-age of the HTTPS start page; 0 when the header is absent.", "web-probe,web-probe-json"},
    {"http.permissions_policy", String, "", "Permissions-Policy header of the start page.", "web-probe,web-probe-json"},
    {"http.powered_by", String, "", "X-Powered-By header (product/version disclosure).", "web-probe,web-probe-json"},
    {"http.redirects_to_https", Boolean, "", "Plain http:// on the same host redirects to https://.", "web-probe,web-probe-json"},
    {"http.referrer_policy", String, "", "Referrer-Policy header of the start page.", "web-probe,web-probe-json"},
    {"http.server_banner", String, "", "Server header as sent.", "web-probe,web-probe-json"},
    {"http.server_product", String, "", "Product named in the Server header (lower case, e.g. nginx, apache).", "web-probe,web-probe-json"},
    {"http.server_version", Version, "", "Version disclosed in the Server header (e.g. 1.22.1); absent when none is disclosed.", "web-probe,web-probe-json"},
    {"http.status", Integer, "", "HTTP status of the start page.", "web-probe,web-probe-json"},
    {"http.trace_enabled", Boolean, "", "The TRACE method is answered with 200 and echoes the request.", "web-probe,web-probe-json"},
    {"http.x_content_type_options", String, "", "X-Content-Type-Options header (nosniff expected).", "web-probe,web-probe-json"},
    {"leaks.exposed_paths", List, "", "Sensitive paths served with content matching their signature (e.g. /.git/HEAD, /.env).", "web-probe,web-probe-json"},
    {"lockout.duration_minutes", Integer, "minutes", "How long a locked account stays locked; -1 means until an administrator unlocks it.", "secedit-inf,gpresult-xml,ad-password-policy-json,pam"},
    {"lockout.reset_minutes", Integer, "minutes", "Minutes after which the failed-logon counter is reset.", "secedit-inf,gpresult-xml,ad-password-policy-json,pam"},
    {"lockout.threshold", Integer, "attempts", "Failed logons before the account is locked; 0 means accounts are never locked.", "secedit-inf,gpresult-xml,ad-password-policy-json,pam"},
    {"os.build", Integer, "", "Windows build number (e.g. 19045).", "systeminfo,systeminfo-csv,windows-version"},
    {"os.days_until_eol", Integer, "days", "Days from the scan date until the end of (security) support of this OS release; negative when already past.", "eol-feed"},
    {"os.edition", String, "", "Edition class: enterprise, education, professional, home, server, ltsc, iot.", "systeminfo,systeminfo-csv"},
    {"os.eol_cycle", String, "", "Release cycle of the OS in the end-of-life feed (e.g. \"10-22h2-e\", \"12\").", "eol-feed"},
    {"os.eol_date", Date, "", "End of (security) support of this OS release according to the end-of-life feed.", "eol-feed"},
    {"os.esu_licenses", List, "", "Activated Windows Extended Security Update add-on licences listed by slmgr /dlv (e.g. Client-ESU-Year2); empty when the output lists none.", "slmgr-dlv"},
    {"os.extended_support_evidence", String, "", "How receiving extended support on the Stichtag is evidenced in phase extended: debian-lts (free Debian LTS), slmgr (activated ESU licence covering the Stichtag) or inventory (extended_support declaration). Absent when nothing shows it (an issue says what to provide).", "extended-support"},
    {"os.extended_support_until", Date, "", "End of paid or community extended support (ESU, LTS, ELS), where one exists.", "eol-feed"},
    {"os.family", String, "", "\"windows\" or \"linux\".", "systeminfo,systeminfo-csv,os-release,secedit-inf,windows-version"},
    {"os.id", String, "", "Product id: windows, windows-server, or the os-release ID (debian, ubuntu, rhel, sles, ...).", "systeminfo,systeminfo-csv,os-release"},
    {"os.install_date", Date, "", "Original installation date of the operating system.", "systeminfo,systeminfo-csv"},
    {"os.latest_patch_level", String, "", "Newest known cumulative update of this build in the Windows build table, as build.UBR (e.g. \"19045.6456\").", "windows-builds"},
    {"os.latest_patch_level_date", Date, "", "Release date of the newest known cumulative update of this build.", "windows-builds"},
    {"os.name", String, "", "Operating system name as reported (e.g. \"Microsoft Windows Server 2022 Standard\").", "systeminfo,systeminfo-csv,os-release"},
    {"os.patch_level", String, "", "Installed Windows build and update build revision, build.UBR (e.g. \"19045.5011\"), read together from one export; derived from the installed update KBs when no version export is given.", "windows-version,windows-builds"},
    {"os.patch_level_date", Date, "", "Release date of the cumulative update the installed UBR corresponds to (absent when older than the build table).", "windows-builds"},
    {"os.release", String, "", "Windows feature release derived from the build (e.g. \"22H2\", \"1809\"); LTSC/edition noted in os.edition.", "systeminfo,systeminfo-csv,windows-version"},
    {"os.support_phase", String, "", "Support phase on the scan date: regular (vendor support), extended (only ESU/LTS/ELS left) or ended; ended becomes extended when the inventory declares extended_support past the feed's end with a documenting note.", "eol-feed"},
    {"os.supported", Boolean, "", "The OS release is still within its regular (security) support period on the scan date (extended support not counted).", "eol-feed"},
    {"os.ubr", Integer, "", "Windows update build revision (the number after the build, 5011 in 10.0.19045.5011), from os.patch_level.", "windows-builds"},
    {"os.update_days_behind", Integer, "days", "Days since the first cumulative update missing on this Windows host was released (0 when the newest known update is installed).", "windows-builds"},
    {"os.updates_behind", Integer, "updates", "Cumulative updates of this Windows build released after the installed one.", "windows-builds"},
    {"os.version", Version, "", "OS version (Windows \"10.0.20348\", Linux VERSION_ID such as \"12\" or \"20.04\").", "systeminfo,systeminfo-csv,os-release"},
    {"packages", Map, "", "Installed packages: name to version (dpkg: only installed stanzas, with epoch).", "dpkg-status,rpm-qa"},
    {"packages.core_last_installed", Date, "", "Newest install date of a core package (kernel, glibc, openssl, openssh, systemd), where the package list records install dates; absent otherwise.", "rpm-qa"},
    {"packages.count", Integer, "packages", "Number of installed packages.", "dpkg-status,rpm-qa"},
    {"packages.last_installed", Date, "", "Date of the most recent package installation, where the inventory records it.", "rpm-qa"},
    {"packages.manager", String, "", "Package manager of the inventory: dpkg or rpm.", "dpkg-status,rpm-qa"},
    {"packages.sources", Map, "", "Installed binary package to its source package (dpkg Source: field; the package itself when absent).", "dpkg-status"},
    {"pam.faillock_enabled", Boolean, "", "pam_faillock (or pam_tally2) is active in the PAM stack.", "pam"},
    {"pam.pwquality_enabled", Boolean, "", "pam_pwquality or pam_cracklib is active in the PAM password stack.", "pam"},
    {"password_policy.complexity", Boolean, "", "Passwords must meet complexity rules (Windows PasswordComplexity; Linux pwquality character classes).", "secedit-inf,gpresult-xml,ad-password-policy-json,pwquality-conf,pam"},
    {"password_policy.hash_algorithm", String, "", "Algorithm for stored password hashes (sha512, yescrypt, md5, ...).", "login-defs,pam"},
    {"password_policy.history", Integer, "passwords", "Number of previous passwords that cannot be reused.", "secedit-inf,gpresult-xml,ad-password-policy-json,pam"},
    {"password_policy.max_age_days", Integer, "days", "Maximum password age; 0 means passwords never expire.", "secedit-inf,gpresult-xml,ad-password-policy-json,login-defs"},
    {"password_policy.min_age_days", Integer, "days", "Minimum password age before a change is allowed.", "secedit-inf,gpresult-xml,ad-password-policy-json,login-defs"},
    {"password_policy.min_length", Integer, "characters", "Minimum password length.", "secedit-inf,gpresult-xml,ad-password-policy-json,login-defs,pwquality-conf,pam"},
    {"password_policy.tier", Integer, "", "Tier of the BSI password-policy component (Passwortrichtlinie, section 3) that applies: 2 (MFA-geschützter Zugriff) when the inventory declares an approved MFA method (mfa:) and lockout.threshold is 1 to password_tier2_lockout_max_attempts (10); otherwise 1 (Hohe Standardsicherheit), also when no MFA is declared. The excerpt says which tier applied and why. Absent when MFA is declared but lockout.threshold is missing or contradictory (an issue says so); derived only for assets with a password or lockout fact or an MFA declaration.", "password-tier"},
    {"password_policy.reversible_encryption", Boolean, "", "Passwords are stored with reversible encryption.", "secedit-inf,gpresult-xml,ad-password-policy-json"},
    {"patches.count", Integer, "updates", "Number of installed Windows updates (hotfixes) listed; with several exports the largest count.", "systeminfo,systeminfo-csv,wmic-qfe", FactMerge::Max},
    {"patches.installed", List, "", "Installed Windows updates (KB numbers), without duplicates; with several exports their union.", "systeminfo,systeminfo-csv,wmic-qfe", FactMerge::Union},
    {"patches.last_installed", Date, "", "Date of the most recently installed update (the newest of several exports).", "wmic-qfe", FactMerge::Newest},
    {"ports.open", List, "", "Probed TCP ports that accepted a connection.", "port-probe,web-probe-json"},
    {"ports.risky_open", List, "", "Open ports of risky services (e.g. 3389/rdp, 445/smb, 23/telnet), as port/service.", "port-probe,web-probe-json"},
    {"software.eol_soon", List, "", "Installed or announced software releases whose support ends within the warning period: \"product cycle (YYYY-MM-DD)\".", "eol-feed"},
    {"software.unsupported", List, "", "Installed or announced software releases past their end of life: \"product cycle (YYYY-MM-DD)\".", "eol-feed"},
    {"ssh.ciphers", List, "", "sshd Ciphers: the list of sshd -T, or as configured (a +/^ list names only the additions); no default is assumed (it depends on the OpenSSH version), so absent means not set and not exported via sshd -T.", "sshd-config,sshd-t"},
    {"ssh.client_alive_interval", Integer, "seconds", "sshd ClientAliveInterval. Absent from the config: OpenSSH default (0, evidence says \"Standardwert\"). Effective value: `sshd -T` output wins over files; an Include not in the export makes it unknown (absent, with a warning naming the Include).", "sshd-config,sshd-t"},
    {"ssh.config_exported", Boolean, "", "An sshd configuration (sshd_config, a drop-in or `sshd -T` output) was exported for the asset: the SSH rules apply even without a package list; always true when present.", "sshd-config,sshd-t"},
    {"ssh.kex_algorithms", List, "", "sshd KexAlgorithms: the list of sshd -T, or as configured; no default is assumed, absent means not set and not exported via sshd -T.", "sshd-config,sshd-t"},
    {"ssh.macs", List, "", "sshd MACs: the list of sshd -T, or as configured; no default is assumed, absent means not set and not exported via sshd -T.", "sshd-config,sshd-t"},
    {"ssh.max_auth_tries", Integer, "attempts", "sshd MaxAuthTries (weakest value of any Match block). Absent from the config: OpenSSH default (6, evidence says \"Standardwert\"). Effective value: `sshd -T` output wins over files; an Include not in the export makes it unknown (absent, with a warning naming the Include).", "sshd-config,sshd-t"},
    {"ssh.password_authentication", Boolean, "", "sshd PasswordAuthentication (weakest value of any Match block). Absent from the config: OpenSSH default (yes, evidence says \"Standardwert\"). Effective value: `sshd -T` output wins over files; an Include not in the export makes it unknown (absent, with a warning naming the Include).", "sshd-config,sshd-t"},
    {"ssh.permit_empty_passwords", Boolean, "", "sshd PermitEmptyPasswords (weakest value of any Match block). Absent from the config: OpenSSH default (no, evidence says \"Standardwert\"). Effective value: `sshd -T` output wins over files; an Include not in the export makes it unknown (absent, with a warning naming the Include).", "sshd-config,sshd-t"},
    {"ssh.permit_root_login", String, "", "sshd PermitRootLogin: yes, no, prohibit-password, forced-commands-only (weakest value of any Match block). Absent from the config: OpenSSH default (prohibit-password, evidence says \"Standardwert\"). Effective value: `sshd -T` output wins over files; an Include not in the export makes it unknown (absent, with a warning naming the Include).", "sshd-config,sshd-t"},
    {"ssh.protocol", String, "", "sshd Protocol (legacy option; \"1\" allows the broken SSH-1 protocol).", "sshd-config,sshd-t"},
    {"ssh.x11_forwarding", Boolean, "", "sshd X11Forwarding (weakest value of any Match block). Absent from the config: OpenSSH default (no, evidence says \"Standardwert\"). Effective value: `sshd -T` output wins over files; an Include not in the export makes it unknown (absent, with a warning naming the Include).", "sshd-config,sshd-t"},
    {"tls.cert_days_left", Integer, "days", "Days from the scan's Stichtag until the server certificate expires (negative when expired); always derived from tls.cert_not_after, also for recorded probes.", "web-probe,stichtag"},
    {"tls.cert_hostname_match", Boolean, "", "The certificate (SAN) matches the expected host name.", "web-probe,web-probe-json"},
    {"tls.cert_issuer", String, "", "Issuer of the server certificate.", "web-probe,web-probe-json"},
    {"tls.cert_key_bits", Integer, "bits", "Size of the certificate's public key.", "web-probe,web-probe-json"},
    {"tls.cert_key_type", String, "", "Type of the certificate's public key: rsa, ec, ed25519, ...", "web-probe,web-probe-json"},
    {"tls.cert_not_after", Date, "", "Expiry date of the server certificate.", "web-probe,web-probe-json"},
    {"tls.cert_signature_algorithm", String, "", "Signature algorithm of the server certificate (e.g. sha256WithRSAEncryption).", "web-probe,web-probe-json"},
    {"tls.cert_subject", String, "", "Subject of the server certificate.", "web-probe,web-probe-json"},
    {"tls.cert_trusted", Boolean, "", "The chain verifies against the system CAs (or the configured CA bundle).", "web-probe,web-probe-json"},
    {"tls.chain_ec_min_bits", Integer, "bits", "Smallest EC key among the leaf and intermediate certificates the server presents to an RSA-only and an ECDSA-only client (self-signed roots left out). Absent when there is no EC key or the chain probes were not both decided (an issue says why).", "web-probe,web-probe-json"},
    {"tls.chain_key_types", List, "", "Key types (rsa, ec, ed25519, ...) of every leaf and intermediate certificate presented to an RSA-only and an ECDSA-only client. Absent when either probe ended without an answer (an issue says why).", "web-probe,web-probe-json"},
    {"tls.chain_rsa_min_bits", Integer, "bits", "Smallest RSA key among the leaf and intermediate certificates presented to an RSA-only and an ECDSA-only client (self-signed roots left out). Absent when there is no RSA key or the chain probes were not both decided.", "web-probe,web-probe-json"},
    {"tls.chain_signature_hashes", List, "", "Hashes of the signatures on every leaf and intermediate certificate presented (sha256, sha1, md5, intrinsic for EdDSA; self-signed roots left out). Absent when the chain probes were not both decided.", "web-probe,web-probe-json"},
    {"tls.cipher_enumeration_complete", Boolean, "", "Always true when present: every protocol version SSLv2-TLS 1.3 was decided and every accepted one enumerated over the whole cipher suite registry with raw ClientHellos. Absent when anything was not tested (an issue says what).", "web-probe,web-probe-json"},
    {"tls.ciphers_accepted", List, "", "Cipher suites the server accepts in any version (IANA names), from raw ClientHellos over the whole registry. Present only when the enumeration was complete (tls.cipher_enumeration_complete); recordings before 2026-11 hold OpenSSL names of a 31-suite list.", "web-probe,web-probe-json"},
    {"tls.dhe_accepted", Boolean, "", "The server accepts finite-field DHE (a TLS_DHE_* / DH_anon suite or an ffdhe group in TLS 1.3). false only after a complete suite and group enumeration; absent when not known.", "web-probe,web-probe-json"},
    {"tls.dhe_min_bits", Integer, "bits", "Smallest finite-field DH modulus the server uses: the ServerKeyExchange prime of its DHE suites and the ffdhe groups it accepts in TLS 1.3. Absent when DHE is not accepted or the size could not be read.", "web-probe,web-probe-json"},
    {"tls.groups_accepted", List, "", "Named groups the server accepts (TLS 1.2 ECDHE and TLS 1.3 key exchange; x25519, secp256r1, ffdhe2048, ...), each tested alone. Absent when a group test or the suite enumeration was incomplete.", "web-probe,web-probe-json"},
    {"tls.leaf_key_types", List, "", "Key types of the leaf certificates the server presents to an RSA-only and to an ECDSA-only client ([ec, rsa] for a dual-certificate server). Absent when either probe ended without an answer.", "web-probe,web-probe-json"},
    {"tls.negotiated_cipher", String, "", "Cipher suite negotiated by a default client.", "web-probe,web-probe-json"},
    {"tls.negotiated_group", String, "", "Key exchange group negotiated by a default client (e.g. x25519).", "web-probe,web-probe-json"},
    {"tls.negotiated_protocol", String, "", "Protocol negotiated by a default client (e.g. TLSv1.3).", "web-probe,web-probe-json"},
    {"tls.protocols_accepted", List, "", "Versions the server accepts: SSLv2, SSLv3, TLSv1, TLSv1.1, TLSv1.2, TLSv1.3. Present only when every version was decided (per-version facts tls.sslv2_accepted ... tls.tls13_accepted otherwise); older recordings list only the versions they tested.", "web-probe,web-probe-json"},
    {"tls.sslv2_accepted", Boolean, "", "The server answers an SSLv2 CLIENT-HELLO with a SERVER-HELLO. Absent when not tested (legacy versions switched off, no answer).", "web-probe,web-probe-json"},
    {"tls.sslv3_accepted", Boolean, "", "The server accepts SSLv3 (raw ClientHello over the whole suite registry). Absent when not tested.", "web-probe,web-probe-json"},
    {"tls.tls10_accepted", Boolean, "", "The server accepts TLS 1.0 (raw ClientHello over the whole suite registry). Absent when not tested (e.g. --no-legacy-tls, timeout).", "web-probe,web-probe-json"},
    {"tls.tls11_accepted", Boolean, "", "The server accepts TLS 1.1 (raw ClientHello over the whole suite registry). Absent when not tested.", "web-probe,web-probe-json"},
    {"tls.tls12_accepted", Boolean, "", "The server accepts TLS 1.2 (raw ClientHello over the whole suite registry). Absent when not tested.", "web-probe,web-probe-json"},
    {"tls.tls13_accepted", Boolean, "", "The server accepts TLS 1.3 (raw ClientHello with the five TLS 1.3 suites). Absent when not tested.", "web-probe,web-probe-json"},
    {"tls.weak_ciphers_accepted", List, "", "Accepted cipher suites (IANA names) outside the BSI TR-02102-2 recommendations (docs/tls-classification.md). Present when the enumeration was complete, or when it was not but found such suites (then a finding, never proof of absence: see tls.cipher_enumeration_complete).", "web-probe,web-probe-json"},
    {"updates.pending", Integer, "packages", "Number of packages with a pending update (upgradable or kept back), where the export lists all of them (apt); absent for advisory listings and filtered outputs.", "apt-get-simulate,apt-list-upgradable"},
    {"updates.pending_security", Integer, "updates", "Pending security updates: distinct advisories (dnf/yum) or packages from a security origin or suite (apt). Present only when the export could have listed every pending security update; not tested (quiet, filtered or incomplete output, skipped repositories, stale metadata, kept-back packages, apt list without security suites) = absent, with a warning at line 0 saying why. A lower bound when positive and incomplete (warning).", "dnf-updateinfo,yum-updateinfo,apt-get-simulate,apt-list-upgradable"},
    {"updates.pending_security_list", List, "", "Advisory ids (dnf/yum) or package names (apt) counted in updates.pending_security; present exactly when that fact is.", "dnf-updateinfo,yum-updateinfo,apt-get-simulate,apt-list-upgradable"},
    {"vulns.critical_count", Integer, "findings", "Open vulnerabilities rated critical: CVEs of vulns.open_cves that CISA lists as known exploited (KEV) or that have CVSS >= 9.0 (imported scanner reports: findings with CVSS >= 9.0). Each CVE counts once: a critical one is not counted again in vulns.high_count. CVEs waiting for a fix or within the grace period (vulns.pending_cves) are not counted. Feeds: absent unless the vendor data and the KEV catalog are complete and current (an issue of the feed says why).", "debian-tracker,rhel-oval,greenbone-xml,nessus"},
    {"vulns.high_count", Integer, "findings", "Open vulnerabilities rated high that are not critical: CVEs of vulns.open_cves with CVSS 7.0-8.9 (Red Hat OVAL) or tracker urgency high (Debian), neither KEV-listed nor CVSS >= 9.0 (imported scanner reports: findings with CVSS 7.0-8.9). Pending CVEs (vulns.pending_cves) are not counted. Feeds: absent unless the vendor data is complete for the release and current (an issue of the feed says why).", "debian-tracker,rhel-oval,greenbone-xml,nessus"},
    {"vulns.kev_cves", List, "", "CVEs of vulns.open_cves that CISA lists as known exploited (KEV catalog). Feeds: absent unless the vendor data and the KEV catalog are complete and current (an issue of the feed says why).", "debian-tracker,rhel-oval"},
    {"vulns.open_cves", List, "", "CVE ids open for this host that count: the installed package version is below a published fixed version (Debian security tracker, Red Hat OVAL; for Debian also releases without security support), or reported by an imported scanner. CVEs with no fixed version yet or whose fix was published within the grace period are in vulns.pending_cves instead. Feeds: absent unless the vendor data is complete for the release and current (an issue of the feed says why).", "debian-tracker,rhel-oval,greenbone-xml,nessus"},
    {"vulns.pending_cves", List, "", "CVE ids that affect this host but do not count (shown, never failing): no fixed version published yet (Debian tracker: open without fixed version, e.g. unfixed or no-DSA), or the fix was published within vuln_grace_days days before the Stichtag (Red Hat OVAL: advisory issue date; the Debian tracker has no dates). Absent whenever vulns.open_cves is.", "debian-tracker,rhel-oval"},
});
// clang-format on

}  // namespace

const char* fact_type_name(FactType t) {
    switch (t) {
        case Boolean:
            return "boolean";
        case Integer:
            return "integer";
        case String:
            return "string";
        case Date:
            return "date";
        case Version:
            return "version";
        case List:
            return "string list";
        case Map:
            return "string map";
    }
    return "?";
}

std::span<const FactDecl> fact_catalog() {
    return kFacts;
}

const FactDecl* find_fact_decl(std::string_view name) {
    for (const auto& d : kFacts) {
        if (d.name == name) return &d;
    }
    return nullptr;
}

}  // namespace grundscan
