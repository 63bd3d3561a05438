#include "scanner/enrich/software_eol.hpp"

#include <algorithm>
#include <set>
#include <tuple>

#include "scanner/core/text.hpp"

namespace grundscan {

namespace {

// Upstream part of a package version: without epoch ("1:"), Debian revision / RPM release
// ("-9+deb12u1", "-27.el9") and build suffixes ("+93", "~bookworm").
std::string upstream_version(std::string_view v) {
    v = text::trim(v);
    if (auto colon = v.find(':'); colon != std::string_view::npos) {
        bool digits = colon > 0 && std::all_of(v.begin(), v.begin() + static_cast<long>(colon),
                                               [](char c) { return c >= '0' && c <= '9'; });
        if (digits) v.remove_prefix(colon + 1);
    }
    auto cut = v.find_first_of("-+~");
    return std::string(v.substr(0, cut));
}

// Leading dotted numbers: "1.1.1f" -> {1, 1, 1}, "8.1.2" -> {8, 1, 2}, "93" -> {93}.
std::vector<long long> leading_numbers(std::string_view v) {
    std::vector<long long> out;
    std::size_t i = 0;
    while (i < v.size() && v[i] >= '0' && v[i] <= '9') {
        long long n = 0;
        while (i < v.size() && v[i] >= '0' && v[i] <= '9') n = n * 10 + (v[i++] - '0');
        out.push_back(n);
        if (i + 1 < v.size() && v[i] == '.' && v[i + 1] >= '0' && v[i + 1] <= '9')
            ++i;
        else
            break;
    }
    return out;
}

std::string join_numbers(const std::vector<long long>& n, std::size_t count) {
    std::string s;
    for (std::size_t i = 0; i < count && i < n.size(); ++i)
        s += (i ? "." : "") + std::to_string(n[i]);
    return s;
}

// Candidate feed cycles of `product` for an upstream version (endoflife.date conventions).
std::vector<std::string> cycles_for(const std::string& product, std::string_view version) {
    auto n = leading_numbers(version);
    if (n.empty()) return {};
    if (product == "nginx" || product == "apache-http-server" || product == "php") {
        if (n.size() < 2) return {};
        return {join_numbers(n, 2)};
    }
    if (product == "openssl") {
        if (n[0] >= 3)
            return n.size() >= 2 ? std::vector<std::string>{join_numbers(n, 2)}
                                 : std::vector<std::string>{};
        if (n.size() < 3) return {};
        return {join_numbers(n, 3)};  // 1.1.1, 1.0.2: the letter is a patch release
    }
    if (product == "tomcat") {
        // endoflife.date: "9", "8" ... but "8.5", "10.1", "11.0"
        if (n.size() < 2) return {std::to_string(n[0])};
        bool minor_cycle = n[0] >= 10 || (n[0] == 8 && n[1] == 5);
        if (minor_cycle) return {join_numbers(n, 2), std::to_string(n[0])};
        return {std::to_string(n[0]), join_numbers(n, 2)};
    }
    if (product == "postgresql") {
        if (n[0] >= 10) return {std::to_string(n[0])};
        if (n.size() < 2) return {};
        return {join_numbers(n, 2)};  // 9.6
    }
    return {};
}

bool all_digits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Packages from repositories that follow upstream support rather than the distribution's.
bool third_party_build(std::string_view version) {
    std::string v = text::to_lower(version);
    return v.find("sury") != std::string::npos || v.find("pgdg") != std::string::npos ||
           v.find(".remi") != std::string::npos;
}

std::string fact_text(const FactSet& facts, const char* name) {
    const Fact* f = facts.find(name);
    if (!f) return {};
    if (auto s = std::get_if<std::string>(&f->value)) return *s;
    return {};
}

enum class Phase { Regular, Extended, Ended };

const char* phase_name(Phase p) {
    return p == Phase::Regular ? "regular" : p == Phase::Extended ? "extended" : "ended";
}

// Upstream phase of a feed cycle on `as_of`.
Phase upstream_phase(const EolCycle& c, const Date& as_of) {
    if (c.eol) {
        if (*c.eol >= as_of) return Phase::Regular;
        if (c.extended && *c.extended >= as_of) return Phase::Extended;
        return Phase::Ended;
    }
    if (c.eol_false) return Phase::Regular;
    return Phase::Ended;  // "eol: true" without a date
}

// Last day of upstream support (extended support counts), nullopt when none announced.
std::optional<Date> upstream_end(const EolCycle& c) {
    if (c.extended && (!c.eol || *c.extended > *c.eol)) return c.extended;
    return c.eol;
}

std::string feed_label(const EolProduct& p, const EolCycle& c) {
    std::string s = p.product + " " + c.cycle + " (";
    if (c.eol)
        s += "eol " + c.eol->iso();
    else
        s += c.eol_false ? "eol false" : "eol";
    if (c.extended) s += ", eoes " + c.extended->iso();
    return s + ")";
}

// Support of the OS distribution the packages came from (enrich_with_eol facts).
struct DistroSupport {
    enum { Unknown, Supported, Ended } state = Unknown;
    std::string label;  // "debian 12"
    std::string phase;  // regular, extended
    std::string end;    // last day of distribution support (eoes, else eol), "" none announced
};

DistroSupport distro_support(const FactSet& facts) {
    DistroSupport d;
    std::string phase = fact_text(facts, "os.support_phase");
    std::string id = fact_text(facts, "os.id");
    std::string cycle = fact_text(facts, "os.eol_cycle");
    d.label = id.empty() ? std::string("distribution") : id + (cycle.empty() ? "" : " " + cycle);
    d.phase = phase;
    if (phase == "regular" || phase == "extended") d.state = DistroSupport::Supported;
    if (phase == "ended") d.state = DistroSupport::Ended;
    d.end = fact_text(facts, "os.extended_support_until");
    if (d.end.empty()) d.end = fact_text(facts, "os.eol_date");
    return d;
}

struct Found {
    SoftwareRelease rel;
    const EolProduct* product = nullptr;
    const EolCycle* cycle = nullptr;
};

// Releases of `facts` looked up in `feed`; those the feed lacks are reported to `missing`.
std::vector<Found> look_up(const FactSet& facts, const EolFeed& feed,
                           std::vector<SourceIssue>* missing) {
    std::vector<Found> out;
    for (auto& rel : identify_software(facts)) {
        const EolProduct* p = feed.find(rel.product);
        const EolCycle* c = nullptr;
        if (p)
            for (const auto& cand : rel.cycles)
                if ((c = p->find(cand))) break;
        if (!c) {
            if (missing) {
                missing->push_back(SourceIssue{p ? p->file : std::string("feeds"), "eol-feed",
                                               "no end-of-life data for " + rel.product + " " +
                                                   rel.cycles.front() + " (" + rel.origin + " " +
                                                   rel.version + "): release not judged",
                                               0, false});
            }
            continue;
        }
        out.push_back(Found{std::move(rel), p, c});
    }
    return out;
}

}  // namespace

std::optional<SoftwareRelease> software_from_package(const std::string& name,
                                                     const std::string& version) {
    std::string n = text::to_lower(name);
    std::string up = upstream_version(version);
    SoftwareRelease r;
    r.version = version;
    r.origin = "package " + name;
    r.distribution_package = !third_party_build(version);
    auto starts = [&](std::string_view p) { return n.rfind(p, 0) == 0; };
    std::string cycle_version = up;  // version the cycle is derived from
    if (n == "nginx" || starts("nginx-")) {
        r.product = "nginx";
    } else if (n == "apache2" || n == "apache2-bin" || n == "httpd" || n == "httpd-core") {
        r.product = "apache-http-server";
    } else if (starts("php") && n.size() > 3 && n[3] >= '0' && n[3] <= '9') {
        // php8.1, php8.1-fpm, php7.4-common (Debian/Ubuntu and deb.sury.org): cycle in the name
        std::string_view rest = std::string_view(n).substr(3);
        auto dash = rest.find('-');
        std::string_view cyc = rest.substr(0, dash);
        auto dot = cyc.find('.');
        if (dot == std::string_view::npos || !all_digits(cyc.substr(0, dot)) ||
            !all_digits(cyc.substr(dot + 1)))
            return std::nullopt;
        r.product = "php";
        cycle_version = std::string(cyc);
    } else if (n == "php" || n == "php-common" || n == "php-cli" || n == "php-fpm") {
        // RPM: the PHP version itself. Debian's php-common is php-defaults ("2:93"): no
        // major.minor, so nothing is derived from it.
        auto nums = leading_numbers(up);
        if (nums.size() < 2 || nums[0] < 5 || nums[0] > 9) return std::nullopt;
        r.product = "php";
    } else if (n == "openssl" || n == "openssl-libs" || starts("compat-openssl") ||
               (starts("libssl") && n.size() > 6 && n[6] >= '0' && n[6] <= '9')) {
        r.product = "openssl";  // libssl3, libssl3t64, libssl1.1: the version says the cycle
    } else if (starts("tomcat") && (n.size() == 6 || all_digits(std::string_view(n).substr(6)))) {
        r.product = "tomcat";  // tomcat (RPM), tomcat9, tomcat10 (Debian)
    } else if (starts("postgresql-") && n.size() > 11 && n[11] >= '0' && n[11] <= '9') {
        // postgresql-15, postgresql-9.6 (Debian): the major is in the name
        std::string_view rest = std::string_view(n).substr(11);
        auto nums = leading_numbers(rest);
        if (join_numbers(nums, 2) != rest) return std::nullopt;  // postgresql-15-foo
        r.product = "postgresql";
        cycle_version = std::string(rest);
    } else if (n == "postgresql-server" ||
               (starts("postgresql") && n.size() > 17 && n.substr(n.size() - 7) == "-server" &&
                all_digits(n.substr(10, n.size() - 17)))) {
        r.product = "postgresql";  // RHEL postgresql-server, PGDG postgresql15-server
        if (n != "postgresql-server") r.distribution_package = false;
    } else {
        return std::nullopt;
    }
    r.cycles = cycles_for(r.product, cycle_version);
    if (r.cycles.empty()) return std::nullopt;
    return r;
}

std::optional<SoftwareRelease> software_from_banner(const std::string& product,
                                                    const std::string& version) {
    std::string p = text::to_lower(text::trim(product));
    SoftwareRelease r;
    if (p == "nginx")
        r.product = "nginx";
    else if (p == "apache" || p == "apache2" || p == "httpd" || p == "apache-http-server")
        r.product = "apache-http-server";
    else
        return std::nullopt;
    r.version = std::string(text::trim(version));
    r.origin = "HTTP Server header";
    r.cycles = cycles_for(r.product, r.version);
    if (r.cycles.empty()) return std::nullopt;
    return r;
}

std::vector<SoftwareRelease> identify_software(const FactSet& facts) {
    std::vector<SoftwareRelease> out;
    std::set<std::pair<std::string, std::string>> seen;
    std::set<std::string> products;
    if (const Fact* f = facts.find("packages")) {
        if (const auto* m = std::get_if<StringMap>(&f->value)) {
            for (const auto& [name, version] : *m) {
                auto r = software_from_package(name, version);
                if (!r) continue;
                products.insert(r->product);
                if (seen.emplace(r->product, r->cycles.front()).second) out.push_back(*r);
            }
        }
    }
    std::string banner_product = fact_text(facts, "http.server_product");
    std::string banner_version = fact_text(facts, "http.server_version");
    if (!banner_product.empty() && !banner_version.empty()) {
        auto r = software_from_banner(banner_product, banner_version);
        // The package inventory of the same host is more exact than its banner.
        if (r && !products.count(r->product)) {
            // "Apache/2.4.57 (Debian)": a distribution build, judged like a package.
            std::string banner = text::to_lower(fact_text(facts, "http.server_banner"));
            for (const char* d : {"(debian", "(ubuntu", "(red hat", "(centos", "(rocky",
                                  "(almalinux", "(suse", "(fedora", "(oracle"}) {
                if (banner.find(d) != std::string::npos) r->distribution_package = true;
            }
            if (r->distribution_package) r->origin += " (distribution build)";
            if (seen.emplace(r->product, r->cycles.front()).second) out.push_back(*r);
        }
    }
    return out;
}

void enrich_with_software_eol(FactSet& facts, const EolFeed& feed, const Date& as_of,
                              int warning_days) {
    std::vector<SourceIssue> issues;
    std::vector<Found> found = look_up(facts, feed, &issues);
    DistroSupport distro = distro_support(facts);
    StringList unsupported, eol_soon;
    std::vector<std::string> excerpts;
    std::set<std::string> files;
    int line = 0;
    std::size_t judged = 0;
    for (const auto& f : found) {
        const EolCycle& c = *f.cycle;
        std::string label = feed_label(*f.product, c);
        std::string origin = f.rel.origin + " " + f.rel.version;
        Phase phase = upstream_phase(c, as_of);
        std::optional<Date> end = phase == Phase::Regular ? c.eol : upstream_end(c);
        std::string item = f.product->product + " " + c.cycle + " (" +
                           (end ? end->iso() : std::string("unknown date")) + ")";
        bool ended = phase == Phase::Ended;
        bool soon = !ended && end && days_between(as_of, *end) < warning_days;
        std::string verdict;
        if ((ended || soon) && f.rel.distribution_package &&
            distro.state == DistroSupport::Supported) {
            verdict = "distribution-supported (" + distro.label + ", " + distro.phase +
                      (distro.end.empty() ? std::string() : " until " + distro.end) + ")";
        } else if ((ended || soon) && f.rel.distribution_package &&
                   distro.state == DistroSupport::Unknown) {
            issues.push_back(SourceIssue{
                f.product->file, "eol-feed",
                label + " (" + origin + "): upstream support " + (ended ? "ended" : "ends soon") +
                    ", but the distribution's support status is unknown: release not judged",
                c.line, false});
            continue;
        } else if (ended) {
            unsupported.push_back(item);
            verdict = "unsupported";
        } else if (soon) {
            eol_soon.push_back(item);
            verdict = "support ends within " + std::to_string(warning_days) + " days";
        } else {
            verdict = "supported";
        }
        if (ended && f.rel.distribution_package && distro.state == DistroSupport::Ended)
            verdict += ", distribution " + distro.label + " past its end of life";
        ++judged;
        files.insert(f.product->file);
        line = c.line;
        excerpts.push_back(label + " - " + origin + ": " + verdict);
    }
    for (auto& i : issues) facts.add_issue(std::move(i));
    if (judged == 0) return;  // nothing identified or judged: the rules report no evidence
    std::string source;
    for (const auto& f : files) source += (source.empty() ? "" : ", ") + f;
    std::string excerpt;
    for (const auto& e : excerpts) excerpt += (excerpt.empty() ? "" : "; ") + e;
    Provenance prov{source, files.size() == 1 && judged == 1 ? line : 0, "eol-feed", excerpt};
    facts.add(Fact{"software.unsupported", std::move(unsupported), prov, 0});
    facts.add(Fact{"software.eol_soon", std::move(eol_soon), prov, 0});
}

std::vector<RoadmapEntry> roadmap_for_asset(const FactSet& facts, const EolFeed& feed,
                                            const Date& as_of, const std::string& asset_id,
                                            const std::string& asset_name) {
    std::vector<RoadmapEntry> out;
    std::string os_cycle = fact_text(facts, "os.eol_cycle");
    if (!os_cycle.empty()) {
        auto lookup = eol_lookup_for(facts);
        RoadmapEntry e;
        e.asset_id = asset_id;
        e.asset_name = asset_name;
        e.product = lookup ? lookup->product : fact_text(facts, "os.id");
        e.cycle = os_cycle;
        e.eol_date = fact_text(facts, "os.eol_date");
        e.extended_until = fact_text(facts, "os.extended_support_until");
        e.phase = fact_text(facts, "os.support_phase");
        out.push_back(std::move(e));
    }
    DistroSupport distro = distro_support(facts);
    for (const auto& f : look_up(facts, feed, nullptr)) {
        const EolCycle& c = *f.cycle;
        RoadmapEntry e;
        e.asset_id = asset_id;
        e.asset_name = asset_name;
        e.product = f.product->product;
        e.cycle = c.cycle;
        e.eol_date = c.eol ? c.eol->iso() : "";
        e.extended_until = c.extended ? c.extended->iso() : "";
        Phase phase = upstream_phase(c, as_of);
        if (f.rel.distribution_package && distro.state == DistroSupport::Supported) {
            // Security fixes from the distribution until its own end: shown as extended
            // support of the release when that outlasts the upstream end.
            auto up_end = upstream_end(c);
            auto d_end = parse_iso_date(distro.end);
            if (d_end && (!up_end || *d_end > *up_end) && !(phase == Phase::Regular && !c.eol)) {
                e.extended_until = d_end->iso();
                if (phase == Phase::Ended) phase = Phase::Extended;
            }
        }
        e.phase = phase_name(phase);
        out.push_back(std::move(e));
    }
    sort_roadmap(out);
    return out;
}

void sort_roadmap(std::vector<RoadmapEntry>& roadmap) {
    std::stable_sort(roadmap.begin(), roadmap.end(),
                     [](const RoadmapEntry& a, const RoadmapEntry& b) {
                         return std::make_tuple(a.eol_date.empty(), a.eol_date, a.asset_name,
                                                a.asset_id, a.product, a.cycle) <
                                std::make_tuple(b.eol_date.empty(), b.eol_date, b.asset_name,
                                                b.asset_id, b.product, b.cycle);
                     });
}

}  // namespace grundscan
