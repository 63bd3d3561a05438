// HTML report ("Gemeinderat" report): html/index.html (Verbund roll-up) and
// html/<municipality-id>.html per municipality, with the same content as the PDF: an executive
// summary a non-specialist reads in two minutes (score, Ampel, trend, changes, top five fixes),
// then results per Baustein, systems leaving maintenance, accepted risks, per-asset details
// and the scoring method. Every page is one self-contained file: inline CSS, no JavaScript, no
// external resources, a Content-Security-Policy that forbids loading anything, and a print
// stylesheet. Everything that comes from outside (inventory, exports, rule packs) goes through
// html_escape(); anchors are derived from positions, file names from sanitised ids.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "reports/report_content.hpp"
#include "reports/writer.hpp"
#include "scanner/core/atomic_file.hpp"
#include "scanner/core/dates.hpp"
#include "scanner/core/text.hpp"

namespace grundscan {
namespace {

// ---- small helpers ---------------------------------------------------------------------------

const char* tr(Lang lang, const char* de, const char* en) {
    return lang == Lang::De ? de : en;
}

std::string esc(std::string_view s) {
    return html_escape(s);
}

// "73 %" (same rounding as the terminal summary) or "–" when there is no value.
std::string percent(const std::optional<double>& v) {
    return format_percent(v);
}

std::string num(int n) {
    return std::to_string(n);
}

// Coloured badge plus text label, so the traffic light survives greyscale printing.
std::string ampel_badge(Ampel a, Lang lang) {
    return std::string("<span class=\"badge ampel-") + ampel_name(a) + "\">" +
           esc(ampel_label(a, lang)) + "</span>";
}

std::string state_badge(ResultState s, Lang lang) {
    return std::string("<span class=\"state state-") + state_name(s) + "\">" +
           esc(state_label(s, lang)) + "</span>";
}

// First line of a (possibly multi-line) text, trimmed.
std::string first_line(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\t'))
        s.remove_prefix(1);
    auto nl = s.find('\n');
    if (nl != std::string_view::npos) s = s.substr(0, nl);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\r' || s.back() == '\t'))
        s.remove_suffix(1);
    return std::string(s);
}

// ISO 8601 timestamp "2024-05-01T10:00:00Z" shown as "01.05.2024 10:00 UTC" (de) or
// "2024-05-01 10:00 UTC" (en); anything else is shown as given.
std::string format_timestamp(const std::string& iso, Lang lang) {
    bool shape =
        iso.size() >= 16 && iso[4] == '-' && iso[7] == '-' && iso[10] == 'T' && iso[13] == ':';
    if (!shape) return esc(iso);
    std::string date = lang == Lang::De
                           ? iso.substr(8, 2) + "." + iso.substr(5, 2) + "." + iso.substr(0, 4)
                           : iso.substr(0, 10);
    std::string zone = iso.back() == 'Z' ? " UTC" : "";
    return esc(date + " " + iso.substr(11, 5) + zone);
}

// ---- page frame ------------------------------------------------------------------------------

constexpr const char* kStyle = R"css(
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", "Helvetica Neue", Arial, sans-serif; font-size: 15px;
  line-height: 1.45; color: #1a1a1a; background: #ffffff; margin: 0; }
main { max-width: 1200px; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.7rem; margin: 0 0 .4rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .6rem; border-bottom: 2px solid #1f3a5f; padding-bottom: .2rem; }
h3 { font-size: 1.1rem; margin: 1.4rem 0 .4rem; }
a { color: #0b4f9c; }
a:focus { outline: 3px solid #1a1a1a; outline-offset: 2px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .5rem 0; }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0; }
.banner { border: 3px solid #8a1c1c; background: #fdecea; color: #5c0f0f; padding: .7rem 1rem;
  margin: 1rem 0; font-weight: 600; }
.summary { border: 1px solid #5a6b7d; background: #f4f6f9; padding: 1rem; margin: 1rem 0; }
.summary .score { font-size: 2rem; font-weight: 700; margin-right: .6rem; }
.badge { display: inline-block; padding: .1rem .55rem; border-radius: .8rem; font-weight: 700;
  border: 2px solid #1a1a1a; white-space: nowrap; }
.ampel-green { background: #1b5e20; color: #ffffff; }
.ampel-yellow { background: #ffd54f; color: #1a1a1a; border-style: dashed; }
.ampel-red { background: #b71c1c; color: #ffffff; border-style: double; border-width: 3px; }
.ampel-none { background: #e0e0e0; color: #1a1a1a; border-style: dotted; }
.state { font-weight: 600; white-space: nowrap; }
.state-pass { color: #1b5e20; }
.state-fail { color: #b71c1c; }
.state-error { color: #8a4b00; }
.state-no_evidence { color: #5c3d00; }
.state-not_applicable, .state-waived { color: #4a4a4a; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { border: 1px solid #9aa5b1; padding: .3rem .5rem; text-align: left; vertical-align: top; }
thead th { background: #1f3a5f; color: #ffffff; }
tbody th { background: #f4f6f9; font-weight: 600; }
td.n, th.n { text-align: right; white-space: nowrap; }
tr.remediation td { background: #fff8e1; border-top: none; }
.muted { color: #4a4a4a; font-size: .9em; }
.evidence { margin: 0; padding-left: 1.1rem; }
.evidence li { word-break: break-word; }
code { font-family: Consolas, "DejaVu Sans Mono", monospace; font-size: .92em; }
ol.fixfirst li { margin-bottom: .5rem; }
.method { border-left: 4px solid #1f3a5f; padding-left: 1rem; }
.sr-only { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; border: 0;
  overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; }
.summary .headline { margin: .2rem 0 .5rem; }
.summary .without { font-size: 1.1rem; font-weight: 600; }
.summary .lead { font-size: 1.1rem; font-weight: 600; }
ul.kpis { list-style: none; padding: 0; margin: .6rem 0; display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; }
ul.kpis strong { font-size: 1.3rem; }
figure.trend { margin: .5rem 0; }
figure.trend svg { max-width: 100%; height: auto; background: #ffffff; border: 1px solid #9aa5b1; }
figure.roadmap { margin: .5rem 0; }
figure.roadmap svg { max-width: 100%; height: auto; background: #ffffff; border: 1px solid #9aa5b1; }
.why { display: inline-block; margin-top: .1rem; }
.trendarrow { font-weight: 700; white-space: nowrap; }
tr.phase-ended th, tr.phase-ended td { background: #fdecea; }
tr.phase-extended th, tr.phase-extended td { background: #fff8e1; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  a { color: #000000; text-decoration: none; }
  nav { display: none; }
  h2 { page-break-after: avoid; break-after: avoid; }
  section.asset { break-before: page; page-break-before: always; }
  tr, li { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  thead th { background: #ffffff; color: #000000; border-bottom: 2px solid #000000; }
  section.summary { break-after: page; page-break-after: always; }
  figure.trend svg, figure.roadmap svg { border: none; }
  .badge, .banner, tr.remediation td, tr.phase-ended th, tr.phase-ended td,
  tr.phase-extended th, tr.phase-extended td { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
)css";

std::string page_begin(const std::string& title, Lang lang) {
    std::string h;
    h += "<!DOCTYPE html>\n<html lang=\"";
    h += tr(lang, "de", "en");
    h += "\">\n<head>\n<meta charset=\"utf-8\">\n";
    h += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
         "style-src 'unsafe-inline'\">\n";
    h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    h += "<meta name=\"generator\" content=\"grundscan\">\n";
    h += "<title>" + title + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n<main>\n";
    return h;
}

std::string page_end(const ScanResult& scan, Lang lang) {
    std::string h = "<footer class=\"muted\"><p>";
    h += tr(lang, "Erstellt mit grundscan", "Generated by grundscan");
    if (!scan.tool_version.empty()) h += " " + esc(scan.tool_version);
    h += tr(lang, ". Der Bericht ersetzt keinen IT-Grundschutz-Check.",
            ". This report does not replace an IT-Grundschutz check.");
    h += "</p></footer>\n</main>\n</body>\n</html>\n";
    return h;
}

std::string partial_banner(const ScanResult& scan, Lang lang) {
    if (scan.complete) return "";
    return std::string("<p class=\"banner\">") +
           tr(lang,
              "Unvollständig: Der Scan wurde abgebrochen, die Ergebnisse sind nur teilweise "
              "vorhanden.",
              "Partial: the scan was interrupted, the results are incomplete.") +
           "</p>\n";
}

// Scan metadata shared by both page kinds: date, Stichtag, profile, rule packs.
std::string scan_meta_rows(const ScanResult& scan, Lang lang) {
    std::string h;
    auto row = [&](const char* label, const std::string& value_html) {
        h += std::string("<dt>") + label + "</dt><dd>" + value_html + "</dd>\n";
    };
    if (!scan.org_name.empty() || !scan.org_id.empty())
        row(tr(lang, "Organisation", "Organisation"),
            esc(scan.org_name.empty() ? scan.org_id : scan.org_name));
    if (!scan.started_at.empty())
        row(tr(lang, "Scan-Zeitpunkt", "Scan date"), format_timestamp(scan.started_at, lang));
    if (!scan.as_of.empty()) row(tr(lang, "Stichtag", "As of"), esc(scan.as_of));
    if (!scan.profile.empty()) row(tr(lang, "Profil", "Profile"), esc(scan.profile));
    if (!scan.packs.empty()) {
        std::string packs;
        for (const auto& p : scan.packs) {
            if (!packs.empty()) packs += ", ";
            packs += "<code>" + esc(p.id) + "</code> " + esc(p.version);
        }
        row(tr(lang, "Regelpakete", "Rule packs"), packs);
    }
    return h;
}

// "kritisch 1 · hoch 2 · mittel 0 · niedrig 0"
std::string fails_by_severity_text(const Tally& t, Lang lang) {
    std::string h;
    for (Severity s : {Severity::Critical, Severity::High, Severity::Medium, Severity::Low}) {
        auto it = t.fails_by_severity.find(s);
        int n = it == t.fails_by_severity.end() ? 0 : it->second;
        if (!h.empty()) h += " · ";
        h += esc(severity_label(s, lang)) + " " + num(n);
    }
    return h;
}

int severity_count(const Tally& t, Severity s) {
    auto it = t.fails_by_severity.find(s);
    return it == t.fails_by_severity.end() ? 0 : it->second;
}

// ---- dates and numbers for the executive summary ---------------------------------------------

// A percentage as the reader sees it (rounded down like format_percent()).
int shown(double v) {
    return static_cast<int>(std::floor(v + 1e-9));
}

// The Stichtag of the scan (falls back to the start date).
std::optional<Date> scan_date(const ScanResult& scan) {
    if (auto d = parse_iso_date(scan.as_of)) return d;
    return parse_iso_date(scan.started_at);
}

std::string scan_date_text(const ScanResult& scan) {
    if (!scan.as_of.empty()) return scan.as_of;
    return scan.started_at.size() >= 10 ? scan.started_at.substr(0, 10) : scan.started_at;
}

// "+8 Prozentpunkte", "−3 Prozentpunkte", "unverändert".
std::string delta_text(int d, Lang lang) {
    if (d == 0) return tr(lang, "unverändert", "unchanged");
    std::string sign = d > 0 ? "+" : "−";
    int n = d > 0 ? d : -d;
    return sign + num(n) +
           (n == 1 ? tr(lang, " Prozentpunkt", " percentage point")
                   : tr(lang, " Prozentpunkte", " percentage points"));
}

// ---- municipality page: executive summary ----------------------------------------------------

std::string write_header(const ScanResult& scan, const MunicipalityResult& mun, Lang lang) {
    std::string h = "<nav><p><a href=\"index.html\">";
    h += tr(lang, "← Übersicht aller Kommunen", "← Overview of all municipalities");
    h += "</a></p></nav>\n<header>\n<h1>";
    h += tr(lang, "IT-Grundschutz-Bericht: ", "IT-Grundschutz report: ");
    h += esc(mun.name.empty() ? mun.id : mun.name) + "</h1>\n<dl class=\"meta\">\n";
    if (!mun.ags.empty())
        h += std::string("<dt>") + tr(lang, "AGS", "Municipality key (AGS)") + "</dt><dd>" +
             esc(mun.ags) + "</dd>\n";
    h += scan_meta_rows(scan, lang);
    h += "</dl>\n</header>\n";
    h += partial_banner(scan, lang);
    return h;
}

struct TrendEntry {
    std::string as_of;
    std::optional<double> score;
    Ampel ampel = Ampel::None;
};

// Earlier scans (oldest first) followed by this scan.
std::vector<TrendEntry> trend_entries(const ScanResult& scan, const MunicipalityResult& mun) {
    std::vector<TrendEntry> out;
    for (const auto& p : mun.trend) out.push_back({p.as_of, p.score, p.ampel});
    if (out.empty() && mun.changes.has_previous)
        out.push_back({mun.changes.previous_as_of, mun.changes.previous_score, Ampel::None});
    out.push_back({scan_date_text(scan), mun.score.value, mun.score.ampel});
    return out;
}

// "Verlauf: 2026-10-23 71 % → 2026-11-23 79 %"
std::string trend_text(const std::vector<TrendEntry>& points, Lang lang) {
    std::string s = tr(lang, "Verlauf: ", "Trend: ");
    for (std::size_t i = 0; i < points.size(); ++i) {
        if (i > 0) s += " → ";
        s += esc(points[i].as_of) + " " + percent(points[i].score);
    }
    return s;
}

const char* ampel_colour(Ampel a) {
    switch (a) {
        case Ampel::Green:
            return "#1b5e20";
        case Ampel::Yellow:
            return "#ffd54f";
        case Ampel::Red:
            return "#b71c1c";
        case Ampel::None:
            break;
    }
    return "#e0e0e0";
}

std::string fmt(double d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", d);
    return buf;
}

// Inline SVG line chart of the score over the scans, with a text alternative (title, desc and
// a visually hidden table). No external resources, no script.
std::string trend_chart(const std::vector<TrendEntry>& all, Lang lang) {
    constexpr std::size_t kMaxPoints = 12;
    std::vector<TrendEntry> points(all.size() > kMaxPoints ? all.end() - kMaxPoints : all.begin(),
                                   all.end());
    const double width = 640, height = 230, left = 52, right = 24, top = 24, bottom = 44;
    const double plot_w = width - left - right, plot_h = height - top - bottom;
    auto x_of = [&](std::size_t i) {
        return points.size() == 1 ? left + plot_w / 2
                                  : left + plot_w * static_cast<double>(i) /
                                               static_cast<double>(points.size() - 1);
    };
    auto y_of = [&](double v) { return top + plot_h * (1.0 - std::clamp(v, 0.0, 100.0) / 100.0); };

    std::string text = trend_text(all, lang);
    std::string h = "<figure class=\"trend\">\n";
    h += "<svg role=\"img\" aria-labelledby=\"trend-title trend-desc\" focusable=\"false\" "
         "viewBox=\"0 0 640 230\" width=\"640\" height=\"230\">\n";
    h += std::string("<title id=\"trend-title\">") +
         tr(lang, "Entwicklung des Werts", "Score over time") + "</title>\n";
    h += "<desc id=\"trend-desc\">" + text + "</desc>\n";
    // Axis grid at 0, 50, 100 % (the Ampel follows the BSI levels, not the percentage).
    for (double v : {0.0, 50.0, 100.0}) {
        std::string y = fmt(y_of(v));
        h += "<line x1=\"" + fmt(left) + "\" y1=\"" + y + "\" x2=\"" + fmt(width - right) +
             "\" y2=\"" + y + "\" stroke=\"#9aa5b1\" stroke-width=\"1\"/>\n";
        h += "<text x=\"" + fmt(left - 6) + "\" y=\"" + fmt(y_of(v) + 4) +
             "\" text-anchor=\"end\" font-size=\"12\" fill=\"#1a1a1a\">" + num(shown(v)) +
             " %</text>\n";
    }
    std::string line;
    for (std::size_t i = 0; i < points.size(); ++i)
        if (points[i].score)
            line += (line.empty() ? "" : " ") + fmt(x_of(i)) + "," + fmt(y_of(*points[i].score));
    if (!line.empty())
        h += "<polyline points=\"" + line +
             "\" fill=\"none\" stroke=\"#1f3a5f\" stroke-width=\"2.5\"/>\n";
    for (std::size_t i = 0; i < points.size(); ++i) {
        std::string x = fmt(x_of(i));
        if (points[i].score) {
            double y = y_of(*points[i].score);
            h += "<circle cx=\"" + x + "\" cy=\"" + fmt(y) + "\" r=\"5\" fill=\"" +
                 ampel_colour(points[i].ampel) + "\" stroke=\"#1a1a1a\" stroke-width=\"1.5\"/>\n";
            h += "<text x=\"" + x + "\" y=\"" + fmt(y - 10) +
                 "\" text-anchor=\"middle\" font-size=\"12\" font-weight=\"700\" "
                 "fill=\"#1a1a1a\">" +
                 percent(points[i].score) + "</text>\n";
        }
        h += "<text x=\"" + x + "\" y=\"" + fmt(height - bottom + 18) +
             "\" text-anchor=\"middle\" font-size=\"11\" fill=\"#1a1a1a\">" + esc(points[i].as_of) +
             "</text>\n";
    }
    h += "</svg>\n</figure>\n";
    // The same data as a table for screen readers.
    h +=
        "<table class=\"sr-only\">\n<caption>" + text + "</caption>\n<thead><tr><th scope=\"col\">";
    h += tr(lang, "Stichtag", "As of");
    h += "</th><th scope=\"col\">";
    h += tr(lang, "Wert", "Score");
    h += "</th><th scope=\"col\">";
    h += tr(lang, "Ampel", "Traffic light");
    h += "</th></tr></thead>\n<tbody>\n";
    for (const auto& p : all)
        h += "<tr><th scope=\"row\">" + esc(p.as_of) + "</th><td>" + percent(p.score) +
             "</td><td>" + esc(ampel_label(p.ampel, lang)) + "</td></tr>\n";
    h += "</tbody>\n</table>\n";
    return h;
}

// "3 neue Mängel" / "1 neuer Mangel"
std::string count_phrase(int n, const char* de_one, const char* de_many, const char* en_one,
                         const char* en_many, Lang lang) {
    return num(n) + " " + (n == 1 ? tr(lang, de_one, en_one) : tr(lang, de_many, en_many));
}

std::string write_trend_and_changes(const ScanResult& scan, const MunicipalityResult& mun,
                                    Lang lang) {
    std::string h = "<h3 id=\"trend\">";
    h += tr(lang, "Entwicklung seit der letzten Prüfung", "Change since the last scan");
    h += "</h3>\n";
    std::vector<TrendEntry> points = trend_entries(scan, mun);
    if (points.size() < 2) {
        h += std::string("<p>") +
             tr(lang, "Erste Prüfung – noch kein Verlauf.", "First scan – no trend yet.") +
             "</p>\n";
        return h;
    }
    const ChangeSummary& c = mun.changes;
    if (c.has_previous) {
        h += "<p>";
        h += tr(lang, "Seit der letzten Prüfung", "Since the last scan");
        if (!c.previous_as_of.empty()) h += tr(lang, " am ", " on ") + esc(c.previous_as_of);
        h += ": ";
        if (c.previous_score && mun.score.value) {
            h += percent(c.previous_score) + " → " + percent(mun.score.value) + " (" +
                 delta_text(shown(*mun.score.value) - shown(*c.previous_score), lang) + ")";
        } else {
            h += percent(c.previous_score) + " → " + percent(mun.score.value);
        }
        h += ". <strong>" +
             count_phrase(c.new_failures, "neuer Mangel", "neue Mängel", "new finding",
                          "new findings", lang) +
             ", " + num(c.fixed) + tr(lang, " behoben", " fixed") + "</strong>, " +
             num(c.still_open) + tr(lang, " weiterhin offen.", " still open.") + "</p>\n";
    }
    h += trend_chart(points, lang);
    return h;
}

std::string result_anchor(std::size_t asset_index, std::size_t result_index) {
    return "r-" + std::to_string(asset_index + 1) + "-" + std::to_string(result_index + 1);
}

std::string asset_name(const AssetResult& a) {
    return a.name.empty() ? a.id : a.name;
}

// Basis and Standard requirements met / failed / without evidence, the coverage against the
// modelled Bausteine and the advisory findings.
std::string write_levels(const Score& s, const BsiCoverage& c, Lang lang) {
    std::string h = "<ul class=\"levels\">\n";
    h += "<li>" + esc(level_summary(Level::Basis, s.basis, lang)) + "</li>\n";
    h += "<li>" + esc(level_summary(Level::Standard, s.standard, lang)) + "</li>\n";
    if (s.erhoeht.requirements > 0)
        h += "<li>" + esc(level_summary(Level::Erhoeht, s.erhoeht, lang)) + "</li>\n";
    if (s.advisory_findings > 0)
        h += "<li>" + esc(advisory_count(s.advisory_findings, lang)) + "</li>\n";
    h += "</ul>\n";
    if (std::string cov = coverage_sentence(c, lang); !cov.empty())
        h += "<p class=\"coverage\">" + esc(cov) + "</p>\n";
    return h;
}

// The Bausteine modelled for the municipality's systems and the organisation, with how much
// of each grundscan checks; those without any automated check say so.
std::string write_bausteine(const BsiCoverage& c, Lang lang) {
    if (c.bausteine.empty()) return "";
    std::string h = "<section aria-labelledby=\"bausteine\">\n<h2 id=\"bausteine\">";
    h += tr(lang, "Modellierte Bausteine", "Modelled Bausteine");
    h += "</h2>\n<p>";
    h += tr(lang,
            "Für jede Systemart und für die Organisation sind die passenden Bausteine des "
            "IT-Grundschutz-Kompendiums modelliert. Gezählt werden ihre Basis- und "
            "Standard-Anforderungen.",
            "For each asset kind and for the organisation the matching Bausteine of the "
            "IT-Grundschutz Kompendium are modelled. Their Basis and Standard requirements are "
            "counted.");
    h += "</p>\n<table>\n<thead><tr><th scope=\"col\">";
    h += tr(lang, "Baustein", "Baustein");
    h += "</th><th scope=\"col\" class=\"n\">";
    h += tr(lang, "Anforderungen", "Requirements");
    h += "</th><th scope=\"col\" class=\"n\">";
    h += tr(lang, "automatisch prüfbar", "automatically checkable");
    h += "</th><th scope=\"col\" class=\"n\">";
    h += tr(lang, "geprüft", "checked");
    h += "</th><th scope=\"col\">";
    h += tr(lang, "Stand", "Status");
    h += "</th></tr></thead>\n<tbody>\n";
    for (const auto& b : c.bausteine) {
        h += "<tr><th scope=\"row\">" + esc(b.id) +
             (b.title.empty() ? std::string() : " " + esc(b.title)) + "</th><td class=\"n\">" +
             num(b.modelled) + "</td><td class=\"n\">" + num(b.checkable) +
             "</td><td class=\"n\">" + num(b.checked) + "</td><td" +
             (b.checkable == 0 ? " class=\"muted\"" : "") + ">" + esc(baustein_status(b, lang)) +
             "</td></tr>\n";
    }
    h += "</tbody>\n</table>\n</section>\n";
    return h;
}

// The five most important failed requirements, one entry per rule with the systems affected.
std::string write_fix_first(const ScanResult& scan, const MunicipalityResult& mun, Lang lang) {
    std::vector<FixGroup> groups = fix_groups(scan, mun);
    std::size_t total = groups.size();
    if (groups.size() > 5) groups.resize(5);

    std::string h = "<h3 id=\"fixfirst\">";
    h += tr(lang, "Was zuerst zu tun ist", "Fix first");
    h += "</h3>\n";
    if (mun.score.coverage && *mun.score.coverage < scan.min_coverage) {
        h += std::string("<p class=\"banner\">") +
             tr(lang, "Zu wenige Nachweise: nur ", "Too little evidence: only ") +
             percent(mun.score.coverage) +
             tr(lang,
                " der Prüfungen konnten entschieden werden. Zuerst die fehlenden oder fehlerhaften "
                "Exporte beschaffen (siehe „kein Nachweis“ und „Fehler“ je System); bis dahin "
                "gibt es keine Bewertung (graue Ampel).",
                " of the checks could be decided. First obtain the missing or broken exports (see "
                "“no evidence” and “error” per system); until then there is no rating (grey "
                "light).") +
             "</p>\n";
    }
    if (groups.empty()) {
        h += std::string("<p>") +
             tr(lang, "Keine nicht erfüllten Anforderungen.", "No failed requirements.") + "</p>\n";
        return h;
    }
    h += "<p>";
    h +=
        total > 5
            ? tr(lang, "Die fünf wichtigsten von ", "The five most important of ") +
                  num(static_cast<int>(total)) +
                  tr(lang, " offenen Punkten, nach Schwere geordnet:", " open points, by severity:")
            : std::string(tr(lang, "Die offenen Punkte, nach Schwere geordnet:",
                             "The open points, by severity:"));
    h += "</p>\n<ol class=\"fixfirst\">\n";
    for (const auto& g : groups) {
        auto [a0, r0] = g.where.front();
        const RuleResult& first = mun.assets[a0].results[r0];
        std::string title = g.rule ? g.rule->title.get(lang) : g.rule_id;
        h += "<li>" +
             (g.advisory() ? esc(advisory_label(lang)) + ": "
                           : std::string(tr(lang, "Nicht erfüllt: ", "Not met: "))) +
             "<a href=\"#" + result_anchor(a0, r0) + "\"><strong>" + esc(title) +
             "</strong></a> <span class=\"muted\">(<code>" + esc(g.rule_id) + "</code>, " +
             esc(severity_label(g.severity(), lang)) + ")</span>";
        if (g.rule && !g.rule->rationale.get(lang).empty())
            h += "<br>\n<span class=\"why\"><strong>" +
                 std::string(tr(lang, "Warum wichtig: ", "Why it matters: ")) + "</strong>" +
                 esc(first_line(g.rule->rationale.get(lang))) + "</span>";
        std::string systems;
        for (std::size_t k = 0; k < g.where.size() && k < 3; ++k)
            systems += (k ? ", " : "") + esc(asset_name(mun.assets[g.where[k].first]));
        if (g.where.size() > 3)
            systems += tr(lang, " und ", " and ") + num(static_cast<int>(g.where.size() - 3)) +
                       tr(lang, " weitere", " more");
        h += "<br>\n" +
             std::string(g.where.size() == 1 ? tr(lang, "System: ", "System: ")
                                             : tr(lang, "Systeme: ", "Systems: ")) +
             systems;
        h += "<br>\n" + std::string(tr(lang, "Befund: ", "Finding: ")) + esc(first.message);
        h += "</li>\n";
    }
    h += "</ol>\n";
    return h;
}

std::string write_summary(const ScanResult& scan, const MunicipalityResult& mun, Lang lang) {
    const Score& s = mun.score;
    const Tally& t = s.tally;
    std::string h = "<section class=\"summary\" aria-labelledby=\"summary\">\n<h2 id=\"summary\">";
    h += tr(lang, "Zusammenfassung", "Summary");
    h += "</h2>\n<p class=\"headline\"><span class=\"score\">" + percent(s.value) + "</span> " +
         ampel_badge(s.ampel, lang);
    if (t.waived > 0 && s.value_without_waivers)
        h += std::string(" <span class=\"without\">(") +
             tr(lang, "ohne akzeptierte Risiken: ", "without accepted risks: ") +
             percent(s.value_without_waivers) + ")</span>";
    h +=
        "</p>\n<p class=\"lead\">" + esc(ampel_explanation(scan, s, mun.coverage, lang)) + "</p>\n";
    h += write_levels(s, mun.coverage, lang);
    h += "<p class=\"muted\">";
    h += tr(lang,
            "Der Prozentwert (Erfüllungsgrad) gibt an, welcher Anteil der entschiedenen "
            "Prüfungen erfüllt ist; er dient dem Vergleich über die Zeit. Die Ampel richtet sich "
            "nach den Stufen des IT-Grundschutzes (siehe Bewertungsmethode).",
            "The percentage (degree of fulfilment) is the share of decided checks that pass; it "
            "is meant for comparison over time. The traffic light follows the IT-Grundschutz "
            "levels (see scoring method).");
    h += "</p>\n";

    // "<strong>2</strong> offene Mängel" / "<strong>1</strong> offener Mangel"
    auto kpi = [&](int n, const char* de_one, const char* de_many, const char* en_one,
                   const char* en_many) {
        h += "<li><strong>" + num(n) + "</strong> " +
             (n == 1 ? tr(lang, de_one, en_one) : tr(lang, de_many, en_many)) + "</li>\n";
    };
    h += "<ul class=\"kpis\">\n";
    kpi(t.fail, "offener Mangel", "offene Mängel", "open finding", "open findings");
    if (mun.changes.has_previous)
        kpi(mun.changes.fixed, "seit der letzten Prüfung behoben",
            "seit der letzten Prüfung behoben", "fixed since the last scan",
            "fixed since the last scan");
    kpi(t.waived, "akzeptiertes Risiko", "akzeptierte Risiken", "accepted risk", "accepted risks");
    h += "</ul>\n\n";
    h += write_trend_and_changes(scan, mun, lang);
    h += write_fix_first(scan, mun, lang);

    h += "<h3 id=\"counts\">";
    h += tr(lang, "Alle Prüfergebnisse in Zahlen", "All results in numbers");
    h += "</h3>\n<dl class=\"meta\">\n";
    auto row = [&](const std::string& label, const std::string& value) {
        h += "<dt>" + label + "</dt><dd>" + value + "</dd>\n";
    };
    row(esc(state_label(ResultState::Pass, lang)), num(t.pass));
    row(esc(state_label(ResultState::Fail, lang)), num(t.fail));
    row(esc(state_label(ResultState::NoEvidence, lang)), num(t.no_evidence));
    row(esc(state_label(ResultState::Error, lang)), num(t.error));
    row(esc(state_label(ResultState::NotApplicable, lang)), num(t.not_applicable));
    if (t.waived > 0) row(esc(state_label(ResultState::Waived, lang)), num(t.waived));
    row(tr(lang, "Abdeckung", "Coverage"), percent(s.coverage));
    row(tr(lang, "Nicht erfüllt nach Schwere", "Fails by severity"),
        fails_by_severity_text(t, lang));
    h += "</dl>\n</section>\n";
    return h;
}

// ---- maintenance roadmap ---------------------------------------------------------------------

std::string phase_text(const std::string& phase, Lang lang) {
    if (const char* l = support_phase_label(phase, lang)) return l;
    return phase.empty() ? tr(lang, "unbekannt", "unknown") : esc(phase);
}

// Days from the Stichtag to `date` (nullopt when either is unknown).
std::optional<long long> days_until(const std::optional<Date>& from, const std::string& date) {
    auto d = parse_iso_date(date);
    if (!from || !d) return std::nullopt;
    return days_between(*from, *d);
}

std::string maintenance_advice(const MaintenanceRow& row, Lang lang) {
    switch (row.state) {
        case MaintenanceState::Ended:
            return tr(lang, "Erhält keine Sicherheitsupdates mehr – ersetzen oder aktualisieren.",
                      "Receives no security updates any more – replace or upgrade.");
        case MaintenanceState::ExtendedOnly:
            return tr(lang,
                      "Sicherheitsupdates nur noch über erweiterte Unterstützung – Ablösung "
                      "planen.",
                      "Security updates only through extended support – plan the replacement.");
        case MaintenanceState::EndsSoon:
            break;
    }
    if (row.days)
        return tr(lang, "Unterstützung endet in ", "Support ends in ") +
               num(static_cast<int>(*row.days)) +
               tr(lang, " Tagen – Ablösung planen.", " days – plan the replacement.");
    return tr(lang, "Ablösung planen.", "Plan the replacement.");
}

// ---- replacement roadmap ("Ablöse-Roadmap") --------------------------------------------------

std::string roadmap_asset(const RoadmapEntry& r) {
    return r.asset_name.empty() ? r.asset_id : r.asset_name;
}

// At most `max` code points of `s` (sanitized), with "…" when cut.
std::string roadmap_cut(std::string_view s, std::size_t max) {
    std::string in = text::sanitize_utf8(s);
    std::size_t count = 0;
    for (std::size_t i = 0; i < in.size(); ++i) {
        if ((static_cast<unsigned char>(in[i]) & 0xC0) != 0x80) {
            if (count == max) return in.substr(0, i) + "…";
            ++count;
        }
    }
    return in;
}

std::string roadmap_phase_class(const std::string& phase) {
    return phase == "regular" || phase == "extended" || phase == "ended" ? phase : "unknown";
}

// Inline SVG timeline: one row per roadmap line on an axis from the Stichtag to three years
// later; bars for regular (navy) and extended support (amber), red marks for ended support.
// Text alternative in title/desc; the table below carries every detail.
std::string roadmap_chart(const std::vector<const RoadmapEntry*>& all, const Date& start,
                          Lang lang) {
    constexpr std::size_t kMaxRows = 60;
    std::vector<const RoadmapEntry*> rows(
        all.begin(), all.size() > kMaxRows ? all.begin() + kMaxRows : all.end());
    Date end_date{start.year + 3, start.month,
                  start.month == 2 && start.day == 29 ? 28 : start.day};
    const double total = static_cast<double>(std::max(1LL, days_between(start, end_date)));
    const double width = 760, left = 262, right = 24, top = 34, row_h = 22;
    const double plot_w = width - left - right;
    const double height = top + row_h * static_cast<double>(rows.size()) + 44;
    auto x_of = [&](long long days) {
        return left + plot_w * std::clamp(static_cast<double>(days), 0.0, total) / total;
    };
    int ended = 0, within_year = 0, extended = 0;
    for (const RoadmapEntry* r : all) {
        auto end = roadmap_end(*r);
        if (r->phase == "ended" || (end && *end < start))
            ++ended;
        else if (r->phase == "extended")
            ++extended;
        else if (auto eol = parse_iso_date(r->eol_date); eol && days_between(start, *eol) <= 365)
            ++within_year;
    }
    std::string desc =
        tr(lang, "Zeitachse vom Stichtag ", "Timeline from the as-of date ") + esc(start.iso()) +
        tr(lang, " bis ", " to ") + esc(end_date.iso()) + ": " + num(static_cast<int>(all.size())) +
        tr(lang, " Einträge; ", " entries; ") + num(ended) +
        tr(lang, " ohne Unterstützung, ", " without support, ") + num(extended) +
        tr(lang, " nur noch mit erweiterter Unterstützung, ", " with extended support only, ") +
        num(within_year) +
        tr(lang, " mit Ende der regulären Unterstützung innerhalb von 12 Monaten.",
           " with regular support ending within 12 months.");
    if (rows.size() < all.size())
        desc += tr(lang, " Das Diagramm zeigt die ersten ", " The chart shows the first ") +
                num(static_cast<int>(rows.size())) +
                tr(lang, " Einträge; die Tabelle enthält alle.",
                   " entries; the table lists all of them.");

    std::string h = "<figure class=\"roadmap\">\n";
    h += "<svg role=\"img\" aria-labelledby=\"roadmap-title roadmap-desc\" focusable=\"false\" "
         "viewBox=\"0 0 " +
         fmt(width) + " " + fmt(height) + "\" width=\"" + fmt(width) + "\" height=\"" +
         fmt(height) + "\">\n";
    h += std::string("<title id=\"roadmap-title\">") +
         tr(lang, "Ablöse-Roadmap: Ende der Unterstützung je System und Software",
            "Replacement roadmap: end of support per system and software") +
         "</title>\n";
    h += "<desc id=\"roadmap-desc\">" + desc + "</desc>\n";
    // Year grid (1 January) and the Stichtag.
    const double grid_bottom = top + row_h * static_cast<double>(rows.size());
    for (int y = start.year + 1; y <= end_date.year; ++y) {
        long long d = days_between(start, Date{y, 1, 1});
        if (d <= 0 || d > static_cast<long long>(total)) continue;
        std::string x = fmt(x_of(d));
        h += "<line x1=\"" + x + "\" y1=\"" + fmt(top - 6) + "\" x2=\"" + x + "\" y2=\"" +
             fmt(grid_bottom) +
             "\" stroke=\"#9aa5b1\" stroke-width=\"1\" "
             "stroke-dasharray=\"4 3\"/>\n";
        h += "<text x=\"" + x + "\" y=\"" + fmt(top - 10) +
             "\" text-anchor=\"middle\" font-size=\"11\" fill=\"#1a1a1a\">" + num(y) + "</text>\n";
    }
    h += "<line x1=\"" + fmt(left) + "\" y1=\"" + fmt(top - 6) + "\" x2=\"" + fmt(left) +
         "\" y2=\"" + fmt(grid_bottom) + "\" stroke=\"#1a1a1a\" stroke-width=\"1.5\"/>\n";
    h += "<text x=\"" + fmt(left) + "\" y=\"" + fmt(top - 22) +
         "\" text-anchor=\"start\" font-size=\"11\" font-weight=\"700\" fill=\"#1a1a1a\">" +
         tr(lang, "Stichtag ", "As of ") + esc(start.iso()) + "</text>\n";
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const RoadmapEntry& r = *rows[i];
        double y = top + row_h * static_cast<double>(i);
        double cy = y + row_h / 2;
        std::string full = roadmap_asset(r) + " – " + roadmap_release(r);
        h += "<g class=\"roadmap-row phase-" + roadmap_phase_class(r.phase) + "\"><title>" +
             esc(full) + ": " + phase_text(r.phase, lang) + "</title>\n";
        if (i % 2 == 1)
            h += "<rect x=\"0\" y=\"" + fmt(y) + "\" width=\"" + fmt(width) + "\" height=\"" +
                 fmt(row_h) + "\" fill=\"#f3f5f7\"/>\n";
        h += "<text x=\"" + fmt(left - 8) + "\" y=\"" + fmt(cy + 4) +
             "\" text-anchor=\"end\" font-size=\"11\" fill=\"#1a1a1a\">" +
             esc(roadmap_cut(full, 40)) + "</text>\n";
        auto eol = parse_iso_date(r.eol_date);
        auto ext = parse_iso_date(r.extended_until);
        auto end = roadmap_end(r);
        std::optional<long long> d_eol, d_ext;
        if (eol) d_eol = days_between(start, *eol);
        if (ext) d_ext = days_between(start, *ext);
        auto bar = [&](long long from, long long to, const char* fill) {
            double x0 = x_of(from), x1 = x_of(to);
            if (x1 - x0 < 0.5) return;
            h += "<rect x=\"" + fmt(x0) + "\" y=\"" + fmt(cy - 5) + "\" width=\"" + fmt(x1 - x0) +
                 "\" height=\"10\" fill=\"" + fill +
                 "\" stroke=\"#1a1a1a\" stroke-width=\"0.5\"/>\n";
        };
        auto label = [&](double x, const std::string& s, bool anchor_end, const char* colour) {
            h += "<text x=\"" + fmt(x) + "\" y=\"" + fmt(cy + 4) + "\" text-anchor=\"" +
                 (anchor_end ? "end" : "start") + "\" font-size=\"10\" fill=\"" + colour + "\">" +
                 s + "</text>\n";
        };
        if (!end) {
            if (r.phase == "ended") {
                label(left + 4, tr(lang, "beendet", "ended"), false, "#b71c1c");
            } else {
                bar(0, static_cast<long long>(total), "#1f3a5f");
                label(width - right - 4, tr(lang, "kein Ende angekündigt", "no end announced"),
                      true, "#ffffff");
            }
            h += "</g>\n";
            continue;
        }
        long long d_end = days_between(start, *end);
        if (d_end < 0) {
            // All support over: a red mark at the Stichtag.
            h += "<rect x=\"" + fmt(left - 1) + "\" y=\"" + fmt(cy - 7) +
                 "\" width=\"6\" height=\"14\" fill=\"#b71c1c\"/>\n";
            label(left + 10, tr(lang, "beendet seit ", "ended on ") + esc(end->iso()), false,
                  "#b71c1c");
            h += "</g>\n";
            continue;
        }
        if (d_eol && *d_eol > 0) bar(0, *d_eol, "#1f3a5f");
        if (d_ext && *d_ext > std::max(0LL, d_eol.value_or(0)))
            bar(std::max(0LL, d_eol.value_or(0)), *d_ext, "#f9a825");
        double x_end = x_of(d_end);
        if (d_end <= static_cast<long long>(total)) {
            h += "<polygon points=\"" + fmt(x_end) + "," + fmt(cy - 7) + " " + fmt(x_end + 5) +
                 "," + fmt(cy) + " " + fmt(x_end) + "," + fmt(cy + 7) + " " + fmt(x_end - 5) + "," +
                 fmt(cy) + "\" fill=\"#b71c1c\" stroke=\"#1a1a1a\" stroke-width=\"0.5\"/>\n";
            bool room = x_end + 80 < width - right;
            label(room ? x_end + 8 : x_end - 8, esc(end->iso()), !room, "#1a1a1a");
        } else {
            label(width - right - 4, "→ " + esc(end->iso()), true, "#ffffff");
        }
        h += "</g>\n";
    }
    // Legend.
    double ly = grid_bottom + 18;
    auto legend = [&](double x, const char* fill, const char* text) {
        h += "<rect x=\"" + fmt(x) + "\" y=\"" + fmt(ly - 9) +
             "\" width=\"12\" height=\"10\" "
             "fill=\"" +
             fill + "\" stroke=\"#1a1a1a\" stroke-width=\"0.5\"/>\n";
        h += "<text x=\"" + fmt(x + 16) + "\" y=\"" + fmt(ly) +
             "\" font-size=\"11\" fill=\"#1a1a1a\">" + text + "</text>\n";
    };
    legend(left, "#1f3a5f", tr(lang, "reguläre Unterstützung", "regular support"));
    legend(left + 160, "#f9a825", tr(lang, "erweiterte Unterstützung", "extended support"));
    legend(left + 330, "#b71c1c", tr(lang, "Ende / beendet", "end / ended"));
    h += "</svg>\n</figure>\n";
    return h;
}

// The roadmap of one municipality: timeline chart and table of every OS and software release
// with its end of support (part of the maintenance section).
std::string write_roadmap(const ScanResult& scan, const MunicipalityResult& mun, Lang lang) {
    Date start = scan_date(scan).value_or(today_utc());
    std::string h = "<section class=\"roadmap\" aria-labelledby=\"roadmap\">\n<h3 id=\"roadmap\">";
    h += tr(lang, "Ablöse-Roadmap: wann Systeme und Software aus der Unterstützung fallen",
            "Replacement roadmap: when systems and software leave support");
    h += "</h3>\n<p>";
    h += tr(lang,
            "Alle Betriebssysteme und erkannte Software (z. B. Webserver, PHP, Datenbanken) mit "
            "dem Ende der Herstellerunterstützung laut End-of-Life-Daten, das früheste Ende "
            "zuerst. Pakete einer noch unterstützten Linux-Distribution werden von der "
            "Distribution weiter gepflegt; das zeigt die erweiterte Unterstützung.",
            "Every operating system and detected software (e.g. web servers, PHP, databases) "
            "with the end of vendor support according to the end-of-life data, earliest end "
            "first. Packages of a still supported Linux distribution keep being maintained by the "
            "distribution; this is shown as extended support.");
    h += "</p>\n";
    auto rows = roadmap_rows(mun);
    if (rows.empty()) {
        h += std::string("<p>") +
             tr(lang,
                "Für kein System und keine Software liegen Daten zum Ende der Unterstützung vor.",
                "No end-of-support data is available for any system or software.") +
             "</p>\n</section>\n";
        return h;
    }
    h += roadmap_chart(rows, start, lang);
    h += "<table class=\"roadmap\">\n<thead><tr>";
    for (const char* col :
         {tr(lang, "System", "System"), tr(lang, "Produkt und Version", "Product and release"),
          tr(lang, "Unterstützung", "Support"),
          tr(lang, "Ende der regulären Unterstützung", "End of regular support"),
          tr(lang, "Erweiterte Unterstützung bis", "Extended support until"),
          tr(lang, "Verbleibend", "Remaining")})
        h += std::string("<th scope=\"col\">") + col + "</th>";
    h += "</tr></thead>\n<tbody>\n";
    auto date_cell = [](const std::string& d) { return d.empty() ? std::string("–") : esc(d); };
    for (const RoadmapEntry* r : rows) {
        std::string remaining = "–";
        if (auto end = roadmap_end(*r)) {
            long long d = days_between(start, *end);
            remaining = d < 0 ? tr(lang, "beendet seit ", "ended ") + num(static_cast<int>(-d)) +
                                    tr(lang, " Tagen", " days ago")
                              : num(static_cast<int>(d)) + tr(lang, " Tage", " days");
        } else if (r->phase != "ended") {
            remaining = tr(lang, "kein Ende angekündigt", "no end announced");
        }
        h += "<tr class=\"phase-" + roadmap_phase_class(r->phase) + "\"><th scope=\"row\">" +
             esc(roadmap_asset(*r)) + "</th><td>" + esc(roadmap_release(*r)) + "</td><td>" +
             phase_text(r->phase, lang) + "</td><td>" + date_cell(r->eol_date) + "</td><td>" +
             date_cell(r->extended_until) + "</td><td>" + remaining + "</td></tr>\n";
    }
    h += "</tbody>\n</table>\n</section>\n";
    return h;
}

std::string write_maintenance(const ScanResult& scan, const MunicipalityResult& mun, Lang lang) {
    std::vector<MaintenanceRow> rows = maintenance_rows(scan, mun);
    std::string h = "<section aria-labelledby=\"maintenance\">\n<h2 id=\"maintenance\">";
    h += tr(lang, "Systeme, die aus der Wartung fallen", "Systems leaving maintenance");
    h += "</h2>\n<p>";
    h += tr(lang,
            "Systeme, für die der Hersteller keine oder bald keine Sicherheitsupdates mehr "
            "liefert: Unterstützung beendet, nur noch erweitert, oder Ende innerhalb von 12 "
            "Monaten nach dem Stichtag",
            "Systems for which the vendor delivers no or soon no security updates: support "
            "ended, extended only, or ending within 12 months of the as-of date");
    if (!scan.as_of.empty()) h += " " + esc(scan.as_of);
    h += ".</p>\n";
    if (rows.empty()) {
        h += std::string("<p>") +
             tr(lang, "Kein System fällt in den nächsten 12 Monaten aus der Wartung.",
                "No system leaves maintenance within the next 12 months.") +
             "</p>\n" + write_roadmap(scan, mun, lang) + "</section>\n";
        return h;
    }
    h += "<table>\n<thead><tr>";
    for (const char* col :
         {tr(lang, "System", "System"), tr(lang, "Betriebssystem", "Operating system"),
          tr(lang, "Unterstützung", "Support"),
          tr(lang, "Ende der regulären Unterstützung", "End of regular support"),
          tr(lang, "Erweiterte Unterstützung bis", "Extended support until"),
          tr(lang, "Was zu tun ist", "What to do")})
        h += std::string("<th scope=\"col\">") + col + "</th>";
    h += "</tr></thead>\n<tbody>\n";
    auto date_cell = [](const std::string& d) { return d.empty() ? std::string("–") : esc(d); };
    for (const MaintenanceRow& row : rows) {
        const AssetResult* a = row.asset;
        const SupportInfo& s = a->support;
        h += "<tr class=\"phase-" +
             std::string(support_phase_label(s.phase, Lang::En) ? s.phase : "unknown") +
             "\"><th scope=\"row\">" + esc(asset_name(*a)) + "</th><td>" +
             (s.os_name.empty() ? std::string("–") : esc(s.os_name)) + "</td><td>" +
             phase_text(s.phase, lang) + "</td><td>" + date_cell(s.eol_date) + "</td><td>" +
             date_cell(s.extended_until) + "</td><td>" + maintenance_advice(row, lang) +
             "</td></tr>\n";
    }
    h += "</tbody>\n</table>\n" + write_roadmap(scan, mun, lang) + "</section>\n";
    return h;
}

// ---- accepted risks --------------------------------------------------------------------------

std::string write_waiver_warnings(const ScanResult& scan, Lang lang, const char* level) {
    if (scan.waiver_warnings.empty()) return "";
    std::string h = std::string("<") + level + " id=\"waiver-warnings\">" +
                    tr(lang, "Hinweise zu akzeptierten Risiken", "Warnings about accepted risks") +
                    "</" + level + ">\n<p>";
    h += tr(lang,
            "Abgelaufene Ausnahmen gelten nicht mehr (die Anforderung zählt wieder als nicht "
            "erfüllt); Ausnahmen ohne passendes Ergebnis sollten geprüft und entfernt werden.",
            "Expired waivers no longer apply (the requirement counts as failed again); waivers "
            "without a matching result should be reviewed and removed.");
    h += "</p>\n<ul class=\"warnings\">\n";
    for (const auto& w : scan.waiver_warnings) h += "<li>" + esc(w) + "</li>\n";
    h += "</ul>\n";
    return h;
}

std::string write_waivers(const ScanResult& scan, const MunicipalityResult& mun, Lang lang) {
    std::optional<Date> as_of = scan_date(scan);
    std::string h = "<section aria-labelledby=\"waivers\">\n<h2 id=\"waivers\">";
    h += tr(lang, "Akzeptierte Risiken", "Accepted risks");
    h += "</h2>\n<p>";
    h += tr(lang,
            "Ein akzeptiertes Risiko ist eine nicht erfüllte Anforderung, die bewusst und "
            "befristet hingenommen wurde. Es senkt den Wert nicht, wird hier aber offen "
            "ausgewiesen.",
            "An accepted risk is a failed requirement that was knowingly accepted for a limited "
            "time. It does not lower the score but is listed here openly.");
    h += "</p>\n";
    std::string rows;
    for (std::size_t a = 0; a < mun.assets.size(); ++a)
        for (std::size_t r = 0; r < mun.assets[a].results.size(); ++r) {
            const RuleResult& res = mun.assets[a].results[r];
            if (res.state != ResultState::Waived) continue;
            const Rule* rule = scan.rule(res.rule_id);
            WaiverRef w = res.waiver.value_or(WaiverRef{});
            auto cell = [](const std::string& s) {
                return "<td>" + (s.empty() ? std::string("–") : esc(s)) + "</td>";
            };
            rows += "<tr><th scope=\"row\"><a href=\"#" + result_anchor(a, r) + "\"><code>" +
                    esc(res.rule_id) + "</code></a>";
            if (rule) rows += "<br>" + esc(rule->title.get(lang));
            rows += "</th>" + cell(asset_name(mun.assets[a])) + cell(w.justification) +
                    cell(w.approver) + cell(w.decided_on) + "<td>" +
                    (w.expires.empty() ? std::string("–") : esc(w.expires));
            if (auto days = days_until(as_of, w.expires)) {
                if (*days < 0)
                    rows += std::string(" <strong>") + tr(lang, "(abgelaufen)", "(expired)") +
                            "</strong>";
                else if (*days <= 90)
                    rows += std::string(" <strong>") +
                            tr(lang, "(läuft bald ab)", "(expires soon)") + "</strong>";
            }
            rows += "</td>" + cell(w.ticket) + "</tr>\n";
        }
    if (rows.empty()) {
        h += std::string("<p>") +
             tr(lang, "Es wurden keine Risiken akzeptiert.", "No risks were accepted.") + "</p>\n";
    } else {
        h += "<table>\n<thead><tr>";
        for (const char* col :
             {tr(lang, "Anforderung", "Requirement"), tr(lang, "System", "System"),
              tr(lang, "Begründung", "Justification"), tr(lang, "Entschieden von", "Approved by"),
              tr(lang, "Entschieden am", "Decided on"), tr(lang, "Gültig bis", "Expires"),
              tr(lang, "Vorgang", "Ticket")})
            h += std::string("<th scope=\"col\">") + col + "</th>";
        h += "</tr></thead>\n<tbody>\n" + rows + "</tbody>\n</table>\n";
    }
    h += write_waiver_warnings(scan, lang, "h3");
    h += "</section>\n";
    return h;
}

// Table header cells for the state counts used by the module and overview tables.
// (Module tallies never hold "not applicable" results, so that column is left out.)
std::string count_headers(Lang lang) {
    std::string h;
    for (ResultState s :
         {ResultState::Pass, ResultState::Fail, ResultState::NoEvidence, ResultState::Error})
        h += "<th scope=\"col\" class=\"n\">" + esc(state_label(s, lang)) + "</th>";
    return h;
}

std::string count_cells(const Tally& t) {
    std::string h;
    for (int n : {t.pass, t.fail, t.no_evidence, t.error})
        h += "<td class=\"n\">" + num(n) + "</td>";
    return h;
}

std::string write_modules(const MunicipalityResult& mun, Lang lang) {
    std::string h = "<section aria-labelledby=\"modules\">\n<h2 id=\"modules\">";
    h += tr(lang, "Ergebnisse je Baustein", "Results per module (Baustein)");
    h += "</h2>\n";
    if (mun.modules.empty()) {
        h += std::string("<p>") + tr(lang, "Keine Ergebnisse.", "No results.") + "</p>\n";
        return h + "</section>\n";
    }
    h += "<table>\n<thead><tr><th scope=\"col\">";
    h += tr(lang, "Baustein", "Module");
    h += "</th><th scope=\"col\" class=\"n\">";
    h += tr(lang, "Wert", "Score");
    h += "</th><th scope=\"col\">";
    h += tr(lang, "Ampel", "Traffic light");
    h += "</th>" + count_headers(lang) + "</tr></thead>\n<tbody>\n";
    for (const auto& m : mun.modules) {
        std::string name = m.module.empty() ? tr(lang, "(ohne Baustein)", "(no module)") : m.module;
        h += "<tr><th scope=\"row\">" + esc(name) + "</th><td class=\"n\">" +
             percent(m.score.value) + "</td><td>" + ampel_badge(m.score.ampel, lang) + "</td>" +
             count_cells(m.score.tally) + "</tr>\n";
    }
    h += "</tbody>\n</table>\n</section>\n";
    return h;
}

// "fact = value — source:line „excerpt“"
std::string write_evidence(const std::vector<Evidence>& evidence, Lang lang) {
    if (evidence.empty()) return "";
    const char* open = tr(lang, "„", "“");
    const char* close = tr(lang, "“", "”");
    std::string h = "<ul class=\"evidence\">";
    for (const auto& e : evidence) {
        h += "<li><code>" + esc(e.fact) + "</code> = <code>" + esc(e.value) + "</code>";
        const Provenance& p = e.provenance;
        if (!p.source.empty() || p.line > 0) {
            h += " — " + esc(p.source);
            if (p.line > 0) h += ":" + num(p.line);
        }
        if (!p.excerpt.empty()) h += std::string(" ") + open + esc(p.excerpt) + close;
        h += "</li>";
    }
    h += "</ul>";
    return h;
}

std::string write_issues(const AssetResult& asset, Lang lang) {
    if (asset.issues.empty()) return "";
    std::string h = "<h4>";
    h += tr(lang, "Probleme beim Einlesen", "Collection problems");
    h += "</h4>\n<table>\n<thead><tr><th scope=\"col\">";
    h += tr(lang, "Quelle", "Source");
    h += "</th><th scope=\"col\" class=\"n\">";
    h += tr(lang, "Zeile", "Line");
    h += "</th><th scope=\"col\">";
    h += tr(lang, "Art", "Kind");
    h += "</th><th scope=\"col\">";
    h += tr(lang, "Meldung", "Message");
    h += "</th></tr></thead>\n<tbody>\n";
    for (const auto& i : asset.issues) {
        h += "<tr><td><code>" + esc(i.source) + "</code>";
        if (!i.collector.empty()) h += " <span class=\"muted\">(" + esc(i.collector) + ")</span>";
        h += "</td><td class=\"n\">" + (i.line > 0 ? num(i.line) : std::string("–")) + "</td><td>";
        h += i.fatal ? tr(lang, "Quelle nicht ausgewertet", "source not used")
                     : tr(lang, "Warnung", "warning");
        h += "</td><td>" + esc(i.message) + "</td></tr>\n";
    }
    h += "</tbody>\n</table>\n";
    return h;
}

// Results are listed failures first, then the ones needing attention, then the rest.
int state_rank(ResultState s) {
    switch (s) {
        case ResultState::Fail:
            return 0;
        case ResultState::Error:
            return 1;
        case ResultState::NoEvidence:
            return 2;
        case ResultState::Waived:
            return 3;
        case ResultState::Pass:
            return 4;
        case ResultState::NotApplicable:
            return 5;
    }
    return 6;
}

std::string write_result_row(const ScanResult& scan, const RuleResult& r, const std::string& anchor,
                             Lang lang) {
    const Rule* rule = scan.rule(r.rule_id);
    std::string h =
        "<tr id=\"" + anchor + "\"><th scope=\"row\"><code>" + esc(r.rule_id) + "</code>";
    if (rule && !rule->references.empty()) {
        std::string refs;
        for (const auto& ref : rule->references) refs += (refs.empty() ? "" : ", ") + esc(ref.id);
        h += "<br><span class=\"muted\">" + refs + "</span>";
    }
    h += "</th><td>" + (rule ? esc(rule->title.get(lang)) : std::string("–")) + "</td>";
    h += "<td>" + (rule ? esc(level_label(rule->level, lang)) : std::string("–")) + "</td>";
    h += "<td>" + (rule ? esc(severity_label(rule->severity, lang)) : std::string("–")) + "</td>";
    if (r.state == ResultState::Waived && r.waiver && !r.waiver->expires.empty())
        h += std::string("<td><span class=\"state state-waived\">") +
             esc(state_label(r.state, lang)) + tr(lang, " bis ", " until ") +
             esc(r.waiver->expires) + "</span></td>";
    else if (rule && rule->advisory)
        h += "<td>" + state_badge(r.state, lang) + "<br><span class=\"muted\">" +
             esc(advisory_label(lang)) + "</span></td>";
    else
        h += "<td>" + state_badge(r.state, lang) + "</td>";
    h += "<td>" + esc(r.message);
    if (r.state == ResultState::Waived && r.waiver) {
        const WaiverRef& w = *r.waiver;
        h += std::string("<br><span class=\"muted\">") +
             tr(lang, "Begründung: ", "Justification: ") +
             (w.justification.empty() ? std::string("–") : esc(w.justification));
        if (!w.approver.empty())
            h += tr(lang, " – entschieden von ", " – approved by ") + esc(w.approver);
        if (!w.decided_on.empty()) h += tr(lang, " am ", " on ") + esc(w.decided_on);
        h += "</span>";
    }
    h += "</td>";
    h += "<td>" + write_evidence(r.evidence, lang) + "</td></tr>\n";
    if (r.state == ResultState::Fail && rule && !rule->remediation.get(lang).empty())
        h += std::string("<tr class=\"remediation\"><td colspan=\"7\"><strong>") +
             tr(lang, "Maßnahme: ", "Remediation: ") + "</strong>" +
             esc(rule->remediation.get(lang)) + "</td></tr>\n";
    return h;
}

std::string write_results_table(const ScanResult& scan, const AssetResult& asset,
                                std::size_t asset_index, Lang lang) {
    if (asset.results.empty())
        return std::string("<p>") +
               tr(lang, "Für dieses Asset liegen keine Ergebnisse vor.",
                  "There are no results for this asset.") +
               "</p>\n";
    std::vector<std::size_t> order(asset.results.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
        return state_rank(asset.results[x].state) < state_rank(asset.results[y].state);
    });
    std::string h = "<table>\n<thead><tr>";
    for (const char* col :
         {tr(lang, "Regel", "Rule"), tr(lang, "Titel", "Title"), tr(lang, "Stufe", "Level"),
          tr(lang, "Schwere", "Severity"), tr(lang, "Ergebnis", "Result"),
          tr(lang, "Befund", "Finding"), tr(lang, "Nachweis", "Evidence")})
        h += std::string("<th scope=\"col\">") + col + "</th>";
    h += "</tr></thead>\n<tbody>\n";
    std::string not_applicable;  // listed once below the table instead of one row each
    for (std::size_t i : order) {
        const RuleResult& r = asset.results[i];
        if (r.state == ResultState::NotApplicable) {
            not_applicable +=
                (not_applicable.empty() ? "" : ", ") + ("<code>" + esc(r.rule_id) + "</code>");
            continue;
        }
        h += write_result_row(scan, r, result_anchor(asset_index, i), lang);
    }
    h += "</tbody>\n</table>\n";
    if (!not_applicable.empty())
        h += std::string("<p class=\"muted\">") +
             tr(lang, "Für dieses System nicht anwendbar (entbehrlich): ",
                "Not applicable to this system: ") +
             not_applicable + "</p>\n";
    return h;
}

std::string write_asset(const ScanResult& scan, const AssetResult& asset, std::size_t index,
                        Lang lang) {
    std::string anchor = "asset-" + std::to_string(index + 1);
    std::string h = "<section class=\"asset\" aria-labelledby=\"" + anchor + "\">\n<h3 id=\"" +
                    anchor + "\">" + esc(asset.name.empty() ? asset.id : asset.name) + "</h3>\n";
    h += "<dl class=\"meta\">\n";
    auto row = [&](const char* label, const std::string& value_html) {
        h += std::string("<dt>") + label + "</dt><dd>" + value_html + "</dd>\n";
    };
    row(tr(lang, "Kennung", "Id"), "<code>" + esc(asset.id) + "</code>");
    row(tr(lang, "Art", "Kind"), esc(asset.kind));
    if (!asset.support.os_name.empty() || !asset.support.phase.empty()) {
        std::string os = asset.support.os_name.empty() ? "–" : esc(asset.support.os_name);
        if (!asset.support.phase.empty()) os += " · " + phase_text(asset.support.phase, lang);
        if (!asset.support.eol_date.empty())
            os += tr(lang, " (Ende der regulären Unterstützung: ", " (end of regular support: ") +
                  esc(asset.support.eol_date) + ")";
        row(tr(lang, "Betriebssystem", "Operating system"), os);
    }
    row(tr(lang, "Wert", "Score"),
        percent(asset.score.value) + " " + ampel_badge(asset.score.ampel, lang) + " · " +
            tr(lang, "Abdeckung ", "coverage ") + percent(asset.score.coverage));
    std::string sources;
    for (const auto& s : asset.sources)
        sources += (sources.empty() ? "" : "<br>") + ("<code>" + esc(s) + "</code>");
    row(tr(lang, "Quellen", "Sources"), sources.empty() ? "–" : sources);
    row(tr(lang, "Gelesene Fakten", "Facts read"), std::to_string(asset.fact_count));
    h += "</dl>\n";
    h += write_issues(asset, lang);
    h += std::string("<h4>") + tr(lang, "Prüfergebnisse", "Results") + "</h4>\n";
    h += write_results_table(scan, asset, index, lang);
    h += "</section>\n";
    return h;
}

// The "Datenstand" block: each feed with its data date, age at the Stichtag, coverage and
// warnings (datenstand_rows, shared with the PDF, Markdown and JSON reports).
std::string write_datenstand(const ScanResult& scan, Lang lang) {
    std::string h =
        "<section class=\"datenstand\" aria-labelledby=\"datenstand\">\n"
        "<h2 id=\"datenstand\">";
    h += datenstand_heading(lang);
    h += "</h2>\n<p>" + esc(datenstand_intro(scan, lang)) + "</p>\n";
    std::vector<DatenstandRow> rows = datenstand_rows(scan, lang);
    if (rows.empty())
        return h +
               tr(lang, "<p>Keine Datenquellen verzeichnet.</p>\n",
                  "<p>No data sources recorded.</p>\n") +
               "</section>\n";
    h += "<table>\n<thead><tr>";
    for (const char* col :
         {tr(lang, "Datenquelle", "Data source"), tr(lang, "Datenstand", "Data as of"),
          tr(lang, "Alter am Stichtag", "Age at reference date"), tr(lang, "Abdeckung", "Coverage"),
          tr(lang, "Umfang", "Contents"), tr(lang, "Hinweise", "Warnings")})
        h += std::string("<th scope=\"col\">") + col + "</th>";
    h += "</tr></thead>\n<tbody>\n";
    for (const DatenstandRow& r : rows) {
        const FeedInfo& f = *r.feed;
        std::string basis = f.data_date_basis.empty()
                                ? std::string()
                                : "<br><small>" + esc(f.data_date_basis) + "</small>";
        std::string warn;
        for (const auto& w : r.warnings) warn += (warn.empty() ? "" : "<br>") + esc(w);
        h += std::string("<tr") + (r.warnings.empty() ? "" : " class=\"feed-warning\"") +
             "><th scope=\"row\">" + esc(r.title) + "</th><td>" + esc(r.data_date) + basis +
             "</td><td>" +
             (r.age_days ? std::to_string(*r.age_days) + tr(lang, " Tage", " days")
                         : std::string("–")) +
             "</td><td>" + esc(r.coverage) + "</td><td>" +
             (f.coverage_note.empty() ? esc(f.version.empty() ? "–" : f.version)
                                      : esc(f.coverage_note)) +
             "</td><td>" + (warn.empty() ? std::string("–") : warn) + "</td></tr>\n";
    }
    h += "</tbody>\n</table>\n</section>\n";
    return h;
}

std::string write_method(const ScanResult& scan, Lang lang) {
    std::string h = "<section class=\"method\" aria-labelledby=\"method\">\n<h2 id=\"method\">";
    h += tr(lang, "Bewertungsmethode", "Scoring method");
    h += "</h2>\n<p>";
    if (scan.score_model == "weighted") {
        h += tr(lang,
                "Gewichtetes Modell: Wert = 100 · Σ Gewicht(erfüllt) / Σ Gewicht(erfüllt + nicht "
                "erfüllt).",
                "Weighted model: score = 100 · Σ weight(pass) / Σ weight(pass + fail).");
    } else if (scan.score_model == "flat-unweighted") {
        h += tr(lang,
                "Ungewichtetes Modell: Wert = 100 · Anzahl erfüllt / Anzahl (erfüllt + nicht "
                "erfüllt).",
                "Unweighted model: score = 100 · #pass / #(pass + fail).");
    } else {
        h += tr(lang, "Bewertungsmodell: ", "Scoring model: ") +
             esc(scan.score_model.empty() ? "–" : scan.score_model);
    }
    h += "</p>\n<p>";
    h += tr(lang,
            "„kein Nachweis“ und „Fehler“ erhöhen den Wert nie, senken aber die Abdeckung "
            "(Abdeckung = (erfüllt + nicht erfüllt) / (erfüllt + nicht erfüllt + kein Nachweis "
            "+ Fehler)). „entbehrlich“ und „Risiko akzeptiert“ zählen weder beim Wert noch bei "
            "der Abdeckung.",
            "“no evidence” and “error” never raise the score but lower the coverage "
            "(coverage = (pass + fail) / (pass + fail + no evidence + error)). “not applicable” "
            "and “waived” count neither for the score nor for the coverage.");
    h += "</p>\n<p>";
    h += tr(lang,
            "Akzeptierte Risiken sind befristete, begründete Ausnahmen für nicht erfüllte "
            "Anforderungen. Damit sichtbar bleibt, wie viel sie ausmachen, steht neben dem Wert "
            "der Wert ohne akzeptierte Risiken: derselbe Wert, wenn diese Anforderungen als "
            "„nicht erfüllt“ zählten. Abgelaufene Ausnahmen gelten nicht mehr.",
            "Accepted risks (waivers) are justified exceptions with an expiry date for failed "
            "requirements. To show how much they matter, the score without accepted risks is "
            "given next to the score: the same score if those requirements counted as failed. "
            "Expired waivers no longer apply.");
    h += "</p>\n";
    for (const auto& para : level_model_paragraphs(scan, lang)) h += "<p>" + esc(para) + "</p>\n";
    h += "<p>";
    h += tr(lang,
            "Ohne ein einziges Ergebnis „erfüllt“ oder „nicht erfüllt“ gibt es keinen Wert (–) "
            "und keine Bewertung.",
            "Without any pass or fail result there is no score (–) and no rating.");
    h += "</p>\n</section>\n";
    return h;
}

std::string municipality_page(const ScanResult& scan, const MunicipalityResult& mun, Lang lang) {
    std::string title = tr(lang, "IT-Grundschutz-Bericht: ", "IT-Grundschutz report: ") +
                        esc(mun.name.empty() ? mun.id : mun.name);
    std::string h = page_begin(title, lang);
    h += write_header(scan, mun, lang);
    h += write_summary(scan, mun, lang);
    h += write_bausteine(mun.coverage, lang);
    h += write_modules(mun, lang);
    h += write_maintenance(scan, mun, lang);
    h += write_waivers(scan, mun, lang);
    h += "<section aria-labelledby=\"assets\">\n<h2 id=\"assets\">";
    h += tr(lang, "Ergebnisse je Asset", "Results per asset");
    h += "</h2>\n";
    if (mun.assets.empty())
        h += std::string("<p>") + tr(lang, "Keine Assets.", "No assets.") + "</p>\n";
    for (std::size_t i = 0; i < mun.assets.size(); ++i)
        h += write_asset(scan, mun.assets[i], i, lang);
    h += "</section>\n";
    h += write_datenstand(scan, lang);
    h += write_method(scan, lang);
    h += page_end(scan, lang);
    return h;
}

// ---- index page ------------------------------------------------------------------------------

// The score of the previous scan of a municipality, if any.
std::optional<double> previous_score(const MunicipalityResult& m) {
    if (m.changes.has_previous) return m.changes.previous_score;
    if (!m.trend.empty()) return m.trend.back().score;
    return std::nullopt;
}

// "↑ +8" with a text alternative; compares the scores as shown (rounded down).
std::string trend_arrow(const MunicipalityResult& m, Lang lang) {
    std::optional<double> prev = previous_score(m);
    if (!prev || !m.score.value) {
        bool first = !m.changes.has_previous && m.trend.empty();
        return std::string("<span class=\"muted\">") +
               (first ? tr(lang, "erste Prüfung", "first scan")
                      : tr(lang, "kein Vergleich", "no comparison")) +
               "</span>";
    }
    int d = shown(*m.score.value) - shown(*prev);
    const char* arrow = d > 0 ? "↑" : d < 0 ? "↓" : "→";
    const char* word = d > 0   ? tr(lang, "gestiegen", "up")
                       : d < 0 ? tr(lang, "gesunken", "down")
                               : tr(lang, "unverändert", "unchanged");
    std::string h = std::string("<span class=\"trendarrow\"><span aria-hidden=\"true\">") + arrow +
                    "</span> <span class=\"sr-only\">" + word + "</span>";
    if (d != 0) h += (d > 0 ? "+" : "−") + num(d > 0 ? d : -d);
    h += "</span> <span class=\"muted\">(" + std::string(tr(lang, "vorher ", "before ")) +
         percent(prev) + ")</span>";
    return h;
}

std::string overview_row(const std::string& name_html, const std::string& ags, const Score& s,
                         const std::string& trend_html, Lang lang) {
    std::string h = "<th scope=\"row\">" + name_html + "</th><td>" + esc(ags) + "</td>";
    h += "<td class=\"n\">" + percent(s.value) + "</td><td>" + ampel_badge(s.ampel, lang) + "</td>";
    h += "<td>" + trend_html + "</td>";
    for (Severity sev : {Severity::Critical, Severity::High, Severity::Medium, Severity::Low})
        h += "<td class=\"n\">" + num(severity_count(s.tally, sev)) + "</td>";
    h += "<td class=\"n\">" + percent(s.coverage) + "</td>";
    h += "<td class=\"n\">" + num(s.tally.no_evidence) + "</td><td class=\"n\">" +
         num(s.tally.error) + "</td>";
    return h;
}

std::string write_overview(const ScanResult& scan, const std::vector<std::string>& stems,
                           Lang lang) {
    std::string h = "<section aria-labelledby=\"overview\">\n<h2 id=\"overview\">";
    h += tr(lang, "Kommunen", "Municipalities");
    h += "</h2>\n";
    if (scan.municipalities.empty()) {
        h += std::string("<p>") +
             tr(lang, "Keine Kommunen im Scan.", "No municipalities scanned.") +
             "</p>\n</section>\n";
        return h;
    }
    std::map<Ampel, int> lights;
    int waived = 0;
    for (const auto& m : scan.municipalities) {
        ++lights[m.score.ampel];
        waived += m.score.tally.waived;
    }
    h += "<p class=\"lead\">" + count_phrase(static_cast<int>(scan.municipalities.size()),
                                             "Kommune im Verbund: ", "Kommunen im Verbund: ",
                                             "municipality: ", "municipalities: ", lang);
    std::string parts;
    for (Ampel a : {Ampel::Green, Ampel::Yellow, Ampel::Red, Ampel::None})
        if (lights[a] > 0)
            parts += (parts.empty() ? "" : ", ") + num(lights[a]) + " " + esc(ampel_label(a, lang));
    h += parts + ". " + tr(lang, "Gesamtwert: ", "Overall score: ") + percent(scan.score.value) +
         " " + ampel_badge(scan.score.ampel, lang);
    if (waived > 0 && scan.score.value_without_waivers)
        h += std::string(" (") +
             tr(lang, "ohne akzeptierte Risiken: ", "without accepted risks: ") +
             percent(scan.score.value_without_waivers) + ")";
    h += ".</p>\n<p>" + esc(ampel_explanation(scan, scan.score, scan.coverage, lang)) + "</p>\n";
    h += write_levels(scan.score, scan.coverage, lang);
    h += "<p>";
    h += tr(lang,
            "Die Entwicklung vergleicht mit der vorigen Prüfung derselben Kommune (↑ besser, ↓ "
            "schlechter, → unverändert). Der Name führt zum Bericht der Kommune.",
            "The trend compares with the previous scan of the same municipality (↑ better, ↓ "
            "worse, → unchanged). The name links to the municipality's report.");
    h += "</p>\n";
    // Two header rows: the four severity columns are grouped under "fails by severity".
    auto col = [](const std::string& label, const char* attrs) {
        return std::string("<th scope=\"col\" rowspan=\"2\"") + attrs + ">" + label + "</th>";
    };
    h += "<table>\n<thead><tr>";
    h += col(tr(lang, "Kommune", "Municipality"), "");
    h += col("AGS", "");
    h += col(tr(lang, "Wert", "Score"), " class=\"n\"");
    h += col(tr(lang, "Ampel", "Traffic light"), "");
    h += col(tr(lang, "Entwicklung", "Trend"), "");
    h += std::string("<th scope=\"colgroup\" colspan=\"4\">") +
         tr(lang, "Nicht erfüllt nach Schwere", "Fails by severity") + "</th>";
    h += col(tr(lang, "Abdeckung", "Coverage"), " class=\"n\"");
    h += col(esc(state_label(ResultState::NoEvidence, lang)), " class=\"n\"");
    h += col(esc(state_label(ResultState::Error, lang)), " class=\"n\"");
    h += "</tr>\n<tr>";
    for (Severity sev : {Severity::Critical, Severity::High, Severity::Medium, Severity::Low})
        h += "<th scope=\"col\" class=\"n\">" + esc(severity_label(sev, lang)) + "</th>";
    h += "</tr></thead>\n<tbody>\n";
    for (std::size_t i = 0; i < scan.municipalities.size(); ++i) {
        const auto& m = scan.municipalities[i];
        std::string link = "<a href=\"" + esc(stems[i]) + ".html\">" +
                           esc(m.name.empty() ? m.id : m.name) + "</a>";
        h += "<tr>" + overview_row(link, m.ags, m.score, trend_arrow(m, lang), lang) + "</tr>\n";
    }
    h += "</tbody>\n<tfoot><tr>";
    h += overview_row(tr(lang, "Gesamt", "Total"), "", scan.score, "", lang);
    h += "</tr></tfoot>\n</table>\n</section>\n";
    return h;
}

std::string write_warnings(const ScanResult& scan, Lang lang) {
    if (scan.warnings.empty()) return "";
    std::string h = "<section aria-labelledby=\"warnings\">\n<h2 id=\"warnings\">";
    h += tr(lang, "Hinweise zum Scan", "Scan warnings");
    h += "</h2>\n<ul>\n";
    for (const auto& w : scan.warnings) h += "<li>" + esc(w) + "</li>\n";
    h += "</ul>\n</section>\n";
    return h;
}

std::string index_page(const ScanResult& scan, const std::vector<std::string>& stems, Lang lang) {
    std::string org = esc(scan.org_name.empty() ? scan.org_id : scan.org_name);
    std::string title = tr(lang, "IT-Grundschutz-Übersicht", "IT-Grundschutz overview");
    if (!org.empty()) title += ": " + org;
    std::string h = page_begin(title, lang);
    h += "<header>\n<h1>" + title + "</h1>\n<dl class=\"meta\">\n" + scan_meta_rows(scan, lang);
    h += "</dl>\n</header>\n";
    h += partial_banner(scan, lang);
    h += write_overview(scan, stems, lang);
    h += write_warnings(scan, lang);
    if (!scan.waiver_warnings.empty()) {
        h += "<section aria-labelledby=\"waiver-warnings\">\n";
        h += write_waiver_warnings(scan, lang, "h2");
        h += "</section>\n";
    }
    h += write_datenstand(scan, lang);
    h += write_method(scan, lang);
    h += page_end(scan, lang);
    return h;
}

Expected<std::vector<std::filesystem::path>> write_html(const ScanResult& scan,
                                                        const ReportOptions& options) {
    std::filesystem::path dir = options.out_dir / "html";
    std::vector<std::string> stems = municipality_file_stems(scan, "index");
    std::vector<std::filesystem::path> written;
    auto put = [&](const std::filesystem::path& path, const std::string& content) -> Status {
        Status st = write_file_atomic(path, content);
        if (st) written.push_back(path);
        return st;
    };
    for (std::size_t i = 0; i < scan.municipalities.size(); ++i) {
        Status st = put(dir / (stems[i] + ".html"),
                        municipality_page(scan, scan.municipalities[i], options.lang));
        if (!st) return st.error();
    }
    // The index last: it only links to pages that exist.
    Status st = put(dir / "index.html", index_page(scan, stems, options.lang));
    if (!st) return st.error();
    return written;
}

}  // namespace

const ReportWriter& html_report_writer() {
    static const ReportWriter writer{"html", "Self-contained HTML report per municipality",
                                     &write_html};
    return writer;
}

}  // namespace grundscan
