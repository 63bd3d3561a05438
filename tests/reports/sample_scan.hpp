// The sample scan the report tests share: rules, one municipality "musterstadt" with a server
// (srv-01) and a client (ws-02), and the helpers to build results. Each test adds what its format
// needs (evidence, waivers, issues, further municipalities) and then scores the scan.
#pragma once

#include <unistd.h>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "reports/writer.hpp"
#include "rules/scoring.hpp"

namespace grundscan::testing {

// A fresh directory name for one test: <tmp>/<prefix>-<pid>-<test name>, removed if present.
inline std::filesystem::path fresh_test_dir(const std::string& prefix) {
    auto dir = std::filesystem::temp_directory_path() /
               (prefix + "-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    return dir;
}

inline RuleResult result(const std::string& rule, ResultState st, const std::string& msg) {
    RuleResult r;
    r.rule_id = rule;
    r.state = st;
    r.message = msg;
    return r;
}

// A passing password-length result with its secedit.inf evidence (line 14).
inline RuleResult min_length_pass(const std::string& rule, const std::string& msg,
                                  const std::string& value, const std::string& file,
                                  const std::string& excerpt) {
    RuleResult r = result(rule, ResultState::Pass, msg);
    r.evidence.push_back(
        Evidence{"win.password.min_length", value, {file, 14, "secedit-inf", excerpt}});
    return r;
}

// Requirement references with the given ids (and a generic "checks" text).
inline std::vector<RequirementRef> requirement_refs(const std::vector<std::string>& ids) {
    std::vector<RequirementRef> out;
    for (const auto& id : ids)
        out.push_back(RequirementRef{id, {"prüft " + id, "checks " + id}, false, {}, 0});
    return out;
}

// Grundschutz++ Kernel controls with the given ids.
inline std::vector<ControlRef> kernel_controls(const std::vector<std::string>& ids) {
    std::vector<ControlRef> out;
    for (const auto& id : ids) out.push_back(ControlRef{"kernel", id});
    return out;
}

// A rule with reference <module>.A1 and generic rationale and remediation texts.
inline Rule sample_rule(const std::string& id, const std::string& module, Severity sev,
                        const std::string& title_de, const std::string& title_en) {
    Rule r;
    r.id = id;
    r.module = module;
    r.references = requirement_refs({module + ".A1"});
    r.severity = sev;
    r.title = {title_de, title_en};
    r.rationale = {"Begründung für " + id, "Rationale for " + id};
    r.remediation = {"Maßnahme für " + id, "Remediation for " + id};
    return r;
}

// BSI coverage as a scan with the catalogue computes it (hand-built scans have none): 40
// modelled requirements, 9 with an automated check, 7 of those checked; CON.1 has no automated
// check at all ("nicht automatisch prüfbar").
inline BsiCoverage sample_coverage() {
    BsiCoverage c;
    c.bausteine = {{"ORP.4", "Identitäts- und Berechtigungsmanagement", 25, 9, 7},
                   {"CON.1", "Kryptokonzept", 15, 0, 0}};
    c.modelled = 40;
    c.checkable = 9;
    c.checked = 7;
    c.basis_modelled = 18;
    c.basis_checked = 5;
    return c;
}

struct SampleOptions {
    std::string tool_version = "0.1.0";
    std::string started_at = "2024-05-01T10:00:00Z";
    std::string finished_at;
    std::string as_of = "2024-05-01";
    std::string org_name = "Landkreis <Muster>";
    std::string score_model;
    std::string pack_version = "2024.1";
    std::string municipality_name = "Musterstadt & Umland";
    std::string server_name;
    std::string client_name = "Arbeitsplatz 2";
    std::vector<RuleResult> server_results;
    std::vector<RuleResult> client_results;

    // The later sample (tool 0.3.0, 23 Nov 2026, weighted scores).
    static SampleOptions late() {
        SampleOptions o;
        o.tool_version = "0.3.0";
        o.started_at = "2026-11-23T08:00:00Z";
        o.finished_at = "2026-11-23T08:00:07Z";
        o.as_of = "2026-11-23";
        o.org_name = "Landkreis Muster";
        o.score_model = "weighted";
        o.pack_version = "2026.1";
        o.municipality_name = "Musterstadt";
        o.server_name = "Server 1";
        return o;
    }
};

// The rules and the scan that points into them; moving keeps the pointers valid, copying would not.
struct SampleScan {
    std::vector<Rule> rules;
    ScanResult scan;

    SampleScan() = default;
    SampleScan(const SampleScan&) = delete;
    SampleScan& operator=(const SampleScan&) = delete;
    SampleScan(SampleScan&&) = default;
    SampleScan& operator=(SampleScan&&) = default;

    AssetResult& server() { return scan.municipalities.front().assets.at(0); }
    AssetResult& client() { return scan.municipalities.front().assets.at(1); }
};

// Not yet scored: callers add their tweaks, then call score_scan(sample.scan, ...).
inline SampleScan make_sample_scan(std::vector<Rule> rules, SampleOptions o) {
    SampleScan s;
    s.rules = std::move(rules);
    for (const auto& r : s.rules) s.scan.rules.push_back(&r);

    s.scan.tool_version = o.tool_version;
    s.scan.started_at = o.started_at;
    s.scan.finished_at = o.finished_at;
    s.scan.as_of = o.as_of;
    s.scan.org_id = "lk";
    s.scan.org_name = o.org_name;
    s.scan.score_model = o.score_model;
    s.scan.packs = {{"grundschutz-basis", o.pack_version}};

    MunicipalityResult mun;
    mun.id = "musterstadt";
    mun.name = o.municipality_name;
    mun.ags = "09162000";
    AssetResult server;
    server.id = "srv-01";
    server.name = o.server_name;
    server.kind = "windows-server";
    server.results = std::move(o.server_results);
    AssetResult client;
    client.id = "ws-02";
    client.name = o.client_name;
    client.kind = "windows-client";
    client.results = std::move(o.client_results);
    mun.assets = {std::move(server), std::move(client)};
    s.scan.municipalities.push_back(std::move(mun));
    return s;
}

}  // namespace grundscan::testing
