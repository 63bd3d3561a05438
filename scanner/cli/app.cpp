#include "scanner/cli/app.hpp"

#include <unistd.h>

#include <boost/program_options.hpp>
#include <cstdlib>
#include <iostream>
#include <set>
#include <sstream>

#include "reports/writer.hpp"
#include "rules/bsi_catalog.hpp"
#include "rules/evaluator.hpp"
#include "rules/loader.hpp"
#include "scanner/cli/feeds_command.hpp"
#include "scanner/cli/history_command.hpp"
#include "scanner/cli/report_command.hpp"
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
  grundscan probe URL... [options]            probe web endpoints live (TLS, headers, leaks)
  grundscan report --from results.json --format FMT[,FMT]   render reports again from a result
  grundscan history [--out DIR|--db PATH] [--municipality ID]   list recorded scans
  grundscan feeds update|status [--feeds DIR]  refresh / check the offline feeds (EOL, KEV, Debian tracker, Windows builds)
  grundscan diff OLD NEW [--format text|json|markdown]   compare two scans (ids or results.json)
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

// Options shared by `scan` and `probe`, as parsed from the command line.
struct ScanArgs {
    std::string profile, out_dir = "out", lang = "de", model = "weighted", fail_on, as_of, feeds;
    std::string proxy, cacert, save_probes, waivers, db;
    std::vector<std::string> rules, formats;
    double fail_under = -1, min_coverage = -1, max_rate = 0, probe_timeout = 8;
    unsigned jobs = 0, max_connections = 32;
    int max_feed_age = 30;
    int max_redirects = 5;
};

void add_scan_options(po::options_description& desc, ScanArgs& a) {
    desc.add_options()("help,h", "show this help")(
        "rules,r", po::value(&a.rules), "rule directory (repeatable; default: shipped packs)")(
        "profile,p", po::value(&a.profile),
        "tailoring profile YAML (select/deselect rules, parameters)")(
        "out,o", po::value(&a.out_dir), "output directory (default: out)")(
        "format,f", po::value(&a.formats),
        "report formats, comma-separated: json,html (default: json,html)")(
        "lang", po::value(&a.lang), "report language: de (default) or en")(
        "score-model", po::value(&a.model), "weighted (default) or flat-unweighted")(
        "fail-under", po::value(&a.fail_under),
        "exit 1 if the organisation or any municipality scores below this (0-100)")(
        "min-coverage", po::value(&a.min_coverage),
        "exit 1 if the organisation or any municipality has less coverage (0-100 %)")(
        "fail-on", po::value(&a.fail_on),
        "exit 1 if any rule of this severity or higher fails: low|medium|high|critical")(
        "jobs,j", po::value(&a.jobs), "parallel assets (default: number of cores)")(
        "as-of", po::value(&a.as_of), "Stichtag for date rules, YYYY-MM-DD (default: today)")(
        "feeds", po::value(&a.feeds), "feed directory (default: shipped feeds/)")(
        "max-feed-age", po::value(&a.max_feed_age),
        "warn when a feed is older than this many days (default 30)")(
        "offline", "never contact live targets (web endpoints, hosts); recorded probes only")(
        "proxy", po::value(&a.proxy),
        "proxy for live probes (default: HTTPS_PROXY/HTTP_PROXY/NO_PROXY from the environment)")(
        "cacert", po::value(&a.cacert), "CA bundle for internal CAs (PEM)")(
        "max-rate", po::value(&a.max_rate), "at most this many new probe requests per second")(
        "max-connections", po::value(&a.max_connections),
        "probe connections in flight (default 32)")(
        "probe-timeout", po::value(&a.probe_timeout),
        "seconds per probe request (default 8; connect timeout is 3)")(
        "no-legacy-tls",
        "do not test SSLv2/SSLv3/TLS 1.0/1.1 (their rules then report no evidence)")(
        "max-redirects", po::value(&a.max_redirects), "redirects followed per request (default 5)")(
        "follow-other-hosts",
        "also follow redirects to other hosts (default: only the listed host)")(
        "save-probes", po::value(&a.save_probes),
        "write recorded probes (*.probe.json, source type web-probe-json) to this directory")(
        "waivers", po::value(&a.waivers), "accepted risks (YAML, see docs/waivers.md)")(
        "db", po::value(&a.db), "history database (default: <out>/grundscan.db)")(
        "no-history", "neither read nor record scan history")(
        "quiet,q", "print nothing but errors")("no-color", "never colour the summary");
}

// Fills `o` from parsed arguments; prints a message and returns false on invalid values.
bool to_scan_options(const ScanArgs& a, const po::variables_map& vm, const char* cmd,
                     std::ostream& out, std::ostream& err, ScanOptions& o) {
    auto bad = [&](const std::string& msg) {
        err << "grundscan " << cmd << ": " << msg << "\n";
        return false;
    };
    o.rule_dirs = rule_dirs(a.rules);
    if (!a.profile.empty()) o.profile = a.profile;
    o.feeds_dir = a.feeds.empty() ? data_dir() / "feeds" : fs::path(a.feeds);
    o.bsi_catalog_dir = catalog_dir(data_dir());
    if (a.max_feed_age < 1) return bad("--max-feed-age must be at least 1 day");
    o.max_feed_age = a.max_feed_age;
    o.out_dir = a.out_dir;
    if (!a.formats.empty()) o.formats = split_list(a.formats);
    if (a.lang == "de")
        o.lang = Lang::De;
    else if (a.lang == "en")
        o.lang = Lang::En;
    else
        return bad("--lang must be de or en");
    auto sm = parse_score_model(a.model);
    if (!sm) return bad("--score-model must be weighted or flat-unweighted");
    o.score_model = *sm;
    if (vm.count("fail-under")) {
        if (a.fail_under < 0 || a.fail_under > 100)
            return bad("--fail-under must be between 0 and 100");
        o.fail_under = a.fail_under;
    }
    if (vm.count("min-coverage")) {
        if (a.min_coverage < 0 || a.min_coverage > 100)
            return bad("--min-coverage must be between 0 and 100");
        o.min_coverage = a.min_coverage;
    }
    if (!a.fail_on.empty()) {
        o.fail_on = parse_severity(a.fail_on);
        if (!o.fail_on) return bad("--fail-on must be low, medium, high or critical");
    }
    o.as_of = today_utc();
    if (!a.as_of.empty()) {
        auto d = parse_iso_date(a.as_of);
        if (!d) return bad("--as-of must be a date YYYY-MM-DD");
        o.as_of = *d;
    }
    if (a.max_rate < 0) return bad("--max-rate must not be negative");
    if (a.probe_timeout <= 0 || a.probe_timeout > 600)
        return bad("--probe-timeout must be 1..600 seconds");
    if (a.max_connections < 1) return bad("--max-connections must be at least 1");
    o.offline = vm.count("offline") > 0;
    o.probe.proxy = a.proxy;
    o.probe.cacert = a.cacert;
    o.probe.max_rate = a.max_rate;
    o.probe.max_connections = a.max_connections;
    o.probe.total_timeout_ms = static_cast<long>(a.probe_timeout * 1000);
    o.probe.connect_timeout_ms = std::min<long>(3000, o.probe.total_timeout_ms);
    o.probe.legacy_tls = vm.count("no-legacy-tls") == 0;
    if (a.max_redirects < 0 || a.max_redirects > 50) return bad("--max-redirects must be 0..50");
    o.probe.max_redirects = a.max_redirects;
    o.probe.follow_other_hosts = vm.count("follow-other-hosts") > 0;
    o.probe.user_agent =
        std::string("grundscan/") + GRUNDSCAN_VERSION + " (BSI IT-Grundschutz check)";
    if (!a.save_probes.empty()) o.save_probes = fs::path(a.save_probes);
    if (!a.waivers.empty()) o.waivers = fs::path(a.waivers);
    if (!a.db.empty()) o.db = fs::path(a.db);
    o.no_history = vm.count("no-history") > 0;
    o.jobs = a.jobs;
    o.quiet = vm.count("quiet") > 0;
    bool tty = ::isatty(STDOUT_FILENO) && &out == &std::cout;
    o.color = tty && !vm.count("no-color") && std::getenv("NO_COLOR") == nullptr &&
              std::getenv("TERM") != nullptr && std::string(std::getenv("TERM")) != "dumb";
    o.progress = !o.quiet && ::isatty(STDERR_FILENO) && &err == &std::cerr;
    return true;
}

int cmd_scan(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    po::options_description desc("scan options");
    ScanArgs a;
    std::string inventory;
    desc.add_options()("inventory,i", po::value(&inventory), "inventory YAML file")(
        "local", "scan this host (Linux) instead of an inventory");
    add_scan_options(desc, a);
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
    if (!to_scan_options(a, vm, "scan", out, err, o)) return kExitUsage;
    return run_scan(o, out, err);
}

// An asset id for a probed URL: "https://127.0.0.1:8443/x" -> "127.0.0.1-8443".
std::string asset_id_for_url(const std::string& url) {
    std::string rest = url.substr(url.find("://") + 3);
    rest = rest.substr(0, rest.find_first_of("/?#"));
    std::string id;
    for (char c : rest)
        id.push_back(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ? c : '-');
    return id.empty() ? "endpoint" : id.substr(0, 60);
}

int cmd_probe(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    po::options_description desc("probe options (grundscan probe URL... [options])");
    ScanArgs a;
    std::vector<std::string> urls;
    desc.add_options()("url", po::value(&urls), "");
    add_scan_options(desc, a);
    po::positional_options_description pos;
    pos.add("url", -1);
    po::variables_map vm;
    try {
        vm = parse(desc, pos, args);
    } catch (const po::error& e) {
        err << "grundscan probe: " << e.what() << "\n";
        return kExitUsage;
    }
    if (vm.count("help") || urls.empty()) {
        (urls.empty() && !vm.count("help") ? err : out)
            << "usage: grundscan probe URL... [options]\nProbes the given web endpoints live "
               "(TLS per BSI TR-02102-2, HTTP headers, cookies, leaks) and judges them with "
               "the rule packs.\n\n"
            << desc;
        return vm.count("help") ? kExitOk : kExitUsage;
    }
    ScanOptions o;
    if (!to_scan_options(a, vm, "probe", out, err, o)) return kExitUsage;
    if (o.offline) {
        err << "grundscan probe: --offline makes no sense here: probe contacts the given URLs\n";
        return kExitUsage;
    }
    Inventory inv;
    inv.org_id = "probe";
    inv.org_name = o.lang == Lang::De ? "Ad-hoc-Prüfung" : "Ad hoc probe";
    Municipality m;
    m.id = "probe";
    m.name = inv.org_name;
    std::set<std::string> ids;
    for (const auto& url : urls) {
        bool http = url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
        if (!http || url.find_first_of(" \t\r\n\"<>") != std::string::npos) {
            err << "grundscan probe: not an http(s) URL: " << url << "\n";
            return kExitUsage;
        }
        Asset asset;
        asset.id = asset_id_for_url(url);
        for (int k = 2; !ids.insert(asset.id).second; ++k)
            asset.id = asset_id_for_url(url) + "-" + std::to_string(k);
        asset.name = url;
        asset.kind = "web-endpoint";
        asset.probe.url = url;
        m.assets.push_back(std::move(asset));
    }
    inv.municipalities.push_back(std::move(m));
    inv.file = "probe";
    o.inventory = "(grundscan probe)";
    // Findings per endpoint, most severe first, with their BSI references.
    o.on_result = [&](const ScanResult& scan) {
        if (o.quiet) return;
        bool de = o.lang == Lang::De;
        for (const auto& asset : scan.municipalities.front().assets) {
            out << "\n" << asset.name << "\n";
            for (const auto& issue : asset.issues)
                out << "  "
                    << (issue.fatal ? (de ? "FEHLER  " : "ERROR   ")
                                    : (de ? "Hinweis " : "note    "))
                    << issue.message << "\n";
            std::vector<const RuleResult*> shown;
            for (const auto& r : asset.results)
                if (r.state == ResultState::Fail || r.state == ResultState::Error)
                    shown.push_back(&r);
            std::stable_sort(shown.begin(), shown.end(),
                             [&](const RuleResult* x, const RuleResult* y) {
                                 const Rule* rx = scan.rule(x->rule_id);
                                 const Rule* ry = scan.rule(y->rule_id);
                                 return (rx ? static_cast<int>(rx->severity) : 0) >
                                        (ry ? static_cast<int>(ry->severity) : 0);
                             });
            for (const RuleResult* r : shown) {
                const Rule* rule = scan.rule(r->rule_id);
                std::string refs;
                if (rule) {
                    for (const auto& x : rule->references)
                        refs += (refs.empty() ? "" : ", ") + x.id;
                    for (const auto& x : rule->gspp) refs += ", G++ " + control_label(x);
                }
                out << "  [" << (rule ? severity_label(rule->severity, o.lang) : "?") << "] "
                    << r->rule_id << "  " << (rule ? rule->title.get(o.lang) : "") << "\n      "
                    << r->message << "\n      " << (de ? "BSI: " : "BSI: ") << refs << "\n";
            }
            if (shown.empty()) out << (de ? "  keine Mängel gefunden\n" : "  no findings\n");
        }
    };
    return run_scan_inventory(inv, o, out, err);
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
    out << "  Baustein: " << r.module << "\n  references:\n";
    for (const auto& x : r.references)
        out << "    " << x.id << (x.closest ? " (closest requirement, not literal)" : "") << ": "
            << x.checks.de << "\n";
    out << "  Grundschutz++: ";
    for (const auto& x : r.gspp) out << control_label(x) << " ";
    out << "\n  level: " << level_name(r.level) << (r.advisory ? " (advisory: not scored)" : "")
        << "  severity: " << severity_name(r.severity) << "  weight: " << r.weight
        << "\n  applies to: ";
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
    if (errors.empty()) {
        auto catalog = BsiCatalog::load(catalog_dir(data_dir()));
        if (!catalog)
            errors.push_back(catalog.error());
        else
            errors = check_against_catalog(set, *catalog);
    }
    for (const auto& e : errors) err << "grundscan: " << e.describe() << "\n";
    if (!errors.empty()) {
        err << errors.size() << " problem(s) in the rule packs\n";
        return kExitUsage;
    }
    substitute_parameters(set);
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
    desc.add_options()("help,h", "show this help")("local", "collect from this host")(
        "out,o", po::value(&out_dir), "bundle directory (default: grundscan-bundle)");
    po::variables_map vm;
    try {
        vm = parse(desc, {}, args);
    } catch (const po::error& e) {
        err << "grundscan collect: " << e.what() << "\n";
        return kExitUsage;
    }
    if (vm.count("help")) {
        out << "usage: grundscan collect --local [--out DIR]\nCopies this host's Linux "
               "configuration files "
               "into a bundle with its own inventory.yaml.\n\n"
            << desc;
        return kExitOk;
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
    if (cmd == "probe") return cmd_probe(args, out, err);
    if (cmd == "inventory") return cmd_inventory(args, out, err);
    if (cmd == "history") return cmd_history(args, out, err);
    if (cmd == "feeds") return cmd_feeds(args, out, err);
    if (cmd == "diff") return cmd_diff(args, out, err);
    if (cmd == "report") return cmd_report(args, out, err);
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
