// grundschutz-check.csv: the scan in the shape of an IT-Grundschutz-Check, one row per
// (Zielobjekt, Edition 2023 requirement) with the status ja / teilweise / nein / entbehrlich /
// nicht geprüft, its reason and evidence (reports/grundschutz_check.hpp computes the rows;
// docs/grundschutz-check.md). For German Excel and ISMS-tool imports like results.csv: UTF-8
// with BOM, ';', CRLF, fields neutralised against formula injection (reports/csv_text.hpp).
// Headers and labels follow --lang.
#include <iterator>
#include <string>
#include <vector>

#include "reports/csv_text.hpp"
#include "reports/grundschutz_check.hpp"
#include "reports/writer.hpp"
#include "scanner/core/atomic_file.hpp"

namespace grundscan {

namespace {

constexpr const char* kHeaderDe[] = {
    "Kommune", "AGS",   "Zielobjekt", "Zielobjekt-Typ",      "Baustein",   "Anforderung",
    "Titel",   "Stufe", "Status",     "Begründung/Nachweis", "Prüfregeln", "Datum"};
constexpr const char* kHeaderEn[] = {
    "Municipality", "AGS",   "Target object", "Target type",     "Module",      "Requirement",
    "Title",        "Level", "Status",        "Reason/evidence", "Check rules", "Date"};
static_assert(std::size(kHeaderDe) == std::size(kHeaderEn));

void csv_row(std::string& out, const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i) out.push_back(';');
        out += csv_field(fields[i]);
    }
    out += "\r\n";
}

Expected<std::vector<std::filesystem::path>> write_gscheck(const ScanResult& scan,
                                                           const ReportOptions& options) {
    auto path = options.out_dir / "grundschutz-check.csv";
    if (auto s = write_file_atomic(path, grundschutz_check_csv(scan, options.lang)); !s)
        return s.error();
    return std::vector<std::filesystem::path>{path};
}

}  // namespace

std::string grundschutz_check_csv(const ScanResult& scan, Lang lang) {
    std::string out = "\xEF\xBB\xBF";
    const auto& header = lang == Lang::De ? kHeaderDe : kHeaderEn;
    csv_row(out, std::vector<std::string>(std::begin(header), std::end(header)));
    for (const auto& r : grundschutz_check_rows(scan)) {
        std::string rules;
        for (const auto& id : check_row_rules(r)) rules += (rules.empty() ? "" : ", ") + id;
        std::string kind = r.organisation ? std::string(lang == Lang::De ? "Informationsverbund"
                                                                         : "information domain")
                                          : r.target_kind;
        csv_row(out, {r.municipality, r.ags, r.target, kind, r.baustein, r.requirement, r.title,
                      level_code(r.level), check_status_label(r.status, lang),
                      check_row_reason(r, lang), rules, r.date});
    }
    return out;
}

const ReportWriter& gscheck_report_writer() {
    static const ReportWriter w{
        "gscheck",
        "grundschutz-check.csv: IT-Grundschutz-Check per system and requirement (ja / teilweise / "
        "nein / entbehrlich / nicht geprüft) for ISMS tools (UTF-8 BOM, ';', CRLF)",
        &write_gscheck};
    return w;
}

}  // namespace grundscan
