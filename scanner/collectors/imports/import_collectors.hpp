// Collectors for reports of vulnerability scanners that municipalities already run
// (Greenbone/OpenVAS, Tenable Nessus). Each parse_* is pure and yields the vulns.* facts.
//
// Limitation: one export usually covers many hosts, but a parse function does not know the
// asset it is collecting for. A report with exactly one host yields that host's facts; a
// report with several hosts yields facts for ALL of them combined plus the warning "report
// covers N hosts; facts combine all of them — export one report per host or filter".
#pragma once

#include <optional>

#include <pugixml.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/collectors/collector.hpp"
#include "scanner/core/text.hpp"

namespace grundscan {

// GVM/OpenVAS report XML (root <report>, or <get_reports_response> around it): results with
// severity > 0 (threat High/Medium/Low; Log, False Positive and Debug are skipped) give
// vulns.open_cves, vulns.critical_count (severity >= 9.0) and vulns.high_count (7.0-8.9).
Expected<ParseOutput> parse_greenbone_xml(std::string_view text);
const CollectorInfo& greenbone_xml_collector();

// Nessus v2 XML (.nessus, root <NessusClientData_v2>): ReportItems with severity 1-4 give the
// same facts; the score is cvss3_base_score, else cvss_base_score, else the severity (4 =
// critical, 3 = high).
Expected<ParseOutput> parse_nessus_xml(std::string_view text);
const CollectorInfo& nessus_xml_collector();

// Shared by the import collectors; not part of the collector interface.
namespace import_detail {

// Maps byte offsets to 1-based line numbers.
class LineIndex {
  public:
    explicit LineIndex(std::string_view text) {
        starts_.push_back(0);
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (text[i] == '\n') starts_.push_back(i + 1);
        }
    }
    int line_of(std::ptrdiff_t offset) const {
        if (offset < 0) return 0;
        auto it =
            std::upper_bound(starts_.begin(), starts_.end(), static_cast<std::size_t>(offset));
        return static_cast<int>(it - starts_.begin());
    }

  private:
    std::vector<std::size_t> starts_;
};

// One open finding (a result / ReportItem with severity above informational).
struct Finding {
    std::string host;
    std::string port;  // "443/tcp", "general/tcp"
    std::string name;  // NVT / plugin name
    double score = 0.0;
    bool has_score = false;
    bool critical = false;  // score >= 9.0 (or the scanner's own rating when no score)
    bool high = false;      // 7.0 <= score < 9.0
    std::vector<std::string> cves;
    int line = 0;
};

// Parses a CVSS score "9.8" (0.0-10.0); false for anything else.
inline bool parse_score(std::string_view s, double& out) {
    s = text::trim(s);
    if (s.empty() || s.size() > 8) return false;
    int whole = 0;
    int frac = 0;
    int frac_digits = 0;
    std::size_t i = 0;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) whole = whole * 10 + (s[i] - '0');
    if (i == 0) return false;
    if (i < s.size() && s[i] == '.') {
        ++i;
        for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
            if (frac_digits < 3) {
                frac = frac * 10 + (s[i] - '0');
                ++frac_digits;
            }
        }
    }
    if (i != s.size()) return false;
    double v = whole;
    double div = 1.0;
    for (int k = 0; k < frac_digits; ++k) div *= 10.0;
    v += frac / div;
    if (v > 10.0) return false;
    out = v;
    return true;
}

// Sets critical/high from the score (thresholds of the vulns.* fact declarations).
inline void rate_by_score(Finding& f) {
    f.critical = f.score >= 9.0;
    f.high = !f.critical && f.score >= 7.0;
}

// "CVE-2023-25690" when `s` is a CVE id (any case, surrounding blanks), else empty.
inline std::string normalise_cve(std::string_view s) {
    s = text::trim(s);
    if (s.size() < 13 || s.size() > 24 || !text::starts_with_icase(s, "CVE-")) return {};
    std::string out = "CVE-";
    for (std::size_t i = 4; i < s.size(); ++i) {
        char c = s[i];
        if (!(c >= '0' && c <= '9') && c != '-') return {};
        out += c;
    }
    return out;
}

// `s` cut to at most `max` bytes on a UTF-8 character boundary, with "…" when cut.
inline std::string shorten(std::string_view s, std::size_t max) {
    if (s.size() <= max) return std::string(s);
    std::size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    return std::string(s.substr(0, n)) + "…";
}

// "host 10.1.2.3 port 443/tcp: Apache HTTP Server < 2.4.56 … (CVSS 9.8, CVE-2023-25690)".
inline std::string finding_excerpt(const Finding& f) {
    std::string out = "host " + shorten(f.host, 80) + " port " + shorten(f.port, 40) + ": " +
                      shorten(f.name, 120) + " (CVSS ";
    if (f.has_score) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%.1f", f.score);
        out += buf;
    } else {
        out += "unknown";
    }
    std::size_t shown = std::min<std::size_t>(f.cves.size(), 3);
    for (std::size_t i = 0; i < shown; ++i) out += ", " + f.cves[i];
    if (f.cves.size() > shown) out += ", +" + std::to_string(f.cves.size() - shown) + " CVEs";
    out += ")";
    return out;
}

// The most severe finding in `fs` for which `pick` holds (first in file order on ties).
template <class Pred>
const Finding* most_severe(const std::vector<Finding>& fs, Pred pick) {
    const Finding* best = nullptr;
    for (const auto& f : fs) {
        if (!pick(f)) continue;
        if (best == nullptr || (f.has_score && (!best->has_score || f.score > best->score)))
            best = &f;
    }
    return best;
}

// Adds vulns.open_cves, vulns.critical_count and vulns.high_count for `findings` of a report
// that covers `hosts` hosts; `line` is where the report's findings start (used when there
// is no finding to point at). Warns when the report covers more than one host.
inline void add_vuln_facts(ParseOutput& out, const std::vector<Finding>& findings,
                           std::size_t hosts, int line) {
    if (hosts > 1) {
        out.warn("report covers " + std::to_string(hosts) +
                 " hosts; facts combine all of them — export one report per host or filter");
    }
    std::string scope = std::to_string(findings.size()) +
                        (findings.size() == 1 ? " open finding" : " open findings") + " on " +
                        std::to_string(hosts) + (hosts == 1 ? " host" : " hosts");

    auto add_count = [&](const char* fact, bool Finding::*flag, const char* label) {
        std::int64_t n = 0;
        for (const auto& f : findings) n += (f.*flag) ? 1 : 0;
        if (const Finding* top = most_severe(findings, [&](const Finding& f) { return f.*flag; })) {
            std::string excerpt = finding_excerpt(*top);
            if (n > 1) excerpt += "; +" + std::to_string(n - 1) + " more";
            out.add(fact, n, top->line, std::move(excerpt));
        } else {
            out.add(fact, n, line, std::string("no ") + label + " finding among " + scope);
        }
    };
    add_count("vulns.critical_count", &Finding::critical, "critical (CVSS >= 9.0)");
    add_count("vulns.high_count", &Finding::high, "high (CVSS 7.0-8.9)");

    std::set<std::string> cves;
    for (const auto& f : findings) cves.insert(f.cves.begin(), f.cves.end());
    StringList list(cves.begin(), cves.end());
    if (const Finding* top =
            most_severe(findings, [](const Finding& f) { return !f.cves.empty(); })) {
        std::string excerpt = finding_excerpt(*top) + "; " + std::to_string(list.size()) +
                              (list.size() == 1 ? " CVE in " : " CVEs in ") + scope;
        out.add("vulns.open_cves", std::move(list), top->line, std::move(excerpt));
    } else {
        out.add("vulns.open_cves", std::move(list), line, "no CVE among " + scope);
    }
}

// Parses `text` into `doc`; on malformed XML returns the Error (line of the failure; when it
// fails at the very end the file is probably truncated and `reexport_hint` says what to do).
inline std::optional<Error> load_report_xml(pugi::xml_document& doc, std::string_view text,
                                            const LineIndex& lines, const char* reexport_hint) {
    auto res = doc.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
    if (res) return std::nullopt;
    bool truncated = static_cast<std::size_t>(res.offset) + 64 >= text.size();
    return Error{std::string("malformed XML: ") + res.description() +
                     (truncated ? std::string(" (the file ends early: export truncated? ") +
                                      reexport_hint + ")"
                                : std::string()),
                 "", lines.line_of(res.offset)};
}

}  // namespace import_detail

}  // namespace grundscan
