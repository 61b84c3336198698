// Private: reading what a score is computed from — active models, a contact's and
// its account's field values (now or as of a time), its interactions — and the
// two ways of storing scores: one contact at a time (incremental) and a full pass.
#pragma once

#include <memory>

#include "scoring/model.hpp"
#include "scoring/scoring_internal.hpp"
#include "store/scoring_store.hpp"

namespace crm::scoring {

using detail::DbImpl;

// A parsed model version (parsed once per definition text, then shared).
std::shared_ptr<const Model> parsed(DbImpl& db, const std::string& definition);
result<Model> parse(DbImpl& db, std::string_view definition);

// The custom-field definitions of a kind (ctx: the DbImpl), for parse_model / parse_predicate.
std::vector<CustomFieldDef> custom_defs(void* ctx, Entity e);
// The values of a model's fit slots for a contact and its account (nullptr: none).
std::vector<Value> fit_values(const Model& m, const Contact& c, const Account* a);

// Models read together: the union of their interaction columns and kinds.
struct Prepared {
    struct Entry {
        store::ModelRow row;
        int version = 0;
        std::shared_ptr<const Model> model;
        std::vector<int> imap;  // model interaction slot -> column index
    };
    std::vector<Entry> models;
    std::vector<const char*> columns;
    std::vector<VK> column_vk;
    std::string kinds_json;
    bool events = false;
    bool uses_account = false;
    void add(store::ModelRow row, int version, std::shared_ptr<const Model> model);
};
// The active models; with `kinds`, only those whose behaviour rules read one of them.
Prepared prepare_active(DbImpl& db, const std::vector<std::string>* kinds = nullptr);

// One contact's inputs. fit values per model (in Prepared order).
struct ContactInputs {
    std::vector<std::vector<Value>> fit;  // per model
    std::vector<Row> rows;                // sorted by (at, id, event)
};
// Current fields (as_of empty) or as of a time; errc::not_found if the contact did
// not exist then.
result<ContactInputs> read_inputs(DbImpl& db, const Prepared& p, Id contact_id, std::optional<Timestamp> as_of);

// Stores a computed score, calling the change hooks when the total moved.
result<void> store_score(records::Write& w, const Prepared::Entry& e, Score s);

// Every contact, scored now under the prepared models and stored (a full rescore);
// or, with `out`, computed and handed to out(entry index, score) without storing.
result<std::int64_t> full_pass(records::Write& w, const Prepared& p, Timestamp now,
                               const std::function<void(std::size_t, const Score&)>* out = nullptr);

}  // namespace crm::scoring
