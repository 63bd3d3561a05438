// The one place that lists all collectors. Order matters for auto-detection: more specific
// formats first. Adding a collector = one line here.
#include "scanner/collectors/collection_time.hpp"
#include "scanner/collectors/collector.hpp"
#include "scanner/collectors/imports/import_collectors.hpp"
#include "scanner/collectors/linux/linux_collectors.hpp"
#include "scanner/collectors/probe_record.hpp"
#include "scanner/collectors/windows/windows_collectors.hpp"

namespace grundscan {

const std::vector<CollectorInfo>& collector_registry() {
    static const std::vector<CollectorInfo> registry = {
        probe_record_collector(),
        secedit_inf_collector(),
        gpresult_xml_collector(),
        greenbone_xml_collector(),
        nessus_xml_collector(),
        systeminfo_csv_collector(),
        systeminfo_text_collector(),
        wmic_qfe_collector(),
        windows_version_collector(),
        slmgr_dlv_collector(),
        bundle_manifest_collector(),
        ad_password_policy_json_collector(),
        os_release_collector(),
        dpkg_status_collector(),
        rpm_qa_collector(),
        dnf_updateinfo_collector(),
        yum_updateinfo_collector(),
        apt_get_simulate_collector(),
        apt_list_upgradable_collector(),
        sshd_t_collector(),
        sshd_config_collector(),
        pam_collector(),
        pwquality_conf_collector(),
        login_defs_collector(),
    };
    return registry;
}

const CollectorInfo* find_collector(std::string_view type) {
    for (const auto& c : collector_registry()) {
        if (c.type == type) return &c;
    }
    return nullptr;
}

}  // namespace grundscan
