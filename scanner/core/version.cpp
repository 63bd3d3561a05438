#include "scanner/core/version.hpp"

#include <cctype>
#include <string>

namespace grundscan {

namespace {

bool is_digit(char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
}
bool is_sep(char c) {
    return c == '.' || c == '-' || c == '_' || c == '+' || c == '~' || c == ' ';
}

// dpkg's character order: '~' < end < letters < non-letters.
int dpkg_order(int c) {
    if (is_digit(static_cast<char>(c))) return 0;
    if (std::isalpha(c)) return c;
    if (c == '~') return -1;
    if (c) return c + 256;
    return 0;
}

int dpkg_verrevcmp(std::string_view a, std::string_view b) {
    std::size_t i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
        int first_diff = 0;
        while ((i < a.size() && !is_digit(a[i])) || (j < b.size() && !is_digit(b[j]))) {
            int ac = i < a.size() ? dpkg_order(static_cast<unsigned char>(a[i])) : 0;
            int bc = j < b.size() ? dpkg_order(static_cast<unsigned char>(b[j])) : 0;
            if (ac != bc) return ac - bc;
            ++i;
            ++j;
        }
        while (i < a.size() && a[i] == '0') ++i;
        while (j < b.size() && b[j] == '0') ++j;
        while (i < a.size() && is_digit(a[i]) && j < b.size() && is_digit(b[j])) {
            if (!first_diff) first_diff = a[i] - b[j];
            ++i;
            ++j;
        }
        if (i < a.size() && is_digit(a[i])) return 1;
        if (j < b.size() && is_digit(b[j])) return -1;
        if (first_diff) return first_diff;
    }
    return 0;
}

struct DebVersion {
    long long epoch = 0;
    std::string_view upstream;
    std::string_view revision;
};

DebVersion split_debian(std::string_view v) {
    DebVersion out;
    auto colon = v.find(':');
    if (colon != std::string_view::npos) {
        long long e = 0;
        for (char c : v.substr(0, colon)) {
            if (!is_digit(c)) {
                e = 0;
                break;
            }
            e = e * 10 + (c - '0');
        }
        out.epoch = e;
        v.remove_prefix(colon + 1);
    }
    auto dash = v.rfind('-');
    if (dash != std::string_view::npos) {
        out.upstream = v.substr(0, dash);
        out.revision = v.substr(dash + 1);
    } else {
        out.upstream = v;
    }
    return out;
}

}  // namespace

int compare_versions(std::string_view a, std::string_view b) {
    std::size_t i = 0, j = 0;
    while (true) {
        while (i < a.size() && is_sep(a[i])) ++i;
        while (j < b.size() && is_sep(b[j])) ++j;
        if (i >= a.size() || j >= b.size()) {
            if (i >= a.size() && j >= b.size()) return 0;
            return i >= a.size() ? -1 : 1;
        }
        bool da = is_digit(a[i]), db = is_digit(b[j]);
        std::size_t si = i, sj = j;
        if (da && db) {
            while (i < a.size() && is_digit(a[i])) ++i;
            while (j < b.size() && is_digit(b[j])) ++j;
            auto na = a.substr(si, i - si), nb = b.substr(sj, j - sj);
            while (na.size() > 1 && na.front() == '0') na.remove_prefix(1);
            while (nb.size() > 1 && nb.front() == '0') nb.remove_prefix(1);
            if (na.size() != nb.size()) return na.size() < nb.size() ? -1 : 1;
            if (int c = na.compare(nb)) return c < 0 ? -1 : 1;
        } else if (da != db) {
            return da ? 1 : -1;  // "1.0" > "1.rc"
        } else {
            while (i < a.size() && !is_digit(a[i]) && !is_sep(a[i])) ++i;
            while (j < b.size() && !is_digit(b[j]) && !is_sep(b[j])) ++j;
            if (int c = a.substr(si, i - si).compare(b.substr(sj, j - sj))) return c < 0 ? -1 : 1;
        }
    }
}

int compare_debian_versions(std::string_view a, std::string_view b) {
    DebVersion va = split_debian(a), vb = split_debian(b);
    if (va.epoch != vb.epoch) return va.epoch < vb.epoch ? -1 : 1;
    if (int c = dpkg_verrevcmp(va.upstream, vb.upstream)) return c < 0 ? -1 : 1;
    int c = dpkg_verrevcmp(va.revision, vb.revision);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

namespace {

bool is_alnum(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

// rpm's rpmvercmp (lib/rpmvercmp.c) on one version or release string.
int rpmvercmp(std::string_view a, std::string_view b) {
    if (a == b) return 0;
    std::size_t i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
        while (i < a.size() && !is_alnum(a[i]) && a[i] != '~' && a[i] != '^') ++i;
        while (j < b.size() && !is_alnum(b[j]) && b[j] != '~' && b[j] != '^') ++j;
        char ca = i < a.size() ? a[i] : '\0', cb = j < b.size() ? b[j] : '\0';
        if (ca == '~' || cb == '~') {
            if (ca != '~') return 1;
            if (cb != '~') return -1;
            ++i;
            ++j;
            continue;
        }
        if (ca == '^' || cb == '^') {
            if (!ca) return -1;
            if (!cb) return 1;
            if (ca != '^') return 1;
            if (cb != '^') return -1;
            ++i;
            ++j;
            continue;
        }
        if (!ca || !cb) break;
        std::size_t si = i, sj = j;
        bool num = is_digit(ca);
        auto same_kind = [num](char c) {
            return num ? is_digit(c) : std::isalpha(static_cast<unsigned char>(c)) != 0;
        };
        while (i < a.size() && same_kind(a[i])) ++i;
        while (j < b.size() && same_kind(b[j])) ++j;
        if (j == sj) return num ? 1 : -1;  // numeric segments beat alphabetic ones
        std::string_view x = a.substr(si, i - si), y = b.substr(sj, j - sj);
        if (num) {
            while (x.size() > 1 && x[0] == '0') x.remove_prefix(1);
            while (y.size() > 1 && y[0] == '0') y.remove_prefix(1);
            if (x.size() != y.size()) return x.size() > y.size() ? 1 : -1;
        }
        if (int c = x.compare(y); c != 0) return c > 0 ? 1 : -1;
    }
    bool more_a = i < a.size(), more_b = j < b.size();
    if (!more_a && !more_b) return 0;
    return more_a ? 1 : -1;
}

struct Evr {
    std::string_view epoch, version, release;
};

Evr split_evr(std::string_view s) {
    Evr e;
    if (auto colon = s.find(':'); colon != std::string_view::npos) {
        e.epoch = s.substr(0, colon);
        s.remove_prefix(colon + 1);
    }
    if (auto dash = s.rfind('-'); dash != std::string_view::npos) {
        e.version = s.substr(0, dash);
        e.release = s.substr(dash + 1);
    } else {
        e.version = s;
    }
    return e;
}

}  // namespace

int compare_rpm_versions(std::string_view a, std::string_view b) {
    Evr x = split_evr(a), y = split_evr(b);
    auto epoch = [](std::string_view e) {
        while (e.size() > 1 && e[0] == '0') e.remove_prefix(1);
        return e.empty() ? std::string_view("0") : e;
    };
    std::string_view ea = epoch(x.epoch), eb = epoch(y.epoch);
    if (ea.size() != eb.size()) return ea.size() > eb.size() ? 1 : -1;
    if (int c = ea.compare(eb); c != 0) return c > 0 ? 1 : -1;
    if (int c = rpmvercmp(x.version, y.version); c != 0) return c;
    if (x.release.empty() || y.release.empty()) return 0;
    return rpmvercmp(x.release, y.release);
}

}  // namespace grundscan
