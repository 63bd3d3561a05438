#include "scanner/cli/scan_command.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <ctime>
#include <map>
#include <mutex>
#include <ostream>
#include <thread>

#include "reports/history.hpp"
#include "reports/terminal_summary.hpp"
#include "reports/writer.hpp"
#include "rules/bsi_catalog.hpp"
#include "rules/evaluator.hpp"
#include "rules/loader.hpp"
#include "rules/waivers.hpp"
#include "scanner/cli/app.hpp"
#include "scanner/collectors/asset_collector.hpp"
#include "scanner/collectors/collection_time.hpp"
#include "scanner/collectors/probe_record.hpp"
#include "scanner/core/atomic_file.hpp"
#include "scanner/enrich/eol_feed.hpp"
#include "scanner/enrich/password_tier.hpp"
#include "scanner/enrich/software_eol.hpp"
#include "scanner/enrich/stichtag_facts.hpp"
#include "scanner/enrich/vuln_feed.hpp"
#include "scanner/enrich/windows_builds.hpp"
#include "scanner/feeds/feed_store.hpp"
#include "scanner/inventory/inventory.hpp"
#include "scanner/local/local_host.hpp"

namespace grundscan {

namespace fs = std::filesystem;

namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void on_signal(int) {
    g_interrupted.store(true);
}

std::string now_iso() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

void print_errors(std::ostream& err, const std::vector<Error>& errors) {
    for (const auto& e : errors) err << "grundscan: " << e.describe() << "\n";
}

// The tier-2 lockout limit from the packs' parameters (the BSI component's 10 when no pack
// declares it) and the language of the tier's explanation.
PasswordTierSettings password_tier_settings(const RuleSet& rules, Lang lang) {
    PasswordTierSettings s;
    s.german = lang == Lang::De;
    auto it = rules.parameters.find("password_tier2_lockout_max_attempts");
    if (it != rules.parameters.end())
        if (const auto* v = std::get_if<std::int64_t>(&it->second.value))
            s.tier2_lockout_max_attempts = *v;
    return s;
}

}  // namespace

AssetResult scan_asset(const Asset& asset, const ProbeResult* probe, const RuleSet& rules,
                       const Feeds& feeds, const ScanOptions& o, int eol_warning_days,
                       std::vector<RoadmapEntry>& roadmap) {
    const EolFeed& feed = feeds.eol;
    AssetResult ar;
    ar.id = asset.id;
    ar.name = asset.name.empty() ? asset.id : asset.name;
    ar.kind = asset.kind;
    for (const auto& s : asset.sources) ar.sources.push_back(s.display);
    FactSet facts = collect_asset(asset, CollectOptions{});
    if (probe) {
        ar.sources.push_back(probe->source);
        facts.note_collector("web-probe");
        for (const auto& f : probe->facts) facts.add(f);
        for (const auto& i : probe->issues) facts.add_issue(i);
    }
    enrich_with_eol(facts, feed, o.as_of);
    enrich_with_extended_support(facts, asset.extended_support ? &*asset.extended_support : nullptr,
                                 o.as_of);
    add_evidence_age(facts, o.as_of);
    enrich_with_software_eol(facts, feed, o.as_of, eol_warning_days);
    enrich_with_vulns(facts, feeds.tracker, feeds.kev, o.as_of, o.max_feed_age);
    enrich_with_rhel_vulns(facts, feeds.rhel_oval, feeds.kev, o.as_of, o.max_feed_age,
                           o.vuln_grace_days);
    enrich_with_windows_build(facts, feeds.windows_builds, o.as_of);
    derive_stichtag_facts(facts, o.as_of);
    derive_password_tier(facts, asset.mfa ? &*asset.mfa : nullptr, asset.file, asset.line,
                         password_tier_settings(rules, o.lang));
    // Facts derived from the exports (support phase, software end of life, CVEs, build currency)
    // are as old as the oldest export they could rest on: a pass on them ages with the exports.
    if (const Fact* collected = facts.find("evidence.collected_at")) {
        if (const auto* day = std::get_if<std::string>(&collected->value)) {
            for (const char* enrichment :
                 {"eol-feed", "debian-tracker", "rhel-oval", "windows-builds"})
                facts.inherit_observed_at(enrichment, day->substr(0, 10));
        }
    }
    ar.fact_count = facts.size();
    roadmap = roadmap_for_asset(facts, feed, o.as_of, ar.id, ar.name);
    auto text_fact = [&](const char* name) {
        const Fact* f = facts.find(name);
        const auto* v = f ? std::get_if<std::string>(&f->value) : nullptr;
        return v ? *v : std::string();
    };
    ar.support = SupportInfo{text_fact("os.name"), text_fact("os.support_phase"),
                             text_fact("os.eol_date"), text_fact("os.extended_support_until")};
    ar.issues = facts.issues();
    EvalContext ctx{facts, asset.kind, rules, o.as_of, o.lang};
    ar.results.reserve(rules.rules.size());
    for (const auto& rule : rules.rules) ar.results.push_back(evaluate_rule(rule, ctx));
    return ar;
}

namespace {

// Probes the live targets of `inventory` (web endpoints with url, hosts with address), all
// together; writes recorded probes when asked. Nothing is contacted with --offline.
std::map<std::string, ProbeResult> run_probes(const Inventory& inventory, const ScanOptions& o,
                                              std::ostream& err) {
    std::map<std::string, ProbeResult> out;
    std::vector<ProbeRequestTarget> web, hosts;
    for (const auto& m : inventory.municipalities) {
        for (const auto& a : m.assets) {
            if (!a.probe.url.empty()) web.push_back(ProbeRequestTarget{a.id, a.probe});
            if (!a.probe.address.empty()) hosts.push_back(ProbeRequestTarget{a.id, a.probe});
        }
    }
    if (web.empty() && hosts.empty()) return out;
    if (o.offline) {
        if (!o.quiet)
            err << "grundscan: --offline: " << web.size() + hosts.size()
                << " live target(s) not probed (their rules report no evidence)\n";
        return out;
    }
    if (!o.quiet)
        err << "grundscan: probing " << web.size() << " web endpoint(s) and " << hosts.size()
            << " host(s)\n";
    std::vector<ProbeResult> results = probe_web_targets(web, o.probe, o.as_of);
    for (auto& r : probe_port_targets(hosts, o.probe)) results.push_back(std::move(r));
    for (auto& r : results) {
        if (o.save_probes) {
            std::string name =
                r.asset_id + (r.source.rfind("http", 0) == 0 ? "" : "-ports") + ".probe.json";
            if (auto s =
                    write_file_atomic(*o.save_probes / name, probe_result_to_json(r, now_iso()));
                !s)
                err << "grundscan: " << s.error().describe() << "\n";
        }
        auto [it, inserted] = out.emplace(r.asset_id, r);
        if (!inserted) {  // an asset with both url and address: merge
            for (auto& f : r.facts) it->second.facts.push_back(std::move(f));
            for (auto& i : r.issues) it->second.issues.push_back(std::move(i));
        }
    }
    return out;
}

}  // namespace

int run_scan(const ScanOptions& options, std::ostream& out, std::ostream& err) {
    ScanOptions o = options;
    if (o.local) {
        auto bundle = collect_local_bundle("/", o.out_dir / "local-bundle");
        if (!bundle) {
            err << "grundscan: " << bundle.error().describe() << "\n";
            return kExitRuntime;
        }
        if (!o.quiet) {
            err << "grundscan: collected " << bundle->collected.size()
                << " files from this host into " << bundle->directory.string() << "\n";
        }
        o.inventory = bundle->inventory_file;
    }
    auto inventory = load_inventory(o.inventory);
    if (!inventory) {
        err << "grundscan: " << inventory.error().describe() << "\n";
        return kExitUsage;
    }
    if (o.local) {
        // Collected by this process just now: that is the bundle's collection time.
        for (auto& m : inventory->municipalities)
            for (auto& a : m.assets)
                if (!a.collected) a.collected = DeclaredDate{today_utc(), o.inventory.string(), 0};
    }
    return run_scan_inventory(*inventory, o, out, err);
}

int run_scan_inventory(const Inventory& inv, const ScanOptions& options, std::ostream& out,
                       std::ostream& err) {
    ScanOptions o = options;
    const Inventory* inventory = &inv;
    std::string started = now_iso();
    if (auto type_errors = check_source_types(*inventory); !type_errors.empty()) {
        print_errors(err, type_errors);
        return kExitUsage;
    }
    RuleSet rules;
    if (auto errors = load_rules(o.rule_dirs, rules); !errors.empty()) {
        print_errors(err, errors);
        err << "grundscan: rule packs are invalid; no scan started (check with `grundscan rules "
               "validate`)\n";
        return kExitUsage;
    }
    // Every scan checks its rules against the BSI catalogue: a custom pack that cites an
    // unknown or withdrawn requirement, or the wrong level, yields no report.
    auto catalog = BsiCatalog::load(o.bsi_catalog_dir.empty() ? catalog_dir(GRUNDSCAN_DATA_DIR)
                                                              : o.bsi_catalog_dir);
    if (!catalog) {
        err << "grundscan: " << catalog.error().describe() << "\n";
        return kExitUsage;
    }
    if (auto errors = check_against_catalog(rules, *catalog); !errors.empty()) {
        print_errors(err, errors);
        err << "grundscan: rule packs do not match the BSI catalogue; no scan started\n";
        return kExitUsage;
    }
    auto bsi_catalog = std::make_shared<const BsiCatalog>(std::move(*catalog));
    ScoringConfig scoring;
    scoring.model = o.score_model;
    scoring.catalog = bsi_catalog.get();
    std::string profile_name;
    if (o.profile) {
        auto profile = load_profile(*o.profile);
        if (!profile) {
            err << "grundscan: " << profile.error().describe() << "\n";
            return kExitUsage;
        }
        if (auto errors = apply_profile(*profile, rules); !errors.empty()) {
            print_errors(err, errors);
            return kExitUsage;
        }
        if (profile->min_coverage) scoring.min_coverage = *profile->min_coverage;
        profile_name = o.profile->string();
    }
    substitute_parameters(rules);
    int eol_warning_days = 180;
    if (auto it = rules.parameters.find("eol_warning_days"); it != rules.parameters.end()) {
        if (const auto* v = std::get_if<std::int64_t>(&it->second.value))
            eol_warning_days = static_cast<int>(*v);
    }
    if (auto it = rules.parameters.find("vuln_grace_days"); it != rules.parameters.end()) {
        if (const auto* v = std::get_if<std::int64_t>(&it->second.value))
            o.vuln_grace_days = static_cast<int>(std::clamp<std::int64_t>(*v, 0, 3650));
    }
    std::vector<Waiver> waivers;
    if (o.waivers) {
        if (auto errors = load_waivers(*o.waivers, rules, *inventory, waivers); !errors.empty()) {
            print_errors(err, errors);
            err << "grundscan: the waiver file is invalid; no scan started\n";
            return kExitUsage;
        }
    }
    for (const auto& f : o.formats) {
        if (!find_report_writer(f)) {
            std::string known;
            for (const auto& w : report_writers())
                known += (known.empty() ? "" : ", ") + std::string(w.format);
            err << "grundscan: unknown report format '" << f << "' (known: " << known << ")\n";
            return kExitUsage;
        }
    }
    Feeds feeds;
    feeds.eol = load_eol_feed(o.feeds_dir / "endoflife");
    const EolFeed& feed = feeds.eol;
    std::vector<std::string> feed_errors;
    if (auto t = load_debian_tracker(o.feeds_dir / "debian" / "security-tracker.json"))
        feeds.tracker = std::move(*t);
    else
        feed_errors.push_back(t.error().describe());
    if (auto k = load_kev(o.feeds_dir / "kev" / "known_exploited_vulnerabilities.json"))
        feeds.kev = std::move(*k);
    else
        feed_errors.push_back(k.error().describe());
    feeds.rhel_oval = load_rhel_ovals(o.feeds_dir / "redhat", feed_errors);
    apply_rhel_feed_info(o.feeds_dir, feeds.rhel_oval);
    feeds.windows_builds = load_windows_builds(o.feeds_dir / "windows");
    for (const auto& w : feeds.windows_builds.warnings) feed_errors.push_back(w);

    ScanResult scan;
    scan.tool_version = GRUNDSCAN_VERSION;
    scan.started_at = started;
    scan.as_of = o.as_of.iso();
    scan.org_id = inventory->org_id;
    scan.org_name = inventory->org_name;
    scan.inventory_file = o.inventory.string();
    scan.profile = profile_name;
    for (const auto& p : rules.packs) scan.packs.push_back(RulePackInfo{p.id, p.version});
    for (const auto& r : rules.rules) scan.rules.push_back(&r);
    scan.catalog = bsi_catalog;
    scan.warnings = inventory->warnings;
    for (const auto& w : feed.warnings) scan.warnings.push_back(w);
    for (auto& w : feed_errors) scan.warnings.push_back(std::move(w));
    scan.feeds = describe_feeds(o.feeds_dir, o.max_feed_age);
    apply_feed_info(scan.feeds, feeds.tracker, feeds.kev);
    for (auto& w : stale_feed_warnings(scan.feeds, o.max_feed_age, o.as_of))
        scan.warnings.push_back(std::move(w));
    if (!o.quiet) {
        for (const auto& w : scan.warnings) err << "grundscan: warning: " << w << "\n";
    }

    // Flatten assets, scan them in parallel, put results back in inventory order.
    struct Job {
        std::size_t mun;
        const Asset* asset;
    };
    std::vector<Job> jobs;
    for (std::size_t m = 0; m < inventory->municipalities.size(); ++m) {
        const auto& mun = inventory->municipalities[m];
        MunicipalityResult mr;
        mr.id = mun.id;
        mr.name = mun.name;
        mr.ags = mun.ags;
        scan.municipalities.push_back(std::move(mr));
        for (const auto& a : mun.assets) jobs.push_back(Job{m, &a});
    }
    std::vector<std::optional<AssetResult>> done(jobs.size());
    std::vector<std::vector<RoadmapEntry>> roadmaps(jobs.size());
    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> finished{0};
    std::mutex progress_mutex;
    g_interrupted = false;
    auto old_int = std::signal(SIGINT, on_signal);
    auto old_term = std::signal(SIGTERM, on_signal);
    std::map<std::string, ProbeResult> probes = run_probes(*inventory, o, err);
    unsigned n_threads = o.jobs ? o.jobs : std::max(1u, std::thread::hardware_concurrency());
    n_threads = std::min<unsigned>(n_threads, std::max<std::size_t>(1, jobs.size()));
    if (!o.quiet)
        err << "grundscan: scanning " << jobs.size() << " asset(s) with " << n_threads
            << " job(s)\n";
    auto worker = [&] {
        while (!g_interrupted.load()) {
            std::size_t i = next.fetch_add(1);
            if (i >= jobs.size()) return;
            auto probe = probes.find(jobs[i].asset->id);
            done[i] = scan_asset(*jobs[i].asset, probe == probes.end() ? nullptr : &probe->second,
                                 rules, feeds, o, eol_warning_days, roadmaps[i]);
            std::size_t k = ++finished;
            if (o.progress) {
                std::lock_guard lock(progress_mutex);
                err << "\r[" << k << "/" << jobs.size() << "] " << jobs[i].asset->id << "\033[K"
                    << std::flush;
            }
        }
    };
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < n_threads; ++t) threads.emplace_back(worker);
    for (auto& t : threads) t.join();
    if (o.progress) err << "\r\033[K" << std::flush;
    std::signal(SIGINT, old_int);
    std::signal(SIGTERM, old_term);
    scan.complete = !g_interrupted.load();
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        if (!done[i]) continue;
        auto& mr = scan.municipalities[jobs[i].mun];
        mr.assets.push_back(std::move(*done[i]));
        for (auto& e : roadmaps[i]) mr.roadmap.push_back(std::move(e));
    }
    for (auto& mr : scan.municipalities) sort_roadmap(mr.roadmap);
    if (!scan.complete) {
        scan.warnings.push_back("scan interrupted after " + std::to_string(finished.load()) +
                                " of " + std::to_string(jobs.size()) +
                                " assets: results are partial");
    }
    apply_waivers(scan, waivers, o.as_of);
    score_scan(scan, scoring);
    scan.finished_at = now_iso();
    if (!o.quiet) {
        for (const auto& w : scan.waiver_warnings) err << "grundscan: warning: " << w << "\n";
    }
    int history_rc = kExitOk;
    if (!o.no_history) {
        auto db_path = o.db ? *o.db : o.out_dir / "grundscan.db";
        auto db = HistoryDb::open(db_path);
        if (!db) {
            err << "grundscan: history: " << db.error().describe() << "\n";
            history_rc = kExitRuntime;
        } else {
            (*db)->fill_trend(scan);
            if (auto st = (*db)->record(scan); !st) {
                err << "grundscan: history: " << st.error().describe() << "\n";
                history_rc = kExitRuntime;
            }
        }
    }
    if (o.on_result) o.on_result(scan);

    ReportOptions ro{o.out_dir, o.lang};
    int rc = kExitOk;
    for (const auto& f : o.formats) {
        auto written = find_report_writer(f)->write(scan, ro);
        if (!written) {
            err << "grundscan: " << written.error().describe() << "\n";
            rc = kExitRuntime;
            continue;
        }
        if (!o.quiet) {
            for (const auto& p : *written) err << "grundscan: wrote " << p.string() << "\n";
        }
    }
    if (!o.quiet) print_summary(out, scan, SummaryOptions{o.color, o.lang});
    if (rc == kExitOk) rc = history_rc;
    if (!scan.complete) {
        err << "grundscan: scan interrupted; partial results written (marked \"complete\": "
               "false)\n";
        return rc == kExitOk ? kExitRuntime : rc;
    }
    if (rc != kExitOk) return rc;

    // Thresholds for CI.
    bool breached = false;
    if (o.fail_under) {
        for (const auto& m : scan.municipalities) {
            if (!m.score.value) {
                err << "grundscan: threshold: " << m.id
                    << " has no score (nothing could be checked) — --fail-under cannot be met\n";
                breached = true;
            } else if (*m.score.value < *o.fail_under) {
                err << "grundscan: threshold: " << m.id << " score "
                    << static_cast<int>(*m.score.value) << " is below --fail-under "
                    << *o.fail_under << "\n";
                breached = true;
            }
        }
        if (scan.score.value && *scan.score.value < *o.fail_under) {
            err << "grundscan: threshold: organisation score "
                << static_cast<int>(*scan.score.value) << " is below --fail-under " << *o.fail_under
                << "\n";
            breached = true;
        }
    }
    if (o.min_coverage) {
        auto check = [&](const std::string& who, const Score& sc) {
            double c = sc.coverage.value_or(0);
            if (c < *o.min_coverage) {
                err << "grundscan: threshold: " << who << " coverage " << static_cast<int>(c)
                    << " % is below --min-coverage " << *o.min_coverage
                    << " (missing or unreadable exports)\n";
                breached = true;
            }
        };
        for (const auto& m : scan.municipalities) check(m.id, m.score);
        check("organisation", scan.score);
    }
    if (o.fail_on) {
        int count = 0;
        for (const auto& [sev, n] : scan.score.tally.fails_by_severity)
            if (sev >= *o.fail_on) count += n;
        if (count > 0) {
            err << "grundscan: threshold: " << count << " failed rule result(s) with severity "
                << severity_name(*o.fail_on) << " or higher (--fail-on)\n";
            breached = true;
        }
    }
    return breached ? kExitThreshold : kExitOk;
}

}  // namespace grundscan
