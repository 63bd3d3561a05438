// Pending security advisories of RPM hosts: `dnf updateinfo list --security` (RHEL 8/9,
// Fedora; also `dnf updateinfo list sec`, `dnf -q ...`, and `yum ...` on RHEL 8+, which is
// dnf) and `yum updateinfo list security` / `yum updateinfo list sec` (RHEL 7). Both print
// one line per advisory and package, "ADVISORY SEVERITY/Sec. NAME-[EPOCH:]VERSION-RELEASE.ARCH";
// they differ in the frame: dnf starts with "Last metadata expiration check: ... ago on DATE.",
// yum ends with "updateinfo list done".
#include <optional>
#include <set>
#include <string>

#include "scanner/collectors/linux/linux_collectors.hpp"
#include "scanner/core/text.hpp"

namespace grundscan {

namespace {

constexpr std::size_t kMaxLines = 200000;  // a long list has a few thousand
constexpr std::size_t kMaxLineLength = 4096;
// Metadata older than this (days before the export) may miss advisories published since.
constexpr long long kMaxMetadataAgeDays = 7;

bool is_advisory_id(std::string_view s) {
    if (s.size() < 5 || s.size() > 100) return false;
    if (!((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z'))) return false;
    bool digit = false, dash = false;
    for (char c : s) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == ':' || c == '_' || c == '.';
        if (!ok) return false;
        digit |= c >= '0' && c <= '9';
        dash |= c == '-';
    }
    return digit && dash;
}

enum class Kind { Security, Other, None };

// "Important/Sec.", "Low/Sec.", "Unknown/Sec.", "security" (a listing of all types shows
// "bugfix", "enhancement", "newpackage" for the others).
Kind advisory_kind(std::string_view s) {
    std::string t = text::to_lower(s);
    if (t.ends_with("/sec.") || t == "security" || t == "sec") return Kind::Security;
    if (t == "bugfix" || t == "enhancement" || t == "newpackage" || t.ends_with("/bug.") ||
        t.ends_with("/enh."))
        return Kind::Other;
    return Kind::None;
}

// Name of "NAME-[EPOCH:]VERSION-RELEASE.ARCH": everything before the last two '-'.
std::string package_name(std::string_view nevra) {
    auto r = nevra.rfind('-');
    if (r == std::string_view::npos || r == 0) return std::string(nevra);
    auto v = nevra.rfind('-', r - 1);
    if (v == std::string_view::npos || v == 0) return std::string(nevra);
    return std::string(nevra.substr(0, v));
}

// Days in "Last metadata expiration check: 1 day, 2:03:04 ago on ..." (0 for "0:40:21 ago").
std::optional<long long> metadata_age_days(std::string_view line) {
    auto colon = line.find(':');
    auto ago = line.find(" ago");
    if (colon == std::string_view::npos || ago == std::string_view::npos || ago < colon)
        return std::nullopt;
    auto words = text::split_ws(line.substr(colon + 1, ago - colon - 1));
    if (words.empty()) return std::nullopt;
    if (words.size() >= 2 && words[1].starts_with("day")) {
        long long d = 0;
        if (text::parse_int(words[0], d) && d >= 0) return d;
        return std::nullopt;
    }
    if (words.size() == 1 && words[0].find(':') != std::string_view::npos) return 0;
    return std::nullopt;
}

bool is_advisory_line(std::string_view t) {
    auto f = text::split_ws(t);
    std::size_t i = (f.size() == 4 && f[0] == "i") ? 1 : 0;  // --all marks installed with "i"
    return f.size() == i + 3 && is_advisory_id(f[i]) && advisory_kind(f[i + 1]) != Kind::None;
}

bool detect(std::string_view text, std::string_view filename) {
    int advisories = 0, seen = 0;
    bool frame = false;
    for (auto line : text::split_lines(text)) {
        auto t = text::trim(line);
        if (t.empty()) continue;
        if (++seen > 60) break;
        if (t.starts_with("Last metadata expiration check:") || t == "updateinfo list done")
            frame = true;
        if (is_advisory_line(t)) ++advisories;
    }
    bool name_hint = filename.find("updateinfo") != std::string_view::npos;
    return advisories > 0 || (frame && name_hint);
}

// Facts (line 0 unless stated): updates.pending_security (number of distinct advisories
// with a security type), updates.pending_security_list (those advisory ids, sorted).
// Advisory lines marked installed ("i", from --all) are skipped. Not emitted (with a
// warning at line 0) when the listing cannot show that no security advisory is pending:
// no frame line (e.g. `-q` with an empty result, or a filtered output), repositories skipped
// ("Ignoring repositories"), a system not registered, metadata older than a week, or a
// listing of other advisory types only. With advisories listed but an incomplete frame the
// count is kept as a lower bound (warning says so). "Error:" lines: Error.
Expected<ParseOutput> parse_updateinfo(std::string_view text, const std::string& command) {
    ParseOutput out;
    auto split = text::split_lines_within(text, kMaxLines, kMaxLineLength);
    if (!split) return split.error();
    const auto& lines = *split;
    std::set<std::string> security, other;
    std::set<std::string> packages;
    bool frame = false, skipped_repos = false, unregistered = false;
    std::optional<long long> age;
    int first_security_line = 0;
    std::string first_security_excerpt;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        int lineno = static_cast<int>(i) + 1;
        auto t = text::trim(lines[i]);
        if (t.empty()) continue;
        if (t.starts_with("Error:") || t.starts_with("Error ")) {
            return Error{command + " failed: " + std::string(t), "", lineno};
        }
        if (t.starts_with("Last metadata expiration check:")) {
            frame = true;
            age = metadata_age_days(t);
            continue;
        }
        if (t == "updateinfo list done") {
            frame = true;
            continue;
        }
        if (t.starts_with("Ignoring repositories:") ||
            t.starts_with("Failed to download metadata") ||
            t.find("Cannot download repomd.xml") != std::string_view::npos) {
            skipped_repos = true;
            out.warn("repository metadata missing: " + std::string(t), lineno);
            continue;
        }
        if (t.starts_with("This system is not registered")) {
            unregistered = true;
            continue;
        }
        auto f = text::split_ws(t);
        std::size_t k = (f.size() == 4 && f[0] == "i") ? 1 : 0;
        if (f.size() == k + 3 && is_advisory_id(f[k]) && advisory_kind(f[k + 1]) != Kind::None) {
            if (k == 1) continue;  // installed already
            if (advisory_kind(f[k + 1]) == Kind::Security) {
                if (security.empty()) {
                    first_security_line = lineno;
                    first_security_excerpt = std::string(t);
                }
                security.insert(std::string(f[k]));
                packages.insert(package_name(f[k + 2]));
            } else {
                other.insert(std::string(f[k]));
            }
            continue;
        }
        // Frame lines such as "Loaded plugins: ...", "Updating Subscription Management
        // repositories.", mirror and repository progress lines carry no advisory.
    }
    std::string why_unknown;
    if (!frame)
        why_unknown =
            "no \"Last metadata expiration check\" or \"updateinfo list done\" line "
            "(quiet or filtered output): an empty result cannot be told from a "
            "command that did not run";
    else if (skipped_repos)
        why_unknown = "repositories were skipped, their advisories are not listed";
    else if (unregistered)
        why_unknown = "the system is not registered: vendor repositories may be missing";
    else if (age && *age > kMaxMetadataAgeDays)
        why_unknown = "repository metadata was " + std::to_string(*age) +
                      " days old: newer advisories are not listed";
    else if (security.empty() && !other.empty())
        why_unknown =
            "the listing has no security advisories but other types: it was not "
            "restricted to --security and may have been filtered";
    if (security.empty() && other.empty() && !frame) {
        return Error{"no advisory lines and no dnf/yum frame line: not a " + command +
                         " output, or a quiet run (-q) with nothing to show",
                     "", 0};
    }
    if (security.empty()) {
        if (!why_unknown.empty()) {
            out.warn("pending security updates not known: " + why_unknown);
            return out;
        }
        out.add("updates.pending_security", std::int64_t{0}, 0,
                command + ": no security advisory pending");
        out.add("updates.pending_security_list", StringList{}, 0,
                command + ": no security advisory pending");
        return out;
    }
    if (!why_unknown.empty())
        out.warn("the count of pending security advisories is a lower bound: " + why_unknown);
    std::string summary = command + ": " + std::to_string(security.size()) +
                          " security advisories for " + std::to_string(packages.size()) +
                          " packages, first: " + first_security_excerpt;
    out.add("updates.pending_security", static_cast<std::int64_t>(security.size()),
            first_security_line, summary);
    out.add("updates.pending_security_list", StringList(security.begin(), security.end()),
            first_security_line, summary);
    return out;
}

}  // namespace

Expected<ParseOutput> parse_dnf_updateinfo(std::string_view text) {
    return parse_updateinfo(text, "dnf updateinfo list --security");
}

Expected<ParseOutput> parse_yum_updateinfo(std::string_view text) {
    return parse_updateinfo(text, "yum updateinfo list security");
}

const CollectorInfo& dnf_updateinfo_collector() {
    static const CollectorInfo c{
        "dnf-updateinfo",
        "Pending security advisories (`dnf updateinfo list --security`, RHEL 8/9, Fedora)", &detect,
        &parse_dnf_updateinfo};
    return c;
}

const CollectorInfo& yum_updateinfo_collector() {
    // Auto-detection finds dnf-updateinfo first; both parse either frame.
    static const CollectorInfo c{
        "yum-updateinfo", "Pending security advisories (`yum updateinfo list security`, RHEL 7)",
        &detect, &parse_yum_updateinfo};
    return c;
}

}  // namespace grundscan
