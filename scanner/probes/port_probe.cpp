// TCP connect checks of listed host addresses: all ports of all targets at once (at most
// max_connections sockets in flight), non-blocking connect() and poll(), each attempt bounded
// by connect_timeout_ms. A port is open when the handshake completes; nothing is sent.
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>
#include <map>

#include "scanner/probes/web_probe.hpp"

namespace grundscan {

namespace {

constexpr const char* kCollector = "port-probe";

using Clock = std::chrono::steady_clock;

// Service names for open ports that are not in the risky list.
std::string service_name(int port) {
    for (const auto& r : risky_ports())
        if (r.port == port) return std::string(r.service);
    static const std::map<int, const char*> common{
        {22, "ssh"},    {25, "smtp"},   {53, "dns"},    {80, "http"},        {110, "pop3"},
        {143, "imap"},  {443, "https"}, {465, "smtps"}, {587, "submission"}, {993, "imaps"},
        {995, "pop3s"}, {636, "ldaps"}, {389, "ldap"},  {8080, "http-alt"},  {8443, "https-alt"},
    };
    auto it = common.find(port);
    return it == common.end() ? "tcp" : it->second;
}

bool is_risky(int port) {
    const auto& r = risky_ports();
    return std::any_of(r.begin(), r.end(), [&](const RiskyPort& p) { return p.port == port; });
}

struct Attempt {
    std::size_t target = 0;
    int port = 0;
    int fd = -1;
    Clock::time_point deadline;
};

struct HostState {
    const ProbeRequestTarget* in = nullptr;
    sockaddr_storage addr{};
    socklen_t addr_len = 0;
    std::vector<int> open;
    int closed = 0, filtered = 0;
};

// Resolves `address` (name or literal) to its first TCP address.
bool resolve(const std::string& address, HostState& h, std::string& error) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_family = AF_UNSPEC;
    addrinfo* res = nullptr;
    const int rc = getaddrinfo(address.c_str(), nullptr, &hints, &res);
    if (rc != 0 || res == nullptr) {
        error = gai_strerror(rc);
        return false;
    }
    std::memcpy(&h.addr, res->ai_addr, res->ai_addrlen);
    h.addr_len = res->ai_addrlen;
    freeaddrinfo(res);
    return true;
}

void set_port(sockaddr_storage& a, int port) {
    if (a.ss_family == AF_INET) {
        reinterpret_cast<sockaddr_in*>(&a)->sin_port = htons(static_cast<uint16_t>(port));
    } else if (a.ss_family == AF_INET6) {
        reinterpret_cast<sockaddr_in6*>(&a)->sin6_port = htons(static_cast<uint16_t>(port));
    }
}

// Starts a non-blocking connect; returns the fd (>= 0), or -1 with the attempt settled
// (`settled_open` tells how).
int begin_connect(const HostState& h, int port, bool& settled_open) {
    settled_open = false;
    sockaddr_storage a = h.addr;
    set_port(a, port);
    int fd = socket(a.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    if (connect(fd, reinterpret_cast<sockaddr*>(&a), h.addr_len) == 0) {
        settled_open = true;
        close(fd);
        return -1;
    }
    if (errno == EINPROGRESS) return fd;
    close(fd);
    return -1;
}

}  // namespace

std::vector<ProbeResult> probe_port_targets(const std::vector<ProbeRequestTarget>& targets,
                                            const ProbeOptions& options) {
    std::vector<ProbeResult> results;
    std::vector<HostState> hosts;
    std::deque<Attempt> pending;
    try {
        for (const auto& t : targets) {
            if (t.target.address.empty()) continue;
            ProbeResult& r = results.emplace_back();
            HostState& h = hosts.emplace_back();
            h.in = &t;
            r.asset_id = t.asset_id;
            r.source = t.target.address;
            std::string error;
            if (!resolve(t.target.address, h, error)) {
                r.issues.push_back(SourceIssue{r.source, kCollector,
                                               t.target.address + ": cannot resolve: " + error, 0,
                                               true});
                h.addr_len = 0;
                continue;
            }
            std::vector<int> ports = t.target.ports;
            if (ports.empty()) ports = options.default_ports;
            if (ports.empty())
                for (const auto& rp : risky_ports()) ports.push_back(rp.port);
            std::sort(ports.begin(), ports.end());
            ports.erase(std::unique(ports.begin(), ports.end()), ports.end());
            for (int p : ports) {
                if (p > 0 && p < 65536) pending.push_back(Attempt{results.size() - 1, p, -1, {}});
            }
        }

        const std::size_t max_fly = std::max<std::size_t>(1, options.max_connections);
        const auto timeout =
            std::chrono::milliseconds(std::max<long>(1, options.connect_timeout_ms));
        std::vector<Attempt> flying;
        while (!pending.empty() || !flying.empty()) {
            while (!pending.empty() && flying.size() < max_fly) {
                Attempt a = pending.front();
                pending.pop_front();
                ++results[a.target].requests;
                bool now_open = false;
                a.fd = begin_connect(hosts[a.target], a.port, now_open);
                if (a.fd < 0) {
                    if (now_open) {
                        hosts[a.target].open.push_back(a.port);
                    } else {
                        ++hosts[a.target].closed;
                    }
                    continue;
                }
                a.deadline = Clock::now() + timeout;
                flying.push_back(a);
            }
            if (flying.empty()) continue;
            std::vector<pollfd> fds;
            auto next_deadline = flying.front().deadline;
            for (const auto& a : flying) {
                fds.push_back(pollfd{a.fd, POLLOUT, 0});
                next_deadline = std::min(next_deadline, a.deadline);
            }
            const auto wait =
                std::chrono::duration_cast<std::chrono::milliseconds>(next_deadline - Clock::now());
            const int rc =
                poll(fds.data(), fds.size(), static_cast<int>(std::max<long>(0, wait.count())));
            if (rc < 0 && errno != EINTR) break;
            const auto now = Clock::now();
            std::vector<Attempt> still;
            for (std::size_t i = 0; i < flying.size(); ++i) {
                Attempt& a = flying[i];
                HostState& h = hosts[a.target];
                if (rc > 0 && fds[i].revents != 0) {
                    int err = 0;
                    socklen_t len = sizeof err;
                    getsockopt(a.fd, SOL_SOCKET, SO_ERROR, &err, &len);
                    if (err == 0) {
                        h.open.push_back(a.port);
                    } else {
                        ++h.closed;
                    }
                    close(a.fd);
                } else if (now >= a.deadline) {
                    ++h.filtered;
                    close(a.fd);
                } else {
                    still.push_back(a);
                }
            }
            flying.swap(still);
        }
        for (auto& a : flying) close(a.fd);
    } catch (const std::exception& e) {
        for (auto& r : results)
            r.issues.push_back(SourceIssue{r.source, kCollector,
                                           r.source + ": port probe failed: " + e.what(), 0, true});
        return results;
    }

    for (std::size_t i = 0; i < results.size(); ++i) {
        ProbeResult& r = results[i];
        HostState& h = hosts[i];
        if (h.addr_len == 0) continue;
        std::sort(h.open.begin(), h.open.end());
        StringList open, risky;
        for (int p : h.open) {
            const std::string label = std::to_string(p) + "/" + service_name(p);
            open.push_back(label);
            if (is_risky(p)) risky.push_back(label);
        }
        auto joined = [](const StringList& l) {
            std::string s;
            for (const auto& x : l) s += (s.empty() ? "" : ", ") + x;
            return s.empty() ? std::string("none") : s;
        };
        const std::string summary = std::to_string(r.requests) + " TCP port(s) probed on " +
                                    r.source + ": open " + joined(open) + "; closed " +
                                    std::to_string(h.closed) + ", no answer " +
                                    std::to_string(h.filtered);
        r.facts.push_back(Fact{"ports.open", open, Provenance{r.source, 0, kCollector, summary}});
        r.facts.push_back(
            Fact{"ports.risky_open", risky,
                 Provenance{r.source, 0, kCollector, "risky open: " + joined(risky)}});
    }
    return results;
}

}  // namespace grundscan
