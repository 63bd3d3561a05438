// Windows export collectors. Each parse_* is pure and tested on real exports.
#pragma once

#include <string_view>

#include "scanner/collectors/collector.hpp"

namespace grundscan {

// `secedit /export` INF and GPO GptTmpl.inf: [System Access] password, lockout, guest.
Expected<ParseOutput> parse_secedit_inf(std::string_view text);
const CollectorInfo& secedit_inf_collector();

// `gpresult /x` RSoP XML and GPMC gpreport.xml: account (password/lockout) policies.
Expected<ParseOutput> parse_gpresult_xml(std::string_view text);
const CollectorInfo& gpresult_xml_collector();

// `systeminfo` text output (English and German labels).
Expected<ParseOutput> parse_systeminfo_text(std::string_view text);
const CollectorInfo& systeminfo_text_collector();

// `systeminfo /fo csv` (header row + data row; English and German headers).
Expected<ParseOutput> parse_systeminfo_csv(std::string_view text);
const CollectorInfo& systeminfo_csv_collector();

// `wmic qfe` fixed-width table: hotfix ids and install dates.
Expected<ParseOutput> parse_wmic_qfe(std::string_view text);
const CollectorInfo& wmic_qfe_collector();

// `Get-ADDefaultDomainPasswordPolicy | ConvertTo-Json`.
Expected<ParseOutput> parse_ad_password_policy_json(std::string_view text);
const CollectorInfo& ad_password_policy_json_collector();

// The feature release of a Windows build: client "22H2", "1809", "SP1"; with `server`, the
// server product release "2022", "2012 R2" (a client release when the build has no server
// release). Empty for unknown builds.
std::string_view windows_release_for_build(long long build, bool server);

// `ver` output or the CurrentVersion registry key (reg export / reg query / Get-ItemProperty):
// build and update build revision (UBR).
Expected<ParseOutput> parse_windows_version(std::string_view text);
const CollectorInfo& windows_version_collector();

// `slmgr /dlv` output: activated Extended Security Update (ESU) add-on licences.
Expected<ParseOutput> parse_slmgr_dlv(std::string_view text);
const CollectorInfo& slmgr_dlv_collector();

}  // namespace grundscan
