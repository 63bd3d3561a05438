#include "scanner/core/text.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace grundscan::text {

const char* encoding_name(Encoding e) {
    switch (e) {
        case Encoding::Utf8:
            return "UTF-8";
        case Encoding::Utf8Bom:
            return "UTF-8 (BOM)";
        case Encoding::Utf16LE:
            return "UTF-16LE";
        case Encoding::Utf16BE:
            return "UTF-16BE";
    }
    return "?";
}

namespace {

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

Expected<std::string> utf16_to_utf8(std::string_view bytes, bool little_endian) {
    if (bytes.size() % 2 != 0) {
        return Error{"truncated UTF-16 text (odd number of bytes)"};
    }
    std::string out;
    out.reserve(bytes.size() / 2);
    auto unit = [&](std::size_t i) -> char16_t {
        auto lo = static_cast<unsigned char>(bytes[i]);
        auto hi = static_cast<unsigned char>(bytes[i + 1]);
        return little_endian ? static_cast<char16_t>(lo | (hi << 8))
                             : static_cast<char16_t>(hi | (lo << 8));
    };
    for (std::size_t i = 0; i < bytes.size(); i += 2) {
        char16_t u = unit(i);
        if (u == 0) return Error{"binary content: NUL character in UTF-16 text"};
        if (u >= 0xD800 && u <= 0xDBFF) {
            if (i + 3 >= bytes.size()) return Error{"truncated UTF-16 surrogate pair"};
            char16_t lo = unit(i + 2);
            if (lo < 0xDC00 || lo > 0xDFFF) return Error{"invalid UTF-16 surrogate pair"};
            append_utf8(out, 0x10000 + ((static_cast<char32_t>(u) - 0xD800) << 10) + (lo - 0xDC00));
            i += 2;
        } else if (u >= 0xDC00 && u <= 0xDFFF) {
            return Error{"invalid UTF-16 (lone low surrogate)"};
        } else {
            append_utf8(out, u);
        }
    }
    return out;
}

// Length of the valid UTF-8 sequence starting at s[i], or 0 if invalid.
std::size_t utf8_seq_len(std::string_view s, std::size_t i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) return 1;
    std::size_t n = 0;
    char32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
        n = 2;
        cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3;
        cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k) {
        auto cc = static_cast<unsigned char>(s[i + k]);
        if ((cc & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000)) return 0;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return n;
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        std::size_t n = utf8_seq_len(s, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

std::string sanitize_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        std::size_t n = utf8_seq_len(s, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
            continue;
        }
        auto c = static_cast<unsigned char>(s[i]);
        if (n == 1 && (c < 0x20 || c == 0x7F) && c != '\t' && c != '\n') {
            out.push_back('?');
        } else {
            out.append(s.substr(i, n));
        }
        i += n;
    }
    return out;
}

Expected<Decoded> decode(std::string_view bytes) {
    if (bytes.size() >= 2) {
        auto b0 = static_cast<unsigned char>(bytes[0]);
        auto b1 = static_cast<unsigned char>(bytes[1]);
        if (b0 == 0xFF && b1 == 0xFE) {
            auto r = utf16_to_utf8(bytes.substr(2), true);
            if (!r) return r.error();
            return Decoded{std::move(*r), Encoding::Utf16LE};
        }
        if (b0 == 0xFE && b1 == 0xFF) {
            auto r = utf16_to_utf8(bytes.substr(2), false);
            if (!r) return r.error();
            return Decoded{std::move(*r), Encoding::Utf16BE};
        }
    }
    Encoding enc = Encoding::Utf8;
    if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") {
        bytes.remove_prefix(3);
        enc = Encoding::Utf8Bom;
    }
    // UTF-16 without BOM: every other byte of ASCII text is NUL.
    if (enc == Encoding::Utf8 && bytes.size() >= 4) {
        std::size_t probe = std::min<std::size_t>(bytes.size() & ~std::size_t{1}, 512);
        std::size_t odd_nul = 0;
        std::size_t even_nul = 0;
        for (std::size_t i = 0; i < probe; ++i) {
            if (bytes[i] == '\0') (i % 2 ? odd_nul : even_nul)++;
        }
        if (odd_nul * 2 >= probe / 2 && even_nul == 0) {
            auto r = utf16_to_utf8(bytes, true);
            if (!r) return r.error();
            return Decoded{std::move(*r), Encoding::Utf16LE};
        }
        if (even_nul * 2 >= probe / 2 && odd_nul == 0) {
            auto r = utf16_to_utf8(bytes, false);
            if (!r) return r.error();
            return Decoded{std::move(*r), Encoding::Utf16BE};
        }
    }
    auto nul = bytes.find('\0');
    if (nul != std::string_view::npos) {
        return Error{"binary content (NUL byte at offset " + std::to_string(nul) +
                     "): not a text export"};
    }
    if (!is_valid_utf8(bytes)) {
        // Find the line of the first invalid byte for a useful message.
        std::size_t i = 0;
        while (i < bytes.size()) {
            std::size_t n = utf8_seq_len(bytes, i);
            if (n == 0) break;
            i += n;
        }
        int line = 1 + static_cast<int>(std::count(bytes.begin(), bytes.begin() + i, '\n'));
        return Error{"invalid UTF-8 (wrong encoding? expected UTF-8 or UTF-16 with BOM)", "", line};
    }
    return Decoded{std::string(bytes), enc};
}

std::string_view trim(std::string_view s) {
    const char* ws = " \t\r\n\f\v";
    auto b = s.find_first_not_of(ws);
    if (b == std::string_view::npos) return {};
    auto e = s.find_last_not_of(ws);
    return s.substr(b, e - b + 1);
}

std::string to_lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    }
    return true;
}

bool starts_with_icase(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

std::vector<std::string_view> split_lines(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (start <= s.size()) {
        auto nl = s.find('\n', start);
        std::string_view line =
            s.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (nl == std::string_view::npos) {
            if (!line.empty()) out.push_back(line);
            break;
        }
        out.push_back(line);
        start = nl + 1;
    }
    return out;
}

std::vector<std::string_view> split_ws(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
        std::size_t b = i;
        while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
        if (i > b) out.push_back(s.substr(b, i - b));
    }
    return out;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (true) {
        auto p = s.find(sep, start);
        if (p == std::string_view::npos) {
            out.push_back(s.substr(start));
            return out;
        }
        out.push_back(s.substr(start, p - start));
        start = p + 1;
    }
}

bool parse_int(std::string_view s, long long& out) {
    s = trim(s);
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    if (s.empty()) return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

std::string_view unquote(std::string_view s) {
    if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front()) {
        return s.substr(1, s.size() - 2);
    }
    return s;
}

}  // namespace grundscan::text
