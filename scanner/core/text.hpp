// Text helpers shared by all collectors: decoding exports to UTF-8, splitting, trimming.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/core/expected.hpp"

namespace grundscan::text {

enum class Encoding { Utf8, Utf8Bom, Utf16LE, Utf16BE, Cp850, Windows1252 };

// True for the legacy 8-bit code pages (decoded by guess; worth a note in the report).
inline bool is_legacy(Encoding e) {
    return e == Encoding::Cp850 || e == Encoding::Windows1252;
}

// Human-readable name of `e` ("UTF-16LE", ...).
const char* encoding_name(Encoding e);

// Result of decoding raw bytes of an export.
struct Decoded {
    std::string utf8;   // content as UTF-8, BOM removed, line endings unchanged
    Encoding encoding;  // what the bytes were
};

// Detects the encoding of `bytes` by BOM and byte patterns (never by what the file claims
// about itself, e.g. "[Unicode] Unicode=yes" or encoding="utf-16") and converts to UTF-8.
// 8-bit text that is not valid UTF-8 is read as CP850 or Windows-1252, whichever explains
// the German letters in it better. Fails on binary content (NUL bytes in 8-bit text) and
// broken UTF-16.
Expected<Decoded> decode(std::string_view bytes);

// True if `s` is valid UTF-8.
bool is_valid_utf8(std::string_view s);

// Offset of the first byte that is not part of a valid UTF-8 sequence (s.size() if none).
std::size_t first_invalid_utf8(std::string_view s);

// Replaces invalid UTF-8 sequences and control characters (except \t \n) with U+FFFD / '?'.
std::string sanitize_utf8(std::string_view s);

std::string_view trim(std::string_view s);
std::string to_lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
bool starts_with_icase(std::string_view s, std::string_view prefix);

// Splits `s` into lines; strips a trailing '\r' from each. Keeps empty lines.
std::vector<std::string_view> split_lines(std::string_view s);
// split_lines() for a parser with limits: an Error (with the line number where it applies) when
// `s` has more than `max_lines` lines or a line longer than `max_line_length` bytes.
Expected<std::vector<std::string_view>> split_lines_within(std::string_view s,
                                                           std::size_t max_lines,
                                                           std::size_t max_line_length);

// Splits on any run of spaces or tabs; no empty fields.
std::vector<std::string_view> split_ws(std::string_view s);

// Splits on `sep`; keeps empty fields.
std::vector<std::string_view> split(std::string_view s, char sep);

// Parses a whole decimal integer (optional sign, surrounding blanks allowed).
bool parse_int(std::string_view s, long long& out);

// Removes one pair of matching surrounding quotes ("..." or '...').
std::string_view unquote(std::string_view s);

}  // namespace grundscan::text
