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
        case Encoding::Cp850:
            return "CP850";
        case Encoding::Windows1252:
            return "Windows-1252";
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

// clang-format off
// Bytes 0x80..0xFF of Cp850 as Unicode code points (0xFFFD = undefined).
constexpr char16_t kCp850[128] = {
    0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7,
    0x00EA, 0x00EB, 0x00E8, 0x00EF, 0x00EE, 0x00EC, 0x00C4, 0x00C5,
    0x00C9, 0x00E6, 0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB, 0x00F9,
    0x00FF, 0x00D6, 0x00DC, 0x00F8, 0x00A3, 0x00D8, 0x00D7, 0x0192,
    0x00E1, 0x00ED, 0x00F3, 0x00FA, 0x00F1, 0x00D1, 0x00AA, 0x00BA,
    0x00BF, 0x00AE, 0x00AC, 0x00BD, 0x00BC, 0x00A1, 0x00AB, 0x00BB,
    0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x00C1, 0x00C2, 0x00C0,
    0x00A9, 0x2563, 0x2551, 0x2557, 0x255D, 0x00A2, 0x00A5, 0x2510,
    0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x00E3, 0x00C3,
    0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x00A4,
    0x00F0, 0x00D0, 0x00CA, 0x00CB, 0x00C8, 0x0131, 0x00CD, 0x00CE,
    0x00CF, 0x2518, 0x250C, 0x2588, 0x2584, 0x00A6, 0x00CC, 0x2580,
    0x00D3, 0x00DF, 0x00D4, 0x00D2, 0x00F5, 0x00D5, 0x00B5, 0x00FE,
    0x00DE, 0x00DA, 0x00DB, 0x00D9, 0x00FD, 0x00DD, 0x00AF, 0x00B4,
    0x00AD, 0x00B1, 0x2017, 0x00BE, 0x00B6, 0x00A7, 0x00F7, 0x00B8,
    0x00B0, 0x00A8, 0x00B7, 0x00B9, 0x00B3, 0x00B2, 0x25A0, 0x00A0,
};

// Bytes 0x80..0xFF of Cp1252 as Unicode code points (0xFFFD = undefined).
constexpr char16_t kCp1252[128] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
    0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
    0x00A0, 0x00A1, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7,
    0x00A8, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF,
    0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7,
    0x00B8, 0x00B9, 0x00BA, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00BF,
    0x00C0, 0x00C1, 0x00C2, 0x00C3, 0x00C4, 0x00C5, 0x00C6, 0x00C7,
    0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x00CC, 0x00CD, 0x00CE, 0x00CF,
    0x00D0, 0x00D1, 0x00D2, 0x00D3, 0x00D4, 0x00D5, 0x00D6, 0x00D7,
    0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x00DD, 0x00DE, 0x00DF,
    0x00E0, 0x00E1, 0x00E2, 0x00E3, 0x00E4, 0x00E5, 0x00E6, 0x00E7,
    0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x00EC, 0x00ED, 0x00EE, 0x00EF,
    0x00F0, 0x00F1, 0x00F2, 0x00F3, 0x00F4, 0x00F5, 0x00F6, 0x00F7,
    0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x00FD, 0x00FE, 0x00FF,
};
// clang-format on

// Decodes 8-bit `bytes` with `table` (for bytes >= 0x80) to UTF-8.
std::string legacy_to_utf8(std::string_view bytes, const char16_t (&table)[128]) {
    std::string out;
    out.reserve(bytes.size() + bytes.size() / 8);
    for (char c : bytes) {
        auto b = static_cast<unsigned char>(c);
        append_utf8(out, b < 0x80 ? b : table[b - 0x80]);
    }
    return out;
}

// Picks the legacy Windows code page that explains `bytes` better: German umlauts and ß are
// 0x84 0x94 0x81 0x8E 0x99 0x9A 0xE1 in CP850 (cmd.exe output) and 0xE4 0xF6 0xFC 0xC4 0xD6
// 0xDC 0xDF in Windows-1252 (editors, PowerShell ISE).
Encoding guess_legacy(std::string_view bytes) {
    int cp850 = 0, cp1252 = 0;
    for (char c : bytes) {
        switch (static_cast<unsigned char>(c)) {
            case 0x84:
            case 0x94:
            case 0x81:
            case 0x8E:
            case 0x99:
            case 0x9A:
            case 0xE1:
                ++cp850;
                break;
            case 0xE4:
            case 0xF6:
            case 0xFC:
            case 0xC4:
            case 0xD6:
            case 0xDC:
            case 0xDF:
                ++cp1252;
                break;
            default:
                break;
        }
    }
    return cp850 > cp1252 ? Encoding::Cp850 : Encoding::Windows1252;
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

std::size_t first_invalid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        std::size_t n = utf8_seq_len(s, i);
        if (n == 0) return i;
        i += n;
    }
    return i;
}

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
        // Not UTF-8: German Windows tools write their legacy code page (cmd.exe: CP850).
        Encoding legacy = enc == Encoding::Utf8Bom ? Encoding::Windows1252 : guess_legacy(bytes);
        return Decoded{legacy_to_utf8(bytes, legacy == Encoding::Cp850 ? kCp850 : kCp1252), legacy};
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

Expected<std::vector<std::string_view>> split_lines_within(std::string_view s,
                                                           std::size_t max_lines,
                                                           std::size_t max_line_length) {
    auto lines = split_lines(s);
    if (lines.size() > max_lines)
        return Error{"too many lines (" + std::to_string(lines.size()) + ", limit " +
                         std::to_string(max_lines) + ")",
                     "", 0};
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].size() > max_line_length)
            return Error{"line longer than " + std::to_string(max_line_length) + " characters", "",
                         static_cast<int>(i) + 1};
    }
    return lines;
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
