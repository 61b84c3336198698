// tools/table.hpp — text tables and CSV, for any client of the library that prints
// records: display widths of UTF-8 text (East Asian wide characters take two
// columns, combining marks none), aligned columns that keep Japanese text lined up,
// and RFC 4180 CSV (quoted by crm::csv's rules, crm/csv.hpp). The crm CLI uses it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace crm::tools {

int codepoint_width(char32_t cp) noexcept;       // 0, 1 or 2 columns
std::size_t display_width(std::string_view text);  // columns a terminal gives the UTF-8 text
// Cuts text to at most `width` columns, ending in "..." when cut.
std::string truncate_to_width(std::string_view text, std::size_t width);

struct Table {
    std::vector<std::string> headers;
    std::vector<std::vector<std::string>> rows;
};

// Aligned columns (numbers to the right), a rule under the headers; cells cut to
// max_cell_width columns; control characters shown as spaces.
std::string render_table(const Table& t, std::size_t max_cell_width = 40);
// "name  value" lines, the values aligned, each cut to max_value_width columns.
std::string render_fields(const std::vector<std::pair<std::string, std::string>>& fields,
                          std::size_t max_value_width = 100);
// RFC 4180: a header row, CRLF line ends, fields quoted where needed (crm::csv::format_field);
// a row of one empty cell is written "" as crm::csv::Writer does.
std::string render_csv(const Table& t);
std::string csv_field(std::string_view text);

}  // namespace crm::tools
