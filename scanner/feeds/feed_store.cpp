#include "scanner/feeds/feed_store.hpp"

#include <bzlib.h>
#include <curl/curl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "scanner/core/atomic_file.hpp"
#include "scanner/core/text.hpp"
#include "scanner/enrich/eol_feed.hpp"
#include "scanner/enrich/rhel_oval.hpp"
#include "scanner/enrich/vuln_feed.hpp"
#include "scanner/enrich/windows_builds.hpp"

#ifndef GRUNDSCAN_VERSION
#define GRUNDSCAN_VERSION "dev"
#endif

namespace grundscan {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kStateFile = ".state.json";
constexpr const char* kKevTarget = "kev/known_exploited_vulnerabilities.json";
constexpr const char* kTrackerTarget = "debian/security-tracker.json";
constexpr const char* kEndoflifeDir = "endoflife";
constexpr const char* kWindowsDir = "windows";
constexpr const char* kRedhatDir = "redhat";
constexpr curl_off_t kMaxFeedBytes = 1024LL * 1024 * 1024;  // the tracker is ~100 MB

std::optional<FeedFormat> parse_format(const std::string& s) {
    if (s == "json") return FeedFormat::Json;
    if (s == "md") return FeedFormat::Markdown;
    if (s == "endoflife-api") return FeedFormat::EndoflifeApi;
    if (s == "msrc-cvrf") return FeedFormat::MsrcCvrf;
    if (s == "oval-bz2") return FeedFormat::OvalBz2;
    return std::nullopt;
}

bool is_hex64(const std::string& s) {
    return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
           });
}

bool is_http_url(const std::string& url) {
    return text::starts_with_icase(url, "http://") || text::starts_with_icase(url, "https://");
}

// A relative path that stays inside the feed directory.
bool is_safe_target(const std::string& target) {
    if (target.empty()) return false;
    fs::path p(target);
    if (p.is_absolute() || p.has_root_name() || p.has_root_directory()) return false;
    for (const auto& part : p) {
        if (part == ".." || part == ".") return false;
    }
    return p.has_filename() && p.filename() != kStateFile;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
        s.replace(pos, from.size(), to);
    return s;
}

std::string scalar(const YAML::Node& n, const char* key) {
    YAML::Node v = n[key];
    if (!v || !v.IsScalar()) return {};
    return v.as<std::string>();
}

int line_of(const YAML::Node& n) {
    return n.Mark().line + 1;
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string now_utc_iso() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// --- .state.json ----------------------------------------------------------------------------

json read_state(const fs::path& feeds_dir) {
    std::error_code ec;
    fs::path p = feeds_dir / kStateFile;
    if (!fs::exists(p, ec)) return json::object();
    auto j = json::parse(read_file(p), nullptr, false);
    if (j.is_discarded() || !j.is_object()) return json::object();
    if (!j.contains("feeds") || !j["feeds"].is_object()) j["feeds"] = json::object();
    return j;
}

std::string str_field(const json& obj, const char* key) {
    auto it = obj.find(key);
    return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// --- HTTP -----------------------------------------------------------------------------------

void init_curl_once() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct HttpResult {
    long status = 0;
    std::string body;
    std::string etag, last_modified;
    std::string error;  // transport error (no HTTP status)
};

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
    auto* r = static_cast<HttpResult*>(user);
    if (r->body.size() + size * n > static_cast<std::size_t>(kMaxFeedBytes)) return 0;
    r->body.append(data, size * n);
    return size * n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
    auto* r = static_cast<HttpResult*>(user);
    std::string_view line(data, size * n);
    if (text::starts_with_icase(line, "HTTP/")) {  // a new response (redirect): start over
        r->etag.clear();
        r->last_modified.clear();
    }
    auto colon = line.find(':');
    if (colon != std::string_view::npos) {
        auto name = text::trim(line.substr(0, colon));
        auto value = std::string(text::trim(line.substr(colon + 1)));
        if (text::iequals(name, "etag")) r->etag = value;
        if (text::iequals(name, "last-modified")) r->last_modified = value;
    }
    return size * n;
}

HttpResult http_get(const std::string& url, const FeedFetchOptions& o,
                    const std::vector<std::string>& extra_headers) {
    init_curl_once();
    HttpResult r;
    CURL* h = curl_easy_init();
    if (h == nullptr) {
        r.error = "cannot initialise libcurl";
        return r;
    }
    char errbuf[CURL_ERROR_SIZE] = {};
    curl_slist* headers = nullptr;
    for (const auto& x : extra_headers) headers = curl_slist_append(headers, x.c_str());
    std::string ua = o.user_agent.empty()
                         ? std::string("grundscan/") + GRUNDSCAN_VERSION + " (feed update)"
                         : o.user_agent;
    long timeout = o.timeout_s > 0 ? o.timeout_s : 300;
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, std::min(timeout, 15L));
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");  // gzip/deflate/br if offered
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, kMaxFeedBytes);
    curl_easy_setopt(h, CURLOPT_USERAGENT, ua.c_str());
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &r);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &r);
    if (headers) curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    if (!o.proxy.empty()) curl_easy_setopt(h, CURLOPT_PROXY, o.proxy.c_str());
    if (!o.cacert.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, o.cacert.c_str());
    CURLcode rc = curl_easy_perform(h);
    if (rc == CURLE_OK) {
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r.status);
    } else {
        r.error = curl_easy_strerror(rc);
        std::string detail(errbuf);
        while (!detail.empty() && (detail.back() == '\n' || detail.back() == '\r'))
            detail.pop_back();
        if (!detail.empty() && detail != r.error) r.error += " (" + detail + ")";
        r.body.clear();
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(h);
    return r;
}

// The expected hash from a checksum file: the line naming `file_name`, else the first hash.
std::string checksum_from_file(std::string_view content, const std::string& file_name) {
    std::string first;
    for (auto line : text::split_lines(content)) {
        auto fields = text::split_ws(line);
        if (fields.empty()) continue;
        std::string hash = text::to_lower(fields[0]);
        if (!is_hex64(hash)) continue;
        if (first.empty()) first = hash;
        if (fields.size() > 1) {
            std::string name(fields[1]);
            if (!name.empty() && name[0] == '*') name.erase(0, 1);
            if (fs::path(name).filename() == file_name) return hash;
        }
    }
    return first;
}

std::string url_file_name(const std::string& url) {
    auto end = url.find_first_of("?#");
    std::string path = url.substr(0, end);
    auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string describe_http_failure(const HttpResult& r, const std::string& url) {
    if (!r.error.empty()) return r.error + " (" + url + ")";
    return "HTTP " + std::to_string(r.status) + " from " + url;
}

// Fetches, verifies and validates one feed; on success returns the new content.
struct Fetched {
    FeedOutcome outcome = FeedOutcome::Failed;
    std::string content, etag, last_modified, error;
};

Fetched fetch_feed(const FeedSource& s, const json& prev, bool have_file,
                   const FeedFetchOptions& o) {
    Fetched f;
    std::vector<std::string> headers;
    // Conditional request only when the old file is there and came from the same URL.
    if (have_file && str_field(prev, "url") == s.url) {
        if (auto etag = str_field(prev, "etag"); !etag.empty())
            headers.push_back("If-None-Match: " + etag);
        if (auto lm = str_field(prev, "last_modified"); !lm.empty())
            headers.push_back("If-Modified-Since: " + lm);
    }
    HttpResult r = http_get(s.url, o, headers);
    if (!r.error.empty() || (r.status != 200 && r.status != 304)) {
        f.error = describe_http_failure(r, s.url);
        return f;
    }
    if (r.status == 304) {
        if (!have_file) {
            f.error = "304 Not Modified without a previous file from " + s.url;
            return f;
        }
        f.outcome = FeedOutcome::NotModified;
        f.etag = r.etag.empty() ? str_field(prev, "etag") : r.etag;
        f.last_modified =
            r.last_modified.empty() ? str_field(prev, "last_modified") : r.last_modified;
        return f;
    }
    if (r.body.empty()) {
        f.error = "empty response from " + s.url;
        return f;
    }
    std::string expected = text::to_lower(s.sha256);
    if (!s.sha256_url.empty()) {
        HttpResult c = http_get(s.sha256_url, o, {});
        if (!c.error.empty() || c.status != 200) {
            f.error = "checksum file: " + describe_http_failure(c, s.sha256_url);
            return f;
        }
        expected = checksum_from_file(c.body, url_file_name(s.url));
        if (expected.empty()) {
            f.error = "no SHA-256 found in checksum file " + s.sha256_url;
            return f;
        }
    }
    if (!expected.empty()) {
        std::string got = sha256_hex(r.body);
        if (got != expected) {
            f.error = "checksum mismatch for " + s.url + " (SHA-256 " + got + ", expected " +
                      expected + ")";
            return f;
        }
    }
    if (s.format == FeedFormat::MsrcCvrf) {  // stored converted, not as the large original
        auto table = windows_builds_from_cvrf(r.body, s.url);
        if (!table) {
            f.error = "invalid content from " + s.url + ": " + table.error().message;
            return f;
        }
        r.body = std::move(*table);
    } else if (s.format == FeedFormat::OvalBz2) {  // stored unpacked, checked as OVAL
        if (auto v = validate_feed_content(s, r.body); !v) {
            f.error = "invalid content from " + s.url + ": " + v.error().message;
            return f;
        }
        auto xml = bunzip2(r.body, kRhelOvalMaxBytes);
        if (!xml) {
            f.error = "invalid content from " + s.url + ": " + xml.error().message;
            return f;
        }
        r.body = std::move(*xml);
    } else if (auto v = validate_feed_content(s, r.body); !v) {
        f.error = "invalid content from " + s.url + ": " + v.error().message;
        return f;
    }
    f.outcome = FeedOutcome::Updated;
    f.content = std::move(r.body);
    f.etag = r.etag;
    f.last_modified = r.last_modified;
    return f;
}

}  // namespace

// --- sources --------------------------------------------------------------------------------

std::vector<std::string> msrc_months(const Date& today, int count) {
    static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int y = today.year, m = today.month;
    auto second_tuesday = [](int year, int month) {
        Date first{year, month, 1};
        long long d = first.days_since_epoch();
        int weekday = static_cast<int>(((d + 4) % 7 + 7) % 7);  // 0 = Sunday; 1970-01-01 Thu
        int to_tuesday = (2 - weekday + 7) % 7;
        return Date::from_days(d + to_tuesday + 7);
    };
    // MSRC publishes in the afternoon (UTC) of the update Tuesday: count a month from the day
    // after, so a morning run does not fail on a document that is not there yet.
    if (second_tuesday(y, m) >= today) {
        if (--m == 0) m = 12, --y;
    }
    std::vector<std::string> out;
    for (int i = 0; i < count; ++i) {
        out.push_back(std::to_string(y) + "-" + kMonths[m - 1]);
        if (--m == 0) m = 12, --y;
    }
    std::reverse(out.begin(), out.end());
    return out;
}

Expected<std::vector<FeedSource>> parse_feed_sources(std::string_view yaml, const std::string& file,
                                                     const Date& today) {
    std::vector<FeedSource> out;
    try {
        YAML::Node root = YAML::Load(std::string(yaml));
        if (!root.IsMap())
            return Error{"expected a mapping with 'feeds:', 'endoflife:' and/or 'msrc:'", file, 1};
        for (auto it = root.begin(); it != root.end(); ++it) {
            auto key = it->first.as<std::string>();
            if (key != "feeds" && key != "endoflife" && key != "msrc")
                return Error{"unknown key '" + key + "'", file, line_of(it->first)};
        }
        auto check = [&](const FeedSource& s, int line) -> std::optional<Error> {
            if (s.name.empty()) return Error{"feed without 'name'", file, line};
            if (!is_http_url(s.url))
                return Error{s.name + ": 'url' must be an http:// or https:// URL", file, line};
            if (!is_safe_target(s.target))
                return Error{
                    s.name + ": 'target' must be a relative path inside the feed directory", file,
                    line};
            if (!s.sha256.empty() && !is_hex64(s.sha256))
                return Error{s.name + ": 'sha256' must be 64 hex digits", file, line};
            if (!s.sha256_url.empty() && !is_http_url(s.sha256_url))
                return Error{s.name + ": 'sha256_url' must be an http(s) URL", file, line};
            for (const auto& o : out)
                if (o.name == s.name)
                    return Error{"duplicate feed name '" + s.name + "'", file, line};
            return std::nullopt;
        };
        if (YAML::Node feeds = root["feeds"]) {
            if (!feeds.IsSequence()) return Error{"'feeds' must be a list", file, line_of(feeds)};
            for (const auto& n : feeds) {
                int line = line_of(n);
                if (!n.IsMap()) return Error{"feed entry must be a mapping", file, line};
                for (auto it = n.begin(); it != n.end(); ++it) {
                    static const std::set<std::string> known{"name",       "kind",    "url",
                                                             "target",     "format",  "sha256",
                                                             "sha256_url", "coverage"};
                    auto k = it->first.as<std::string>();
                    if (!known.count(k))
                        return Error{"unknown feed key '" + k + "'", file, line_of(it->first)};
                }
                FeedSource s;
                s.name = scalar(n, "name");
                s.url = scalar(n, "url");
                s.target = scalar(n, "target");
                s.sha256 = text::to_lower(scalar(n, "sha256"));
                s.sha256_url = scalar(n, "sha256_url");
                if (YAML::Node c = n["coverage"]) {
                    s.coverage = c.IsScalar() ? c.as<std::string>() : std::string();
                    if (s.coverage != "complete" && s.coverage != "excerpt")
                        return Error{s.name + ": 'coverage' must be complete or excerpt", file,
                                     line_of(c)};
                }
                std::string fmt = scalar(n, "format");
                if (fmt.empty())
                    fmt = text::to_lower(fs::path(s.target).extension().string()) == ".md" ? "md"
                                                                                           : "json";
                auto f = parse_format(fmt);
                if (!f)
                    return Error{s.name +
                                     ": 'format' must be json, md, endoflife-api, msrc-cvrf or "
                                     "oval-bz2",
                                 file, line};
                s.format = *f;
                s.kind = scalar(n, "kind");
                if (s.kind.empty())
                    s.kind = s.format == FeedFormat::Json       ? "other"
                             : s.format == FeedFormat::MsrcCvrf ? kFeedKindWindowsBuilds
                             : s.format == FeedFormat::OvalBz2  ? kFeedKindRedhatOval
                                                                : kFeedKindEndoflife;
                if (auto e = check(s, line)) return *e;
                out.push_back(std::move(s));
            }
        }
        if (YAML::Node eol = root["endoflife"]) {
            int line = line_of(eol);
            if (!eol.IsMap()) return Error{"'endoflife' must be a mapping", file, line};
            std::string url = scalar(eol, "url"), target = scalar(eol, "target");
            if (url.find("{product}") == std::string::npos ||
                target.find("{product}") == std::string::npos)
                return Error{"endoflife: 'url' and 'target' must contain {product}", file, line};
            YAML::Node products = eol["products"];
            if (!products || !products.IsSequence())
                return Error{"endoflife: 'products' must be a list", file, line};
            for (const auto& p : products) {
                auto product = p.as<std::string>();
                bool ok =
                    !product.empty() && std::all_of(product.begin(), product.end(), [](char c) {
                        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                               c == '_' || c == '.';
                    });
                if (!ok || product.front() == '.')
                    return Error{"endoflife: invalid product name '" + product + "'", file,
                                 line_of(p)};
                FeedSource s;
                s.name = "endoflife-" + product;
                s.kind = kFeedKindEndoflife;
                s.url = replace_all(url, "{product}", product);
                s.target = replace_all(target, "{product}", product);
                s.format = FeedFormat::EndoflifeApi;
                if (auto e = check(s, line_of(p))) return *e;
                out.push_back(std::move(s));
            }
        }
        if (YAML::Node msrc = root["msrc"]) {
            int line = line_of(msrc);
            if (!msrc.IsMap()) return Error{"'msrc' must be a mapping", file, line};
            for (auto it = msrc.begin(); it != msrc.end(); ++it) {
                auto k = it->first.as<std::string>();
                if (k != "url" && k != "target" && k != "months")
                    return Error{"msrc: unknown key '" + k + "'", file, line_of(it->first)};
            }
            std::string url = scalar(msrc, "url"), target = scalar(msrc, "target");
            if (url.find("{month}") == std::string::npos ||
                target.find("{month}") == std::string::npos)
                return Error{"msrc: 'url' and 'target' must contain {month}", file, line};
            long long months = 0;
            if (!text::parse_int(scalar(msrc, "months"), months) || months < 1 || months > 120)
                return Error{"msrc: 'months' must be a number from 1 to 120", file, line};
            for (const auto& month : msrc_months(today, static_cast<int>(months))) {
                FeedSource s;
                s.name = "msrc-cvrf-" + month;
                s.kind = kFeedKindWindowsBuilds;
                s.url = replace_all(url, "{month}", month);
                s.target = replace_all(target, "{month}", month);
                s.format = FeedFormat::MsrcCvrf;
                if (auto e = check(s, line)) return *e;
                out.push_back(std::move(s));
            }
        }
    } catch (const YAML::Exception& e) {
        return Error{"invalid YAML: " + e.msg, file, e.mark.line + 1};
    }
    if (out.empty()) return Error{"no feeds listed", file};
    return out;
}

Expected<std::vector<FeedSource>> load_feed_sources(const fs::path& file, const Date& today) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return Error{"cannot read sources file", file.string()};
    std::ostringstream ss;
    ss << in.rdbuf();
    return parse_feed_sources(ss.str(), file.string(), today);
}

// --- content checks -------------------------------------------------------------------------

Status validate_feed_content(const FeedSource& s, std::string_view content) {
    if (s.format == FeedFormat::Markdown) {
        auto p = parse_eol_product_markdown(content, s.name, s.target);
        if (!p) return Error{p.error().message};
        if (p->cycles.empty()) return Error{"no release cycles"};
        return Ok{};
    }
    if (s.format == FeedFormat::EndoflifeApi) {
        auto p = parse_eol_api_json(content, s.name, s.target);
        if (!p) return Error{p.error().message};
        if (p->cycles.empty()) return Error{"no release cycles"};
        return Ok{};
    }
    if (s.format == FeedFormat::MsrcCvrf) {
        auto t = windows_builds_from_cvrf(content, s.url);
        if (!t) return Error{t.error().message};
        return Ok{};
    }
    if (s.format == FeedFormat::OvalBz2) {  // the download: bzip2 of an OVAL definitions file
        auto xml = bunzip2(content, kRhelOvalMaxBytes);
        if (!xml) return Error{xml.error().message};
        auto oval = parse_rhel_oval(*xml, s.target);
        if (!oval) return Error{oval.error().describe()};
        if (oval->definitions.empty()) return Error{"no patch definitions (not Red Hat OVAL)"};
        return Ok{};
    }
    auto j = json::parse(content, nullptr, false);
    if (j.is_discarded()) return Error{"not valid JSON (truncated or corrupt)"};
    if (s.kind == kFeedKindKev) {
        if (!j.is_object() || !j.contains("vulnerabilities") || !j["vulnerabilities"].is_array())
            return Error{"no 'vulnerabilities' array (not a KEV catalog)"};
        if (j["vulnerabilities"].empty()) return Error{"empty 'vulnerabilities' array"};
    } else if (s.kind == kFeedKindDebianTracker) {
        if (!j.is_object() || j.empty())
            return Error{"not an object of packages (not the security tracker JSON)"};
        for (const auto& [pkg, cves] : j.items())
            if (!cves.is_object()) return Error{"package '" + pkg + "' is not an object of CVEs"};
    }
    return Ok{};
}

std::string sha256_hex(std::string_view data) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned i = 0; i < len; ++i) {
        out.push_back(hex[md[i] >> 4]);
        out.push_back(hex[md[i] & 15]);
    }
    return out;
}

// --- update ---------------------------------------------------------------------------------

std::vector<FeedUpdateResult> update_feeds(const fs::path& feeds_dir,
                                           const std::vector<FeedSource>& sources,
                                           const FeedFetchOptions& options) {
    std::vector<FeedUpdateResult> results;
    json state = read_state(feeds_dir);
    if (!state.contains("feeds")) state["feeds"] = json::object();
    for (const auto& s : sources) {
        FeedUpdateResult r{s.name, s.url, s.target, FeedOutcome::Failed, {}, 0, false};
        fs::path target = feeds_dir / s.target;
        std::error_code ec;
        bool have_file = fs::is_regular_file(target, ec);
        json prev = state["feeds"].contains(s.name) && state["feeds"][s.name].is_object()
                        ? state["feeds"][s.name]
                        : json::object();
        Fetched f = fetch_feed(s, prev, have_file, options);
        std::string now = now_utc_iso();
        json entry = prev;
        entry["url"] = s.url;
        entry["target"] = s.target;
        entry["kind"] = s.kind;
        entry["coverage"] = s.coverage;
        entry["last_attempt"] = now;
        if (f.outcome == FeedOutcome::Updated) {
            if (auto w = write_file_atomic(target, f.content); !w) {
                f.outcome = FeedOutcome::Failed;
                f.error = "cannot store download from " + s.url + ": " + w.error().describe();
            } else {
                r.bytes = f.content.size();
                entry["downloaded"] = now;
                entry["sha256"] = sha256_hex(f.content);
            }
        }
        if (f.outcome == FeedOutcome::Failed) {
            r.message = f.error;
            r.old_kept = have_file;
            entry["last_error"] = f.error;
        } else {
            r.outcome = f.outcome;
            entry["checked"] = now;
            entry["etag"] = f.etag;
            entry["last_modified"] = f.last_modified;
            entry.erase("last_error");
        }
        state["feeds"][s.name] = entry;
        results.push_back(std::move(r));
    }
    state["format"] = 1;
    if (auto w = write_file_atomic(feeds_dir / kStateFile, state.dump(2) + "\n"); !w) {
        for (auto& r : results) {
            if (r.outcome == FeedOutcome::Failed) continue;
            r.outcome = FeedOutcome::Failed;
            r.old_kept = true;
            r.message = "cannot record feed state: " + w.error().describe();
        }
    }
    return results;
}

// --- status ---------------------------------------------------------------------------------

std::optional<Date> parse_http_date(std::string_view value) {
    // IMF-fixdate (RFC 9110): "Sun, 06 Nov 1994 08:49:37 GMT".
    static const char* kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                    "jul", "aug", "sep", "oct", "nov", "dec"};
    auto f = text::split_ws(value);
    for (std::size_t i = 1; i + 1 < f.size(); ++i) {
        for (int m = 0; m < 12; ++m) {
            if (!text::iequals(f[i], kMonths[m])) continue;
            long long day = 0, year = 0;
            if (!text::parse_int(f[i - 1], day) || !text::parse_int(f[i + 1], year)) continue;
            if (year < 1970 || year > 9999 || day < 1 || day > 31) continue;
            char buf[16];
            std::snprintf(buf, sizeof buf, "%04lld-%02d-%02lld", year, m + 1, day);
            return parse_iso_date(buf);
        }
    }
    return std::nullopt;
}

namespace {

constexpr const char* kSnapshotMeta = "snapshot.yaml";
constexpr std::uintmax_t kMaxSnapshotMetaBytes = 1024 * 1024;

// What is known about one feed file beyond its content: from the .state.json entry of the
// download that produced it, else from the snapshot.yaml of its directory.
struct FileMeta {
    std::string url, last_error;  // from .state.json, even when the file differs
    std::string checked;          // last successful check (YYYY-MM-DD); only from_state
    std::string data_date, basis, coverage, note;
    std::vector<std::string> complete_for;
    bool from_state = false;  // the file is the recorded download (SHA-256 matches)
};

// The snapshot.yaml entry of `dir` for `file_name` (see docs/feeds.md); an unreadable or
// invalid metadata file gives an entry whose basis says so.
std::optional<FileMeta> snapshot_meta(const fs::path& dir, const std::string& file_name) {
    fs::path p = dir / kSnapshotMeta;
    std::error_code ec;
    if (!fs::is_regular_file(p, ec)) return std::nullopt;
    FileMeta m;
    if (fs::file_size(p, ec) > kMaxSnapshotMetaBytes) {
        m.basis = p.filename().string() + " larger than 1 MiB, ignored";
        return m;
    }
    try {
        YAML::Node root = YAML::Load(read_file(p));
        YAML::Node files = root["files"];
        if (!files || !files.IsMap()) {
            m.basis = std::string(kSnapshotMeta) + ": no 'files' mapping, ignored";
            return m;
        }
        YAML::Node e = files[file_name];
        if (!e) return std::nullopt;
        if (!e.IsMap()) {
            m.basis = std::string(kSnapshotMeta) + ":" + std::to_string(line_of(e)) + ": entry " +
                      file_name + " is not a mapping, ignored";
            return m;
        }
        if (auto d = parse_iso_date(scalar(e, "data_date"))) m.data_date = d->iso();
        std::string basis = scalar(e, "basis");
        m.basis = "snapshot metadata (" + std::string(kSnapshotMeta) + ")" +
                  (basis.empty() ? "" : ": " + basis);
        m.coverage = scalar(e, "coverage");
        if (m.coverage != "complete" && m.coverage != "excerpt") m.coverage.clear();
        m.note = scalar(e, "note");
        if (YAML::Node c = e["complete_for"]; c && c.IsSequence())
            for (const auto& x : c)
                if (x.IsScalar()) m.complete_for.push_back(x.as<std::string>());
    } catch (const YAML::Exception& ex) {
        m.basis = std::string(kSnapshotMeta) + ":" + std::to_string(ex.mark.line + 1) +
                  ": invalid YAML, ignored";
    }
    return m;
}

// Metadata of the feed file `rel` (relative to the feed directory).
FileMeta file_meta(const fs::path& feeds_dir, const json& state, const std::string& rel) {
    FileMeta m;
    fs::path path = feeds_dir / rel;
    for (const auto& [name, e] : state["feeds"].items()) {
        if (!e.is_object() || str_field(e, "target") != rel) continue;
        m.url = str_field(e, "url");
        m.last_error = str_field(e, "last_error");
        std::string sha = str_field(e, "sha256");
        // The entry describes the file only while it is the recorded download (a restored or
        // hand-copied file is not).
        if (sha.empty() || sha != sha256_hex(read_file(path))) break;
        m.from_state = true;
        if (auto d = parse_iso_date(str_field(e, "checked"))) m.checked = d->iso();
        if (auto lm = parse_http_date(str_field(e, "last_modified"))) {
            m.data_date = lm->iso();
            m.basis = "HTTP Last-Modified at download";
        } else if (!m.checked.empty()) {
            m.data_date = m.checked;
            m.basis = "last successful check (the server sent no Last-Modified)";
        }
        m.coverage = str_field(e, "coverage");
        if (m.coverage != "complete" && m.coverage != "excerpt") m.coverage.clear();
        return m;
    }
    if (auto s = snapshot_meta(path.parent_path(), path.filename().string())) {
        s->url = m.url;
        s->last_error = m.last_error;
        return *s;
    }
    return m;
}

std::string join_names(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& x : v) out += (out.empty() ? "" : ", ") + x;
    return out;
}

// Number of top-level keys (source packages) of the tracker JSON, without keeping the data.
std::optional<std::size_t> tracker_package_count(const fs::path& p) {
    std::size_t n = 0;
    json::parser_callback_t cb = [&n](int depth, json::parse_event_t event, json&) {
        if (depth == 1 && event == json::parse_event_t::key) ++n;
        return depth < 1;  // keep nothing below the top level
    };
    auto j = json::parse(read_file(p), cb, false);
    if (j.is_discarded()) return std::nullopt;
    return n;
}

}  // namespace

std::vector<FeedStatus> feed_status(const fs::path& feeds_dir) {
    json state = read_state(feeds_dir);
    if (!state.contains("feeds")) state["feeds"] = json::object();
    std::vector<FeedStatus> out;
    std::error_code ec;

    // endoflife: one entry for the product directory; the oldest product counts.
    {
        FeedStatus st;
        st.info.name = kFeedKindEndoflife;
        st.file = std::string(kEndoflifeDir) + "/";
        struct Product {
            std::string data_date, basis, checked;
            std::set<std::string> coverage;
        };
        std::map<std::string, Product> products;
        std::string template_url;
        fs::path dir = feeds_dir / kEndoflifeDir;
        std::vector<fs::path> files;
        if (fs::is_directory(dir, ec))
            for (const auto& e : fs::directory_iterator(dir, ec))
                if (e.is_regular_file(ec)) files.push_back(e.path());
        std::sort(files.begin(), files.end());
        for (const auto& f : files) {
            std::string name = f.filename().string();
            bool api = name.size() > 9 && name.ends_with(".api.json");
            std::string product;
            if (api)
                product = name.substr(0, name.size() - 9);
            else if (name.ends_with(".md") || name.ends_with(".json"))
                product = f.stem().string();
            else
                continue;
            FileMeta m = file_meta(feeds_dir, state, st.file + name);
            if (api && !m.url.empty() && template_url.empty())
                template_url = replace_all(m.url, product, "<product>");
            if (!m.last_error.empty()) st.last_error = product + ": " + m.last_error;
            if (m.data_date.empty()) {  // the newest past date in the data: a lower bound
                std::string text = read_file(f);
                auto p = api                     ? parse_eol_api_json(text, product, name)
                         : name.ends_with(".md") ? parse_eol_product_markdown(text, product, name)
                                                 : parse_eol_release_json(text, product, name);
                if (p && p->newest_date) {
                    m.data_date = p->newest_date->iso();
                    m.basis = "newest release date in the data";
                }
            }
            auto& pr = products[product];
            if (!m.data_date.empty() && m.data_date > pr.data_date) {
                pr.data_date = m.data_date;
                pr.basis = m.basis;
            }
            pr.checked = std::max(pr.checked, m.checked);
            pr.coverage.insert(m.coverage);
        }
        st.present = !products.empty();
        if (st.present) {
            std::string oldest, oldest_product, basis, checked;
            bool unknown = false;
            std::set<std::string> coverage;
            for (const auto& [name, p] : products) {
                coverage.insert(p.coverage.begin(), p.coverage.end());
                if (p.data_date.empty()) {
                    unknown = true;
                    oldest_product = name;
                } else if (!unknown && (oldest.empty() || p.data_date < oldest)) {
                    oldest = p.data_date;
                    oldest_product = name;
                    basis = p.basis;
                }
                if (!p.checked.empty() && (checked.empty() || p.checked < checked))
                    checked = p.checked;
            }
            if (!unknown) {
                st.info.data_date = oldest;
                st.info.data_date_basis = "oldest product (" + oldest_product + "): " + basis;
            } else {
                st.info.data_date_basis = "no date for product " + oldest_product;
            }
            st.info.updated = checked;
            st.info.version = std::to_string(products.size()) + " products";
            st.info.coverage = coverage.size() == 1        ? *coverage.begin()
                               : coverage.count("excerpt") ? "excerpt"
                                                           : "";
            std::vector<std::string> names;
            for (const auto& [name, p] : products) names.push_back(name);
            st.info.coverage_note = "products: " + join_names(names);
            st.info.source =
                template_url.empty() ? "offline snapshot (feeds/SOURCE.md)" : template_url;
        }
        out.push_back(std::move(st));
    }

    // cisa-kev: the catalog's own release date.
    {
        FeedStatus st;
        st.info.name = kFeedKindKev;
        st.file = kKevTarget;
        fs::path p = feeds_dir / kKevTarget;
        st.present = fs::is_regular_file(p, ec);
        FileMeta m = file_meta(feeds_dir, state, kKevTarget);
        st.last_error = m.last_error;
        st.info.source = m.url;
        if (st.present) {
            if (st.info.source.empty()) st.info.source = p.string();
            st.info.updated = m.checked;
            st.info.coverage = m.coverage;
            st.info.coverage_note = m.note;
            st.info.version = "unknown";
            auto j = json::parse(read_file(p), nullptr, false);
            if (j.is_object()) {
                std::string version =
                    j.contains("catalogVersion") && j["catalogVersion"].is_string()
                        ? j["catalogVersion"].get<std::string>()
                        : std::string();
                if (!version.empty()) st.info.version = version;
                std::string released = j.contains("dateReleased") && j["dateReleased"].is_string()
                                           ? j["dateReleased"].get<std::string>()
                                           : std::string();
                std::string dotted = version;
                std::replace(dotted.begin(), dotted.end(), '.', '-');
                if (auto d = parse_iso_date(released)) {
                    st.info.data_date = d->iso();
                    st.info.data_date_basis = "KEV dateReleased";
                } else if (auto v = parse_iso_date(dotted)) {
                    st.info.data_date = v->iso();
                    st.info.data_date_basis = "KEV catalogVersion";
                }
                if (j.contains("vulnerabilities") && j["vulnerabilities"].is_array() &&
                    st.info.coverage_note.empty())
                    st.info.coverage_note = std::to_string(j["vulnerabilities"].size()) + " CVEs";
            }
            if (st.info.data_date.empty()) {
                st.info.data_date = m.data_date;
                st.info.data_date_basis = m.basis;
            }
        }
        out.push_back(std::move(st));
    }

    // debian-security-tracker: no date inside; Last-Modified of the download or the snapshot
    // metadata.
    {
        FeedStatus st;
        st.info.name = kFeedKindDebianTracker;
        st.file = kTrackerTarget;
        fs::path p = feeds_dir / kTrackerTarget;
        st.present = fs::is_regular_file(p, ec);
        FileMeta m = file_meta(feeds_dir, state, kTrackerTarget);
        st.last_error = m.last_error;
        st.info.source = m.url;
        if (st.present) {
            if (st.info.source.empty()) st.info.source = p.string();
            st.info.updated = m.checked;
            st.info.data_date = m.data_date;
            st.info.data_date_basis =
                m.basis.empty() ? "no date recorded (no download state, no snapshot metadata)"
                                : m.basis;
            st.info.version = m.data_date.empty() ? "unknown" : m.data_date;
            st.info.coverage = m.coverage;
            st.info.complete_for = m.complete_for;
            auto packages = tracker_package_count(p);
            std::string note = packages ? std::to_string(*packages) + " source packages"
                                        : std::string("unreadable");
            if (!m.note.empty()) note += "; " + m.note;
            if (m.coverage == "excerpt")
                note += m.complete_for.empty() ? "; complete for no release"
                                               : "; complete for " + join_names(m.complete_for);
            st.info.coverage_note = note;
        }
        out.push_back(std::move(st));
    }

    // windows-builds: one entry for the directory (monthly CVRF conversions and the snapshot);
    // the data date is the newest release in the table.
    {
        FeedStatus st;
        st.info.name = kFeedKindWindowsBuilds;
        st.file = std::string(kWindowsDir) + "/";
        std::string newest_check, url_template;
        std::set<std::string> coverage;
        std::vector<std::string> notes;
        int files = 0;
        fs::path dir = feeds_dir / kWindowsDir;
        std::vector<fs::path> paths;
        if (fs::is_directory(dir, ec))
            for (const auto& e : fs::directory_iterator(dir, ec))
                if (e.is_regular_file(ec) && e.path().extension() == ".json")
                    paths.push_back(e.path());
        std::sort(paths.begin(), paths.end());
        for (const auto& f : paths) {
            ++files;
            FileMeta m = file_meta(feeds_dir, state, st.file + f.filename().string());
            if (!m.last_error.empty()) st.last_error = m.last_error;
            if (!m.url.empty() && url_template.empty()) {
                auto slash = m.url.rfind('/');
                url_template = m.url.substr(0, slash + 1) + "<YYYY-Mon>";
            }
            newest_check = std::max(newest_check, m.checked);
            coverage.insert(m.coverage);
            if (!m.note.empty()) notes.push_back(f.filename().string() + ": " + m.note);
        }
        st.present = files > 0;
        if (st.present) {
            WindowsBuildTable table = load_windows_builds(dir);
            st.info.updated = newest_check;
            if (!table.empty()) {
                st.info.data_date = table.newest.iso();
                st.info.data_date_basis = "newest release in the build table";
            } else {
                st.info.data_date_basis = "build table unreadable";
            }
            std::vector<std::string> builds;
            for (const auto& [b, r] : table.builds) builds.push_back(std::to_string(b));
            st.info.version = table.empty() ? "unreadable"
                                            : "updates until " + table.newest.iso() + " (" +
                                                  std::to_string(table.builds.size()) + " builds)";
            st.info.coverage = coverage.size() == 1        ? *coverage.begin()
                               : coverage.count("excerpt") ? "excerpt"
                                                           : "";
            notes.insert(notes.begin(), "builds " + join_names(builds));
            std::string note;
            for (const auto& n : notes) note += (note.empty() ? "" : "; ") + n;
            st.info.coverage_note = note;
            st.info.source =
                url_template.empty() ? "offline snapshot (feeds/SOURCE.md)" : url_template;
        }
        out.push_back(std::move(st));
    }

    // redhat-oval: one entry for the directory (rhel-<N>.oval.xml per release) when it has any;
    // the data date is the oldest generator timestamp of the files (read from their first 4 KiB).
    {
        FeedStatus st;
        st.info.name = kFeedKindRedhatOval;
        st.file = std::string(kRedhatDir) + "/";
        std::vector<fs::path> paths;
        fs::path dir = feeds_dir / kRedhatDir;
        if (fs::is_directory(dir, ec))
            for (const auto& e : fs::directory_iterator(dir, ec)) {
                std::string n = e.path().filename().string();
                if (e.is_regular_file(ec) && n.starts_with("rhel-") && n.ends_with(".oval.xml"))
                    paths.push_back(e.path());
            }
        std::sort(paths.begin(), paths.end());
        std::string oldest, newest_check, url;
        std::set<std::string> coverage;
        std::vector<std::string> releases, complete, notes;
        for (const auto& f : paths) {
            std::string n = f.filename().string();
            std::string release = n.substr(5, n.size() - 5 - 9);
            releases.push_back(release);
            FileMeta m = file_meta(feeds_dir, state, st.file + n);
            if (!m.last_error.empty()) st.last_error = m.last_error;
            if (url.empty()) url = m.url;
            newest_check = std::max(newest_check, m.checked);
            coverage.insert(m.coverage);
            if (m.coverage == "complete") complete.push_back(release);
            if (!m.note.empty()) notes.push_back(n + ": " + m.note);
            std::ifstream in(f, std::ios::binary);
            std::string head(4096, '\0');
            in.read(head.data(), static_cast<std::streamsize>(head.size()));
            head.resize(static_cast<std::size_t>(in.gcount()));
            std::string date;
            if (auto p = head.find("timestamp>"); p != std::string::npos)
                if (auto d = parse_iso_date(head.substr(p + 10, 10))) date = d->iso();
            if (date.empty())
                oldest = "unknown";
            else if (oldest != "unknown" && (oldest.empty() || date < oldest))
                oldest = date;
        }
        st.present = !paths.empty();
        if (st.present) {
            st.info.source = url.empty() ? "offline snapshot (feeds/SOURCE.md)" : url;
            st.info.updated = newest_check;
            if (oldest != "unknown") {
                st.info.data_date = oldest;
                st.info.data_date_basis = "generator timestamp of the OVAL file (oldest release)";
            } else {
                st.info.data_date_basis = "a file has no readable generator timestamp";
            }
            st.info.version = "RHEL " + join_names(releases);
            st.info.coverage = coverage.size() == 1        ? *coverage.begin()
                               : coverage.count("excerpt") ? "excerpt"
                                                           : "";
            st.info.complete_for = complete;
            std::string note;
            for (const auto& x : notes) note += (note.empty() ? "" : "; ") + x;
            st.info.coverage_note = note;
        }
        // Optional: listed only where RHEL data is present, so sites without RHEL hosts get no
        // "missing" warning; a RHEL host without its file gets an issue from the enrichment.
        if (st.present) out.push_back(std::move(st));
    }

    for (auto& st : out) st.info.last_error = st.last_error;
    return out;
}

std::vector<FeedInfo> describe_feeds(const fs::path& feeds_dir, int max_age_days) {
    std::vector<FeedInfo> out;
    for (auto& st : feed_status(feeds_dir)) {
        st.info.max_age_days = max_age_days;
        out.push_back(std::move(st.info));
    }
    return out;
}

std::optional<long long> feed_age_days(const FeedInfo& feed, const Date& today) {
    auto d = parse_iso_date(feed.data_date);
    if (!d) return std::nullopt;
    return std::max(0LL, days_between(*d, today));
}

bool feed_complete_for(const FeedInfo& feed, const std::string& release) {
    if (feed.coverage == "complete") return true;
    return std::find(feed.complete_for.begin(), feed.complete_for.end(), release) !=
           feed.complete_for.end();
}

std::vector<std::string> stale_feed_warnings(const std::vector<FeedInfo>& feeds, int max_age_days,
                                             const Date& today) {
    std::vector<std::string> out;
    for (const auto& f : feeds) {
        auto age = feed_age_days(f, today);
        if (f.version.empty()) {
            out.push_back("Feed " + f.name +
                          " fehlt/missing: no data in the feed directory (run `grundscan feeds "
                          "update`)");
        } else if (!age) {
            out.push_back("Feed " + f.name +
                          " Datenstand unbekannt/data date unknown: " + f.data_date_basis +
                          "; its age cannot be judged (run `grundscan feeds update`)");
        } else if (*age > max_age_days) {
            out.push_back("Feed " + f.name + " veraltet/stale: data as of " + f.data_date + " (" +
                          f.data_date_basis + "), " + std::to_string(*age) + " days old, limit " +
                          std::to_string(max_age_days) + "; run `grundscan feeds update`");
        }
        if (!f.last_error.empty())
            out.push_back(
                "Feed " + f.name +
                ": letzte Aktualisierung fehlgeschlagen/last update failed: " + f.last_error);
    }
    return out;
}

void apply_feed_info(const std::vector<FeedInfo>& feeds, DebianTracker& tracker, KevCatalog& kev) {
    for (const auto& f : feeds) {
        if (f.name == kFeedKindDebianTracker) {
            tracker.data_date = parse_iso_date(f.data_date);
            tracker.coverage = f.coverage;
            tracker.complete_for = f.complete_for;
            tracker.coverage_note = f.coverage_note;
        } else if (f.name == kFeedKindKev) {
            kev.data_date = parse_iso_date(f.data_date);
            kev.coverage = f.coverage;
        }
    }
}

Expected<std::string> bunzip2(std::string_view data, std::size_t max_bytes) {
    bz_stream z{};
    if (BZ2_bzDecompressInit(&z, 0, 0) != BZ_OK) return Error{"cannot start bzip2 decoder"};
    std::string out;
    char buf[1 << 16];
    z.next_in = const_cast<char*>(data.data());
    z.avail_in = static_cast<unsigned>(std::min<std::size_t>(data.size(), 0xFFFFFFFFu));
    std::size_t fed = z.avail_in;
    int rc = BZ_OK;
    while (true) {
        z.next_out = buf;
        z.avail_out = sizeof buf;
        rc = BZ2_bzDecompress(&z);
        out.append(buf, sizeof buf - z.avail_out);
        if (out.size() > max_bytes) {
            BZ2_bzDecompressEnd(&z);
            return Error{"unpacks to more than " + std::to_string(max_bytes >> 20) + " MiB"};
        }
        if (rc == BZ_STREAM_END) break;
        if (rc != BZ_OK) {
            BZ2_bzDecompressEnd(&z);
            return Error{"not bzip2 data or corrupt (bzip2 error " + std::to_string(rc) + ")"};
        }
        if (z.avail_in == 0 && fed < data.size()) {
            std::size_t more = std::min<std::size_t>(data.size() - fed, 0xFFFFFFFFu);
            z.next_in = const_cast<char*>(data.data() + fed);
            z.avail_in = static_cast<unsigned>(more);
            fed += more;
        } else if (z.avail_in == 0 && z.avail_out != 0) {
            BZ2_bzDecompressEnd(&z);
            return Error{"bzip2 data ends early (truncated download?)"};
        }
    }
    BZ2_bzDecompressEnd(&z);
    return out;
}

void apply_rhel_feed_info(const fs::path& feeds_dir, RhelOvalSet& ovals) {
    json state = read_state(feeds_dir);
    if (!state.contains("feeds")) state["feeds"] = json::object();
    for (auto& [release, oval] : ovals.by_release) {
        std::string rel = std::string(kRedhatDir) + "/rhel-" + release + ".oval.xml";
        FileMeta m = file_meta(feeds_dir, state, rel);
        oval.coverage = m.coverage;
        std::string note = std::to_string(oval.definitions.size()) + " advisories";
        if (!m.note.empty()) note += "; " + m.note;
        oval.coverage_note = note;
    }
}

}  // namespace grundscan
