// cli.cpp — errors and exit codes, the database context, argument parsing.
#include "cli.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include <fmt/format.h>

namespace cli {

// ---- errors ------------------------------------------------------------------------
int exit_code_for(crm::errc code) noexcept {
    switch (code) {
        case crm::errc::ok: return exit_ok;
        case crm::errc::not_found: return exit_not_found;
        case crm::errc::invalid_argument:
        case crm::errc::already_exists:
        case crm::errc::constraint_violation: return exit_invalid;
        default: return exit_other;
    }
}

void raise(const crm::error& e) {
    Failure f;
    f.exit = exit_code_for(e.code);
    f.message = e.message.empty() ? crm::errc_name(e.code) : e.message;
    f.code = crm::errc_name(e.code);
    if (!e.sqlite_message.empty() && f.message.find(e.sqlite_message) == std::string::npos)
        f.hint = fmt::format("sqlite: {} (extended code {})", e.sqlite_message, e.sqlite_code);
    throw f;
}

void usage_error(std::string message, std::string hint) {
    throw Failure{exit_usage, std::move(message), "usage", std::move(hint)};
}

void invalid_input(std::string message) {
    throw Failure{exit_invalid, std::move(message), crm::errc_name(crm::errc::invalid_argument), {}};
}

void bad_argument(std::string message) { throw Failure{exit_usage, std::move(message), "usage", {}}; }

void not_found(std::string message) {
    throw Failure{exit_not_found, std::move(message), crm::errc_name(crm::errc::not_found), {}};
}

// ---- context -----------------------------------------------------------------------
crm::Db& Context::open(bool create) {
    if (db) return *db;
    crm::OpenOptions o;
    o.create = create;
    auto r = crm::Db::open(db_path, o);
    if (!r) {
        auto e = r.error();
        if (e.message.find(db_path) == std::string::npos) e.message = db_path + ": " + e.message;
        if (e.code == crm::errc::not_found && !create) {
            throw Failure{exit_not_found, e.message, crm::errc_name(e.code),
                          "create it with 'crm init', or choose another file with --db or CRM_DB"};
        }
        raise(e);
    }
    db.emplace(std::move(r).value());
    if (actor) {
        auto u = db->users().get(*actor);
        if (!u && u.error().code == crm::errc::not_found)  // a user named on the command line: exit 2
            not_found(fmt::format("--actor {}: no user has this id (crm user list shows them)", *actor));
        if (!u) raise(u.error());
    }
    db->set_actor(actor);
    return *db;
}

// ---- UTF-8 and scalar arguments --------------------------------------------------------
bool valid_utf8(std::string_view s) noexcept {
    std::size_t i = 0;
    while (i < s.size()) {
        auto c = static_cast<unsigned char>(s[i]);
        std::size_t n;
        char32_t cp;
        if (c < 0x80) { ++i; continue; }
        if ((c & 0xE0) == 0xC0) { n = 2; cp = c & 0x1F; }
        else if ((c & 0xF0) == 0xE0) { n = 3; cp = c & 0x0F; }
        else if ((c & 0xF8) == 0xF0) { n = 4; cp = c & 0x07; }
        else return false;
        if (i + n > s.size()) return false;
        for (std::size_t k = 1; k < n; ++k) {
            auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000)) return false;  // overlong
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += n;
    }
    return true;
}

void check_utf8(std::string_view what, std::string_view text) {
    if (!valid_utf8(text)) bad_argument(fmt::format("{} is not valid UTF-8", what));
}

std::int64_t parse_int(const std::string& text, const char* what) {
    std::int64_t v = 0;
    const char* b = text.data();
    const char* e = b + text.size();
    if (!text.empty() && *b == '+') ++b;
    auto [p, ec] = std::from_chars(b, e, v);
    if (text.empty() || ec != std::errc() || p != e)
        bad_argument(fmt::format("{}: '{}' is not an integer", what, text));
    return v;
}

crm::Id parse_id(const std::string& text, const char* what) {
    crm::Id id = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (text.empty() || ec != std::errc() || p != text.data() + text.size() || id <= 0)
        bad_argument(fmt::format("{}: '{}' is not a record id: ids are positive integers", what, text));
    return id;
}

crm::Entity parse_entity(const std::string& text) {
    if (auto e = crm::entity_from_name(text)) return *e;
    for (const auto* k : crm::entity_kinds())  // the plural: "contacts"
        if (text == k->plural) return k->entity;
    // A short form people type: a unique prefix of three letters or more ("doc", "int").
    const crm::EntityInfo* hit = nullptr;
    bool ambiguous = false;
    for (const auto* k : crm::entity_kinds()) {
        if (text.size() < 3 || k->name.substr(0, text.size()) != text) continue;
        ambiguous = hit != nullptr;
        hit = k;
    }
    if (hit && !ambiguous) return hit->entity;
    std::string names;
    for (const auto* k : crm::entity_kinds()) names += (names.empty() ? "" : ", ") + std::string(k->name);
    usage_error(fmt::format("'{}' is not an entity ({}; or a unique prefix of three letters or more)", text, names));
}

void cannot_read(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) not_found(fmt::format("{}: no such file", path));
    throw Failure{exit_other, fmt::format("{}: cannot read file", path), "io_error", {}};
}

OutputFile::OutputFile(const std::optional<std::string>& path, const char* suffix) : path_(path) {
    if (!path_) return;
    tmp_ = *path_ + suffix;
    file_.open(tmp_, std::ios::binary | std::ios::trunc);
    if (!file_) throw Failure{exit_other, fmt::format("{}: cannot write", *path_), "io_error", {}};
}

OutputFile::~OutputFile() {
    if (!path_ || done_) return;
    file_.close();
    std::error_code ec;
    std::filesystem::remove(tmp_, ec);
}

std::ostream& OutputFile::stream() { return path_ ? static_cast<std::ostream&>(file_) : std::cout; }

void OutputFile::commit() {
    stream().flush();
    if (!path_) return;
    file_.close();
    std::error_code ec;
    if (!file_ || (std::filesystem::rename(tmp_, *path_, ec), ec)) {
        std::filesystem::remove(tmp_, ec);
        done_ = true;
        throw Failure{exit_other, fmt::format("{}: cannot write", *path_), "io_error", {}};
    }
    done_ = true;
}

std::string read_file_or_stdin(const std::string& path) {
    if (path == "-") {
        std::ostringstream s;
        s << std::cin.rdbuf();
        return s.str();
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) cannot_read(path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// ---- argument parsing ---------------------------------------------------------------
namespace {
const std::vector<OptSpec> kGlobal = {
    {"db", true}, {"json", false}, {"csv", false}, {"actor", true},
};

const OptSpec* find_spec(const std::vector<OptSpec>& spec, std::string_view name) {
    for (const auto& s : spec)
        if (name == s.name) return &s;
    return nullptr;
}

bool looks_negative_number(const std::string& t) {
    return t.size() > 1 && t[0] == '-' && (std::isdigit(static_cast<unsigned char>(t[1])) || t[1] == '.');
}

// Options whose values are file names: not required to be UTF-8.
bool is_path_option(std::string_view name) { return name == "db" || name == "from-json"; }

void apply_global(Context& ctx, const std::string& name, const std::string& value) {
    if (name == "db") {
        if (value.empty()) usage_error("--db needs a file name");
        ctx.db_path = value;
    } else if (name == "json") {
        ctx.format = Format::as_json;
    } else if (name == "csv") {
        ctx.format = Format::as_csv;
    } else if (name == "actor") {
        ctx.actor = parse_id(value, "--actor");
        ctx.actor_option = true;
    }
}
}  // namespace

Args parse_args(Context& ctx, const std::vector<std::string>& tokens, const std::vector<OptSpec>& spec) {
    Args a;
    bool options_done = false;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const std::string& t = tokens[i];
        if (options_done || t == "-" || t.empty() || t[0] != '-' || looks_negative_number(t)) {
            check_utf8(fmt::format("argument '{}'", a.positional.size() + 1), t);
            a.positional.push_back(t);
            continue;
        }
        if (t == "--") { options_done = true; continue; }
        if (t.size() < 3 || t[1] != '-') usage_error(fmt::format("unknown option '{}'", t));
        std::string name = t.substr(2);
        std::optional<std::string> value;
        if (auto eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name.resize(eq);
        }
        check_utf8("an option name", name);
        const OptSpec* s = find_spec(kGlobal, name);
        const bool global = s != nullptr;
        if (!s) s = find_spec(spec, name);
        if (!s) usage_error(fmt::format("unknown option '--{}'", name));
        if (s->value && !value) {
            if (i + 1 >= tokens.size()) usage_error(fmt::format("option --{} needs a value", name));
            value = tokens[++i];
        }
        if (!s->value && value) usage_error(fmt::format("option --{} takes no value", name));
        if (!is_path_option(name)) check_utf8(fmt::format("the value of --{}", name), value.value_or(""));
        if (global) apply_global(ctx, name, value.value_or(""));
        else a.options.emplace_back(name, value.value_or(""));
    }
    return a;
}

std::size_t skip_globals(Context& ctx, const std::vector<std::string>& args) {
    std::size_t at = 0;
    while (at < args.size() && args[at].starts_with("--") && args[at] != "--" && args[at] != "--help") {
        const bool takes_value = args[at] == "--db" || args[at] == "--actor";
        std::vector<std::string> prefix(args.begin() + static_cast<std::ptrdiff_t>(at),
                                        args.begin() + static_cast<std::ptrdiff_t>(std::min(args.size(), at + (takes_value ? 2 : 1))));
        Args g = parse_args(ctx, prefix, {});  // only global options are known here
        if (!g.positional.empty() || !g.options.empty()) break;
        at += prefix.size();
    }
    return at;
}

int run_sub(Context& ctx, const std::vector<std::string>& args, const std::vector<SubCommand>& subs) {
    std::string names;
    for (const auto& c : subs) names += fmt::format("{}{}", names.empty() ? "" : ", ", c.name);
    const std::size_t at = skip_globals(ctx, args);  // crm email --json track 3 opened
    if (at >= args.size()) usage_error(fmt::format("'crm {}' needs a sub-command ({})", ctx.command, names));
    const std::string& sub = args[at];
    for (const auto& c : subs) {
        if (sub != c.name) continue;
        if (ctx.help && ctx.usage) {
            fmt::print("{}", ctx.usage());
            return exit_ok;
        }
        return c.run(ctx, std::vector<std::string>(args.begin() + static_cast<std::ptrdiff_t>(at) + 1, args.end()));
    }
    check_utf8("the sub-command", sub);
    usage_error(fmt::format("'{}' is not a sub-command of 'crm {}' ({})", sub, ctx.command, names));
}

bool Args::has(std::string_view name) const {
    for (const auto& [k, v] : options)
        if (k == name) return true;
    return false;
}

std::optional<std::string> Args::get(std::string_view name) const {
    std::optional<std::string> r;
    for (const auto& [k, v] : options)
        if (k == name) r = v;
    return r;
}

std::vector<std::string> Args::all(std::string_view name) const {
    std::vector<std::string> r;
    for (const auto& [k, v] : options)
        if (k == name) r.push_back(v);
    return r;
}

const std::string& Args::pos(std::size_t i, const char* what) const {
    if (i >= positional.size()) usage_error(fmt::format("missing argument: {}", what));
    return positional[i];
}

void Args::expect_positional(std::size_t min, std::size_t max) const {
    if (positional.size() < min) usage_error("missing arguments");
    if (positional.size() > max)
        usage_error(fmt::format("unexpected argument '{}'", positional[max]));
}

}  // namespace cli
