#include "scanner/core/dates.hpp"

#include <gtest/gtest.h>

using namespace grundscan;

TEST(Dates, IsoRoundTripAndEpoch) {
    auto d = parse_iso_date("2026-11-23");
    ASSERT_TRUE(d);
    EXPECT_EQ(d->iso(), "2026-11-23");
    EXPECT_EQ(Date::from_days(d->days_since_epoch()), *d);
    EXPECT_EQ((Date{1970, 1, 1}.days_since_epoch()), 0);
    EXPECT_EQ(parse_iso_date("2024-02-29T10:00:00Z")->day, 29);
    EXPECT_FALSE(parse_iso_date("2023-02-29"));
    EXPECT_FALSE(parse_iso_date("23-02-01"));
}

TEST(Dates, LocaleFormatsOfWindowsExports) {
    EXPECT_EQ(parse_locale_date("10/1/2021, 4:15:34 PM")->iso(), "2021-10-01");  // en-US
    EXPECT_EQ(parse_locale_date("10/1/2021", true)->iso(), "2021-01-10");        // en-GB
    EXPECT_EQ(parse_locale_date("22.06.2019, 11:12:13")->iso(), "2019-06-22");   // de-DE
    EXPECT_FALSE(parse_locale_date("31.02.2019"));
    EXPECT_FALSE(parse_locale_date("yesterday"));
}

TEST(Dates, DaysBetween) {
    EXPECT_EQ(days_between(Date{2026, 1, 1}, Date{2026, 12, 31}), 364);
    EXPECT_EQ(days_between(Date{2024, 3, 1}, Date{2024, 2, 28}), -2);
}
