#include "scanner/probes/request_runner.hpp"

#include <openssl/ssl.h>

#include <algorithm>
#include <mutex>

#include "scanner/core/text.hpp"

namespace grundscan::probe {

namespace {

using Clock = std::chrono::steady_clock;

// libcurl's global state is set up once per process and never torn down (other threads may
// still use it; the OS reclaims it at exit).
void init_curl_once() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// --- TLS snapshot via the SSL_CTX -----------------------------------------------------------

// The SSL_CTX (one per connection in libcurl 7.x) carries a heap-allocated weak pointer to
// the transfer's snapshot; OpenSSL frees it with the SSL_CTX, so a connection outliving its
// transfer never writes into freed memory.
void free_weak_snapshot(void* /*parent*/, void* ptr, CRYPTO_EX_DATA* /*ad*/, int /*idx*/,
                        long /*argl*/, void* /*argp*/) {
    delete static_cast<std::weak_ptr<TlsSnapshot>*>(ptr);
}

int snapshot_index() {
    static const int idx =
        SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, free_weak_snapshot);
    return idx;
}

std::string negotiated_group(const SSL* ssl) {
    auto* s = const_cast<SSL*>(ssl);  // the getters are SSL_ctrl macros without const
    const int nid = SSL_get_negotiated_group(s);
    if (nid != NID_undef && nid != 0) {
        if (const char* name = SSL_group_to_name(s, nid)) return name;
        if (const char* sn = OBJ_nid2sn(nid)) return text::to_lower(sn);
    }
    EVP_PKEY* key = nullptr;  // TLS <= 1.2 with classic DHE: no group id, only the key
    if (SSL_get_peer_tmp_key(s, &key) == 1 && key != nullptr) {
        std::string out;
        if (EVP_PKEY_get_base_id(key) == EVP_PKEY_DH) {
            out = "dh" + std::to_string(EVP_PKEY_get_bits(key));
        } else {
            char name[64] = {};
            std::size_t len = 0;
            if (EVP_PKEY_get_group_name(key, name, sizeof name, &len) == 1) out = name;
        }
        EVP_PKEY_free(key);
        return out;
    }
    return {};
}

void on_tls_info(const SSL* ssl, int where, int /*ret*/) {
    if ((where & SSL_CB_HANDSHAKE_DONE) == 0) return;
    auto* weak = static_cast<std::weak_ptr<TlsSnapshot>*>(
        SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), snapshot_index()));
    if (weak == nullptr) return;
    auto snap = weak->lock();
    if (!snap || snap->handshake_done) return;
    snap->handshake_done = true;
    snap->protocol = SSL_get_version(ssl);
    if (const SSL_CIPHER* c = SSL_get_current_cipher(ssl)) snap->cipher = SSL_CIPHER_get_name(c);
    snap->group = negotiated_group(ssl);
    snap->cert.reset(SSL_get1_peer_certificate(ssl));
}

// --- URL helpers ----------------------------------------------------------------------------

std::string url_part(CURLU* u, CURLUPart part, unsigned flags = 0) {
    char* p = nullptr;
    if (curl_url_get(u, part, &p, flags) != CURLUE_OK || p == nullptr) return {};
    std::string s(p);
    curl_free(p);
    return s;
}

std::string describe_error(CURLcode code, const char* errbuf) {
    std::string s = curl_easy_strerror(code);
    if (errbuf != nullptr && errbuf[0] != '\0') {
        std::string detail(errbuf);
        while (!detail.empty() && (detail.back() == '\n' || detail.back() == '\r'))
            detail.pop_back();
        if (detail != s) s += " (" + detail + ")";
    }
    return s;
}

}  // namespace

std::string default_user_agent() {
    return std::string("grundscan/") + GRUNDSCAN_VERSION + " (BSI IT-Grundschutz check)";
}

std::string UrlParts::origin() const {
    const bool default_port =
        (scheme == "https" && port == 443) || (scheme == "http" && port == 80);
    std::string s = scheme + "://" + (ipv6 ? "[" + host + "]" : host);
    if (!default_port) s += ":" + std::to_string(port);
    return s;
}

std::optional<UrlParts> parse_url(const std::string& url) {
    init_curl_once();
    CURLU* u = curl_url();
    if (u == nullptr) return std::nullopt;
    std::optional<UrlParts> out;
    if (curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK) {
        UrlParts p;
        p.scheme = text::to_lower(url_part(u, CURLUPART_SCHEME));
        p.host = text::to_lower(url_part(u, CURLUPART_HOST));
        if (p.host.size() > 2 && p.host.front() == '[' && p.host.back() == ']') {
            p.host = p.host.substr(1, p.host.size() - 2);
            p.ipv6 = true;
        }
        long long port = 0;
        text::parse_int(url_part(u, CURLUPART_PORT, CURLU_DEFAULT_PORT), port);
        p.port = static_cast<int>(port);
        p.path = url_part(u, CURLUPART_PATH);
        if (p.path.empty()) p.path = "/";
        if (auto q = url_part(u, CURLUPART_QUERY); !q.empty()) p.path += "?" + q;
        if ((p.scheme == "http" || p.scheme == "https") && !p.host.empty() && p.port > 0)
            out = std::move(p);
    }
    curl_url_cleanup(u);
    return out;
}

// --- Response -------------------------------------------------------------------------------

std::optional<std::string> Response::header(std::string_view lower_name) const {
    for (const auto& [n, v] : headers)
        if (n == lower_name) return v;
    return std::nullopt;
}

std::vector<std::string> Response::header_all(std::string_view lower_name) const {
    std::vector<std::string> out;
    for (const auto& [n, v] : headers)
        if (n == lower_name) out.push_back(v);
    return out;
}

std::string Response::header_line(std::string_view lower_name) const {
    for (std::size_t i = 0; i < headers.size() && i < header_lines.size(); ++i)
        if (headers[i].first == lower_name) return header_lines[i];
    return {};
}

// --- Transfers ------------------------------------------------------------------------------

namespace {

// Where the body of a transfer goes, and how much of it is kept.
struct BodySink {
    Response* resp = nullptr;
    std::size_t max = 0;
};

}  // namespace

struct RequestRunner::Transfer {
    Request req;
    Response resp;
    BodySink sink;
    std::string host_key;
    CURL* easy = nullptr;
    curl_slist* header_list = nullptr;
    char errbuf[CURL_ERROR_SIZE] = {};

    Transfer() = default;
    Transfer(const Transfer&) = delete;
    Transfer& operator=(const Transfer&) = delete;
    ~Transfer() {
        if (easy != nullptr) curl_easy_cleanup(easy);
        curl_slist_free_all(header_list);
    }
};

namespace {

constexpr std::size_t kMaxHeaderLines = 400;

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
    auto& resp = *static_cast<Response*>(user);
    const std::size_t len = size * n;
    std::string_view line(data, len);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    if (line.starts_with("HTTP/")) {  // a new response (1xx, or the next one): start over
        resp.headers.clear();
        resp.header_lines.clear();
        resp.status_line = text::sanitize_utf8(line);
        return len;
    }
    const auto colon = line.find(':');
    if (line.empty() || colon == std::string_view::npos || resp.headers.size() >= kMaxHeaderLines)
        return len;
    resp.headers.emplace_back(text::to_lower(text::trim(line.substr(0, colon))),
                              std::string(text::trim(line.substr(colon + 1))));
    resp.header_lines.push_back(text::sanitize_utf8(line));
    return len;
}

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
    auto& sink = *static_cast<BodySink*>(user);
    const std::size_t len = size * n;
    std::string& body = sink.resp->body;
    const std::size_t room = sink.max > body.size() ? sink.max - body.size() : 0;
    if (len > room) {
        body.append(data, room);
        sink.resp->truncated = true;
        return 0;  // aborts the transfer with CURLE_WRITE_ERROR (turned into success later)
    }
    body.append(data, len);
    return len;
}

CURLcode on_ssl_ctx(CURL* /*easy*/, void* ssl_ctx, void* user) {
    auto* ctx = static_cast<SSL_CTX*>(ssl_ctx);
    auto* snapshot = static_cast<std::shared_ptr<TlsSnapshot>*>(user);
    delete static_cast<std::weak_ptr<TlsSnapshot>*>(SSL_CTX_get_ex_data(ctx, snapshot_index()));
    SSL_CTX_set_ex_data(ctx, snapshot_index(), new std::weak_ptr<TlsSnapshot>(*snapshot));
    SSL_CTX_set_info_callback(ctx, on_tls_info);
    return CURLE_OK;
}

}  // namespace

RequestRunner::RequestRunner(const ProbeOptions& options) : options_(options) {
    init_curl_once();
    snapshot_index();
    if (options_.max_connections == 0) options_.max_connections = 1;
    if (options_.max_per_host == 0) options_.max_per_host = 1;
    // libcurl reads 0 as "no timeout": a probe must never hang, so fall back to the defaults.
    if (options_.connect_timeout_ms <= 0)
        options_.connect_timeout_ms = ProbeOptions{}.connect_timeout_ms;
    if (options_.total_timeout_ms <= 0) options_.total_timeout_ms = ProbeOptions{}.total_timeout_ms;
    user_agent_ = options_.user_agent.empty() ? default_user_agent() : options_.user_agent;
    multi_ = curl_multi_init();
    if (multi_ != nullptr) {
        curl_multi_setopt(multi_, CURLMOPT_MAX_TOTAL_CONNECTIONS,
                          static_cast<long>(options_.max_connections));
        curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS,
                          static_cast<long>(options_.max_per_host));
    }
}

RequestRunner::~RequestRunner() {
    for (auto& [easy, t] : active_) curl_multi_remove_handle(multi_, easy);
    active_.clear();
    if (multi_ != nullptr) curl_multi_cleanup(multi_);
}

void RequestRunner::submit(Request request) {
    auto t = std::make_unique<Transfer>();
    t->req = std::move(request);
    if (auto u = parse_url(t->req.url)) t->host_key = u->host + ":" + std::to_string(u->port);
    queued_[t->host_key].push_back(std::move(t));
    ++queued_count_;
}

bool RequestRunner::start(std::unique_ptr<Transfer> t) {
    CURL* e = curl_easy_init();
    if (e == nullptr || multi_ == nullptr) {
        if (e != nullptr) curl_easy_cleanup(e);
        t->resp.code = CURLE_FAILED_INIT;
        t->resp.error = "libcurl could not start a transfer";
        if (t->req.on_done) t->req.on_done(t->resp);
        return false;
    }
    t->easy = e;
    const Request& r = t->req;
    curl_easy_setopt(e, CURLOPT_URL, r.url.c_str());
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf);
    curl_easy_setopt(e, CURLOPT_USERAGENT, user_agent_.c_str());
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_PATH_AS_IS, 1L);
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, options_.connect_timeout_ms);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, options_.total_timeout_ms);
    // Every probe is its own connection and full handshake: nothing is reused or resumed.
    curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
    curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_SESSIONID_CACHE, 0L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, r.verify_peer ? 1L : 0L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);  // host name is judged by the probe
    curl_easy_setopt(e, CURLOPT_SSLVERSION, r.ssl_version);
    if (!r.cipher_list.empty()) curl_easy_setopt(e, CURLOPT_SSL_CIPHER_LIST, r.cipher_list.c_str());
    if (!r.tls13_ciphers.empty())
        curl_easy_setopt(e, CURLOPT_TLS13_CIPHERS, r.tls13_ciphers.c_str());
    if (r.verify_peer && !r.cacert.empty()) curl_easy_setopt(e, CURLOPT_CAINFO, r.cacert.c_str());
    if (!r.proxy.empty()) curl_easy_setopt(e, CURLOPT_PROXY, r.proxy.c_str());
    if (!r.client_cert.empty()) curl_easy_setopt(e, CURLOPT_SSLCERT, r.client_cert.c_str());
    if (!r.client_key.empty()) curl_easy_setopt(e, CURLOPT_SSLKEY, r.client_key.c_str());
    curl_easy_setopt(e, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_CTX_FUNCTION, on_ssl_ctx);
    curl_easy_setopt(e, CURLOPT_SSL_CTX_DATA, &t->resp.tls);
    if (r.connect_only) curl_easy_setopt(e, CURLOPT_CONNECT_ONLY, 1L);
    if (r.method != "GET") curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r.method.c_str());
    for (const auto& h : r.headers) t->header_list = curl_slist_append(t->header_list, h.c_str());
    if (t->header_list != nullptr) curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->header_list);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, &t->resp);
    t->sink = BodySink{&t->resp, r.max_body};
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &t->sink);
    if (curl_multi_add_handle(multi_, e) != CURLM_OK) {
        t->resp.code = CURLE_FAILED_INIT;
        t->resp.error = "libcurl could not add a transfer";
        if (t->req.on_done) t->req.on_done(t->resp);
        return false;
    }
    ++in_flight_by_host_[t->host_key];
    active_.emplace(e, std::move(t));
    return true;
}

void RequestRunner::start_ready() {
    const auto interval = options_.max_rate > 0
                              ? std::chrono::duration_cast<Clock::duration>(
                                    std::chrono::duration<double>(1.0 / options_.max_rate))
                              : Clock::duration::zero();
    while (queued_count_ > 0 && active_.size() < options_.max_connections) {
        const auto now = Clock::now();
        if (interval.count() > 0 && now < next_start_) return;
        // Round robin over the hosts with a free slot, starting after the last one served.
        auto it = queued_.upper_bound(next_host_);
        std::map<std::string, std::deque<std::unique_ptr<Transfer>>>::iterator pick = queued_.end();
        for (std::size_t i = 0; i < queued_.size(); ++i, ++it) {
            if (it == queued_.end()) it = queued_.begin();
            if (in_flight_by_host_[it->first] < options_.max_per_host) {
                pick = it;
                break;
            }
        }
        if (pick == queued_.end()) return;
        std::unique_ptr<Transfer> t = std::move(pick->second.front());
        pick->second.pop_front();
        next_host_ = pick->first;
        if (pick->second.empty()) queued_.erase(pick);
        --queued_count_;
        if (interval.count() > 0) next_start_ = std::max(next_start_, now) + interval;
        start(std::move(t));
    }
}

void RequestRunner::finish(CURL* easy, CURLcode code) {
    auto it = active_.find(easy);
    if (it == active_.end()) return;
    std::unique_ptr<Transfer> t = std::move(it->second);
    active_.erase(it);
    Response& resp = t->resp;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &resp.status);
    char* location = nullptr;
    if (curl_easy_getinfo(easy, CURLINFO_REDIRECT_URL, &location) == CURLE_OK && location)
        resp.redirect_url = location;
    curl_easy_getinfo(easy, CURLINFO_SSL_VERIFYRESULT, &resp.verify_result);
    // A body cut at max_body is a success: the headers and the kept part are valid.
    resp.code = (code == CURLE_WRITE_ERROR && resp.truncated) ? CURLE_OK : code;
    if (resp.code != CURLE_OK) resp.error = describe_error(code, t->errbuf);
    curl_multi_remove_handle(multi_, easy);
    if (auto h = in_flight_by_host_.find(t->host_key); h != in_flight_by_host_.end()) {
        if (--h->second == 0) in_flight_by_host_.erase(h);
    }
    if (t->req.on_done) t->req.on_done(resp);
}

long RequestRunner::poll_timeout_ms() const {
    if (queued_count_ > 0 && options_.max_rate > 0) {
        const auto wait =
            std::chrono::duration_cast<std::chrono::milliseconds>(next_start_ - Clock::now());
        return std::clamp<long>(static_cast<long>(wait.count()), 1, 100);
    }
    return 100;
}

bool RequestRunner::run(std::string& error) {
    if (multi_ == nullptr) {
        error = "libcurl could not create a multi handle";
        return false;
    }
    while (queued_count_ > 0 || !active_.empty()) {
        start_ready();
        int running = 0;
        CURLMcode mc = curl_multi_perform(multi_, &running);
        if (mc != CURLM_OK) {
            error = curl_multi_strerror(mc);
            return false;
        }
        bool finished_any = false;
        int left = 0;
        while (CURLMsg* m = curl_multi_info_read(multi_, &left)) {
            if (m->msg != CURLMSG_DONE) continue;
            CURL* easy = m->easy_handle;
            const CURLcode code = m->data.result;
            finish(easy, code);
            finished_any = true;
        }
        if (finished_any) continue;
        if (queued_count_ == 0 && active_.empty()) break;
        int fds = 0;
        mc = curl_multi_poll(multi_, nullptr, 0, static_cast<int>(poll_timeout_ms()), &fds);
        if (mc != CURLM_OK) {
            error = curl_multi_strerror(mc);
            return false;
        }
    }
    return true;
}

}  // namespace grundscan::probe
