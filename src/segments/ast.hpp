// Private: the parsed form of a segment expression (docs/segments.md) — what the
// parser (parser.cpp) produces, the checker (check.cpp) resolves against the
// descriptors, and the store compiles to SQL (store/segments_store.cpp).
#pragma once

#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crm/segments.hpp"
#include "records/registry.hpp"

namespace crm::segments {

// Bounds of the language: text, nesting, predicates, values in one `in` list, glob length.
inline constexpr std::size_t kMaxText = 16 * 1024;
inline constexpr int kMaxDepth = 32;
inline constexpr std::size_t kMaxTerms = 64;
inline constexpr std::size_t kMaxInValues = 256;
inline constexpr std::size_t kMaxPattern = 256;
inline constexpr std::int64_t kMaxCount = 1'000'000'000;
inline constexpr std::int64_t kDayMs = 86'400'000;
inline constexpr std::int64_t kMaxWindowDays = 36'600;  // about a hundred years

struct Pos {
    std::size_t offset = 0, line = 1, column = 1;
};

enum class Cmp { eq, ne, lt, le, gt, ge };
const char* to_string(Cmp c) noexcept;
inline bool compare(Cmp c, std::int64_t a, std::int64_t b) {
    switch (c) {
        case Cmp::eq: return a == b;
        case Cmp::ne: return a != b;
        case Cmp::lt: return a < b;
        case Cmp::le: return a <= b;
        case Cmp::gt: return a > b;
        case Cmp::ge: return a >= b;
    }
    return false;
}

struct Value {
    enum class Kind { text, number, boolean } kind = Kind::text;
    std::string text;  // the string; a number's digits as written ("-3", "2.5"); "true"/"false"
    Pos pos;
};

// A time window: none (everything up to the evaluation time), the last N ms before
// it, or [from, to) — both always cut at the evaluation time.
struct Window {
    enum class Kind { none, last, between } kind = Kind::none;
    std::int64_t last_ms = 0;
    Timestamp from = 0, to = 0;  // between: from <= t < to
};

enum class AttrOp { cmp, in, contains, starts_with, has, exists };

struct Node {
    enum class Type { and_, or_, not_, attr, count, came_from, deal, score } type = Type::attr;
    Pos pos;
    std::vector<Node> kids;  // and/or: two or more; not: one

    // attr: [account.]field op value(s)
    bool on_account = false;
    std::string field;  // as written after "account.": "lifecycle_stage", "address.city", "tags", "custom.rank"
    AttrOp op = AttrOp::cmp;
    Cmp cmp = Cmp::eq;
    std::vector<Value> values;

    // count(activity, clauses…) cmp number
    std::string kind;   // interaction kind; "any" for every kind
    std::string event;  // email event (opened, clicked …) or empty: the interactions themselves
    std::optional<std::string> direction, subject_glob, url_glob, campaign, source;
    Window window;
    std::int64_t number = 0;

    // came_from('name'): values[0]; deal(status[, window]): status
    std::string status;  // open, won, lost, any

    // score(MODEL).output cmp value | score(MODEL).output in (…): `op` is cmp or in.
    std::string model;   // the scoring model's name
    std::string output;  // total, fit, engagement (numbers); grade, fit_grade, engagement_grade, trend (text)
    std::int64_t milli = 0;  // a number output's value, in thousandths of a point
    // Resolved against the model after the check (resolve_scores, segments.cpp):
    Id model_id = 0;
    struct Range {
        std::int64_t lo = INT64_MIN, hi = INT64_MAX;  // inclusive bounds on fit or engagement
        int disqualified = -1;                        // -1 either, 0 not, 1 disqualified (fit grade "X")
    };
    std::vector<Range> ranges;  // fit_grade / engagement_grade: the band(s) named, as ranges (any of them)
};

inline bool score_number_output(const std::string& o) { return o == "total" || o == "fit" || o == "engagement"; }

struct Parsed {
    Node root;
    std::size_t terms = 0;
};

// Parses; on failure, the issue says where and what was expected.
struct ParseResult {
    std::optional<Parsed> parsed;
    SegmentIssue issue;
};
ParseResult parse(std::string_view text);

// Line and column (in characters) of a byte offset.
Pos position_of(std::string_view text, std::size_t offset);

// The glob of subject/url clauses: '*' any run, '?' one character; ASCII letters
// compare without case (as SQL LIKE does). Used by the brute-force test and the
// as-of evaluation; the store turns it into LIKE.
bool glob_match(std::string_view pattern, std::string_view text);

}  // namespace crm::segments
