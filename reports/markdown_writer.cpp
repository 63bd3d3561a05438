// summary.md: a short Markdown summary for CI job summaries (GitHub $GITHUB_STEP_SUMMARY,
// GitLab, Azure DevOps): one table row per municipality (score, Ampel, fails by severity,
// coverage), the top failures (at most 10), the roadmap lines that have ended or end within a
// year (at most 15) and a table of assets per municipality.
// Text from outside is escaped: inline Markdown punctuation (\\ | * _ ` [ ] ~ $) with a backslash,
// < > & as entities, line breaks become blanks, so no cell can break its table or inject HTML.
#include <algorithm>
#include <string>
#include <vector>

#include "reports/report_content.hpp"
#include "reports/writer.hpp"
#include "scanner/core/atomic_file.hpp"
#include "scanner/core/text.hpp"

namespace grundscan {
namespace {

constexpr std::size_t kTopFailures = 10;
constexpr std::size_t kRoadmapRows = 15;
constexpr long long kRoadmapHorizonDays = 365;

const char* tr(Lang lang, const char* de, const char* en) {
    return lang == Lang::De ? de : en;
}

std::string md(std::string_view raw) {
    std::string s = text::sanitize_utf8(raw), out;
    out.reserve(s.size() + 8);
    for (char c : s) {
        switch (c) {
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '&':
                out += "&amp;";
                break;
            case '\n':
            case '\r':
            case '\t':
                out.push_back(' ');
                break;
            case '\\':
            case '|':
            case '*':
            case '_':
            case '`':
            case '[':
            case ']':
            case '~':
            case '$':
                out.push_back('\\');
                out.push_back(c);
                break;
            default:
                out.push_back(c);
        }
    }
    return out;
}

const char* ampel_emoji(Ampel a) {
    switch (a) {
        case Ampel::Green:
            return "🟢";
        case Ampel::Yellow:
            return "🟡";
        case Ampel::Red:
            return "🔴";
        case Ampel::None:
            return "⚪";
    }
    return "⚪";
}

std::string ampel_cell(Ampel a, Lang lang) {
    return std::string(ampel_emoji(a)) + " " + ampel_label(a, lang);
}

int fails(const Score& s, Severity sev) {
    auto it = s.tally.fails_by_severity.find(sev);
    return it == s.tally.fails_by_severity.end() ? 0 : it->second;
}

std::string score_row(const std::string& name, const std::string& ags, const Score& s, Lang lang) {
    const auto& t = s.tally;
    std::string out = "| " + name + " | " + ags + " | " + format_percent(s.value) + " | " +
                      ampel_cell(s.ampel, lang) + " | " + format_percent(s.coverage) + " | ";
    for (auto sev : {Severity::Critical, Severity::High, Severity::Medium, Severity::Low})
        out += std::to_string(fails(s, sev)) + " | ";
    out += std::to_string(t.no_evidence) + " | " + std::to_string(t.error) + " | " +
           std::to_string(t.waived) + " |\n";
    return out;
}

// "- Basis: n von m erfüllt (...)", "- Standard: ...", advisory findings, then the coverage
// sentence.
std::string levels_list(const Score& s, const BsiCoverage& c, Lang lang) {
    std::string out = "- " + md(level_summary(Level::Basis, s.basis, lang)) + "\n";
    out += "- " + md(level_summary(Level::Standard, s.standard, lang)) + "\n";
    if (s.erhoeht.requirements > 0)
        out += "- " + md(level_summary(Level::Erhoeht, s.erhoeht, lang)) + "\n";
    if (s.advisory_findings > 0) out += "- " + advisory_count(s.advisory_findings, lang) + "\n";
    out += "\n";
    if (std::string cov = coverage_sentence(c, lang); !cov.empty()) out += md(cov) + "\n\n";
    return out;
}

struct Failure {
    Severity severity;
    std::size_t order;
    const MunicipalityResult* m;
    const AssetResult* a;
    const RuleResult* r;
    const Rule* rule;
};

// Systems and software without support, or whose last support ends within a year: the urgent
// part of the replacement roadmap (all lines: roadmap.csv and the HTML/PDF report).
std::string roadmap_section(const ScanResult& scan, Lang lang) {
    struct Line {
        const MunicipalityResult* m;
        const RoadmapEntry* r;
        long long days;
    };
    auto as_of = parse_iso_date(scan.as_of);
    std::vector<Line> urgent;
    std::size_t total = 0;
    for (const auto& m : scan.municipalities)
        for (const RoadmapEntry* r : roadmap_rows(m)) {
            ++total;
            auto end = roadmap_end(*r);
            if (r->phase == "ended" && (!end || !as_of)) {
                urgent.push_back({&m, r, -1});
                continue;
            }
            if (!end || !as_of) continue;
            long long days = days_between(*as_of, *end);
            if (days <= kRoadmapHorizonDays) urgent.push_back({&m, r, days});
        }
    if (total == 0) return {};
    std::stable_sort(urgent.begin(), urgent.end(),
                     [](const Line& x, const Line& y) { return x.days < y.days; });
    std::string out = tr(lang, "## Ablöse-Roadmap\n\n", "## Replacement roadmap\n\n");
    if (urgent.empty()) {
        out += tr(lang,
                  "Kein System und keine Software verliert in den nächsten 12 Monaten die "
                  "Herstellerunterstützung.\n\n",
                  "No system or software leaves vendor support within the next 12 months.\n\n");
        return out;
    }
    out +=
        tr(lang, "Ohne Unterstützung oder Ende jeder Unterstützung innerhalb von 12 Monaten:\n\n",
           "Out of support, or all support ends within 12 months:\n\n");
    out += tr(
        lang, "| Kommune | System | Produkt | Status | Supportende | Erweitert bis | Tage |\n",
        "| Municipality | System | Product | Status | End of support | Extended until | Days |\n");
    out += "|---|---|---|---|---|---|--:|\n";
    for (std::size_t i = 0; i < urgent.size() && i < kRoadmapRows; ++i) {
        const auto& l = urgent[i];
        const char* phase = support_phase_label(l.r->phase, lang);
        out += "| " + md(l.m->name) + " | " +
               md(l.r->asset_name.empty() ? l.r->asset_id : l.r->asset_name) + " | " +
               md(roadmap_release(*l.r)) + " | " + md(phase ? phase : l.r->phase) + " | " +
               md(l.r->eol_date.empty() ? "–" : l.r->eol_date) + " | " +
               md(l.r->extended_until.empty() ? "–" : l.r->extended_until) + " | " +
               (l.r->phase == "ended" && l.days < 0 ? std::string("–") : std::to_string(l.days)) +
               " |\n";
    }
    out += "\n";
    if (urgent.size() > kRoadmapRows)
        out += std::string(tr(lang, "… und ", "… and ")) +
               std::to_string(urgent.size() - kRoadmapRows) + tr(lang, " weitere. ", " more. ");
    out += std::to_string(total) +
           tr(lang, " Einträge insgesamt in roadmap.csv und im HTML-/PDF-Bericht.\n\n",
              " entries in total in roadmap.csv and the HTML/PDF report.\n\n");
    return out;
}

// The "Datenstand" block (datenstand_rows, shared with the HTML, PDF and JSON reports).
std::string datenstand_section(const ScanResult& scan, Lang lang) {
    std::string out = std::string("## ") + datenstand_heading(lang) + "\n\n" +
                      md(datenstand_intro(scan, lang)) + "\n\n";
    std::vector<DatenstandRow> rows = datenstand_rows(scan, lang);
    if (rows.empty())
        return out +
               tr(lang, "Keine Datenquellen verzeichnet.\n\n", "No data sources recorded.\n\n");
    out += tr(lang, "| Datenquelle | Datenstand | Alter am Stichtag | Abdeckung | Hinweise |\n",
              "| Data source | Data as of | Age at reference date | Coverage | Warnings |\n");
    out += "|---|---|--:|---|---|\n";
    for (const DatenstandRow& r : rows) {
        std::string warn;
        for (const auto& w : r.warnings) warn += (warn.empty() ? "" : "; ") + w;
        out += "| " + md(r.title) + " | " + md(r.data_date) + " | " +
               (r.age_days ? std::to_string(*r.age_days) + tr(lang, " Tage", " days")
                           : std::string("–")) +
               " | " + md(r.coverage) + " | " + (warn.empty() ? std::string("–") : md(warn)) +
               " |\n";
    }
    return out + "\n";
}

std::string markdown_string(const ScanResult& scan, Lang lang) {
    std::string out;
    out += "# grundscan: " + md(scan.org_name.empty() ? scan.org_id : scan.org_name) + "\n\n";
    out += tr(lang, "Stichtag: ", "Reference date: ") + md(scan.as_of);
    if (!scan.packs.empty()) {
        out += tr(lang, " · Regelpakete: ", " · Rule packs: ");
        for (std::size_t i = 0; i < scan.packs.size(); ++i)
            out += (i ? ", " : "") + md(scan.packs[i].id) + " " + md(scan.packs[i].version);
    }
    out += tr(lang, " · Bewertung: ", " · Score model: ") + md(scan.score_model) + "\n\n";
    if (!scan.complete)
        out += tr(lang,
                  "> ⚠️ **Scan unvollständig:** die Ergebnisse sind nicht vollständig.\n\n",
                  "> ⚠️ **Incomplete scan:** the results are partial.\n\n");

    std::string head = tr(lang,
                          "| Kommune | AGS | Bewertung | Ampel | Abdeckung | kritisch | hoch | "
                          "mittel | niedrig | kein Nachweis | Fehler | Risiko akzeptiert |\n",
                          "| Municipality | AGS | Score | Traffic light | Coverage | critical | "
                          "high | medium | low | no evidence | error | waived |\n");
    std::string sep = "|---|---|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|\n";
    out += tr(lang, "## Übersicht\n\n", "## Overview\n\n");
    out += head + sep;
    for (const auto& m : scan.municipalities)
        out += score_row(md(m.name), md(m.ags), m.score, lang);
    out += score_row(std::string("**") + tr(lang, "Gesamt", "Total") + "**", "", scan.score, lang);
    out += "\n" + std::string(ampel_emoji(scan.score.ampel)) + " " +
           md(ampel_explanation(scan, scan.score, scan.coverage, lang)) + "\n\n";
    out += levels_list(scan.score, scan.coverage, lang);
    out += "> " + md(ampel_rule_text(scan, lang)) + "\n\n";

    std::vector<Failure> all;
    for (const auto& m : scan.municipalities)
        for (const auto& a : m.assets)
            for (const auto& r : a.results)
                if (r.state == ResultState::Fail) {
                    const Rule* rule = scan.rule(r.rule_id);
                    all.push_back(
                        {rule ? rule->severity : Severity::Medium, all.size(), &m, &a, &r, rule});
                }
    out += tr(lang, "## Wichtigste Befunde\n\n", "## Top failures\n\n");
    if (all.empty()) {
        out += tr(lang, "Keine nicht erfüllten Anforderungen.\n\n", "No failed requirements.\n\n");
    } else {
        // Scored failures first; advisory ones ("Hinweis (nicht bewertet)") after them.
        std::stable_sort(all.begin(), all.end(), [](const Failure& x, const Failure& y) {
            bool ax = x.rule && x.rule->advisory, ay = y.rule && y.rule->advisory;
            if (ax != ay) return ay;
            return x.severity > y.severity;
        });
        out += tr(lang, "| Schwere | Regel | Titel | Kommune | System |\n",
                  "| Severity | Rule | Title | Municipality | System |\n");
        out += "|---|---|---|---|---|\n";
        for (std::size_t i = 0; i < all.size() && i < kTopFailures; ++i) {
            const auto& f = all[i];
            std::string title = f.rule ? md(f.rule->title.get(lang)) : "";
            if (f.rule && f.rule->advisory) title += std::string(" (") + advisory_label(lang) + ")";
            out += "| " + std::string(severity_label(f.severity, lang)) + " | " + md(f.r->rule_id) +
                   " | " + title + " | " + md(f.m->name) + " | " + md(f.a->name) + " |\n";
        }
        if (all.size() > kTopFailures)
            out += "\n" + std::string(tr(lang, "… und ", "… and ")) +
                   std::to_string(all.size() - kTopFailures) +
                   tr(lang, " weitere (siehe results.csv / HTML-Bericht).\n",
                      " more (see results.csv / HTML report).\n");
        out += "\n";
    }

    out += roadmap_section(scan, lang);
    out += datenstand_section(scan, lang);

    for (const auto& m : scan.municipalities) {
        out += "### " + md(m.name) + "\n\n";
        out += std::string(ampel_emoji(m.score.ampel)) + " " +
               md(ampel_explanation(scan, m.score, m.coverage, lang)) + "\n\n";
        out += levels_list(m.score, m.coverage, lang);
        if (!m.coverage.bausteine.empty()) {
            out +=
                tr(lang, "| Baustein | Anforderungen | automatisch prüfbar | geprüft | Stand |\n",
                   "| Baustein | Requirements | automatically checkable | checked | Status |\n");
            out += "|---|--:|--:|--:|---|\n";
            for (const auto& b : m.coverage.bausteine)
                out += "| " + md(b.id) + (b.title.empty() ? "" : " " + md(b.title)) + " | " +
                       std::to_string(b.modelled) + " | " + std::to_string(b.checkable) + " | " +
                       std::to_string(b.checked) + " | " + md(baustein_status(b, lang)) + " |\n";
            out += "\n";
        }
        out += tr(lang, "| System | Art | Bewertung | Ampel | Abdeckung | nicht erfüllt |\n",
                  "| System | Kind | Score | Traffic light | Coverage | failed |\n");
        out += "|---|---|--:|---|--:|--:|\n";
        for (const auto& a : m.assets)
            out += "| " + md(a.name) + " | " + md(a.kind) + " | " + format_percent(a.score.value) +
                   " | " + ampel_cell(a.score.ampel, lang) + " | " +
                   format_percent(a.score.coverage) + " | " + std::to_string(a.score.tally.fail) +
                   " |\n";
        out += "\n";
    }
    return out;
}

Expected<std::vector<std::filesystem::path>> write_markdown(const ScanResult& scan,
                                                            const ReportOptions& options) {
    auto path = options.out_dir / "summary.md";
    if (auto s = write_file_atomic(path, markdown_string(scan, options.lang)); !s) return s.error();
    return std::vector<std::filesystem::path>{path};
}

}  // namespace

// Also declared in reports/writer.hpp.
const ReportWriter& markdown_report_writer();

const ReportWriter& markdown_report_writer() {
    static const ReportWriter w{"markdown", "summary.md: Markdown summary for CI job summaries",
                                &write_markdown};
    return w;
}

}  // namespace grundscan
