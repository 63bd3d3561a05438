// os-release collector: shell-style KEY=value assignments (os-release(5)).
#include <map>
#include <string>

#include "scanner/collectors/linux/linux_collectors.hpp"
#include "scanner/core/text.hpp"

namespace grundscan {

namespace {

struct Entry {
    std::string value;
    int line = 0;
    std::string excerpt;
};

bool is_key(std::string_view k) {
    if (k.empty()) return false;
    for (std::size_t i = 0; i < k.size(); ++i) {
        char c = k[i];
        bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
        bool digit = c >= '0' && c <= '9';
        if (!alpha && !(digit && i > 0)) return false;
    }
    return true;
}

// Decodes a shell-style value: "double quoted" (with \" \\ \$ \` escapes), 'single quoted'
// or bare. Returns false when a quote is not closed.
bool decode_value(std::string_view v, std::string& out) {
    out.clear();
    if (v.empty()) return true;
    char q = v.front();
    if (q != '"' && q != '\'') {
        // Bare values may still carry backslash escapes; keep the escaped character.
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (v[i] == '\\' && i + 1 < v.size()) ++i;
            out.push_back(v[i]);
        }
        return true;
    }
    for (std::size_t i = 1; i < v.size(); ++i) {
        char c = v[i];
        if (c == q) return text::trim(v.substr(i + 1)).empty();
        if (q == '"' && c == '\\' && i + 1 < v.size()) {
            char n = v[i + 1];
            if (n == '"' || n == '\\' || n == '$' || n == '`') {
                out.push_back(n);
                ++i;
                continue;
            }
        }
        out.push_back(c);
    }
    return false;
}

bool detect(std::string_view text, std::string_view filename) {
    if (filename.find("os-release") != std::string_view::npos) return true;
    // Content: an ID= line and a NAME=/PRETTY_NAME=/VERSION_ID= line at line starts.
    bool id = false, name = false;
    for (auto line : text::split_lines(text)) {
        auto t = text::trim(line);
        if (t.starts_with("ID=")) id = true;
        if (t.starts_with("NAME=") || t.starts_with("PRETTY_NAME=") || t.starts_with("VERSION_ID="))
            name = true;
    }
    return id && name;
}

}  // namespace

// Facts: os.family, os.id (ID), os.version (VERSION_ID), os.name (PRETTY_NAME, else NAME).
// Later assignments of a key override earlier ones (shell semantics). Lines that are not
// assignments are reported as warnings. No ID and no NAME: Error.
Expected<ParseOutput> parse_os_release(std::string_view text) {
    ParseOutput out;
    std::map<std::string, Entry> vars;
    auto lines = text::split_lines(text);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        int lineno = static_cast<int>(i) + 1;
        auto t = text::trim(lines[i]);
        if (t.empty() || t.front() == '#') continue;
        auto eq = t.find('=');
        if (eq == std::string_view::npos || !is_key(t.substr(0, eq))) {
            out.warn("not a KEY=value assignment: " + std::string(t), lineno);
            continue;
        }
        std::string value;
        if (!decode_value(t.substr(eq + 1), value)) {
            out.warn("unterminated quote in value: " + std::string(t), lineno);
            continue;
        }
        vars[std::string(t.substr(0, eq))] = Entry{std::move(value), lineno, std::string(t)};
    }

    auto get = [&](const char* key) -> const Entry* {
        auto it = vars.find(key);
        return it == vars.end() || it->second.value.empty() ? nullptr : &it->second;
    };
    const Entry* id = get("ID");
    const Entry* name = get("NAME");
    if (!id && !name) {
        return Error{"not an os-release file: neither ID= nor NAME= is set", "", 0};
    }
    const Entry* anchor = id ? id : name;
    out.add("os.family", std::string("linux"), anchor->line, anchor->excerpt);
    if (id) {
        out.add("os.id", id->value, id->line, id->excerpt);
    } else {
        out.warn("ID= is not set; the distribution id is unknown");
    }
    if (const Entry* v = get("VERSION_ID")) out.add("os.version", v->value, v->line, v->excerpt);
    const Entry* pretty = get("PRETTY_NAME");
    const Entry* shown = pretty ? pretty : name;
    if (shown) out.add("os.name", shown->value, shown->line, shown->excerpt);
    return out;
}

const CollectorInfo& os_release_collector() {
    static const CollectorInfo c{"os-release",
                                 "Linux /etc/os-release (distribution id, version, name)", &detect,
                                 &parse_os_release};
    return c;
}

}  // namespace grundscan
