// `apt list --upgradable`: "Listing..." then one line per package,
// "NAME/SUITE[,SUITE...] VERSION ARCH [upgradable from: OLD]". The suites are archive names
// (Release "Suite"), e.g. "bookworm-security", "stable-security", "jammy-updates". Debian 10
// and older publish security updates under a plain suite name ("oldstable"), so a line
// without a "-security" suite does not show that the update is not a security update.
#include <optional>
#include <set>
#include <string>

#include "scanner/collectors/linux/linux_collectors.hpp"
#include "scanner/core/text.hpp"

namespace grundscan {

namespace {

constexpr std::size_t kMaxLines = 200000;
constexpr std::size_t kMaxLineLength = 4096;

struct Entry {
    std::string name;
    bool security = false;
};

// "openssl/stable-security,stable 3.0.11-1~deb12u2 amd64 [upgradable from: 3.0.9-1]".
std::optional<Entry> parse_entry(std::string_view t) {
    auto f = text::split_ws(t);
    if (f.size() < 3) return std::nullopt;
    auto slash = f[0].find('/');
    if (slash == std::string_view::npos || slash == 0 || slash + 1 == f[0].size())
        return std::nullopt;
    if (t.find("[upgradable from:") == std::string_view::npos) return std::nullopt;
    Entry e{std::string(f[0].substr(0, slash)), false};
    for (auto suite : text::split(f[0].substr(slash + 1), ',')) {
        std::string s = text::to_lower(text::trim(suite));
        if (s.ends_with("-security") || s == "security") e.security = true;
    }
    return e;
}

// A line of any `apt list` ("NAME/SUITE VERSION ARCH [...]"), upgradable or not.
bool is_list_line(std::string_view t) {
    auto f = text::split_ws(t);
    return f.size() >= 3 && f[0].find('/') != std::string_view::npos && t.ends_with("]");
}

bool detect(std::string_view text, std::string_view filename) {
    int entries = 0, others = 0, seen = 0;
    bool listing = false;
    for (auto line : text::split_lines(text)) {
        auto t = text::trim(line);
        if (t.empty()) continue;
        if (++seen > 40) break;
        if (t.starts_with("Listing...")) listing = true;
        if (parse_entry(t))
            ++entries;
        else if (is_list_line(t))
            ++others;
    }
    // "Listing..." alone (nothing upgradable) only with a telling file name.
    bool name_hint = filename.find("upgradable") != std::string_view::npos;
    return others == 0 && (entries > 0 || (listing && name_hint));
}

}  // namespace

// Facts (line 0): updates.pending (number of upgradable packages), updates.pending_security
// and updates.pending_security_list (packages with a "*-security" suite). When nothing is
// upgradable, pending security is 0. When packages are upgradable but none names a
// "-security" suite, the output cannot tell security updates from others (Debian 10 and
// older): updates.pending_security is absent and a warning names the better export. Without
// the "Listing..." line (a filtered output) only a positive security count is kept. Apt
// errors ("E:" lines): Error.
Expected<ParseOutput> parse_apt_list_upgradable(std::string_view text) {
    ParseOutput out;
    auto split = text::split_lines_within(text, kMaxLines, kMaxLineLength);
    if (!split) return split.error();
    const auto& lines = *split;
    bool listing = false;
    std::int64_t pending = 0;
    std::set<std::string> security;
    int first_security_line = 0;
    std::string first_security_excerpt;
    int first_bad = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        int lineno = static_cast<int>(i) + 1;
        auto t = text::trim(lines[i]);
        if (t.empty()) continue;
        if (t.starts_with("Listing...")) {
            listing = true;
            continue;
        }
        if (t.starts_with("E:"))
            return Error{"apt reported an error: " + std::string(t), "", lineno};
        if (t.starts_with("WARNING: apt does not have a stable CLI interface") ||
            t.starts_with("N:")) {
            continue;
        }
        if (t.starts_with("W:")) {
            out.warn("apt warning: " + std::string(t), lineno);
            continue;
        }
        auto e = parse_entry(t);
        if (!e && is_list_line(t)) {
            return Error{
                "not an --upgradable listing (no \"[upgradable from:\"): " + std::string(t), "",
                lineno};
        }
        if (!e) {
            if (!first_bad) first_bad = lineno;
            out.warn("not an upgradable-package line: " + std::string(t), lineno);
            continue;
        }
        ++pending;
        if (e->security) {
            if (security.empty()) {
                first_security_line = lineno;
                first_security_excerpt = std::string(t);
            }
            security.insert(e->name);
        }
    }
    if (!listing && pending == 0) {
        return Error{"not an apt list --upgradable output: no \"Listing...\" line and no package",
                     "", first_bad};
    }
    std::string basis = "apt list --upgradable: ";
    if (!listing) {
        out.warn(
            "no \"Listing...\" line: the output may be filtered, so the number of "
            "upgradable packages is not known and only listed security updates count");
        if (!security.empty()) {
            std::string s = basis + std::to_string(security.size()) +
                            " security updates (at least), first: " + first_security_excerpt;
            out.add("updates.pending_security", static_cast<std::int64_t>(security.size()),
                    first_security_line, s);
            out.add("updates.pending_security_list", StringList(security.begin(), security.end()),
                    first_security_line, s);
        }
        return out;
    }
    out.add("updates.pending", pending, 0,
            basis + std::to_string(pending) + " upgradable packages");
    if (pending == 0) {
        out.add("updates.pending_security", std::int64_t{0}, 0, basis + "nothing upgradable");
        out.add("updates.pending_security_list", StringList{}, 0, basis + "nothing upgradable");
        return out;
    }
    if (security.empty()) {
        out.warn("pending security updates not known: " + std::to_string(pending) +
                 " upgradable packages, none from a \"-security\" suite, and apt list names only "
                 "the suite (Debian 10 and older publish security updates without that suffix); "
                 "export `apt-get -s dist-upgrade`, whose origins tell");
        return out;
    }
    std::string s = basis + std::to_string(security.size()) + " of " + std::to_string(pending) +
                    " upgradable packages from a security suite, first: " + first_security_excerpt;
    out.add("updates.pending_security", static_cast<std::int64_t>(security.size()),
            first_security_line, s);
    out.add("updates.pending_security_list", StringList(security.begin(), security.end()),
            first_security_line, s);
    return out;
}

const CollectorInfo& apt_list_upgradable_collector() {
    static const CollectorInfo c{"apt-list-upgradable",
                                 "Upgradable packages (`apt list --upgradable`, Debian, Ubuntu)",
                                 &detect, &parse_apt_list_upgradable};
    return c;
}

}  // namespace grundscan
