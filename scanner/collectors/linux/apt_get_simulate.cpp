// `apt-get -s upgrade` / `apt-get -s dist-upgrade` (simulation): one "Inst" line per package
// the upgrade would install,
//   Inst NAME [OLD] (NEW ORIGIN:VERSION/ARCHIVE[, ORIGIN:VERSION/ARCHIVE...] [ARCH]) [...]
// e.g. "(3.0.11-1~deb12u2 Debian-Security:12/stable-security [amd64])", and the summary
// "N upgraded, M newly installed, R to remove and K not upgraded.". The origin (Release
// "Label", e.g. Debian-Security) and archive name where a package comes from tell security
// updates from others on every Debian and Ubuntu release.
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "scanner/collectors/linux/linux_collectors.hpp"
#include "scanner/core/text.hpp"

namespace grundscan {

namespace {

constexpr std::size_t kMaxLines = 400000;
constexpr std::size_t kMaxLineLength = 4096;

struct Inst {
    std::string name;
    bool security = false;
};

// One origin "Debian-Security:12/stable-security", "Ubuntu:22.04/jammy-security",
// "UbuntuESM:jammy-infra-security", "Debian:12.5/stable", "local".
bool origin_is_security(std::string_view o) {
    std::string s = text::to_lower(text::trim(o));
    auto colon = s.find(':');
    std::string label = colon == std::string::npos ? s : s.substr(0, colon);
    auto slash = s.rfind('/');
    std::string archive = slash == std::string::npos ? "" : s.substr(slash + 1);
    return label.find("security") != std::string::npos || archive.ends_with("-security") ||
           s.ends_with("-security");
}

std::optional<Inst> parse_inst(std::string_view t) {
    if (!t.starts_with("Inst ")) return std::nullopt;
    auto rest = text::trim(t.substr(5));
    auto sp = rest.find(' ');
    if (sp == std::string_view::npos || sp == 0) return std::nullopt;
    Inst in{std::string(rest.substr(0, sp)), false};
    auto open = rest.find('(', sp);
    if (open == std::string_view::npos) return std::nullopt;
    // The origins end before " [ARCH])"; the closing parenthesis is the first ')' after '('.
    auto close = rest.find(')', open);
    if (close == std::string_view::npos) return std::nullopt;
    auto inner = text::trim(rest.substr(open + 1, close - open - 1));
    if (auto arch = inner.rfind(" ["); arch != std::string_view::npos)
        inner = inner.substr(0, arch);
    auto ver_end = inner.find(' ');
    if (ver_end == std::string_view::npos) return in;  // no origin named
    for (auto origin : text::split(inner.substr(ver_end + 1), ','))
        if (origin_is_security(origin)) in.security = true;
    return in;
}

// "12 upgraded, 1 newly installed, 0 to remove and 2 not upgraded."
struct Summary {
    long long upgraded = 0, installed = 0, removed = 0, kept = 0;
};

std::optional<Summary> parse_summary(std::string_view t) {
    auto w = text::split_ws(t);
    if (w.size() < 9 || w[1] != "upgraded," || w[3] != "newly") return std::nullopt;
    Summary s;
    if (!text::parse_int(w[0], s.upgraded) || !text::parse_int(w[2], s.installed))
        return std::nullopt;
    // "... , R to remove and K not upgraded." (older apt: "R to remove and K not upgraded.")
    for (std::size_t i = 4; i + 1 < w.size(); ++i) {
        if (w[i + 1] == "to" && !text::parse_int(w[i], s.removed)) return std::nullopt;
        if (w[i + 1] == "not" && !text::parse_int(w[i], s.kept)) return std::nullopt;
    }
    return s;
}

bool detect(std::string_view text, std::string_view) {
    int inst = 0, seen = 0;
    bool summary = false;
    for (auto line : text::split_lines(text)) {
        auto t = text::trim(line);
        if (t.empty()) continue;
        if (++seen > 400) break;
        if (parse_inst(t)) ++inst;
        if (parse_summary(t)) summary = true;
    }
    return summary || inst > 0;
}

}  // namespace

// Facts (line 0 unless stated): updates.pending (packages the upgrade would install plus
// those kept back), updates.pending_security and updates.pending_security_list (packages
// whose origin is a security archive). The summary line is required for a complete
// listing: without it (filtered output), or when the "Inst" lines do not add up to it, only
// a positive security count is kept (lower bound). Packages kept back (held, or needing
// dist-upgrade) have no origin listed: with none of the others from security, pending
// security is not known (absent, warning); otherwise the count is a lower bound (warning).
// Apt errors ("E:" lines): Error.
Expected<ParseOutput> parse_apt_get_simulate(std::string_view text) {
    ParseOutput out;
    auto split = text::split_lines_within(text, kMaxLines, kMaxLineLength);
    if (!split) return split.error();
    const auto& lines = *split;
    std::optional<Summary> summary;
    int summary_line = 0;
    std::string summary_excerpt;
    long long inst_count = 0;
    std::set<std::string> all, security;
    int first_security_line = 0;
    std::string first_security_excerpt;
    bool kept_back_list = false;
    std::vector<std::string> kept_back;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        int lineno = static_cast<int>(i) + 1;
        auto raw = lines[i];
        auto t = text::trim(raw);
        if (t.empty()) {
            kept_back_list = false;
            continue;
        }
        if (t.starts_with("E:"))
            return Error{"apt reported an error: " + std::string(t), "", lineno};
        if (t.starts_with("W:")) {
            out.warn("apt warning: " + std::string(t), lineno);
            continue;
        }
        if (kept_back_list && (raw.starts_with(" ") || raw.starts_with("\t"))) {
            for (auto w : text::split_ws(t)) kept_back.emplace_back(w);
            continue;
        }
        kept_back_list = false;
        if (t.starts_with("The following packages have been kept back")) {
            kept_back_list = true;
            continue;
        }
        if (t.starts_with("Inst ")) {
            auto in = parse_inst(t);
            if (!in) {
                out.warn("unreadable Inst line: " + std::string(t), lineno);
                continue;
            }
            ++inst_count;
            all.insert(in->name);
            if (in->security) {
                if (security.empty()) {
                    first_security_line = lineno;
                    first_security_excerpt = std::string(t);
                }
                security.insert(in->name);
            }
            continue;
        }
        if (auto s = parse_summary(t)) {
            summary = s;
            summary_line = lineno;
            summary_excerpt = std::string(t);
        }
        // Other lines ("Reading package lists...", "Conf", "Remv", the lists of packages
        // to be upgraded, "NOTE: This is only a simulation!") carry nothing more.
    }
    if (!summary && inst_count == 0) {
        return Error{
            "not an apt-get -s output: no \"Inst\" line and no \"N upgraded, ...\" "
            "summary",
            "", 0};
    }
    std::string basis = "apt-get -s: ";
    auto add_security = [&](bool lower_bound) {
        std::string s = basis + std::to_string(security.size()) +
                        (lower_bound ? " (at least)" : "") +
                        " packages from a security origin, first: " + first_security_excerpt;
        out.add("updates.pending_security", static_cast<std::int64_t>(security.size()),
                first_security_line, s);
        out.add("updates.pending_security_list", StringList(security.begin(), security.end()),
                first_security_line, s);
    };
    bool complete = summary && summary->upgraded + summary->installed == inst_count;
    if (!complete) {
        out.warn(summary ? "the Inst lines (" + std::to_string(inst_count) +
                               ") do not add up to the summary (" + summary_excerpt +
                               "): the output is incomplete"
                         : std::string("no \"N upgraded, ...\" summary line: the output may be "
                                       "filtered or cut off"));
        if (!security.empty()) add_security(true);
        return out;
    }
    out.add("updates.pending", static_cast<std::int64_t>(inst_count + summary->kept), summary_line,
            summary_excerpt);
    if (summary->kept > 0) {
        std::string names;
        for (const auto& k : kept_back) names += (names.empty() ? "" : " ") + k;
        std::string note = std::to_string(summary->kept) + " packages kept back" +
                           (names.empty() ? "" : " (" + names + ")") +
                           ", their origin is not listed; export `apt-get -s dist-upgrade`";
        if (security.empty()) {
            out.warn("pending security updates not known: " + note);
            return out;
        }
        out.warn("the count of pending security updates is a lower bound: " + note);
        add_security(true);
        return out;
    }
    if (security.empty()) {
        std::string s = basis + "no package from a security origin (" + summary_excerpt + ")";
        out.add("updates.pending_security", std::int64_t{0}, summary_line, s);
        out.add("updates.pending_security_list", StringList{}, summary_line, s);
        return out;
    }
    add_security(false);
    return out;
}

const CollectorInfo& apt_get_simulate_collector() {
    static const CollectorInfo c{
        "apt-get-simulate",
        "Simulated upgrade (`apt-get -s upgrade`, `apt-get -s dist-upgrade`, Debian, Ubuntu)",
        &detect, &parse_apt_get_simulate};
    return c;
}

}  // namespace grundscan
