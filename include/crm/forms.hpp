// crm/forms.hpp — web forms and lead capture (MISSION C1, C2).
//
//   crm::Form f;
//   f.name = "contact-us"; f.title = "お問い合わせ"; f.source = "web";
//   f.fields = {{.name = "email", .type = crm::FormFieldType::email, .required = true,
//                .maps_to = "contact.emails"},
//               {.name = "company", .type = crm::FormFieldType::text, .maps_to = "account.name"}};
//   crm::Id form = db.forms().define(f).value();
//   auto r = db.forms().submit(form, {{"email", "taro@example.jp"}, {"company", "株式会社サンプル"}});
//   // r.value().contact_id, .created, .changed, .kept, .interaction_id
//
// A submission finds the contact by its email address (case-insensitive, as the
// unique email index does) or creates it, and adds only what is new (progressive
// profiling): a known value is never erased by an empty or missing field, and a
// conflicting one follows the form's rule (overwrite or keep, per form and per
// field). Every change goes through the contacts' and accounts' update path, so it
// has its history row and actor. The submission itself is an interaction
// (kind "form_submission", inbound) on the contact's and account's timelines, with
// its UTM data in the form_submissions table. One submission is one transaction;
// a bad one gets every field error at once and stores nothing. See docs/forms.md.
#pragma once

#include <map>

#include "crm/db.hpp"

namespace crm {

// What a form field accepts.
//   text      any UTF-8 text
//   email     an email address
//   phone     a phone number (at least 3 digits; no letters)
//   number    a decimal number: -12, 3.5 (full-width digits accepted, stored ASCII)
//   date      YYYY-MM-DD (YYYY/MM/DD accepted, stored with dashes)
//   choice    one of FormField::choices, exactly
//   consent   a checkbox mapped to the contact's consent: can grant, never withdraw
//   checkbox  any other yes/no box (a bool custom field, or unmapped)
// Checkbox values: true/1/on/yes/checked, false/0/off/no or empty.
enum class FormFieldType { text, email, phone, number, date, choice, consent, checkbox };
const char* to_string(FormFieldType t) noexcept;
std::optional<FormFieldType> form_field_type_from_string(const std::string& s) noexcept;

// What a submitted value does to a different value already known.
//   inherit    (fields only) the form's rule
//   overwrite  the submitted value replaces it
//   keep       the known value stays; the conflict is reported in SubmitResult::kept
// An empty or missing value never changes anything, whichever the rule.
enum class OnConflict { inherit, overwrite, keep };
const char* to_string(OnConflict r) noexcept;
std::optional<OnConflict> on_conflict_from_string(const std::string& s) noexcept;

struct FormField {
    std::string name;          // the key a submission uses: 1–64 bytes of UTF-8, no space, '=' or control
    std::string label;         // shown to people: お名前
    FormFieldType type = FormFieldType::text;
    bool required = false;     // must be given and not empty (consent/checkbox: must be checked)
    // Longest value in characters (Unicode code points), 1 … 65536; unset: the
    // database's text limit (OpenOptions::max_text_bytes, in bytes).
    std::optional<std::int64_t> max_length;
    std::vector<std::string> choices;  // choice only: the allowed values (1 … 1000, no duplicates)
    // text, email, phone, number: the whole (trimmed, normalized) value must match
    // this glob (at most 256 bytes; docs/forms.md): ? any character, * any run,
    // # a digit (also full-width), @ an ASCII letter, [a-z0-9] / [^…] a set, \x x itself.
    // Matched without recursion in time bounded by value x pattern length.
    std::string pattern;
    // Where the value goes; empty: nowhere but the submission (the interaction's body).
    //   contact.<field>         a contact field: name, name_reading, emails, phones,
    //                           title, department, birthday, lead_source, address.*,
    //                           consent.* (key or short name: contact.email, contact.city)
    //   contact.custom.<name>   a contact custom field (it must be defined)
    //   account.name            the employer, found by normalized company name or created
    //   account.<field>         industry, website, phone, name_reading, employee_count, address.*
    //   account.custom.<name>   an account custom field
    // Checked when the form is defined against the entity registry
    // (crm::entity_info) and the custom-field definitions: an unknown target, or one
    // the field's type cannot fill, is refused. Stored as the canonical key
    // ("contact.email" → "contact.emails").
    std::string maps_to;
    OnConflict on_conflict = OnConflict::inherit;
};

struct Form {
    Id id = 0;
    std::string name;           // unique key, [a-z0-9][a-z0-9_-]{0,63}: "contact-us"
    std::string title;          // お問い合わせフォーム
    std::string source;         // the source a submission is attributed to ("web", "seminar"); utm_source wins
    std::optional<Id> campaign_id;   // the campaign submissions are attributed to (must exist)
    OnConflict on_conflict = OnConflict::keep;  // overwrite or keep (not inherit)
    std::vector<FormField> fields;   // 1 … 200; exactly one kind of identity: see docs/forms.md
    std::int64_t version = 0;   // set by the library: 1 when defined, +1 on each update that changes it
    Timestamp created_at = 0, updated_at = 0;
};

// One definition of a form as it was: every define, update and remove.
struct FormVersion {
    Id form_id = 0;
    std::int64_t version = 0;
    std::string op;             // "define", "update", "remove"
    Timestamp at = 0;
    std::optional<Id> actor_id;
    std::string definition;     // the form's JSON document (to_json(Form)); "null" for remove
};

// Submitted values: form field name -> value as typed.
using FormValues = std::map<std::string, std::string>;

// Where the submission came from. The IP address is not taken (personal data the
// library does not keep).
struct SubmitMeta {
    Timestamp at = 0;  // when it was submitted; 0 = now. Earlier: a back-dated submission; later than now: refused
    std::string utm_source, utm_medium, utm_campaign, utm_term, utm_content;
    std::string url;       // the page the form was on
    std::string referrer;
};

// One refused value: `field` names the form field.
struct FormFieldError {
    std::string field;
    std::string message;
    friend bool operator==(const FormFieldError&, const FormFieldError&) = default;
};

struct SubmitResult {
    Id contact_id = 0;
    bool created = false;                 // the contact was created by this submission
    std::optional<Id> account_id;         // the account named (found or created), if the form maps one
    bool account_created = false;
    std::vector<std::string> changed;     // target fields set: "contact.title", "account.industry", "contact.emails"
    std::vector<std::string> kept;        // targets whose known value was kept against a different one
    Id interaction_id = 0;                // the form_submission interaction
};

// An attributed touch: a submission with a source or a campaign.
struct Touch {
    Id interaction_id = 0;
    std::optional<Id> form_id;            // null once the form is removed
    Timestamp at = 0;
    std::string source, medium, campaign;  // source: utm_source or the form's; campaign: utm_campaign or the campaign's name
    std::optional<Id> campaign_id;
};

// A contact's acquisition path: first = earliest by time (never replaced by a
// later submission; a back-dated one that is earlier takes its place), latest =
// most recent by time. Ties: the one stored first is first, the one stored last latest.
struct Touches {
    std::optional<Touch> first, latest;
    std::int64_t count = 0;               // attributed touches
};

class Forms {
public:
    explicit Forms(detail::DbImpl* db) noexcept : db_(db) {}

    // A new form (form.id ignored): version 1. The definition is checked whole
    // (errc::invalid_argument naming e.g. "fields[2].maps_to"); a taken name is
    // errc::already_exists.
    result<Id> define(const Form& form) noexcept;
    // Replaces the definition of form.id; version + 1 when anything changed.
    result<void> update(const Form& form) noexcept;
    result<Form> get(Id id) noexcept;
    result<Form> get_by_name(const std::string& name) noexcept;
    result<std::vector<Form>> list() noexcept;  // by name
    // Submissions already made stay (their interactions keep form_id null).
    result<void> remove(Id id) noexcept;
    result<std::vector<FormVersion>> versions(Id id) noexcept;  // oldest first; kept after remove

    // Every error the values would get, in form field order (unknown fields last);
    // empty when submit would accept them. Writes nothing.
    result<std::vector<FormFieldError>> check(Id form_id, const FormValues& values) noexcept;
    // Refused with errc::invalid_argument when any value is bad: the message lists
    // every error ("3 fields refused: email: …; company: …"), error.field names the
    // first; check() gives them one by one. Nothing is stored then.
    result<SubmitResult> submit(Id form_id, const FormValues& values, const SubmitMeta& meta = {}) noexcept;

    // The contact's first and latest attributed touch.
    result<Touches> touches(Id contact_id) noexcept;

private:
    detail::DbImpl* db_;
};

// How a company name is matched (account.name): crm::normalize::company — NFKC with
// case folding, hiragana as katakana, spaces and punctuation and the legal form
// (株式会社, (株), 有限会社, Co., Ltd., Inc. …) left out. "株式会社サンプル", "(株)サンプル",
// "㈱ｻﾝﾌﾟﾙ" and "サンプル株式会社" have the same key. Exposed for tests and tools.
std::string company_match_key(std::string_view name);

// ---- JSON (docs/forms.md) ----------------------------------------------------------
std::string to_json(const Form& form);
result<Form> form_from_json(std::string_view json) noexcept;
std::string to_json(const SubmitResult& r);
std::string to_json(const Touches& t);
std::string to_json(const FormVersion& v);
std::string to_json(const std::vector<FormFieldError>& errors);  // [{"field":"email","message":"…"}]
// {"email":"taro@example.jp","employees":120,"agree":true}: strings, numbers and
// booleans (taken as their text), null = not given.
result<FormValues> form_values_from_json(std::string_view json) noexcept;
// {"at":"2026-05-01T09:00:00Z","utm_source":"google",…,"url":…,"referrer":…}
result<SubmitMeta> submit_meta_from_json(std::string_view json) noexcept;

}  // namespace crm
