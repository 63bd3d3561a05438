// Loopback test servers for the live web probe: a real nginx (Debian nginx-light) with one
// server block per scenario, certificates made at test time with the openssl CLI, and a
// python3 process with misbehaving TCP peers. Everything listens on 127.0.0.1 only, on free
// high ports; everything is stopped by PID and its temp dir removed in the destructor (RAII),
// also when a test fails. No GoogleTest dependency: errors come back as strings.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace grundscan::testing {

enum class Peer {
    Hardened,       // nginx: TLS 1.2/1.3, TR-02102-2 suites, all security headers, strict cookie
    Weak,           // nginx: TLS 1.0/1.1, 3DES, CBC-SHA1, no headers, tokens, /.git/HEAD, /files/
    Soft404,        // nginx: 200 with the same page for every path
    Expired,        // nginx: certificate valid 2020-01-01 .. 2020-02-01 (CA-signed)
    WrongHost,      // nginx: self-signed certificate for wrong.example
    Redirect,       // nginx: endless 302 to /loop?<request id>
    BigBody,        // nginx: 50 MiB start page
    Silent,         // python: accepts, never answers
    Garbage,        // python: answers with bytes that are neither TLS nor HTTP
    Reset,          // python: accepts and resets (SO_LINGER 0)
    ResetLate,      // python: reads the ClientHello, then resets
    TraceEcho,      // python: plain HTTP, echoes TRACE with 200
    RedirectPaths,  // nginx: start page 200, every other path (and TRACE) 302 to /login
};

// A child process started by the harness; stopped (and reaped) by its destructor.
class ChildProcess {
  public:
    ChildProcess() = default;
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;
    ~ChildProcess() { stop(); }

    // fork + execv of argv[0] (an absolute path, or looked up in PATH) in its own process
    // group, with stdin/stdout/stderr redirected to the given fds (-1: /dev/null). The child
    // gets SIGKILL when the test process dies (PR_SET_PDEATHSIG), so nothing outlives a
    // killed test run. Returns an error text or "".
    std::string start(const std::vector<std::string>& argv, int stdin_fd = -1, int stdout_fd = -1,
                      int stderr_fd = -1);
    // Sends `first_signal`, waits up to `grace_ms`, then SIGTERM (1 s), then SIGKILL to the
    // process group. Idempotent.
    void stop(int first_signal, int grace_ms);
    void stop();
    bool running();  // false once the child has exited (it is then reaped)
    pid_t pid() const { return pid_; }
    int exit_status() const { return status_; }

  private:
    bool wait_exit(int timeout_ms);
    pid_t pid_ = -1;
    int status_ = -1;
};

// Runs argv to completion (killed after `timeout_ms`), stdout and stderr captured together.
// Returns the exit code (-1 when it could not run or was killed).
int run_command(const std::vector<std::string>& argv, std::string* output = nullptr,
                int timeout_ms = 30000, const std::filesystem::path& cwd = {});

// First executable named `name` in PATH (or `name` itself when it contains a slash and is
// executable); empty when none.
std::string find_executable(const std::string& name);

class LoopbackLab {
  public:
    LoopbackLab();
    LoopbackLab(const LoopbackLab&) = delete;
    LoopbackLab& operator=(const LoopbackLab&) = delete;
    ~LoopbackLab();

    // What is missing to run the live tests ("" = nothing): /usr/sbin/nginx, openssl, python3.
    static std::string missing_tools();

    // Makes the temp dir, certificates, document roots and the 50 MiB file, starts nginx and
    // the python peers and waits until every port accepts. Returns an error text (with the
    // tail of nginx's error log) or "".
    std::string start();
    // Stops nginx (SIGQUIT, then TERM, then KILL) and the peers, removes the temp dir.
    void stop();

    int port(Peer p) const;
    // "<scheme>://127.0.0.1:<port>/"; the default scheme is https except for TraceEcho (http).
    std::string url(Peer p, const std::string& scheme = "") const;
    const std::filesystem::path& dir() const { return dir_; }
    std::filesystem::path ca_cert() const { return dir_ / "pki" / "ca.crt"; }
    std::string nginx_version() const { return nginx_version_; }  // e.g. "1.22.1"
    // True when the local OpenSSL client completes a TLS 1.0 handshake with the weak server
    // (openssl s_client -tls1 -cipher DEFAULT@SECLEVEL=0); some builds refuse TLS 1.0.
    bool client_can_tls1() const { return client_tls1_; }
    std::string client_tls1_output() const { return client_tls1_output_; }
    // True when the local OpenSSL knows the 3DES suite DES-CBC3-SHA (Debian 12's OpenSSL 3.0
    // does not: then neither nginx can offer it nor a libcurl client test it).
    bool local_has_3des() const { return local_3des_; }
    // nginx's error log, for failure messages.
    std::string nginx_log() const;

    static constexpr long long kBigBodyBytes = 50LL * 1024 * 1024;

  private:
    std::string make_pki();
    std::string make_roots();
    std::string start_nginx();
    std::string start_peers();
    std::string openssl(const std::vector<std::string>& args);

    std::filesystem::path dir_;
    std::string openssl_bin_;
    std::string python_bin_;
    std::string nginx_version_;
    bool client_tls1_ = false;
    std::string client_tls1_output_;
    bool local_3des_ = false;
    std::map<Peer, int> ports_;
    ChildProcess nginx_;
    ChildProcess peers_;
    int peers_stdin_ = -1;  // closing it makes peers.py exit
};

}  // namespace grundscan::testing
