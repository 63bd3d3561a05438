#include "scanner/enrich/windows_builds.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "scanner/core/text.hpp"

namespace grundscan {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

bool parse_number(std::string_view s, long long& out) {
    if (s.empty()) return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size() && out >= 0;
}

// "10.0.19045.5011" → (19045, 5011); "6.3.9600.22216" → (9600, 22216).
bool split_fixed_build(std::string_view v, long long& build, long long& ubr) {
    auto parts = text::split(text::trim(v), '.');
    if (parts.size() != 4) return false;
    long long major = 0, minor = 0;
    if (!parse_number(parts[0], major) || !parse_number(parts[1], minor)) return false;
    if (major != 10 && major != 6) return false;
    return parse_number(parts[2], build) && parse_number(parts[3], ubr) && build >= 7600;
}

std::string json_string(const json& obj, const char* key) {
    if (!obj.is_object()) return {};
    auto it = obj.find(key);
    if (it == obj.end()) return {};
    if (it->is_string()) return it->get<std::string>();
    if (it->is_object()) {  // CVRF {"Value": "..."}
        auto v = it->find("Value");
        if (v != it->end() && v->is_string()) return v->get<std::string>();
    }
    return {};
}

// "Windows 10 Version 22H2 for x64-based Systems" → "Windows 10 Version 22H2".
std::string short_product(std::string name) {
    for (const char* cut : {" for x64-based Systems", " for ARM64-based Systems",
                            " for 32-bit Systems", " for x64-based systems"}) {
        if (auto p = name.find(cut); p != std::string::npos) name.erase(p);
    }
    return name;
}

std::string json_error_line(const std::string& what, std::string_view text, std::size_t byte) {
    int line =
        1 + static_cast<int>(std::count(
                text.begin(),
                text.begin() + static_cast<std::ptrdiff_t>(std::min(byte, text.size())), '\n'));
    return what + " (line " + std::to_string(line) + ")";
}

std::string kb_label(std::string kb) {
    kb = std::string(text::trim(kb));
    if (kb.size() > 2 && (kb[0] == 'K' || kb[0] == 'k') && (kb[1] == 'B' || kb[1] == 'b'))
        kb = kb.substr(2);
    long long n = 0;
    if (!parse_number(kb, n) || kb.size() < 6 || kb.size() > 8) return {};
    return "KB" + kb;
}

}  // namespace

void WindowsBuildTable::add(WindowsBuildRelease r) {
    auto& list = builds[r.build];
    auto it = std::lower_bound(list.begin(), list.end(), r.ubr,
                               [](const WindowsBuildRelease& a, long long u) { return a.ubr < u; });
    if (it != list.end() && it->ubr == r.ubr) {
        if (r.date < it->date) *it = std::move(r);
        return;
    }
    if (r.date > newest) newest = r.date;
    list.insert(it, std::move(r));
}

Expected<std::vector<WindowsBuildRelease>> parse_windows_builds_json(std::string_view text,
                                                                     const std::string& file) {
    json j;
    try {
        j = json::parse(text);
    } catch (const json::parse_error& e) {
        return Error{json_error_line("invalid JSON", text, e.byte), file};
    }
    if (!j.is_object() || json_string(j, "format") != kWindowsBuildsFormat)
        return Error{std::string("not a Windows build table (\"format\": \"") +
                         kWindowsBuildsFormat + "\" missing)",
                     file};
    auto rel = j.find("releases");
    if (rel == j.end() || !rel->is_array()) return Error{"no \"releases\" array", file};
    std::vector<WindowsBuildRelease> out;
    std::size_t index = 0;
    for (const auto& r : *rel) {
        ++index;
        auto bad = [&](const std::string& why) {
            return Error{"release #" + std::to_string(index) + ": " + why, file};
        };
        if (!r.is_object()) return bad("not an object");
        WindowsBuildRelease w;
        if (!r.contains("build") || !r["build"].is_number_integer() || !r.contains("ubr") ||
            !r["ubr"].is_number_integer())
            return bad("\"build\" and \"ubr\" must be integers");
        w.build = r["build"].get<long long>();
        w.ubr = r["ubr"].get<long long>();
        if (w.build < 7600 || w.ubr < 0) return bad("build/ubr out of range");
        auto d = parse_iso_date(json_string(r, "date"));
        if (!d) return bad("\"date\" must be YYYY-MM-DD");
        w.date = *d;
        w.kb = kb_label(json_string(r, "kb"));
        w.product = json_string(r, "product");
        w.file = file;
        if (auto h = r.find("hotpatch"); h != r.end()) {
            if (!h->is_boolean()) return bad("\"hotpatch\" must be true or false");
            w.hotpatch = h->get<bool>();
        }
        out.push_back(std::move(w));
    }
    return out;
}

Expected<std::string> windows_builds_from_cvrf(std::string_view cvrf_json, const std::string& url) {
    json doc;
    try {
        doc = json::parse(cvrf_json);
    } catch (const json::parse_error& e) {
        return Error{json_error_line("invalid JSON (truncated or corrupt)", cvrf_json, e.byte),
                     url};
    }
    if (!doc.is_object() || !doc.contains("DocumentTracking") || !doc.contains("Vulnerability") ||
        !doc["Vulnerability"].is_array())
        return Error{"not an MSRC CVRF document (no DocumentTracking/Vulnerability)", url};
    auto date = parse_iso_date(json_string(doc["DocumentTracking"], "InitialReleaseDate"));
    if (!date) return Error{"CVRF document without DocumentTracking.InitialReleaseDate", url};

    std::map<std::string, std::string> products;  // ProductID → name
    if (auto pt = doc.find("ProductTree"); pt != doc.end() && pt->is_object()) {
        if (auto fp = pt->find("FullProductName"); fp != pt->end() && fp->is_array()) {
            for (const auto& p : *fp) {
                std::string id = json_string(p, "ProductID"), name = json_string(p, "Value");
                if (!id.empty()) products[id] = name;
            }
        }
    }
    // (build, ubr) → release; the same fix is listed under many CVEs.
    std::map<std::pair<long long, long long>, WindowsBuildRelease> found;
    for (const auto& v : doc["Vulnerability"]) {
        if (!v.is_object() || !v.contains("Remediations") || !v["Remediations"].is_array())
            continue;
        for (const auto& r : v["Remediations"]) {
            if (!r.is_object()) continue;
            const auto type = r.find("Type");
            bool vendor_fix = type != r.end() && ((type->is_number_integer() && *type == 2) ||
                                                  (type->is_string() && *type == "Vendor Fix"));
            if (!vendor_fix) continue;
            long long build = 0, ubr = 0;
            if (!split_fixed_build(json_string(r, "FixedBuild"), build, ubr)) continue;
            std::string kb = kb_label(json_string(r, "Description"));
            if (kb.empty()) continue;
            std::string product;
            if (auto ids = r.find("ProductID"); ids != r.end() && ids->is_array()) {
                for (const auto& id : *ids) {
                    if (!id.is_string()) continue;
                    auto p = products.find(id.get<std::string>());
                    if (p != products.end() && p->second.find("Windows") != std::string::npos) {
                        product = short_product(p->second);
                        break;
                    }
                }
            }
            if (product.empty()) continue;  // not a Windows product (e.g. Office builds)
            bool hotpatch =
                text::to_lower(json_string(r, "SubType")).find("hotpatch") != std::string::npos ||
                text::to_lower(product).find("hotpatch") != std::string::npos;
            auto& slot = found[{build, ubr}];
            if (slot.kb.empty() || kb > slot.kb)  // one KB per build and UBR
                slot = WindowsBuildRelease{build, ubr, kb, *date, product, url, hotpatch};
        }
    }
    if (found.empty()) return Error{"CVRF document names no Windows build (FixedBuild)", url};
    json out;
    out["format"] = kWindowsBuildsFormat;
    out["source"] = url;
    out["document"] = json_string(doc["DocumentTracking"]["Identification"], "ID");
    json releases = json::array();
    for (const auto& [key, r] : found) {
        json e = {{"build", r.build},
                  {"ubr", r.ubr},
                  {"kb", r.kb},
                  {"date", r.date.iso()},
                  {"product", r.product}};
        if (r.hotpatch) e["hotpatch"] = true;
        releases.push_back(std::move(e));
    }
    out["releases"] = std::move(releases);
    return out.dump(1) + "\n";
}

WindowsBuildTable load_windows_builds(const fs::path& dir) {
    WindowsBuildTable table;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return table;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        if (e.is_regular_file(ec) && e.path().extension() == ".json") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
        std::string shown = (dir.filename() / f.filename()).string();
        std::ifstream in(f, std::ios::binary);
        std::ostringstream ss;
        ss << in.rdbuf();
        auto parsed = parse_windows_builds_json(ss.str(), "feeds/" + shown);
        if (!parsed) {
            table.warnings.push_back(parsed.error().describe());
            continue;
        }
        table.files.push_back("feeds/" + shown);
        for (auto& r : *parsed) table.add(std::move(r));
    }
    return table;
}

// --- enrichment -----------------------------------------------------------------------------

namespace {

const std::string* string_fact(const FactSet& facts, const char* name) {
    const Fact* f = facts.find(name);
    return f ? std::get_if<std::string>(&f->value) : nullptr;
}

const std::int64_t* int_fact(const FactSet& facts, const char* name) {
    const Fact* f = facts.find(name);
    return f ? std::get_if<std::int64_t>(&f->value) : nullptr;
}

std::string level(long long build, long long ubr) {
    return std::to_string(build) + "." + std::to_string(ubr);
}

}  // namespace

void enrich_with_windows_build(FactSet& facts, const WindowsBuildTable& table, const Date& as_of) {
    const std::string* family = string_fact(facts, "os.family");
    const std::int64_t* build = int_fact(facts, "os.build");
    if (!family || *family != "windows" || !build) return;
    // No more updates are published for an OS out of support (GS-OPS113-OS-SUPPORTED says so).
    if (const std::string* phase = string_fact(facts, "os.support_phase");
        phase && *phase == "ended")
        return;
    auto issue = [&](std::string source, std::string message) {
        facts.add_issue(
            SourceIssue{std::move(source), "windows-builds", std::move(message), 0, false});
    };
    if (table.empty()) {
        issue("feeds/windows/",
              "no Windows build table in the feed directory: build currency not judged (run "
              "`grundscan feeds update`)");
        return;
    }
    auto b = table.builds.find(*build);
    // Releases of this build published up to the Stichtag (a scan --as-of in the past must
    // not count later updates as missing).
    std::vector<const WindowsBuildRelease*> releases;
    if (b != table.builds.end())
        for (const auto& r : b->second)
            if (r.date <= as_of) releases.push_back(&r);
    if (releases.empty()) {
        issue("feeds/windows/", "Windows build " + std::to_string(*build) +
                                    " is not in the build table: build currency not judged");
        return;
    }

    // Installed patch level: exported (windows-version), else derived from installed KBs.
    const Fact* level_fact = facts.find("os.patch_level");
    if (!level_fact) {
        const Fact* installed = facts.find("patches.installed");
        const auto* kbs = installed ? std::get_if<StringList>(&installed->value) : nullptr;
        const WindowsBuildRelease* best = nullptr;
        if (kbs) {
            std::set<std::string> have(kbs->begin(), kbs->end());
            for (const WindowsBuildRelease* r : releases)
                if (!r->kb.empty() && have.count(r->kb) && (!best || r->ubr > best->ubr)) best = r;
        }
        if (!best) {
            issue("", "update build revision (UBR) of Windows build " + std::to_string(*build) +
                          " unknown: no `ver` output or CurrentVersion registry export, and no "
                          "installed cumulative update from the build table: build currency not "
                          "judged");
            return;
        }
        Provenance p = installed->provenance;
        p.collector = "windows-builds";
        p.excerpt =
            best->kb + " installed → " + level(best->build, best->ubr) + " (" + best->file + ")";
        facts.add(Fact{"os.patch_level", level(best->build, best->ubr), p, 0});
        level_fact = facts.find("os.patch_level");
    }
    const auto* level_text = std::get_if<std::string>(&level_fact->value);
    const std::string level_value = level_text ? *level_text : std::string();
    auto parts = text::split(level_value, '.');  // views into level_value
    long long level_build = 0, ubr = 0;
    if (parts.size() != 2 || !parse_number(parts[0], level_build) || !parse_number(parts[1], ubr)) {
        issue(level_fact->provenance.source,
              "patch level \"" + level_value + "\" is not <build>.<UBR>");
        return;
    }
    auto where = [](const Provenance& p) {
        return p.source + (p.line > 0 ? ":" + std::to_string(p.line) : std::string());
    };
    if (level_build != *build) {
        const Fact* bf = facts.find("os.build");
        issue(level_fact->provenance.source,
              "build " + std::to_string(level_build) + " of the patch level (" +
                  where(level_fact->provenance) + ") differs from build " + std::to_string(*build) +
                  " (" + where(bf->provenance) +
                  "): exports from different times? build currency not judged");
        return;
    }
    facts.add(Fact{"os.ubr", static_cast<std::int64_t>(ubr), level_fact->provenance, 0});

    // A host on the hotpatch track has a hotpatch UBR; everyone else ignores hotpatch releases.
    bool hotpatch_host = std::any_of(releases.begin(), releases.end(),
                                     [&](const auto* r) { return r->hotpatch && r->ubr == ubr; });
    std::vector<const WindowsBuildRelease*> track;
    for (const WindowsBuildRelease* r : releases)
        if (hotpatch_host || !r->hotpatch) track.push_back(r);
    std::sort(track.begin(), track.end(), [](const auto* x, const auto* y) {
        return x->date != y->date ? x->date < y->date : x->ubr < y->ubr;
    });
    // The release installed: exact match, else the newest regular release below (e.g. a
    // preview update on top of it); nullptr when older than the table.
    const WindowsBuildRelease* at = nullptr;
    for (const WindowsBuildRelease* r : track)
        if (r->ubr == ubr || (!hotpatch_host && r->ubr < ubr && (!at || r->ubr > at->ubr))) at = r;
    // Missing: releases after the installed one (by UBR, or on the hotpatch track by date),
    // one per release day.
    std::vector<const WindowsBuildRelease*> missing;
    for (const WindowsBuildRelease* r : track) {
        bool newer = hotpatch_host ? r->date > at->date : r->ubr > ubr;
        if (newer && (missing.empty() || missing.back()->date != r->date)) missing.push_back(r);
    }
    const WindowsBuildRelease& latest = *track.back();
    const std::string prefix = *build >= 10240 ? "10.0." : *build >= 9600 ? "6.3." : "6.";
    Provenance prov{latest.file, 0, "windows-builds", ""};
    auto add = [&](const char* name, FactValue v, std::string excerpt) {
        Provenance p = prov;
        p.excerpt = std::move(excerpt);
        facts.add(Fact{name, std::move(v), p, 0});
    };
    const std::string installed = level(*build, ubr);
    const std::string latest_text =
        level(latest.build, latest.ubr) + " " + latest.kb + " " + latest.date.iso();
    if (at)
        add("os.patch_level_date", at->date.iso(),
            level(at->build, at->ubr) + " " + at->kb + " " + at->date.iso() +
                (at->hotpatch ? " (hotpatch)" : ""));
    add("os.latest_patch_level", level(latest.build, latest.ubr), latest_text);
    add("os.latest_patch_level_date", latest.date.iso(), latest_text);

    // The build's own newest release decides whether "nothing newer" can be vouched for.
    const bool build_current = days_between(latest.date, as_of) <= kWindowsBuildTableGraceDays;
    const std::string source = " (" + where(level_fact->provenance) + ")";
    if (missing.empty() && !build_current) {
        issue(latest.file, "the build table's newest release of build " + std::to_string(*build) +
                               " is " + latest_text + "; installed " + installed + source +
                               " is not older, but newer releases may exist: build currency "
                               "not judged (run `grundscan feeds update`)");
        return;
    }
    std::string excerpt = prefix + installed + " installed" + source;
    if (!missing.empty()) {
        const WindowsBuildRelease& first = *missing.front();
        excerpt += "; missing " + std::to_string(missing.size()) + " update(s), first " + first.kb +
                   " (" + level(first.build, first.ubr) + ") from " + first.date.iso() +
                   "; newest " + latest.kb + " (" + level(latest.build, latest.ubr) + ")";
        if (!at)
            excerpt += "; installed level older than the table (" + track.front()->date.iso() +
                       "): at least";
        if (!build_current)
            excerpt += "; table for this build ends " + latest.date.iso() + ": at least";
    } else if (ubr > latest.ubr && !hotpatch_host) {
        excerpt += ", newer than the newest known " + latest.kb + " (" +
                   level(latest.build, latest.ubr) + ")";
    } else {
        excerpt += " = newest " + latest.kb;
    }
    add("os.updates_behind", static_cast<std::int64_t>(missing.size()), excerpt);
    long long days =
        missing.empty() ? 0 : std::max(0LL, days_between(missing.front()->date, as_of));
    add("os.update_days_behind", static_cast<std::int64_t>(days),
        excerpt + ", Stichtag " + as_of.iso());
}

}  // namespace grundscan
