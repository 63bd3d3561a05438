// HTML report: html/index.html (organisation overview) and html/<municipality-id>.html per
// municipality. Every page is one self-contained file: inline CSS, no JavaScript, no external
// resources, a Content-Security-Policy that forbids loading anything, and a print stylesheet.
// Everything that comes from outside (inventory, exports, rule packs) goes through
// html_escape(); anchors are derived from positions, file names from sanitised ids.
#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "reports/writer.hpp"
#include "scanner/core/atomic_file.hpp"

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

// A threshold such as 85 or 87.5 ("87,5" in German).
std::string num(double d, Lang lang) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", d);
    std::string out = buf;
    if (lang == Lang::De) std::replace(out.begin(), out.end(), '.', ',');
    return out;
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

// A municipality id as file name: [A-Za-z0-9._-] only, never hidden, never "index".
std::string safe_file_stem(const std::string& id) {
    std::string out;
    for (char c : id) {
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-';
        out.push_back(ok ? c : '_');
    }
    if (out.empty() || out.front() == '.') out.insert(out.begin(), '_');
    if (out == "index") out = "_index";
    return out;
}

// File stems for all municipalities, made unique (case-insensitively, for Windows shares).
std::vector<std::string> municipality_stems(const ScanResult& scan) {
    std::vector<std::string> stems;
    std::set<std::string> used;
    auto lower = [](std::string s) {
        for (char& c : s)
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        return s;
    };
    for (const auto& m : scan.municipalities) {
        std::string base = safe_file_stem(m.id), stem = base;
        for (int n = 2; used.count(lower(stem)); ++n) stem = base + "-" + std::to_string(n);
        used.insert(lower(stem));
        stems.push_back(stem);
    }
    return stems;
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
  .badge, .banner, tr.remediation td { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
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

// ---- municipality page -----------------------------------------------------------------------

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

std::string write_summary(const MunicipalityResult& mun, Lang lang) {
    const Score& s = mun.score;
    const Tally& t = s.tally;
    std::string h = "<section class=\"summary\" aria-labelledby=\"summary\">\n<h2 id=\"summary\">";
    h += tr(lang, "Zusammenfassung", "Summary");
    h += "</h2>\n<p><span class=\"score\">" + percent(s.value) + "</span> " +
         ampel_badge(s.ampel, lang) + "</p>\n<dl class=\"meta\">\n";
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

struct FixItem {
    const RuleResult* result;
    const Rule* rule;
    const AssetResult* asset;
    std::size_t asset_index;
    std::size_t result_index;
};

std::string result_anchor(std::size_t asset_index, std::size_t result_index) {
    return "r-" + std::to_string(asset_index + 1) + "-" + std::to_string(result_index + 1);
}

std::string write_fix_first(const ScanResult& scan, const MunicipalityResult& mun, Lang lang) {
    std::vector<FixItem> items;
    for (std::size_t a = 0; a < mun.assets.size(); ++a)
        for (std::size_t r = 0; r < mun.assets[a].results.size(); ++r) {
            const RuleResult& res = mun.assets[a].results[r];
            if (res.state == ResultState::Fail)
                items.push_back({&res, scan.rule(res.rule_id), &mun.assets[a], a, r});
        }
    auto severity = [](const FixItem& i) { return i.rule ? i.rule->severity : Severity::Medium; };
    auto weight = [](const FixItem& i) { return i.rule ? i.rule->weight : 1.0; };
    std::stable_sort(items.begin(), items.end(), [&](const FixItem& x, const FixItem& y) {
        if (severity(x) != severity(y)) return severity(x) > severity(y);
        return weight(x) > weight(y);
    });
    if (items.size() > 5) items.resize(5);

    std::string h = "<section aria-labelledby=\"fixfirst\">\n<h2 id=\"fixfirst\">";
    h += tr(lang, "Was zuerst zu tun ist", "Fix first");
    h += "</h2>\n";
    if (mun.score.coverage && *mun.score.coverage < scan.min_coverage) {
        h += std::string("<p class=\"banner\">") +
             tr(lang, "Zu wenige Nachweise: nur ", "Too little evidence: only ") +
             percent(mun.score.coverage) +
             tr(lang,
                " der Prüfungen konnten entschieden werden. Zuerst die fehlenden oder fehlerhaften "
                "Exporte "
                "beschaffen (siehe „kein Nachweis“ und „Fehler“ je System); bis dahin steht die "
                "Ampel auf Rot.",
                " of the checks could be decided. First obtain the missing or broken exports (see "
                "“no "
                "evidence” and “error” per system); until then the light stays red.") +
             "</p>\n";
    }
    if (items.empty()) {
        h += std::string("<p>") +
             tr(lang, "Keine nicht erfüllten Anforderungen.", "No failed requirements.") +
             "</p>\n</section>\n";
        return h;
    }
    h += "<ol class=\"fixfirst\">\n";
    for (const auto& i : items) {
        std::string title = i.rule ? i.rule->title.get(lang) : i.result->rule_id;
        h += "<li>" + std::string(tr(lang, "Nicht erfüllt: ", "Not met: ")) + "<a href=\"#" +
             result_anchor(i.asset_index, i.result_index) + "\"><strong>" + esc(title) +
             "</strong></a> <span class=\"muted\">(<code>" + esc(i.result->rule_id) + "</code>, " +
             esc(severity_label(severity(i), lang)) + ")</span><br>\n";
        h += tr(lang, "System: ", "System: ") +
             esc(i.asset->name.empty() ? i.asset->id : i.asset->name);
        h += "<br>\n" + std::string(tr(lang, "Befund: ", "Finding: ")) + esc(i.result->message);
        if (i.rule && !i.rule->rationale.get(lang).empty())
            h += "<br>\n<span class=\"muted\">" + esc(first_line(i.rule->rationale.get(lang))) +
                 "</span>";
        h += "</li>\n";
    }
    h += "</ol>\n</section>\n";
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
        for (const auto& ref : rule->references) refs += (refs.empty() ? "" : ", ") + esc(ref);
        h += "<br><span class=\"muted\">" + refs + "</span>";
    }
    h += "</th><td>" + (rule ? esc(rule->title.get(lang)) : std::string("–")) + "</td>";
    h += "<td>" + (rule ? esc(level_label(rule->level, lang)) : std::string("–")) + "</td>";
    h += "<td>" + (rule ? esc(severity_label(rule->severity, lang)) : std::string("–")) + "</td>";
    h += "<td>" + state_badge(r.state, lang) + "</td>";
    h += "<td>" + esc(r.message) + "</td>";
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
    h += tr(lang, "Ampel: Grün ab ", "Traffic light: green from ");
    h += num(scan.green_threshold, lang);
    h += tr(lang, " %, Gelb ab ", " %, yellow from ");
    h += num(scan.yellow_threshold, lang);
    h += tr(lang,
            " %, darunter Rot. Eine nicht erfüllte kritische Anforderung führt immer zu Rot, "
            "ebenso eine Abdeckung unter ",
            " %, red below. A failed critical requirement always forces red, and so does coverage "
            "below ");
    h += num(scan.min_coverage, lang);
    h += tr(lang, " % (zu wenige Nachweise für eine Bewertung).",
            " % (too little evidence to rate).");
    h += "</p>\n<p>";
    h += tr(lang,
            "Ohne ein einziges Ergebnis „erfüllt“ oder „nicht erfüllt“ gibt es keinen Wert (–) "
            "und keine Ampel.",
            "Without any pass or fail result there is no score (–) and no traffic light.");
    h += "</p>\n</section>\n";
    return h;
}

std::string municipality_page(const ScanResult& scan, const MunicipalityResult& mun, Lang lang) {
    std::string title = tr(lang, "IT-Grundschutz-Bericht: ", "IT-Grundschutz report: ") +
                        esc(mun.name.empty() ? mun.id : mun.name);
    std::string h = page_begin(title, lang);
    h += write_header(scan, mun, lang);
    h += write_summary(mun, lang);
    h += write_fix_first(scan, mun, lang);
    h += write_modules(mun, lang);
    h += "<section aria-labelledby=\"assets\">\n<h2 id=\"assets\">";
    h += tr(lang, "Ergebnisse je Asset", "Results per asset");
    h += "</h2>\n";
    if (mun.assets.empty())
        h += std::string("<p>") + tr(lang, "Keine Assets.", "No assets.") + "</p>\n";
    for (std::size_t i = 0; i < mun.assets.size(); ++i)
        h += write_asset(scan, mun.assets[i], i, lang);
    h += "</section>\n";
    h += write_method(scan, lang);
    h += page_end(scan, lang);
    return h;
}

// ---- index page ------------------------------------------------------------------------------

std::string overview_row(const std::string& name_html, const std::string& ags, const Score& s,
                         Lang lang) {
    std::string h = "<th scope=\"row\">" + name_html + "</th><td>" + esc(ags) + "</td>";
    h += "<td class=\"n\">" + percent(s.value) + "</td><td>" + ampel_badge(s.ampel, lang) + "</td>";
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
    // Two header rows: the four severity columns are grouped under "fails by severity".
    auto col = [](const std::string& label, const char* attrs) {
        return std::string("<th scope=\"col\" rowspan=\"2\"") + attrs + ">" + label + "</th>";
    };
    h += "<table>\n<thead><tr>";
    h += col(tr(lang, "Kommune", "Municipality"), "");
    h += col("AGS", "");
    h += col(tr(lang, "Wert", "Score"), " class=\"n\"");
    h += col(tr(lang, "Ampel", "Traffic light"), "");
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
        h += "<tr>" + overview_row(link, m.ags, m.score, lang) + "</tr>\n";
    }
    h += "</tbody>\n<tfoot><tr>";
    h += overview_row(tr(lang, "Gesamt", "Total"), "", scan.score, lang);
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
    h += write_method(scan, lang);
    h += page_end(scan, lang);
    return h;
}

Expected<std::vector<std::filesystem::path>> write_html(const ScanResult& scan,
                                                        const ReportOptions& options) {
    std::filesystem::path dir = options.out_dir / "html";
    std::vector<std::string> stems = municipality_stems(scan);
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
