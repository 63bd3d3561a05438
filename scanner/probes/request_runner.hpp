// The transfer engine of the web probe: one libcurl multi handle drives every request of every
// target concurrently, within the global and per-host connection limits and the request rate.
// Private to scanner/probes.
#pragma once

#include <curl/curl.h>
#include <openssl/x509.h>

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "scanner/probes/web_probe.hpp"

namespace grundscan::probe {

struct X509Free {
    void operator()(X509* x) const { X509_free(x); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;

// What one TLS handshake negotiated. Captured by an OpenSSL info callback the moment the
// handshake completes (the SSL object itself only lives as long as the connection).
struct TlsSnapshot {
    bool handshake_done = false;
    std::string protocol;  // SSL_get_version: "TLSv1.3"
    std::string cipher;    // OpenSSL name of the negotiated suite
    std::string group;     // key exchange group ("x25519", "secp256r1", "dh2048"); may be empty
    X509Ptr cert;          // the peer's leaf certificate
};

// The parts of an http(s) URL the probe needs. Host without IPv6 brackets.
struct UrlParts {
    std::string scheme;  // "http" or "https"
    std::string host;    // lower case
    int port = 0;        // explicit or the scheme's default
    std::string path;    // with query, at least "/"
    bool ipv6 = false;
    std::string origin() const;  // scheme://host[:port] (port only when not the default)
};
// Parses an absolute http(s) URL; nullopt for anything else.
std::optional<UrlParts> parse_url(const std::string& url);

struct Response;

struct Request {
    std::string url;
    std::string method = "GET";  // GET or TRACE
    bool connect_only = false;   // stop after the (TLS) handshake
    bool verify_peer = false;    // verify the chain (host name is checked separately)
    long ssl_version = CURL_SSLVERSION_DEFAULT;
    std::string cipher_list;    // CURLOPT_SSL_CIPHER_LIST ("" = libcurl's default)
    std::string tls13_ciphers;  // CURLOPT_TLS13_CIPHERS
    std::vector<std::string> headers;
    std::size_t max_body = 64 * 1024;  // larger bodies are cut (Response::truncated)
    std::string proxy, cacert, client_cert, client_key;
    std::function<void(Response&)> on_done;  // called exactly once, on the runner's thread
};

struct Response {
    CURLcode code = CURLE_OK;  // CURLE_OK also when the body was cut at max_body
    std::string error;         // "<curl_easy_strerror> (<error buffer>)"; empty when ok
    long status = 0;
    std::string status_line;  // "HTTP/1.1 200 OK" of the last response
    std::vector<std::pair<std::string, std::string>> headers;  // last response; names lower case
    std::vector<std::string> header_lines;                     // last response, as sent
    std::string body;
    bool truncated = false;
    std::string redirect_url;  // absolute target of a Location header (never followed here)
    long verify_result = 0;    // CURLINFO_SSL_VERIFYRESULT
    std::shared_ptr<TlsSnapshot> tls = std::make_shared<TlsSnapshot>();

    bool ok() const { return code == CURLE_OK; }
    // First value of header `lower_name`; nullopt when absent.
    std::optional<std::string> header(std::string_view lower_name) const;
    std::vector<std::string> header_all(std::string_view lower_name) const;
    // The header line as sent (for excerpts), "" when absent.
    std::string header_line(std::string_view lower_name) const;
};

// Runs requests through one curl multi handle. Not thread-safe; completion callbacks run
// inside run() and may submit further requests.
class RequestRunner {
  public:
    explicit RequestRunner(const ProbeOptions& options);
    ~RequestRunner();
    RequestRunner(const RequestRunner&) = delete;
    RequestRunner& operator=(const RequestRunner&) = delete;

    // Queues `request`; it starts once a connection slot (global and for its host:port) is
    // free and the rate limit allows.
    void submit(Request request);
    // Runs until no request is queued or in flight. Returns false (with `error`) only when
    // libcurl itself fails (out of memory, broken multi handle).
    bool run(std::string& error);

  private:
    struct Transfer;
    void start_ready();
    bool start(std::unique_ptr<Transfer> t);
    void finish(CURL* easy, CURLcode code);
    long poll_timeout_ms() const;

    ProbeOptions options_;
    CURLM* multi_ = nullptr;
    std::string user_agent_;
    std::map<std::string, std::deque<std::unique_ptr<Transfer>>> queued_;  // by host:port
    std::map<std::string, unsigned> in_flight_by_host_;
    std::unordered_map<CURL*, std::unique_ptr<Transfer>> active_;
    std::string next_host_;  // round-robin position among the queued hosts
    std::chrono::steady_clock::time_point next_start_{};
    std::size_t queued_count_ = 0;
};

// The default User-Agent: "grundscan/<version> (BSI IT-Grundschutz check)".
std::string default_user_agent();

}  // namespace grundscan::probe
