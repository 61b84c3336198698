// Private: SQL of lead scoring (scoring_store.cpp): models and their versions, stored
// scores, and the interactions a model reads. Column names of interaction fields come
// from the interaction kind's descriptor (passed in by the scoring area), never from input.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "crm/scoring.hpp"
#include "store/entity_store.hpp"

namespace crm::store {

struct ModelRow {
    Id id = 0;
    std::string name;
    bool active = true;
    int latest_version = 0;
};
struct VersionRow {
    int version = 0;
    std::string definition;
    Timestamp created_at = 0;
};

std::optional<ModelRow> model_by_name(DbImpl& db, const std::string& name);
std::vector<ModelRow> models(DbImpl& db, bool only_active);
Id insert_model(DbImpl& db, const std::string& name, Timestamp at);
void set_model_state(DbImpl& db, Id model_id, int latest_version, bool active, Timestamp at);
void insert_version(DbImpl& db, Id model_id, int version, const std::string& definition, Timestamp at,
                    std::optional<Id> actor);
std::optional<VersionRow> model_version(DbImpl& db, Id model_id, int version);
// The newest version stored at or before `at`.
std::optional<VersionRow> version_at(DbImpl& db, Id model_id, Timestamp at);
std::vector<VersionRow> versions(DbImpl& db, Id model_id);

// Stored scores. With want_before, upsert returns the total stored before (nullopt
// if none); without, it writes only and returns nullopt.
std::optional<std::int64_t> upsert_score(DbImpl& db, Id model_id, const Score& s, bool want_before = true);
std::optional<Score> load_score(DbImpl& db, Id model_id, Id contact_id);
void delete_scores(DbImpl& db, Id model_id);
struct TopKey {
    std::int64_t total = 0;
    Id contact_id = 0;
};
std::vector<Score> top_scores(DbImpl& db, Id model_id, std::size_t limit, const std::optional<TopKey>& after);
// The fit part of the stored scores of these contacts (ids: a JSON array), every model.
struct StoredFit {
    Id contact_id = 0, model_id = 0;
    int version = 0;
    std::int64_t fit = 0;
    bool disqualified = false;
};
std::vector<StoredFit> stored_fits(DbImpl& db, const std::string& ids_json);
// contact id -> stored total, for a model.
std::vector<std::pair<Id, std::int64_t>> stored_totals(DbImpl& db, Id model_id);

// Contacts: every id in order, and those whose account_id is `account_id` now.
std::vector<Id> contact_ids_after(DbImpl& db, Id after, std::size_t limit);
std::vector<Id> contacts_of_account(DbImpl& db, Id account_id);

// The interactions linked to contacts, as rows of (contact, at, id, kind, event,
// columns...): `columns` are descriptor column names of the interactions table.
// The contacts read: every one (ordered by contact), one, or those of a JSON array of ids.
struct ContactSet {
    std::optional<Id> one;
    const std::string* ids_json = nullptr;
};
// kinds: a JSON array. fn gets the statement positioned on a row; columns start at index 5.
void scan_interactions(DbImpl& db, const std::vector<const char*>& columns, const std::string& kinds_json,
                       const ContactSet& who, const std::function<void(SQLite::Statement&)>& fn);
// The email events of the email interactions linked to contacts, the same row shape.
void scan_email_events(DbImpl& db, const std::vector<const char*>& columns, const ContactSet& who,
                       const std::function<void(SQLite::Statement&)>& fn);
// The contacts linked to an interaction.
std::vector<Id> interaction_contacts(DbImpl& db, Id interaction_id);

}  // namespace crm::store
