// Linux configuration and package collectors. Each parse_* is pure and tested on real files.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/collectors/collector.hpp"

namespace grundscan {

// /etc/os-release (/usr/lib/os-release).
Expected<ParseOutput> parse_os_release(std::string_view text);
const CollectorInfo& os_release_collector();

// /etc/login.defs.
Expected<ParseOutput> parse_login_defs(std::string_view text);
const CollectorInfo& login_defs_collector();

// /etc/security/pwquality.conf.
Expected<ParseOutput> parse_pwquality_conf(std::string_view text);
const CollectorInfo& pwquality_conf_collector();

// PAM password/auth stacks: /etc/pam.d/common-password, common-auth, system-auth, password-auth.
Expected<ParseOutput> parse_pam(std::string_view text);
const CollectorInfo& pam_collector();

// Priorities of ssh.* facts when several sources of an asset yield them: `sshd -T` output
// (the effective configuration) wins over settings read from files, which win over OpenSSH
// defaults; a weaker value from a Match block wins over all (`sshd -T` without -C does not
// evaluate Match blocks).
constexpr int kSshdDefaultPriority = -10;
constexpr int kSshdEffectivePriority = 50;
constexpr int kSshdMatchPriority = 60;

// A file an sshd Include names, as found in the export.
struct SshdFile {
    std::filesystem::path path;
    std::string display;
    std::string text;  // decoded UTF-8
};

// The answer to one Include pattern: `resolved` = `files` is everything it matches (sorted
// like glob(3); may be empty); otherwise `reason` says why the export cannot tell.
struct SshdIncludeMatch {
    bool resolved = false;
    std::vector<SshdFile> files;
    std::string reason;
};
using SshdIncludeResolver = std::function<SshdIncludeMatch(const std::string& pattern)>;

// /etc/ssh/sshd_config as sshd reads it: the first value obtained wins; Include is processed
// in place (recursion at most 16 deep, at most 256 files; more is an Error); a Match block
// ends at the end of its file; the weakest value a Match block sets wins over a stronger
// global one (priority kSshdMatchPriority). An Include `resolver` cannot answer (or any
// Include, without a resolver) makes every setting not made before it unknown: no fact, no
// default, and a non-fatal warning (line 0) naming the Include and the settings it hides.
// `apply_defaults`: keys the configuration does not set get OpenSSH's documented default
// (PermitRootLogin, PasswordAuthentication, PermitEmptyPasswords, X11Forwarding,
// MaxAuthTries, ClientAliveInterval; never crypto lists) with line 0, an excerpt saying
// "Standardwert" and priority kSshdDefaultPriority.
Expected<ParseOutput> parse_sshd_config_with_includes(std::string_view text,
                                                      const SshdIncludeResolver* resolver,
                                                      bool apply_defaults);
// The text alone as a whole configuration: includes unresolved, defaults applied.
Expected<ParseOutput> parse_sshd_config(std::string_view text);
// In an asset, Include patterns are looked up among the asset's sources (see docs/sshd.md).
const CollectorInfo& sshd_config_collector();

// `sshd -T` output: the effective configuration (lower-case keys, one per line).
Expected<ParseOutput> parse_sshd_t(std::string_view text);
const CollectorInfo& sshd_t_collector();

// /var/lib/dpkg/status.
Expected<ParseOutput> parse_dpkg_status(std::string_view text);
const CollectorInfo& dpkg_status_collector();

// `rpm -qa` lists (plain NEVRA per line, optionally followed by an install date).
Expected<ParseOutput> parse_rpm_qa(std::string_view text);
const CollectorInfo& rpm_qa_collector();

// `dnf updateinfo list --security` and `yum updateinfo list security` (pending advisories).
Expected<ParseOutput> parse_dnf_updateinfo(std::string_view text);
const CollectorInfo& dnf_updateinfo_collector();
Expected<ParseOutput> parse_yum_updateinfo(std::string_view text);
const CollectorInfo& yum_updateinfo_collector();

// `apt list --upgradable`.
Expected<ParseOutput> parse_apt_list_upgradable(std::string_view text);
const CollectorInfo& apt_list_upgradable_collector();

// `apt-get -s upgrade` / `apt-get -s dist-upgrade`.
Expected<ParseOutput> parse_apt_get_simulate(std::string_view text);
const CollectorInfo& apt_get_simulate_collector();

}  // namespace grundscan
