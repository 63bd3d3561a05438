// The live web probe. Per listed URL, in two phases on one shared libcurl multi handle:
//   1. the start page (GET, redirects followed by hand, only within the listed host, at most
//      max_redirects hops). No answer -> one fatal issue, nothing else is sent to that target.
//   2. everything else at once: a verifying handshake (trust), plain http:// (redirect check),
//      TRACE, a few directories, a random path (soft-404 body) and then the sensitive paths.
//   3. https targets whose start page answered: the raw-socket TLS scan (tls_scan.hpp) of
//      versions, every registered cipher suite, groups, DHE size and certificate chains.
// Header facts that describe a missing protection are always emitted when the start page
// answered: http.csp, http.referrer_policy, http.permissions_policy and
// http.x_content_type_options are "" when the header is absent, http.frame_protection is
// false, http.hsts_max_age is 0 (https only). Disclosure headers (Server, X-Powered-By) are
// facts only when present. The cookie lists are emitted even when empty.
// http.redirects_to_https: for an http:// URL from its own first response; for an https:// URL
// from http://<host>/ on port 80 (no fact, a non-fatal issue, when that is not reachable).
// The CORS check rides on the start page request (Origin: https://grundscan-probe.invalid).
#include "scanner/probes/web_probe.hpp"

#include <openssl/x509.h>

#include <algorithm>
#include <random>
#include <regex>
#include <thread>

#include "scanner/core/text.hpp"
#include "scanner/probes/request_runner.hpp"
#include "scanner/probes/tls_checks.hpp"
#include "scanner/probes/tls_scan.hpp"

namespace grundscan {

namespace {

using probe::Request;
using probe::Response;
using probe::UrlParts;

constexpr const char* kCollector = "web-probe";
constexpr const char* kProbeOrigin = "https://grundscan-probe.invalid";
constexpr std::size_t kPathBodyCap = 64 * 1024;  // leak paths, directories, TRACE, soft-404
constexpr std::size_t kExcerptMax = 300;
const char* const kListingDirs[] = {"/files/", "/images/", "/uploads/", "/backup/", "/downloads/"};

struct CookieSeen {
    SetCookie cookie;
    bool over_https = false;
};

// Everything known about one listed URL while its requests run.
struct TargetState {
    const ProbeRequestTarget* in = nullptr;
    std::optional<UrlParts> url;  // as listed
    bool https = false;
    ProbeResult result;
    bool fatal = false;
    bool start_done = false;
    std::optional<UrlParts> final_url;
    std::shared_ptr<probe::TlsSnapshot> listed_tls;  // handshake of the listed URL itself
    std::vector<CookieSeen> cookies;
    std::vector<std::string> cookie_lines;
    std::optional<bool> redirects_to_https;
    std::string redirect_excerpt;
    std::optional<bool> trusted;
    std::string trusted_excerpt;
    std::optional<probe::TlsScanReport> tls_scan;  // raw-socket scan (versions, suites, groups)
    std::optional<bool> trace;
    std::string trace_excerpt;
    std::string trace_unclear;  // why the TRACE answer decides nothing ("" when it decides)
    bool listing = false;
    std::string listing_excerpt;
    int dirs_answered = 0;  // directory requests that got an HTTP answer
    // The answer to a random path that cannot exist: only a 4xx/5xx there lets "path not
    // served" mean anything. 0 = the request failed.
    int baseline_status = -1;  // -1 = not sent
    std::string baseline_excerpt;
    std::string soft404_body;
    bool leaks_checked = false;
    std::vector<std::string> leaks;
    std::vector<std::string> leak_excerpts;
    std::vector<std::string> failed_requests;  // "GET /x: reason" of follow-up requests
};

std::string clip(std::string_view s) {
    std::string out = text::sanitize_utf8(s.substr(0, kExcerptMax));
    if (s.size() > kExcerptMax) out += "...";
    return out;
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
    std::string out;
    for (const auto& i : items) {
        if (!out.empty()) out += sep;
        out += i;
    }
    return out;
}

std::string first_line(std::string_view body) {
    body = body.substr(0, std::min<std::size_t>(body.size(), 80));
    return std::string(body.substr(0, body.find('\n')));
}

std::string random_token() {
    std::random_device rd;
    std::mt19937_64 gen((static_cast<std::uint64_t>(rd()) << 32) ^ rd());
    static const char* hex = "0123456789abcdef";
    std::string s;
    for (std::uint64_t v = gen(); s.size() < 16; v >>= 4) s += hex[v & 15];
    return s;
}

bool is_redirect(const Response& r) {
    return r.status >= 300 && r.status < 400 && !r.redirect_url.empty();
}

// "<status line>" or "HTTP <status>".
std::string status_text(const Response& r) {
    return r.status_line.empty() ? "HTTP " + std::to_string(r.status) : r.status_line;
}

bool looks_like_listing(std::string_view body) {
    static const std::regex re(
        R"(<title>\s*Index of /|<h1>\s*Index of /|Directory listing for /|\[To Parent Directory\]|<title>Directory Listing For)",
        std::regex::ECMAScript | std::regex::icase);
    body = body.substr(0, std::min(body.size(), kPathBodyCap));
    try {
        return std::regex_search(body.begin(), body.end(), re);
    } catch (const std::exception&) {
        return false;
    }
}

// frame-ancestors directive of a CSP that does not allow every origin.
bool csp_restricts_framing(std::string_view csp) {
    for (auto directive : text::split(csp, ';')) {
        auto words = text::split_ws(directive);
        if (words.empty() || !text::iequals(words[0], "frame-ancestors")) continue;
        for (std::size_t i = 1; i < words.size(); ++i)
            if (words[i] == "*" || text::iequals(words[i], "https:") ||
                text::iequals(words[i], "http:"))
                return false;
        return true;
    }
    return false;
}

class WebProbe {
  public:
    WebProbe(const ProbeOptions& options, const Date& today)
        : options_(options), today_(today), runner_(options) {}

    std::vector<ProbeResult> run(const std::vector<ProbeRequestTarget>& targets);

  private:
    void fact(TargetState& s, const char* name, FactValue value, std::string excerpt);
    void note(TargetState& s, std::string message, std::vector<std::string> explains = {});
    void fail(TargetState& s, std::string message);
    Request request_for(TargetState& s, const std::string& url);
    void submit(TargetState& s, Request r);

    void request_start_page(TargetState& s, const std::string& url, int hop);
    void on_start_page(TargetState& s, const std::string& url, int hop, Response& r);
    void evaluate_start_page(TargetState& s, const std::string& url, const Response& r);
    void evaluate_headers(TargetState& s, const Response& r, bool https);
    void evaluate_cookies(TargetState& s);
    void evaluate_tls(TargetState& s);

    void start_followups(TargetState& s);
    void request_handshakes(TargetState& s);
    void request_plain_http(TargetState& s);
    void request_paths(TargetState& s);
    void request_leaks(TargetState& s);
    void path_failed(TargetState& s, const std::string& what, const Response& r);

    void finalize(TargetState& s);
    void finalize_tls(TargetState& s);
    void run_tls_scans(std::vector<TargetState>& states);

    ProbeOptions options_;
    Date today_;
    probe::RequestRunner runner_;
};

// --- Plumbing ---------------------------------------------------------------------------------

void WebProbe::fact(TargetState& s, const char* name, FactValue value, std::string excerpt) {
    s.result.facts.push_back(
        Fact{name, std::move(value), Provenance{s.result.source, 0, kCollector, clip(excerpt)}});
}

void WebProbe::note(TargetState& s, std::string message, std::vector<std::string> explains) {
    s.result.issues.push_back(SourceIssue{s.result.source, kCollector, std::move(message), 0, false,
                                          std::move(explains)});
}

void WebProbe::fail(TargetState& s, std::string message) {
    s.fatal = true;
    s.result.facts.clear();
    s.result.issues.push_back(
        SourceIssue{s.result.source, kCollector, std::move(message), 0, true});
}

Request WebProbe::request_for(TargetState& s, const std::string& url) {
    Request r;
    r.url = url;
    const ProbeTarget& t = s.in->target;
    r.proxy = t.proxy.empty() ? options_.proxy : t.proxy;
    r.cacert = t.cacert.empty() ? options_.cacert : t.cacert;
    r.client_cert = t.client_cert;
    r.client_key = t.client_key;
    r.max_body = kPathBodyCap;
    return r;
}

void WebProbe::submit(TargetState& s, Request r) {
    ++s.result.requests;
    runner_.submit(std::move(r));
}

// --- Phase 1: the start page ------------------------------------------------------------------

void WebProbe::request_start_page(TargetState& s, const std::string& url, int hop) {
    Request r = request_for(s, url);
    r.headers.push_back(std::string("Origin: ") + kProbeOrigin);
    r.max_body = options_.max_body_bytes;
    r.on_done = [this, &s, url, hop](Response& resp) { on_start_page(s, url, hop, resp); };
    submit(s, std::move(r));
}

void WebProbe::on_start_page(TargetState& s, const std::string& url, int hop, Response& resp) {
    if (!resp.ok()) {
        std::string where =
            hop == 0 ? url
                     : url + " (redirect " + std::to_string(hop) + " of " + s.in->target.url + ")";
        fail(s, where + ": " + resp.error);
        return;
    }
    const auto here = probe::parse_url(url);
    const bool here_https = here && here->scheme == "https";
    if (hop == 0) s.listed_tls = resp.tls;
    for (const auto& v : resp.header_all("set-cookie")) {
        if (auto c = parse_set_cookie(v)) s.cookies.push_back(CookieSeen{*c, here_https});
    }
    for (const auto& line : resp.header_lines)
        if (text::starts_with_icase(line, "set-cookie:")) s.cookie_lines.push_back(line);
    if (hop == 0 && !s.https) {
        const bool to_https = is_redirect(resp) && resp.redirect_url.rfind("https://", 0) == 0;
        s.redirects_to_https = to_https;
        s.redirect_excerpt = url + " -> " + status_text(resp) +
                             (is_redirect(resp) ? ", Location: " + resp.redirect_url : "");
    }
    if (is_redirect(resp) && options_.max_redirects > 0) {
        const auto next = probe::parse_url(resp.redirect_url);
        const bool same_host = next && next->host == s.url->host;
        if (!next || (!same_host && !options_.follow_other_hosts)) {
            note(s, url + ": redirect to " + resp.redirect_url +
                        " not followed (not the listed host); the redirect response is evaluated");
        } else if (hop >= options_.max_redirects) {
            fail(s, s.in->target.url + ": too many redirects (more than " +
                        std::to_string(options_.max_redirects) + ", max_redirects); stopped at " +
                        url + " -> " + resp.redirect_url);
            return;
        } else {
            request_start_page(s, resp.redirect_url, hop + 1);
            return;
        }
    }
    evaluate_start_page(s, url, resp);
    start_followups(s);
}

void WebProbe::evaluate_start_page(TargetState& s, const std::string& url, const Response& r) {
    s.start_done = true;
    s.final_url = probe::parse_url(url);
    const bool https = s.final_url && s.final_url->scheme == "https";
    fact(s, "http.status", std::int64_t{r.status}, url + ": " + status_text(r));
    if (r.truncated)
        note(s, url + ": body larger than " + std::to_string(options_.max_body_bytes) +
                    " bytes (max_body_bytes), cut off; headers were evaluated");
    evaluate_headers(s, r, https);
    evaluate_cookies(s);
    if (r.status == 200 && looks_like_listing(r.body)) {
        s.listing = true;
        s.listing_excerpt = "GET " + url + ": " + status_text(r) + ", directory listing";
    }
    if (s.https) evaluate_tls(s);
}

void WebProbe::evaluate_headers(TargetState& s, const Response& r, bool https) {
    auto line_or = [&](const char* name, const char* shown) {
        std::string l = r.header_line(name);
        return l.empty() ? std::string(shown) + ": (absent)" : l;
    };
    auto joined = [&](const char* name) { return join(r.header_all(name), ", "); };

    if (https) {
        auto hsts_value = r.header("strict-transport-security");
        auto hsts = hsts_value ? parse_hsts(*hsts_value) : std::nullopt;
        std::string ex = line_or("strict-transport-security", "Strict-Transport-Security");
        if (hsts_value && !hsts) ex += " (invalid: no valid max-age)";
        fact(s, "http.hsts_max_age", std::int64_t{hsts ? hsts->max_age : 0}, ex);
        fact(s, "http.hsts_include_subdomains", hsts && hsts->include_subdomains, ex);
    }
    fact(s, "http.csp", joined("content-security-policy"),
         line_or("content-security-policy", "Content-Security-Policy"));
    fact(s, "http.x_content_type_options", joined("x-content-type-options"),
         line_or("x-content-type-options", "X-Content-Type-Options"));
    fact(s, "http.referrer_policy", joined("referrer-policy"),
         line_or("referrer-policy", "Referrer-Policy"));
    fact(s, "http.permissions_policy", joined("permissions-policy"),
         line_or("permissions-policy", "Permissions-Policy"));

    const std::string xfo(text::trim(r.header("x-frame-options").value_or("")));
    const bool xfo_ok = text::iequals(xfo, "DENY") || text::iequals(xfo, "SAMEORIGIN");
    bool csp_ok = false;
    for (const auto& csp : r.header_all("content-security-policy"))
        csp_ok = csp_ok || csp_restricts_framing(csp);
    std::string frame_ex = line_or("x-frame-options", "X-Frame-Options");
    if (csp_ok) frame_ex += "; Content-Security-Policy frame-ancestors";
    fact(s, "http.frame_protection", xfo_ok || csp_ok, frame_ex);

    if (auto server = r.header("server")) {
        const std::string ex = r.header_line("server");
        fact(s, "http.server_banner", *server, ex);
        ServerBanner b = parse_server_banner(*server);
        if (!b.product.empty()) fact(s, "http.server_product", b.product, ex);
        if (!b.version.empty()) fact(s, "http.server_version", b.version, ex);
    }
    if (auto powered = r.header("x-powered-by"))
        fact(s, "http.powered_by", *powered, r.header_line("x-powered-by"));

    const std::string acao(text::trim(r.header("access-control-allow-origin").value_or("")));
    const std::string acac(text::trim(r.header("access-control-allow-credentials").value_or("")));
    const bool cors = (acao == "*" || acao == kProbeOrigin) && text::iequals(acac, "true");
    fact(s, "http.cors_wildcard_with_credentials", cors,
         std::string("Origin: ") + kProbeOrigin + " -> " +
             line_or("access-control-allow-origin", "Access-Control-Allow-Origin") + "; " +
             line_or("access-control-allow-credentials", "Access-Control-Allow-Credentials"));
}

void WebProbe::evaluate_cookies(TargetState& s) {
    std::vector<std::string> no_secure, no_httponly, no_samesite;
    auto add_unique = [](std::vector<std::string>& v, const std::string& n) {
        if (std::find(v.begin(), v.end(), n) == v.end()) v.push_back(n);
    };
    for (const auto& c : s.cookies) {
        if (c.over_https && !c.cookie.secure) add_unique(no_secure, c.cookie.name);
        if (!c.cookie.http_only) add_unique(no_httponly, c.cookie.name);
        if (!c.cookie.same_site) add_unique(no_samesite, c.cookie.name);
    }
    const std::string ex =
        s.cookie_lines.empty() ? "no Set-Cookie header" : join(s.cookie_lines, " | ");
    fact(s, "http.cookies_without_secure", no_secure, ex);
    fact(s, "http.cookies_without_httponly", no_httponly, ex);
    fact(s, "http.cookies_without_samesite", no_samesite, ex);
}

void WebProbe::evaluate_tls(TargetState& s) {
    const auto& tls = s.listed_tls;
    if (!tls || !tls->handshake_done) {
        note(s, s.in->target.url + ": TLS details of the default handshake not available");
        return;
    }
    const std::string hs = "default handshake: " + tls->protocol + ", " + tls->cipher +
                           (tls->group.empty() ? "" : ", " + tls->group);
    fact(s, "tls.negotiated_protocol", tls->protocol, hs);
    fact(s, "tls.negotiated_cipher", tls->cipher, hs);
    if (!tls->group.empty()) fact(s, "tls.negotiated_group", tls->group, hs);
    if (!tls->cert) {
        note(s, s.in->target.url + ": the server sent no certificate");
        return;
    }
    const std::string host =
        s.in->target.expected_host.empty() ? s.url->host : s.in->target.expected_host;
    const auto c = probe::describe_certificate(tls->cert.get(), host, probe::is_ip_literal(host));
    const std::string cert_ex = "certificate subject " + c.subject + ", issuer " + c.issuer;
    fact(s, "tls.cert_subject", c.subject, cert_ex);
    fact(s, "tls.cert_issuer", c.issuer, cert_ex);
    if (c.not_after) {
        const std::string ex = "notAfter " + c.not_after->iso();
        fact(s, "tls.cert_not_after", c.not_after->iso(), ex);
        fact(s, "tls.cert_days_left", std::int64_t{days_between(today_, *c.not_after)},
             ex + ", scan date " + today_.iso());
    }
    if (!c.key_type.empty()) {
        const std::string ex =
            "public key " + c.key_type + " " + std::to_string(c.key_bits) + " bits";
        fact(s, "tls.cert_key_type", c.key_type, ex);
        fact(s, "tls.cert_key_bits", std::int64_t{c.key_bits}, ex);
    }
    if (!c.signature_algorithm.empty())
        fact(s, "tls.cert_signature_algorithm", c.signature_algorithm,
             "signature algorithm " + c.signature_algorithm);
    fact(s, "tls.cert_hostname_match", c.hostname_match,
         "certificate " + std::string(c.hostname_match ? "matches " : "does not match ") + host);
}

// --- Phase 2: everything else -----------------------------------------------------------------

void WebProbe::start_followups(TargetState& s) {
    if (s.https) {
        request_handshakes(s);
        request_plain_http(s);
    }
    request_paths(s);
}

void WebProbe::request_handshakes(TargetState& s) {
    const std::string& url = s.in->target.url;
    {  // Trust: a verifying handshake (chain only; the host name is judged separately).
        Request r = request_for(s, url);
        r.connect_only = true;
        r.verify_peer = true;
        const std::string store = r.cacert.empty() ? "the system CA store" : r.cacert;
        r.on_done = [this, &s, store](Response& resp) {
            if (resp.ok()) {
                s.trusted = true;
                s.trusted_excerpt = "chain verified against " + store;
            } else if (resp.code == CURLE_PEER_FAILED_VERIFICATION) {
                s.trusted = false;
                s.trusted_excerpt = "chain not verified against " + store + ": " +
                                    X509_verify_cert_error_string(resp.verify_result);
            } else {
                note(s, s.in->target.url + ": certificate trust not checked: " + resp.error);
            }
        };
        submit(s, std::move(r));
    }
}

void WebProbe::request_plain_http(TargetState& s) {
    const std::string host = s.url->ipv6 ? "[" + s.url->host + "]" : s.url->host;
    const std::string plain = "http://" + host + "/";
    Request r = request_for(s, plain);
    r.max_body = 0;
    r.on_done = [this, &s, plain](Response& resp) {
        if (!resp.ok()) {
            note(s,
                 "plain HTTP not reachable (" + plain + ": " + resp.error + "): no redirect check");
            return;
        }
        s.redirects_to_https = is_redirect(resp) && resp.redirect_url.rfind("https://", 0) == 0;
        s.redirect_excerpt = plain + " -> " + status_text(resp) +
                             (is_redirect(resp) ? ", Location: " + resp.redirect_url : "");
    };
    submit(s, std::move(r));
}

void WebProbe::path_failed(TargetState& s, const std::string& what, const Response& r) {
    s.failed_requests.push_back(what + ": " + r.error);
}

void WebProbe::request_paths(TargetState& s) {
    const UrlParts& fin = s.final_url ? *s.final_url : *s.url;
    const std::string origin = fin.origin();
    {
        Request r = request_for(s, origin + fin.path);
        r.method = "TRACE";
        const std::string expect = "TRACE " + fin.path;
        r.on_done = [this, &s, expect](Response& resp) {
            if (!resp.ok()) return path_failed(s, expect, resp);
            bool echoed = resp.status == 200 && resp.body.find(expect) != std::string::npos;
            s.trace_excerpt =
                expect + " -> " + status_text(resp) + (echoed ? ", request echoed" : "");
            // Enabled: the request comes back. Disabled: refused (4xx/5xx). A redirect or a
            // page without the echo (catch-all site) tells neither.
            if (echoed || resp.status >= 400)
                s.trace = echoed;
            else
                s.trace_unclear = s.trace_excerpt + ": neither echoed nor refused";
        };
        submit(s, std::move(r));
    }
    for (const char* dir : kListingDirs) {
        Request r = request_for(s, origin + dir);
        const std::string what = std::string("GET ") + dir;
        r.on_done = [this, &s, what](Response& resp) {
            if (!resp.ok()) return path_failed(s, what, resp);
            ++s.dirs_answered;
            if (resp.status == 200 && looks_like_listing(resp.body) && !s.listing) {
                s.listing = true;
                s.listing_excerpt = what + ": " + status_text(resp) + ", directory listing";
            }
        };
        submit(s, std::move(r));
    }
    const std::string probe_path = "/grundscan-" + random_token() + "-404";
    Request r = request_for(s, origin + probe_path);
    r.on_done = [this, &s, probe_path](Response& resp) {
        s.baseline_status = resp.ok() ? static_cast<int>(resp.status) : 0;
        s.baseline_excerpt = "GET " + probe_path + " -> " +
                             (resp.ok() ? status_text(resp) : "no answer (" + resp.error + ")");
        if (resp.ok() && resp.status == 200) s.soft404_body = std::move(resp.body);
        if (options_.test_leaks) request_leaks(s);
    };
    submit(s, std::move(r));
}

void WebProbe::request_leaks(TargetState& s) {
    s.leaks_checked = true;
    const std::string origin = (s.final_url ? *s.final_url : *s.url).origin();
    for (const LeakCheck& check : leak_checks()) {
        Request r = request_for(s, origin + check.path);
        const LeakCheck* c = &check;
        r.on_done = [this, &s, c](Response& resp) {
            if (!resp.ok()) return path_failed(s, "GET " + c->path, resp);
            if (resp.status != 200 || !leak_confirmed(*c, resp.body, s.soft404_body)) return;
            s.leaks.push_back(c->path);
            s.leak_excerpts.push_back(c->path + " (" + c->what + "): " + status_text(resp) +
                                      ", \"" + first_line(resp.body) + "\"");
        };
        submit(s, std::move(r));
    }
}

// --- Results ----------------------------------------------------------------------------------

void WebProbe::finalize_tls(TargetState& s) {
    if (s.trusted) fact(s, "tls.cert_trusted", *s.trusted, s.trusted_excerpt);
    if (!s.tls_scan) return;
    std::vector<std::string> notes;
    for (auto& f : probe::tls_scan_facts(*s.tls_scan, notes)) {
        FactValue v = std::visit([](auto&& x) -> FactValue { return x; }, std::move(f.value));
        fact(s, f.name.c_str(), std::move(v), f.excerpt);
    }
    for (auto& n : notes) note(s, s.in->target.url + ": " + n);
}

// The raw-socket TLS scans run after the libcurl phase, only for https targets whose start
// page answered, a few targets at a time (each target's connections one after the other).
void WebProbe::run_tls_scans(std::vector<TargetState>& states) {
    std::vector<TargetState*> todo;
    for (auto& s : states) {
        if (s.fatal || !s.start_done || !s.https) continue;
        const ProbeTarget& t = s.in->target;
        if (!(t.proxy.empty() ? options_.proxy : t.proxy).empty()) {
            note(s, t.url +
                        ": TLS versions, cipher suites, groups and certificate chains not "
                        "tested (a proxy is configured; the raw TLS scan connects directly)");
            continue;
        }
        todo.push_back(&s);
    }
    constexpr std::size_t kParallel = 4;
    for (std::size_t at = 0; at < todo.size(); at += kParallel) {
        std::vector<std::thread> threads;
        for (std::size_t i = at; i < std::min(todo.size(), at + kParallel); ++i) {
            TargetState* s = todo[i];
            probe::TlsScanOptions o;
            o.host = s->url->host;
            o.port = s->url->port;
            o.sni = probe::is_ip_literal(s->url->host) ? std::string() : s->url->host;
            o.connect_timeout_ms = options_.connect_timeout_ms;
            o.io_timeout_ms = options_.total_timeout_ms;
            o.legacy = options_.legacy_tls;
            o.ciphers = options_.test_ciphers;
            // --max-rate holds for all targets together: split among the parallel scans.
            o.max_rate =
                options_.max_rate / static_cast<double>(std::min(kParallel, todo.size() - at));
            threads.emplace_back([s, o] {
                try {
                    s->tls_scan = probe::scan_tls(o);
                } catch (const std::exception&) {
                    s->tls_scan.reset();  // reported below as not tested
                }
            });
        }
        for (auto& t : threads) t.join();
    }
    for (auto* s : todo)
        if (!s->tls_scan) note(*s, s->in->target.url + ": raw TLS scan failed: not tested");
}

void WebProbe::finalize(TargetState& s) {
    if (s.fatal) return;
    if (!s.start_done) {
        fail(s, s.in->target.url + ": probe aborted before the start page answered");
        return;
    }
    if (s.https) finalize_tls(s);
    if (s.redirects_to_https)
        fact(s, "http.redirects_to_https", *s.redirects_to_https, s.redirect_excerpt);
    if (s.trace) fact(s, "http.trace_enabled", *s.trace, s.trace_excerpt);
    if (!s.trace_unclear.empty())
        note(s, s.in->target.url + ": " + s.trace_unclear, {"http.trace_enabled"});
    // "Not found" only means something when a path that cannot exist is not found either: a
    // site that answers every path with the same page or a redirect hides what is there.
    const bool baseline_discriminates = s.baseline_status >= 400;
    const std::string undecidable =
        s.baseline_status == 0
            ? "the request for a random path failed (" + s.baseline_excerpt +
                  "): real and missing pages cannot be told apart"
            : "the site answers a path that cannot exist with success or a redirect (" +
                  s.baseline_excerpt + "): real and missing pages cannot be told apart";
    std::vector<std::string> dirs(std::begin(kListingDirs), std::end(kListingDirs));
    if (s.listing) {
        fact(s, "http.directory_listing", true, s.listing_excerpt);
    } else if (s.dirs_answered == 0) {
        note(s,
             s.in->target.url + ": no directory request was answered: directory listing not tested",
             {"http.directory_listing"});
    } else if (!baseline_discriminates) {
        note(s, s.in->target.url + ": directory listing not judged: " + undecidable,
             {"http.directory_listing"});
    } else {
        fact(s, "http.directory_listing", false,
             "no directory listing on the start page, " + join(dirs, ", ") + "; " +
                 s.baseline_excerpt);
    }
    if (s.leaks_checked) {
        std::sort(s.leak_excerpts.begin(), s.leak_excerpts.end());
        if (!s.leaks.empty())
            fact(s, "leaks.exposed_paths", s.leaks, join(s.leak_excerpts, "; "));
        else if (!baseline_discriminates)
            note(s, s.in->target.url + ": sensitive paths not judged: " + undecidable,
                 {"leaks.exposed_paths"});
        else
            fact(s, "leaks.exposed_paths", s.leaks,
                 std::to_string(leak_checks().size()) +
                     " sensitive paths checked, none served with its signature; " +
                     s.baseline_excerpt);
    }
    if (!s.failed_requests.empty())
        note(s, std::to_string(s.failed_requests.size()) +
                    " follow-up request(s) failed: " + join(s.failed_requests, "; "));
    std::stable_sort(s.result.facts.begin(), s.result.facts.end(),
                     [](const Fact& a, const Fact& b) { return a.name < b.name; });
}

std::vector<ProbeResult> WebProbe::run(const std::vector<ProbeRequestTarget>& targets) {
    std::vector<TargetState> states;
    states.reserve(targets.size());  // callbacks hold references: no reallocation
    for (const auto& t : targets) {
        if (t.target.url.empty()) continue;
        TargetState& s = states.emplace_back();
        s.in = &t;
        s.result.asset_id = t.asset_id;
        s.result.source = t.target.url;
        s.url = probe::parse_url(t.target.url);
        if (!s.url) {
            fail(s, t.target.url + ": not an absolute http:// or https:// URL");
            continue;
        }
        s.https = s.url->scheme == "https";
        request_start_page(s, t.target.url, 0);
    }
    std::string error;
    if (!runner_.run(error)) {
        for (auto& s : states)
            if (!s.fatal && !s.start_done) fail(s, s.in->target.url + ": " + error);
    }
    run_tls_scans(states);
    std::vector<ProbeResult> out;
    out.reserve(states.size());
    for (auto& s : states) {
        finalize(s);
        out.push_back(std::move(s.result));
    }
    return out;
}

}  // namespace

std::vector<ProbeResult> probe_web_targets(const std::vector<ProbeRequestTarget>& targets,
                                           const ProbeOptions& options, const Date& today) {
    try {
        WebProbe probe(options, today);
        return probe.run(targets);
    } catch (const std::exception& e) {  // out of memory and the like: every target fails
        std::vector<ProbeResult> out;
        for (const auto& t : targets) {
            if (t.target.url.empty()) continue;
            ProbeResult r;
            r.asset_id = t.asset_id;
            r.source = t.target.url;
            r.issues.push_back(SourceIssue{t.target.url, kCollector,
                                           t.target.url + ": probe failed: " + e.what(), 0, true});
            out.push_back(std::move(r));
        }
        return out;
    }
}

}  // namespace grundscan
