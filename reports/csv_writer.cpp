// results.csv: one row per asset x rule result, and roadmap.csv: one row per OS or software
// release of the replacement roadmap (when it leaves support), both for German Excel: UTF-8
// with BOM, ';' as separator, CRLF line ends, fields with ; " CR LF quoted (quotes doubled).
// Headers follow --lang. A field starting with = + - @ TAB or CR gets a leading apostrophe so that
// a spreadsheet never evaluates text from outside as a formula (CSV injection).
#include <iterator>
#include <string>
#include <vector>

#include "reports/csv_text.hpp"
#include "reports/report_content.hpp"
#include "reports/writer.hpp"
#include "scanner/core/atomic_file.hpp"
#include "scanner/core/text.hpp"

namespace grundscan {
namespace {

constexpr const char* kHeaderDe[] = {
    "Kommune",       "AGS",      "System",   "Art",
    "Regel",         "Titel",    "Baustein", "Anforderungen",
    "Grundschutz++", "Stufe",    "Schwere",  "Ergebnis",
    "Befund",        "Nachweis", "Maßnahme", "Akzeptiertes Risiko bis"};
constexpr const char* kHeaderEn[] = {
    "Municipality",  "AGS",      "System",      "Kind",
    "Rule",          "Title",    "Module",      "Requirements",
    "Grundschutz++", "Level",    "Severity",    "Result",
    "Finding",       "Evidence", "Remediation", "Risk accepted until"};
static_assert(std::size(kHeaderDe) == std::size(kHeaderEn));

constexpr const char* kRoadmapHeaderDe[] = {
    "Kommune",     "AGS",           "System",
    "Produkt",     "Version",       "Status",
    "Supportende", "Erweitert bis", "Tage bis Ende jeder Unterstützung"};
constexpr const char* kRoadmapHeaderEn[] = {"Municipality",
                                            "AGS",
                                            "System",
                                            "Product",
                                            "Release",
                                            "Status",
                                            "End of support",
                                            "Extended until",
                                            "Days until all support ends"};
static_assert(std::size(kRoadmapHeaderDe) == std::size(kRoadmapHeaderEn));

std::string join(const std::vector<std::string>& v, const char* sep) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
    return out;
}

void row(std::string& out, const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i) out.push_back(';');
        out += csv_field(fields[i]);
    }
    out += "\r\n";
}

std::string evidence_text(const RuleResult& rr) {
    std::vector<std::string> lines;
    for (const auto& e : rr.evidence) {
        std::string where = e.provenance.source;
        if (!where.empty() && e.provenance.line > 0)
            where += ":" + std::to_string(e.provenance.line);
        if (e.fact.empty())
            lines.push_back(where);
        else
            lines.push_back(e.fact + " = " + e.value + (where.empty() ? "" : " (" + where + ")"));
    }
    return join(lines, "\n");
}

std::string csv_string(const ScanResult& scan, Lang lang) {
    std::string out = "\xEF\xBB\xBF";
    const auto& header = lang == Lang::De ? kHeaderDe : kHeaderEn;
    row(out, std::vector<std::string>(std::begin(header), std::end(header)));
    for (const auto& m : scan.municipalities)
        for (const auto& a : m.assets)
            for (const auto& rr : a.results) {
                const Rule* r = scan.rule(rr.rule_id);
                bool open = rr.state == ResultState::Fail || rr.state == ResultState::Waived ||
                            rr.state == ResultState::NoEvidence || rr.state == ResultState::Error;
                std::string until;
                if (rr.state == ResultState::Waived && rr.waiver) until = rr.waiver->expires;
                row(out,
                    {m.name, m.ags, a.name, a.kind, rr.rule_id, r ? r->title.get(lang) : "",
                     r ? r->module : "", r ? join(reference_ids(*r), ", ") : "",
                     r ? join(control_labels(*r), ", ") : "", r ? level_label(r->level, lang) : "",
                     r ? severity_label(r->severity, lang) : "", state_label(rr.state, lang),
                     rr.message, evidence_text(rr), r && open ? r->remediation.get(lang) : "",
                     until});
            }
    return out;
}

// The roadmap rows of every municipality, earliest end first within each; the day count is
// negative once all support has ended and empty when no end is announced.
std::string roadmap_csv_string(const ScanResult& scan, Lang lang) {
    std::string out = "\xEF\xBB\xBF";
    const auto& header = lang == Lang::De ? kRoadmapHeaderDe : kRoadmapHeaderEn;
    row(out, std::vector<std::string>(std::begin(header), std::end(header)));
    auto as_of = parse_iso_date(scan.as_of);
    for (const auto& m : scan.municipalities)
        for (const RoadmapEntry* r : roadmap_rows(m)) {
            const char* phase = support_phase_label(r->phase, lang);
            auto end = roadmap_end(*r);
            row(out, {m.name, m.ags, r->asset_name.empty() ? r->asset_id : r->asset_name,
                      product_label(r->product), r->cycle, phase ? phase : r->phase, r->eol_date,
                      r->extended_until,
                      end && as_of ? std::to_string(days_between(*as_of, *end)) : ""});
        }
    return out;
}

Expected<std::vector<std::filesystem::path>> write_csv(const ScanResult& scan,
                                                       const ReportOptions& options) {
    auto path = options.out_dir / "results.csv";
    if (auto s = write_file_atomic(path, csv_string(scan, options.lang)); !s) return s.error();
    auto roadmap = options.out_dir / "roadmap.csv";
    if (auto s = write_file_atomic(roadmap, roadmap_csv_string(scan, options.lang)); !s)
        return s.error();
    return std::vector<std::filesystem::path>{path, roadmap};
}

}  // namespace

// Also declared in reports/writer.hpp.
const ReportWriter& csv_report_writer();

const ReportWriter& csv_report_writer() {
    static const ReportWriter w{
        "csv",
        "results.csv (one row per result) and roadmap.csv (end of support per system) for Excel "
        "(UTF-8 BOM, ';', CRLF)",
        &write_csv};
    return w;
}

// Declared in reports/csv_text.hpp.
std::string csv_field(std::string_view raw) {
    std::string s = text::sanitize_utf8(raw);
    // A plain negative integer ("-41") is a number to a spreadsheet, not a formula.
    bool integer =
        s.size() > 1 && s[0] == '-' && s.find_first_not_of("0123456789", 1) == std::string::npos;
    if (!s.empty() && !integer &&
        (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r'))
        s.insert(s.begin(), '\'');
    if (s.find_first_of(";\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
    return out;
}

}  // namespace grundscan
