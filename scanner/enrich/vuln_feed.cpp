#include "scanner/enrich/vuln_feed.hpp"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
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

using json = nlohmann::json;

int line_of_byte(std::string_view text, std::size_t byte) {
    byte = std::min(byte, text.size());
    return 1 + static_cast<int>(std::count(text.begin(), text.begin() + byte, '\n'));
}

std::string str_member(const json& obj, const char* key) {
    auto it = obj.find(key);
    if (it == obj.end()) return {};
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number_integer()) return std::to_string(it->get<long long>());
    return {};
}

// Parses `text`, dropping values of keys the enrichment never reads (below the top level).
Expected<json> parse_json(std::string_view text, const std::string& file, bool drop_tracker_text) {
    json::parser_callback_t cb = [drop_tracker_text](int depth, json::parse_event_t event,
                                                     json& parsed) {
        if (!drop_tracker_text || depth < 2 || event != json::parse_event_t::key) return true;
        const auto& k = parsed.get_ref<const std::string&>();
        return k != "description" && k != "repositories" && k != "scope" && k != "debianbug";
    };
    try {
        return json::parse(text, cb);
    } catch (const json::parse_error& e) {
        std::string msg = e.what();
        auto pos = msg.find("parse error");
        if (pos != std::string::npos) msg = msg.substr(pos);
        return Error{"invalid JSON: " + msg, file, line_of_byte(text, e.byte ? e.byte - 1 : 0)};
    }
}

Expected<std::string> read_file(const fs::path& path, const std::string& shown, const char* what) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {
        return Error{std::string(what) + " not found (grundscan feeds update fetches it)", shown};
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error{std::string("cannot read ") + what, shown};
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}
bool is_high(const std::string& urgency) {
    return urgency.starts_with("high");
}

}  // namespace

Expected<DebianTracker> parse_debian_tracker(std::string_view text, const std::string& file) {
    auto parsed = parse_json(text, file, true);
    if (!parsed) return parsed.error();
    const json& root = *parsed;
    if (!root.is_object()) return Error{"not a Debian security tracker file (no object)", file, 1};
    DebianTracker out;
    out.file = file;
    for (auto pkg = root.begin(); pkg != root.end(); ++pkg) {
        if (!pkg.value().is_object()) continue;
        auto& cves = out.packages[pkg.key()];
        for (auto cve = pkg.value().begin(); cve != pkg.value().end(); ++cve) {
            if (!cve.value().is_object()) continue;
            auto rel = cve.value().find("releases");
            if (rel == cve.value().end() || !rel->is_object()) continue;
            for (auto r = rel->begin(); r != rel->end(); ++r) {
                if (!r.value().is_object()) continue;
                TrackerRelease e{str_member(r.value(), "status"),
                                 str_member(r.value(), "fixed_version"),
                                 str_member(r.value(), "urgency")};
                out.codenames.insert(r.key());
                cves[cve.key()][r.key()] = std::move(e);
                ++out.entries;
            }
        }
    }
    if (!root.empty() && out.entries == 0) {
        return Error{"not a Debian security tracker file (no package/CVE/releases entries)", file,
                     1};
    }
    return out;
}

Expected<KevCatalog> parse_kev(std::string_view text, const std::string& file) {
    auto parsed = parse_json(text, file, false);
    if (!parsed) return parsed.error();
    const json& root = *parsed;
    if (!root.is_object()) return Error{"not a KEV catalog (no object)", file, 1};
    auto vulns = root.find("vulnerabilities");
    if (vulns == root.end() || !vulns->is_array()) {
        return Error{"not a KEV catalog (no 'vulnerabilities' list)", file, 1};
    }
    KevCatalog out;
    out.file = file;
    out.catalog_version = str_member(root, "catalogVersion");
    if (auto d = parse_iso_date(str_member(root, "dateReleased"))) {
        out.data_date = d;
    } else {
        std::string dotted = out.catalog_version;
        std::replace(dotted.begin(), dotted.end(), '.', '-');
        out.data_date = parse_iso_date(dotted);
    }
    for (const auto& v : *vulns) {
        if (!v.is_object()) continue;
        std::string id = str_member(v, "cveID");
        if (!id.empty()) out.date_added[id] = str_member(v, "dateAdded");
    }
    return out;
}

Expected<DebianTracker> load_debian_tracker(const fs::path& path) {
    std::string shown = shown_name(path);
    auto text = read_file(path, shown, "Debian security tracker feed");
    if (!text) return text.error();
    return parse_debian_tracker(*text, shown);
}

Expected<KevCatalog> load_kev(const fs::path& path) {
    std::string shown = shown_name(path);
    auto text = read_file(path, shown, "CISA KEV catalog");
    if (!text) return text.error();
    return parse_kev(*text, shown);
}

std::optional<std::string> debian_codename(std::string_view version_id) {
    std::string_view major = text::trim(version_id);
    major = major.substr(0, major.find('.'));
    static const std::map<std::string_view, std::string> names{
        {"8", "jessie"},    {"9", "stretch"}, {"10", "buster"}, {"11", "bullseye"},
        {"12", "bookworm"}, {"13", "trixie"}, {"14", "forky"}};
    auto it = names.find(major);
    if (it == names.end()) return std::nullopt;
    return it->second;
}

std::vector<VulnMatch> match_debian_vulns(const StringMap& packages, const StringMap& sources,
                                          const DebianTracker& tracker, const std::string& codename,
                                          const KevCatalog& kev) {
    std::vector<VulnMatch> out;
    for (const auto& [binary, installed] : packages) {
        std::string source;
        if (auto s = sources.find(binary); s != sources.end()) {
            source = s->second;
        } else {
            source = binary.substr(0, binary.find(':'));  // "libc6:i386" → "libc6"
        }
        auto pkg = tracker.packages.find(source);
        if (pkg == tracker.packages.end()) continue;
        for (const auto& [cve, releases] : pkg->second) {
            auto rel = releases.find(codename);
            if (rel == releases.end()) continue;
            const TrackerRelease& e = rel->second;
            VulnMatch m{cve, binary, source, installed, e, false, false, {}};
            std::string name = binary.substr(0, binary.find(':'));
            if (e.status == "resolved" && e.fixed_version == "0") {
                m.excerpt = name + " " + installed + ": not affected (" + cve + ")";
            } else if (e.status == "resolved" || (e.status == "open" && !e.fixed_version.empty())) {
                if (e.fixed_version.empty()) {
                    m.excerpt = name + " " + installed + ": resolved without version (" + cve + ")";
                } else if (compare_debian_versions(installed, e.fixed_version) < 0) {
                    m.open = true;
                    m.excerpt = name + " " + installed + " < " + e.fixed_version + " (" + cve + ")";
                } else {
                    m.excerpt =
                        name + " " + installed + " >= " + e.fixed_version + " (" + cve + ")";
                }
            } else if (e.status == "open" && e.urgency == "end-of-life") {
                m.open = true;  // no security support any more: no fix will come
                m.excerpt = name + " " + installed + ": no fix in " + codename +
                            ", end of security support (" + cve + ")";
            } else if (e.status == "open") {
                m.pending = true;
                m.excerpt =
                    name + " " + installed + ": no fix yet in " + codename + " (" + cve + ")";
            } else {
                m.excerpt = name + " " + installed + ": status " + e.status + " (" + cve + ")";
            }
            if ((m.open || m.pending) && e.urgency == "unimportant" && !kev.contains(cve)) {
                m.open = m.pending = false;
                m.excerpt += ", unimportant";
            }
            out.push_back(std::move(m));
        }
    }
    std::sort(out.begin(), out.end(), [](const VulnMatch& a, const VulnMatch& b) {
        return std::tie(a.cve, a.binary) < std::tie(b.cve, b.binary);
    });
    return out;
}

void enrich_with_vulns(FactSet& facts, const DebianTracker& tracker, const KevCatalog& kev,
                       const Date& as_of, int max_age_days) {
    std::string id = fact_string(facts, "os.id");
    if (id.empty() || id == "windows" || id == "windows-server") return;
    if (id == "rhel") return;  // Red Hat's own data: enrich_with_rhel_vulns (rhel_oval.hpp)
    if (id != "debian") {
        facts.add_issue(SourceIssue{
            "feeds", "debian-tracker",
            "no package vulnerability check for '" + id +
                "': the Debian security tracker covers Debian only and Red Hat OVAL RHEL only "
                "(vulns.* facts need an imported scanner report)",
            0, false});
        return;
    }
    const Fact* pk = facts.find("packages");
    const auto* packages = pk ? std::get_if<StringMap>(&pk->value) : nullptr;
    if (!packages || fact_string(facts, "packages.manager") != "dpkg") return;  // no evidence
    static const std::vector<std::string> all_vuln_facts{"vulns.open_cves", "vulns.pending_cves",
                                                         "vulns.high_count", "vulns.kev_cves",
                                                         "vulns.critical_count"};
    std::string version = fact_string(facts, "os.version");
    auto codename = debian_codename(version);
    if (!codename) {
        facts.add_issue(SourceIssue{tracker.file, "debian-tracker",
                                    "unknown Debian version '" + version +
                                        "': no release codename for the security tracker",
                                    0, false, all_vuln_facts});
        return;
    }
    std::string tracker_shown =
        tracker.file.empty() ? "debian/security-tracker.json" : tracker.file;
    static const std::vector<std::string> kev_facts{"vulns.kev_cves", "vulns.critical_count"};
    auto no_verdict = [&](const std::string& file, const std::string& why,
                          const std::vector<std::string>& explains) {
        facts.add_issue(SourceIssue{file, "debian-tracker", why, 0, false, explains});
    };
    // Why a feed's data cannot vouch for the Stichtag, or "" when it can.
    auto too_old = [&](const std::optional<Date>& date, const char* what) -> std::string {
        if (!date)
            return std::string(
                       "Datenstand unbekannt/data date unknown: nothing records how "
                       "current the ") +
                   what + " is (run grundscan feeds update)";
        long long age = days_between(*date, as_of);
        if (age <= max_age_days) return {};
        return std::string("veraltet/stale: ") + what + " data as of " + date->iso() + " is " +
               std::to_string(age) + " days old at the Stichtag " + as_of.iso() + " (limit " +
               std::to_string(max_age_days) + " days; run grundscan feeds update)";
    };
    bool complete = tracker.coverage == "complete" ||
                    std::find(tracker.complete_for.begin(), tracker.complete_for.end(),
                              *codename) != tracker.complete_for.end();
    if (!complete) {
        no_verdict(tracker_shown,
                   tracker.coverage == "excerpt"
                       ? "Auszug/excerpt: the Debian security tracker feed covers only " +
                             (tracker.coverage_note.empty() ? std::string("some packages")
                                                            : tracker.coverage_note) +
                             ", not every package of Debian " + *codename +
                             ": no vulnerability verdict (grundscan feeds update fetches the "
                             "full tracker)"
                       : "Abdeckung unbekannt/coverage unknown: nothing records that the Debian "
                         "security tracker feed is complete for Debian " +
                             *codename +
                             " (no feeds update record, no snapshot metadata): no "
                             "vulnerability verdict (run grundscan feeds update)",
                   all_vuln_facts);
        return;
    }
    if (auto why = too_old(tracker.data_date, "Debian security tracker"); !why.empty()) {
        no_verdict(tracker_shown, why + ": no vulnerability verdict", all_vuln_facts);
        return;
    }
    if (!tracker.codenames.contains(*codename)) {
        no_verdict(tracker_shown,
                   "the security tracker feed has no entries for Debian " + *codename +
                       " (excerpt or outdated feed: run grundscan feeds update)",
                   all_vuln_facts);
        return;
    }
    static const StringMap no_sources;
    const Fact* sf = facts.find("packages.sources");
    const auto* sources = sf ? std::get_if<StringMap>(&sf->value) : nullptr;
    auto matches =
        match_debian_vulns(*packages, sources ? *sources : no_sources, tracker, *codename, kev);

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

    // One excerpt item per CVE: the binary named like its source package if installed. A CVE
    // open for one package and pending for another is open.
    auto pick = [](std::map<std::string, const VulnMatch*>& into, const VulnMatch& m) {
        auto& slot = into[m.cve];
        if (!slot || (m.binary == m.source && slot->binary != slot->source)) slot = &m;
    };
    std::map<std::string, const VulnMatch*> open, pending;
    for (const auto& m : matches) {
        if (m.open) pick(open, m);
    }
    for (const auto& m : matches) {
        if (m.pending && !open.contains(m.cve)) pick(pending, m);
    }
    StringList open_cves, kev_cves, pending_cves;
    std::vector<std::string> open_items, kev_items, high_items, pending_items;
    for (const auto& [cve, m] : open) {
        open_cves.push_back(cve);
        open_items.push_back(m->excerpt);
        if (kev.contains(cve)) {
            kev_cves.push_back(cve);
            std::string added = kev.date_added.at(cve);
            kev_items.push_back(m->excerpt + (added.empty() ? ", KEV" : ", KEV since " + added));
            if (kev_usable) continue;  // counted as critical, not again as high
        }
        if (is_high(m->entry.urgency)) high_items.push_back(m->excerpt + ", " + m->entry.urgency);
    }
    for (const auto& [cve, m] : pending) {
        pending_cves.push_back(cve);
        pending_items.push_back(m->excerpt + (kev.contains(cve) ? ", KEV-listed" : ""));
    }
    std::string scope = "debian " + *codename + ", " + std::to_string(packages->size()) +
                        " packages, " + std::to_string(matches.size()) +
                        " tracker entries, tracker data as of " + tracker.data_date->iso();
    // Counts also say what they leave out, so a pass shows the CVEs that wait for a fix.
    std::string not_counted = pending_items.empty()
                                  ? std::string()
                                  : "; not counted (no fix yet): " + join_limited(pending_items, 4);
    auto excerpt = [&](const std::vector<std::string>& items, const std::string& none) {
        return items.empty() ? scope + ": " + none : join_limited(items, 8);
    };
    auto add = [&](const char* name, FactValue v, const std::string& file, std::string ex) {
        facts.add(
            Fact{name, std::move(v), Provenance{file, 0, "debian-tracker", std::move(ex)}, 0});
    };
    add("vulns.open_cves", open_cves, tracker.file,
        excerpt(open_items, "no open CVE with a fix") + not_counted);
    add("vulns.pending_cves", pending_cves, tracker.file,
        excerpt(pending_items,
                "no CVE waiting for a fix (the tracker has no publication dates: no grace "
                "period applies)"));
    add("vulns.high_count", static_cast<std::int64_t>(high_items.size()), tracker.file,
        excerpt(high_items, kev_usable ? "no open CVE with urgency high besides KEV-listed ones"
                                       : "no open CVE with urgency high") +
            not_counted);

    if (!kev_usable) {
        no_verdict(kev_file, kev_why, kev_facts);
        return;
    }
    std::string kev_none = "none of the open CVEs is in the KEV catalog" +
                           (kev.catalog_version.empty() ? "" : " " + kev.catalog_version) +
                           " (data as of " + kev.data_date->iso() + ")";
    add("vulns.kev_cves", kev_cves, kev_file, excerpt(kev_items, kev_none));
    add("vulns.critical_count", static_cast<std::int64_t>(kev_cves.size()), kev_file,
        excerpt(kev_items, kev_none) + not_counted);
}

}  // namespace grundscan
