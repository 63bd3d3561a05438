// greenbone-xml collector: GVM/OpenVAS report XML as downloaded from the web interface
// (report format "XML", root <report> with the report data in a nested <report>) or as
// returned by `gvm-cli ... <get_reports .../>` (root <get_reports_response>).
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
    if (text.find("<get_reports_response") != std::string_view::npos) return true;
    if (text.find("<report") == std::string_view::npos) return false;
    return text.find("<gmp>") != std::string_view::npos ||
           text.find("<omp>") != std::string_view::npos ||
           text.find("<nvt oid=") != std::string_view::npos ||
           // format_id of GVM's built-in "XML" report format
           text.find("a994b278-1f62-11e1-96ac-406186ea4fc5") != std::string_view::npos;
}

// The <report> element that holds <results>: a GUI download nests the report data in a
// second <report>; the gmp response wraps that in <get_reports_response>.
pugi::xml_node report_data(pugi::xml_node report) {
    for (int depth = 0; depth < 3 && report; ++depth) {
        if (report.child("results") || report.child("host") || !report.child("report"))
            return report;
        report = report.child("report");
    }
    return report;
}

// The first CVSS score found for `result`: the effective <severity> (after overrides), then
// the NVT's severities/@score, then nvt/cvss_base.
bool result_score(const pugi::xml_node& result, double& score) {
    if (auto sev = result.child("severity"))
        return import_detail::parse_score(sev.child_value(), score);
    auto nvt = result.child("nvt");
    if (auto sevs = nvt.child("severities"); sevs.attribute("score"))
        return import_detail::parse_score(sevs.attribute("score").value(), score);
    return import_detail::parse_score(nvt.child_value("cvss_base"), score);
}

// CVE ids of the result's NVT: refs/ref[@type="cve"] (GVM >= 9) or the <cve> text
// ("CVE-2014-0160, CVE-2014-0346" or "NOCVE") of older versions.
std::vector<std::string> result_cves(const pugi::xml_node& nvt) {
    std::set<std::string> out;
    for (auto ref : nvt.child("refs").children("ref")) {
        if (!text::iequals(ref.attribute("type").value(), "cve")) continue;
        if (auto id = import_detail::normalise_cve(ref.attribute("id").value()); !id.empty())
            out.insert(id);
    }
    for (auto part : text::split(nvt.child_value("cve"), ',')) {
        if (auto id = import_detail::normalise_cve(part); !id.empty()) out.insert(id);
    }
    return {out.begin(), out.end()};
}

}  // namespace

// Facts: vulns.open_cves, vulns.critical_count, vulns.high_count over all results whose
// effective severity is > 0 (threat Log = 0.0, False Positive = -1.0 are skipped). A report
// naming no host gives no facts. Malformed XML or another root element: Error.
Expected<ParseOutput> parse_greenbone_xml(std::string_view text) {
    ParseOutput out;
    import_detail::LineIndex lines(text);
    pugi::xml_document doc;
    if (auto e = import_detail::load_report_xml(doc, text, lines, "download the report again"))
        return *e;
    auto root = doc.document_element();
    std::string_view root_name = root.name();
    pugi::xml_node report;
    if (root_name == "report") {
        report = root;
    } else if (root_name == "get_reports_response") {
        report = root.child("report");
        if (!report) {
            std::string status = root.attribute("status_text").value();
            return Error{"not a Greenbone report: <get_reports_response> contains no <report>" +
                             (status.empty() ? std::string() : " (status: " + status + ")"),
                         "", lines.line_of(root.offset_debug())};
        }
    } else {
        return Error{"not a Greenbone report: root element is <" + std::string(root_name) +
                         ">, expected <report> or <get_reports_response>",
                     "", lines.line_of(root.offset_debug())};
    }
    report = report_data(report);
    auto results = report.child("results");
    if (!results && !report.child("host")) {
        return Error{"not a Greenbone report: <report> has neither <results> nor <host>", "",
                     lines.line_of(report.offset_debug())};
    }

    if (auto status = text::trim(report.child_value("scan_run_status"));
        !status.empty() && status != "Done") {
        out.warn("scan status is \"" + std::string(status) + "\": the findings may be incomplete",
                 lines.line_of(report.child("scan_run_status").offset_debug()));
    }

    std::set<std::string> hosts;
    for (auto h : report.children("host")) {
        if (auto ip = text::trim(h.child_value("ip")); !ip.empty()) hosts.insert(std::string(ip));
    }
    std::vector<Finding> findings;
    for (auto r : results.children("result")) {
        std::string host(text::trim(r.child("host").child_value()));
        if (!host.empty()) hosts.insert(host);
        double score = 0.0;
        bool has_score = result_score(r, score);
        std::string_view threat = text::trim(r.child_value("threat"));
        if (threat == "Log" || threat == "Debug" || threat == "False Positive" || threat == "Error")
            continue;
        if (has_score && score <= 0.0) continue;
        int line = lines.line_of(r.offset_debug());
        if (!has_score && threat != "High" && threat != "Medium" && threat != "Low" &&
            threat != "Critical") {
            continue;  // neither a score nor a rating: nothing to count
        }
        Finding f;
        f.host = host.empty() ? "?" : host;
        f.port = std::string(text::trim(r.child_value("port")));
        if (f.port.empty()) f.port = "?";
        auto nvt = r.child("nvt");
        f.name = std::string(text::trim(nvt.child_value("name")));
        if (f.name.empty()) f.name = std::string(text::trim(r.child_value("name")));
        if (f.name.empty()) f.name = nvt.attribute("oid").value();
        f.cves = result_cves(nvt);
        f.line = line;
        if (has_score) {
            f.score = score;
            f.has_score = true;
            import_detail::rate_by_score(f);
        } else {
            // "High" covers 7.0-10.0 in GVM: not enough to tell critical from high.
            out.warn("result \"" + import_detail::shorten(f.name, 80) +
                         "\" has no severity score: counted for its CVEs only",
                     line);
        }
        findings.push_back(std::move(f));
    }

    if (hosts.empty()) {
        out.warn("report names no host: no vulnerability facts");
        return out;
    }
    int line = lines.line_of((results ? results : report).offset_debug());
    import_detail::add_vuln_facts(out, findings, hosts.size(), line);
    return out;
}

const CollectorInfo& greenbone_xml_collector() {
    static const CollectorInfo c{
        "greenbone-xml", "Greenbone/OpenVAS (GVM) report XML: findings per host, CVSS, CVEs",
        &detect, &parse_greenbone_xml};
    return c;
}

}  // namespace grundscan
