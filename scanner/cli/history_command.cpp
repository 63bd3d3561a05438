// `grundscan history` and `grundscan diff`: read the scan history database (reports/history.hpp)
// and results.json files; never write anything.
#include "scanner/cli/history_command.hpp"

#include <algorithm>
#include <boost/program_options.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "reports/history.hpp"
#include "scanner/cli/app.hpp"
#include "scanner/core/text.hpp"

namespace grundscan {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

using nlohmann::ordered_json;

// --db PATH or --out DIR (default out/) -> the database path.
struct DbArgs {
    std::string db, out_dir;
};

void add_db_options(po::options_description& desc, DbArgs& a) {
    desc.add_options()("db", po::value(&a.db), "history database (default: <out>/grundscan.db)")(
        "out,o", po::value(&a.out_dir), "output directory of the scans (default: out)");
}

// Empty path and a message on stderr when both --db and --out are given.
std::optional<fs::path> db_path(const DbArgs& a, const char* cmd, std::ostream& err) {
    if (!a.db.empty() && !a.out_dir.empty()) {
        err << "grundscan " << cmd << ": give either --db or --out, not both\n";
        return std::nullopt;
    }
    if (!a.db.empty()) return fs::path(a.db);
    return fs::path(a.out_dir.empty() ? "out" : a.out_dir) / "grundscan.db";
}

po::variables_map parse_args(const po::options_description& desc,
                             const po::positional_options_description& pos,
                             const std::vector<std::string>& args) {
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(desc).positional(pos).run(), vm);
    po::notify(vm);
    return vm;
}

// Text from outside (host names, ids) for the terminal: valid UTF-8, no control characters.
std::string plain(const std::string& s) {
    std::string out = text::sanitize_utf8(s);
    for (auto& c : out)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
    return out;
}

// Columns a UTF-8 string takes (code points; good enough for ids and Latin names).
std::size_t display_width(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xc0) != 0x80) ++n;
    return n;
}

std::string pad(const std::string& s, std::size_t width) {
    std::size_t w = display_width(s);
    return w >= width ? s : s + std::string(width - w, ' ');
}

std::string pad_left(const std::string& s, std::size_t width) {
    std::size_t w = display_width(s);
    return w >= width ? s : std::string(width - w, ' ') + s;
}

std::string fmt_score(const std::optional<double>& v) {
    if (!v) return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", *v);
    return buf;
}

// Rounded to one decimal like the scores; never "-0.0".
double round1(double v) {
    double r = std::round(v * 10) / 10;
    return r == 0 ? 0.0 : r;
}

std::string fmt_delta(double d) {
    double r = round1(d);
    if (r == 0) return "±0.0";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%+.1f", r);
    return buf;
}

ordered_json score_value(const std::optional<double>& v) {
    return v ? ordered_json(round1(*v)) : ordered_json(nullptr);
}

std::string dump(const ordered_json& j) {
    return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<Ampel> parse_ampel_name(const std::string& s) {
    for (auto a : {Ampel::Green, Ampel::Yellow, Ampel::Red, Ampel::None})
        if (s == ampel_name(a)) return a;
    return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// history

int print_history_text(const std::vector<HistoryEntry>& entries, std::ostream& out) {
    const std::vector<std::string> head = {"SCAN",  "AS OF", "MUNICIPALITY", "SCORE",
                                           "AMPEL", "FAILS", "NAME"};
    std::vector<std::vector<std::string>> rows;
    for (const auto& e : entries) {
        rows.push_back({plain(e.scan_id) + (e.complete ? "" : " (partial)"), plain(e.as_of),
                        plain(e.municipality_id), fmt_score(e.score), ampel_name(e.ampel),
                        std::to_string(e.fails), plain(e.municipality_name)});
    }
    std::vector<std::size_t> width(head.size());
    for (std::size_t c = 0; c < head.size(); ++c) {
        width[c] = display_width(head[c]);
        for (const auto& r : rows) width[c] = std::max(width[c], display_width(r[c]));
    }
    auto line = [&](const std::vector<std::string>& r) {
        std::string s;
        for (std::size_t c = 0; c < r.size(); ++c) {
            bool numeric = c == 3 || c == 5;
            bool last = c + 1 == r.size();
            s += numeric ? pad_left(r[c], width[c]) : (last ? r[c] : pad(r[c], width[c]));
            if (!last) s += "  ";
        }
        out << s << "\n";
    };
    line(head);
    for (const auto& r : rows) line(r);
    return kExitOk;
}

int print_history_json(const std::vector<HistoryEntry>& entries, std::ostream& out) {
    ordered_json scans = ordered_json::array();
    std::string current;
    for (const auto& e : entries) {
        if (scans.empty() || e.scan_id != current) {
            current = e.scan_id;
            scans.push_back({{"scan_id", e.scan_id},
                             {"started_at", e.started_at},
                             {"as_of", e.as_of},
                             {"org_id", e.org_id},
                             {"complete", e.complete},
                             {"municipalities", ordered_json::array()}});
        }
        scans.back()["municipalities"].push_back({{"id", e.municipality_id},
                                                  {"name", e.municipality_name},
                                                  {"score", score_value(e.score)},
                                                  {"ampel", ampel_name(e.ampel)},
                                                  {"fails", e.fails}});
    }
    out << dump(ordered_json{{"scans", scans}}) << "\n";
    return kExitOk;
}

// ---------------------------------------------------------------------------------------------
// diff

// One side of a diff: a recorded scan or a results.json file.
struct Side {
    std::string label;  // scan id or file path, as given
    bool from_file = false;
    ScanResult scan;
};

bool looks_like_file(const std::string& arg) {
    std::error_code ec;
    if (fs::is_regular_file(arg, ec)) return true;
    return arg.find('/') != std::string::npos ||
           (arg.size() > 5 && arg.compare(arg.size() - 5, 5, ".json") == 0);
}

// Reads the parts of results.json a diff needs: scan metadata, municipality scores, and
// municipalities[].assets[].results[] (rule, state).
Expected<ScanResult> read_diff_json(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error("cannot read the file", path.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    auto j = nlohmann::json::parse(ss.str(), nullptr, false);
    if (j.is_discarded()) return Error("not valid JSON (expected a results.json)", path.string());
    if (!j.is_object() || !j.contains("municipalities") || !j["municipalities"].is_array())
        return Error("not a grundscan results.json (no municipalities)", path.string());
    ScanResult scan;
    try {
        auto str = [](const nlohmann::json& o, const char* key) {
            return o.is_object() && o.contains(key) && o[key].is_string()
                       ? o[key].get<std::string>()
                       : std::string();
        };
        auto score = [&](const nlohmann::json& o, Score& s) {
            if (!o.is_object() || !o.contains("score") || !o["score"].is_object()) return;
            const auto& sj = o["score"];
            if (sj.contains("value") && sj["value"].is_number())
                s.value = sj["value"].get<double>();
            if (sj.contains("coverage") && sj["coverage"].is_number())
                s.coverage = sj["coverage"].get<double>();
            s.ampel = parse_ampel_name(str(sj, "ampel")).value_or(Ampel::None);
        };
        if (j.contains("scan")) {
            const auto& sj = j["scan"];
            scan.started_at = str(sj, "started_at");
            scan.finished_at = str(sj, "finished_at");
            scan.as_of = str(sj, "as_of");
            if (sj.is_object() && sj.contains("complete") && sj["complete"].is_boolean())
                scan.complete = sj["complete"].get<bool>();
            scan.scan_id = str(sj, "scan_id");
        }
        if (j.contains("organisation")) {
            scan.org_id = str(j["organisation"], "id");
            scan.org_name = str(j["organisation"], "name");
            score(j["organisation"], scan.score);
        }
        for (const auto& mj : j["municipalities"]) {
            MunicipalityResult m;
            m.id = str(mj, "id");
            m.name = str(mj, "name");
            score(mj, m.score);
            if (mj.is_object() && mj.contains("assets") && mj["assets"].is_array()) {
                for (const auto& aj : mj["assets"]) {
                    AssetResult a;
                    a.id = str(aj, "id");
                    a.name = str(aj, "name");
                    if (aj.is_object() && aj.contains("results") && aj["results"].is_array()) {
                        for (const auto& rj : aj["results"]) {
                            RuleResult r;
                            r.rule_id = str(rj, "rule");
                            auto st = parse_state(str(rj, "state"));
                            if (r.rule_id.empty() || !st)
                                return Error(
                                    "result without a known rule/state in asset '" + a.id + "'",
                                    path.string());
                            r.state = *st;
                            a.results.push_back(std::move(r));
                        }
                    }
                    m.assets.push_back(std::move(a));
                }
            }
            scan.municipalities.push_back(std::move(m));
        }
    } catch (const nlohmann::json::exception& e) {
        return Error(std::string("unexpected results.json content: ") + e.what(), path.string());
    }
    return scan;
}

struct Finding {
    std::string asset, rule;
    std::string old_state;  // "" when the result did not exist before
    std::string new_state;
};

struct MunicipalityDiff {
    std::string id, name;
    bool in_old = false, in_new = false;
    std::optional<double> old_score, new_score;
    Ampel old_ampel = Ampel::None, new_ampel = Ampel::None;
    std::vector<Finding> new_failures, fixed, regressions;
    int still_open = 0;
};

std::vector<MunicipalityDiff> compare(const ScanResult& older, const ScanResult& newer) {
    std::vector<MunicipalityDiff> out;
    std::map<std::string, const MunicipalityResult*> old_by_id;
    for (const auto& m : older.municipalities) old_by_id.emplace(m.id, &m);
    for (const auto& m : newer.municipalities) {
        MunicipalityDiff d;
        d.id = m.id;
        d.name = m.name;
        d.in_new = true;
        d.new_score = m.score.value;
        d.new_ampel = m.score.ampel;
        std::map<std::pair<std::string, std::string>, ResultState> before;
        if (auto it = old_by_id.find(m.id); it != old_by_id.end()) {
            const MunicipalityResult& o = *it->second;
            d.in_old = true;
            d.old_score = o.score.value;
            d.old_ampel = o.score.ampel;
            for (const auto& a : o.assets)
                for (const auto& r : a.results) before.emplace(std::pair{a.id, r.rule_id}, r.state);
            old_by_id.erase(it);
        }
        for (const auto& a : m.assets) {
            for (const auto& r : a.results) {
                auto it = before.find({a.id, r.rule_id});
                std::optional<ResultState> was;
                if (it != before.end()) was = it->second;
                Finding f{a.id, r.rule_id, was ? state_name(*was) : "", state_name(r.state)};
                bool failed_before = was == ResultState::Fail;
                if (r.state == ResultState::Fail) {
                    if (failed_before)
                        ++d.still_open;
                    else
                        d.new_failures.push_back(f);
                } else if (r.state == ResultState::Pass && failed_before) {
                    d.fixed.push_back(f);
                }
                if (was == ResultState::Pass &&
                    (r.state == ResultState::Fail || r.state == ResultState::Error ||
                     r.state == ResultState::NoEvidence))
                    d.regressions.push_back(f);
            }
        }
        out.push_back(std::move(d));
    }
    for (const auto& m : older.municipalities) {
        if (!old_by_id.count(m.id)) continue;
        MunicipalityDiff d;
        d.id = m.id;
        d.name = m.name;
        d.in_old = true;
        d.old_score = m.score.value;
        d.old_ampel = m.score.ampel;
        out.push_back(std::move(d));
    }
    return out;
}

std::optional<double> delta(const MunicipalityDiff& d) {
    if (!d.old_score || !d.new_score) return std::nullopt;
    return *d.new_score - *d.old_score;
}

std::string side_text(const Side& s) {
    std::string t = plain(s.label);
    if (s.from_file && !s.scan.scan_id.empty()) t += " (scan " + plain(s.scan.scan_id) + ")";
    if (!s.scan.as_of.empty()) t += ", as of " + plain(s.scan.as_of);
    if (!s.scan.complete) t += ", partial";
    return t;
}

void print_diff_text(const Side& o, const Side& n, const std::vector<MunicipalityDiff>& diffs,
                     std::ostream& out) {
    out << "old: " << side_text(o) << "\nnew: " << side_text(n) << "\n";
    std::size_t total_new = 0, total_fixed = 0, total_reg = 0;
    auto list = [&](const char* title, const std::vector<Finding>& fs, bool show_states) {
        out << "  " << title << ": " << fs.size() << "\n";
        std::size_t w = 0;
        for (const auto& f : fs) w = std::max(w, display_width(plain(f.asset)));
        for (const auto& f : fs) {
            out << "    " << pad(plain(f.asset), w) << "  " << plain(f.rule);
            if (show_states)
                out << "  " << (f.old_state.empty() ? "new" : f.old_state) << " → " << f.new_state;
            out << "\n";
        }
    };
    for (const auto& d : diffs) {
        out << "\n" << plain(d.name.empty() ? d.id : d.name) << " (" << plain(d.id) << ")";
        if (!d.in_old) out << " – not in the old scan";
        if (!d.in_new) out << " – not in the new scan";
        out << "\n  score: " << fmt_score(d.old_score) << " → " << fmt_score(d.new_score);
        if (auto dl = delta(d)) out << " (" << fmt_delta(*dl) << ")";
        out << ", Ampel: " << ampel_name(d.old_ampel) << " → " << ampel_name(d.new_ampel) << "\n";
        if (!d.in_new || !d.in_old) continue;
        list("new failures", d.new_failures, true);
        list("fixed", d.fixed, false);
        list("regressions", d.regressions, true);
        out << "  still open: " << d.still_open << "\n";
        total_new += d.new_failures.size();
        total_fixed += d.fixed.size();
        total_reg += d.regressions.size();
    }
    out << "\ntotal: " << total_new << " new failure(s), " << total_fixed << " fixed, " << total_reg
        << " regression(s)\n";
}

ordered_json side_json(const Side& s) {
    return {{"ref", s.label},
            {"source", s.from_file ? "file" : "history"},
            {"scan_id", s.scan.scan_id},
            {"started_at", s.scan.started_at},
            {"as_of", s.scan.as_of},
            {"complete", s.scan.complete}};
}

void print_diff_json(const Side& o, const Side& n, const std::vector<MunicipalityDiff>& diffs,
                     std::ostream& out) {
    auto findings = [](const std::vector<Finding>& fs) {
        ordered_json a = ordered_json::array();
        for (const auto& f : fs) {
            a.push_back({{"asset", f.asset},
                         {"rule", f.rule},
                         {"old_state",
                          f.old_state.empty() ? ordered_json(nullptr) : ordered_json(f.old_state)},
                         {"new_state", f.new_state}});
        }
        return a;
    };
    ordered_json muns = ordered_json::array();
    std::size_t total_new = 0, total_fixed = 0, total_reg = 0;
    for (const auto& d : diffs) {
        auto dl = delta(d);
        muns.push_back(
            {{"id", d.id},
             {"name", d.name},
             {"in_old", d.in_old},
             {"in_new", d.in_new},
             {"score",
              {{"old", score_value(d.old_score)},
               {"new", score_value(d.new_score)},
               {"delta", dl ? ordered_json(round1(*dl)) : ordered_json(nullptr)}}},
             {"ampel", {{"old", ampel_name(d.old_ampel)}, {"new", ampel_name(d.new_ampel)}}},
             {"new_failures", findings(d.new_failures)},
             {"fixed", findings(d.fixed)},
             {"regressions", findings(d.regressions)},
             {"still_open", d.still_open}});
        total_new += d.new_failures.size();
        total_fixed += d.fixed.size();
        total_reg += d.regressions.size();
    }
    ordered_json j = {
        {"old", side_json(o)},
        {"new", side_json(n)},
        {"municipalities", muns},
        {"totals",
         {{"new_failures", total_new}, {"fixed", total_fixed}, {"regressions", total_reg}}}};
    out << dump(j) << "\n";
}

// Text from outside for Markdown: no markup, no HTML, no table breaks.
std::string md(const std::string& s) {
    std::string out;
    for (char c : plain(s)) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '\\':
            case '`':
            case '*':
            case '_':
            case '[':
            case ']':
            case '|':
            case '#':
            case '~':
                out += '\\';
                out += c;
                break;
            default:
                out += c;
        }
    }
    return out;
}

void print_diff_markdown(const Side& o, const Side& n, const std::vector<MunicipalityDiff>& diffs,
                         std::ostream& out) {
    auto side_row = [&](const char* which, const Side& s) {
        out << "| " << which << " | " << md(s.label) << " | " << md(s.scan.as_of) << " | "
            << (s.scan.complete ? "yes" : "no (partial)") << " |\n";
    };
    out << "# grundscan diff\n\n| | Scan | As of | Complete |\n|---|---|---|---|\n";
    side_row("old", o);
    side_row("new", n);
    auto table = [&](const char* title, const std::vector<Finding>& fs, bool show_states) {
        out << "\n### " << title << " (" << fs.size() << ")\n\n";
        if (fs.empty()) {
            out << "none\n";
            return;
        }
        out << (show_states ? "| Asset | Rule | Before | Now |\n|---|---|---|---|\n"
                            : "| Asset | Rule |\n|---|---|\n");
        for (const auto& f : fs) {
            out << "| " << md(f.asset) << " | " << md(f.rule) << " |";
            if (show_states)
                out << " " << md(f.old_state.empty() ? "new" : f.old_state) << " | "
                    << md(f.new_state) << " |";
            out << "\n";
        }
    };
    for (const auto& d : diffs) {
        out << "\n## " << md(d.name.empty() ? d.id : d.name) << " (" << md(d.id) << ")\n\n";
        if (!d.in_old) out << "Not in the old scan.\n\n";
        if (!d.in_new) out << "Not in the new scan.\n\n";
        out << "Score: " << fmt_score(d.old_score) << " → " << fmt_score(d.new_score);
        if (auto dl = delta(d)) out << " (" << fmt_delta(*dl) << ")";
        out << ", Ampel: " << ampel_name(d.old_ampel) << " → " << ampel_name(d.new_ampel);
        if (d.in_old && d.in_new) out << ", still open: " << d.still_open;
        out << "\n";
        if (!d.in_old || !d.in_new) continue;
        table("New failures", d.new_failures, true);
        table("Fixed", d.fixed, false);
        table("Regressions", d.regressions, true);
    }
}

}  // namespace

int cmd_history(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    DbArgs dba;
    std::string municipality, format = "text";
    po::options_description desc("history options");
    desc.add_options()("help,h", "show this help");
    add_db_options(desc, dba);
    desc.add_options()("municipality,m", po::value(&municipality), "only this municipality (id)")(
        "format,f", po::value(&format), "text (default) or json");
    po::variables_map vm;
    try {
        vm = parse_args(desc, {}, args);
    } catch (const po::error& e) {
        err << "grundscan history: " << e.what() << "\n";
        return kExitUsage;
    }
    if (vm.count("help")) {
        out << "usage: grundscan history [--db PATH | --out DIR] [--municipality ID] "
               "[--format text|json]\nLists the recorded scans, newest first, with each "
               "municipality's score, Ampel and failed results.\n\n"
            << desc;
        return kExitOk;
    }
    if (format != "text" && format != "json") {
        err << "grundscan history: unknown format '" << format << "' (known: text, json)\n";
        return kExitUsage;
    }
    auto path = db_path(dba, "history", err);
    if (!path) return kExitUsage;
    auto db = HistoryDb::open_existing(*path);
    if (!db) {
        err << "grundscan: history: " << db.error().describe() << "\n";
        return kExitUsage;
    }
    auto entries = (*db)->list(municipality);
    if (const auto& e = (*db)->last_error()) {
        err << "grundscan: history: " << e->describe() << "\n";
        return kExitUsage;
    }
    if (format == "json") return print_history_json(entries, out);
    if (entries.empty()) {
        out << (municipality.empty() ? "no scans recorded\n"
                                     : "no scans recorded for '" + plain(municipality) + "'\n");
        return kExitOk;
    }
    return print_history_text(entries, out);
}

int cmd_diff(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    DbArgs dba;
    std::string format = "text";
    std::vector<std::string> refs;
    po::options_description desc("diff options");
    desc.add_options()("help,h", "show this help");
    add_db_options(desc, dba);
    desc.add_options()("format,f", po::value(&format), "text (default), json or markdown")(
        "refs", po::value(&refs), "");
    po::positional_options_description pos;
    pos.add("refs", -1);
    po::variables_map vm;
    try {
        vm = parse_args(desc, pos, args);
    } catch (const po::error& e) {
        err << "grundscan diff: " << e.what() << "\n";
        return kExitUsage;
    }
    const char* usage =
        "usage: grundscan diff OLD NEW [--db PATH | --out DIR] [--format text|json|markdown]\n";
    if (vm.count("help")) {
        out << usage
            << "OLD and NEW are scan ids from `grundscan history` or paths to results.json "
               "files.\nShows per municipality the score change, new failures, fixed findings "
               "and regressions.\n\n"
            << desc;
        return kExitOk;
    }
    if (refs.size() != 2) {
        err << usage;
        return kExitUsage;
    }
    if (format != "text" && format != "json" && format != "markdown") {
        err << "grundscan diff: unknown format '" << format << "' (known: text, json, markdown)\n";
        return kExitUsage;
    }
    auto path = db_path(dba, "diff", err);
    if (!path) return kExitUsage;
    std::unique_ptr<HistoryDb> db;
    Side sides[2];
    for (int i = 0; i < 2; ++i) {
        Side& s = sides[i];
        s.label = refs[static_cast<std::size_t>(i)];
        s.from_file = looks_like_file(s.label);
        if (s.from_file) {
            auto scan = read_diff_json(s.label);
            if (!scan) {
                err << "grundscan: diff: " << scan.error().describe() << "\n";
                return kExitUsage;
            }
            s.scan = std::move(*scan);
            continue;
        }
        if (!db) {
            auto opened = HistoryDb::open_existing(*path);
            if (!opened) {
                err << "grundscan: diff: " << opened.error().describe() << "\n";
                return kExitUsage;
            }
            db = std::move(*opened);
        }
        auto scan = db->load(s.label);
        if (!scan) {
            err << "grundscan: diff: " << scan.error().describe()
                << " (list the scans with `grundscan history`)\n";
            return kExitUsage;
        }
        s.scan = std::move(*scan);
    }
    auto diffs = compare(sides[0].scan, sides[1].scan);
    if (format == "json")
        print_diff_json(sides[0], sides[1], diffs, out);
    else if (format == "markdown")
        print_diff_markdown(sides[0], sides[1], diffs, out);
    else
        print_diff_text(sides[0], sides[1], diffs, out);
    return kExitOk;
}

}  // namespace grundscan
