// Red Hat OVAL v2 patch definitions (security.access.redhat.com/data/oval/v2/RHEL<N>/
// rhel-<N>.oval.xml.bz2, stored unpacked as <feeds>/redhat/rhel-<N>.oval.xml by `feeds update`)
// and the enrichment that turns a RHEL host's rpm package list into vulns.* facts.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/core/dates.hpp"
#include "scanner/core/expected.hpp"
#include "scanner/enrich/vuln_feed.hpp"
#include "scanner/facts/fact.hpp"

namespace grundscan {

// Limits of the parser: a larger file or deeper criteria is an Error (no partial data).
inline constexpr std::size_t kRhelOvalMaxBytes = std::size_t{1} << 30;  // 1 GiB unpacked
inline constexpr int kRhelOvalMaxDepth = 32;                            // nested <criteria>

struct OvalCve {
    std::string id;
    double cvss = -1;       // CVSS v3 base score of Red Hat's rating (cvss3), else cvss2; -1
    std::string impact;     // Red Hat impact: "critical", "important", "moderate", "low"
    std::string published;  // "public" attribute (YYYYMMDD), as given
};

// A <criteria> (All / Any) or <criterion> (Test) node. Tests are classified by the comment
// Red Hat generates for them ("firefox is earlier than 0:102.15.1-1.el9_2", "... is signed with
// Red Hat redhatrelease2 key", "Red Hat Enterprise Linux 9 is installed", "Module
// postgresql:15 is enabled"), as other OVAL consumers do; the test elements themselves are not
// read (the comment states exactly what they test).
struct OvalNode {
    enum class Kind { All, Any, Test };
    // What a Test checks, read from its comment.
    enum class Test {
        PackageBelow,  // "<name> is earlier than <evr>"
        Signed,        // "<name> is signed with Red Hat <key> key"
        Release,       // "Red Hat Enterprise Linux <value> is installed"
        NotRhel,       // "Red Hat Enterprise Linux must be installed" (true where RHEL is not)
        Module,        // "Module <value> is enabled" (value "postgresql:15")
        Installed,     // "<name> is installed"
        Unknown,
    };
    Kind kind = Kind::Test;
    bool negate = false;
    Test test = Test::Unknown;
    std::string comment;
    std::string name, value;  // package name; fixed EVR, release or module:stream
    std::vector<OvalNode> children;
};

struct OvalDefinition {
    std::string id;              // oval:com.redhat.rhsa:def:20235214
    std::string advisory;        // RHSA-2023:5214
    std::string severity;        // advisory severity ("Important")
    std::optional<Date> issued;  // advisory issue date: when the fixed packages were published
    std::vector<OvalCve> cves;
    OvalNode criteria;
    int line = 0;
};

struct RhelOval {
    std::string file;                // as shown in evidence, e.g. "feeds/redhat/rhel-9.oval.xml"
    std::set<std::string> releases;  // major releases named by <platform> ("9")
    std::vector<OvalDefinition> definitions;  // class "patch" only
    std::optional<Date> data_date;            // generator timestamp of the file
    // From the feed directory's records (apply_rhel_feed_info in scanner/feeds/feed_store.hpp):
    // "complete" (a `feeds update` download), "excerpt" (the shipped snapshot) or "" (unknown).
    std::string coverage;
    std::string coverage_note;
};

// Parses a Red Hat OVAL definitions file. Not XML, not <oval_definitions>, larger than
// kRhelOvalMaxBytes or criteria nested deeper than kRhelOvalMaxDepth: Error naming the file.
Expected<RhelOval> parse_rhel_oval(std::string_view text, const std::string& file);
// Loads one file; evidence names it by its last three path parts.
Expected<RhelOval> load_rhel_oval(const std::filesystem::path& path);

// The loaded files by major release ("8", "9"), from <dir>/rhel-<N>.oval.xml; files that fail
// to load are skipped with their error in `errors`.
struct RhelOvalSet {
    std::map<std::string, RhelOval> by_release;
    std::string dir = "redhat";  // shown in issues when a release has no file
};
RhelOvalSet load_rhel_ovals(const std::filesystem::path& dir, std::vector<std::string>& errors);

// One definition that applies to the installed packages.
struct RhelVulnMatch {
    const OvalDefinition* definition = nullptr;
    std::string package, installed, fixed;  // the first installed package below its fix
    bool unknown = false;  // some condition could not be checked; counted as applying
    std::string excerpt;   // "libwebp 1.2.0-6.el9_1 < 0:1.2.0-7.el9_2 (RHSA-2023:5214, ...)"
};

// Every patch definition of `oval` whose criteria hold for the installed `packages` (rpm
// package list: name → [epoch:]version-release; "name.arch" keys for further architectures),
// for a host of major release `major`. Package tests compare with compare_rpm_versions;
// "signed with Red Hat key" is taken as true for an installed package (the package list
// shows no signatures); "Module M:S is enabled" is true when an installed package named M or
// M-* is a modular build ("module+el" in its release) of stream S; unrecognised tests are
// unknown, and a definition that may apply only through them is returned with `unknown` set.
std::vector<RhelVulnMatch> match_rhel_oval(const StringMap& packages, const RhelOval& oval,
                                           const std::string& major);

// For os.id "rhel" with packages.manager "rpm": the vulns.* facts from the Red Hat OVAL file of
// the host's major release, with the same meaning as for the Debian tracker (collector
// "rhel-oval"): vulns.open_cves (CVEs of applying definitions whose fix was published at least
// `grace_days` days before `as_of`), vulns.pending_cves (those whose fix is younger),
// vulns.kev_cves / vulns.critical_count (open CVEs KEV-listed or with CVSS >= 9.0, each
// counted once) and vulns.high_count (open CVEs with CVSS 7.0-8.9, or without a score Red Hat
// impact "important", that are not critical). Without a usable KEV catalog: no kev_cves and no
// critical_count (an issue says why), the high count then leaves out only CVSS >= 9.0.
// Not tested is represented by absent facts plus one non-fatal SourceIssue (line 0, collector
// "rhel-oval") whose `explains` lists them: no file for the release, a file not known to be
// complete (the shipped excerpt), a file for another release, unknown or too old data (more
// than `max_age_days` before `as_of`). Hosts other than RHEL: nothing.
void enrich_with_rhel_vulns(FactSet& facts, const RhelOvalSet& ovals, const KevCatalog& kev,
                            const Date& as_of, int max_age_days, int grace_days);

}  // namespace grundscan
