#include "scanner/feeds/feed_store.hpp"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
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
constexpr curl_off_t kMaxFeedBytes = 1024LL * 1024 * 1024;  // the tracker is ~100 MB

std::optional<FeedFormat> parse_format(const std::string& s) {
    if (s == "json") return FeedFormat::Json;
    if (s == "md") return FeedFormat::Markdown;
    if (s == "endoflife-api") return FeedFormat::EndoflifeApi;
    if (s == "msrc-cvrf") return FeedFormat::MsrcCvrf;
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

// Modification date (UTC) of a file, or empty.
std::string mtime_date(const fs::path& p) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) return {};
    std::tm tm{};
    gmtime_r(&st.st_mtime, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
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
                    static const std::set<std::string> known{
                        "name", "kind", "url", "target", "format", "sha256", "sha256_url"};
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
                std::string fmt = scalar(n, "format");
                if (fmt.empty())
                    fmt = text::to_lower(fs::path(s.target).extension().string()) == ".md" ? "md"
                                                                                           : "json";
                auto f = parse_format(fmt);
                if (!f)
                    return Error{s.name + ": 'format' must be json, md, endoflife-api or msrc-cvrf",
                                 file, line};
                s.format = *f;
                s.kind = scalar(n, "kind");
                if (s.kind.empty())
                    s.kind = s.format == FeedFormat::Json       ? "other"
                             : s.format == FeedFormat::MsrcCvrf ? kFeedKindWindowsBuilds
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

namespace {

// Last successful check (YYYY-MM-DD) of the state entry for `target`, or empty.
std::string checked_date(const json& state, const std::string& target, std::string* url,
                         std::string* last_error) {
    for (const auto& [name, e] : state["feeds"].items()) {
        if (!e.is_object() || str_field(e, "target") != target) continue;
        if (url) *url = str_field(e, "url");
        if (last_error) *last_error = str_field(e, "last_error");
        auto d = parse_iso_date(str_field(e, "checked"));
        return d ? d->iso() : std::string();
    }
    return {};
}

}  // namespace

std::vector<FeedStatus> feed_status(const fs::path& feeds_dir) {
    json state = read_state(feeds_dir);
    if (!state.contains("feeds")) state["feeds"] = json::object();
    std::vector<FeedStatus> out;
    std::error_code ec;

    // endoflife: one entry for the product directory.
    {
        FeedStatus st;
        st.info.name = kFeedKindEndoflife;
        st.file = std::string(kEndoflifeDir) + "/";
        std::map<std::string, std::string> product_date;  // product -> newest date of its files
        std::string template_url;
        fs::path dir = feeds_dir / kEndoflifeDir;
        if (fs::is_directory(dir, ec)) {
            for (const auto& e : fs::directory_iterator(dir, ec)) {
                if (!e.is_regular_file(ec)) continue;
                std::string name = e.path().filename().string();
                std::string product;
                std::string date;
                if (name.size() > 9 && name.ends_with(".api.json")) {
                    product = name.substr(0, name.size() - 9);
                    std::string url, err;
                    date = checked_date(state, st.file + name, &url, &err);
                    if (!url.empty() && template_url.empty())
                        template_url = replace_all(url, product, "<product>");
                    if (!err.empty()) st.last_error = err;
                } else if (name.ends_with(".md") || name.ends_with(".json")) {
                    product = e.path().stem().string();
                } else {
                    continue;
                }
                if (date.empty()) date = mtime_date(e.path());
                auto& d = product_date[product];
                d = std::max(d, date);
            }
        }
        st.present = !product_date.empty();
        if (st.present) {
            std::string oldest;
            for (const auto& [p, d] : product_date)
                if (oldest.empty() || (!d.empty() && d < oldest)) oldest = d;
            st.info.updated = oldest;
            st.info.version = std::to_string(product_date.size()) + " products";
            st.info.source =
                template_url.empty() ? "offline snapshot (feeds/SOURCE.md)" : template_url;
        }
        out.push_back(std::move(st));
    }

    // Single-file feeds.
    for (auto [kind, target] :
         {std::pair{kFeedKindKev, kKevTarget}, std::pair{kFeedKindDebianTracker, kTrackerTarget}}) {
        FeedStatus st;
        st.info.name = kind;
        st.file = target;
        fs::path p = feeds_dir / target;
        st.present = fs::is_regular_file(p, ec);
        std::string url;
        std::string checked = checked_date(state, target, &url, &st.last_error);
        if (st.present) {
            st.info.updated = checked.empty() ? mtime_date(p) : checked;
            st.info.source = url.empty() ? p.string() : url;
            if (std::string(kind) == kFeedKindKev) {
                auto j = json::parse(read_file(p), nullptr, false);
                if (j.is_object() && j.contains("catalogVersion") &&
                    j["catalogVersion"].is_string())
                    st.info.version = j["catalogVersion"].get<std::string>();
                else
                    st.info.version = "unknown";
            } else {
                st.info.version = mtime_date(p);  // the tracker carries no version of its own
            }
        } else {
            st.info.source = url;
        }
        out.push_back(std::move(st));
    }
    // windows-builds: one entry for the directory (monthly CVRF conversions and the snapshot).
    {
        FeedStatus st;
        st.info.name = kFeedKindWindowsBuilds;
        st.file = std::string(kWindowsDir) + "/";
        std::string newest_check, url_template;
        int files = 0;
        fs::path dir = feeds_dir / kWindowsDir;
        if (fs::is_directory(dir, ec)) {
            for (const auto& e : fs::directory_iterator(dir, ec)) {
                if (!e.is_regular_file(ec) || e.path().extension() != ".json") continue;
                ++files;
                std::string url, err;
                std::string date =
                    checked_date(state, st.file + e.path().filename().string(), &url, &err);
                if (!err.empty()) st.last_error = err;
                if (!url.empty() && url_template.empty()) {
                    auto slash = url.rfind('/');
                    url_template = url.substr(0, slash + 1) + "<YYYY-Mon>";
                }
                if (date.empty()) date = mtime_date(e.path());
                newest_check = std::max(newest_check, date);
            }
        }
        st.present = files > 0;
        if (st.present) {
            WindowsBuildTable table = load_windows_builds(dir);
            st.info.updated = newest_check;
            st.info.version = table.empty() ? "unreadable"
                                            : "updates until " + table.newest.iso() + " (" +
                                                  std::to_string(table.builds.size()) + " builds)";
            st.info.source =
                url_template.empty() ? "offline snapshot (feeds/SOURCE.md)" : url_template;
        }
        out.push_back(std::move(st));
    }

    return out;
}

std::vector<FeedInfo> describe_feeds(const fs::path& feeds_dir) {
    std::vector<FeedInfo> out;
    for (auto& st : feed_status(feeds_dir)) out.push_back(std::move(st.info));
    return out;
}

std::optional<long long> feed_age_days(const FeedInfo& feed, const Date& today) {
    auto d = parse_iso_date(feed.updated);
    if (!d) return std::nullopt;
    return days_between(*d, today);
}

std::vector<std::string> stale_feed_warnings(const std::vector<FeedInfo>& feeds, int max_age_days,
                                             const Date& today) {
    std::vector<std::string> out;
    for (const auto& f : feeds) {
        auto age = feed_age_days(f, today);
        if (!age) {
            out.push_back("Feed " + f.name +
                          " fehlt/missing: no data in the feed directory (run `grundscan feeds "
                          "update`)");
        } else if (*age > max_age_days) {
            out.push_back("Feed " + f.name + " veraltet/stale: last update " + f.updated + " (" +
                          std::to_string(*age) + " days ago, limit " +
                          std::to_string(max_age_days) + "); run `grundscan feeds update`");
        }
    }
    return out;
}

}  // namespace grundscan
