// windows-version collector: the full Windows build with its update build revision (UBR),
// which systeminfo does not show. Accepted exports (one file, detected by content):
//   ver                                     Microsoft Windows [Version 10.0.19045.5011]
//   reg export "HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion" f.reg   (UTF-16 .reg file)
//   reg query  "HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion"        (UBR  REG_DWORD  0x...)
//   Get-ItemProperty 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion' | Format-List
//                                                                         (UBR : 5011)
// Build and UBR are emitted together (os.patch_level "19045.5011") so that a UBR is never
// combined with the build of another, older or newer, export.
#include <charconv>
#include <cstdint>
#include <map>
#include <string>

#include "scanner/collectors/windows/windows_collectors.hpp"
#include "scanner/core/text.hpp"

namespace grundscan {

namespace {

constexpr std::string_view kCurrentVersionKey = R"(\Microsoft\Windows NT\CurrentVersion)";
constexpr long long kMaxDword = 0xFFFFFFFFLL;

// A DWORD-sized number (the registry type of CurrentBuild's neighbour UBR).
bool parse_dword(std::string_view s, long long& out, int base = 10) {
    if (s.empty() || s.size() > 10) return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out, base);
    return ec == std::errc() && p == s.data() + s.size() && out >= 0 && out <= kMaxDword;
}

struct Value {
    std::string text;
    int line = 0;
    std::string excerpt;
};

// `ver`: "Microsoft Windows [Version 10.0.19045.5011]" (same wording in German Windows).
// Returns the number of such lines; `out` is the first.
int find_ver_lines(std::string_view text, Value& out) {
    int n = 0, found = 0;
    for (auto line : text::split_lines(text)) {
        ++n;
        auto pos = line.find("[Version ");
        if (pos == std::string_view::npos) continue;
        auto end = line.find(']', pos);
        if (end == std::string_view::npos) continue;
        if (found++ == 0) {
            out.text = std::string(line.substr(pos + 9, end - pos - 9));
            out.line = n;
            out.excerpt = std::string(text::trim(line));
        }
    }
    return found;
}

bool is_current_version_key(std::string_view key) {
    key = text::trim(key);
    if (text::starts_with_icase(key, "Microsoft.PowerShell.Core\\Registry::"))
        key.remove_prefix(36);
    if (key.size() < kCurrentVersionKey.size()) return false;
    return text::iequals(key.substr(key.size() - kCurrentVersionKey.size()), kCurrentVersionKey);
}

// Values of the CurrentVersion key (not of its subkeys) from a .reg export, `reg query`
// output or Format-List output. Names are matched case-insensitively; stored lower case.
// DWORDs are converted to decimal; a DWORD that cannot be read keeps its raw text.
std::map<std::string, Value> read_values(std::string_view text, bool& saw_key) {
    std::map<std::string, Value> values;
    bool in_key = true;  // Format-List output has no key lines
    saw_key = false;
    int n = 0;
    for (auto raw : text::split_lines(text)) {
        ++n;
        auto line = text::trim(raw);
        if (line.empty()) continue;
        std::string_view key;
        if (line.front() == '[' && line.back() == ']') {  // .reg section
            key = line.substr(1, line.size() - 2);
        } else if (text::starts_with_icase(line, "HKEY_") ||
                   text::starts_with_icase(line, "HKLM")) {
            key = line;  // reg query key line
        }
        if (!key.empty()) {
            in_key = is_current_version_key(key);
            saw_key = saw_key || in_key;
            continue;
        }
        if (!in_key) continue;
        std::string name, value;
        if (line.front() == '"') {  // .reg: "UBR"=dword:000013a3 / "CurrentBuild"="19045"
            auto close = line.find('"', 1);
            if (close == std::string_view::npos || close + 1 >= line.size() ||
                line[close + 1] != '=')
                continue;
            name = std::string(line.substr(1, close - 1));
            auto v = line.substr(close + 2);
            if (text::starts_with_icase(v, "dword:")) {
                long long x = 0;
                value = parse_dword(text::trim(v.substr(6)), x, 16) ? std::to_string(x)
                                                                    : std::string(v);
            } else if (v.size() >= 2 && v.front() == '"' && v.back() == '"') {
                value = std::string(v.substr(1, v.size() - 2));
            } else {
                continue;  // hex:, binary values are not needed
            }
        } else if (auto words = text::split_ws(line);
                   words.size() >= 3 && text::starts_with_icase(words[1], "REG_")) {
            name = std::string(words[0]);  // reg query: NAME  REG_TYPE  DATA
            auto data_pos = line.find(words[2], line.find(words[1]) + words[1].size());
            std::string_view data = text::trim(line.substr(data_pos));
            long long x = 0;
            if (text::iequals(words[1], "REG_DWORD") && text::starts_with_icase(data, "0x") &&
                parse_dword(data.substr(2), x, 16))
                value = std::to_string(x);
            else
                value = std::string(data);
        } else if (auto colon = line.find(" : "); colon != std::string_view::npos) {
            name = std::string(text::trim(line.substr(0, colon)));  // Format-List
            value = std::string(text::trim(line.substr(colon + 3)));
        } else {
            continue;
        }
        if (name.empty()) continue;
        values[text::to_lower(name)] = Value{value, n, std::string(line)};
    }
    return values;
}

bool detect(std::string_view text, std::string_view /*filename*/) {
    Value v;
    if (find_ver_lines(text, v) > 0 && text.find("Microsoft Windows") != std::string_view::npos)
        return true;
    bool saw_key = false;
    auto values = read_values(text, saw_key);
    bool build = values.count("currentbuild") || values.count("currentbuildnumber");
    // A CurrentVersion key (even `reg query ... /v UBR`), or Format-List with build and UBR.
    return saw_key ? (build || values.count("ubr")) : (build && values.count("ubr"));
}

}  // namespace

// Emits os.family, os.build, os.patch_level ("<build>.<UBR>") and, from the registry,
// os.release (DisplayVersion / ReleaseId).
Expected<ParseOutput> parse_windows_version(std::string_view text) {
    ParseOutput out;
    Value ver;
    if (int lines = find_ver_lines(text, ver); lines > 0) {
        auto parts = text::split(ver.text, '.');
        long long part[4] = {0, 0, 0, 0};
        bool ok = parts.size() == 3 || parts.size() == 4;
        for (std::size_t i = 0; ok && i < parts.size(); ++i) ok = parse_dword(parts[i], part[i]);
        if (!ok)
            return Error{"version \"" + ver.text + "\" is not <major>.<minor>.<build>[.<revision>]",
                         "", ver.line};
        out.add("os.family", std::string("windows"), ver.line, ver.excerpt);
        out.add("os.build", static_cast<std::int64_t>(part[2]), ver.line, ver.excerpt);
        if (parts.size() == 4)
            out.add("os.patch_level", std::to_string(part[2]) + "." + std::to_string(part[3]),
                    ver.line, ver.excerpt);
        else
            out.warn(
                "version without update build revision (UBR): the patch level cannot be "
                "read",
                ver.line);
        if (lines > 1)
            out.warn(std::to_string(lines) + " version lines; the first one is used", ver.line);
        return out;
    }
    bool saw_key = false;
    auto values = read_values(text, saw_key);
    auto get = [&](const char* name) -> const Value* {
        auto it = values.find(name);
        return it == values.end() ? nullptr : &it->second;
    };
    if (const Value* path = get("pspath"); path && !is_current_version_key(path->text))
        return Error{"values of another registry key (" + path->text +
                         "), not HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion",
                     "", path->line};
    const Value* build = get("currentbuild");
    if (!build) build = get("currentbuildnumber");
    if (!build)
        return Error{
            "no CurrentBuild value: expected `ver` output or the whole registry key "
            "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion (reg export, reg query "
            "without /v, or Get-ItemProperty)"};
    long long b = 0;
    if (!parse_dword(build->text, b))
        return Error{"CurrentBuild \"" + build->text + "\" is not a number", "", build->line};
    out.add("os.family", std::string("windows"), build->line, build->excerpt);
    out.add("os.build", static_cast<std::int64_t>(b), build->line, build->excerpt);
    if (const Value* ubr = get("ubr")) {
        long long u = 0;
        if (parse_dword(ubr->text, u))
            out.add("os.patch_level", std::to_string(b) + "." + std::to_string(u), ubr->line,
                    ubr->excerpt);
        else
            out.warn("UBR \"" + ubr->text +
                         "\" is not a 32-bit number: the patch level cannot "
                         "be read",
                     ubr->line);
    } else {
        out.warn("no UBR value (update build revision): the patch level cannot be read",
                 build->line);
    }
    // os.release means the product release: "22H2" on a client, "2022" on a server, whose
    // DisplayVersion ("21H2" on Server 2022) names something else. Server or client is read
    // from InstallationType, EditionID or ProductName; builds shipped as both (17763: 1809 and
    // Server 2019) give no release when none of them is exported.
    int server = -1;  // unknown
    for (const char* name : {"installationtype", "editionid", "productname"}) {
        const Value* v = get(name);
        if (!v || v->text.empty()) continue;
        server = text::to_lower(v->text).find("server") != std::string::npos ? 1 : 0;
        break;
    }
    std::string_view server_release = windows_release_for_build(b, true);
    std::string_view client_release = windows_release_for_build(b, false);
    bool has_server_release = !server_release.empty() && server_release != client_release;
    if (server == -1 && has_server_release && client_release.empty()) server = 1;  // 20348
    if (server == 1) {
        if (has_server_release)
            out.add("os.release", std::string(server_release), build->line, build->excerpt);
        return out;
    }
    if (server == -1 && has_server_release) {
        out.warn("build " + std::to_string(b) +
                     " exists as client and server release and the export names neither "
                     "(InstallationType, EditionID, ProductName): os.release not set",
                 build->line);
        return out;
    }
    const Value* release = get("displayversion");
    if (!release) release = get("releaseid");
    if (release && !release->text.empty())
        out.add("os.release", release->text, release->line, release->excerpt);
    return out;
}

const CollectorInfo& windows_version_collector() {
    static const CollectorInfo c{
        "windows-version",
        "Windows build and UBR: `ver`, or the CurrentVersion registry key (reg export/query, "
        "Get-ItemProperty)",
        &detect, &parse_windows_version};
    return c;
}

}  // namespace grundscan
