// Linux configuration and package collectors. Each parse_* is pure and tested on real files.
#pragma once

#include <string_view>

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

// /etc/ssh/sshd_config.
Expected<ParseOutput> parse_sshd_config(std::string_view text);
const CollectorInfo& sshd_config_collector();

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
