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

}  // namespace grundscan
