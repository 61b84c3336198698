// Text tables and CSV for terminals and spreadsheets: display widths of UTF-8
// (East Asian wide characters take two columns), aligned columns, RFC 4180 CSV.
#include "tools/table.hpp"

#include "crm/csv.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>

namespace crm::tools {

namespace {
// Whether s is one well-formed UTF-8 sequence.
bool well_formed(std::string_view s) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    if (n == 1) return p[0] < 0x80;
    unsigned cp = n == 2 ? (p[0] & 0x1Fu) : n == 3 ? (p[0] & 0x0Fu) : (p[0] & 0x07u);
    if ((n == 2 && p[0] < 0xC2) || (n == 4 && p[0] > 0xF4)) return false;
    for (std::size_t k = 1; k < n; ++k) {
        if ((p[k] & 0xC0) != 0x80) return false;
        cp = (cp << 6) | (p[k] & 0x3Fu);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF) return false;
    return !(cp >= 0xD800 && cp <= 0xDFFF);
}
}  // namespace

namespace {
// Decodes one code point at s[i] and advances i; invalid bytes give U+FFFD.
char32_t next_cp(std::string_view s, std::size_t& i) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || i + n > s.size() || !well_formed(s.substr(i, n))) {
        ++i;
        return 0xFFFD;
    }
    char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1Fu) : n == 3 ? (c & 0x0Fu) : (c & 0x07u);
    for (std::size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
    i += n;
    return cp;
}

struct Range {
    char32_t lo, hi;
};
bool in(const Range* r, std::size_t n, char32_t cp) {
    for (std::size_t k = 0; k < n; ++k)
        if (cp >= r[k].lo && cp <= r[k].hi) return true;
    return false;
}

// Non-spacing marks and invisible format characters (incl. the combining
// kana voiced sound marks U+3099/U+309A used in decomposed Japanese text).
constexpr Range kZero[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A}, {0x064B, 0x065F},
    {0x0E31, 0x0E31}, {0x0E34, 0x0E3A}, {0x0E47, 0x0E4E}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF},
    {0x200B, 0x200F}, {0x202A, 0x202E}, {0x2060, 0x2064}, {0x20D0, 0x20FF}, {0x3099, 0x309A},
    {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF}, {0xE0100, 0xE01EF},
};
// East Asian Wide (W) and Fullwidth (F) code points (Unicode 15, EastAsianWidth.txt).
constexpr Range kWide[] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},   {0x23F0, 0x23F0},
    {0x23F3, 0x23F3},   {0x25FD, 0x25FE},   {0x2614, 0x2615},   {0x2648, 0x2653},   {0x267F, 0x267F},
    {0x2693, 0x2693},   {0x26A1, 0x26A1},   {0x26AA, 0x26AB},   {0x26BD, 0x26BE},   {0x26C4, 0x26C5},
    {0x26CE, 0x26CE},   {0x26D4, 0x26D4},   {0x26EA, 0x26EA},   {0x26F2, 0x26F3},   {0x26F5, 0x26F5},
    {0x26FA, 0x26FA},   {0x26FD, 0x26FD},   {0x2705, 0x2705},   {0x270A, 0x270B},   {0x2728, 0x2728},
    {0x274C, 0x274C},   {0x274E, 0x274E},   {0x2753, 0x2755},   {0x2757, 0x2757},   {0x2795, 0x2797},
    {0x27B0, 0x27B0},   {0x27BF, 0x27BF},   {0x2B1B, 0x2B1C},   {0x2B50, 0x2B50},   {0x2B55, 0x2B55},
    {0x2E80, 0x303E},   {0x3041, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
    {0xA960, 0xA97F},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE10, 0xFE19},   {0xFE30, 0xFE6F},
    {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x16FE0, 0x16FE4}, {0x17000, 0x18CFF}, {0x1B000, 0x1B2FF},
    {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F202},
    {0x1F210, 0x1F23B}, {0x1F240, 0x1F248}, {0x1F250, 0x1F251}, {0x1F260, 0x1F265}, {0x1F300, 0x1F64F},
    {0x1F680, 0x1F6FF}, {0x1F7E0, 0x1F7EB}, {0x1F90C, 0x1F9FF}, {0x1FA70, 0x1FAFF}, {0x20000, 0x2FFFD},
    {0x30000, 0x3FFFD},
};

// Control characters would break the layout of a table: shown as spaces.
std::string one_line(std::string_view s) {
    std::string r(s);
    for (auto& ch : r)
        if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7F) ch = ' ';
    return r;
}

bool is_number(const std::string& s) {
    if (s.empty()) return false;
    std::size_t i = s[0] == '-' ? 1 : 0;
    if (i == s.size()) return false;
    for (; i < s.size(); ++i)
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    return true;
}

void pad(std::string& out, std::size_t n) { out.append(n, ' '); }

}  // namespace

int codepoint_width(char32_t cp) noexcept {
    if (cp == 0) return 0;
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) return 0;
    if (in(kZero, std::size(kZero), cp)) return 0;
    if (in(kWide, std::size(kWide), cp)) return 2;
    return 1;
}

std::size_t display_width(std::string_view s) {
    std::size_t w = 0;
    for (std::size_t i = 0; i < s.size();) w += static_cast<std::size_t>(codepoint_width(next_cp(s, i)));
    return w;
}

std::string truncate_to_width(std::string_view s, std::size_t width) {
    if (display_width(s) <= width) return std::string(s);
    const std::size_t keep = width > 3 ? width - 3 : 0;
    std::string out;
    std::size_t w = 0;
    for (std::size_t i = 0; i < s.size();) {
        std::size_t start = i;
        auto cw = static_cast<std::size_t>(codepoint_width(next_cp(s, i)));
        if (w + cw > keep) break;
        out.append(s.substr(start, i - start));
        w += cw;
    }
    out.append(std::string(std::min<std::size_t>(3, width), '.'));
    return out;
}

std::string render_table(const Table& t, std::size_t max_cell_width) {
    std::string text;
    const std::size_t n = t.headers.size();
    std::vector<std::vector<std::string>> cells;
    cells.reserve(t.rows.size());
    std::vector<std::size_t> width(n, 0);
    std::vector<bool> numeric(n, true);
    for (std::size_t c = 0; c < n; ++c) width[c] = display_width(t.headers[c]);
    for (const auto& row : t.rows) {
        std::vector<std::string> r(n);
        for (std::size_t c = 0; c < n && c < row.size(); ++c) {
            r[c] = truncate_to_width(one_line(row[c]), max_cell_width);
            width[c] = std::max(width[c], display_width(r[c]));
            if (!r[c].empty() && !is_number(r[c])) numeric[c] = false;
        }
        cells.push_back(std::move(r));
    }
    auto line = [&](const std::vector<std::string>& r, bool header) {
        std::string out;
        for (std::size_t c = 0; c < n; ++c) {
            const std::size_t gap = width[c] - display_width(r[c]);
            const bool last = c + 1 == n;
            if (c) out += "  ";
            if (numeric[c] && !header) {
                pad(out, gap);
                out += r[c];
            } else {
                out += r[c];
                if (!last) pad(out, gap);
            }
        }
        while (!out.empty() && out.back() == ' ') out.pop_back();
        text += out;
        text += '\n';
    };
    line(t.headers, true);
    std::vector<std::string> rule(n);
    for (std::size_t c = 0; c < n; ++c) rule[c] = std::string(width[c], '-');
    line(rule, true);
    for (const auto& r : cells) line(r, false);
    return text;
}

std::string render_fields(const std::vector<std::pair<std::string, std::string>>& fields,
                          std::size_t max_value_width) {
    std::size_t kw = 0;
    for (const auto& [k, v] : fields) kw = std::max(kw, display_width(k));
    std::string text;
    for (const auto& [k, v] : fields) {
        std::string line = k;
        pad(line, kw - display_width(k) + 2);
        line += truncate_to_width(one_line(v), max_value_width);
        while (!line.empty() && line.back() == ' ') line.pop_back();
        text += line;
        text += '\n';
    }
    return text;
}

std::string csv_field(std::string_view s) { return crm::csv::format_field(s); }

std::string render_csv(const Table& t) {
    std::string text;
    auto row = [&](const std::vector<std::string>& r) {
        if (r.size() == 1 && r[0].empty()) {  // as crm::csv::Writer: an empty line would be no record
            text += "\"\"\r\n";
            return;
        }
        for (std::size_t c = 0; c < r.size(); ++c) {
            if (c) text += ',';
            text += crm::csv::format_field(r[c]);
        }
        text += "\r\n";  // RFC 4180 line ends
    };
    row(t.headers);
    for (const auto& r : t.rows) row(r);
    return text;
}


}  // namespace crm::tools
