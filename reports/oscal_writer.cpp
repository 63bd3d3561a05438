// oscal-assessment-results.json: the scan as an OSCAL 1.1.2 assessment-results document
// (NIST OSCAL Assessment Results model, JSON format), with Grundschutz++ control ids as targets.
//
// Layout: one result per scan. Every asset is an inventory item of the result; every evaluated
// rule result (not "not applicable") is an observation (method TEST) with its evidence
// ("source:line: excerpt"); findings are (a) one per Grundschutz++ control referenced by a
// decided result (state satisfied / not-satisfied, target "<control>_stm", the id of the
// control's statement part in the BSI catalogs), (b) one per failed rule x asset, and (c) the
// IT-Grundschutz-Check: one per (Zielobjekt, Edition 2023 requirement) with the BSI status in
// the prop gs-check-status (reports/grundschutz_check.hpp, docs/grundschutz-check.md). A rule
// without Grundschutz++ ids targets itself (objective-id = rule id) and names its Edition 2023
// requirements in props.
//
// Grundschutz++ ids are only unique within their catalog (KONF.14.1.2 of the Kernel is not
// KONF.14.1.2 of the Mindeststandard TLS): every reference to a control carries a prop
// "catalog" (class "grundschutz-plus-plus": kernel, methodik, mindeststandard-tls; class
// "it-grundschutz-2023" for Edition 2023 requirements) and a link to the catalog's back-matter
// resource; reviewed-controls has one control selection per catalog. UUIDs are name-based
// (version 5) from the scan's identity, so the same results.json always gives the same
// document.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "reports/grundschutz_check.hpp"
#include "reports/report_content.hpp"
#include "reports/writer.hpp"
#include "rules/bsi_catalog.hpp"
#include "scanner/core/atomic_file.hpp"
#include "scanner/core/text.hpp"

namespace grundscan {

// Declared in reports/writer.hpp once registered.
const ReportWriter& oscal_report_writer();
std::string results_to_oscal(const ScanResult& scan, Lang lang);
std::string oscal_uuid5(const std::string& name);

namespace {

using nlohmann::ordered_json;

constexpr const char* kOscalVersion = "1.1.2";
// The catalog name of IT-Grundschutz Kompendium Edition 2023 requirements (props "catalog").
const std::string kEdition2023 = "it-grundschutz-2023";
// Namespace of grundscan's own props (name, value); OSCAL's own names use no ns.
constexpr const char* kNs = "https://grundscan.invalid/ns/oscal";
// uuid5(NAMESPACE_URL, "https://grundscan.invalid/ns/oscal"): namespace of all generated UUIDs.
constexpr std::array<std::uint8_t, 16> kUuidNamespace = {
    0x3d, 0xe4, 0x93, 0xfe, 0xaf, 0xca, 0x55, 0x3a, 0xa3, 0xf9, 0xea, 0xfa, 0x2f, 0x2b, 0x21, 0xec};

// SHA-1 (FIPS 180-4), only for name-based UUIDs (RFC 4122 section 4.3), not for security.
std::array<std::uint8_t, 20> sha1(const std::string& data) {
    std::uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
    std::string msg = data;
    std::uint64_t bits = static_cast<std::uint64_t>(data.size()) * 8;
    msg.push_back(static_cast<char>(0x80));
    while (msg.size() % 64 != 56) msg.push_back('\0');
    for (int i = 7; i >= 0; --i) msg.push_back(static_cast<char>((bits >> (i * 8)) & 0xff));
    auto rol = [](std::uint32_t x, int n) { return (x << n) | (x >> (32 - n)); };
    for (std::size_t off = 0; off < msg.size(); off += 64) {
        std::uint32_t w[80];
        for (int i = 0; i < 16; ++i) {
            w[i] = 0;
            for (int k = 0; k < 4; ++k)
                w[i] = (w[i] << 8) | static_cast<std::uint8_t>(msg[off + i * 4 + k]);
        }
        for (int i = 16; i < 80; ++i) w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
        std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
        for (int i = 0; i < 80; ++i) {
            std::uint32_t f, k;
            if (i < 20) {
                f = (b & c) | (~b & d);
                k = 0x5A827999;
            } else if (i < 40) {
                f = b ^ c ^ d;
                k = 0x6ED9EBA1;
            } else if (i < 60) {
                f = (b & c) | (b & d) | (c & d);
                k = 0x8F1BBCDC;
            } else {
                f = b ^ c ^ d;
                k = 0xCA62C1D6;
            }
            std::uint32_t t = rol(a, 5) + f + e + k + w[i];
            e = d;
            d = c;
            c = rol(b, 30);
            b = a;
            a = t;
        }
        h[0] += a;
        h[1] += b;
        h[2] += c;
        h[3] += d;
        h[4] += e;
    }
    std::array<std::uint8_t, 20> out{};
    for (int i = 0; i < 5; ++i)
        for (int k = 0; k < 4; ++k)
            out[i * 4 + k] = static_cast<std::uint8_t>(h[i] >> (24 - 8 * k));
    return out;
}

}  // namespace

// Exposed for tests: RFC 4122 version 5 UUID of `name` in grundscan's namespace.
std::string oscal_uuid5(const std::string& name) {
    std::string data(kUuidNamespace.begin(), kUuidNamespace.end());
    data += name;
    auto d = sha1(data);
    d[6] = static_cast<std::uint8_t>((d[6] & 0x0f) | 0x50);
    d[8] = static_cast<std::uint8_t>((d[8] & 0x3f) | 0x80);
    static const char* hex = "0123456789abcdef";
    std::string s;
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) s.push_back('-');
        s.push_back(hex[d[i] >> 4]);
        s.push_back(hex[d[i] & 0x0f]);
    }
    return s;
}

namespace {

// OSCAL strings (prop values, names) must be valid UTF-8 without leading/trailing white space
// and, for single-line fields, without line breaks.
std::string line(const std::string& s) {
    std::string clean = text::sanitize_utf8(s);
    for (auto& c : clean)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
    return std::string(text::trim(clean));
}

std::string multiline(const std::string& s) {
    return text::sanitize_utf8(s);
}

bool is_timestamp(const std::string& s) {
    // YYYY-MM-DDTHH:MM:SS with Z or an offset (what the scanner writes: ...Z).
    if (s.size() < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
        return false;
    return s.back() == 'Z' ||
           (s.size() >= 25 && (s[s.size() - 6] == '+' || s[s.size() - 6] == '-'));
}

bool is_date(const std::string& s) {
    return s.size() == 10 && s[4] == '-' && s[7] == '-' &&
           std::all_of(s.begin(), s.end(),
                       [](char c) { return c == '-' || (c >= '0' && c <= '9'); });
}

class OscalBuilder {
  public:
    OscalBuilder(const ScanResult& scan, Lang lang) : scan_(scan), lang_(lang) {
        seed_ = "grundscan|" + scan.org_id + "|" + scan.started_at + "|" + scan.finished_at + "|" +
                scan.as_of + "|" + scan.scan_id;
        std::string fallback =
            is_date(scan.as_of) ? scan.as_of + "T00:00:00Z" : std::string("1970-01-01T00:00:00Z");
        start_ = is_timestamp(scan.started_at) ? scan.started_at : fallback;
        end_ = is_timestamp(scan.finished_at) ? scan.finished_at : start_;
    }

    ordered_json build() {
        ordered_json ar;
        ar["uuid"] = uuid("assessment-results");
        ar["metadata"] = metadata();
        std::string plan = uuid("assessment-plan");
        ar["import-ap"] = {
            {"href", "#" + plan},
            {"remarks", tr("Der Prüfplan sind die Regelpakete von grundscan (siehe back-matter).",
                           "The assessment plan is grundscan's rule packs (see back-matter).")}};
        ar["results"] = ordered_json::array({result()});
        ar["back-matter"] = back_matter(plan);
        ordered_json doc;
        doc["assessment-results"] = ar;
        return doc;
    }

  private:
    std::string tr(const char* de, const char* en) const { return lang_ == Lang::De ? de : en; }

    std::string uuid(const std::string& what) const { return oscal_uuid5(seed_ + "|" + what); }

    // Adds a prop when the value is not empty (OSCAL forbids empty values).
    static void prop(ordered_json& props, const char* name, const std::string& value,
                     bool own_ns = true) {
        std::string v = line(value);
        if (v.empty()) return;
        ordered_json p;
        p["name"] = name;
        if (own_ns) p["ns"] = kNs;
        p["value"] = v;
        props.push_back(p);
    }

    static void set_props(ordered_json& obj, ordered_json props) {
        if (!props.empty()) obj["props"] = std::move(props);
    }

    static std::string number(const std::optional<double>& v) {
        if (!v) return {};
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.1f", std::round(*v * 10) / 10);
        return buf;
    }

    // The catalog a control id belongs to, as a prop (ns grundscan, class = catalog family).
    static void catalog_prop(ordered_json& props, const std::string& catalog) {
        if (line(catalog).empty()) return;
        ordered_json p;
        p["name"] = "catalog";
        p["ns"] = kNs;
        p["value"] = line(catalog);
        p["class"] = catalog == kEdition2023 ? "it-grundschutz-2023" : "grundschutz-plus-plus";
        props.push_back(p);
    }

    static std::string catalog_uuid(const std::string& catalog) {
        // The Kernel keeps the UUID of the former single Grundschutz++ resource.
        return oscal_uuid5(catalog == "kernel" ? std::string("catalog|Grundschutz++")
                                               : "catalog|" + catalog);
    }

    static std::string catalog_title(const std::string& catalog) {
        std::string label = control_label(ControlRef{catalog, ""});  // " (Kernel)"
        return label.size() > 3 ? label.substr(2, label.size() - 3) : catalog;
    }

    // Marks a finding target as a control of `catalog` (prop and link to its resource).
    static void qualify_target(ordered_json& target, const std::string& catalog) {
        ordered_json props = ordered_json::array();
        catalog_prop(props, catalog);
        set_props(target, props);
        target["links"] =
            ordered_json::array({{{"href", "#" + catalog_uuid(catalog)}, {"rel", "reference"}}});
    }

    std::string asset_key(const MunicipalityResult& m, const AssetResult& a) const {
        return m.id + "/" + a.id;
    }

    ordered_json metadata() const {
        ordered_json md;
        std::string org = line(scan_.org_name.empty() ? scan_.org_id : scan_.org_name);
        md["title"] =
            tr("IT-Grundschutz-Prüfung (grundscan): ", "IT-Grundschutz check (grundscan): ") +
            (org.empty() ? std::string("?") : org);
        md["last-modified"] = end_;
        md["version"] = is_date(scan_.as_of) ? scan_.as_of : std::string("1.0");
        md["oscal-version"] = kOscalVersion;
        ordered_json props = ordered_json::array();
        prop(props, "tool", "grundscan " + scan_.tool_version);
        set_props(md, props);
        ordered_json parties = ordered_json::array();
        std::string org_uuid = uuid("party|organisation");
        ordered_json op;
        op["uuid"] = org_uuid;
        op["type"] = "organization";
        if (!org.empty()) op["name"] = org;
        if (!line(scan_.org_id).empty()) op["short-name"] = line(scan_.org_id);
        parties.push_back(op);
        for (const auto& m : scan_.municipalities) {
            ordered_json mp;
            mp["uuid"] = uuid("party|municipality|" + m.id);
            mp["type"] = "organization";
            std::string name = line(m.name.empty() ? m.id : m.name);
            if (!name.empty()) mp["name"] = name;
            if (!line(m.id).empty()) mp["short-name"] = line(m.id);
            ordered_json mprops = ordered_json::array();
            prop(mprops, "ags", m.ags);
            set_props(mp, mprops);
            mp["member-of-organizations"] = ordered_json::array({org_uuid});
            parties.push_back(mp);
        }
        md["parties"] = parties;
        return md;
    }

    ordered_json back_matter(const std::string& plan) const {
        ordered_json res = ordered_json::array();
        ordered_json p;
        p["uuid"] = plan;
        p["title"] = tr("grundscan-Regelpakete", "grundscan rule packs");
        std::string packs;
        for (const auto& pk : scan_.packs)
            packs += (packs.empty() ? "" : ", ") + pk.id + " " + pk.version;
        p["description"] =
            multiline(tr("Automatisierte Prüfung mit den Regelpaketen: ",
                         "Automated check with the rule packs: ") +
                      (packs.empty() ? std::string("-") : packs) +
                      (scan_.profile.empty() ? std::string()
                                             : tr("; Profil: ", "; profile: ") + scan_.profile));
        ordered_json props = ordered_json::array();
        for (const auto& pk : scan_.packs) prop(props, "rule-pack", pk.id + " " + pk.version);
        prop(props, "profile", scan_.profile);
        prop(props, "score-model", scan_.score_model);
        set_props(p, props);
        res.push_back(p);
        for (const auto& c : BsiCatalog::control_catalogs()) {
            ordered_json cat;
            cat["uuid"] = catalog_uuid(c);
            cat["title"] =
                "Grundschutz++ " + catalog_title(c) + " (BSI Stand-der-Technik-Bibliothek)";
            ordered_json cp = ordered_json::array();
            catalog_prop(cp, c);
            set_props(cat, cp);
            cat["rlinks"] = ordered_json::array(
                {{{"href", "https://github.com/BSI-Bund/Stand-der-Technik-Bibliothek"}}});
            res.push_back(cat);
        }
        ordered_json kompendium;
        kompendium["uuid"] = catalog_uuid(kEdition2023);
        kompendium["title"] = "IT-Grundschutz-Kompendium Edition 2023 (BSI)";
        ordered_json kp = ordered_json::array();
        catalog_prop(kp, kEdition2023);
        set_props(kompendium, kp);
        kompendium["rlinks"] = ordered_json::array(
            {{{"href", "https://www.bsi.bund.de/dok/it-grundschutz-kompendium"}}});
        res.push_back(kompendium);
        return {{"resources", res}};
    }

    ordered_json result() {
        ordered_json r;
        r["uuid"] = uuid("result");
        std::string org = line(scan_.org_name.empty() ? scan_.org_id : scan_.org_name);
        r["title"] =
            tr("Automatisierte IT-Grundschutz-Prüfung ", "Automated IT-Grundschutz check ") + org +
            (scan_.as_of.empty() ? "" : " (" + scan_.as_of + ")");
        r["description"] = multiline(
            tr("Ergebnis von grundscan: jede Regel je Asset mit ihrem Nachweis (Datei und Zeile). "
               "Stichtag ",
               "Result of grundscan: every rule per asset with its evidence (file and line). "
               "As of ") +
            (scan_.as_of.empty() ? std::string("-") : scan_.as_of) +
            (scan_.complete ? "."
                            : tr(". Die Prüfung wurde abgebrochen: Ergebnisse unvollständig.",
                                 ". The scan was interrupted: results are partial.")));
        r["start"] = start_;
        r["end"] = end_;
        ordered_json props = ordered_json::array();
        prop(props, "as-of", scan_.as_of);
        prop(props, "complete", scan_.complete ? "true" : "false");
        prop(props, "score", number(scan_.score.value));
        prop(props, "ampel", ampel_name(scan_.score.ampel));
        prop(props, "coverage", number(scan_.score.coverage));
        prop(props, "score-model", scan_.score_model);
        set_props(r, props);

        ordered_json items = ordered_json::array();
        for (const auto& m : scan_.municipalities) {
            for (const auto& a : m.assets) {
                ordered_json it;
                it["uuid"] = uuid("asset|" + asset_key(m, a));
                std::string name = line(a.name.empty() ? a.id : a.name);
                it["description"] = multiline(name.empty() ? std::string("?") : name);
                ordered_json ip = ordered_json::array();
                prop(ip, "asset-id", a.id, false);
                prop(ip, "municipality", m.id);
                prop(ip, "municipality-name", m.name);
                prop(ip, "kind", a.kind);
                prop(ip, "score", number(a.score.value));
                prop(ip, "ampel", ampel_name(a.score.ampel));
                prop(ip, "os-name", a.support.os_name);
                prop(ip, "support-phase", a.support.phase);
                set_props(it, ip);
                items.push_back(it);
            }
        }
        if (!items.empty()) r["local-definitions"] = {{"inventory-items", items}};

        // Controls referenced by the evaluated rules, one selection per catalog (the same id
        // can stand for different controls in two catalogs), and the Edition 2023
        // requirements of the IT-Grundschutz-Check.
        rows_ = grundschutz_check_rows(scan_);
        std::map<std::string, std::set<std::string>> controls;  // catalog -> ids
        for (const auto* rule : scan_.rules)
            for (const auto& g : rule->gspp)
                if (!line(g.id).empty()) controls[g.catalog].insert(line(g.id));
        std::set<std::string> requirements;
        for (const auto& row : rows_)
            if (!line(row.requirement).empty()) requirements.insert(line(row.requirement));
        ordered_json selections = ordered_json::array();
        for (const auto& [catalog, ids] : controls) {
            ordered_json sel;
            sel["description"] = tr("Grundschutz++-Anforderungen (", "Grundschutz++ controls (") +
                                 catalog_title(catalog) +
                                 tr("), auf die sich die geprüften Regeln beziehen",
                                    ") the evaluated rules refer to");
            ordered_json sp = ordered_json::array();
            catalog_prop(sp, catalog);
            set_props(sel, sp);
            ordered_json inc = ordered_json::array();
            for (const auto& c : ids) inc.push_back({{"control-id", c}});
            sel["include-controls"] = inc;
            selections.push_back(sel);
        }
        if (!requirements.empty()) {
            ordered_json sel;
            sel["description"] = tr(
                "Anforderungen des IT-Grundschutz-Kompendiums Edition 2023 im "
                "IT-Grundschutz-Check (modellierte Bausteine und zitierte Anforderungen)",
                "IT-Grundschutz Kompendium Edition 2023 requirements in the IT-Grundschutz-Check "
                "(modelled Bausteine and cited requirements)");
            ordered_json sp = ordered_json::array();
            catalog_prop(sp, kEdition2023);
            set_props(sel, sp);
            ordered_json inc = ordered_json::array();
            for (const auto& c : requirements) inc.push_back({{"control-id", c}});
            sel["include-controls"] = inc;
            selections.push_back(sel);
        }
        if (selections.empty())
            selections.push_back(
                {{"description",
                  tr("Grundschutz++-Anforderungen, auf die sich die geprüften Regeln beziehen",
                     "Grundschutz++ controls the evaluated rules refer to")}});
        r["reviewed-controls"] = {{"control-selections", selections}};

        observations_and_findings(r);
        std::string remarks;
        for (const auto& w : scan_.warnings) remarks += (remarks.empty() ? "" : "\n") + w;
        for (const auto& w : scan_.waiver_warnings) remarks += (remarks.empty() ? "" : "\n") + w;
        if (!remarks.empty()) r["remarks"] = multiline(remarks);
        return r;
    }

    struct ControlState {
        int satisfied = 0, not_satisfied = 0, waived = 0;
        std::vector<std::string> observations;
    };

    void observations_and_findings(ordered_json& r) {
        ordered_json observations = ordered_json::array();
        ordered_json failures = ordered_json::array();
        std::map<std::pair<std::string, std::string>, ControlState> controls;  // (catalog, id)
        for (const auto& m : scan_.municipalities) {
            for (const auto& a : m.assets) {
                std::string key = asset_key(m, a);
                std::string asset_uuid = uuid("asset|" + key);
                std::string asset_name = line(a.name.empty() ? a.id : a.name);
                for (const auto& res : a.results) {
                    if (res.state == ResultState::NotApplicable) continue;
                    const Rule* rule = scan_.rule(res.rule_id);
                    std::string obs_uuid = uuid("observation|" + key + "|" + res.rule_id);
                    observations.push_back(
                        observation(res, rule, obs_uuid, asset_uuid, asset_name));
                    bool decided = res.state == ResultState::Pass ||
                                   res.state == ResultState::Fail ||
                                   res.state == ResultState::Waived;
                    if (rule && decided) {
                        for (const auto& g : rule->gspp) {
                            if (line(g.id).empty()) continue;
                            auto& cs = controls[{g.catalog, line(g.id)}];
                            if (res.state == ResultState::Pass) ++cs.satisfied;
                            if (res.state == ResultState::Fail) ++cs.not_satisfied;
                            if (res.state == ResultState::Waived) ++cs.waived;
                            cs.observations.push_back(obs_uuid);
                        }
                    }
                    if (res.state == ResultState::Fail)
                        failures.push_back(failure(res, rule, key, asset_name, obs_uuid));
                }
            }
        }
        // The replacement roadmap: one observation per OS or software release and system,
        // when it leaves support (examined from the end-of-life data, not tested).
        for (const auto& m : scan_.municipalities)
            for (const RoadmapEntry* e : roadmap_rows(m))
                observations.push_back(roadmap_observation(m, *e));
        ordered_json findings = ordered_json::array();
        for (const auto& [id, cs] : controls)
            findings.push_back(control_finding(ControlRef{id.first, id.second}, cs));
        for (auto& f : failures) findings.push_back(std::move(f));
        for (const auto& row : rows_) findings.push_back(check_finding(row));
        if (!observations.empty()) r["observations"] = observations;
        if (!findings.empty()) r["findings"] = findings;
    }

    ordered_json roadmap_observation(const MunicipalityResult& m, const RoadmapEntry& e) const {
        std::string key = m.id + "/" + e.asset_id;
        std::string asset_name = line(e.asset_name.empty() ? e.asset_id : e.asset_name);
        ordered_json o;
        o["uuid"] = uuid("roadmap|" + key + "|" + e.product + "|" + e.cycle);
        o["title"] = line(tr("Ablöse-Roadmap: ", "Replacement roadmap: ") + roadmap_release(e) +
                          " – " + asset_name);
        const char* phase = support_phase_label(e.phase, lang_);
        std::string desc = phase ? phase : e.phase;
        if (!e.eol_date.empty()) desc += tr("; Supportende ", "; end of support ") + e.eol_date;
        if (!e.extended_until.empty())
            desc += tr("; erweiterte Unterstützung bis ", "; extended support until ") +
                    e.extended_until;
        o["description"] = multiline(desc);
        ordered_json props = ordered_json::array();
        prop(props, "roadmap-product", e.product);
        prop(props, "roadmap-release", e.cycle);
        prop(props, "support-phase", e.phase);
        prop(props, "end-of-support", e.eol_date);
        prop(props, "extended-support-until", e.extended_until);
        set_props(o, props);
        o["methods"] = ordered_json::array({"EXAMINE"});
        o["subjects"] = ordered_json::array({{{"subject-uuid", uuid("asset|" + key)},
                                              {"type", "inventory-item"},
                                              {"title", asset_name}}});
        if (asset_name.empty()) o["subjects"][0].erase("title");
        o["collected"] = end_;
        return o;
    }

    ordered_json observation(const RuleResult& res, const Rule* rule, const std::string& obs_uuid,
                             const std::string& asset_uuid, const std::string& asset_name) const {
        ordered_json o;
        o["uuid"] = obs_uuid;
        o["title"] = line(res.rule_id + ": " + (rule ? rule->title.get(lang_) : std::string()) +
                          " – " + asset_name);
        std::string desc = std::string(state_label(res.state, lang_)) +
                           (res.message.empty() ? "" : ": " + res.message);
        o["description"] = multiline(desc);
        ordered_json props = ordered_json::array();
        prop(props, "rule-id", res.rule_id);
        prop(props, "result-state", state_name(res.state));
        if (rule) {
            prop(props, "severity", severity_name(rule->severity));
            for (const auto& ref : rule->references) prop(props, "it-grundschutz-2023", ref.id);
            for (const auto& g : rule->gspp) prop(props, "grundschutz-plus-plus", g.qualified());
        }
        if (res.waiver) {
            prop(props, "waiver-id", res.waiver->id);
            prop(props, "waiver-expires", res.waiver->expires);
        }
        set_props(o, props);
        o["methods"] = ordered_json::array({"TEST"});
        o["subjects"] = ordered_json::array(
            {{{"subject-uuid", asset_uuid}, {"type", "inventory-item"}, {"title", asset_name}}});
        if (o["subjects"][0]["title"].get<std::string>().empty()) o["subjects"][0].erase("title");
        ordered_json ev = ordered_json::array();
        for (const auto& e : res.evidence) {
            ordered_json re;
            std::string where = e.provenance.source;
            if (e.provenance.line > 0) where += ":" + std::to_string(e.provenance.line);
            std::string d =
                where.empty() ? e.provenance.excerpt : where + ": " + e.provenance.excerpt;
            if (line(d).empty()) d = e.fact + " = " + e.value;
            re["description"] = multiline(d);
            ordered_json ep = ordered_json::array();
            prop(ep, "fact", e.fact);
            prop(ep, "value", e.value);
            prop(ep, "collector", e.provenance.collector);
            set_props(re, ep);
            ev.push_back(re);
        }
        if (!ev.empty()) o["relevant-evidence"] = ev;
        o["collected"] = end_;
        if (res.waiver) {
            const auto& w = *res.waiver;
            o["remarks"] = multiline(
                tr("Risiko akzeptiert (", "Accepted risk (") + w.id + "): " + w.justification +
                (w.approver.empty() ? "" : tr("; entschieden von ", "; decided by ") + w.approver) +
                (w.expires.empty() ? "" : tr("; gültig bis ", "; expires ") + w.expires));
        }
        return o;
    }

    ordered_json control_finding(const ControlRef& control, const ControlState& cs) const {
        const std::string& id = control.id;
        ordered_json f;
        // Kernel findings keep the UUIDs they had before ids were qualified.
        f["uuid"] =
            uuid("finding|control|" + (control.catalog == "kernel" ? id : control.qualified()));
        f["title"] = "Grundschutz++ " + line(control_label(control));
        int decided = cs.satisfied + cs.not_satisfied + cs.waived;
        f["description"] =
            std::to_string(cs.satisfied) + tr(" von ", " of ") + std::to_string(decided) +
            tr(" geprüften Ergebnissen erfüllt", " decided results pass") +
            (cs.not_satisfied
                 ? ", " + std::to_string(cs.not_satisfied) + tr(" nicht erfüllt", " fail")
                 : std::string()) +
            (cs.waived ? ", " + std::to_string(cs.waived) +
                             tr(" mit akzeptiertem Risiko", " with accepted risk")
                       : std::string()) +
            ".";
        ordered_json props = ordered_json::array();
        prop(props, "grundschutz-plus-plus", control.qualified());
        prop(props, "results-satisfied", std::to_string(cs.satisfied));
        prop(props, "results-not-satisfied", std::to_string(cs.not_satisfied));
        prop(props, "results-waived", std::to_string(cs.waived));
        set_props(f, props);
        bool ok = cs.not_satisfied == 0 && cs.waived == 0;
        ordered_json target;
        target["type"] = "statement-id";
        target["target-id"] = id + "_stm";
        qualify_target(target, control.catalog);
        target["status"] = {{"state", ok ? "satisfied" : "not-satisfied"}};
        if (!ok && cs.not_satisfied == 0)
            target["status"]["remarks"] = tr("Nur wegen akzeptierter Risiken nicht erfüllt.",
                                             "Not satisfied only because of accepted risks.");
        f["target"] = target;
        ordered_json rel = ordered_json::array();
        for (const auto& o : cs.observations) rel.push_back({{"observation-uuid", o}});
        f["related-observations"] = rel;
        return f;
    }

    ordered_json failure(const RuleResult& res, const Rule* rule, const std::string& key,
                         const std::string& asset_name, const std::string& obs_uuid) const {
        ordered_json f;
        f["uuid"] = uuid("finding|fail|" + key + "|" + res.rule_id);
        f["title"] = line(res.rule_id + ": " + (rule ? rule->title.get(lang_) : std::string()) +
                          " – " + asset_name);
        f["description"] = multiline(
            res.message.empty() ? std::string(state_label(res.state, lang_)) : res.message);
        ordered_json props = ordered_json::array();
        prop(props, "rule-id", res.rule_id);
        prop(props, "asset", key);
        if (rule) {
            prop(props, "severity", severity_name(rule->severity));
            for (const auto& ref : rule->references) prop(props, "it-grundschutz-2023", ref.id);
            for (const auto& g : rule->gspp) prop(props, "grundschutz-plus-plus", g.qualified());
        }
        set_props(f, props);
        std::string control, catalog;
        if (rule)
            for (const auto& g : rule->gspp)
                if (control.empty()) {
                    control = line(g.id);
                    catalog = g.catalog;
                }
        ordered_json target;
        target["type"] = control.empty() ? "objective-id" : "statement-id";
        target["target-id"] = control.empty() ? line(res.rule_id) : control + "_stm";
        if (!control.empty()) qualify_target(target, catalog);
        target["status"] = {{"state", "not-satisfied"}};
        f["target"] = target;
        f["related-observations"] = ordered_json::array({{{"observation-uuid", obs_uuid}}});
        if (rule && !rule->remediation.get(lang_).empty())
            f["remarks"] =
                multiline(tr("Maßnahme: ", "Remediation: ") + rule->remediation.get(lang_));
        return f;
    }

    // The IT-Grundschutz-Check status of one (Zielobjekt, requirement). OSCAL knows only
    // satisfied / not-satisfied: ja and entbehrlich are satisfied (reason pass / other),
    // teilweise and nein not-satisfied (fail), nicht geprüft not-satisfied with reason other;
    // the prop gs-check-status carries the BSI status, implementation-status the degree.
    ordered_json check_finding(const CheckRow& row) const {
        // Zielobjekt: "<municipality>/<asset>" as elsewhere, or the municipality itself.
        std::string target_key =
            row.organisation ? row.municipality_id : row.municipality_id + "/" + row.target_id;
        ordered_json f;
        f["uuid"] =
            uuid(std::string("finding|gscheck|") + (row.organisation ? "verbund|" : "asset|") +
                 target_key + "|" + row.requirement);
        std::string target = line(row.target);
        f["title"] = line("IT-Grundschutz-Check " + row.requirement +
                          (row.title.empty() ? "" : " " + row.title) + " – " +
                          (target.empty() ? std::string("?") : target));
        f["description"] = multiline(std::string(check_status_label(row.status, lang_)) + ": " +
                                     check_row_reason(row, lang_, false));
        ordered_json props = ordered_json::array();
        prop(props, "it-grundschutz-2023", row.requirement);
        prop(props, "baustein", row.baustein);
        prop(props, "level", level_name(row.level));
        prop(props, "gs-check-status", check_status_name(row.status));
        prop(props, "zielobjekt", target_key);
        prop(props, "zielobjekt-typ", row.organisation ? "informationsverbund" : row.target_kind);
        prop(props, "municipality", row.municipality_id);
        prop(props, "ags", row.ags);
        prop(props, "automated", row.automated ? "true" : "false");
        for (const auto& r : check_row_rules(row)) prop(props, "check-rule", r);
        set_props(f, props);
        ordered_json t;
        t["type"] = "objective-id";
        t["target-id"] = line(row.requirement);
        qualify_target(t, kEdition2023);
        const char* state = "not-satisfied";
        const char* reason = "other";
        const char* impl = nullptr;
        switch (row.status) {
            case CheckStatus::Yes:
                state = "satisfied";
                reason = "pass";
                impl = "implemented";
                break;
            case CheckStatus::Partially:
                reason = "fail";
                impl = "partial";
                break;
            case CheckStatus::No:
                reason = "fail";
                break;
            case CheckStatus::Dispensable:
                state = "satisfied";
                impl = "not-applicable";
                break;
            case CheckStatus::NotChecked:
                break;
        }
        t["status"] = {{"state", state}, {"reason", reason}};
        if (row.status == CheckStatus::NotChecked)
            t["status"]["remarks"] = tr("Nicht geprüft: im IT-Grundschutz-Check zu erheben.",
                                        "Not checked: to be assessed in the IT-Grundschutz-Check.");
        if (impl) t["implementation-status"] = {{"state", impl}};
        f["target"] = t;
        ordered_json rel = ordered_json::array();
        std::set<std::string> seen;
        for (const auto& e : row.evidence) {
            if (e.result->state == ResultState::NotApplicable) continue;  // no observation
            std::string key = row.municipality_id + "/" + e.asset->id;
            std::string o = uuid("observation|" + key + "|" + e.result->rule_id);
            if (seen.insert(o).second) rel.push_back({{"observation-uuid", o}});
        }
        if (!rel.empty()) f["related-observations"] = rel;
        return f;
    }

    const ScanResult& scan_;
    Lang lang_;
    std::string seed_, start_, end_;
    std::vector<CheckRow> rows_;
};

Expected<std::vector<std::filesystem::path>> write_oscal(const ScanResult& scan,
                                                         const ReportOptions& options) {
    auto path = options.out_dir / "oscal-assessment-results.json";
    if (auto s = write_file_atomic(path, results_to_oscal(scan, options.lang) + "\n"); !s)
        return s.error();
    return std::vector<std::filesystem::path>{path};
}

}  // namespace

std::string results_to_oscal(const ScanResult& scan, Lang lang) {
    return OscalBuilder(scan, lang)
        .build()
        .dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

const ReportWriter& oscal_report_writer() {
    static const ReportWriter w{
        "oscal",
        "oscal-assessment-results.json: OSCAL 1.1.2 assessment results (Grundschutz++ controls)",
        &write_oscal};
    return w;
}

}  // namespace grundscan
