// `rpm -qa` collector: one NAME-[EPOCH:]VERSION-RELEASE[.ARCH] per line, optionally followed by
// blanks (or "~~") and the install time, as written by sosreport's installed-rpms.
#include <map>
#include <optional>
#include <string>

#include "scanner/collectors/linux/linux_collectors.hpp"
#include "scanner/core/dates.hpp"
#include "scanner/core/text.hpp"
#include "scanner/core/version.hpp"

namespace grundscan {

namespace {

constexpr std::string_view kArches[] = {
    "noarch",   "x86_64", "i386",    "i486",   "i586",  "i686",  "aarch64",  "armv7hl",
    "armv7hnl", "armhfp", "ppc64le", "ppc64",  "ppc",   "s390x", "s390",     "src",
    "riscv64",  "ia64",   "athlon",  "(none)", "amd64", "arm64", "mips64el", "loongarch64"};

bool is_arch(std::string_view a) {
    for (auto k : kArches)
        if (k == a) return true;
    return false;
}

bool has_digit(std::string_view s) {
    return s.find_first_of("0123456789") != std::string_view::npos;
}

struct Nevra {
    std::string name, epoch, version, release, arch;
};

// Splits from the right: arch after the last '.' (if it is a known architecture), release
// after the last '-', version after the one before; the name keeps inner '-'.
std::optional<Nevra> parse_nevra(std::string_view s) {
    for (char c : s) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  std::string_view("._+-:~^()").find(c) != std::string_view::npos;
        if (!ok) return std::nullopt;
    }
    Nevra n;
    if (auto dot = s.rfind('.'); dot != std::string_view::npos && is_arch(s.substr(dot + 1))) {
        n.arch = std::string(s.substr(dot + 1));
        s = s.substr(0, dot);
    }
    auto r = s.rfind('-');
    if (r == std::string_view::npos || r == 0) return std::nullopt;
    auto v = s.rfind('-', r - 1);
    if (v == std::string_view::npos || v == 0) return std::nullopt;
    n.name = std::string(s.substr(0, v));
    std::string_view ver = s.substr(v + 1, r - v - 1);
    n.release = std::string(s.substr(r + 1));
    if (auto colon = ver.find(':'); colon != std::string_view::npos) {
        n.epoch = std::string(ver.substr(0, colon));
        ver = ver.substr(colon + 1);
        long long e = 0;
        if (!text::parse_int(n.epoch, e) || e < 0) return std::nullopt;
    }
    n.version = std::string(ver);
    if (n.version.empty() || n.release.empty() || !has_digit(n.version) || !has_digit(n.release))
        return std::nullopt;
    if (n.name.find(':') != std::string::npos || n.release.find(':') != std::string::npos)
        return std::nullopt;
    return n;
}

// Reads an install time: "Fri Sep 27 11:51:33 2019", "Fri 27 Sep 2019 11:51:33 AM UTC",
// ISO "2019-09-27 ..." or seconds since the epoch.
std::optional<Date> parse_install_time(std::string_view s) {
    s = text::trim(s);
    if (s.empty()) return std::nullopt;
    if (auto iso = parse_iso_date(s)) return iso;
    long long secs = 0;
    if (text::parse_int(s, secs) && secs > 0) return Date::from_days(secs / 86400);
    static constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                   "jul", "aug", "sep", "oct", "nov", "dec"};
    int month = 0, day = 0, year = 0;
    for (auto tok : text::split_ws(s)) {
        std::string t = text::to_lower(tok);
        if (!t.empty() && t.back() == ',') t.pop_back();
        for (int m = 0; m < 12; ++m) {
            if (t.size() >= 3 && t.compare(0, 3, kMonths[m]) == 0 && t.size() <= 9 && !month)
                month = m + 1;
        }
        long long n = 0;
        if (text::parse_int(t, n)) {
            if (t.size() == 4 && n >= 1970 && n <= 2200 && !year) {
                year = static_cast<int>(n);
            } else if (t.size() <= 2 && n >= 1 && n <= 31 && !day) {
                day = static_cast<int>(n);
            }
        }
    }
    if (!month || !day || !year) return std::nullopt;
    Date d{year, month, day};
    // Reject impossible dates (e.g. Feb 30) by a round trip through the day count.
    if (Date::from_days(d.days_since_epoch()) != d) return std::nullopt;
    return d;
}

// Packages whose updates are security-relevant on every host and ship regularly: their
// newest install time shows when the host was last patched (unlike the newest install of
// any package, which installing one tool resets).
constexpr std::string_view kCorePackages[] = {
    "kernel",  "kernel-core",  "kernel-uek", "kernel-uek-core", "kernel-default", "glibc",
    "openssl", "openssl-libs", "openssh",    "openssh-server",  "systemd",        "systemd-libs"};

bool is_core_package(std::string_view name) {
    for (auto k : kCorePackages)
        if (k == name) return true;
    return false;
}

bool detect(std::string_view text, std::string_view filename) {
    bool name_hint = filename.find("rpm") != std::string_view::npos;
    int good = 0, bad = 0, seen = 0;
    for (auto line : text::split_lines(text)) {
        auto t = text::trim(line);
        if (t.empty()) continue;
        if (++seen > 50) break;
        auto f = text::split_ws(t);
        std::string_view tok = f[0];
        if (auto sep = tok.find("~~"); sep != std::string_view::npos) tok = tok.substr(0, sep);
        auto n = parse_nevra(tok);
        if (n && !n->arch.empty()) {
            ++good;
        } else {
            ++bad;
        }
    }
    if (name_hint) return good > 0 && good >= bad;
    return good >= 3 && good >= 4 * bad;
}

}  // namespace

// Facts: packages (name → "[epoch:]version-release"; another architecture of a name is keyed
// "name.arch"; of parallel installs of one name and architecture the highest version keeps
// the key and the others are keyed by their NEVRA as listed), packages.count,
// packages.manager = "rpm", packages.last_installed (latest install date, when the list has
// dates), packages.core_last_installed (latest install date of a core package: kernel,
// glibc, openssl, openssh, systemd; when the list has dates). Unparsable lines and dates are
// warnings; no parsable line at all: Error.
Expected<ParseOutput> parse_rpm_qa(std::string_view text) {
    ParseOutput out;
    StringMap packages;
    struct Entry {
        std::string arch, nevra;
    };
    std::map<std::string, Entry> entries;  // key of `packages` → what it was read from
    std::int64_t count = 0;
    std::optional<Date> latest, core_latest;
    int latest_line = 0, core_line = 0;
    std::string latest_excerpt, core_excerpt;
    int first_bad = 0;
    auto lines = text::split_lines(text);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        int lineno = static_cast<int>(i) + 1;
        auto t = text::trim(lines[i]);
        if (t.empty()) continue;
        std::string_view nevra_text, rest;
        if (auto sep = t.find("~~"); sep != std::string_view::npos) {
            nevra_text = text::trim(t.substr(0, sep));
            rest = t.substr(sep + 2);
        } else {
            auto end = t.find_first_of(" \t");
            nevra_text = t.substr(0, end);
            rest = end == std::string_view::npos ? std::string_view{} : t.substr(end);
        }
        auto n = parse_nevra(nevra_text);
        if (!n) {
            if (!first_bad) first_bad = lineno;
            out.warn("not a NAME-VERSION-RELEASE.ARCH line: " + std::string(t), lineno);
            continue;
        }
        std::string value =
            (n->epoch.empty() ? "" : n->epoch + ":") + n->version + "-" + n->release;
        // Same name, other architecture: "name.arch". Same name and architecture (parallel
        // installs such as kernels): the highest version keeps the key, the others are keyed
        // by their full NEVRA.
        std::string key = n->name;
        if (auto it = entries.find(key); it != entries.end() && it->second.arch != n->arch)
            key = n->name + "." + (n->arch.empty() ? "?" : n->arch);
        Entry entry{n->arch, std::string(nevra_text)};
        if (auto it = entries.find(key); it != entries.end()) {
            if (it->second.nevra == entry.nevra) {
                out.warn("package listed twice: " + entry.nevra, lineno);
                continue;
            }
            if (compare_versions(value, packages[key]) > 0) {
                packages[it->second.nevra] = packages[key];
                entries[it->second.nevra] = it->second;
                packages[key] = value;
                it->second = entry;
            } else {
                packages[entry.nevra] = value;
                entries[entry.nevra] = entry;
            }
        } else {
            packages[key] = value;
            entries[key] = entry;
        }
        ++count;
        if (!text::trim(rest).empty()) {
            auto d = parse_install_time(rest);
            if (!d) {
                out.warn("unreadable install date: " + std::string(text::trim(rest)), lineno);
            } else {
                if (!latest || *d > *latest) {
                    latest = d;
                    latest_line = lineno;
                    latest_excerpt = std::string(t);
                }
                if (is_core_package(n->name) && (!core_latest || *d > *core_latest)) {
                    core_latest = d;
                    core_line = lineno;
                    core_excerpt = std::string(t);
                }
            }
        }
    }
    if (count == 0) {
        return Error{"not an rpm -qa list: no NAME-VERSION-RELEASE line", "", first_bad};
    }
    std::string summary = std::to_string(count) + " installed packages";
    out.add("packages", std::move(packages), 0, summary);
    out.add("packages.count", count, 0, summary);
    out.add("packages.manager", std::string("rpm"), 0, "rpm -qa list");
    if (latest) out.add("packages.last_installed", latest->iso(), latest_line, latest_excerpt);
    if (core_latest)
        out.add("packages.core_last_installed", core_latest->iso(), core_line, core_excerpt);
    return out;
}

const CollectorInfo& rpm_qa_collector() {
    static const CollectorInfo c{"rpm-qa", "RPM package list (`rpm -qa`, sosreport installed-rpms)",
                                 &detect, &parse_rpm_qa};
    return c;
}

}  // namespace grundscan
