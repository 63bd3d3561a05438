#include "tests/scanner/probes/loopback_servers.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

namespace grundscan::testing {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kNginx = "/usr/sbin/nginx";

fs::path fixtures_dir() {
#ifdef GRUNDSCAN_FIXTURES_DIR
    return fs::path(GRUNDSCAN_FIXTURES_DIR) / "probes";
#else
    return fs::path("tests/fixtures/probes");
#endif
}

std::string read_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

bool write_text(const fs::path& p, const std::string& text) {
    std::error_code ec;
    fs::create_directories(p.parent_path(), ec);
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << text;
    return static_cast<bool>(out);
}

// Replaces each @KEY@ of `vars` in `text` (other @...@ such as "@SECLEVEL=0" stay).
std::string fill(std::string text, const std::map<std::string, std::string>& vars) {
    for (const auto& [key, value] : vars) {
        const std::string token = "@" + key + "@";
        for (auto pos = text.find(token); pos != std::string::npos;
             pos = text.find(token, pos + value.size()))
            text.replace(pos, token.size(), value);
    }
    return text;
}

// In the forked child: redirect the standard fds, close everything else, exec. Only
// async-signal-safe calls (the test process may have threads).
[[noreturn]] void exec_child(const std::vector<char*>& argv, int in_fd, int out_fd, int err_fd,
                             const char* cwd, pid_t parent) {
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(126);  // the parent died before prctl
    int devnull = open("/dev/null", O_RDWR);
    dup2(in_fd >= 0 ? in_fd : devnull, 0);
    dup2(out_fd >= 0 ? out_fd : devnull, 1);
    dup2(err_fd >= 0 ? err_fd : devnull, 2);
    long max_fd = sysconf(_SC_OPEN_MAX);
    if (max_fd < 0 || max_fd > 65536) max_fd = 65536;
    for (int fd = 3; fd < max_fd; ++fd) close(fd);
    if (cwd != nullptr && chdir(cwd) != 0) _exit(126);
    // Restore default signal dispositions the runner may have changed.
    signal(SIGPIPE, SIG_DFL);
    execv(argv[0], argv.data());
    _exit(127);
}

std::vector<char*> c_argv(std::vector<std::string>& args) {
    std::vector<char*> v;
    for (auto& a : args) v.push_back(a.data());
    v.push_back(nullptr);
    return v;
}

bool port_accepts(int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    close(fd);
    return ok;
}

// A socket bound to 127.0.0.1:0 (not listening): reserves a free port until closed.
struct PortHold {
    int fd = -1;
    int port = 0;
    PortHold() {
        fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        if (fd >= 0 && bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
            getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
            port = ntohs(addr.sin_port);
    }
    ~PortHold() { release(); }
    void release() {
        if (fd >= 0) close(fd);
        fd = -1;
    }
};

std::string tail(const std::string& s, std::size_t n = 2000) {
    return s.size() <= n ? s : "..." + s.substr(s.size() - n);
}

}  // namespace

// --- ChildProcess ----------------------------------------------------------------------------

std::string ChildProcess::start(const std::vector<std::string>& argv_in, int stdin_fd,
                                int stdout_fd, int stderr_fd) {
    if (argv_in.empty()) return "empty command";
    std::vector<std::string> args = argv_in;
    args[0] = find_executable(args[0]);
    if (args[0].empty()) return "not found: " + argv_in[0];
    auto argv = c_argv(args);
    const pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) return std::string("fork: ") + std::strerror(errno);
    if (pid == 0) exec_child(argv, stdin_fd, stdout_fd, stderr_fd, nullptr, parent);
    setpgid(pid, pid);  // also from the parent, so a kill(-pid) right away cannot miss
    pid_ = pid;
    status_ = -1;
    return {};
}

bool ChildProcess::wait_exit(int timeout_ms) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
        int st = 0;
        pid_t r = waitpid(pid_, &st, WNOHANG);
        if (r == pid_ || (r < 0 && errno == ECHILD)) {
            status_ = (r == pid_) ? st : -1;
            return true;
        }
        if (Clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

bool ChildProcess::running() {
    if (pid_ <= 0) return false;
    if (wait_exit(0)) {
        kill(-pid_, SIGKILL);  // stray members of its group, if any
        pid_ = -1;
        return false;
    }
    return true;
}

void ChildProcess::stop(int first_signal, int grace_ms) {
    if (pid_ <= 0) return;
    if (!wait_exit(0)) {
        kill(pid_, first_signal);
        if (!wait_exit(grace_ms)) {
            kill(pid_, SIGTERM);
            if (!wait_exit(1000)) {
                kill(-pid_, SIGKILL);
                kill(pid_, SIGKILL);
                wait_exit(5000);
            }
        }
    }
    kill(-pid_, SIGKILL);  // whatever is left of its process group (ESRCH when nothing)
    pid_ = -1;
}

void ChildProcess::stop() {
    stop(SIGTERM, 2000);
}

// --- helpers ---------------------------------------------------------------------------------

std::string find_executable(const std::string& name) {
    if (name.find('/') != std::string::npos) return access(name.c_str(), X_OK) == 0 ? name : "";
    std::string path = getenv("PATH") ? getenv("PATH") : "";
    path += ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    std::stringstream ss(path);
    for (std::string d; std::getline(ss, d, ':');) {
        if (d.empty()) continue;
        fs::path p = fs::path(d) / name;
        if (access(p.c_str(), X_OK) == 0 && !fs::is_directory(p)) return p.string();
    }
    return {};
}

int run_command(const std::vector<std::string>& argv_in, std::string* output, int timeout_ms,
                const fs::path& cwd) {
    if (argv_in.empty()) return -1;
    std::vector<std::string> args = argv_in;
    args[0] = find_executable(args[0]);
    if (args[0].empty()) {
        if (output) *output = "not found: " + argv_in[0];
        return -1;
    }
    auto argv = c_argv(args);
    const std::string cwd_s = cwd.string();
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return -1;
    const pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0)
        exec_child(argv, -1, fds[1], fds[1], cwd_s.empty() ? nullptr : cwd_s.c_str(), parent);
    close(fds[1]);
    std::string out;
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    bool killed = false;
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            killed = true;
            break;
        }
        pollfd p{fds[0], POLLIN, 0};
        int r = poll(&p, 1, static_cast<int>(left.count()));
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) continue;
        char buf[4096];
        ssize_t n = read(fds[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    close(fds[0]);
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    if (output) *output = out;
    if (killed || !WIFEXITED(st)) return -1;
    return WEXITSTATUS(st);
}

// --- LoopbackLab -----------------------------------------------------------------------------

LoopbackLab::LoopbackLab() = default;

LoopbackLab::~LoopbackLab() {
    stop();
}

std::string LoopbackLab::missing_tools() {
    std::string missing;
    if (access(kNginx, X_OK) != 0) missing += " /usr/sbin/nginx (apt-get install nginx-light)";
    if (find_executable("openssl").empty()) missing += " openssl";
    if (find_executable("python3").empty()) missing += " python3";
    return missing.empty() ? missing : "missing:" + missing + " (see ci/install-deps.sh)";
}

int LoopbackLab::port(Peer p) const {
    auto it = ports_.find(p);
    return it == ports_.end() ? 0 : it->second;
}

std::string LoopbackLab::url(Peer p, const std::string& scheme) const {
    std::string s = scheme.empty() ? (p == Peer::TraceEcho ? "http" : "https") : scheme;
    return s + "://127.0.0.1:" + std::to_string(port(p)) + "/";
}

std::string LoopbackLab::nginx_log() const {
    return dir_.empty() ? std::string()
                        : read_text(dir_ / "error.log") + read_text(dir_ / "nginx.out");
}

std::string LoopbackLab::openssl(const std::vector<std::string>& args) {
    std::vector<std::string> argv{openssl_bin_};
    argv.insert(argv.end(), args.begin(), args.end());
    std::string out;
    int rc = run_command(argv, &out, 60000, dir_ / "pki");
    if (rc == 0) return {};
    std::string cmd;
    for (const auto& a : argv) cmd += a + " ";
    return "openssl failed (" + std::to_string(rc) + "): " + cmd + "\n" + tail(out);
}

std::string LoopbackLab::start() {
    if (auto m = missing_tools(); !m.empty()) return m;
    openssl_bin_ = find_executable("openssl");
    python_bin_ = find_executable("python3");

    std::string tmpl = (fs::temp_directory_path() / "grundscan-probe-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) return std::string("mkdtemp: ") + std::strerror(errno);
    dir_ = tmpl;
    // nginx (as root) may drop privileges for file access: make the tree world-readable.
    chmod(dir_.c_str(), 0755);
    std::error_code ec;
    for (const char* d : {"pki", "pki/newcerts", "html", "tmp"})
        fs::create_directories(dir_ / d, ec);

    if (auto e = make_pki(); !e.empty()) return e;
    if (auto e = make_roots(); !e.empty()) return e;
    if (auto e = start_peers(); !e.empty()) return e;
    if (auto e = start_nginx(); !e.empty()) return e;

    std::string v;
    run_command({kNginx, "-v"}, &v, 10000);
    std::smatch m;
    if (std::regex_search(v, m, std::regex(R"(nginx/([0-9][0-9.]*))"))) nginx_version_ = m[1];

    // Can the local OpenSSL client still speak TLS 1.0 at all?
    run_command(
        {openssl_bin_, "s_client", "-connect", "127.0.0.1:" + std::to_string(port(Peer::Weak)),
         "-tls1", "-cipher", "DEFAULT@SECLEVEL=0"},
        &client_tls1_output_, 10000);
    // ("New, TLSv1.0, Cipher is" names the suite's version; the session's protocol counts.)
    client_tls1_ =
        std::regex_search(client_tls1_output_, std::regex(R"(Protocol\s*:\s*TLSv1\s*\n)"));
    // Does the local OpenSSL still have the 3DES suites (builds without weak ciphers do not)?
    std::string ciphers;
    local_3des_ = run_command({openssl_bin_, "ciphers", "-v", "DES-CBC3-SHA:@SECLEVEL=0"}, &ciphers,
                              10000) == 0 &&
                  ciphers.find("DES-CBC3-SHA") != std::string::npos;
    return {};
}

std::string LoopbackLab::make_pki() {
    const std::string san = "subjectAltName=DNS:localhost,IP:127.0.0.1";
    const std::string days = "30";
    // Test CA (ECDSA P-256).
    if (auto e = openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                          "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "3650", "-subj",
                          "/CN=grundscan loopback test CA", "-addext",
                          "basicConstraints=critical,CA:TRUE", "-addext",
                          "keyUsage=critical,keyCertSign,cRLSign"});
        !e.empty())
        return e;
    write_text(dir_ / "pki" / "leaf.ext",
               san + "\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
    // Leaf certificates signed by the CA: EC (hardened and friends) and RSA (weak: the
    // static-RSA and 3DES suites need an RSA key).
    struct Leaf {
        const char* name;
        std::vector<std::string> newkey;
    };
    for (const Leaf& leaf :
         {Leaf{"ec", {"ec", "-pkeyopt", "ec_paramgen_curve:P-256"}}, Leaf{"rsa", {"rsa:2048"}}}) {
        std::string n = leaf.name;
        std::vector<std::string> req{"req", "-new", "-newkey"};
        req.insert(req.end(), leaf.newkey.begin(), leaf.newkey.end());
        req.insert(req.end(),
                   {"-nodes", "-keyout", n + ".key", "-out", n + ".csr", "-subj", "/CN=localhost"});
        if (auto e = openssl(req); !e.empty()) return e;
        if (auto e = openssl({"x509", "-req", "-in", n + ".csr", "-CA", "ca.crt", "-CAkey",
                              "ca.key", "-CAcreateserial", "-out", n + ".crt", "-days", days,
                              "-extfile", "leaf.ext"});
            !e.empty())
            return e;
    }
    // Expired: `openssl ca` with a validity period in the past.
    write_text(dir_ / "pki" / "index.txt", "");
    write_text(dir_ / "pki" / "serial", "1000\n");
    write_text(dir_ / "pki" / "ca.cnf",
               fill(read_text(fixtures_dir() / "ca.cnf.in"), {{"DIR", (dir_ / "pki").string()}}));
    if (auto e = openssl({"req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                          "-nodes", "-keyout", "expired.key", "-out", "expired.csr", "-subj",
                          "/CN=localhost", "-addext", san});
        !e.empty())
        return e;
    if (auto e = openssl({"ca", "-batch", "-config", "ca.cnf", "-startdate", "20200101000000Z",
                          "-enddate", "20200201000000Z", "-in", "expired.csr", "-out",
                          "expired.crt", "-notext"});
        !e.empty())
        return e;
    // Self-signed for another host.
    if (auto e =
            openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                     "-nodes", "-keyout", "wrong.key", "-out", "wrong.crt", "-days", days, "-subj",
                     "/CN=wrong.example", "-addext", "subjectAltName=DNS:wrong.example"});
        !e.empty())
        return e;
    return {};
}

std::string LoopbackLab::make_roots() {
    const fs::path h = dir_ / "html";
    bool ok = true;
    ok &= write_text(h / "hardened" / "index.html",
                     "<!doctype html><html lang=\"de\"><title>Gemeinde (gehaertet)</title>"
                     "<p>Willkommen.</p></html>\n");
    ok &= write_text(h / "weak" / "index.html",
                     "<!doctype html><html><title>Gemeinde (schwach)</title>"
                     "<p>Willkommen.</p></html>\n");
    ok &= write_text(h / "weak" / ".git" / "HEAD", "ref: refs/heads/main\n");
    ok &= write_text(h / "weak" / ".git" / "config",
                     "[core]\n\trepositoryformatversion = 0\n\tbare = false\n");
    ok &= write_text(h / "weak" / "files" / "haushaltsplan-2024.pdf", "%PDF-1.4\n%%EOF\n");
    ok &= write_text(h / "weak" / "files" / "protokoll.txt", "Sitzung vom 1. Maerz\n");
    // The soft-404 page: served for every path. It even quotes lines that look like leaked
    // files, so only the comparison with a random path's answer keeps it from being a finding.
    ok &= write_text(h / "soft404" / "index.html",
                     "<!doctype html>\n<html><title>Seite nicht gefunden</title>\n<body>\n"
                     "<h1>Diese Seite gibt es nicht</h1>\n<pre>\nref: refs/heads/main\n"
                     "DB_PASSWORD=example\n[core]\n</pre>\n</body></html>\n");
    // 50 MiB start page: a small head, then a sparse tail (like `truncate -s 50M`).
    const fs::path big = h / "big" / "index.html";
    ok &= write_text(big, "<!doctype html><title>big</title>\n");
    std::error_code ec;
    fs::resize_file(big, static_cast<std::uintmax_t>(kBigBodyBytes), ec);
    if (ec) return "cannot make " + big.string() + ": " + ec.message();
    for (const char* d : {"body", "proxy", "fastcgi", "uwsgi", "scgi"})
        fs::create_directories(dir_ / "tmp" / d, ec);
    // World-readable tree (nginx may read files as an unprivileged user).
    for (auto it = fs::recursive_directory_iterator(dir_, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
        chmod(it->path().c_str(), it->is_directory() ? 0755 : 0644);
    }
    return ok ? std::string() : "cannot write document roots below " + h.string();
}

std::string LoopbackLab::start_peers() {
    int in_pipe[2], out_pipe[2];
    if (pipe2(in_pipe, O_CLOEXEC) != 0) return "pipe failed";
    if (pipe2(out_pipe, O_CLOEXEC) != 0) return "pipe failed";
    auto e = peers_.start({python_bin_, (fixtures_dir() / "peers.py").string(), "silent", "garbage",
                           "reset", "reset_late", "trace"},
                          in_pipe[0], out_pipe[1], -1);
    close(in_pipe[0]);
    close(out_pipe[1]);
    peers_stdin_ = in_pipe[1];
    if (!e.empty()) {
        close(out_pipe[0]);
        return "python peers: " + e;
    }
    // Read the READY line (10 s at most).
    std::string line;
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (line.find('\n') == std::string::npos && Clock::now() < deadline) {
        pollfd p{out_pipe[0], POLLIN, 0};
        if (poll(&p, 1, 100) <= 0) continue;
        char buf[512];
        ssize_t n = read(out_pipe[0], buf, sizeof buf);
        if (n <= 0) break;
        line.append(buf, static_cast<std::size_t>(n));
    }
    close(out_pipe[0]);
    const std::map<std::string, Peer> names{{"silent", Peer::Silent},
                                            {"garbage", Peer::Garbage},
                                            {"reset", Peer::Reset},
                                            {"reset_late", Peer::ResetLate},
                                            {"trace", Peer::TraceEcho}};
    std::smatch m;
    std::string rest = line;
    while (std::regex_search(rest, m, std::regex(R"(([a-z_]+)=([0-9]+))"))) {
        if (auto it = names.find(m[1]); it != names.end()) ports_[it->second] = std::stoi(m[2]);
        rest = m.suffix();
    }
    for (const auto& [name, peer] : names)
        if (port(peer) == 0) return "python peers did not report their ports: '" + line + "'";
    return {};
}

std::string LoopbackLab::start_nginx() {
    const fs::path fx = fixtures_dir();
    const fs::path pki = dir_ / "pki";
    struct Block {
        Peer peer;
        const char* tmpl;
        const char* cert;
    };
    const std::vector<Block> blocks{
        {Peer::Hardened, "server-hardened.conf.in", "ec"},
        {Peer::Weak, "server-weak.conf.in", "rsa"},
        {Peer::Soft404, "server-soft404.conf.in", "ec"},
        {Peer::Expired, "server-plain.conf.in", "expired"},
        {Peer::WrongHost, "server-plain.conf.in", "wrong"},
        {Peer::Redirect, "server-redirect.conf.in", "ec"},
        {Peer::BigBody, "server-bigbody.conf.in", "ec"},
        {Peer::RedirectPaths, "server-redirect-paths.conf.in", "ec"},
    };
    std::string last_error;
    for (int attempt = 0; attempt < 3; ++attempt) {
        // Reserve free ports, write the config, release the ports just before nginx binds.
        std::vector<PortHold> holds(blocks.size());
        std::string servers;
        for (std::size_t i = 0; i < blocks.size(); ++i) {
            if (holds[i].port == 0) return "cannot reserve a loopback port";
            ports_[blocks[i].peer] = holds[i].port;
            servers += fill(read_text(fx / blocks[i].tmpl),
                            {{"PORT", std::to_string(holds[i].port)},
                             {"CERT", (pki / (std::string(blocks[i].cert) + ".crt")).string()},
                             {"KEY", (pki / (std::string(blocks[i].cert) + ".key")).string()},
                             {"ROOT", (dir_ / "html").string()}});
            servers += "\n";
        }
        std::string conf = fill(read_text(fx / "nginx-main.conf.in"),
                                {{"PREFIX", dir_.string()}, {"SERVERS", servers}});
        // Single process (no master/worker split): one PID to stop, and PR_SET_PDEATHSIG
        // takes it down with a killed test run.
        conf = std::regex_replace(conf, std::regex("master_process on;"), "master_process off;");
        if (!write_text(dir_ / "nginx.conf", conf)) return "cannot write nginx.conf";
        std::error_code ec;
        fs::remove(dir_ / "error.log", ec);

        int out =
            open((dir_ / "nginx.out").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        for (auto& h : holds) h.release();
        auto e = nginx_.start({kNginx, "-p", dir_.string(), "-c", (dir_ / "nginx.conf").string(),
                               "-e", (dir_ / "error.log").string()},
                              -1, out, out);
        if (out >= 0) close(out);
        if (!e.empty()) return "nginx: " + e;

        const auto deadline = Clock::now() + std::chrono::seconds(10);
        bool up = false;
        while (Clock::now() < deadline) {
            if (!nginx_.running()) break;
            up = true;
            for (const auto& b : blocks) up = up && port_accepts(port(b.peer));
            if (up) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        if (up) return {};
        last_error = "nginx did not come up (attempt " + std::to_string(attempt + 1) + "):\n" +
                     tail(nginx_log());
        nginx_.stop(SIGQUIT, 2000);
        if (last_error.find("Address already in use") == std::string::npos) break;
    }
    return last_error;
}

void LoopbackLab::stop() {
    nginx_.stop(SIGQUIT, 3000);  // graceful quit (what `nginx -s quit` sends), then TERM, KILL
    if (peers_stdin_ >= 0) {
        close(peers_stdin_);  // peers.py exits on EOF
        peers_stdin_ = -1;
    }
    peers_.stop(SIGTERM, 2000);
    if (!dir_.empty()) {
        std::error_code ec;
        fs::remove_all(dir_, ec);
        dir_.clear();
    }
    ports_.clear();
}

}  // namespace grundscan::testing
