// Pure helpers of the live probes: header parsers, the leak list with its signatures and the
// risky-port list. No network, no global state except the compiled-regex cache.
#include <limits>
#include <map>
#include <mutex>
#include <regex>

#include "scanner/core/text.hpp"
#include "scanner/probes/web_probe.hpp"

namespace grundscan {

namespace {

// Parses a non-negative decimal number; values beyond int64 are clamped (a huge max-age is
// still a valid max-age). False for anything that is not all digits.
bool parse_delta_seconds(std::string_view s, std::int64_t& out) {
    if (s.empty()) return false;
    std::int64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        const int d = c - '0';
        if (v > (std::numeric_limits<std::int64_t>::max() - d) / 10) {
            v = std::numeric_limits<std::int64_t>::max();
        } else {
            v = v * 10 + d;
        }
    }
    out = v;
    return true;
}

// Splits "name=value" (value may be absent); both trimmed.
std::pair<std::string_view, std::string_view> split_attribute(std::string_view part) {
    const auto eq = part.find('=');
    if (eq == std::string_view::npos) return {text::trim(part), {}};
    return {text::trim(part.substr(0, eq)), text::trim(part.substr(eq + 1))};
}

// Compiled signatures, built once per pattern (std::regex construction is expensive).
const std::regex& compiled_signature(const std::string& pattern) {
    static std::mutex mu;
    static std::map<std::string, std::regex> cache;
    std::lock_guard<std::mutex> lock(mu);
    auto it = cache.find(pattern);
    if (it == cache.end()) {
        it = cache.emplace(pattern, std::regex(pattern, std::regex::ECMAScript)).first;
    }
    return it->second;
}

}  // namespace

std::optional<HstsHeader> parse_hsts(std::string_view value) {
    HstsHeader h;
    bool have_max_age = false;
    for (std::string_view part : text::split(value, ';')) {
        auto [name, arg] = split_attribute(part);
        if (name.empty()) continue;
        if (text::iequals(name, "max-age")) {
            std::int64_t v = 0;
            // RFC 6797 6.1: every directive at most once, else the header is invalid.
            if (have_max_age || !parse_delta_seconds(text::unquote(arg), v)) return std::nullopt;
            h.max_age = v;
            have_max_age = true;
        } else if (text::iequals(name, "includeSubDomains")) {
            if (h.include_subdomains) return std::nullopt;
            h.include_subdomains = true;
        }
    }
    if (!have_max_age) return std::nullopt;
    return h;
}

std::optional<SetCookie> parse_set_cookie(std::string_view value) {
    const auto parts = text::split(value, ';');
    if (parts.empty()) return std::nullopt;
    const auto first = text::trim(parts[0]);
    const auto eq = first.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    SetCookie c;
    c.name = std::string(text::trim(first.substr(0, eq)));
    if (c.name.empty()) return std::nullopt;
    for (std::size_t i = 1; i < parts.size(); ++i) {
        auto [name, arg] = split_attribute(parts[i]);
        if (text::iequals(name, "Secure")) {
            c.secure = true;
        } else if (text::iequals(name, "HttpOnly")) {
            c.http_only = true;
        } else if (text::iequals(name, "SameSite")) {
            c.same_site = text::iequals(arg, "Strict") || text::iequals(arg, "Lax") ||
                          text::iequals(arg, "None");
        }
    }
    return c;
}

ServerBanner parse_server_banner(std::string_view value) {
    ServerBanner b;
    value = text::trim(value);
    const auto end = value.find_first_of(" \t(");
    const std::string_view token = value.substr(0, end);
    const auto slash = token.find('/');
    b.product = text::to_lower(token.substr(0, slash));
    if (slash == std::string_view::npos) return b;
    std::string_view version = token.substr(slash + 1);
    if (version.empty() || version[0] < '0' || version[0] > '9') return b;
    b.version = std::string(version);
    return b;
}

const std::vector<LeakCheck>& leak_checks() {
    // Signatures are ECMAScript regexes without the multiline flag: "^" is the start of the
    // body, "(^|\n)" a line start. They must prove the content, not just a 200.
    static const std::vector<LeakCheck> checks{
        {"/.git/HEAD", R"(^ref: refs/)", "Git-Repository (.git/HEAD)"},
        {"/.git/config", R"(^\s*\[core\])", "Git-Konfiguration (.git/config)"},
        {"/.svn/entries", R"(^(\d+\s*$|<\?xml[\s\S]{0,200}<wc-entries))",
         "Subversion-Arbeitskopie"},
        {"/.env", R"((^|\n)[A-Z][A-Z0-9_]*=)", "Umgebungsvariablen (.env)"},
        {"/.DS_Store", std::string("^\\x00\\x00\\x00\\x01Bud1"),
         "macOS-Verzeichnisindex (.DS_Store)"},
        {"/.htpasswd", R"((^|\n)[\w.@-]+:(\$|\{SHA\}))", "Passwortdatei (.htpasswd)"},
        {"/server-status", R"(Apache Server Status|Server uptime:)", "Apache server-status"},
        {"/server-info", R"(Apache Server Information)", "Apache server-info"},
        {"/phpinfo.php", R"(phpinfo\(\)|<title>PHP \d)", "phpinfo()"},
        {"/info.php", R"(phpinfo\(\)|<title>PHP \d)", "phpinfo()"},
        {"/backup.sql", R"(-- MySQL dump|-- PostgreSQL database dump|CREATE TABLE)", "SQL-Dump"},
        {"/db.sql", R"(-- MySQL dump|-- PostgreSQL database dump|CREATE TABLE)", "SQL-Dump"},
        {"/dump.sql", R"(-- MySQL dump|-- PostgreSQL database dump|CREATE TABLE)", "SQL-Dump"},
        {"/backup.zip", R"(^PK\x03\x04)", "ZIP-Sicherung"},
        {"/wp-config.php.bak", R"(DB_PASSWORD)", "WordPress-Konfiguration (Sicherungskopie)"},
        {"/wp-config.php~", R"(DB_PASSWORD)", "WordPress-Konfiguration (Editor-Kopie)"},
        {"/web.config", R"(<configuration)", "IIS-Konfiguration (web.config)"},
        {"/WEB-INF/web.xml", R"(<web-app)", "Java-Webanwendungs-Deskriptor"},
        {"/actuator/env", R"("propertySources"|"activeProfiles")", "Spring Boot Actuator"},
        {"/manager/html", R"(Tomcat Web Application Manager)", "Tomcat Manager"},
        {"/phpmyadmin/", R"(<title>phpMyAdmin|pma_navigation)", "phpMyAdmin"},
        {"/.aws/credentials", R"(aws_access_key_id)", "AWS-Zugangsdaten"},
        {"/elmah.axd", R"(Error Log for)", "ASP.NET-Fehlerprotokoll (ELMAH)"},
        {"/console", R"(Werkzeug (Debugger|[Ii]nteractive [Cc]onsole))", "Python-Debugkonsole"},
    };
    return checks;
}

bool leak_confirmed(const LeakCheck& check, std::string_view body, std::string_view soft404_body) {
    if (body.empty()) return false;
    if (!soft404_body.empty() && body == soft404_body) return false;
    try {
        return std::regex_search(body.begin(), body.end(), compiled_signature(check.signature));
    } catch (const std::exception&) {  // regex_error (bad pattern, complexity): not confirmed
        return false;
    }
}

const std::vector<RiskyPort>& risky_ports() {
    static const std::vector<RiskyPort> ports{
        {21, "ftp"},          {23, "telnet"},
        {111, "rpcbind"},     {135, "msrpc"},
        {139, "netbios"},     {445, "smb"},
        {512, "rexec"},       {513, "rlogin"},
        {514, "rsh"},         {873, "rsync"},
        {1433, "mssql"},      {1521, "oracle"},
        {2049, "nfs"},        {2375, "docker"},
        {3306, "mysql"},      {3389, "rdp"},
        {5432, "postgresql"}, {5900, "vnc"},
        {5985, "winrm"},      {5986, "winrm-https"},
        {6379, "redis"},      {9200, "elasticsearch"},
        {11211, "memcached"}, {27017, "mongodb"},
    };
    return ports;
}

}  // namespace grundscan
