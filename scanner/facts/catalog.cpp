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
    {"host.domain", String, "", "Windows domain or workgroup the host belongs to.", "systeminfo,systeminfo-csv"},
    {"host.name", String, "", "Host name as reported by the export.", "systeminfo,systeminfo-csv,gpresult-xml,os-release"},
    {"lockout.duration_minutes", Integer, "minutes", "How long a locked account stays locked; -1 means until an administrator unlocks it.", "secedit-inf,gpresult-xml,ad-password-policy-json,pam"},
    {"lockout.reset_minutes", Integer, "minutes", "Minutes after which the failed-logon counter is reset.", "secedit-inf,gpresult-xml,ad-password-policy-json,pam"},
    {"lockout.threshold", Integer, "attempts", "Failed logons before the account is locked; 0 means accounts are never locked.", "secedit-inf,gpresult-xml,ad-password-policy-json,pam"},
    {"os.build", Integer, "", "Windows build number (e.g. 19045).", "systeminfo,systeminfo-csv"},
    {"os.days_until_eol", Integer, "days", "Days from the scan date until the end of (security) support of this OS release; negative when already past.", "eol-feed"},
    {"os.eol_cycle", String, "", "Release cycle of the OS in the end-of-life feed (e.g. \"10-22h2-e\", \"12\").", "eol-feed"},
    {"os.eol_date", Date, "", "End of (security) support of this OS release according to the end-of-life feed.", "eol-feed"},
    {"os.extended_support_until", Date, "", "End of paid or community extended support (ESU, LTS, ELS), where one exists.", "eol-feed"},
    {"os.family", String, "", "\"windows\" or \"linux\".", "systeminfo,systeminfo-csv,os-release,secedit-inf"},
    {"os.id", String, "", "Product id: windows, windows-server, or the os-release ID (debian, ubuntu, rhel, sles, ...).", "systeminfo,systeminfo-csv,os-release"},
    {"os.install_date", Date, "", "Original installation date of the operating system.", "systeminfo,systeminfo-csv"},
    {"os.name", String, "", "Operating system name as reported (e.g. \"Microsoft Windows Server 2022 Standard\").", "systeminfo,systeminfo-csv,os-release"},
    {"os.release", String, "", "Windows feature release derived from the build (e.g. \"22H2\", \"1809\"); LTSC/edition noted in os.edition.", "systeminfo,systeminfo-csv"},
    {"os.edition", String, "", "Edition class: enterprise, education, professional, home, server, ltsc, iot.", "systeminfo,systeminfo-csv"},
    {"os.support_phase", String, "", "Support phase on the scan date: regular (vendor support), extended (only ESU/LTS/ELS left) or ended.", "eol-feed"},
    {"os.supported", Boolean, "", "The OS release is still within its regular (security) support period on the scan date (extended support not counted).", "eol-feed"},
    {"os.version", Version, "", "OS version (Windows \"10.0.20348\", Linux VERSION_ID such as \"12\" or \"20.04\").", "systeminfo,systeminfo-csv,os-release"},
    {"packages", Map, "", "Installed packages: name to version (dpkg: only installed stanzas, with epoch).", "dpkg-status,rpm-qa"},
    {"packages.count", Integer, "packages", "Number of installed packages.", "dpkg-status,rpm-qa"},
    {"packages.last_installed", Date, "", "Date of the most recent package installation, where the inventory records it.", "rpm-qa"},
    {"packages.manager", String, "", "Package manager of the inventory: dpkg or rpm.", "dpkg-status,rpm-qa"},
    {"pam.faillock_enabled", Boolean, "", "pam_faillock (or pam_tally2) is active in the PAM stack.", "pam"},
    {"pam.pwquality_enabled", Boolean, "", "pam_pwquality or pam_cracklib is active in the PAM password stack.", "pam"},
    {"password_policy.complexity", Boolean, "", "Passwords must meet complexity rules (Windows PasswordComplexity; Linux pwquality character classes).", "secedit-inf,gpresult-xml,ad-password-policy-json,pwquality-conf,pam"},
    {"password_policy.hash_algorithm", String, "", "Algorithm for stored password hashes (sha512, yescrypt, md5, ...).", "login-defs,pam"},
    {"password_policy.history", Integer, "passwords", "Number of previous passwords that cannot be reused.", "secedit-inf,gpresult-xml,ad-password-policy-json,pam"},
    {"password_policy.max_age_days", Integer, "days", "Maximum password age; 0 means passwords never expire.", "secedit-inf,gpresult-xml,ad-password-policy-json,login-defs"},
    {"password_policy.min_age_days", Integer, "days", "Minimum password age before a change is allowed.", "secedit-inf,gpresult-xml,ad-password-policy-json,login-defs"},
    {"password_policy.min_length", Integer, "characters", "Minimum password length.", "secedit-inf,gpresult-xml,ad-password-policy-json,login-defs,pwquality-conf,pam"},
    {"password_policy.reversible_encryption", Boolean, "", "Passwords are stored with reversible encryption.", "secedit-inf,gpresult-xml,ad-password-policy-json"},
    {"patches.count", Integer, "updates", "Number of installed Windows updates (hotfixes) listed.", "systeminfo,systeminfo-csv,wmic-qfe"},
    {"patches.installed", List, "", "Installed Windows updates (KB numbers), without duplicates.", "systeminfo,systeminfo-csv,wmic-qfe"},
    {"patches.last_installed", Date, "", "Date of the most recently installed update.", "wmic-qfe"},
    {"ssh.client_alive_interval", Integer, "seconds", "sshd ClientAliveInterval.", "sshd-config"},
    {"ssh.ciphers", List, "", "sshd Ciphers as configured.", "sshd-config"},
    {"ssh.kex_algorithms", List, "", "sshd KexAlgorithms as configured.", "sshd-config"},
    {"ssh.macs", List, "", "sshd MACs as configured.", "sshd-config"},
    {"ssh.max_auth_tries", Integer, "attempts", "sshd MaxAuthTries.", "sshd-config"},
    {"ssh.password_authentication", Boolean, "", "sshd PasswordAuthentication (explicitly set).", "sshd-config"},
    {"ssh.permit_empty_passwords", Boolean, "", "sshd PermitEmptyPasswords (explicitly set).", "sshd-config"},
    {"ssh.permit_root_login", String, "", "sshd PermitRootLogin: yes, no, prohibit-password, forced-commands-only (explicitly set).", "sshd-config"},
    {"ssh.protocol", String, "", "sshd Protocol (legacy option; \"1\" allows the broken SSH-1 protocol).", "sshd-config"},
    {"ssh.x11_forwarding", Boolean, "", "sshd X11Forwarding (explicitly set).", "sshd-config"},
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
