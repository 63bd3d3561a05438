// Local host bundle: copies the Linux files grundscan reads into a directory with an inventory.
#include "scanner/local/local_host.hpp"

#include <ctime>
#include <nlohmann/json.hpp>

#include <fnmatch.h>

#include "scanner/core/atomic_file.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <system_error>

#include "scanner/core/text.hpp"

namespace grundscan {

namespace fs = std::filesystem;

namespace {

constexpr std::uintmax_t kMaxFileSize = 64ull * 1024 * 1024;

// One file of the bundle: its flattened name in out_dir and its collector type.
struct Source {
    std::string name;
    std::string type;
};

// Maps a host path ("/etc/ssh/sshd_config") to `root`/etc/ssh/sshd_config.
fs::path under_root(const fs::path& root, const std::string& host_path) {
    return root / fs::path(host_path).relative_path();
}

// Follows symlinks of the last component inside `root` (an absolute link target is taken
// relative to `root`, never to the running host). Returns the resolved path, or an empty
// path for a dangling link or a loop.
fs::path resolve_in_root(const fs::path& root, fs::path p) {
    for (int hops = 0; hops < 40; ++hops) {
        std::error_code ec;
        if (!fs::is_symlink(fs::symlink_status(p, ec))) return p;
        fs::path target = fs::read_symlink(p, ec);
        if (ec) return {};
        p = target.is_absolute() ? root / target.relative_path() : p.parent_path() / target;
        p = p.lexically_normal();
    }
    return {};
}

// "/etc/ssh/sshd_config.d/x y.conf" → "etc_ssh_sshd_config.d_x_y.conf".
std::string flatten(const std::string& host_path) {
    std::string out;
    for (char c : fs::path(host_path).relative_path().generic_string()) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '-' || c == '_';
        out.push_back(c == '/' || !ok ? '_' : c);
    }
    return out;
}

// Writes `data` to `dir`/`name` atomically.
Status write_atomic(const fs::path& dir, const std::string& name, std::string_view data) {
    return write_file_atomic(dir / name, data);
}

std::string yaml_quote(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') {
            out.push_back('\\');
            out.push_back(c);
        } else if (static_cast<unsigned char>(c) < 0x20) {
            out += ' ';
        } else {
            out.push_back(c);
        }
    }
    return out + "\"";
}

std::string asset_id(std::string_view host) {
    std::string id;
    for (char c : text::to_lower(host)) {
        bool ok =
            (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        id.push_back(ok ? c : '-');
    }
    return id.empty() ? "localhost" : id;
}

bool is_host_root(const fs::path& root) {
    std::error_code ec;
    return fs::equivalent(root, "/", ec);
}

// The host name: the kernel's for "/", else <root>/etc/hostname, else the kernel's.
std::string host_name(const fs::path& root) {
    if (!is_host_root(root)) {
        std::ifstream f(root / "etc/hostname");
        std::string line;
        if (f && std::getline(f, line) && !text::trim(line).empty())
            return std::string(text::trim(line));
    }
    char buf[256] = {};
    if (gethostname(buf, sizeof buf - 1) == 0 && buf[0]) return buf;
    return "localhost";
}

// The absolute path of `prog` on $PATH, or empty.
std::string find_on_path(const std::string& prog) {
    const char* path = std::getenv("PATH");
    if (!path) return {};
    for (auto dir : text::split(path, ':')) {
        if (dir.empty()) continue;
        fs::path p = fs::path(dir) / prog;
        if (access(p.c_str(), X_OK) == 0) return p.string();
    }
    return {};
}

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

class BundleWriter {
  public:
    BundleWriter(fs::path root, fs::path out, LocalBundle& bundle)
        : root_(std::move(root)), out_(std::move(out)), bundle_(bundle) {}

    // Copies host file `host_path` as `type`. Returns the content read (for Include
    // scanning), nullopt when it was not copied. Write failures end up in `error_`.
    // `tree`: keep the host's directory layout (etc/ssh/sshd_config) instead of a flat name,
    // so that references between the files (sshd Include) map onto the bundle.
    std::optional<std::string> copy(const std::string& host_path, const std::string& type,
                                    bool record_missing = true, bool tree = false) {
        fs::path src = resolve_in_root(root_, under_root(root_, host_path));
        std::error_code ec;
        if (src.empty() || !fs::exists(src, ec)) {
            if (record_missing) bundle_.missing.push_back(host_path);
            return std::nullopt;
        }
        if (!fs::is_regular_file(src, ec)) {
            bundle_.missing.push_back(host_path + " (not a regular file)");
            return std::nullopt;
        }
        auto size = fs::file_size(src, ec);
        if (ec) {
            bundle_.missing.push_back(host_path + " (unreadable: " + ec.message() + ")");
            return std::nullopt;
        }
        if (size > kMaxFileSize) {
            bundle_.missing.push_back(host_path + " (larger than 64 MiB, skipped)");
            return std::nullopt;
        }
        std::ifstream in(src, std::ios::binary);
        std::ostringstream ss;
        if (in) ss << in.rdbuf();
        if (!in || in.bad()) {
            bundle_.missing.push_back(host_path + " (unreadable)");
            return std::nullopt;
        }
        std::string data = ss.str();
        std::string name =
            tree ? fs::path(host_path).relative_path().lexically_normal().generic_string()
                 : flatten(host_path);
        if (!store(name, type, data)) return std::nullopt;
        bundle_.collected.push_back(host_path);
        return data;
    }

    // Writes `data` as a bundle file; false (and error_ set) on failure.
    bool store(std::string name, const std::string& type, std::string_view data) {
        std::string base = name;
        for (int i = 2; used_.contains(name); ++i) name = base + "-" + std::to_string(i);
        if (auto parent = fs::path(name).parent_path(); !parent.empty()) {
            std::error_code ec;
            fs::create_directories(out_ / parent, ec);
        }
        auto st = write_atomic(out_, name, data);
        if (!st) {
            if (!error_) error_ = st.error();
            return false;
        }
        used_.insert(name);
        sources_.push_back(Source{name, type});
        return true;
    }

    // Creates the bundle directory for host directory `host_dir` (an Include's directory that
    // exists on the host, possibly empty: an empty directory in the bundle says so).
    void make_dir(const std::string& host_dir) {
        std::error_code ec;
        fs::create_directories(out_ / fs::path(host_dir).relative_path().lexically_normal(), ec);
    }

    std::vector<Source>& sources() { return sources_; }
    const std::optional<Error>& error() const { return error_; }

  private:
    fs::path root_, out_;
    LocalBundle& bundle_;
    std::vector<Source> sources_;
    std::set<std::string> used_;
    std::optional<Error> error_;
};

// Include patterns of an sshd_config (any position, as sshd reads them everywhere).
struct Includes {
    std::vector<std::string> patterns;
};

Includes sshd_includes(std::string_view config) {
    Includes inc;
    for (auto line : text::split_lines(config)) {
        auto t = text::trim(line);
        if (t.empty() || t.front() == '#') continue;
        // "Include a b", "Include = a b" and "Include=a b" are the same.
        auto end = t.find_first_of(" \t=");
        std::string_view kw = t.substr(0, end);
        if (!text::iequals(kw, "include")) continue;
        auto rest = end == std::string_view::npos ? std::string_view{} : text::trim(t.substr(end));
        if (!rest.empty() && rest.front() == '=') rest.remove_prefix(1);
        for (auto arg : text::split_ws(rest)) {
            if (arg.front() == '#') break;
            inc.patterns.emplace_back(text::unquote(arg));
        }
    }
    return inc;
}

// Host paths matched by an Include pattern (relative to /etc/ssh), sorted like glob(3).
std::vector<std::string> expand_include(const fs::path& root, const std::string& pattern,
                                        LocalBundle& bundle, std::vector<std::string>& dirs) {
    std::string full = pattern.starts_with("/") ? pattern : "/etc/ssh/" + pattern;
    fs::path p(full);
    std::string dir = p.parent_path().generic_string();
    std::string last = p.filename().string();
    if (dir.find_first_of("*?[") != std::string::npos) {
        bundle.missing.push_back(full + " (glob in a directory part is not expanded)");
        return {};
    }
    if (last.find_first_of("*?") == std::string::npos) return {full};
    std::vector<std::string> out;
    std::error_code ec;
    fs::directory_iterator it(under_root(root, dir), ec);
    if (ec) return out;
    dirs.push_back(dir);
    for (const auto& e : it) {
        std::string name = e.path().filename().string();
        if (!name.empty() && name.front() == '.' && (last.empty() || last.front() != '.'))
            continue;  // glob(3): '*' does not match a leading dot
        if (::fnmatch(std::string(last).c_str(), name.c_str(), 0) == 0)
            out.push_back(dir + "/" + name);
    }
    std::sort(out.begin(), out.end());
    return out;
}

// Runs `command` (a shell command line, LC_ALL=C) on the running host with a `timeout_s`
// timeout and stores its standard output as `file` of source type `type`. A failure is recorded
// in bundle.missing as "<label> (failed: <why>: <first error line>)"; it never stops the
// collection. Returns whether the output was stored.
bool record_command(BundleWriter& c, LocalBundle& bundle, const std::string& label,
                    const std::string& command, const std::string& file, const std::string& type,
                    int timeout_s = 60) {
    std::string err_tmpl = (fs::temp_directory_path() / "grundscan-cmd-XXXXXX").string();
    int fd = mkstemp(err_tmpl.data());
    if (fd < 0) {
        bundle.missing.push_back(label + " (no temporary file for its messages)");
        return false;
    }
    close(fd);
    std::string cmd = "LC_ALL=C timeout " + std::to_string(timeout_s) + " " + command + " 2>" +
                      shell_quote(err_tmpl) + " </dev/null";
    std::string output;
    int status = -1;
    if (FILE* p = popen(cmd.c_str(), "r")) {
        char buf[65536];
        std::size_t n;
        while ((n = fread(buf, 1, sizeof buf, p)) > 0 && output.size() < kMaxFileSize)
            output.append(buf, n);
        status = pclose(p);
    }
    std::string first_error;
    {
        std::ifstream e(err_tmpl);
        std::string line;
        while (first_error.empty() && std::getline(e, line)) first_error = text::trim(line);
    }
    std::error_code ec;
    fs::remove(err_tmpl, ec);
    if (status == 0 && !text::trim(output).empty() && output.size() < kMaxFileSize) {
        if (c.store(file, type, output)) {
            bundle.collected.push_back(label);
            return true;
        }
        return false;
    }
    std::string why = status == -1 ? "could not be started"
                      : WIFEXITED(status) && WEXITSTATUS(status) == 124
                          ? "timed out after " + std::to_string(timeout_s) + " s"
                      : WIFEXITED(status) ? "exit code " + std::to_string(WEXITSTATUS(status))
                                          : "killed by a signal";
    if (status == 0) why = output.empty() ? "no output" : "output larger than 64 MiB";
    std::string msg = label + " (failed: " + why;
    if (!first_error.empty()) msg += ": " + first_error.substr(0, 200);
    bundle.missing.push_back(msg + ")");
    return false;
}

// The first of `names` found on PATH or in the usual sbin/bin directories; empty if none.
std::string find_tool(const std::string& name) {
    std::string found = find_on_path(name);
    for (const char* dir : {"/usr/sbin/", "/usr/local/sbin/", "/sbin/", "/usr/bin/", "/bin/"}) {
        std::string p = dir + name;
        if (found.empty() && access(p.c_str(), X_OK) == 0) found = p;
    }
    return found;
}

// Runs `sshd -T` (the effective server configuration) on the running host with a 20 s
// timeout and stores its output as sshd-T.txt.
void record_sshd_t(const fs::path& root, BundleWriter& c, LocalBundle& bundle) {
    std::string sshd = find_tool("sshd");
    if (sshd.empty()) {
        bundle.missing.push_back("sshd -T (no sshd installed)");
        return;
    }
    if (!is_host_root(root)) {
        bundle.missing.push_back("sshd -T (not run: the files are taken from " + root.string() +
                                 ", not from the running host)");
        return;
    }
    record_command(c, bundle, "sshd -T", shell_quote(sshd) + " -T", "sshd-T.txt", "sshd-t", 20);
}

// Pending updates as the package manager sees them from its local cache (no download, no
// lock, nothing installed): apt-get -s dist-upgrade, or dnf/yum updateinfo from the cache.
void record_pending_updates(const fs::path& root, BundleWriter& c, LocalBundle& bundle) {
    if (!is_host_root(root)) {
        bundle.missing.push_back("pending updates (not run: the files are taken from " +
                                 root.string() + ", not from the running host)");
        return;
    }
    if (std::string apt = find_tool("apt-get"); !apt.empty()) {
        record_command(c, bundle, "apt-get -s dist-upgrade",
                       shell_quote(apt) + " -s -o Debug::NoLocking=1 dist-upgrade",
                       "apt-get-s-dist-upgrade.txt", "apt-get-simulate");
        return;
    }
    if (std::string dnf = find_tool("dnf"); !dnf.empty()) {
        record_command(c, bundle, "dnf updateinfo list --security",
                       shell_quote(dnf) + " -C updateinfo list --security", "dnf-updateinfo.txt",
                       "dnf-updateinfo");
        return;
    }
    if (std::string yum = find_tool("yum"); !yum.empty()) {
        record_command(c, bundle, "yum updateinfo list security",
                       shell_quote(yum) + " -C updateinfo list security", "yum-updateinfo.txt",
                       "yum-updateinfo");
        return;
    }
    bundle.missing.push_back("pending updates (no apt-get, dnf or yum)");
}

// manifest.json: when and where the bundle was collected (docs/inventory.md, "Collection time").
std::string bundle_manifest(const std::string& host) {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char when[32];
    std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    nlohmann::json j = {{"format", "grundscan-manifest"},
                        {"version", 1},
                        {"collected_at", when},
                        {"host", text::sanitize_utf8(host)},
                        {"tool", std::string("grundscan collect --local ") + GRUNDSCAN_VERSION}};
    return j.dump(2) + "\n";
}

}  // namespace

Expected<LocalBundle> collect_local_bundle(const fs::path& root, const fs::path& out_dir) {
    LocalBundle bundle;
    std::error_code ec;
    fs::create_directories(out_dir, ec);
    if (!fs::is_directory(out_dir, ec)) {
        return Error{"cannot create the bundle directory" + (ec ? ": " + ec.message() : ""),
                     out_dir.string(), 0};
    }
    bundle.directory = out_dir;
    bundle.inventory_file = out_dir / "inventory.yaml";
    BundleWriter c(root, out_dir, bundle);

    // os-release: /etc first (often a symlink into /usr/lib), /usr/lib as fallback.
    if (!c.copy("/etc/os-release", "os-release", false)) {
        if (!c.copy("/usr/lib/os-release", "os-release", false))
            bundle.missing.push_back("/etc/os-release");
    }
    c.copy("/etc/login.defs", "login-defs");
    c.copy("/etc/security/pwquality.conf", "pwquality-conf");
    for (const char* p : {"/etc/pam.d/common-password", "/etc/pam.d/common-auth",
                          "/etc/pam.d/system-auth", "/etc/pam.d/password-auth"})
        c.copy(p, "pam");

    // sshd_config and the files its Include lines name (recursively, each file once), in the
    // host's directory layout: the scan resolves the Include lines inside the bundle, so the
    // order of the sources does not matter. An Include directory that exists but holds no
    // matching file is created empty.
    if (auto main = c.copy("/etc/ssh/sshd_config", "sshd-config", true, true)) {
        std::set<std::string> done = {"/etc/ssh/sshd_config"};
        std::vector<std::string> queue, dirs;
        for (const auto& pat : sshd_includes(*main).patterns)
            for (auto& f : expand_include(root, pat, bundle, dirs)) queue.push_back(f);
        for (std::size_t i = 0; i < queue.size() && i < 256; ++i) {
            if (!done.insert(queue[i]).second) continue;
            if (auto inc = c.copy(queue[i], "sshd-config", true, true)) {
                for (const auto& pat : sshd_includes(*inc).patterns)
                    for (auto& f : expand_include(root, pat, bundle, dirs)) queue.push_back(f);
            }
        }
        for (const auto& d : dirs) c.make_dir(d);
    }
    record_sshd_t(root, c, bundle);
    record_pending_updates(root, c, bundle);

    // Packages: the dpkg database, else an `rpm -qa` listing of `root`.
    if (!c.copy("/var/lib/dpkg/status", "dpkg-status")) {
        std::string rpm = find_on_path("rpm");
        if (rpm.empty()) {
            bundle.missing.push_back("rpm -qa (rpm not on PATH)");
        } else {
            std::string cmd = shell_quote(rpm);
            if (!is_host_root(root)) cmd += " --root " + shell_quote(root.string());
            // With install times: the patch rules date the kernel and core packages by them.
            cmd +=
                " -qa --qf '%|EPOCH?{%{NAME}-%{EPOCH}:%{VERSION}}:{%{NAME}-%{VERSION}}|"
                "-%{RELEASE}.%{ARCH} %{INSTALLTIME}\\n' 2>/dev/null";
            std::string listing;
            bool ok = false;
            if (FILE* p = popen(cmd.c_str(), "r")) {
                char buf[65536];
                std::size_t n;
                while ((n = fread(buf, 1, sizeof buf, p)) > 0 && listing.size() < kMaxFileSize)
                    listing.append(buf, n);
                ok = pclose(p) == 0;
            }
            if (listing.size() >= kMaxFileSize) {
                bundle.missing.push_back("rpm -qa (larger than 64 MiB, skipped)");
            } else if (ok && !text::trim(listing).empty()) {
                if (c.store("rpm-qa.txt", "rpm-qa", listing)) bundle.collected.push_back("rpm -qa");
            } else {
                bundle.missing.push_back("rpm -qa (failed or empty)");
            }
        }
    }
    if (c.error()) return *c.error();

    std::string host = host_name(root);
    if (is_host_root(root)) {
        // Only the running host's collection has a trustworthy "now"; a copied root keeps none.
        auto st = write_atomic(out_dir, "manifest.json", bundle_manifest(host));
        if (!st) return st.error();
    }
    std::string yaml;
    yaml += "organisation:\n";
    yaml += "  id: local\n";
    yaml += "  name: " + yaml_quote("Lokaler Host") + "\n";
    yaml += "municipalities:\n";
    yaml += "  - id: local\n";
    yaml += "    name: " + yaml_quote("Lokaler Host " + host) + "\n";
    yaml += "    assets:\n";
    yaml += "      - id: " + asset_id(host) + "\n";
    yaml += "        kind: linux-server\n";
    yaml += "        sources:\n";
    for (const auto& s : c.sources()) {
        yaml += "          - path: " + s.name + "\n";
        yaml += "            type: " + s.type + "\n";
    }
    if (c.sources().empty()) yaml.replace(yaml.size() - 1, 1, " []\n");
    auto st = write_atomic(out_dir, "inventory.yaml", yaml);
    if (!st) return st.error();
    return bundle;
}

}  // namespace grundscan
