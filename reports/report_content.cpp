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

std::string ampel_rule_text(const ScanResult& scan, Lang lang) {
    auto tr = [lang](const char* de, const char* en) { return lang == Lang::De ? de : en; };
    std::string t = tr("Ampel: Grün ab ", "Traffic light: green from ");
    t += format_number(scan.green_threshold, lang);
    t += tr(" %, Gelb ab ", " %, yellow from ");
    t += format_number(scan.yellow_threshold, lang);
    t +=
        tr(" %, darunter Rot. Eine nicht erfüllte kritische Anforderung führt immer zu Rot, "
           "ebenso eine Abdeckung unter ",
           " %, red below. A failed critical requirement always forces red, and so does "
           "coverage below ");
    t += format_number(scan.min_coverage, lang);
    t += tr(" % (zu wenige Nachweise für eine Bewertung).", " % (too little evidence to rate).");
    return t;
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
