// The segment language's lexer and recursive-descent parser (grammar:
// docs/segments.md). Bounded: text length, nesting depth, number of predicates,
// values of an `in` list and glob length; every error names where it is (line,
// column, byte offset) and what was expected there.
#include <charconv>
#include <stdexcept>

#include <fmt/format.h>

#include "segments/ast.hpp"
#include "util/text.hpp"

namespace crm::segments {

const char* to_string(Cmp c) noexcept {
    switch (c) {
        case Cmp::eq: return "=";
        case Cmp::ne: return "!=";
        case Cmp::lt: return "<";
        case Cmp::le: return "<=";
        case Cmp::gt: return ">";
        case Cmp::ge: return ">=";
    }
    return "";
}

Pos position_of(std::string_view text, std::size_t offset) {
    Pos p;
    p.offset = offset;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\n') {
            ++p.line;
            p.column = 1;
        } else if ((c & 0xC0) != 0x80) {
            ++p.column;  // a character starts here (not a UTF-8 continuation byte)
        }
    }
    return p;
}

namespace {

// One UTF-8 character's length from its first byte (the text is valid UTF-8).
std::size_t char_len(unsigned char c) { return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4; }

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

bool glob_match(std::string_view p, std::string_view t) {
    // Iterative with one backtrack point for '*': linear in practice, never recursive.
    std::size_t pi = 0, ti = 0, star = std::string_view::npos, mark = 0;
    while (ti < t.size()) {
        if (pi < p.size() && p[pi] == '*') {
            star = pi++;
            mark = ti;
        } else if (pi < p.size() && p[pi] == '?') {
            ++pi;
            ti += char_len(static_cast<unsigned char>(t[ti]));
        } else if (pi < p.size() && ascii_lower(p[pi]) == ascii_lower(t[ti])) {
            ++pi;
            ++ti;
        } else if (star != std::string_view::npos) {
            pi = star + 1;
            mark += char_len(static_cast<unsigned char>(t[mark]));
            ti = mark;
        } else {
            return false;
        }
    }
    while (pi < p.size() && p[pi] == '*') ++pi;
    return pi == p.size();
}

namespace {

enum class Tok { ident, number, string, lparen, rparen, comma, dot, question, cmp, end };

struct Token {
    Tok type = Tok::end;
    std::size_t offset = 0;
    std::string text;  // ident (as written), number digits, string value (unescaped), cmp symbol
};

struct Failure {
    std::size_t offset;
    std::string message;
};

std::string describe(const Token& t) {
    switch (t.type) {
        case Tok::ident: return fmt::format("'{}'", t.text);
        case Tok::number: return fmt::format("the number {}", t.text);
        case Tok::string: return "a string";
        case Tok::lparen: return "'('";
        case Tok::rparen: return "')'";
        case Tok::comma: return "','";
        case Tok::dot: return "'.'";
        case Tok::question: return "'?'";
        case Tok::cmp: return fmt::format("'{}'", t.text);
        case Tok::end: return "the end of the expression";
    }
    return "?";
}

bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_ident_char(char c) { return is_ident_start(c) || (c >= '0' && c <= '9'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

class Lexer {
public:
    explicit Lexer(std::string_view s) : s_(s) {}

    Token next() {
        skip_space();
        Token t;
        t.offset = i_;
        if (i_ >= s_.size()) return t;
        const char c = s_[i_];
        if (is_ident_start(c)) {
            while (i_ < s_.size() && is_ident_char(s_[i_])) ++i_;
            t.type = Tok::ident;
            t.text = std::string(s_.substr(t.offset, i_ - t.offset));
            return t;
        }
        if (is_digit(c) || (c == '-' && i_ + 1 < s_.size() && is_digit(s_[i_ + 1]))) {
            ++i_;
            while (i_ < s_.size() && is_digit(s_[i_])) ++i_;
            if (i_ + 1 < s_.size() && s_[i_] == '.' && is_digit(s_[i_ + 1])) {
                ++i_;
                while (i_ < s_.size() && is_digit(s_[i_])) ++i_;
            }
            t.type = Tok::number;
            t.text = std::string(s_.substr(t.offset, i_ - t.offset));
            if (t.text.size() > 40) throw Failure{t.offset, "a number has at most 40 characters"};
            return t;
        }
        if (c == '\'' || c == '"') return string(c);
        ++i_;
        switch (c) {
            case '(': t.type = Tok::lparen; return t;
            case ')': t.type = Tok::rparen; return t;
            case ',': t.type = Tok::comma; return t;
            case '.': t.type = Tok::dot; return t;
            case '?': t.type = Tok::question; return t;
            case '=': t.type = Tok::cmp; t.text = "="; return t;
            case '!':
                if (i_ < s_.size() && s_[i_] == '=') {
                    ++i_;
                    t.type = Tok::cmp;
                    t.text = "!=";
                    return t;
                }
                throw Failure{t.offset, "expected '!=' (negation is written 'not')"};
            case '<':
            case '>':
                t.type = Tok::cmp;
                t.text = std::string(1, c);
                if (i_ < s_.size() && s_[i_] == '=') {
                    ++i_;
                    t.text += '=';
                } else if (c == '<' && i_ < s_.size() && s_[i_] == '>') {
                    ++i_;
                    t.text = "!=";
                }
                return t;
            default: break;
        }
        const std::size_t len = char_len(static_cast<unsigned char>(c));
        throw Failure{t.offset, fmt::format("unexpected character '{}'", std::string(s_.substr(t.offset, len)))};
    }

private:
    void skip_space() {
        while (i_ < s_.size()) {
            const char c = s_[i_];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                ++i_;
            } else if (s_.substr(i_, 3) == "\xE3\x80\x80") {  // U+3000 ideographic space
                i_ += 3;
            } else if (c == '#') {  // a comment to the end of the line
                while (i_ < s_.size() && s_[i_] != '\n') ++i_;
            } else {
                break;
            }
        }
    }

    // 'text' or "text"; escapes \\ \' \" \n \t; a quote doubled ('it''s') is one quote.
    Token string(char quote) {
        Token t;
        t.type = Tok::string;
        t.offset = i_;
        ++i_;
        for (;;) {
            if (i_ >= s_.size()) throw Failure{t.offset, fmt::format("this string has no closing {}", quote)};
            const char c = s_[i_];
            if (c == quote) {
                if (i_ + 1 < s_.size() && s_[i_ + 1] == quote) {
                    t.text += quote;
                    i_ += 2;
                    continue;
                }
                ++i_;
                return t;
            }
            if (c == '\\') {
                if (i_ + 1 >= s_.size()) throw Failure{i_, "expected an escaped character after '\\'"};
                const char e = s_[i_ + 1];
                switch (e) {
                    case '\\': case '\'': case '"': t.text += e; break;
                    case 'n': t.text += '\n'; break;
                    case 't': t.text += '\t'; break;
                    default:
                        throw Failure{i_, fmt::format("unknown escape '\\{}' (known: \\\\ \\' \\\" \\n \\t)",
                                                      std::string(s_.substr(i_ + 1, char_len(static_cast<unsigned char>(e)))))};
                }
                i_ += 2;
                continue;
            }
            if (c == '\n') throw Failure{t.offset, "this string has no closing quote on its line"};
            t.text += c;
            ++i_;
        }
    }

    std::string_view s_;
    std::size_t i_ = 0;
};

bool keyword(const Token& t, std::string_view kw) {
    if (t.type != Tok::ident || t.text.size() != kw.size()) return false;
    for (std::size_t i = 0; i < kw.size(); ++i)
        if (ascii_lower(t.text[i]) != kw[i]) return false;
    return true;
}

constexpr const char* kEmailEvents[] = {"sent", "delivered", "opened", "clicked", "bounced", "unsubscribed"};

class Parser {
public:
    explicit Parser(std::string_view s) : s_(s), lex_(s) { advance(); }

    Parsed run() {
        Parsed p;
        p.root = expr(1);
        if (tok_.type != Tok::end) fail(fmt::format("expected 'and', 'or' or the end, found {}", describe(tok_)));
        p.terms = terms_;
        return p;
    }

private:
    [[noreturn]] void fail(std::string message) { throw Failure{tok_.offset, std::move(message)}; }
    [[noreturn]] void fail_at(std::size_t offset, std::string message) { throw Failure{offset, std::move(message)}; }

    void advance() { tok_ = lex_.next(); }
    Pos pos() const { return position_of(s_, tok_.offset); }

    void expect(Tok t, const char* what) {
        if (tok_.type != t) fail(fmt::format("expected {}, found {}", what, describe(tok_)));
        advance();
    }

    void term() {
        if (++terms_ > kMaxTerms) fail(fmt::format("an expression has at most {} predicates", kMaxTerms));
    }

    Node expr(int depth) {
        if (depth > kMaxDepth) fail(fmt::format("expressions nest at most {} levels deep", kMaxDepth));
        Node first = and_expr(depth);
        if (!keyword(tok_, "or")) return first;
        Node n;
        n.type = Node::Type::or_;
        n.pos = first.pos;
        n.kids.push_back(std::move(first));
        while (keyword(tok_, "or")) {
            advance();
            n.kids.push_back(and_expr(depth));
        }
        return n;
    }

    Node and_expr(int depth) {
        Node first = not_expr(depth);
        if (!keyword(tok_, "and")) return first;
        Node n;
        n.type = Node::Type::and_;
        n.pos = first.pos;
        n.kids.push_back(std::move(first));
        while (keyword(tok_, "and")) {
            advance();
            n.kids.push_back(not_expr(depth));
        }
        return n;
    }

    Node not_expr(int depth) {
        if (depth > kMaxDepth) fail(fmt::format("expressions nest at most {} levels deep", kMaxDepth));
        if (keyword(tok_, "not")) {
            Node n;
            n.type = Node::Type::not_;
            n.pos = pos();
            advance();
            n.kids.push_back(not_expr(depth + 1));
            return n;
        }
        return primary(depth);
    }

    Node primary(int depth) {
        if (tok_.type == Tok::lparen) {
            advance();
            Node n = expr(depth + 1);
            expect(Tok::rparen, "')'");
            return n;
        }
        if (tok_.type != Tok::ident)
            fail(fmt::format("expected a predicate (a field, count(…), deal(…), came_from(…), score(…)) or '(', found {}",
                             describe(tok_)));
        if (keyword(tok_, "and") || keyword(tok_, "or"))
            fail(fmt::format("expected a predicate before {}", describe(tok_)));
        const Token name = tok_;
        advance();
        if (tok_.type == Tok::lparen) {
            if (keyword(name, "count")) return count(name);
            if (keyword(name, "deal")) return deal(name);
            if (keyword(name, "came_from")) return came_from(name);
            if (keyword(name, "score")) return score(name);
            fail_at(name.offset, fmt::format("unknown function '{}' (known: count, deal, came_from, score)", name.text));
        }
        return attribute(name);
    }

    Value value(const char* context) {
        Value v;
        v.pos = pos();
        if (tok_.type == Tok::string) {
            v.kind = Value::Kind::text;
        } else if (tok_.type == Tok::number) {
            v.kind = Value::Kind::number;
        } else if (keyword(tok_, "true") || keyword(tok_, "false")) {
            v.kind = Value::Kind::boolean;
            v.text = keyword(tok_, "true") ? "true" : "false";
            advance();
            return v;
        } else {
            fail(fmt::format("expected a value (a 'string', a number, true or false) {}, found {}", context,
                             describe(tok_)));
        }
        v.text = tok_.text;
        advance();
        return v;
    }

    Cmp cmp_op() {
        if (tok_.type != Tok::cmp) fail(fmt::format("expected a comparison (= != < <= > >=), found {}", describe(tok_)));
        const std::string& t = tok_.text;
        const Cmp c = t == "=" ? Cmp::eq : t == "!=" ? Cmp::ne : t == "<" ? Cmp::lt : t == "<=" ? Cmp::le
                    : t == ">" ? Cmp::gt : Cmp::ge;
        advance();
        return c;
    }

    Node attribute(const Token& first) {
        term();
        Node n;
        n.type = Node::Type::attr;
        n.pos = position_of(s_, first.offset);
        std::string path = first.text;
        while (tok_.type == Tok::dot) {
            advance();
            if (tok_.type != Tok::ident) fail(fmt::format("expected a field name after '.', found {}", describe(tok_)));
            path += "." + tok_.text;
            advance();
        }
        if (path.rfind("account.", 0) == 0) {
            n.on_account = true;
            path = path.substr(8);
        }
        n.field = std::move(path);
        if (tok_.type == Tok::question || keyword(tok_, "exists")) {
            n.op = AttrOp::exists;
            advance();
            return n;
        }
        if (tok_.type == Tok::cmp) {
            const std::string sym = tok_.text;
            n.op = AttrOp::cmp;
            n.cmp = cmp_op();
            n.values.push_back(value(("after '" + sym + "'").c_str()));
            return n;
        }
        if (keyword(tok_, "in")) {
            n.op = AttrOp::in;
            advance();
            expect(Tok::lparen, "'(' after 'in'");
            for (;;) {
                if (n.values.size() == kMaxInValues)
                    fail(fmt::format("an 'in' list has at most {} values", kMaxInValues));
                n.values.push_back(value("in the 'in' list"));
                if (tok_.type == Tok::comma) {
                    advance();
                    continue;
                }
                expect(Tok::rparen, "',' or ')' in the 'in' list");
                break;
            }
            return n;
        }
        for (auto [kw, op] : {std::pair{"contains", AttrOp::contains}, std::pair{"starts_with", AttrOp::starts_with},
                              std::pair{"has", AttrOp::has}}) {
            if (keyword(tok_, kw)) {
                n.op = op;
                advance();
                if (tok_.type != Tok::string)
                    fail(fmt::format("expected a 'string' after '{}', found {}", kw, describe(tok_)));
                n.values.push_back(value(""));
                return n;
            }
        }
        fail(fmt::format("expected an operator after '{}{}' (= != < <= > >= in contains starts_with has ? exists), "
                         "found {}",
                         n.on_account ? "account." : "", n.field, describe(tok_)));
    }

    std::int64_t integer(const char* what, std::int64_t min, std::int64_t max) {
        if (tok_.type != Tok::number) fail(fmt::format("expected {}, found {}", what, describe(tok_)));
        std::int64_t v = 0;
        auto [end, ec] = std::from_chars(tok_.text.data(), tok_.text.data() + tok_.text.size(), v);
        if (ec != std::errc() || end != tok_.text.data() + tok_.text.size() || v < min || v > max)
            fail(fmt::format("expected {} ({} … {}), found {}", what, min, max, tok_.text));
        advance();
        return v;
    }

    Timestamp time(const char* what) {
        if (tok_.type != Tok::string)
            fail(fmt::format("expected {} as a 'string' (ISO-8601: '2026-04-01' or '2026-04-01T09:00+09:00'), found {}",
                             what, describe(tok_)));
        auto t = parse_iso8601(tok_.text);
        if (!t) fail(fmt::format("'{}' is not an ISO-8601 date or time", tok_.text));
        advance();
        return *t;
    }

    // last N unit | between 'T1' and 'T2'
    bool window(Window& w) {
        if (keyword(tok_, "last")) {
            advance();
            const std::int64_t n = integer("a number of days, hours or weeks", 1, kMaxWindowDays * 24);
            if (tok_.type != Tok::ident) fail(fmt::format("expected a unit (d, h, w) after {}, found {}", n, describe(tok_)));
            std::int64_t unit = 0;
            for (const char* u : {"d", "day", "days"})
                if (keyword(tok_, u)) unit = kDayMs;
            for (const char* u : {"h", "hour", "hours"})
                if (keyword(tok_, u)) unit = kDayMs / 24;
            for (const char* u : {"w", "week", "weeks"})
                if (keyword(tok_, u)) unit = 7 * kDayMs;
            if (!unit) fail(fmt::format("expected a unit (d, h, w) after {}, found {}", n, describe(tok_)));
            if (n * unit > kMaxWindowDays * kDayMs) fail(fmt::format("a window is at most {} days", kMaxWindowDays));
            advance();
            w.kind = Window::Kind::last;
            w.last_ms = n * unit;
            return true;
        }
        if (keyword(tok_, "between")) {
            advance();
            const std::size_t at = tok_.offset;
            w.kind = Window::Kind::between;
            const bool date_only_from = tok_.type == Tok::string && tok_.text.size() == 10;
            (void)date_only_from;
            w.from = time("the start of the window");
            if (!keyword(tok_, "and")) fail(fmt::format("expected 'and' in 'between … and …', found {}", describe(tok_)));
            advance();
            const bool date_only = tok_.type == Tok::string && text::valid_date(tok_.text);
            w.to = time("the end of the window");
            // A date as the end means the whole of that day (UTC); a time is itself included.
            w.to += date_only ? kDayMs : 1;
            if (w.to <= w.from) fail_at(at, "the window ends before it starts");
            return true;
        }
        return false;
    }

    Node count(const Token& name) {
        term();
        Node n;
        n.type = Node::Type::count;
        n.pos = position_of(s_, name.offset);
        advance();  // (
        if (tok_.type != Tok::ident)
            fail(fmt::format("expected an interaction kind (email, call, meeting, web_visit …) or 'any', found {}",
                             describe(tok_)));
        n.kind = tok_.text;
        const std::size_t kind_at = tok_.offset;
        for (char c : n.kind)
            if (c >= 'A' && c <= 'Z') fail("interaction kinds are lower case");
        advance();
        if (tok_.type == Tok::ident) {
            if (n.kind != "email")
                fail(fmt::format("expected ',' or ')' after '{}' (only email has events: email opened …), found {}",
                                 n.kind, describe(tok_)));
            bool known = false;
            for (const char* e : kEmailEvents) known = known || tok_.text == e;
            if (!known)
                fail(fmt::format("'{}' is not an email event (sent, delivered, opened, clicked, bounced, unsubscribed)",
                                 tok_.text));
            n.event = tok_.text;
            advance();
        }
        (void)kind_at;
        bool have_window = false;
        while (tok_.type == Tok::comma) {
            advance();
            const std::size_t at = tok_.offset;
            Window w;
            if (window(w)) {
                if (have_window) fail_at(at, "a count has one window");
                have_window = true;
                n.window = w;
                continue;
            }
            if (tok_.type != Tok::ident)
                fail(fmt::format("expected a window (last 30d, between '…' and '…') or a clause (direction, subject, "
                                 "url, campaign, source), found {}",
                                 describe(tok_)));
            const std::string clause = tok_.text;
            advance();
            auto set_once = [&](std::optional<std::string>& slot, std::string v) {
                if (slot) fail_at(at, fmt::format("'{}' is given twice", clause));
                slot = std::move(v);
            };
            if (clause == "direction") {
                if (tok_.type != Tok::cmp || tok_.text != "=") fail(fmt::format("expected '=' after 'direction', found {}", describe(tok_)));
                advance();
                if (tok_.type != Tok::ident && tok_.type != Tok::string)
                    fail(fmt::format("expected inbound, outbound or internal, found {}", describe(tok_)));
                if (tok_.text != "inbound" && tok_.text != "outbound" && tok_.text != "internal")
                    fail(fmt::format("'{}' is not a direction (inbound, outbound, internal)", tok_.text));
                set_once(n.direction, tok_.text);
                advance();
            } else if (clause == "subject" || clause == "url") {
                if (!keyword(tok_, "like")) fail(fmt::format("expected 'like' after '{}', found {}", clause, describe(tok_)));
                advance();
                if (tok_.type != Tok::string) fail(fmt::format("expected a 'pattern' after 'like', found {}", describe(tok_)));
                if (tok_.text.size() > kMaxPattern) fail(fmt::format("a pattern has at most {} bytes", kMaxPattern));
                set_once(clause == "subject" ? n.subject_glob : n.url_glob, tok_.text);
                advance();
            } else if (clause == "campaign" || clause == "source") {
                if (tok_.type != Tok::cmp || tok_.text != "=") fail(fmt::format("expected '=' after '{}', found {}", clause, describe(tok_)));
                advance();
                if (tok_.type != Tok::string) fail(fmt::format("expected a 'string' after '{} =', found {}", clause, describe(tok_)));
                set_once(clause == "campaign" ? n.campaign : n.source, tok_.text);
                advance();
            } else {
                fail_at(at, fmt::format("unknown clause '{}' (known: last, between, direction, subject, url, campaign, "
                                        "source)",
                                        clause));
            }
        }
        expect(Tok::rparen, "',' or ')' in count(…)");
        n.cmp = cmp_op();
        n.number = integer("a count", 0, kMaxCount);
        return n;
    }

    Node deal(const Token& name) {
        term();
        Node n;
        n.type = Node::Type::deal;
        n.pos = position_of(s_, name.offset);
        advance();  // (
        if (!(keyword(tok_, "open") || keyword(tok_, "won") || keyword(tok_, "lost") || keyword(tok_, "any")))
            fail(fmt::format("expected a deal status (open, won, lost, any), found {}", describe(tok_)));
        n.status = text::ascii_lower(tok_.text);
        advance();
        if (tok_.type == Tok::comma) {
            advance();
            if (!window(n.window)) fail(fmt::format("expected a window (last 365d, between '…' and '…'), found {}", describe(tok_)));
        }
        expect(Tok::rparen, "',' or ')' in deal(…)");
        return n;
    }

    // score(MODEL).output cmp value | score(MODEL).output in ('A1', …)
    Node score(const Token& name) {
        term();
        Node n;
        n.type = Node::Type::score;
        n.pos = position_of(s_, name.offset);
        advance();  // (
        if (tok_.type != Tok::string && tok_.type != Tok::ident)
            fail(fmt::format("expected a scoring model's name ('製品A'), found {}", describe(tok_)));
        n.model = tok_.text;
        if (n.model.empty()) fail("a scoring model's name may not be empty");
        advance();
        expect(Tok::rparen, "')' after the model's name");
        expect(Tok::dot, "'.' and an output (total, fit, engagement, grade, fit_grade, engagement_grade, trend)");
        if (tok_.type != Tok::ident) fail(fmt::format("expected a score output after '.', found {}", describe(tok_)));
        n.output = tok_.text;
        const bool number = score_number_output(n.output);
        if (!number && n.output != "grade" && n.output != "fit_grade" && n.output != "engagement_grade" &&
            n.output != "trend")
            fail(fmt::format("'{}' is not a score output (total, fit, engagement, grade, fit_grade, engagement_grade, "
                             "trend)",
                             n.output));
        advance();
        if (number) {
            if (tok_.type != Tok::cmp) fail(fmt::format("expected a comparison (= != < <= > >=) after '{}', found {}",
                                                        n.output, describe(tok_)));
            n.op = AttrOp::cmp;
            n.cmp = cmp_op();
            n.milli = points();
            return n;
        }
        if (keyword(tok_, "in")) {
            n.op = AttrOp::in;
            advance();
            expect(Tok::lparen, "'(' after 'in'");
            for (;;) {
                if (n.values.size() == kMaxInValues) fail(fmt::format("an 'in' list has at most {} values", kMaxInValues));
                if (tok_.type != Tok::string) fail(fmt::format("expected a {} as a 'string', found {}", n.output, describe(tok_)));
                n.values.push_back(value(""));
                if (tok_.type == Tok::comma) {
                    advance();
                    continue;
                }
                expect(Tok::rparen, "',' or ')' in the 'in' list");
                break;
            }
            return n;
        }
        if (tok_.type != Tok::cmp || (tok_.text != "=" && tok_.text != "!="))
            fail(fmt::format("expected '=', '!=' or 'in' after '{}' (it is text), found {}", n.output, describe(tok_)));
        n.op = AttrOp::cmp;
        n.cmp = cmp_op();
        if (tok_.type != Tok::string) fail(fmt::format("expected a {} as a 'string', found {}", n.output, describe(tok_)));
        n.values.push_back(value(""));
        return n;
    }

    // Points with up to three decimals, within ±1,000,000: as thousandths.
    std::int64_t points() {
        if (tok_.type != Tok::number) fail(fmt::format("expected a number of points, found {}", describe(tok_)));
        const std::string& t = tok_.text;
        const auto dot = t.find('.');
        const std::string whole = t.substr(0, dot);
        std::string frac = dot == std::string::npos ? "" : t.substr(dot + 1);
        if (frac.size() > 3) fail(fmt::format("points have at most three decimals, not {}", t));
        const bool neg = !whole.empty() && whole[0] == '-';
        const std::string digits = neg ? whole.substr(1) : whole;
        if (digits.size() > 7) fail(fmt::format("points are within -1000000 … 1000000, not {}", t));
        std::int64_t v = 0;
        for (char c : digits) v = v * 10 + (c - '0');
        while (frac.size() < 3) frac += '0';
        std::int64_t f = 0;
        for (char c : frac) f = f * 10 + (c - '0');
        v = v * 1000 + f;
        if (v > 1'000'000'000) fail(fmt::format("points are within -1000000 … 1000000, not {}", t));
        advance();
        return neg ? -v : v;
    }

    Node came_from(const Token& name) {
        term();
        Node n;
        n.type = Node::Type::came_from;
        n.pos = position_of(s_, name.offset);
        advance();  // (
        if (tok_.type != Tok::string) fail(fmt::format("expected a campaign name as a 'string', found {}", describe(tok_)));
        n.values.push_back(value(""));
        expect(Tok::rparen, "')' after the campaign name");
        return n;
    }

    std::string_view s_;
    Lexer lex_;
    Token tok_;
    std::size_t terms_ = 0;
};

}  // namespace

ParseResult parse(std::string_view text) {
    ParseResult r;
    auto issue = [&](std::size_t offset, std::string message) {
        const Pos p = position_of(text, offset);
        r.issue = SegmentIssue{offset, p.line, p.column, std::move(message)};
        return r;
    };
    if (text.size() > kMaxText) return issue(0, fmt::format("an expression has at most {} bytes", kMaxText));
    if (!text::valid_utf8(text)) return issue(0, "the expression is not valid UTF-8");
    if (text.find('\0') != std::string_view::npos) return issue(text.find('\0'), "the expression holds a NUL byte");
    try {
        Parser p(text);
        Parsed parsed = p.run();
        if (parsed.terms == 0) return issue(0, "expected a predicate, found the end of the expression");
        r.parsed = std::move(parsed);
        return r;
    } catch (const Failure& f) {
        return issue(f.offset, f.message);
    }
}

}  // namespace crm::segments
