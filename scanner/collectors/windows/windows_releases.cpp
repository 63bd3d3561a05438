// Windows feature releases by build number (shared by the systeminfo and windows-version
// collectors, so that both name a release the same way).
#include <string_view>

#include "scanner/collectors/windows/windows_collectors.hpp"

namespace grundscan {

namespace {

struct ReleaseEntry {
    long long build;
    std::string_view release;
};

constexpr ReleaseEntry kClientReleases[] = {
    {7601, "SP1"},   {9200, "8"},     {9600, "8.1"},   {10240, "1507"}, {10586, "1511"},
    {14393, "1607"}, {15063, "1703"}, {16299, "1709"}, {17134, "1803"}, {17763, "1809"},
    {18362, "1903"}, {18363, "1909"}, {19041, "2004"}, {19042, "20H2"}, {19043, "21H1"},
    {19044, "21H2"}, {19045, "22H2"}, {22000, "21H2"}, {22621, "22H2"}, {22631, "23H2"},
    {26100, "24H2"}, {26200, "25H2"},
};

constexpr ReleaseEntry kServerReleases[] = {
    {7601, "2008 R2 SP1"}, {9200, "2012"},  {9600, "2012 R2"}, {14393, "2016"},
    {17763, "2019"},       {20348, "2022"}, {26100, "2025"},
};

}  // namespace

std::string_view windows_release_for_build(long long build, bool server) {
    if (server) {
        for (const auto& r : kServerReleases)
            if (r.build == build) return r.release;
    }
    for (const auto& r : kClientReleases)
        if (r.build == build) return r.release;
    return {};
}

}  // namespace grundscan
