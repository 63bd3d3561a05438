#include "scanner/core/version.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

using namespace grundscan;

namespace {
struct Pair {
    const char* a;
    const char* b;
    int expected;  // sign
};

int sign(int v) {
    return (v > 0) - (v < 0);
}

const std::vector<Pair> kDebianPairs = {
    {"1.0", "1.0", 0},
    {"1.0", "1.1", -1},
    {"1:1.0", "2.0", 1},
    {"1.0~rc1", "1.0", -1},
    {"1.0~rc1", "1.0~rc2", -1},
    {"1.0-1", "1.0-1ubuntu1", -1},
    {"2.34-0.1ubuntu9", "2.34-0.1ubuntu10", -1},
    {"1.1.1f-1ubuntu2.13", "1.1.1f-1ubuntu2.9", 1},
    {"1:8.2p1-4", "1:8.2p1-4ubuntu0.5", -1},
    {"0:1.0", "1.0", 0},
    {"1.0a", "1.0", 1},
    {"1.0+dfsg-1", "1.0-1", 1},
    {"1.0.0", "1.0", 1},
    {"3.0.11-1~deb12u2", "3.0.11-1", -1},
    {"9.2p1-2+deb12u3", "9.2p1-2+deb12u2", 1},
    {"1.2.3-1", "1.2.3-1.1", -1},
    {"~~", "~", -1},
    {"~", "", -1},
    {"a", "1", 1},
    {"1.0-0", "1.0", 0},
};
}  // namespace

TEST(DebianVersion, TableOfKnownOrderings) {
    for (const auto& p : kDebianPairs) {
        EXPECT_EQ(sign(compare_debian_versions(p.a, p.b)), p.expected) << p.a << " vs " << p.b;
        EXPECT_EQ(sign(compare_debian_versions(p.b, p.a)), -p.expected) << p.b << " vs " << p.a;
    }
}

// Cross-check against dpkg itself where it is installed (Debian CI machines have it).
TEST(DebianVersion, AgreesWithDpkgCompareVersions) {
    if (std::system("command -v dpkg >/dev/null 2>&1") != 0) GTEST_SKIP() << "dpkg not installed";
    for (const auto& p : kDebianPairs) {
        if (std::string(p.a).empty() || std::string(p.b).empty()) continue;
        std::string cmd = std::string("dpkg --compare-versions '") + p.a + "' lt '" + p.b + "'";
        bool dpkg_lt = std::system(cmd.c_str()) == 0;
        EXPECT_EQ(dpkg_lt, compare_debian_versions(p.a, p.b) < 0) << p.a << " vs " << p.b;
    }
}

TEST(GenericVersion, NumericSegments) {
    EXPECT_LT(compare_versions("10.0.19044", "10.0.19045"), 0);
    EXPECT_GT(compare_versions("1.10", "1.9"), 0);
    EXPECT_LT(compare_versions("1.2", "1.2.1"), 0);
    EXPECT_EQ(compare_versions("8.0", "8.0"), 0);
    EXPECT_GT(compare_versions("1.1.1f", "1.1.1"), 0);
    EXPECT_GT(compare_versions("1.0", "1.rc"), 0);
    EXPECT_LT(compare_versions("20.04", "22.04"), 0);
}
