// Calendar dates (no time zone: exports carry local dates, rules count whole days).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace grundscan {

struct Date {
    int year = 0;
    int month = 0;
    int day = 0;

    // Days since 1970-01-01 (may be negative).
    long long days_since_epoch() const;
    static Date from_days(long long days);
    std::string iso() const;  // YYYY-MM-DD
    auto operator<=>(const Date&) const = default;
};

// Parses YYYY-MM-DD (optionally followed by 'T...' or a blank and a time).
std::optional<Date> parse_iso_date(std::string_view s);

// Parses a date as Windows tools print it in the locale of the export: ISO, German
// DD.MM.YYYY, US M/D/YYYY (or with `day_first`, D/M/YYYY), each optionally followed by
// ", time". Returns nullopt for anything else or impossible dates.
std::optional<Date> parse_locale_date(std::string_view s, bool day_first = false);

// Today's date in UTC.
Date today_utc();

// Whole days from `from` to `to` (positive when `to` is later).
long long days_between(const Date& from, const Date& to);

}  // namespace grundscan
