// Private: the parts of the import engine (crm/import.hpp) — rules resolved against
// the registry and the database (mapping.cpp, plan.cpp), cells turned into JSON values
// (cells.cpp), the rows' sources (source.cpp), references (resolve.cpp), matching rows
// to existing records (match.cpp), the run (run.cpp), undo (undo.cpp), export (export.cpp).
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "crm/custom_fields.hpp"
#include "crm/entities.hpp"
#include "crm/import.hpp"
#include "util/try.hpp"

namespace crm::detail {
struct DbImpl;
}

namespace crm::import::impl {

using nlohmann::json;

// A piece of a template: literal text, or a column with filters ("sales_agent|slug").
struct Piece {
    bool column = false;
    std::string text;                  // the literal, or the column's header
    std::vector<std::string> filters;  // slug, lower, upper, trim
};
result<std::vector<Piece>> parse_template(const std::string& text, const std::string& where);

// What a rule writes.
enum class Slot {
    plain,      // a field of the document at `path` ("address.city" → address/city)
    custom,     // custom.<name>
    tags,       // tags
    list,       // a list of strings, or the first part of a list's element (emails → address)
    list_part,  // one part of the single element the row gives (line_items.product_id)
    stage,      // a deal's stage_id by name, in the row's pipeline
};

// A rule checked against the registry (mapping.cpp): what a column means.
struct Target {
    const FieldRule* rule = nullptr;
    Slot slot = Slot::plain;
    const FieldInfo* info = nullptr;       // the field (a list's own field for list/list_part)
    const ElementPart* part = nullptr;     // list_part, list of objects: the part
    std::vector<std::string> path;         // JSON path of a plain field
    std::string custom_name;
    bool multi = false;                    // several columns may feed it (lists, tags, references)
    std::vector<Piece> pieces;             // a template
    // At run time (plan.cpp):
    int column = -1;                       // index in the row's cells
    std::optional<CustomFieldDef> def;     // custom
    Missing missing = Missing::reject;
};

// The field of the kind a rule names: nullptr, with *why, when none may be imported.
const FieldInfo* importable_field(const EntityInfo& kind, const std::string& name, std::string* why);
// Every rule of the mapping as a Target (no columns yet); the mapping's rules are checked.
result<std::vector<Target>> targets_of(const Mapping& m);

// One row as read: cells by column index; json_cells marks cells holding JSON text (a
// non-string value of a JSON lines input).
struct Row {
    std::uint64_t line = 0;
    std::vector<std::string> cells;
    std::vector<bool> json_cells;
    std::string error;  // a row that could not be read at all (a JSON line that is not an object)
};

// A cell as a JSON value of the target's type into `out`; left empty for an empty cell
// (the field is left out of the row's document). Time zones, currencies and aliases from
// the mapping. false, with *why, when the cell cannot be read as one.
bool convert(const Mapping& m, const Target& t, const std::string& cell, bool is_json, std::optional<json>& out,
             std::string* why);
// The value of a template for a row.
std::string render(const std::vector<Piece>& pieces, const std::vector<std::string>& header, const Row& row);

// The text of a value the way an export writes it (and convert reads it back).
std::string cell_text(const Mapping& m, const Target& t, const json& value);

// Sets doc[path…] = v, creating objects on the way.
void put(json& doc, const std::vector<std::string>& path, json v);
// doc[path…], or nullptr when absent.
const json* at(const json& doc, const std::vector<std::string>& path);

// The normalised keys of a record document (for MatchKey): "e:taro@example.com", "p:+81…",
// "x:EXT-1", "n:…", "c:name|company". company_name: the name of the contact's account.
std::vector<std::string> match_keys(Entity kind, const std::vector<MatchKey>& keys, const json& doc,
                                    const std::string& company_name, const std::string& region);

}  // namespace crm::import::impl
