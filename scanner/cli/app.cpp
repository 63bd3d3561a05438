#include "scanner/cli/app.hpp"

#include <unistd.h>

#include <boost/program_options.hpp>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "reports/writer.hpp"
#include "rules/evaluator.hpp"
#include "rules/loader.hpp"
#include "scanner/cli/scan_command.hpp"
#include "scanner/collectors/asset_collector.hpp"
#include "scanner/collectors/collector.hpp"
#include "scanner/facts/catalog.hpp"
#include "scanner/inventory/inventory.hpp"
#include "scanner/local/local_host.hpp"

namespace grundscan {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

const char* kUsage = R"(grundscan – IT-Grundschutz-Prüfung für kommunale IT

Usage:
  grundscan scan --inventory FILE [options]   scan all assets of an inventory
  grundscan scan --local [options]            scan this Linux host
  grundscan inventory check FILE              validate an inventory and list what it holds
  grundscan rules list [--rules DIR]...       list rules
  grundscan rules show ID [--rules DIR]...    show one rule
  grundscan rules validate DIR...             check rule packs (file:line errors)
  grundscan rules test DIR...                 run every rule's pass/fail fixtures
  grundscan collect --local [--out DIR]       bundle this host's Linux config files
  grundscan facts [--markdown]                list the declared facts
  grundscan collectors                        list export types (inventory 'type:')
  grundscan version

Exit codes: 0 ok, 1 threshold breached, 2 usage or input error, 3 runtime error.
Run `grundscan scan --help` for scan options.
)";

// Where shipped data (rules/packs, feeds) lives: $GRUNDSCAN_DATA_DIR, else the build's source.
fs::path data_dir() {
    if (const char* env = std::getenv("GRUNDSCAN_DATA_DIR"); env && *env) return env;
    return GRUNDSCAN_DATA_DIR;
}

std::vector<fs::path> rule_dirs(const std::vector<std::string>& given) {
    if (given.empty()) return {data_dir() / "rules" / "packs"};
    return {given.begin(), given.end()};
}

std::vector<std::string> split_list(const std::vector<std::string>& values) {
    std::vector<std::string> out;
    for (const auto& v : values) {
        std::stringstream ss(v);
        std::string item;
        while (std::getline(ss, item, ','))
            if (!item.empty()) out.push_back(item);
    }
    return out;
}

po::variables_map parse(const po::options_description& desc,
                        const po::positional_options_description& pos,
                        const std::vector<std::string>& args) {
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(desc).positional(pos).run(), vm);
    po::notify(vm);
    return vm;
}

int cmd_scan(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    po::options_description desc("scan options");
    std::string inventory, profile, out_dir = "out", lang = "de", model = "weighted", fail_on,
                                    as_of, feeds;
    std::vector<std::string> rules, formats;
    double fail_under = -1;
    unsigned jobs = 0;
    desc.add_options()("help,h", "show this help")("inventory,i", po::value(&inventory),
                                                   "inventory YAML file")(
        "local", "scan this host (Linux) instead of an inventory")(
        "rules,r", po::value(&rules), "rule directory (repeatable; default: shipped packs)")(
        "profile,p", po::value(&profile),
        "tailoring profile YAML (select/deselect rules, parameters)")(
        "out,o", po::value(&out_dir), "output directory (default: out)")(
        "format,f", po::value(&formats),
        "report formats, comma-separated: json,html (default: json,html)")(
        "lang", po::value(&lang), "report language: de (default) or en")(
        "score-model", po::value(&model), "weighted (default) or flat-unweighted")(
        "fail-under", po::value(&fail_under),
        "exit 1 if the organisation or any municipality scores below this (0-100)")(
        "fail-on", po::value(&fail_on),
        "exit 1 if any rule of this severity or higher fails: low|medium|high|critical")(
        "jobs,j", po::value(&jobs), "parallel assets (default: number of cores)")(
        "as-of", po::value(&as_of), "Stichtag for date rules, YYYY-MM-DD (default: today)")(
        "feeds", po::value(&feeds), "feed directory (default: shipped feeds/)")(
        "quiet,q", "print nothing but errors")("no-color", "never colour the summary");
    po::variables_map vm;
    try {
        vm = parse(desc, {}, args);
    } catch (const po::error& e) {
        err << "grundscan scan: " << e.what() << "\n" << desc;
        return kExitUsage;
    }
    if (vm.count("help")) {
        out << desc;
        return kExitOk;
    }
    ScanOptions o;
    o.local = vm.count("local") > 0;
    if (inventory.empty() && !o.local) {
        err << "grundscan scan: give --inventory FILE or --local\n";
        return kExitUsage;
    }
    o.inventory = inventory;
    o.rule_dirs = rule_dirs(rules);
    if (!profile.empty()) o.profile = profile;
    o.feeds_dir = feeds.empty() ? data_dir() / "feeds" : fs::path(feeds);
    o.out_dir = out_dir;
    if (!formats.empty()) o.formats = split_list(formats);
    if (lang == "de")
        o.lang = Lang::De;
    else if (lang == "en")
        o.lang = Lang::En;
    else {
        err << "grundscan scan: --lang must be de or en\n";
        return kExitUsage;
    }
    auto sm = parse_score_model(model);
    if (!sm) {
        err << "grundscan scan: --score-model must be weighted or flat-unweighted\n";
        return kExitUsage;
    }
    o.score_model = *sm;
    if (vm.count("fail-under")) {
        if (fail_under < 0 || fail_under > 100) {
            err << "grundscan scan: --fail-under must be between 0 and 100\n";
            return kExitUsage;
        }
        o.fail_under = fail_under;
    }
    if (!fail_on.empty()) {
        o.fail_on = parse_severity(fail_on);
        if (!o.fail_on) {
            err << "grundscan scan: --fail-on must be low, medium, high or critical\n";
            return kExitUsage;
        }
    }
    o.as_of = today_utc();
    if (!as_of.empty()) {
        auto d = parse_iso_date(as_of);
        if (!d) {
            err << "grundscan scan: --as-of must be a date YYYY-MM-DD\n";
            return kExitUsage;
        }
        o.as_of = *d;
    }
    o.jobs = jobs;
    o.quiet = vm.count("quiet") > 0;
    bool tty = ::isatty(STDOUT_FILENO) && &out == &std::cout;
    o.color = tty && !vm.count("no-color") && std::getenv("NO_COLOR") == nullptr &&
              std::getenv("TERM") != nullptr && std::string(std::getenv("TERM")) != "dumb";
    o.progress = !o.quiet && ::isatty(STDERR_FILENO) && &err == &std::cerr;
    return run_scan(o, out, err);
}

int cmd_inventory(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    if (args.size() != 2 || args[0] != "check") {
        err << "usage: grundscan inventory check FILE\n";
        return kExitUsage;
    }
    auto inv = load_inventory(args[1]);
    if (!inv) {
        err << "grundscan: " << inv.error().describe() << "\n";
        return kExitUsage;
    }
    auto type_errors = check_source_types(*inv);
    for (const auto& e : type_errors) err << "grundscan: " << e.describe() << "\n";
    out << "Organisation: " << inv->org_name << " (" << inv->org_id << ")\n";
    std::size_t files = 0;
    for (const auto& m : inv->municipalities) {
        out << "  " << m.name << " (" << m.id << (m.ags.empty() ? "" : ", AGS " + m.ags)
            << "): " << m.assets.size() << " assets\n";
        for (const auto& a : m.assets) {
            out << "    " << a.id << " [" << a.kind << "]: " << a.sources.size()
                << " source files\n";
            for (const auto& s : a.sources) {
                std::string type = s.type;
                if (type.empty()) {
                    auto decoded = read_source(s.path, CollectOptions{}.max_source_bytes);
                    type = decoded ? detect_source_type(decoded->utf8, s.path.filename().string())
                                   : "";
                    type = decoded ? (type.empty() ? "? (unknown type)" : type + " (detected)")
                                   : "! " + decoded.error().message;
                }
                out << "      " << s.display << "  " << type << "\n";
                ++files;
            }
        }
    }
    out << inv->municipalities.size() << " municipalities, " << inv->asset_count() << " assets, "
        << files << " source files\n";
    for (const auto& w : inv->warnings) err << "grundscan: warning: " << w << "\n";
    return type_errors.empty() ? kExitOk : kExitUsage;
}

void print_rule(std::ostream& out, const Rule& r, const RuleSet& set) {
    out << r.id << "\n  " << r.title.de << "\n  " << r.title.en << "\n";
    out << "  Baustein: " << r.module << "  references: ";
    for (const auto& x : r.references) out << x << " ";
    out << " Grundschutz++: ";
    for (const auto& x : r.gspp) out << x << " ";
    out << "\n  level: " << level_name(r.level) << "  severity: " << severity_name(r.severity)
        << "  weight: " << r.weight << "\n  applies to: ";
    for (const auto& k : r.kinds) out << k << " ";
    out << "\n  Begründung: " << r.rationale.de << "\n  Maßnahme: " << r.remediation.de << "\n";
    out << "  defined in " << r.file << ":" << r.line << "; " << r.tests.size() << " fixtures\n";
    (void)set;
}

int cmd_rules(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    if (args.empty()) {
        err << "usage: grundscan rules list|show ID|validate DIR...|test DIR...\n";
        return kExitUsage;
    }
    const std::string& sub = args[0];
    std::vector<std::string> rest(args.begin() + 1, args.end());
    po::options_description desc("rules options");
    std::vector<std::string> dirs, positional;
    std::string as_of;
    desc.add_options()("rules,r", po::value(&dirs), "rule directory (repeatable)")(
        "as-of", po::value(&as_of), "date for fixtures with days_since (default 2026-11-15)")(
        "args", po::value(&positional), "");
    po::positional_options_description pos;
    pos.add("args", -1);
    try {
        parse(desc, pos, rest);
    } catch (const po::error& e) {
        err << "grundscan rules: " << e.what() << "\n";
        return kExitUsage;
    }
    RuleSet set;
    std::vector<fs::path> load_dirs;
    if (sub == "validate" || sub == "test") {
        if (positional.empty() && dirs.empty()) {
            err << "usage: grundscan rules " << sub << " DIR...\n";
            return kExitUsage;
        }
        for (const auto& p : positional) load_dirs.emplace_back(p);
        for (const auto& p : dirs) load_dirs.emplace_back(p);
    } else {
        load_dirs = rule_dirs(dirs);
    }
    auto errors = load_rules(load_dirs, set);
    if (sub == "validate" && errors.empty()) {
        auto controls = data_dir() / "rules" / "catalogs" / "grundschutz-plus-plus-controls.tsv";
        if (fs::exists(controls)) errors = check_gspp_ids(set, controls);
    }
    for (const auto& e : errors) err << "grundscan: " << e.describe() << "\n";
    if (!errors.empty()) {
        err << errors.size() << " problem(s) in the rule packs\n";
        return kExitUsage;
    }
    if (sub == "list") {
        for (const auto& r : set.rules) {
            out << r.id << "  [" << severity_name(r.severity) << ", " << level_name(r.level) << ", "
                << r.module << "]  " << r.title.de << "\n";
        }
        out << set.rules.size() << " rules in " << set.packs.size() << " pack(s)\n";
        return kExitOk;
    }
    if (sub == "show") {
        if (positional.size() != 1) {
            err << "usage: grundscan rules show ID\n";
            return kExitUsage;
        }
        const Rule* r = set.find(positional[0]);
        if (!r) {
            err << "grundscan: no rule '" << positional[0] << "'\n";
            return kExitUsage;
        }
        print_rule(out, *r, set);
        return kExitOk;
    }
    if (sub == "validate") {
        out << set.rules.size() << " rules in " << set.packs.size() << " pack(s): valid\n";
        return kExitOk;
    }
    if (sub == "test") {
        Date d{2026, 11, 15};
        if (!as_of.empty()) {
            auto parsed = parse_iso_date(as_of);
            if (!parsed) {
                err << "grundscan rules test: --as-of must be YYYY-MM-DD\n";
                return kExitUsage;
            }
            d = *parsed;
        }
        std::size_t fixtures = 0, failed = 0;
        for (const auto& r : set.rules) {
            fixtures += r.tests.size();
            for (const auto& f : run_rule_tests(r, set, d)) {
                err << f << "\n";
                ++failed;
            }
        }
        out << set.rules.size() << " rules, " << fixtures << " fixtures, " << failed << " failed\n";
        return failed ? kExitThreshold : kExitOk;
    }
    err << "grundscan rules: unknown subcommand '" << sub << "'\n";
    return kExitUsage;
}

int cmd_collect(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    po::options_description desc("collect options");
    std::string out_dir = "grundscan-bundle";
    desc.add_options()("local", "collect from this host")("out,o", po::value(&out_dir),
                                                          "bundle directory");
    po::variables_map vm;
    try {
        vm = parse(desc, {}, args);
    } catch (const po::error& e) {
        err << "grundscan collect: " << e.what() << "\n";
        return kExitUsage;
    }
    if (!vm.count("local")) {
        err << "usage: grundscan collect --local [--out DIR]\n";
        return kExitUsage;
    }
    auto bundle = collect_local_bundle("/", out_dir);
    if (!bundle) {
        err << "grundscan: " << bundle.error().describe() << "\n";
        return kExitRuntime;
    }
    for (const auto& c : bundle->collected) out << "collected " << c << "\n";
    for (const auto& m : bundle->missing) out << "not found " << m << "\n";
    out << "bundle: " << bundle->directory.string()
        << " (inventory: " << bundle->inventory_file.string() << ")\n";
    return kExitOk;
}

int cmd_facts(const std::vector<std::string>& args, std::ostream& out) {
    bool md = !args.empty() && args[0] == "--markdown";
    if (md) {
        out << "# Facts\n\n"
               "Generated by `grundscan facts --markdown` from scanner/facts/catalog.cpp; do not "
               "edit.\n"
               "Rules may only use these facts. A fact that an export does not contain is absent\n"
               "(never defaulted): rules needing it report \"no evidence\".\n\n"
               "| Fact | Type | Unit | Description | Produced by |\n|---|---|---|---|---|\n";
    }
    for (const auto& f : fact_catalog()) {
        if (md) {
            out << "| `" << f.name << "` | " << fact_type_name(f.type) << " | " << f.unit << " | "
                << f.description << " | " << f.producers << " |\n";
        } else {
            out << f.name << "  (" << fact_type_name(f.type)
                << (f.unit.empty() ? "" : ", " + std::string(f.unit)) << ")  " << f.description
                << "\n";
        }
    }
    return kExitOk;
}

}  // namespace

int run_app(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
    if (argc < 2) {
        err << kUsage;
        return kExitUsage;
    }
    std::string cmd = argv[1];
    std::vector<std::string> args(argv + 2, argv + argc);
    if (cmd == "scan") return cmd_scan(args, out, err);
    if (cmd == "inventory") return cmd_inventory(args, out, err);
    if (cmd == "rules") return cmd_rules(args, out, err);
    if (cmd == "collect") return cmd_collect(args, out, err);
    if (cmd == "facts") return cmd_facts(args, out);
    if (cmd == "collectors") {
        for (const auto& c : collector_registry()) out << c.type << "  " << c.description << "\n";
        return kExitOk;
    }
    if (cmd == "formats") {
        for (const auto& w : report_writers()) out << w.format << "  " << w.description << "\n";
        return kExitOk;
    }
    if (cmd == "version" || cmd == "--version") {
        out << "grundscan " << GRUNDSCAN_VERSION << "\n";
        return kExitOk;
    }
    if (cmd == "help" || cmd == "--help" || cmd == "-h") {
        out << kUsage;
        return kExitOk;
    }
    err << "grundscan: unknown command '" << cmd << "'\n" << kUsage;
    return kExitUsage;
}

}  // namespace grundscan
