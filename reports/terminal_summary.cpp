#include "reports/terminal_summary.hpp"

#include <cmath>
#include <cstdio>
#include <string>

#include "reports/report_content.hpp"
#include "reports/writer.hpp"
#include "scanner/core/text.hpp"

namespace grundscan {

namespace {

// Display width of UTF-8 text (code points; good enough for Latin scripts and umlauts).
std::size_t width(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

std::string pad(std::string s, std::size_t w, bool right = false) {
    std::size_t n = width(s);
    if (n > w) {
        // cut on a code point boundary
        std::string out;
        std::size_t k = 0;
        for (std::size_t i = 0; i < s.size() && k < w - 1; ++i) {
            out.push_back(s[i]);
            if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
                std::size_t j = i + 1;
                while (j < s.size() && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80)
                    out.push_back(s[j++]);
                i = j - 1;
                ++k;
            }
        }
        return out + "…";
    }
    std::string fill(w - n, ' ');
    return right ? fill + s : s + fill;
}

constexpr std::size_t kWidth = 34 + 1 + 6 + 2 + 16 + 16 + 10 + 14 + 8;

std::string pct(const std::optional<double>& v) {
    return format_percent(v);
}

int fails(const Score& s, Severity sev) {
    auto it = s.tally.fails_by_severity.find(sev);
    return it == s.tally.fails_by_severity.end() ? 0 : it->second;
}

std::string colored_ampel(const Score& s, const SummaryOptions& o) {
    std::string label = ampel_label(s.ampel, o.lang);
    std::string cell = pad(label, 16);
    if (!o.color) return cell;
    const char* code = s.ampel == Ampel::Green    ? "\033[32m"
                       : s.ampel == Ampel::Yellow ? "\033[33m"
                       : s.ampel == Ampel::Red    ? "\033[31m"
                                                  : "\033[2m";
    return std::string(code) + cell + "\033[0m";
}

void row(std::ostream& out, const std::string& name, const Score& s, const SummaryOptions& o) {
    std::string sev = std::to_string(fails(s, Severity::Critical)) + "/" +
                      std::to_string(fails(s, Severity::High)) + "/" +
                      std::to_string(fails(s, Severity::Medium)) + "/" +
                      std::to_string(fails(s, Severity::Low));
    out << pad(text::sanitize_utf8(name), 34) << ' ' << pad(pct(s.value), 6, true) << "  "
        << colored_ampel(s, o) << pad(sev, 16) << pad(pct(s.coverage), 10, true)
        << pad(std::to_string(s.tally.no_evidence), 14, true)
        << pad(std::to_string(s.tally.error), 8, true) << '\n';
}

}  // namespace

void print_summary(std::ostream& out, const ScanResult& scan, const SummaryOptions& o) {
    bool de = o.lang == Lang::De;
    out << (de ? "grundscan – Ergebnis für " : "grundscan – results for ")
        << text::sanitize_utf8(scan.org_name) << (de ? " (Stichtag " : " (as of ") << scan.as_of
        << ")\n";
    if (!scan.complete)
        out << (de ? "ACHTUNG: Scan abgebrochen, Ergebnis unvollständig\n"
                   : "WARNING: scan interrupted, results are partial\n");
    out << '\n'
        << pad(de ? "Kommune" : "Municipality", 34) << ' ' << pad("Score", 6, true) << "  "
        << pad(de ? "Ampel" : "Traffic light", 16)
        << pad(de ? "Mängel k/h/m/n" : "Fails c/h/m/l", 16)
        << pad(de ? "Abdeckung" : "Coverage", 10, true)
        << pad(de ? "kein Nachweis" : "no evidence", 14, true)
        << pad(de ? "Fehler" : "errors", 8, true) << '\n';
    out << std::string(kWidth, '-') << '\n';
    for (const auto& m : scan.municipalities) row(out, m.name, m.score, o);
    out << std::string(kWidth, '-') << '\n';
    row(out, de ? "Gesamt (" + scan.org_name + ")" : "Total (" + scan.org_name + ")", scan.score,
        o);
    // Per municipality: requirements by BSI level and what was checked of the modelled
    // Bausteine (the light says nothing about the rest).
    out << '\n';
    auto levels = [&](const std::string& name, const Score& s, const BsiCoverage& c) {
        out << text::sanitize_utf8(name) << ": " << level_summary(Level::Basis, s.basis, o.lang)
            << " · " << level_summary(Level::Standard, s.standard, o.lang);
        if (s.advisory_findings > 0) out << " · " << advisory_count(s.advisory_findings, o.lang);
        out << '\n';
        if (std::string cov = coverage_sentence(c, o.lang); !cov.empty())
            out << "  " << cov << '\n';
    };
    for (const auto& m : scan.municipalities) levels(m.name, m.score, m.coverage);
    levels(de ? "Gesamt" : "Total", scan.score, scan.coverage);
    std::size_t unreadable = 0;
    for (const auto& m : scan.municipalities)
        for (const auto& a : m.assets)
            for (const auto& i : a.issues) unreadable += i.fatal ? 1 : 0;
    if (unreadable > 0) {
        out << '\n'
            << unreadable
            << (de ? " Exportdatei(en) konnten nicht ausgewertet werden – Details im Bericht "
                     "(Probleme beim Einlesen)."
                   : " export file(s) could not be used – see the report (problems reading "
                     "sources).")
            << '\n';
    }
    out << '\n'
        << (de ? "Bewertung: " : "Scoring: ")
        << (scan.score_model == "weighted" ? (de ? "gewichtet" : "weighted")
                                           : (de ? "ungewichtet" : "flat-unweighted"))
        << (de ? " (Mängel k/h/m/n = kritisch/hoch/mittel/niedrig; Score = Erfüllungsgrad, nur "
                 "für den Verlauf)\n"
               : " (fails c/h/m/l = critical/high/medium/low; score = degree of fulfilment, for "
                 "trends only)\n")
        << ampel_rule_text(scan, o.lang) << '\n';
}

}  // namespace grundscan
