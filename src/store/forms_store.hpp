// Private: SQL for forms, their versions and form submissions (forms_store.cpp).
// The forms area (src/forms/) owns what the rows mean.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "crm/forms.hpp"
#include "store/db_impl.hpp"

namespace crm::store {

using detail::DbImpl;

struct FormRow {
    Id id = 0;
    std::string name;
    std::int64_t version = 0;
    std::optional<Id> campaign_id;
    std::string definition;  // the form's JSON document
    Timestamp created_at = 0, updated_at = 0;
};

Id insert_form(DbImpl& db, const FormRow& row);
void update_form(DbImpl& db, const FormRow& row);
void delete_form(DbImpl& db, Id id);
std::optional<FormRow> form_row(DbImpl& db, Id id);
std::optional<Id> form_id_by_name(DbImpl& db, const std::string& name);
std::vector<FormRow> form_rows(DbImpl& db);  // by name
void append_form_version(DbImpl& db, const FormVersion& v);
std::vector<FormVersion> form_versions(DbImpl& db, Id form_id);

// Every account's id and name, by id: matched by company name in the forms area.
std::vector<std::pair<Id, std::string>> account_names(DbImpl& db);
std::optional<std::string> campaign_name(DbImpl& db, Id id);

struct SubmissionRow {
    Id interaction_id = 0;
    std::optional<Id> form_id;
    std::int64_t form_version = 0;
    std::string source, campaign;
    std::optional<Id> campaign_id;
    std::string utm_source, utm_medium, utm_campaign, utm_term, utm_content;
    std::string submitted;  // the values as a JSON object
};
void insert_submission(DbImpl& db, const SubmissionRow& row);

// The contact's earliest (first = true) or latest attributed submission, by the
// interaction's time, through its timeline links; and how many there are.
std::optional<Touch> contact_touch(DbImpl& db, Id contact_id, bool first);
std::int64_t contact_touch_count(DbImpl& db, Id contact_id);

}  // namespace crm::store
