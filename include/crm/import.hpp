// crm/import.hpp — bringing records in from CSV and JSON lines, and taking them out
// again (MISSION D2). docs/import.md has the mapping language, the rules and the limits.
//
//   auto m = crm::import::parse_mapping(R"({"kind": "contact", "fields": [
//       {"column": "氏名", "field": "name"},
//       {"column": "メール", "field": "emails"},
//       {"column": "会社", "field": "account_id", "by": "name", "missing": "create"}],
//     "match": ["email", "phone", "name_company"], "on_duplicate": "update"})");
//   crm::import::Options o;
//   o.reject_path = "rejects.csv";                 // every refused row, with line, column and reason
//   auto r = db.imports().run_file(m.value(), "名刺.csv", o);
//   // r->created, r->updated, r->skipped, r->rejected; r->batch_id
//   db.imports().undo(r->batch_id);                // created records removed, updated ones restored
//
// Every row is checked by the same write path as a record typed in by hand (the kind's
// rules, unique keys, references), in its own savepoint: a row is written whole or not
// at all, and a refused row goes to the report and the reject file, never silently
// away. A dry run does everything and rolls it back.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "crm/csv.hpp"
#include "crm/error.hpp"
#include "crm/query.hpp"
#include "crm/types.hpp"

namespace crm::detail {
struct DbImpl;
}

namespace crm::import {

// What to do with a reference whose target does not exist.
enum class Missing {
    reject,  // the row is refused, naming the column and the value (the default)
    create,  // a record of the target kind is created from the value (an account by its name)
    empty,   // the reference is left unset
};

// What to do with a row that matches an existing record (Mapping::match).
enum class OnDuplicate {
    create,  // no matching: every row is a new record (the default without match keys)
    skip,    // the existing record is kept as it is; the row is counted as skipped
    update,  // the row's non-empty cells overwrite; an empty cell never erases a known value;
             // lists (emails, phones, tags) gain the row's new elements
    merge,   // only fields the existing record has empty are filled; lists gain new elements
};

// How rows are matched to existing records (and to rows imported earlier in the run).
enum class MatchKey {
    external_id,   // the same external id
    email,         // an email address equal after normalize::email (contacts, users)
    phone,         // a phone number equal in E.164 (normalize::phone, default region JP)
    name,          // the same name after normalize::fold (accounts: normalize::company)
    name_company,  // contacts: the same folded name at the same company (normalize::company)
};

// One field of the target kind and where its value comes from: a column, a constant, or
// a template over columns.
struct FieldRule {
    std::string field;     // "name", "address.city", "emails", "custom.rank", "tags", "line_items.product_id"
    std::string column;    // the header of the column it is read from; or
    std::optional<std::string> value;  // a constant; or
    std::string template_text;         // "{product} / {account}", "{sales_agent|slug}@example.com"
    std::map<std::string, std::string> values;  // cell value → stored value ("technolgy" → "technology")
    std::string by;        // references: "id" (default), "name", "email", "external_id"
    std::optional<Missing> missing;    // references: overrides Mapping::missing
    std::string split;     // lists and tags: the separator of several values in one cell (";")
    std::string label;     // emails and phones: the label of the element ("work")
    std::string currency;  // money: the cell's currency (else Mapping::currency); amounts in its own unit ("199.99")
    // Deals' stage_id: the deal is created in the stage named `from`, then moved to the
    // row's stage at the time in column `at` (a back-dated move, with its stage history).
    std::string at;
    std::string from;
};

struct CustomFieldSpec {
    std::string name;   // [a-z][a-z0-9_]*
    std::string type;   // "text", "integer", "decimal", "date", "bool", "enum"
    std::string label;
    std::vector<std::string> options;
};

struct Mapping {
    Entity kind = Entity::contact;
    std::vector<FieldRule> fields;
    std::vector<MatchKey> match;             // empty: every row is a new record
    OnDuplicate on_duplicate = OnDuplicate::create;
    Missing missing = Missing::reject;
    std::string currency = "JPY";            // of money cells without their own
    int utc_offset_minutes = 0;              // dates given as times ("2017-03-01" → 00:00 at this offset)
    std::string default_region = "JP";       // for phone numbers without a country code
    std::vector<CustomFieldSpec> define;     // custom fields created before the first row when missing
    csv::ReadOptions csv;                    // encoding, delimiter, header (header required for columns)
    // Columns whose header equals a field's key or short name are mapped too (an exported file).
    bool auto_columns = false;
};

// The mapping language (JSON text): docs/import.md. Unknown keys, unknown fields, a field
// named twice, a column named twice for one field, a reference rule on a field that is no
// reference … are refused with errc::invalid_argument naming the key.
result<Mapping> parse_mapping(std::string_view json_text);
// The mapping as JSON text (parse_mapping(to_json(m)) gives m back).
std::string to_json(const Mapping& m);

enum class Format { csv, jsonl };

struct Progress {
    std::uint64_t rows = 0;        // rows read so far
    std::uint64_t bytes = 0;       // of the input read so far
    std::uint64_t total_bytes = 0; // of the whole input; 0 when unknown (a pipe)
    double seconds = 0;            // since the start
};

struct Options {
    Format format = Format::csv;
    bool dry_run = false;                  // everything is checked and rolled back; no batch is kept
    std::string reject_path;               // CSV of refused rows: the input's columns + crm_line, crm_column, crm_reason
    std::string source_name;               // recorded with the batch (run_file: the path)
    std::size_t rows_per_commit = 2000;    // 1 … 1,000,000
    std::function<void(const Progress&)> progress;  // every progress_every rows, and at the end
    std::size_t progress_every = 1000;
};

// One refused row.
struct Reject {
    std::uint64_t line = 0;   // physical line the row starts on (JSON lines: the line)
    std::string column;       // the column (or JSON key) at fault; empty when the row as a whole
    std::string reason;
};

struct Report {
    Id batch_id = 0;               // 0 in a dry run, or when reading failed before any row
    std::uint64_t rows = 0;
    std::uint64_t created = 0, updated = 0, skipped = 0, rejected = 0, unchanged = 0;
    std::uint64_t references_created = 0;  // referenced records created (Missing::create)
    std::vector<Reject> rejects;   // the first 1000; all of them are in the reject file
    std::vector<std::string> unmapped_columns;  // columns of the input no rule reads
    std::string source_sha256;     // of the input's bytes
    bool dry_run = false;
    double seconds = 0;
};

// A recorded import.
struct Batch {
    Id id = 0;
    Entity kind = Entity::contact;
    std::string source_name;
    std::string source_sha256;
    std::string mapping;            // the mapping's JSON
    Timestamp started_at = 0, finished_at = 0;  // finished_at 0: interrupted (what it wrote is recorded)
    std::optional<Id> actor_id;
    std::uint64_t rows = 0, created = 0, updated = 0, skipped = 0, rejected = 0, references_created = 0;
    Timestamp undone_at = 0;        // 0: not undone
};

struct UndoReport {
    std::uint64_t removed = 0;   // records the batch created
    std::uint64_t restored = 0;  // records the batch updated, put back as they were
};

struct ExportOptions {
    Format format = Format::csv;
    csv::WriteOptions csv;        // neutralize_formulas for files meant for spreadsheets (never for re-import)
    std::vector<Filter> where;    // which records (the list filter language, crm/query.hpp)
};

// db.imports()
class Imports {
public:
    explicit Imports(detail::DbImpl* db) noexcept : db_(db) {}

    // Reads `in` to its end. errc::invalid_argument for a mapping that does not fit the
    // database (a custom field that does not exist, a missing column) or input that
    // cannot be read at all (an unterminated quote: the report so far is lost, the rows
    // before it stay committed in the batch unless dry_run). Refused rows are not errors.
    result<Report> run(const Mapping& mapping, std::istream& in, const Options& options = {}) noexcept;
    // A file; Options::source_name defaults to the path.
    result<Report> run_file(const Mapping& mapping, const std::string& path, Options options = {}) noexcept;

    // Undoes a whole batch, newest change first, in one transaction: records it created
    // are removed, records it updated get back the values it replaced. Refused
    // (errc::conflict, nothing changed) when a record was changed again after the batch
    // in a field the batch wrote, unless force; errc::constraint_violation when a record
    // the batch created is now referred to by one it did not create.
    result<UndoReport> undo(Id batch_id, bool force = false) noexcept;

    result<Batch> get(Id batch_id) noexcept;
    result<std::vector<Batch>> list() noexcept;  // newest first

    // Writes the records of mapping.kind (in id order, those matching options.where) to
    // `out`: CSV with one column per rule (header = the rule's column), or JSON lines with
    // one object per record keyed by the rules' columns. References are written the way
    // the rule reads them (by name, email, external id or id), a deal's stage by name when
    // its rule says so, money as "1100.04 USD" in CSV; lists and objects as JSON text in
    // CSV. Without rules (mapping.fields empty) every importable field is written, keyed
    // by its field key, and custom fields as custom.<name>: importing the file with
    // auto_columns into an empty database gives the same records. Rules with a constant
    // or a template are not written. Returns the number of records written.
    result<std::uint64_t> export_to(const Mapping& mapping, std::ostream& out, const ExportOptions& options = {}) noexcept;

private:
    detail::DbImpl* db_;
};

// As JSON objects (docs/import.md): what the C ABI gives and `crm import --json` prints.
std::string to_json(const Report& r);
std::string to_json(const Batch& b);
std::string to_json(const UndoReport& r);

const char* to_string(MatchKey k) noexcept;
const char* to_string(OnDuplicate p) noexcept;
const char* to_string(Missing m) noexcept;

}  // namespace crm::import
