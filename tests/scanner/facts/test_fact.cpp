// FactSet merges facts from several exports by meaning, never by the order they arrive in
// (issue 9, point 3).
#include "scanner/facts/fact.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace grundscan {
namespace {

Fact make(std::string name, FactValue v, std::string source, int line = 1, int priority = 0) {
    return Fact{std::move(name), std::move(v), Provenance{std::move(source), line, "test", ""},
                priority};
}

// Adds `facts` in every order and returns the resulting sets.
std::vector<FactSet> in_every_order(std::vector<Fact> facts) {
    std::vector<std::size_t> idx(facts.size());
    for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    std::vector<FactSet> out;
    do {
        FactSet fs;
        for (auto i : idx) fs.add(facts[i]);
        out.push_back(std::move(fs));
    } while (std::next_permutation(idx.begin(), idx.end()));
    return out;
}

TEST(FactSet, EqualValuesKeepTheSameProvenanceInAnyOrder) {
    for (const auto& fs :
         in_every_order({make("os.build", std::int64_t{20348}, "systeminfo.txt", 14),
                         make("os.build", std::int64_t{20348}, "currentversion.txt", 3)})) {
        ASSERT_NE(fs.find("os.build"), nullptr);
        EXPECT_EQ(fs.find("os.build")->provenance.source, "currentversion.txt");
        EXPECT_TRUE(fs.conflicts().empty());
    }
}

TEST(FactSet, StringsThatDifferOnlyInCaseAgree) {
    FactSet fs;
    fs.add(make("host.name", std::string("LRA-DC01"), "systeminfo.txt"));
    fs.add(make("host.name", std::string("lra-dc01"), "gpresult.xml"));
    EXPECT_NE(fs.find("host.name"), nullptr);
}

TEST(FactSet, ContradictionWithholdsTheFactInAnyOrder) {
    for (const auto& fs :
         in_every_order({make("os.release", std::string("2022"), "systeminfo.txt", 14),
                         make("os.release", std::string("21H2"), "currentversion.txt", 3),
                         make("os.release", std::string("2022"), "other.txt", 2)})) {
        EXPECT_EQ(fs.find("os.release"), nullptr);
        const FactConflict* c = fs.conflict("os.release");
        ASSERT_NE(c, nullptr);
        ASSERT_EQ(c->values.size(), 2u) << "distinct values only";
        EXPECT_EQ(c->values[0].provenance.source, "currentversion.txt");
    }
}

TEST(FactSet, HigherPrioritySettlesAConflict) {
    for (const auto& fs :
         in_every_order({make("ssh.max_auth_tries", std::int64_t{6}, "a.conf"),
                         make("ssh.max_auth_tries", std::int64_t{3}, "b.conf"),
                         make("ssh.max_auth_tries", std::int64_t{4}, "sshd-T.txt", 1, 50)})) {
        ASSERT_NE(fs.find("ssh.max_auth_tries"), nullptr);
        EXPECT_EQ(std::get<std::int64_t>(fs.find("ssh.max_auth_tries")->value), 4);
        EXPECT_EQ(fs.conflict("ssh.max_auth_tries"), nullptr);
    }
}

TEST(FactSet, DeclaredMergesCombineByMeaning) {
    for (const auto& fs :
         in_every_order({make("patches.installed", StringList{"KB5", "KB1"}, "systeminfo.txt"),
                         make("patches.installed", StringList{"KB1", "KB7"}, "wmic_qfe.txt"),
                         make("patches.count", std::int64_t{2}, "systeminfo.txt"),
                         make("patches.count", std::int64_t{7}, "wmic_qfe.txt")})) {
        ASSERT_NE(fs.find("patches.installed"), nullptr);
        EXPECT_EQ(std::get<StringList>(fs.find("patches.installed")->value),
                  (StringList{"KB1", "KB5", "KB7"}));
        ASSERT_NE(fs.find("patches.count"), nullptr);
        EXPECT_EQ(std::get<std::int64_t>(fs.find("patches.count")->value), 7);
    }
}

}  // namespace
}  // namespace grundscan

namespace grundscan {
namespace {

TEST(FactSet, DerivedFactsInheritTheExportsDay) {
    FactSet fs;
    fs.add(Fact{"os.support_phase", std::string("regular"),
                Provenance{"feeds/endoflife/windows.md", 3, "eol-feed", ""}, 0});
    fs.add(Fact{"os.build", std::int64_t{19045},
                Provenance{"systeminfo.txt", 4, "systeminfo", "", "2026-08-20"}, 0});
    fs.inherit_observed_at("eol-feed", "2026-08-20");
    EXPECT_EQ(fs.find("os.support_phase")->provenance.observed_at, "2026-08-20");
    fs.inherit_observed_at("systeminfo", "2026-11-01");  // a known day is never replaced
    EXPECT_EQ(fs.find("os.build")->provenance.observed_at, "2026-08-20");
}

}  // namespace
}  // namespace grundscan
