#include "scanner/core/dates.hpp"

#include <chrono>
#include <cstdio>

#include "scanner/core/text.hpp"

namespace grundscan {

namespace {

// Howard Hinnant's days_from_civil / civil_from_days.
long long days_from_civil(long long y, unsigned m, unsigned d) {
    y -= m <= 2;
    const long long era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<long long>(doe) - 719468;
}

bool valid(int y, int m, int d) {
    if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1) return false;
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int max = mdays[m - 1];
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) max = 29;
    return d <= max;
}

std::optional<Date> make(long long y, long long m, long long d) {
    if (!valid(static_cast<int>(y), static_cast<int>(m), static_cast<int>(d))) return std::nullopt;
    return Date{static_cast<int>(y), static_cast<int>(m), static_cast<int>(d)};
}

// Cuts `s` at the first ',', ' ' or 'T' following the date part.
std::string_view date_part(std::string_view s) {
    s = text::trim(s);
    auto cut = s.find_first_of(", T");
    return cut == std::string_view::npos ? s : s.substr(0, cut);
}

}  // namespace

long long Date::days_since_epoch() const {
    return days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
}

Date Date::from_days(long long z) {
    z += 719468;
    const long long era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long long y = static_cast<long long>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return Date{static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

std::string Date::iso() const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return buf;
}

std::optional<Date> parse_iso_date(std::string_view s) {
    s = date_part(s);
    auto parts = text::split(s, '-');
    if (parts.size() != 3 || parts[0].size() != 4) return std::nullopt;
    long long y = 0, m = 0, d = 0;
    if (!text::parse_int(parts[0], y) || !text::parse_int(parts[1], m) ||
        !text::parse_int(parts[2], d))
        return std::nullopt;
    return make(y, m, d);
}

std::optional<Date> parse_locale_date(std::string_view s, bool day_first) {
    if (auto iso = parse_iso_date(s)) return iso;
    s = date_part(s);
    long long a = 0, b = 0, y = 0;
    if (s.find('.') != std::string_view::npos) {
        auto p = text::split(s, '.');
        if (p.size() != 3 || !text::parse_int(p[0], a) || !text::parse_int(p[1], b) ||
            !text::parse_int(p[2], y) || p[2].size() != 4)
            return std::nullopt;
        return make(y, b, a);  // German: DD.MM.YYYY
    }
    if (s.find('/') != std::string_view::npos) {
        auto p = text::split(s, '/');
        if (p.size() != 3 || !text::parse_int(p[0], a) || !text::parse_int(p[1], b) ||
            !text::parse_int(p[2], y) || p[2].size() != 4)
            return std::nullopt;
        return day_first ? make(y, b, a) : make(y, a, b);
    }
    return std::nullopt;
}

Date today_utc() {
    auto now = std::chrono::system_clock::now();
    auto days = std::chrono::duration_cast<std::chrono::days>(now.time_since_epoch()).count();
    return Date::from_days(days);
}

long long days_between(const Date& from, const Date& to) {
    return to.days_since_epoch() - from.days_since_epoch();
}

}  // namespace grundscan
