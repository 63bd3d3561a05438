// End of life of installed and announced software (web servers, PHP, OpenSSL, Tomcat,
// PostgreSQL): maps installed packages and HTTP Server banners to releases of the end-of-life
// feed, derives software.unsupported / software.eol_soon, and builds the replacement roadmap
// ("Ablöse-Roadmap") of an asset.
//
// Distribution support rule: Debian, Ubuntu, RHEL, SUSE & Co. backport security fixes into the
// upstream release they once shipped (nginx 1.22.1 in Debian 12 gets fixes from the Debian
// security team although upstream nginx 1.22 reached its end of life in 2023). A release
// installed as a distribution package is therefore judged by the distribution while that
// distribution is itself supported (os.support_phase regular or extended, from
// enrich_with_eol): it is "distribution-supported", never listed as unsupported or ending soon
// (the distribution's own end is what the GS-OPS113-OS-* rules report). Upstream dates count
// for: versions only known from an HTTP banner (no package inventory: self-built, vendor
// binaries, appliances), packages from third-party repositories that follow upstream
// (deb.sury.org, PGDG, Remi), and packages of a distribution that is past its end of life. When
// the distribution's support status is unknown (OS not in the feed), upstream-EOL packages are
// not judged at all (non-fatal issue) rather than guessed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "rules/results.hpp"
#include "scanner/core/dates.hpp"
#include "scanner/enrich/eol_feed.hpp"
#include "scanner/facts/fact.hpp"

namespace grundscan {

// A software release found on an asset.
struct SoftwareRelease {
    std::string product;                // feed product (file stem): "nginx", "php", ...
    std::vector<std::string> cycles;    // candidate feed cycles, most specific first
    std::string version;                // as installed/announced: "1.22.1-9+deb12u1", "1.22.1"
    std::string origin;                 // "package nginx-core", "HTTP Server header"
    bool distribution_package = false;  // installed from the OS distribution's repositories
};

// Maps one installed package (dpkg or rpm name and version, epoch allowed) to a software
// release; nullopt for packages this module does not track.
std::optional<SoftwareRelease> software_from_package(const std::string& name,
                                                     const std::string& version);

// Maps an HTTP Server banner product (nginx, apache) and version to a software release.
std::optional<SoftwareRelease> software_from_banner(const std::string& product,
                                                    const std::string& version);

// All tracked releases of an asset: one per product and cycle; packages win over the banner.
std::vector<SoftwareRelease> identify_software(const FactSet& facts);

// Adds software.unsupported and software.eol_soon ("product cycle (YYYY-MM-DD)") when at
// least one identified release could be judged against the feed (lists may be empty); no
// facts when nothing was identified. Releases the feed does not know add a non-fatal issue.
void enrich_with_software_eol(FactSet& facts, const EolFeed& feed, const Date& as_of,
                              int warning_days);

// Roadmap lines of one asset: its OS (from the os.eol_* facts of enrich_with_eol) and every
// identified software release found in the feed, sorted like sort_roadmap().
std::vector<RoadmapEntry> roadmap_for_asset(const FactSet& facts, const EolFeed& feed,
                                            const Date& as_of, const std::string& asset_id,
                                            const std::string& asset_name);

// Sorts by eol_date, earliest first (entries without an announced end last), then asset
// name, product and cycle.
void sort_roadmap(std::vector<RoadmapEntry>& roadmap);

}  // namespace grundscan
