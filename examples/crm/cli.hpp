// cli.hpp — what every crm sub-command shares: the run context (global options,
// the database), argument parsing, errors with exit codes, and output in the
// three formats (aligned table, RFC 4180 CSV, JSON).
//
// Like libgit2's lg2, the CLI uses only the public API in include/crm/.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "tools/table.hpp"

#include "crm/crm.hpp"

namespace cli {

using json = nlohmann::ordered_json;

// ---- exit codes and errors ---------------------------------------------------
// One rule for every command (docs/cli.md, "Exit codes"):
//   1 usage      the command line cannot be read: unknown command, sub-command or option,
//                missing or extra arguments, an argument not of the form it needs (an id
//                that is not a positive integer, a number, time, JSON text, ENTITY:ID or
//                amount that does not parse, text that is not UTF-8)
//   2 not found  a record, file or database named on the command line does not exist,
//                directly (get 42) or as a reference (--contact 99, --link contact:99)
//   3 refused    well-formed values the data refuses: not one of the allowed values, out of
//                range, a duplicate, a broken rule (workflow, still referenced)
//   4 other      I/O, not a database, busy, schema too new, read-only, internal
enum Exit : int { exit_ok = 0, exit_usage = 1, exit_not_found = 2, exit_invalid = 3, exit_other = 4 };

// Thrown inside the CLI and caught once in main(): printed as
// "crm: error: <message> (<code>)" on stderr; the process exits with `exit`.
struct Failure {
    int exit = exit_other;
    std::string message;
    std::string code;  // errc name ("not_found", …) or "usage"
    std::string hint;  // optional second line ("see 'crm help contact'")
};

int exit_code_for(crm::errc code) noexcept;
[[noreturn]] void raise(const crm::error& e);
[[noreturn]] void usage_error(std::string message, std::string hint = {});
[[noreturn]] void invalid_input(std::string message);   // exit 3: a value is refused
[[noreturn]] void bad_argument(std::string message);    // exit 1: an argument does not parse
[[noreturn]] void not_found(std::string message);       // exit 2

template <class T>
T must(crm::result<T> r) {
    if (!r) raise(r.error());
    return std::move(r).value();
}
inline void must(crm::result<void> r) {
    if (!r) raise(r.error());
}

// ---- the run context ----------------------------------------------------------
enum class Format { as_table, as_json, as_csv };

struct Context {
    std::string db_path;              // --db, else $CRM_DB, else ./crm.db
    Format format = Format::as_table;    // --json / --csv
    std::optional<crm::Id> actor;     // --actor, else $CRM_ACTOR
    bool actor_option = false;        // --actor was given on the command line
    std::string command;              // e.g. "contact"
    std::optional<crm::Db> db;
    // `crm CMD SUB --help`: the command checks SUB exists, then prints `usage`.
    bool help = false;
    std::function<std::string()> usage;

    // Opens the database. Without `create`, a missing file is an error that
    // points at 'crm init' rather than silently creating an empty database.
    crm::Db& open(bool create = false);
};

// ---- arguments -------------------------------------------------------------------
struct OptSpec {
    std::string name;  // long name without dashes: "where"
    bool value;        // takes a value (--where X or --where=X)
    std::string help = {};
};

// Parsed command arguments. Global options (--db, --json, --csv, --actor) are
// accepted anywhere and written into the context. "--" ends the options; a
// token that looks like a negative number is a positional argument.
struct Args {
    std::vector<std::string> positional;
    std::vector<std::pair<std::string, std::string>> options;  // in command-line order

    bool has(std::string_view name) const;
    std::optional<std::string> get(std::string_view name) const;  // last occurrence
    std::vector<std::string> all(std::string_view name) const;
    const std::string& pos(std::size_t i, const char* what) const;  // required positional
    void expect_positional(std::size_t min, std::size_t max) const;
};

Args parse_args(Context& ctx, const std::vector<std::string>& tokens, const std::vector<OptSpec>& spec);

// A sub-command of a command: `crm deal move …`, `crm email track …`.
struct SubCommand {
    const char* name;
    int (*run)(Context& ctx, const std::vector<std::string>& args);
};
// Runs the sub-command args[0] names (a usage error when none does); with
// ctx.help set, prints ctx.usage() instead once the name is known.
int run_sub(Context& ctx, const std::vector<std::string>& args, const std::vector<SubCommand>& subs);
// How many leading tokens are global options (--json, --db FILE …): a sub-command may follow them.
std::size_t skip_globals(Context& ctx, const std::vector<std::string>& args);

// Arguments must be UTF-8 (except file names). Throws exit_invalid otherwise.
void check_utf8(std::string_view what, std::string_view text);
bool valid_utf8(std::string_view text) noexcept;

crm::Id parse_id(const std::string& text, const char* what = "id");
std::int64_t parse_int(const std::string& text, const char* what);
crm::Entity parse_entity(const std::string& text);
std::string read_file_or_stdin(const std::string& path);  // "-" = stdin
[[noreturn]] void cannot_read(const std::string& path);     // exit 2 if it does not exist, else 4

// Where a command writes its output: standard output, or a file written beside its place
// and renamed there by commit(), so that a command that fails leaves no partial file (the
// destructor removes what was written). Failure exit 4 when the file cannot be written.
class OutputFile {
public:
    explicit OutputFile(const std::optional<std::string>& path, const char* suffix = ".tmp-crm");
    ~OutputFile();
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;
    std::ostream& stream();
    void commit();  // flushes; with a path, renames the file into place
private:
    std::optional<std::string> path_;
    std::string tmp_;
    std::ofstream file_;
    bool done_ = false;
};

// ---- output ------------------------------------------------------------------------
// Tables and CSV are rendered by examples/tools (tools/table.hpp).
using crm::tools::Table;
using crm::tools::csv_field;
using crm::tools::display_width;
void print_table(const Table& t, std::size_t max_cell_width = 40);
void print_csv(const Table& t);

// JSON documents: docs are the texts crm::to_json gives.
void print_json_docs(const std::vector<std::string>& docs);  // a JSON array
void print_json_doc(const std::string& doc);

// A scalar of a document as table/CSV text: strings raw, null empty,
// arrays joined with "; " (emails and phones by their address/number).
std::string cell_text(const json& v);
// The value at a dotted path ("address.city"; "emails.primary" picks the primary element).
const json* at_path(const json& doc, std::string_view path);
// Flattens a document to (dotted key, text) pairs: address.city, custom.rank …
void flatten(const json& doc, const std::string& prefix, std::vector<std::pair<std::string, std::string>>& out);

// Records given as to_json texts: table mode shows `columns` (dotted keys;
// "header=key" renames), CSV shows every flattened field, JSON the documents.
void print_records(const Context& ctx, const std::vector<std::string>& docs, const std::vector<std::string>& columns);
// One record: table mode lists "field  value" lines; CSV/JSON as above.
void print_record(const Context& ctx, const std::string& doc);
// A list of changes (history, employment history).
void print_changes(const Context& ctx, const std::vector<crm::Change>& changes);

// A small result that is not a record ({"count": 3}, {"id": 7, "deleted": true}):
// JSON as it is, CSV as a header and one row, a table as "field  value" lines.
void print_object(const Context& ctx, const json& object);

// Money in tables: amount.amount in the currency's own unit ("199.99").
std::string money_text(std::int64_t minor, const std::string& currency);

// Writes a note to stderr (cursor of the next page, progress …).
void note(std::string_view text);

}  // namespace cli
