#include "scanner/cli/feeds_command.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <iomanip>
#include <map>
#include <optional>
#include <set>

#include "scanner/core/dates.hpp"
#include "scanner/core/text.hpp"
#include "scanner/feeds/feed_store.hpp"

#ifndef GRUNDSCAN_DATA_DIR
#define GRUNDSCAN_DATA_DIR "."
#endif

namespace grundscan {

namespace fs = std::filesystem;

namespace {

const char* kFeedsUsage = R"(usage:
  grundscan feeds update [--feeds DIR] [--sources FILE] [--source NAME]... [--timeout S]
                         [--proxy URL] [--cacert FILE]
  grundscan feeds status [--feeds DIR] [--max-age DAYS]

update  downloads every feed of the sources file (default <data dir>/feeds/sources.yaml) into
        the feed directory (default <data dir>/feeds); conditional requests (ETag,
        Last-Modified), checksum and content checks; on any failure the old file is kept.
        --source NAME (repeatable) picks feeds by name or kind (e.g. cisa-kev, endoflife).
status  one line per feed: file, source, data date ("data as of": the date of the data itself,
        e.g. KEV dateReleased, HTTP Last-Modified at download; never the file date), its age,
        coverage (complete/excerpt), version and state: "veraltet/stale" when the data is older
        than --max-age days (default 30), "FEHLER/failed" when the last update failed.

Exit codes: 0 ok, 1 a feed is stale, missing, of unknown date or its last update failed (old
data kept), 2 usage error.
)";

fs::path data_dir() {
    if (const char* env = std::getenv("GRUNDSCAN_DATA_DIR"); env && *env) return env;
    return GRUNDSCAN_DATA_DIR;
}

// Minimal option parser: "--name VALUE" or "--name=VALUE"; repeatable options collect.
struct Parsed {
    std::map<std::string, std::vector<std::string>> values;
    bool help = false;
    std::string error;
    std::optional<std::string> last(const std::string& k) const {
        auto it = values.find(k);
        if (it == values.end() || it->second.empty()) return std::nullopt;
        return it->second.back();
    }
};

Parsed parse_args(const std::vector<std::string>& args, std::size_t start,
                  const std::set<std::string>& known) {
    Parsed p;
    for (std::size_t i = start; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--help" || a == "-h") {
            p.help = true;
            continue;
        }
        if (!a.starts_with("--")) {
            p.error = "unexpected argument '" + a + "'";
            return p;
        }
        std::string name = a.substr(2), value;
        bool inline_value = false;
        if (auto eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
            inline_value = true;
        }
        if (!known.count(name)) {
            p.error = "unknown option '--" + name + "'";
            return p;
        }
        if (!inline_value) {
            if (i + 1 >= args.size()) {
                p.error = "option '--" + name + "' needs a value";
                return p;
            }
            value = args[++i];
        }
        p.values[name].push_back(value);
    }
    return p;
}

fs::path feeds_dir_of(const Parsed& p) {
    auto d = p.last("feeds");
    return d ? fs::path(*d) : data_dir() / "feeds";
}

int cmd_update(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    Parsed p = parse_args(args, 1, {"feeds", "sources", "source", "timeout", "proxy", "cacert"});
    if (p.help) {
        out << kFeedsUsage;
        return 0;
    }
    auto usage = [&](const std::string& msg) {
        err << "grundscan feeds update: " << msg << "\n" << kFeedsUsage;
        return 2;
    };
    if (!p.error.empty()) return usage(p.error);
    FeedFetchOptions o;
    if (auto t = p.last("timeout")) {
        long long s = 0;
        if (!text::parse_int(*t, s) || s < 1 || s > 3600)
            return usage("--timeout must be 1..3600 seconds");
        o.timeout_s = static_cast<long>(s);
    }
    if (auto x = p.last("proxy")) o.proxy = *x;
    if (auto c = p.last("cacert")) {
        std::error_code ec;
        if (!fs::is_regular_file(*c, ec)) return usage("--cacert: no such file: " + *c);
        o.cacert = *c;
    }
    fs::path feeds = feeds_dir_of(p);
    fs::path sources_file =
        p.last("sources") ? fs::path(*p.last("sources")) : data_dir() / "feeds" / "sources.yaml";
    auto sources = load_feed_sources(sources_file);
    if (!sources) {
        err << "grundscan feeds update: " << sources.error().describe() << "\n";
        return 2;
    }
    std::vector<FeedSource> selected;
    if (p.values.count("source")) {
        for (const auto& want : p.values["source"]) {
            bool found = false;
            for (const auto& s : *sources) {
                if (s.name != want && s.kind != want) continue;
                found = true;
                if (std::none_of(selected.begin(), selected.end(),
                                 [&](const FeedSource& x) { return x.name == s.name; }))
                    selected.push_back(s);
            }
            if (!found)
                return usage("--source " + want + ": no such feed in " + sources_file.string());
        }
    } else {
        selected = *sources;
    }
    std::error_code ec;
    fs::create_directories(feeds, ec);
    if (ec) {
        err << "grundscan feeds update: cannot create " << feeds.string() << ": " << ec.message()
            << "\n";
        return 1;
    }

    auto results = update_feeds(feeds, selected, o);
    int updated = 0, unchanged = 0, failed = 0;
    for (const auto& r : results) {
        switch (r.outcome) {
            case FeedOutcome::Updated:
                ++updated;
                out << r.name << ": aktualisiert/updated " << r.target << " (" << r.bytes
                    << " bytes from " << r.url << ")\n";
                break;
            case FeedOutcome::NotModified:
                ++unchanged;
                out << r.name << ": unverändert/not modified " << r.target << " (" << r.url
                    << ")\n";
                break;
            case FeedOutcome::Failed:
                ++failed;
                err << r.name << ": FEHLER/failed: " << r.message << "; "
                    << (r.old_kept ? "old file kept: " + r.target : "no previous file " + r.target)
                    << "\n";
                break;
        }
    }
    out << updated << " updated, " << unchanged << " not modified, " << failed << " failed ("
        << feeds.string() << ")\n";
    return failed > 0 ? 1 : 0;
}

int cmd_status(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    Parsed p = parse_args(args, 1, {"feeds", "max-age"});
    if (p.help) {
        out << kFeedsUsage;
        return 0;
    }
    if (!p.error.empty()) {
        err << "grundscan feeds status: " << p.error << "\n" << kFeedsUsage;
        return 2;
    }
    long long max_age = 30;
    if (auto m = p.last("max-age")) {
        if (!text::parse_int(*m, max_age) || max_age < 0 || max_age > 36500) {
            err << "grundscan feeds status: --max-age must be a number of days (0..36500)\n";
            return 2;
        }
    }
    fs::path feeds = feeds_dir_of(p);
    Date today = today_utc();
    auto status = feed_status(feeds);
    constexpr int kCols = 7;
    using Row = std::array<std::string, kCols + 1>;  // + STATE (last, not padded)
    std::vector<Row> rows{
        {"FEED", "FILE", "SOURCE", "DATA AS OF", "AGE", "COVERAGE", "VERSION", "STATE"}};
    bool bad = false;
    for (const auto& st : status) {
        const FeedInfo& f = st.info;
        Row r{f.name,
              st.file,
              f.source.empty() ? "-" : f.source,
              f.data_date.empty() ? "-" : f.data_date,
              "-",
              f.coverage.empty() ? (st.present ? "unknown" : "-") : f.coverage,
              f.version.empty() ? "-" : f.version,
              ""};
        std::vector<std::string> states;
        auto age = feed_age_days(f, today);
        if (!st.present) {
            states.push_back("fehlt/missing");
        } else if (!age) {
            states.push_back("Datenstand unbekannt/data date unknown");
        } else {
            r[4] = std::to_string(*age) + " d";
            if (*age > max_age) states.push_back("veraltet/stale");
        }
        if (!st.last_error.empty()) states.push_back("FEHLER/failed (last update)");
        bad = bad || !states.empty();
        for (const auto& x : states) r[kCols] += (r[kCols].empty() ? "" : ", ") + x;
        if (r[kCols].empty()) r[kCols] = "ok";
        rows.push_back(std::move(r));
    }
    std::size_t w[kCols] = {};
    for (const auto& r : rows)
        for (int i = 0; i < kCols; ++i) w[i] = std::max(w[i], r[i].size());
    for (const auto& r : rows) {
        for (int i = 0; i < kCols; ++i)
            out << std::left << std::setw(static_cast<int>(w[i] + 2)) << r[i];
        out << r[kCols] << "\n";
    }
    out << "feed directory: " << feeds.string() << " (max age " << max_age
        << " days, counted from the data date)\n";
    for (const auto& st : status) {
        if (!st.present) continue;
        const FeedInfo& f = st.info;
        auto age = feed_age_days(f, today);
        out << f.name << ": data as of "
            << (f.data_date.empty() ? std::string("unknown")
                                    : f.data_date + ", " + std::to_string(*age) + " d")
            << " (" << (f.data_date_basis.empty() ? "-" : f.data_date_basis) << "); coverage "
            << (f.coverage.empty() ? "unknown" : f.coverage)
            << (f.coverage_note.empty() ? "" : " (" + f.coverage_note + ")")
            << "; last successful update " << (f.updated.empty() ? "never" : f.updated) << "\n";
    }
    for (const auto& st : status)
        if (!st.last_error.empty())
            out << st.info.name << ": FEHLER/failed: last update failed: " << st.last_error << "\n";
    return bad ? 1 : 0;
}

}  // namespace

int cmd_feeds(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    if (args.empty()) {
        err << kFeedsUsage;
        return 2;
    }
    if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        out << kFeedsUsage;
        return 0;
    }
    if (args[0] == "update") return cmd_update(args, out, err);
    if (args[0] == "status") return cmd_status(args, out, err);
    err << "grundscan feeds: unknown subcommand '" << args[0] << "'\n" << kFeedsUsage;
    return 2;
}

}  // namespace grundscan
