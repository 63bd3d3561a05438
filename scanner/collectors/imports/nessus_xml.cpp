// nessus collector: Tenable Nessus v2 XML exports (.nessus; root <NessusClientData_v2>, one
// <ReportHost> per scanned host with its <ReportItem>s).
#include <set>
#include <string>
#include <vector>

#include <pugixml.hpp>

#include "scanner/collectors/imports/import_collectors.hpp"
#include "scanner/core/text.hpp"

namespace grundscan {

namespace {

using import_detail::Finding;

bool detect(std::string_view text, std::string_view /*filename*/) {
    return text.find("<NessusClientData_v2") != std::string_view::npos;
}

// "443/tcp"; port 0 (host-level findings) as Nessus shows it: "general/tcp".
std::string item_port(const pugi::xml_node& item) {
    std::string port(text::trim(item.attribute("port").value()));
    std::string proto(text::trim(item.attribute("protocol").value()));
    if (port.empty() || port == "0") port = "general";
    return proto.empty() ? port : port + "/" + proto;
}

}  // namespace

// Facts: vulns.open_cves, vulns.critical_count, vulns.high_count over all ReportItems with
// severity 1-4 (0 = informational is skipped). The score is cvss3_base_score, else
// cvss_base_score; an item with neither is rated by its severity (4 critical, 3 high).
// A report without ReportHost gives no facts. Malformed XML or another root element: Error.
Expected<ParseOutput> parse_nessus_xml(std::string_view text) {
    ParseOutput out;
    import_detail::LineIndex lines(text);
    pugi::xml_document doc;
    if (auto e =
            import_detail::load_report_xml(doc, text, lines, "export the scan again as .nessus"))
        return *e;
    auto root = doc.document_element();
    std::string_view root_name = root.name();
    if (root_name == "NessusClientData") {
        return Error{
            "Nessus v1 format (<NessusClientData>) is not supported: export the scan as "
            ".nessus (v2)",
            "", lines.line_of(root.offset_debug())};
    }
    if (root_name != "NessusClientData_v2") {
        return Error{"not a Nessus report: root element is <" + std::string(root_name) +
                         ">, expected <NessusClientData_v2>",
                     "", lines.line_of(root.offset_debug())};
    }

    std::set<std::string> hosts;
    std::vector<Finding> findings;
    int first_line = 0;
    for (auto report : root.children("Report")) {
        if (first_line == 0) first_line = lines.line_of(report.offset_debug());
        for (auto rh : report.children("ReportHost")) {
            std::string host(text::trim(rh.attribute("name").value()));
            if (host.empty())
                host = text::trim(rh.child("HostProperties")
                                      .find_child_by_attribute("tag", "name", "host-ip")
                                      .child_value());
            if (host.empty()) host = "?";
            hosts.insert(host);
            for (auto item : rh.children("ReportItem")) {
                long long severity = -1;
                std::string_view sev = text::trim(item.attribute("severity").value());
                int line = lines.line_of(item.offset_debug());
                if (!text::parse_int(sev, severity) || severity < 0 || severity > 4) {
                    out.warn("ReportItem with severity \"" + std::string(sev) +
                                 "\" (expected 0-4): skipped",
                             line);
                    continue;
                }
                if (severity == 0) continue;  // informational
                Finding f;
                f.host = host;
                f.port = item_port(item);
                f.name = std::string(text::trim(item.attribute("pluginName").value()));
                if (f.name.empty())
                    f.name = "plugin " + std::string(item.attribute("pluginID").value());
                std::set<std::string> cves;
                for (auto c : item.children("cve")) {
                    if (auto id = import_detail::normalise_cve(c.child_value()); !id.empty())
                        cves.insert(id);
                }
                f.cves.assign(cves.begin(), cves.end());
                f.line = line;
                double score = 0.0;
                if (import_detail::parse_score(item.child_value("cvss3_base_score"), score) ||
                    import_detail::parse_score(item.child_value("cvss_base_score"), score)) {
                    f.score = score;
                    f.has_score = true;
                    import_detail::rate_by_score(f);
                } else {
                    f.critical = severity == 4;
                    f.high = severity == 3;
                }
                findings.push_back(std::move(f));
            }
        }
    }

    if (hosts.empty()) {
        out.warn("report contains no <ReportHost>: no vulnerability facts");
        return out;
    }
    import_detail::add_vuln_facts(out, findings, hosts.size(), first_line);
    return out;
}

const CollectorInfo& nessus_xml_collector() {
    static const CollectorInfo c{
        "nessus", "Tenable Nessus v2 export (.nessus): findings per host, CVSS, CVEs", &detect,
        &parse_nessus_xml};
    return c;
}

}  // namespace grundscan
