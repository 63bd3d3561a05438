#include "scanner/core/version.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
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

// A large table: every version found in the project's dpkg status files (fixtures and examples)
// compared with its neighbours and some tricky forms, checked against dpkg itself in one batch.
TEST(DebianVersion, LargeTableAgreesWithDpkg) {
    if (std::system("command -v dpkg >/dev/null 2>&1") != 0) GTEST_SKIP() << "dpkg not installed";
    namespace fs = std::filesystem;
    std::set<std::string> versions = {"1:1.0~rc1-1",      "1.0+dfsg-1~bpo11+1", "2:1.0",
                                      "0.9~~a",           "1.0a+b~c-0ubuntu1",  "10.0.19045",
                                      "3.0.11-1~deb12u2", "3.0.13-1~deb12u1",   "1.2.3-4+b1"};
    for (const auto& root : {fs::path(GRUNDSCAN_SOURCE_DIR) / "tests/fixtures",
                             fs::path(GRUNDSCAN_SOURCE_DIR) / "examples"}) {
        for (const auto& e : fs::recursive_directory_iterator(root)) {
            if (!e.is_regular_file() ||
                e.path().filename().string().find("status") == std::string::npos)
                continue;
            std::ifstream in(e.path());
            std::string line;
            while (std::getline(in, line)) {
                if (line.rfind("Version: ", 0) == 0) versions.insert(line.substr(9));
            }
        }
    }
    std::vector<std::string> v(versions.begin(), versions.end());
    ASSERT_GE(v.size(), 40u);
    std::vector<std::pair<std::string, std::string>> pairs;
    for (std::size_t i = 0; i < v.size(); ++i)
        for (std::size_t k = 1; k <= 6 && i + k < v.size(); ++k) pairs.emplace_back(v[i], v[i + k]);
    auto dir = fs::temp_directory_path() / ("gs-dpkg-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    {
        std::ofstream list(dir / "pairs");
        for (const auto& [a, b] : pairs) list << a << ' ' << b << '\n';
    }
    std::string cmd =
        "while read a b; do if dpkg --compare-versions \"$a\" lt \"$b\"; then echo lt; "
        "elif dpkg --compare-versions \"$a\" eq \"$b\"; then echo eq; else echo gt; fi; done < '" +
        (dir / "pairs").string() + "' > '" + (dir / "out").string() + "'";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    std::ifstream res(dir / "out");
    std::string r;
    std::size_t i = 0, agree = 0;
    while (std::getline(res, r) && i < pairs.size()) {
        int ours = compare_debian_versions(pairs[i].first, pairs[i].second);
        std::string mine = ours < 0 ? "lt" : ours == 0 ? "eq" : "gt";
        EXPECT_EQ(mine, r) << pairs[i].first << " vs " << pairs[i].second;
        agree += mine == r;
        ++i;
    }
    EXPECT_EQ(i, pairs.size());
    EXPECT_EQ(agree, pairs.size());
    fs::remove_all(dir);
}

namespace grundscan {
namespace {

// Cases from rpm's own rpmvercmp test suite (tests/rpmvercmp.at) and Red Hat EVRs.
TEST(RpmVersion, RpmvercmpOrder) {
    auto cmp = [](const char* a, const char* b) { return compare_rpm_versions(a, b); };
    EXPECT_EQ(cmp("1.0", "1.0"), 0);
    EXPECT_LT(cmp("1.0", "2.0"), 0);
    EXPECT_GT(cmp("2.0.1", "2.0"), 0);
    EXPECT_GT(cmp("2.0.1a", "2.0.1"), 0);
    EXPECT_LT(cmp("5.5p1", "5.5p2"), 0);
    EXPECT_LT(cmp("5.5p1", "5.5p10"), 0);
    EXPECT_LT(cmp("10xyz", "10.1xyz"), 0);
    EXPECT_LT(cmp("xyz10", "xyz10.1"), 0);
    EXPECT_LT(cmp("2a", "2.0"), 0);  // numeric segment beats an alphabetic one
    EXPECT_GT(cmp("1.0aa", "1.0a"), 0);
    EXPECT_EQ(cmp("1.0010", "1.10"), 0);  // leading zeros
    EXPECT_EQ(cmp("2_0", "2.0"), 0);      // separators do not matter
    EXPECT_LT(cmp("1.0~rc1", "1.0"), 0);
    EXPECT_LT(cmp("1.0~rc1", "1.0~rc2"), 0);
    EXPECT_GT(cmp("1.0^", "1.0"), 0);
    EXPECT_LT(cmp("1.0^git1", "1.01"), 0);
    EXPECT_GT(cmp("1.0^git1", "1.0~rc1"), 0);
    // EVRs as Red Hat OVAL and rpm -qa write them.
    EXPECT_GT(cmp("0:1.18.4-6.el9", "1.18.4-5.el9"), 0);
    EXPECT_EQ(cmp("0:1.18.4-6.el9", "1.18.4-6.el9"), 0);
    EXPECT_GT(cmp("1:1.0-1", "2.0-1"), 0);
    EXPECT_LT(cmp("102.15.0-1.el9_2", "0:102.15.1-1.el9_2"), 0);
    EXPECT_LT(cmp("1.2.11-31.el9", "1.2.11-31.el9_0.1"), 0);
    EXPECT_LT(cmp("1.2.11-31.el9_0.1", "1.2.11-31.el9_0.2"), 0);
    EXPECT_GT(cmp("1.2.11-40.el9", "0:1.2.11-31.el9_0.1"), 0);
    EXPECT_EQ(cmp("1.2.11", "1.2.11-31.el9"), 0);  // no release on one side
}

}  // namespace
}  // namespace grundscan
