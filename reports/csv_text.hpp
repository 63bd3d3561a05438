// Safe CSV fields for German Excel, shared by the CSV writers (reports/csv_writer.cpp,
// reports/gscheck_writer.cpp).
#pragma once

#include <string>
#include <string_view>

namespace grundscan {

// Valid UTF-8 without control characters but \t and \n; a field starting with = + - @ TAB or
// CR gets a leading apostrophe (no formula injection; a plain negative integer stays a number);
// quoted (quotes doubled) when it holds ; " CR or LF.
std::string csv_field(std::string_view raw);

}  // namespace grundscan
