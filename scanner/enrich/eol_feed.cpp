#include "scanner/enrich/eol_feed.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "scanner/core/text.hpp"

namespace grundscan {

namespace fs = std::filesystem;

const EolCycle* EolProduct::find(const std::string& cycle) const {
    for (const auto& c : cycles)
        if (text::iequals(c.cycle, cycle)) return &c;
    return nullptr;
}

const EolProduct* EolFeed::find(const std::string& product) const {
    auto it = products.find(product);
    return it == products.end() ? nullptr : &it->second;
}

namespace {

// Reads a YAML scalar that is either a date or a boolean.
void read_date_or_bool(const YAML::Node& n, std::optional<Date>& date, bool* is_false) {
    if (!n || !n.IsScalar()) return;
    auto s = n.as<std::string>();
    if (s == "false") {
        if (is_false) *is_false = true;
        return;
    }
    date = parse_iso_date(s);
}

void read_json_date(const nlohmann::json& obj, const char* key, std::optional<Date>& date,
                    bool* is_false) {
    auto it = obj.find(key);
    if (it == obj.end()) return;
    if (it->is_boolean()) {
        if (is_false && !it->get<bool>()) *is_false = true;
    } else if (it->is_string()) {
        date = parse_iso_date(it->get<std::string>());
    }
}

// Keeps the newest date up to today in `newest`.
void note_date(std::optional<Date>& newest, const std::optional<Date>& d) {
    static const Date today = today_utc();
    if (d && *d <= today && (!newest || *d > *newest)) newest = d;
}

}  // namespace

Expected<EolProduct> parse_eol_product_markdown(std::string_view text, const std::string& product,
                                                const std::string& file) {
    auto lines = text::split_lines(text);
    if (lines.empty() || text::trim(lines[0]) != "---") {
        return Error{"not an endoflife.date product page (no front matter)", file, 1};
    }
    std::size_t end = 1;
    while (end < lines.size() && text::trim(lines[end]) != "---") ++end;
    if (end == lines.size()) return Error{"front matter not closed with ---", file, 1};
    std::string yaml;
    for (std::size_t i = 1; i < end; ++i) {
        yaml.append(lines[i]);
        yaml.push_back('\n');
    }
    EolProduct out{product, file, {}, std::nullopt};
    try {
        YAML::Node root = YAML::Load(yaml);
        // Only `releases:` holds data; the optional `auto:` block maps column names.
        YAML::Node releases = root["releases"];
        if (!releases || !releases.IsSequence()) return Error{"no 'releases' list", file, 1};
        for (const auto& r : releases) {
            EolCycle c;
            if (!r["releaseCycle"]) continue;
            c.cycle = r["releaseCycle"].as<std::string>();
            c.line = r.Mark().line + 2;  // +1 for 1-based, +1 for the leading '---'
            read_date_or_bool(r["releaseDate"], c.release_date, nullptr);
            read_date_or_bool(r["eol"], c.eol, &c.eol_false);
            read_date_or_bool(r["eoes"], c.extended, nullptr);
            if (r["latest"] && r["latest"].IsScalar()) c.latest = r["latest"].as<std::string>();
            std::optional<Date> latest_date;
            read_date_or_bool(r["latestReleaseDate"], latest_date, nullptr);
            note_date(out.newest_date, c.release_date);
            note_date(out.newest_date, latest_date);
            out.cycles.push_back(std::move(c));
        }
    } catch (const YAML::Exception& e) {
        return Error{"invalid YAML front matter: " + e.msg, file, e.mark.line + 2};
    }
    return out;
}

Expected<EolProduct> parse_eol_release_json(std::string_view text, const std::string& product,
                                            const std::string& file) {
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return Error{"invalid JSON", file};
    auto rel = j.find("releases");
    if (rel == j.end() || !rel->is_object()) return Error{"no 'releases' object", file};
    EolProduct out{product, file, {}, std::nullopt};
    for (auto it = rel->begin(); it != rel->end(); ++it) {
        if (!it.value().is_object()) continue;
        EolCycle c;
        c.cycle = it.key();
        read_json_date(it.value(), "releaseDate", c.release_date, nullptr);
        read_json_date(it.value(), "eol", c.eol, &c.eol_false);
        read_json_date(it.value(), "eoes", c.extended, nullptr);
        note_date(out.newest_date, c.release_date);
        out.cycles.push_back(std::move(c));
    }
    if (auto v = j.find("versions"); v != j.end() && v->is_object()) {
        for (const auto& [name, version] : v->items()) {
            if (!version.is_object()) continue;
            std::optional<Date> d;
            read_json_date(version, "date", d, nullptr);
            note_date(out.newest_date, d);
        }
    }
    return out;
}

// Helpers for the endoflife.date v0 API files (<product>.api.json), defined at the end.
static bool is_eol_api_file(const fs::path& f);
static std::string eol_api_product(const fs::path& f);
static void merge_eol_api_products(
    EolFeed& feed, std::map<std::string, std::pair<EolProduct, fs::file_time_type>>& api,
    const std::map<std::string, fs::file_time_type>& snapshot_time);

EolFeed load_eol_feed(const fs::path& dir) {
    EolFeed feed;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        feed.warnings.push_back(dir.string() + ": end-of-life feed directory not found");
        return feed;
    }
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        if (e.is_regular_file(ec)) files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    std::map<std::string, std::pair<EolProduct, fs::file_time_type>> api_products;
    std::map<std::string, fs::file_time_type> snapshot_time;
    for (const auto& f : files) {
        auto ext = f.extension().string();
        bool api = is_eol_api_file(f);
        if (!api && ext != ".md" && ext != ".json") continue;
        std::ifstream in(f, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        std::string product = api ? eol_api_product(f) : f.stem().string();
        // Shown as evidence: "feeds/endoflife/debian.md", not the local absolute path.
        std::string shown = (dir.parent_path().filename() / dir.filename() / f.filename()).string();
        auto parsed = api            ? parse_eol_api_json(ss.str(), product, shown)
                      : ext == ".md" ? parse_eol_product_markdown(ss.str(), product, shown)
                                     : parse_eol_release_json(ss.str(), product, shown);
        if (!parsed) {
            feed.warnings.push_back(parsed.error().describe());
            continue;
        }
        if (api) {  // `feeds update` download; compared with the snapshot below
            api_products[product] = {std::move(*parsed), fs::last_write_time(f, ec)};
            continue;
        }
        auto& slot = feed.products[product];
        if (slot.cycles.empty()) {  // first non-empty snapshot file in name order wins
            slot = std::move(*parsed);
            snapshot_time[product] = fs::last_write_time(f, ec);
        }
    }
    merge_eol_api_products(feed, api_products, snapshot_time);
    return feed;
}

std::optional<EolLookup> eol_lookup_for(const FactSet& facts) {
    auto get = [&](const char* name) -> std::string {
        const Fact* f = facts.find(name);
        if (!f) return {};
        if (auto s = std::get_if<std::string>(&f->value)) return *s;
        if (auto i = std::get_if<std::int64_t>(&f->value)) return std::to_string(*i);
        return {};
    };
    std::string id = get("os.id");
    if (id.empty()) return std::nullopt;
    EolLookup out;
    if (id == "windows") {
        out.product = "windows";
        std::string rel = text::to_lower(get("os.release"));
        std::string build = get("os.build");
        long long b = 0;
        text::parse_int(build, b);
        std::string edition = get("os.edition");
        if (rel == "sp1" || b == 7601) {
            out.cycles = {"7-sp1"};
        } else if (rel == "8.1" || b == 9600) {
            out.cycles = {"8.1"};
        } else if (!rel.empty() && b >= 10240) {
            std::string major = b >= 22000 ? "11" : "10";
            std::string base = major + "-" + rel;
            bool ent = edition == "enterprise" || edition == "education";
            if (edition == "ltsc") out.cycles.push_back(base + "-e-lts");
            if (edition == "iot") out.cycles.push_back(base + "-iot-lts");
            out.cycles.push_back(base + (ent || edition == "ltsc" ? "-e" : "-w"));
            out.cycles.push_back(base);
        } else {
            return std::nullopt;
        }
        return out;
    }
    if (id == "windows-server") {
        out.product = "windows-server";
        std::string rel = text::to_lower(get("os.release"));  // "2022", "2012 R2", "2008 R2 SP1"
        if (rel.empty()) return std::nullopt;
        std::replace(rel.begin(), rel.end(), ' ', '-');
        out.cycles = {rel};
        return out;
    }
    out.product = id == "opensuse-leap" ? "opensuse" : id;
    std::string version = get("os.version");
    if (version.empty()) return std::nullopt;
    out.cycles.push_back(version);
    auto dot = version.find('.');
    if (dot != std::string::npos && id != "ubuntu") out.cycles.push_back(version.substr(0, dot));
    return out;
}

void enrich_with_eol(FactSet& facts, const EolFeed& feed, const Date& as_of) {
    auto lookup = eol_lookup_for(facts);
    if (!lookup) return;  // no OS facts: the OS rules report no evidence themselves
    const EolProduct* product = feed.find(lookup->product);
    if (!product) {
        facts.add_issue(SourceIssue{"feeds", "eol-feed",
                                    "no end-of-life data for product '" + lookup->product + "'", 0,
                                    false});
        return;
    }
    const EolCycle* cycle = nullptr;
    for (const auto& c : lookup->cycles) {
        if ((cycle = product->find(c))) break;
    }
    if (!cycle) {
        std::string tried;
        for (const auto& c : lookup->cycles) tried += (tried.empty() ? "" : ", ") + c;
        facts.add_issue(SourceIssue{
            product->file, "eol-feed",
            "release cycle not found in end-of-life data (tried " + tried + ")", 0, false});
        return;
    }
    Provenance prov{product->file, cycle->line, "eol-feed", ""};
    auto add = [&](const char* name, FactValue v, std::string excerpt) {
        Provenance p = prov;
        p.excerpt = std::move(excerpt);
        facts.add(Fact{name, std::move(v), p, 0});
    };
    std::string label = lookup->product + " " + cycle->cycle;
    add("os.eol_cycle", cycle->cycle, label);
    if (cycle->extended)
        add("os.extended_support_until", cycle->extended->iso(),
            label + ": eoes " + cycle->extended->iso());
    if (cycle->eol) {
        long long days = days_between(as_of, *cycle->eol);
        add("os.eol_date", cycle->eol->iso(), label + ": eol " + cycle->eol->iso());
        add("os.days_until_eol", static_cast<std::int64_t>(days),
            label + ": eol " + cycle->eol->iso());
        add("os.supported", days >= 0,
            label + ": eol " + cycle->eol->iso() + ", Stichtag " + as_of.iso());
        std::string phase = days >= 0                                      ? "regular"
                            : cycle->extended && *cycle->extended >= as_of ? "extended"
                                                                           : "ended";
        add("os.support_phase", phase,
            label + ": eol " + cycle->eol->iso() +
                (cycle->extended ? ", eoes " + cycle->extended->iso() : std::string()) +
                ", Stichtag " + as_of.iso());
    } else if (cycle->eol_false) {
        add("os.supported", true, label + ": eol false (no end announced)");
        add("os.support_phase", std::string("regular"), label + ": eol false (no end announced)");
    }
}

// --- endoflife.date v0 API (`grundscan feeds update`) ----------------------------------------

Expected<EolProduct> parse_eol_api_json(std::string_view text, const std::string& product,
                                        const std::string& file) {
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded()) return Error{"invalid JSON (truncated or corrupt)", file};
    if (!j.is_array()) return Error{"not an endoflife.date API response (no JSON array)", file};
    EolProduct out{product, file, {}, std::nullopt};
    for (const auto& r : j) {
        if (!r.is_object()) continue;
        auto cyc = r.find("cycle");
        if (cyc == r.end()) continue;
        EolCycle c;
        if (cyc->is_string())
            c.cycle = cyc->get<std::string>();
        else if (cyc->is_number())
            c.cycle = cyc->dump();  // some products give numeric cycles (e.g. 12)
        else
            continue;
        if (c.cycle.empty()) continue;
        read_json_date(r, "releaseDate", c.release_date, nullptr);
        read_json_date(r, "eol", c.eol, &c.eol_false);  // eol: true (no date) gives neither
        read_json_date(r, "extendedSupport", c.extended, nullptr);
        if (auto l = r.find("latest"); l != r.end() && l->is_string())
            c.latest = l->get<std::string>();
        std::optional<Date> latest_date;
        read_json_date(r, "latestReleaseDate", latest_date, nullptr);
        note_date(out.newest_date, c.release_date);
        note_date(out.newest_date, latest_date);
        out.cycles.push_back(std::move(c));
    }
    if (out.cycles.empty() && !j.empty()) return Error{"no release cycles with 'cycle'", file};
    return out;
}

static bool is_eol_api_file(const fs::path& f) {
    auto name = f.filename().string();
    return name.size() > 9 && name.ends_with(".api.json");
}

static std::string eol_api_product(const fs::path& f) {
    auto name = f.filename().string();
    return name.substr(0, name.size() - 9);
}

// An API download replaces the snapshot (.md/.json) of the same product unless the snapshot
// file is newer (modification time); products only in the API files are added.
static void merge_eol_api_products(
    EolFeed& feed, std::map<std::string, std::pair<EolProduct, fs::file_time_type>>& api,
    const std::map<std::string, fs::file_time_type>& snapshot_time) {
    for (auto& [product, entry] : api) {
        auto& slot = feed.products[product];
        auto snap = snapshot_time.find(product);
        if (slot.cycles.empty() || snap == snapshot_time.end() || entry.second >= snap->second)
            slot = std::move(entry.first);
    }
}

}  // namespace grundscan

// --- extended support: evidence that the Kommune actually receives it ------------------------

namespace grundscan {

namespace {

std::string fact_text(const FactSet& facts, const char* name) {
    const Fact* f = facts.find(name);
    const auto* s = f ? std::get_if<std::string>(&f->value) : nullptr;
    return s ? *s : std::string();
}

}  // namespace

std::optional<Date> windows_esu_year_end(const FactSet& facts, int year) {
    // Last Patch Tuesday covered by ESU year 1, 2, 3 (4: Server 2008/R2 on Azure only).
    struct Programme {
        const char* product;
        const char* cycle_prefix;
        std::vector<const char*> ends;
    };
    static const std::vector<Programme> programmes = {
        {"windows", "10-", {"2026-10-13", "2027-10-12", "2028-10-10"}},
        {"windows", "7", {"2021-01-12", "2022-01-11", "2023-01-10"}},
        {"windows-server", "2012", {"2024-10-08", "2025-10-14", "2026-10-13"}},
        {"windows-server", "2008", {"2021-01-12", "2022-01-11", "2023-01-10", "2024-01-09"}},
    };
    auto lookup = eol_lookup_for(facts);
    std::string cycle = fact_text(facts, "os.eol_cycle");
    if (!lookup || cycle.empty() || year < 1) return std::nullopt;
    for (const auto& p : programmes) {
        if (lookup->product != p.product || cycle.rfind(p.cycle_prefix, 0) != 0) continue;
        if (static_cast<std::size_t>(year) > p.ends.size()) return std::nullopt;
        return parse_iso_date(p.ends[static_cast<std::size_t>(year) - 1]);
    }
    return std::nullopt;
}

void enrich_with_extended_support(FactSet& facts, const ExtendedSupportDecl* decl,
                                  const Date& as_of) {
    std::string phase = fact_text(facts, "os.support_phase");
    if (phase.empty() || phase == "regular") return;
    auto lookup = eol_lookup_for(facts);
    if (!lookup) return;
    auto feed_end = parse_iso_date(fact_text(facts, "os.extended_support_until"));
    const Fact* feed_end_fact = facts.find("os.extended_support_until");
    auto issue = [&](std::string source, int line, std::string message) {
        facts.add_issue(
            SourceIssue{std::move(source), "extended-support", std::move(message), line, false});
    };
    auto evidence = [&](const char* how, Provenance p) {
        p.collector = "extended-support";
        facts.add(Fact{"os.extended_support_evidence", std::string(how), std::move(p), 0});
    };

    // The declaration, if it counts on `as_of`.
    const ExtendedSupportDecl* valid = nullptr;
    bool beyond_feed = false;
    if (decl) {
        std::string where = decl->file + ":" + std::to_string(decl->line);
        beyond_feed = !feed_end || decl->until > *feed_end;
        if (decl->until < as_of) {
            issue(decl->file, decl->line,
                  "extended_support (" + decl->contract + ") ended " + decl->until.iso() +
                      ", before the Stichtag " + as_of.iso() + ": it does not count");
        } else if (beyond_feed && decl->note.empty()) {
            issue(decl->file, decl->line,
                  "extended_support until " + decl->until.iso() + " is after the end of " +
                      "extended support in the end-of-life feed (" +
                      (feed_end ? feed_end->iso() : std::string("none listed")) +
                      "): correct 'until' or document the contract in 'note:'; ignored");
        } else {
            valid = decl;
        }
    }
    auto declared = [&](const ExtendedSupportDecl& d) {
        return Provenance{d.file, d.line, "",
                          std::string("extended_support until ") + d.until.iso() + ", contract: " +
                              d.contract + (d.note.empty() ? std::string() : ", note: " + d.note) +
                              (d.inherited ? " (municipality)" : "")};
    };

    if (phase == "ended") {
        // Only a documented contract beyond the feed's end (e.g. Debian ELTS) reopens support.
        if (valid && beyond_feed) {
            Provenance p = declared(*valid);
            p.collector = "eol-feed";
            p.excerpt += "; feed: extended support ended " +
                         (feed_end ? feed_end->iso() : std::string("(none listed)"));
            facts.add(Fact{"os.support_phase", std::string("extended"), p, 1});
            evidence("inventory", declared(*valid));
        }
        return;
    }
    if (phase != "extended") return;

    if (lookup->product == "debian") {
        Provenance p = feed_end_fact ? feed_end_fact->provenance : Provenance{};
        p.excerpt = "Debian LTS (free, community-run, in the standard security archive) until " +
                    (feed_end ? feed_end->iso() : std::string("?")) + "; " + p.excerpt;
        evidence("debian-lts", std::move(p));
        return;
    }
    if (const Fact* esu = facts.find("os.esu_licenses");
        esu && (lookup->product == "windows" || lookup->product == "windows-server")) {
        const auto* list = std::get_if<StringList>(&esu->value);
        int best = 0;
        std::string best_name;
        for (const auto& name : list ? *list : StringList{}) {
            auto pos = name.rfind("Year");
            bool server = text::starts_with_icase(name, "Server-");
            if (pos == std::string::npos || server != (lookup->product == "windows-server"))
                continue;
            int year = std::atoi(name.c_str() + pos + 4);
            if (year > best) {
                best = year;
                best_name = name;
            }
        }
        if (best > 0) {
            auto end = windows_esu_year_end(facts, best);
            if (end && *end >= as_of) {
                Provenance p = esu->provenance;
                p.excerpt += "; covers until " + end->iso();
                evidence("slmgr", std::move(p));
                return;
            }
            issue(esu->provenance.source, esu->provenance.line,
                  "activated ESU licence " + best_name +
                      (end ? " covers updates only until " + end->iso() + ", before the Stichtag " +
                                 as_of.iso() + ": the licence of the following ESU year is needed"
                           : std::string(": its coverage for this Windows release is unknown")));
        }
    }
    if (valid) {
        evidence("inventory", declared(*valid));
        return;
    }
    issue("", 0,
          "support phase extended (only paid or contractual updates left): no evidence that "
          "they are received; declare extended_support: {until: YYYY-MM-DD, contract: ...} "
          "for the asset or municipality in the inventory" +
              std::string(lookup->product == "windows" || lookup->product == "windows-server"
                              ? ", or add the output of `cscript slmgr.vbs /dlv` with the "
                                "activated ESU licence to the asset's sources"
                              : ""));
}

}  // namespace grundscan
