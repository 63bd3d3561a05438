// dpkg status collector: RFC 822 style stanzas (deb-status(5)).
#include <string>

#include "scanner/collectors/linux/linux_collectors.hpp"
#include "scanner/core/text.hpp"

namespace grundscan {

namespace {

struct Stanza {
    int line = 0;  // first line
    std::string package, status, version, architecture, source;
    bool any_field = false;
};

bool detect(std::string_view text, std::string_view filename) {
    bool package = false, status = false;
    for (auto line : text::split_lines(text)) {
        if (line.starts_with("Package: ")) package = true;
        if (line.starts_with("Status: ")) status = true;
    }
    if (package && status) return true;
    return package && (filename == "status" || filename.find("dpkg") != std::string_view::npos);
}

// Source package of a stanza: the Source field without its optional "(version)" (present
// when the source version differs from the binary one, e.g. binNMUs); absent: the package.
std::string source_name(const Stanza& s) {
    std::string_view src = text::trim(s.source);
    auto paren = src.find('(');
    if (paren != std::string_view::npos) src = text::trim(src.substr(0, paren));
    return src.empty() ? s.package : std::string(src);
}

}  // namespace

// Facts (line 0): packages (name → Version as written, with epoch; for a second stanza of
// the same name, e.g. another Multi-Arch architecture, the key is "name:arch"),
// packages.count, packages.sources (same keys → source package name) and
// packages.manager = "dpkg". Only stanzas whose Status ends in
// "installed" (third word) count. Stanzas without Package or Version, and lines that are
// neither fields nor continuations, are warnings. No stanza with a Package field: Error.
Expected<ParseOutput> parse_dpkg_status(std::string_view text) {
    ParseOutput out;
    StringMap packages;
    StringMap sources;  // same keys as `packages`
    int stanzas = 0;
    std::int64_t installed = 0;
    Stanza cur;

    auto finish = [&]() {
        if (!cur.any_field) return;
        if (cur.package.empty()) {
            out.warn("stanza without a Package field", cur.line);
        } else {
            ++stanzas;
            auto words = text::split_ws(cur.status);
            if (words.size() == 3 && words[2] == "installed") {
                if (cur.version.empty()) {
                    out.warn("installed package " + cur.package + " has no Version field",
                             cur.line);
                } else {
                    std::string key = cur.package;
                    if (packages.contains(key)) {
                        key +=
                            ":" + (cur.architecture.empty() ? std::string("?") : cur.architecture);
                    }
                    if (packages.contains(key)) {
                        out.warn("package " + key + " is listed twice", cur.line);
                    } else {
                        sources.emplace(key, source_name(cur));
                        packages.emplace(std::move(key), cur.version);
                        ++installed;
                    }
                }
            } else if (words.size() != 3) {
                out.warn("package " + cur.package + " has no valid Status field: " + cur.status,
                         cur.line);
            }
        }
        cur = Stanza{};
    };

    auto lines = text::split_lines(text);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        int lineno = static_cast<int>(i) + 1;
        std::string_view l = lines[i];
        if (text::trim(l).empty()) {
            finish();
            continue;
        }
        if (l.front() == ' ' || l.front() == '\t') {
            if (!cur.any_field) out.warn("continuation line outside a field", lineno);
            continue;
        }
        auto colon = l.find(':');
        if (colon == std::string_view::npos || colon == 0 ||
            l.substr(0, colon).find_first_of(" \t") != std::string_view::npos) {
            out.warn("not a `Field: value` line: " + std::string(text::trim(l)), lineno);
            continue;
        }
        if (!cur.any_field) cur.line = lineno;
        cur.any_field = true;
        auto field = l.substr(0, colon);
        std::string value(text::trim(l.substr(colon + 1)));
        if (text::iequals(field, "Package")) {
            cur.package = std::move(value);
        } else if (text::iequals(field, "Status")) {
            cur.status = std::move(value);
        } else if (text::iequals(field, "Version")) {
            cur.version = std::move(value);
        } else if (text::iequals(field, "Architecture")) {
            cur.architecture = std::move(value);
        } else if (text::iequals(field, "Source")) {
            cur.source = std::move(value);
        }
    }
    finish();
    if (stanzas == 0) return Error{"not a dpkg status file: no stanza with a Package field", "", 0};

    std::string summary = std::to_string(installed) + " installed packages";
    out.add("packages", std::move(packages), 0, summary);
    out.add("packages.count", installed, 0, summary);
    out.add("packages.sources", std::move(sources), 0, summary);
    out.add("packages.manager", std::string("dpkg"), 0, "dpkg status database");
    return out;
}

const CollectorInfo& dpkg_status_collector() {
    static const CollectorInfo c{"dpkg-status",
                                 "Debian/Ubuntu package database /var/lib/dpkg/status", &detect,
                                 &parse_dpkg_status};
    return c;
}

}  // namespace grundscan
