#include "scanner/enrich/rhel_oval.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <pugixml.hpp>
#include <sstream>

#include "scanner/core/text.hpp"
#include "scanner/core/version.hpp"
#include "scanner/enrich/feed_text.hpp"

namespace grundscan {

namespace fs = std::filesystem;
using feed_text::fact_string;
using feed_text::join_limited;
using feed_text::shown_name;

namespace {

// "red-def:rpminfo_test" → "rpminfo_test"
std::string_view local_name(const pugi::xml_node& n) {
    std::string_view name = n.name();
    auto colon = name.find(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node child_named(const pugi::xml_node& n, std::string_view local) {
    for (auto c : n.children())
        if (c.type() == pugi::node_element && local_name(c) == local) return c;
    return {};
}

std::string trimmed_text(const pugi::xml_node& n) {
    return std::string(text::trim(n.text().get()));
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Classifies a criterion by the comment Red Hat generates for its test.
void classify(OvalNode& t) {
    std::string_view c = t.comment;
    constexpr std::string_view kEarlier = " is earlier than ";
    constexpr std::string_view kRhel = "Red Hat Enterprise Linux ";
    if (auto p = c.find(kEarlier); p != std::string_view::npos && p > 0) {
        t.test = OvalNode::Test::PackageBelow;
        t.name = std::string(c.substr(0, p));
        t.value = std::string(text::trim(c.substr(p + kEarlier.size())));
    } else if (c == "Red Hat Enterprise Linux must be installed") {
        t.test = OvalNode::Test::NotRhel;
    } else if (c.starts_with(kRhel) && ends_with(c, " is installed")) {
        t.test = OvalNode::Test::Release;
        t.value = std::string(c.substr(
            kRhel.size(), c.size() - kRhel.size() - std::string_view(" is installed").size()));
    } else if (auto s = c.find(" is signed with Red Hat ");
               s != std::string_view::npos && s > 0 && ends_with(c, " key")) {
        t.test = OvalNode::Test::Signed;
        t.name = std::string(c.substr(0, s));
    } else if (c.starts_with("Module ") && ends_with(c, " is enabled")) {
        t.test = OvalNode::Test::Module;
        t.value = std::string(c.substr(7, c.size() - 7 - std::string_view(" is enabled").size()));
    } else if (ends_with(c, " is installed") && c.find(' ') == c.size() - 13) {
        t.test = OvalNode::Test::Installed;
        t.name = std::string(c.substr(0, c.size() - 13));
    }
    if (t.value.find(' ') != std::string::npos) t.test = OvalNode::Test::Unknown;
}

// Reads <criteria>/<criterion> below `n` into `out`; Error when nested too deeply.
Status read_criteria(const pugi::xml_node& n, OvalNode& out, int depth) {
    if (depth > kRhelOvalMaxDepth) {
        return Error{"criteria nested deeper than " + std::to_string(kRhelOvalMaxDepth) +
                     " levels"};
    }
    out.negate = std::string_view(n.attribute("negate").as_string()) == "true";
    if (local_name(n) == "criterion") {
        out.kind = OvalNode::Kind::Test;
        out.comment = n.attribute("comment").as_string();
        classify(out);
        return Ok{};
    }
    if (local_name(n) == "extend_definition") {  // not used by Red Hat's patch definitions
        out.kind = OvalNode::Kind::Test;
        out.comment = n.attribute("comment").as_string();
        return Ok{};
    }
    std::string_view op = n.attribute("operator").as_string();
    out.kind = op == "OR" ? OvalNode::Kind::Any : OvalNode::Kind::All;  // OVAL default: AND
    for (auto c : n.children()) {
        if (c.type() != pugi::node_element) continue;
        auto name = local_name(c);
        if (name != "criteria" && name != "criterion" && name != "extend_definition") continue;
        OvalNode child;
        if (auto s = read_criteria(c, child, depth + 1); !s) return s;
        out.children.push_back(std::move(child));
    }
    return Ok{};
}

double score_of(std::string_view attr) {
    // "9.6/CVSS:3.1/AV:N/..." → 9.6
    auto slash = attr.find('/');
    std::string num(attr.substr(0, slash));
    if (num.empty()) return -1;
    char* end = nullptr;
    double v = std::strtod(num.c_str(), &end);
    if (end == num.c_str() || *end != '\0' || v < 0 || v > 10) return -1;
    return v;
}

enum class Tri { False, True, Unknown };

Tri negate_if(Tri t, bool negate) {
    if (!negate || t == Tri::Unknown) return t;
    return t == Tri::True ? Tri::False : Tri::True;
}

struct Hit {
    std::string package, installed, fixed;
};

class Evaluator {
  public:
    Evaluator(const StringMap& packages, std::string major) : major_(std::move(major)) {
        static const std::set<std::string_view> kArches{
            "x86_64", "i686", "i386", "noarch", "aarch64", "ppc64le", "s390x", "armv7hl", "src"};
        for (const auto& [key, version] : packages) {
            std::string name = key;
            if (auto dot = key.rfind('.');
                dot != std::string::npos && kArches.contains(std::string_view(key).substr(dot + 1)))
                name = key.substr(0, dot);
            installed_[name].push_back(version);
        }
    }

    Tri eval(const OvalNode& n, std::vector<Hit>& hits) {
        if (n.kind == OvalNode::Kind::Test) return negate_if(test(n, hits), n.negate);
        bool all = n.kind == OvalNode::Kind::All;
        Tri result = all ? Tri::True : Tri::False;
        for (const auto& c : n.children) {
            std::vector<Hit> child_hits;
            Tri r = eval(c, child_hits);
            if (r != Tri::False) hits.insert(hits.end(), child_hits.begin(), child_hits.end());
            if (all) {
                if (r == Tri::False)
                    result = Tri::False;
                else if (r == Tri::Unknown && result == Tri::True)
                    result = Tri::Unknown;
            } else {
                if (r == Tri::True)
                    result = Tri::True;
                else if (r == Tri::Unknown && result == Tri::False)
                    result = Tri::Unknown;
            }
        }
        if (result == Tri::False) hits.clear();
        return negate_if(result, n.negate);
    }

  private:
    const std::vector<std::string>* versions(const std::string& name) const {
        auto it = installed_.find(name);
        return it == installed_.end() ? nullptr : &it->second;
    }

    Tri test(const OvalNode& n, std::vector<Hit>& hits) const {
        switch (n.test) {
            case OvalNode::Test::PackageBelow: {
                const auto* vs = versions(n.name);
                if (!vs) return Tri::False;
                for (const auto& v : *vs) {
                    if (compare_rpm_versions(v, n.value) < 0) {
                        hits.push_back(Hit{n.name, v, n.value});
                        return Tri::True;
                    }
                }
                return Tri::False;
            }
            case OvalNode::Test::Signed:  // the package list shows no signatures
            case OvalNode::Test::Installed:
                return versions(n.name) ? Tri::True : Tri::False;
            case OvalNode::Test::Release:
                return n.value == major_ ? Tri::True : Tri::False;
            case OvalNode::Test::NotRhel:
                return Tri::False;
            case OvalNode::Test::Module:
                return module_enabled(n.value);
            case OvalNode::Test::Unknown:
                break;
        }
        return Tri::Unknown;
    }

    // "postgresql:15": a modular build (release with "module+el"/"module_el") of stream 15 of a
    // package named postgresql or postgresql-* is installed.
    Tri module_enabled(const std::string& value) const {
        auto colon = value.find(':');
        if (colon == std::string::npos) return Tri::Unknown;
        std::string module = value.substr(0, colon), stream = value.substr(colon + 1);
        for (const auto& [name, vs] : installed_) {
            if (name != module && !name.starts_with(module + "-")) continue;
            for (const auto& v : vs) {
                if (v.find("module+el") == std::string::npos &&
                    v.find("module_el") == std::string::npos)
                    continue;
                std::string_view ver = v;
                if (auto c = ver.find(':'); c != std::string_view::npos) ver.remove_prefix(c + 1);
                if (ver.starts_with(stream + ".") || ver.starts_with(stream + "-"))
                    return Tri::True;
            }
        }
        return Tri::False;
    }

    std::string major_;
    std::map<std::string, std::vector<std::string>> installed_;
};

}  // namespace

Expected<RhelOval> parse_rhel_oval(std::string_view text, const std::string& file) {
    if (text.size() > kRhelOvalMaxBytes) {
        return Error{"Red Hat OVAL file larger than 1 GiB: not read", file};
    }
    pugi::xml_document doc;
    auto res = doc.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!res) {
        std::size_t off = std::min<std::size_t>(static_cast<std::size_t>(res.offset), text.size());
        int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + off, '\n'));
        return Error{std::string("malformed XML: ") + res.description(), file, line};
    }
    pugi::xml_node root = doc.document_element();
    if (local_name(root) != "oval_definitions") {
        return Error{"not an OVAL definitions file (no <oval_definitions>)", file, 1};
    }
    RhelOval out;
    out.file = file;
    if (auto gen = child_named(root, "generator")) {
        std::string ts = trimmed_text(child_named(gen, "timestamp"));
        out.data_date = parse_iso_date(ts.substr(0, 10));
    }
    std::size_t counted = 0;
    int line = 1;
    for (auto def : child_named(root, "definitions").children()) {
        if (def.type() != pugi::node_element || local_name(def) != "definition") continue;
        if (std::string_view(def.attribute("class").as_string()) != "patch") continue;
        OvalDefinition d;
        d.id = def.attribute("id").as_string();
        auto off = static_cast<std::size_t>(std::max<std::ptrdiff_t>(0, def.offset_debug()));
        off = std::min(off, text.size());
        if (off >= counted) {
            line += static_cast<int>(std::count(text.begin() + counted, text.begin() + off, '\n'));
            counted = off;
        }
        d.line = line;
        auto meta = child_named(def, "metadata");
        for (auto c : meta.children()) {
            if (local_name(c) == "affected") {
                for (auto p : c.children()) {
                    if (local_name(p) != "platform") continue;
                    std::string_view pl = text::trim(p.text().get());
                    constexpr std::string_view kRhel = "Red Hat Enterprise Linux ";
                    if (pl.starts_with(kRhel) && pl.size() > kRhel.size() &&
                        std::all_of(pl.begin() + kRhel.size(), pl.end(),
                                    [](char ch) { return ch >= '0' && ch <= '9'; }))
                        out.releases.insert(std::string(pl.substr(kRhel.size())));
                }
            } else if (local_name(c) == "reference") {
                std::string_view src = c.attribute("source").as_string();
                if (src == "RHSA" && d.advisory.empty())
                    d.advisory = c.attribute("ref_id").as_string();
            } else if (local_name(c) == "advisory") {
                d.severity = trimmed_text(child_named(c, "severity"));
                d.issued = parse_iso_date(child_named(c, "issued").attribute("date").as_string());
                for (auto cve : c.children()) {
                    if (local_name(cve) != "cve") continue;
                    OvalCve oc;
                    oc.id = trimmed_text(cve);
                    oc.cvss = score_of(cve.attribute("cvss3").as_string());
                    if (oc.cvss < 0) oc.cvss = score_of(cve.attribute("cvss2").as_string());
                    oc.impact = text::to_lower(cve.attribute("impact").as_string());
                    oc.published = cve.attribute("public").as_string();
                    if (oc.id.starts_with("CVE-")) d.cves.push_back(std::move(oc));
                }
            }
        }
        if (d.advisory.empty()) d.advisory = d.id;
        if (auto crit = child_named(def, "criteria")) {
            if (auto s = read_criteria(crit, d.criteria, 1); !s)
                return Error{s.error().message + " in " + d.id, file, d.line};
        } else {
            continue;  // no criteria: nothing to check
        }
        out.definitions.push_back(std::move(d));
    }
    return out;
}

Expected<RhelOval> load_rhel_oval(const fs::path& path) {
    std::string shown = shown_name(path);
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {
        return Error{"Red Hat OVAL file not found (grundscan feeds update fetches it)", shown};
    }
    if (fs::file_size(path, ec) > kRhelOvalMaxBytes) {
        return Error{"Red Hat OVAL file larger than 1 GiB: not read", shown};
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error{"cannot read Red Hat OVAL file", shown};
    std::ostringstream ss;
    ss << in.rdbuf();
    return parse_rhel_oval(ss.str(), shown);
}

RhelOvalSet load_rhel_ovals(const fs::path& dir, std::vector<std::string>& errors) {
    RhelOvalSet out;
    out.dir = shown_name(dir);
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return out;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        std::string name = e.path().filename().string();
        if (e.is_regular_file(ec) && name.starts_with("rhel-") && ends_with(name, ".oval.xml"))
            files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
        std::string name = f.filename().string();
        std::string release = name.substr(5, name.size() - 5 - 9);  // rhel-<N>.oval.xml
        auto oval = load_rhel_oval(f);
        if (!oval) {
            errors.push_back(oval.error().describe());
            continue;
        }
        out.by_release[release] = std::move(*oval);
    }
    return out;
}

std::vector<RhelVulnMatch> match_rhel_oval(const StringMap& packages, const RhelOval& oval,
                                           const std::string& major) {
    std::vector<RhelVulnMatch> out;
    Evaluator ev(packages, major);
    for (const auto& d : oval.definitions) {
        std::vector<Hit> hits;
        Tri r = ev.eval(d.criteria, hits);
        if (r == Tri::False) continue;
        RhelVulnMatch m;
        m.definition = &d;
        m.unknown = r == Tri::Unknown;
        if (!hits.empty()) {
            m.package = hits[0].package;
            m.installed = hits[0].installed;
            m.fixed = hits[0].fixed;
            m.excerpt = m.package + " " + m.installed + " < " + m.fixed + " (" + d.advisory;
        } else {
            m.excerpt = d.advisory + " applies (";
        }
        m.excerpt += d.issued ? ", fix published " + d.issued->iso() : ", no issue date";
        if (m.unknown) m.excerpt += ", not every condition checkable";
        m.excerpt += ")";
        out.push_back(std::move(m));
    }
    return out;
}

void enrich_with_rhel_vulns(FactSet& facts, const RhelOvalSet& ovals, const KevCatalog& kev,
                            const Date& as_of, int max_age_days, int grace_days) {
    if (fact_string(facts, "os.id") != "rhel") return;
    const Fact* pk = facts.find("packages");
    const auto* packages = pk ? std::get_if<StringMap>(&pk->value) : nullptr;
    if (!packages || fact_string(facts, "packages.manager") != "rpm") return;  // no evidence
    static const std::vector<std::string> all_vuln_facts{"vulns.open_cves", "vulns.pending_cves",
                                                         "vulns.high_count", "vulns.kev_cves",
                                                         "vulns.critical_count"};
    static const std::vector<std::string> kev_facts{"vulns.kev_cves", "vulns.critical_count"};
    auto no_verdict = [&](const std::string& file, const std::string& why,
                          const std::vector<std::string>& explains) {
        facts.add_issue(SourceIssue{file, "rhel-oval", why, 0, false, explains});
    };
    std::string version = fact_string(facts, "os.version");
    std::string major = version.substr(0, version.find('.'));
    std::string expected = ovals.dir + "/rhel-" + (major.empty() ? "<N>" : major) + ".oval.xml";
    auto it = ovals.by_release.find(major);
    if (major.empty() || it == ovals.by_release.end()) {
        no_verdict(expected,
                   "no Red Hat OVAL data for RHEL " +
                       (major.empty() ? "(unknown version)" : major) +
                       " in the feed directory: no vulnerability verdict (grundscan feeds update "
                       "fetches it, sources.yaml redhat-oval-rhel" +
                       major + ")",
                   all_vuln_facts);
        return;
    }
    const RhelOval& oval = it->second;
    if (!oval.releases.contains(major)) {
        no_verdict(oval.file,
                   "the Red Hat OVAL file names no definition for RHEL " + major +
                       ": no vulnerability verdict (wrong or empty file; run grundscan feeds "
                       "update)",
                   all_vuln_facts);
        return;
    }
    if (oval.coverage != "complete") {
        no_verdict(oval.file,
                   oval.coverage == "excerpt"
                       ? "Auszug/excerpt: the Red Hat OVAL file holds only " +
                             (oval.coverage_note.empty() ? std::string("some advisories")
                                                         : oval.coverage_note) +
                             ", not every advisory for RHEL " + major +
                             ": no vulnerability verdict (grundscan feeds update fetches the "
                             "full file)"
                       : "Abdeckung unbekannt/coverage unknown: nothing records that the Red Hat "
                         "OVAL file is complete for RHEL " +
                             major +
                             " (no feeds update record, no snapshot metadata): no "
                             "vulnerability verdict (run grundscan feeds update)",
                   all_vuln_facts);
        return;
    }
    auto too_old = [&](const std::optional<Date>& date, const char* what) -> std::string {
        if (!date)
            return std::string(
                       "Datenstand unbekannt/data date unknown: nothing records how current the ") +
                   what + " is (run grundscan feeds update)";
        long long age = days_between(*date, as_of);
        if (age <= max_age_days) return {};
        return std::string("veraltet/stale: ") + what + " data as of " + date->iso() + " is " +
               std::to_string(age) + " days old at the Stichtag " + as_of.iso() + " (limit " +
               std::to_string(max_age_days) + " days; run grundscan feeds update)";
    };
    if (auto why = too_old(oval.data_date, "Red Hat OVAL"); !why.empty()) {
        no_verdict(oval.file, why + ": no vulnerability verdict", all_vuln_facts);
        return;
    }
    std::string kev_file = kev.file.empty() ? "kev/known_exploited_vulnerabilities.json" : kev.file;
    std::string kev_why;
    if (kev.file.empty())
        kev_why = "no CISA KEV catalog loaded: no verdict on actively exploited CVEs";
    else if (kev.coverage != "complete")
        kev_why = std::string(kev.coverage == "excerpt" ? "Auszug/excerpt"
                                                        : "Abdeckung unbekannt/coverage unknown") +
                  ": the CISA KEV catalog is not known to be complete: no verdict on actively "
                  "exploited CVEs (run grundscan feeds update)";
    else
        kev_why = too_old(kev.data_date, "CISA KEV catalog");
    bool kev_usable = kev_why.empty();

    auto matches = match_rhel_oval(*packages, oval, major);
    // Per CVE: open when a definition applies whose fix is at least grace_days old (or has no
    // date); pending when every applying definition's fix is younger.
    struct CveState {
        const RhelVulnMatch* open = nullptr;
        const RhelVulnMatch* pending = nullptr;
        double cvss = -1;
        std::string impact;
    };
    std::map<std::string, CveState> cves;
    for (const auto& m : matches) {
        const OvalDefinition& d = *m.definition;
        bool young = d.issued && days_between(*d.issued, as_of) < grace_days;
        for (const auto& c : d.cves) {
            CveState& s = cves[c.id];
            if (young) {
                if (!s.pending) s.pending = &m;
            } else if (!s.open) {
                s.open = &m;
            }
            if (c.cvss > s.cvss) s.cvss = c.cvss;
            if (s.impact.empty() || c.impact == "critical" ||
                (c.impact == "important" && s.impact != "critical"))
                s.impact = c.impact;
        }
    }
    auto rating = [](const CveState& s) {
        char buf[32];
        if (s.cvss >= 0) {
            std::snprintf(buf, sizeof buf, "CVSS %.1f", s.cvss);
            return std::string(buf);
        }
        return s.impact.empty() ? std::string("no rating") : "impact " + s.impact;
    };
    StringList open_cves, pending_cves, kev_cves;
    std::vector<std::string> open_items, pending_items, critical_items, high_items, kev_items;
    for (const auto& [cve, s] : cves) {
        if (!s.open) {
            pending_cves.push_back(cve);
            pending_items.push_back(cve + ": " + s.pending->excerpt + ", within the " +
                                    std::to_string(grace_days) + "-day grace period");
            continue;
        }
        std::string item = cve + ": " + s.open->excerpt + ", " + rating(s);
        open_cves.push_back(cve);
        open_items.push_back(item);
        bool listed = kev.contains(cve);
        bool severe = s.cvss >= 9.0 || (s.cvss < 0 && s.impact == "critical");
        bool high = !severe && (s.cvss >= 7.0 || (s.cvss < 0 && s.impact == "important"));
        if (listed) {
            kev_cves.push_back(cve);
            std::string added = kev.date_added.at(cve);
            item += added.empty() ? ", KEV" : ", KEV since " + added;
            kev_items.push_back(item);
        }
        if (severe || (listed && kev_usable)) {
            critical_items.push_back(item);
            continue;  // counted as critical, not again as high
        }
        if (high) high_items.push_back(item);
    }
    std::string scope = "rhel " + major + ", " + std::to_string(packages->size()) + " packages, " +
                        std::to_string(oval.definitions.size()) +
                        " Red Hat advisories, OVAL data as of " + oval.data_date->iso();
    std::string not_counted =
        pending_items.empty() ? std::string()
                              : "; not counted (fix younger than " + std::to_string(grace_days) +
                                    " days): " + join_limited(pending_items, 4);
    auto excerpt = [&](const std::vector<std::string>& items, const std::string& none) {
        return items.empty() ? scope + ": " + none : join_limited(items, 8);
    };
    auto add = [&](const char* name, FactValue v, const std::string& file, std::string ex) {
        facts.add(Fact{name, std::move(v), Provenance{file, 0, "rhel-oval", std::move(ex)}, 0});
    };
    add("vulns.open_cves", open_cves, oval.file,
        excerpt(open_items, "no open CVE with a published fix") + not_counted);
    add("vulns.pending_cves", pending_cves, oval.file,
        excerpt(pending_items, "no CVE whose fix is younger than " + std::to_string(grace_days) +
                                   " days (Red Hat OVAL lists fixed CVEs only)"));
    add("vulns.high_count", static_cast<std::int64_t>(high_items.size()), oval.file,
        excerpt(high_items, "no open CVE rated high besides critical ones") + not_counted);
    if (!kev_usable) {
        no_verdict(kev_file, kev_why, kev_facts);
        return;
    }
    std::string none = "no open CVE is KEV-listed or has CVSS >= 9.0 (KEV catalog " +
                       (kev.catalog_version.empty() ? std::string() : kev.catalog_version + ", ") +
                       "data as of " + kev.data_date->iso() + ")";
    add("vulns.kev_cves", kev_cves, kev_file,
        excerpt(kev_items,
                "none of the open CVEs is in the KEV catalog" +
                    (kev.catalog_version.empty() ? std::string() : " " + kev.catalog_version)));
    add("vulns.critical_count", static_cast<std::int64_t>(critical_items.size()), oval.file,
        excerpt(critical_items, none) + not_counted);
}

}  // namespace grundscan
