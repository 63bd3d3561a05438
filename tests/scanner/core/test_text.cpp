#include "scanner/core/text.hpp"

#include <gtest/gtest.h>

using namespace grundscan;

namespace {

std::string utf16le(std::string_view ascii, bool bom) {
    std::string out = bom ? std::string("\xFF\xFE", 2) : std::string();
    for (char c : ascii) {
        out.push_back(c);
        out.push_back('\0');
    }
    return out;
}

}  // namespace

TEST(TextDecode, Utf16LeWithBom) {
    auto d = text::decode(utf16le("[Unicode]\r\nUnicode=yes\r\n", true));
    ASSERT_TRUE(d.ok()) << d.error().message;
    EXPECT_EQ(d->encoding, text::Encoding::Utf16LE);
    EXPECT_EQ(d->utf8, "[Unicode]\r\nUnicode=yes\r\n");
}

TEST(TextDecode, Utf16LeWithoutBomIsDetectedByBytes) {
    auto d = text::decode(utf16le("[System Access]\r\nMinimumPasswordLength = 8\r\n", false));
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->encoding, text::Encoding::Utf16LE);
    EXPECT_EQ(d->utf8.substr(0, 15), "[System Access]");
}

TEST(TextDecode, Utf16NonAsciiBecomesUtf8) {
    // "Domäne" in UTF-16LE with BOM
    std::string bytes(
        "\xFF\xFE"
        "D\0o\0m\0\xE4\0n\0e\0",
        14);
    auto d = text::decode(bytes);
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->utf8, "Dom\xC3\xA4ne");
}

TEST(TextDecode, Utf8BomIsRemoved) {
    auto d = text::decode("\xEF\xBB\xBFHost Name: X\r\n");
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->encoding, text::Encoding::Utf8Bom);
    EXPECT_EQ(d->utf8, "Host Name: X\r\n");
}

TEST(TextDecode, PlainAsciiWhoseHeaderLiesAboutUnicode) {
    auto d = text::decode("[Unicode]\r\nUnicode=yes\r\n[System Access]\r\n");
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->encoding, text::Encoding::Utf8);
}

TEST(TextDecode, BinaryIsRejected) {
    std::string bin(
        "\x7F"
        "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0",
        20);
    auto d = text::decode(bin);
    ASSERT_FALSE(d.ok());
    EXPECT_NE(d.error().message.find("binary"), std::string::npos);
}

TEST(TextDecode, LegacyWindowsCodePagesAreRecognised) {
    // cmd.exe `systeminfo > file` on German Windows writes CP850: "Domäne", "Ursprüngliches".
    auto cp850 = text::decode("Dom\x84ne: X\r\nUrspr\x81ngliches Installationsdatum: 1.2.2020\r\n");
    ASSERT_TRUE(cp850.ok());
    EXPECT_EQ(cp850->encoding, text::Encoding::Cp850);
    EXPECT_EQ(cp850->utf8.substr(0, 7), "Dom\xC3\xA4ne");
    // Editors on Windows write Windows-1252: "Kämmerei", "Straße".
    auto cp1252 = text::decode(
        "PC K\xE4mmerei, Stra\xDF"
        "e\n");
    ASSERT_TRUE(cp1252.ok());
    EXPECT_EQ(cp1252->encoding, text::Encoding::Windows1252);
    EXPECT_EQ(cp1252->utf8,
              "PC K\xC3\xA4mmerei, Stra\xC3\x9F"
              "e\n");
    EXPECT_TRUE(text::is_legacy(cp1252->encoding));
}

TEST(TextDecode, TruncatedUtf16IsRejected) {
    std::string bytes = utf16le("abc", true);
    bytes.pop_back();
    EXPECT_FALSE(text::decode(bytes).ok());
}

TEST(TextHelpers, SanitizeReplacesControlAndInvalidBytes) {
    EXPECT_EQ(text::sanitize_utf8("a\x01"
                                  "b\xFF"
                                  "c\n"),
              "a?b\xEF\xBF\xBD"
              "c\n");
    EXPECT_TRUE(text::is_valid_utf8(text::sanitize_utf8("\xC3\x28\xE2\x82")));
}

TEST(TextHelpers, SplitLinesStripsCarriageReturns) {
    auto lines = text::split_lines("a\r\nb\n\r\nc");
    ASSERT_EQ(lines.size(), 4u);
    EXPECT_EQ(lines[0], "a");
    EXPECT_EQ(lines[2], "");
    EXPECT_EQ(lines[3], "c");
}

TEST(TextHelpers, ParseIntAndUnquote) {
    long long v = 0;
    EXPECT_TRUE(text::parse_int(" -1 ", v));
    EXPECT_EQ(v, -1);
    EXPECT_FALSE(text::parse_int("14x", v));
    EXPECT_EQ(text::unquote("\"Visitor\""), "Visitor");
    EXPECT_EQ(text::split_ws("a \t b").size(), 2u);
}
