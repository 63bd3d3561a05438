#include "reports/report_content.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "reports/writer.hpp"

namespace grundscan {

std::vector<FixGroup> fix_groups(const ScanResult& scan, const MunicipalityResult& mun) {
    std::vector<FixGroup> groups;
    std::map<std::string, std::size_t> by_rule;
    for (std::size_t a = 0; a < mun.assets.size(); ++a)
        for (std::size_t r = 0; r < mun.assets[a].results.size(); ++r) {
            const RuleResult& res = mun.assets[a].results[r];
            if (res.state != ResultState::Fail) continue;
            auto [it, added] = by_rule.try_emplace(res.rule_id, groups.size());
            if (added) groups.push_back({res.rule_id, scan.rule(res.rule_id), {}});
            groups[it->second].where.emplace_back(a, r);
        }
    std::stable_sort(groups.begin(), groups.end(), [](const FixGroup& x, const FixGroup& y) {
        if (x.advisory() != y.advisory()) return y.advisory();
        if (x.severity() != y.severity()) return x.severity() > y.severity();
        if (x.weight() != y.weight()) return x.weight() > y.weight();
        return x.where.size() > y.where.size();
    });
    return groups;
}

std::vector<const RoadmapEntry*> roadmap_rows(const MunicipalityResult& mun) {
    std::vector<const RoadmapEntry*> rows;
    for (const auto& r : mun.roadmap) rows.push_back(&r);
    std::stable_sort(rows.begin(), rows.end(), [](const RoadmapEntry* x, const RoadmapEntry* y) {
        if (x->eol_date.empty() != y->eol_date.empty()) return y->eol_date.empty();
        return x->eol_date < y->eol_date;
    });
    return rows;
}

std::optional<Date> roadmap_end(const RoadmapEntry& r) {
    auto eol = parse_iso_date(r.eol_date);
    auto ext = parse_iso_date(r.extended_until);
    if (ext && (!eol || *ext > *eol)) return ext;
    return eol;
}

std::string roadmap_release(const RoadmapEntry& r) {
    return product_label(r.product) + (r.cycle.empty() ? "" : " " + r.cycle);
}

std::vector<MaintenanceRow> maintenance_rows(const ScanResult& scan,
                                             const MunicipalityResult& mun) {
    // The Stichtag; a result without one falls back to its start date, then to today.
    Date as_of =
        parse_iso_date(scan.as_of).value_or(parse_iso_date(scan.started_at).value_or(today_utc()));
    std::vector<MaintenanceRow> rows;
    for (const auto& a : mun.assets) {
        const SupportInfo& s = a.support;
        std::optional<long long> eol, ext;
        if (auto d = parse_iso_date(s.eol_date)) eol = days_between(as_of, *d);
        if (auto d = parse_iso_date(s.extended_until)) ext = days_between(as_of, *d);
        MaintenanceRow row{&a, MaintenanceState::EndsSoon, eol};
        if (s.phase == "ended" || (eol && *eol < 0 && (!ext || *ext < 0))) {
            row.state = MaintenanceState::Ended;
            row.days = ext ? ext : eol;
        } else if (s.phase == "extended" || (eol && *eol < 0)) {
            row.state = MaintenanceState::ExtendedOnly;
            row.days = ext;
        } else if (!eol || *eol > 365) {
            continue;
        }
        rows.push_back(row);
    }
    std::stable_sort(rows.begin(), rows.end(),
                     [](const MaintenanceRow& x, const MaintenanceRow& y) {
                         if (x.state != y.state) return x.state < y.state;
                         if (x.days.has_value() != y.days.has_value()) return x.days.has_value();
                         return x.days && *x.days < *y.days;
                     });
    return rows;
}

namespace {

std::string n_of(int n) {
    return std::to_string(n);
}

// "1 Anforderung" / "3 Anforderungen"
std::string count_text(int n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

std::string ampel_rule_text(const ScanResult& scan, Lang lang) {
    auto tr = [lang](const char* de, const char* en) { return lang == Lang::De ? de : en; };
    std::string t =
        tr("Ampel nach den Stufen des IT-Grundschutzes: Rot, wenn eine kritische Prüfung oder "
           "eine Basis-Anforderung nicht erfüllt ist. Gelb, wenn alle geprüften "
           "Basis-Anforderungen erfüllt sind, aber eine Standard-Anforderung nicht erfüllt ist "
           "oder für eine Basis- oder Standard-Anforderung der Nachweis fehlt. Grün, wenn jede "
           "automatisch geprüfte Basis- und Standard-Anforderung erfüllt ist – über nicht "
           "automatisch prüfbare Anforderungen sagt Grün nichts. Grau („keine Bewertung“), wenn "
           "nichts entschieden werden konnte oder weniger als ",
           "Traffic light by IT-Grundschutz level: red when a critical check or a Basis "
           "requirement fails. Yellow when every checked Basis requirement is met but a Standard "
           "requirement fails or a Basis or Standard requirement lacks evidence. Green when every "
           "automatically checked Basis and Standard requirement is met – green says nothing "
           "about requirements that cannot be checked automatically. Grey (“not rated”) when "
           "nothing could be decided or fewer than ");
    t += format_number(scan.min_coverage, lang);
    t += tr(" % der Prüfungen mit Nachweisen entschieden wurden (Mindestabdeckung).",
            " % of the checks were decided with evidence (minimum coverage).");
    return t;
}

std::vector<std::string> level_model_paragraphs(const ScanResult& scan, Lang lang) {
    auto tr = [lang](const char* de, const char* en) {
        return std::string(lang == Lang::De ? de : en);
    };
    std::vector<std::string> p;
    p.push_back(
        tr("Jede Regel prüft einen Teil einer oder mehrerer Anforderungen des "
           "IT-Grundschutz-Kompendiums (Edition 2023). Ein Ergebnis zählt für jede Anforderung, "
           "die seine Regel nennt (nur für die Systemarten, für die der Verweis gilt). Eine "
           "Anforderung wird einmal gezählt, gleich wie viele Regeln und Systeme sie prüfen: "
           "nicht erfüllt, wenn ein Ergebnis nicht erfüllt ist; sonst ohne Nachweis, wenn einem "
           "Ergebnis der Nachweis fehlt oder es fehlerhaft ist; sonst „Risiko akzeptiert“, wenn "
           "ein Mangel als Risiko akzeptiert wurde; sonst erfüllt.",
           "Each rule checks part of one or more requirements of the IT-Grundschutz Kompendium "
           "(Edition 2023). A result counts for every requirement its rule cites (only for the "
           "asset kinds the reference applies to). A requirement is counted once, however many "
           "rules and systems test it: failed if one result failed; else without evidence if a "
           "result lacks evidence or errored; else waived if a failure was accepted as a risk; "
           "else met."));
    p.push_back(ampel_rule_text(scan, lang));
    p.push_back(
        tr("Abdeckung: Für jede Systemart sind die passenden Bausteine modelliert (dazu die "
           "Bausteine der Organisation, z. B. ORP.4 und OPS.1.1.3). Gezählt werden deren Basis- "
           "und Standard-Anforderungen; viele davon sind organisatorisch und lassen sich nicht "
           "automatisch prüfen. Die Ampel gilt nur für den automatisch geprüften Teil.",
           "Coverage: for each asset kind the matching Bausteine are modelled (plus the "
           "organisation's Bausteine, e.g. ORP.4 and OPS.1.1.3). Their Basis and Standard "
           "requirements are counted; many are organisational and cannot be checked "
           "automatically. The traffic light only covers the automatically checked part."));
    p.push_back(
        tr("Regeln, die keine BSI-Anforderung verlangt, erscheinen als „Hinweis (nicht "
           "bewertet)“: Sie werden gezeigt, zählen aber weder für die Ampel noch für den "
           "Erfüllungsgrad. Akzeptierte Risiken (Ausnahmen mit Begründung und Freigabe) machen "
           "eine Anforderung nicht rot, werden aber eigens ausgewiesen.",
           "Rules no BSI requirement demands appear as “advice (not scored)”: they are shown "
           "but count neither for the traffic light nor for the degree of fulfilment. Accepted "
           "risks (waivers with justification and approval) do not turn a requirement red, but "
           "are listed separately."));
    std::string pct =
        tr("Der Prozentwert (Erfüllungsgrad) ist der Anteil der entschiedenen Prüfungen, die "
           "erfüllt sind",
           "The percentage (degree of fulfilment) is the share of decided checks that pass");
    pct += scan.score_model == "flat-unweighted"
               ? tr(" (jede Prüfung zählt gleich)", " (every check counts the same)")
               : tr(" (gewichtet nach Bedeutung)", " (weighted by importance)");
    pct += tr(". Er dient nur dem Vergleich über die Zeit und bestimmt die Ampel nicht.",
              ". It is meant for trends only and does not decide the traffic light.");
    p.push_back(pct);
    return p;
}

std::string level_summary(Level level, const LevelTally& t, Lang lang) {
    bool de = lang == Lang::De;
    std::string s = std::string(level_label(level, lang)) + ": " + n_of(t.met) +
                    (de ? " von " : " of ") + n_of(t.requirements) +
                    (de ? " erfüllt (" : " met (") + n_of(t.failed) +
                    (de ? " nicht erfüllt, " : " failed, ") + n_of(t.no_evidence) +
                    (de ? " ohne Nachweis" : " without evidence");
    if (t.waived > 0) s += ", " + n_of(t.waived) + (de ? " Risiko akzeptiert" : " accepted risk");
    return s + ")";
}

std::string coverage_sentence(const BsiCoverage& c, Lang lang) {
    if (c.modelled == 0) return "";
    bool de = lang == Lang::De;
    std::string s = n_of(c.checked) + (de ? " von " : " of ") + n_of(c.modelled) +
                    (de ? " Anforderungen der modellierten Bausteine automatisch geprüft; "
                        : " requirements of the modelled Bausteine were checked automatically; ") +
                    n_of(c.not_checkable()) +
                    (de ? " sind organisatorisch oder anders nicht automatisch prüfbar."
                        : " are organisational or otherwise not automatically checkable.");
    if (int open = c.checkable - c.checked; open > 0)
        s += " " + n_of(open) +
             (de ? (open == 1 ? " wäre automatisch prüfbar, es fehlt aber der Nachweis."
                              : " wären automatisch prüfbar, es fehlen aber Nachweise.")
                 : (open == 1 ? " could be checked automatically but lacks evidence."
                              : " could be checked automatically but lack evidence."));
    s += de ? " Basis-Anforderungen: " : " Basis requirements: ";
    s += n_of(c.basis_checked) + (de ? " von " : " of ") + n_of(c.basis_modelled) +
         (de ? " geprüft." : " checked.");
    return s;
}

std::string ampel_explanation(const ScanResult& scan, const Score& s, const BsiCoverage& c,
                              Lang lang) {
    bool de = lang == Lang::De;
    auto crit = s.tally.fails_by_severity.find(Severity::Critical);
    int critical = crit == s.tally.fails_by_severity.end() ? 0 : crit->second;
    switch (s.ampel) {
        case Ampel::Green: {
            std::string t = de ? "Grün: Alle automatisch geprüften Basis- und "
                                 "Standard-Anforderungen sind erfüllt."
                               : "Green: every automatically checked Basis and Standard "
                                 "requirement is met.";
            if (c.modelled > 0)
                t += (de ? " Das sind " : " That is ") + n_of(c.checked) + (de ? " von " : " of ") +
                     n_of(c.modelled) +
                     (de ? " Anforderungen der modellierten Bausteine; über die übrigen sagt "
                           "diese Ampel nichts."
                         : " requirements of the modelled Bausteine; this light says nothing "
                           "about the others.");
            else
                t += de ? " Über nicht automatisch geprüfte Anforderungen sagt diese Ampel nichts."
                        : " This light says nothing about requirements not checked "
                          "automatically.";
            return t;
        }
        case Ampel::Yellow: {
            std::string t = de ? "Gelb: Keine Basis-Anforderung ist nicht erfüllt, aber "
                               : "Yellow: no Basis requirement fails, but ";
            std::vector<std::string> parts;
            if (s.standard.failed > 0)
                parts.push_back(de ? count_text(s.standard.failed, "Standard-Anforderung ist",
                                                "Standard-Anforderungen sind") +
                                         " nicht erfüllt"
                                   : count_text(s.standard.failed, "Standard requirement fails",
                                                "Standard requirements fail"));
            int missing = s.basis.no_evidence + s.standard.no_evidence;
            if (missing > 0)
                parts.push_back(de ? "für " +
                                         count_text(missing, "Basis- oder Standard-Anforderung",
                                                    "Basis- oder Standard-Anforderungen") +
                                         " fehlt der Nachweis"
                                   : count_text(missing, "Basis or Standard requirement lacks",
                                                "Basis or Standard requirements lack") +
                                         " evidence");
            for (std::size_t i = 0; i < parts.size(); ++i)
                t += (i ? (de ? " und " : " and ") : "") + parts[i];
            if (parts.empty()) t += de ? "nicht alles ist belegt" : "not everything is proven";
            return t + (de ? ". Diese Lücken sollten geplant geschlossen werden."
                           : ". These gaps should be closed in a planned way.");
        }
        case Ampel::Red: {
            std::string t = de ? "Rot: " : "Red: ";
            if (s.basis.failed > 0)
                t += de ? count_text(s.basis.failed, "Basis-Anforderung ist",
                                     "Basis-Anforderungen sind") +
                              " nicht erfüllt. Basis-Anforderungen sind das Mindestmaß des "
                              "IT-Grundschutzes und sollten vorrangig umgesetzt werden."
                        : count_text(s.basis.failed, "Basis requirement fails",
                                     "Basis requirements fail") +
                              ". Basis requirements are the minimum of IT-Grundschutz and "
                              "should be implemented first.";
            if (critical > 0)
                t += std::string(s.basis.failed > 0 ? " " : "") +
                     (de ? "Mindestens eine kritische Prüfung ist nicht erfüllt – das muss "
                           "umgehend behoben werden."
                         : "At least one critical check fails – this must be fixed "
                           "immediately.");
            return t;
        }
        case Ampel::None:
            break;
    }
    if (s.coverage && *s.coverage < scan.min_coverage) {
        std::string t = de ? "Keine Bewertung: Nur " : "Not rated: only ";
        t += format_percent(s.coverage);
        t += de ? " der Prüfungen konnten mit Nachweisen entschieden werden (Mindestabdeckung "
                : " of the checks could be decided with evidence (minimum coverage ";
        t += format_number(scan.min_coverage, lang);
        t += de ? " %). Mit so wenigen Nachweisen gibt die Ampel keine Aussage – weder Grün noch "
                  "Rot. Zuerst die fehlenden Exporte beschaffen."
                : " %). With so little evidence the light makes no statement – neither green nor "
                  "red. First obtain the missing exports.";
        if (s.tally.fail > 0)
            t +=
                de ? " Die gefundenen Mängel gelten trotzdem." : " The failures found still stand.";
        return t;
    }
    return de ? "Keine Bewertung: Es konnte noch keine Anforderung bewertet werden, weil die "
                "nötigen Nachweise fehlen."
              : "Not rated: no requirement could be rated yet because the necessary evidence is "
                "missing.";
}

std::string baustein_status(const BausteinCoverage& b, Lang lang) {
    bool de = lang == Lang::De;
    if (b.checkable == 0) return de ? "nicht automatisch prüfbar" : "not automatically checkable";
    return n_of(b.checked) + (de ? " von " : " of ") + n_of(b.modelled) +
           (de ? " automatisch geprüft" : " checked automatically");
}

const char* advisory_label(Lang lang) {
    return lang == Lang::De ? "Hinweis (nicht bewertet)" : "advice (not scored)";
}

std::string advisory_count(int n, Lang lang) {
    if (lang == Lang::De)
        return n_of(n) + (n == 1 ? " Hinweis (nicht bewertet)" : " Hinweise (nicht bewertet)");
    return n_of(n) +
           (n == 1 ? " advisory finding (not scored)" : " advisory findings (not scored)");
}

bool is_advisory(const ScanResult& scan, const std::string& rule_id) {
    const Rule* r = scan.rule(rule_id);
    return r && r->advisory;
}

namespace {

std::string lower_ascii(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

}  // namespace

std::vector<std::string> municipality_file_stems(const ScanResult& scan,
                                                 std::string_view reserved) {
    std::vector<std::string> stems;
    std::set<std::string> used;
    for (const auto& m : scan.municipalities) {
        std::string base;
        for (char c : m.id) {
            bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == '-';
            base.push_back(ok ? c : '_');
        }
        if (base.empty() || base.front() == '.' || lower_ascii(base) == reserved)
            base.insert(base.begin(), '_');
        std::string stem = base;
        for (int n = 2; used.count(lower_ascii(stem)); ++n) stem = base + "-" + std::to_string(n);
        used.insert(lower_ascii(stem));
        stems.push_back(stem);
    }
    return stems;
}

namespace {

const char* tr(Lang lang, const char* de, const char* en) {
    return lang == Lang::De ? de : en;
}

std::string feed_title(const std::string& name) {
    if (name == "cisa-kev") return "CISA KEV";
    if (name == "debian-security-tracker") return "Debian Security Tracker";
    if (name == "endoflife") return "endoflife.date";
    if (name == "windows-builds") return "Windows-Builds (MSRC)";
    return name;
}

int feeds_max_age(const ScanResult& scan) {
    for (const auto& f : scan.feeds)
        if (f.max_age_days > 0) return f.max_age_days;
    return 0;
}

}  // namespace

std::vector<DatenstandRow> datenstand_rows(const ScanResult& scan, Lang lang) {
    std::vector<DatenstandRow> rows;
    auto as_of = parse_iso_date(scan.as_of);
    for (const auto& f : scan.feeds) {
        DatenstandRow r;
        r.feed = &f;
        r.title = feed_title(f.name);
        auto d = parse_iso_date(f.data_date);
        r.data_date = d ? d->iso() : "–";
        if (d && as_of) r.age_days = std::max(0LL, days_between(*d, *as_of));
        if (f.coverage == "complete") {
            r.coverage = tr(lang, "vollständig", "complete");
        } else if (f.coverage == "excerpt") {
            r.coverage = tr(lang, "Auszug", "excerpt");
            if (!f.complete_for.empty()) {
                r.coverage += tr(lang, " (vollständig für ", " (complete for ");
                for (std::size_t i = 0; i < f.complete_for.size(); ++i)
                    r.coverage += (i ? ", " : "") + f.complete_for[i];
                r.coverage += ")";
            }
        } else {
            r.coverage = f.version.empty() ? "–" : tr(lang, "unbekannt", "unknown");
        }
        if (f.version.empty() && !d) {
            r.warnings.push_back(tr(lang, "fehlt: keine Daten im Feed-Verzeichnis",
                                    "missing: no data in the feed directory"));
        } else {
            if (!d)
                r.warnings.push_back(tr(lang, "Datenstand unbekannt: Alter nicht beurteilbar",
                                        "data date unknown: its age cannot be judged"));
            else if (f.max_age_days > 0 && r.age_days && *r.age_days > f.max_age_days)
                r.warnings.push_back(
                    std::string(tr(lang, "veraltet: älter als ", "stale: older than ")) +
                    std::to_string(f.max_age_days) +
                    tr(lang, " Tage am Stichtag", " days at the reference date"));
            if (f.coverage == "excerpt")
                r.warnings.push_back(
                    tr(lang,
                       "Auszug: Regeln, die diese Daten brauchen, ergeben „kein Nachweis“, wo sie "
                       "nicht vollständig sind",
                       "excerpt: rules that need this data report “no evidence” where it is "
                       "incomplete"));
            else if (f.coverage.empty())
                r.warnings.push_back(tr(lang, "Abdeckung unbekannt", "coverage unknown"));
        }
        if (!f.last_error.empty())
            r.warnings.push_back(std::string(tr(lang, "letzte Aktualisierung fehlgeschlagen: ",
                                                "last update failed: ")) +
                                 f.last_error);
        rows.push_back(std::move(r));
    }
    return rows;
}

const char* datenstand_heading(Lang lang) {
    return tr(lang, "Datenstand der Referenzdaten", "Data currency of the reference data");
}

std::string datenstand_intro(const ScanResult& scan, Lang lang) {
    std::string s = tr(lang,
                       "Schwachstellen-, Support- und Update-Bewertungen beruhen auf diesen "
                       "Datenquellen. Das Alter zählt vom Datum der Daten selbst (nicht vom "
                       "Dateidatum) bis zum Stichtag ",
                       "Vulnerability, support and update verdicts rest on these data sources. "
                       "The age counts from the date of the data itself (not the file date) to "
                       "the reference date ");
    s += scan.as_of.empty() ? "–" : scan.as_of;
    if (int max = feeds_max_age(scan); max > 0)
        s += std::string(tr(lang, "; Grenze ", "; limit ")) + std::to_string(max) +
             tr(lang, " Tage.", " days.");
    else
        s += ".";
    s += tr(lang,
            " Schwachstellenregeln gelten nur mit vollständigen, aktuellen Daten als "
            "erfüllt; sonst „kein Nachweis“.",
            " Vulnerability rules only pass on complete, current data; otherwise "
            "“no evidence”.");
    return s;
}

}  // namespace grundscan
