#include "reports/grundschutz_check.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "reports/writer.hpp"
#include "rules/bsi_catalog.hpp"

namespace grundscan {

const char* check_status_name(CheckStatus s) {
    switch (s) {
        case CheckStatus::Yes:
            return "ja";
        case CheckStatus::Partially:
            return "teilweise";
        case CheckStatus::No:
            return "nein";
        case CheckStatus::Dispensable:
            return "entbehrlich";
        case CheckStatus::NotChecked:
            return "nicht-geprueft";
    }
    return "?";
}

const char* check_status_label(CheckStatus s, Lang lang) {
    bool de = lang == Lang::De;
    switch (s) {
        case CheckStatus::Yes:
            return de ? "ja" : "yes";
        case CheckStatus::Partially:
            return de ? "teilweise" : "partially";
        case CheckStatus::No:
            return de ? "nein" : "no";
        case CheckStatus::Dispensable:
            return de ? "entbehrlich" : "dispensable";
        case CheckStatus::NotChecked:
            return de ? "nicht geprüft" : "not checked";
    }
    return "?";
}

const char* level_code(Level l) {
    switch (l) {
        case Level::Basis:
            return "B";
        case Level::Standard:
            return "S";
        case Level::Erhoeht:
            return "H";
    }
    return "?";
}

namespace {

// "ORP.4.A2" < "ORP.4.A13": digits compare as numbers.
bool natural_less(const std::string& a, const std::string& b) {
    std::size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        bool da = std::isdigit(static_cast<unsigned char>(a[i])) != 0;
        bool db = std::isdigit(static_cast<unsigned char>(b[j])) != 0;
        if (da && db) {
            std::size_t ei = i, ej = j;
            while (ei < a.size() && std::isdigit(static_cast<unsigned char>(a[ei]))) ++ei;
            while (ej < b.size() && std::isdigit(static_cast<unsigned char>(b[ej]))) ++ej;
            std::string na = a.substr(i, ei - i), nb = b.substr(j, ej - j);
            na.erase(0, std::min(na.find_first_not_of('0'), na.size()));
            nb.erase(0, std::min(nb.find_first_not_of('0'), nb.size()));
            if (na.size() != nb.size()) return na.size() < nb.size();
            if (na != nb) return na < nb;
            i = ei;
            j = ej;
        } else {
            if (a[i] != b[j]) return a[i] < b[j];
            ++i;
            ++j;
        }
    }
    return a.size() - i < b.size() - j;
}

// "ORP.4.A13" -> "ORP.4" (for requirements the catalogue does not know).
std::string baustein_of(const std::string& id) {
    auto pos = id.rfind(".A");
    return pos == std::string::npos ? id : id.substr(0, pos);
}

using Cited = std::map<std::string, std::vector<CheckEvidence>>;

// A rule written for other kinds of systems (its result here is "not applicable" by kind).
bool for_kind(const Rule& r, const std::string& kind) {
    return r.kinds.empty() || std::find(r.kinds.begin(), r.kinds.end(), kind) != r.kinds.end();
}

// Adds the non-advisory results of `a` to the requirements their rules cite for its kind.
// Results of rules for other kinds say nothing about the system and are left out.
void collect(const ScanResult& scan, const AssetResult& a, Cited& cited) {
    for (const auto& rr : a.results) {
        const Rule* rule = scan.rule(rr.rule_id);
        if (!rule || rule->advisory || !for_kind(*rule, a.kind)) continue;
        for (const auto& ref : rule->references) {
            if (!ref.applies_to(a.kind)) continue;
            auto& v = cited[ref.id];
            if (!v.empty() && v.back().result == &rr) continue;  // cited twice by one rule
            v.push_back(CheckEvidence{&a, &rr, rule});
        }
    }
}

// Some evaluated, non-advisory rule cites `id` (for `kind`; any kind when null).
bool automated(const ScanResult& scan, const std::string& id, const std::string* kind) {
    for (const Rule* r : scan.rules) {
        if (!r || r->advisory) continue;
        if (kind && !for_kind(*r, *kind)) continue;
        for (const auto& ref : r->references)
            if (ref.id == id && (!kind || ref.applies_to(*kind))) return true;
    }
    return false;
}

CheckStatus status_of(const std::vector<CheckEvidence>& evidence) {
    int pass = 0, fail = 0, open = 0, na = 0;
    for (const auto& e : evidence) {
        switch (e.result->state) {
            case ResultState::Pass:
                ++pass;
                break;
            case ResultState::Fail:
            case ResultState::Waived:
                ++fail;
                break;
            case ResultState::NoEvidence:
            case ResultState::Error:
                ++open;
                break;
            case ResultState::NotApplicable:
                ++na;
                break;
        }
    }
    if (fail) return pass ? CheckStatus::Partially : CheckStatus::No;
    if (open) return CheckStatus::NotChecked;
    if (pass) return CheckStatus::Yes;
    if (na) return CheckStatus::Dispensable;
    return CheckStatus::NotChecked;
}

CheckRow make_row(const ScanResult& scan, const MunicipalityResult& m, const std::string& id,
                  std::vector<CheckEvidence> evidence) {
    CheckRow row;
    row.municipality_id = m.id;
    row.municipality = m.name.empty() ? m.id : m.name;
    row.ags = m.ags;
    row.requirement = id;
    row.baustein = baustein_of(id);
    const Requirement* req = scan.catalog ? scan.catalog->requirement(id) : nullptr;
    if (req) {
        row.baustein = req->baustein;
        row.title = req->title;
        row.level = req->level;
    } else if (!evidence.empty()) {
        row.level = evidence.front().rule->level;
    }
    row.status = status_of(evidence);
    row.evidence = std::move(evidence);
    row.date = scan.as_of;
    return row;
}

}  // namespace

std::vector<CheckRow> grundschutz_check_rows(const ScanResult& scan) {
    std::vector<CheckRow> rows;
    const BsiCatalog* catalog = scan.catalog.get();
    for (const auto& m : scan.municipalities) {
        // The Informationsverbund: organisation Bausteine, over all systems.
        if (catalog) {
            Cited all;
            for (const auto& a : m.assets) collect(scan, a, all);
            std::set<std::string> seen;
            for (const auto& b : catalog->organisation_bausteine())
                for (const Requirement* req : catalog->requirements_of(b)) {
                    if (!seen.insert(req->id).second) continue;
                    auto it = all.find(req->id);
                    CheckRow row =
                        make_row(scan, m, req->id,
                                 it == all.end() ? std::vector<CheckEvidence>{} : it->second);
                    row.organisation = true;
                    row.target_id = m.id;
                    row.target = row.municipality;
                    row.automated = automated(scan, req->id, nullptr);
                    rows.push_back(std::move(row));
                }
        }
        for (const auto& a : m.assets) {
            Cited cited;
            collect(scan, a, cited);
            std::vector<std::string> ids;
            std::set<std::string> seen;
            if (catalog)
                for (const auto& b : catalog->bausteine_for_kind(a.kind))
                    for (const Requirement* req : catalog->requirements_of(b))
                        if (seen.insert(req->id).second) ids.push_back(req->id);
            std::vector<std::string> extra;
            for (const auto& [id, ev] : cited)
                if (!seen.count(id)) extra.push_back(id);
            std::sort(extra.begin(), extra.end(), natural_less);
            ids.insert(ids.end(), extra.begin(), extra.end());
            for (const auto& id : ids) {
                auto it = cited.find(id);
                CheckRow row = make_row(
                    scan, m, id, it == cited.end() ? std::vector<CheckEvidence>{} : it->second);
                row.target_id = a.id;
                row.target = a.name.empty() ? a.id : a.name;
                row.target_kind = a.kind;
                row.automated = automated(scan, id, &a.kind);
                rows.push_back(std::move(row));
            }
        }
    }
    return rows;
}

std::vector<std::string> check_row_rules(const CheckRow& row) {
    std::vector<std::string> ids;
    for (const auto& e : row.evidence) ids.push_back(e.result->rule_id);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

namespace {

std::string where(const Evidence& e) {
    std::string w = e.provenance.source;
    if (!w.empty() && e.provenance.line > 0) w += ":" + std::to_string(e.provenance.line);
    if (w.empty() && !e.fact.empty()) w = e.fact + " = " + e.value;
    return w;
}

// At most this many evidence places per result, and characters per cell (a spreadsheet cell
// holds 32767).
constexpr std::size_t kMaxEvidence = 3;
constexpr std::size_t kMaxReason = 30000;

}  // namespace

std::string check_row_reason(const CheckRow& row, Lang lang, bool with_results) {
    bool de = lang == Lang::De;
    int pass = 0, fail = 0, open = 0;
    std::vector<std::string> na_messages, accepted;
    for (const auto& e : row.evidence) {
        const RuleResult& r = *e.result;
        if (r.state == ResultState::Pass) ++pass;
        if (r.state == ResultState::Fail || r.state == ResultState::Waived) ++fail;
        if (r.state == ResultState::NoEvidence || r.state == ResultState::Error) ++open;
        if (r.state == ResultState::NotApplicable)
            na_messages.push_back(r.message.empty() ? r.rule_id : r.message);
        if (r.state == ResultState::Waived) {
            std::string id = r.waiver ? r.waiver->id : std::string("?");
            std::string until = r.waiver ? r.waiver->expires : std::string();
            accepted.push_back((de ? "Risiko akzeptiert: " : "Risk accepted: ") + id +
                               (until.empty() ? "" : (de ? ", bis " : ", until ") + until));
        }
    }
    int decided = pass + fail;
    std::string out;
    auto add = [&out](const std::string& s) {
        if (!s.empty()) out += (out.empty() ? "" : "\n") + s;
    };
    switch (row.status) {
        case CheckStatus::Yes:
            add(de ? "alle " + std::to_string(pass) + " Prüfergebnisse erfüllt"
                   : "all " + std::to_string(pass) + " check results pass");
            break;
        case CheckStatus::Partially:
            add(de ? std::to_string(pass) + " von " + std::to_string(decided) +
                         " Prüfergebnissen erfüllt"
                   : std::to_string(pass) + " of " + std::to_string(decided) +
                         " check results pass");
            break;
        case CheckStatus::No:
            add(de ? std::to_string(fail) + " von " + std::to_string(decided) +
                         " Prüfergebnissen nicht erfüllt"
                   : std::to_string(fail) + " of " + std::to_string(decided) +
                         " check results fail");
            break;
        case CheckStatus::Dispensable: {
            std::string msgs;
            for (const auto& s : na_messages) msgs += (msgs.empty() ? "" : "; ") + s;
            add((de ? "nicht anwendbar: " : "not applicable: ") + msgs);
            break;
        }
        case CheckStatus::NotChecked:
            if (open)
                add(de ? "kein Nachweis oder Fehler bei " + std::to_string(open) +
                             " Prüfergebnis(sen)" +
                             (pass ? "; teilweise belegt (" + std::to_string(pass) + " erfüllt)"
                                   : "")
                       : "no evidence or an error in " + std::to_string(open) + " check result(s)" +
                             (pass ? "; partly evidenced (" + std::to_string(pass) + " pass)"
                                   : ""));
            else if (!row.automated)
                add(de ? "nicht automatisch prüfbar (organisatorisch), im Grundschutz-Check zu "
                         "erheben"
                       : "not automatically checkable (organisational), to be assessed in the "
                         "IT-Grundschutz-Check");
            else
                add(de ? "keine Prüfregel für dieses Zielobjekt ausgewertet, im "
                         "Grundschutz-Check zu erheben"
                       : "no check rule was evaluated for this target object, to be assessed in "
                         "the IT-Grundschutz-Check");
            break;
    }
    for (const auto& a : accepted) add(a);
    if (!with_results) return out;
    for (const auto& e : row.evidence) {
        const RuleResult& r = *e.result;
        std::string l = r.rule_id;
        if (row.organisation && e.asset)
            l += " (" + (e.asset->name.empty() ? e.asset->id : e.asset->name) + ")";
        l += std::string(": ") + state_label(r.state, lang);
        if (!r.message.empty()) l += ": " + r.message;
        std::string places;
        std::size_t n = 0;
        for (const auto& ev : r.evidence) {
            std::string w = where(ev);
            if (w.empty()) continue;
            if (n++ < kMaxEvidence) places += (places.empty() ? "" : ", ") + w;
        }
        if (n > kMaxEvidence)
            places += " (+" + std::to_string(n - kMaxEvidence) + (de ? " weitere)" : " more)");
        if (!places.empty()) l += (de ? "; Nachweis: " : "; evidence: ") + places;
        if (r.waiver)
            l += (de ? "; Ausnahme " : "; waiver ") + r.waiver->id +
                 (r.waiver->expires.empty() ? "" : (de ? " bis " : " until ") + r.waiver->expires);
        add(l);
        if (out.size() > kMaxReason) {
            out.resize(kMaxReason);
            // Do not cut a UTF-8 sequence.
            while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80)
                out.pop_back();
            if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) out.pop_back();
            out += " …";
            break;
        }
    }
    return out;
}

}  // namespace grundscan
