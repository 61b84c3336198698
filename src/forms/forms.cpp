// Forms: definitions (checked against the entity registry and the custom-field
// definitions), their versions, and their JSON. Submissions are in submit.cpp.
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "crm/normalize.hpp"
#include "forms/forms_internal.hpp"
#include "json/parse.hpp"
#include "records/codec.hpp"
#include "records/engine.hpp"
#include "store/entity_store.hpp"
#include "store/forms_store.hpp"
#include "util/text.hpp"

namespace crm {

// The company-name key of account matching is the library's normalisation of company
// names (crm/normalize.hpp): NFKC with case folding, kana folded, the legal form left out.
std::string company_match_key(std::string_view name) { return normalize::company(name); }


namespace {
constexpr const char* kFieldTypes[] = {"text", "email", "phone", "number", "date", "choice", "consent", "checkbox"};
constexpr const char* kConflictRules[] = {"inherit", "overwrite", "keep"};
constexpr std::size_t kMaxFields = 200;
constexpr std::size_t kMaxChoices = 1000;
constexpr std::int64_t kMaxLength = 65536;
}  // namespace

const char* to_string(FormFieldType t) noexcept { return records::enum_name(kFieldTypes, t); }
std::optional<FormFieldType> form_field_type_from_string(const std::string& s) noexcept {
    return records::enum_from_name<FormFieldType>(kFieldTypes, s);
}
const char* to_string(OnConflict r) noexcept { return records::enum_name(kConflictRules, r); }
std::optional<OnConflict> on_conflict_from_string(const std::string& s) noexcept {
    return records::enum_from_name<OnConflict>(kConflictRules, s);
}

Forms Db::forms() noexcept { return Forms(impl_.get()); }

namespace forms {

std::size_t char_count(std::string_view s) noexcept {
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

std::string Target::canonical() const {
    switch (kind) {
        case none: return "";
        case contact_field: return "contact." + key;
        case contact_custom: return "contact.custom." + key;
        case account_name: return "account.name";
        case account_field: return "account." + key;
        case account_custom: return "account.custom." + key;
    }
    return "";
}

namespace {

bool textual(FormFieldType t) {
    return t == FormFieldType::text || t == FormFieldType::email || t == FormFieldType::phone ||
           t == FormFieldType::number || t == FormFieldType::date || t == FormFieldType::choice;
}

error cannot_fill(const std::string& path, const FormField& f, const std::string& what) {
    return invalid(path, fmt::format("a {} field cannot fill {}", to_string(f.type), what));
}

// A contact or account field a form may fill: imported, not computed, and of a
// type a submitted text can become. Not references, enumerations, money or tags.
bool fillable(const FieldInfo& fi) {
    if (!fi.has(cap_import) || fi.has(cap_computed) || fi.key == "external_id") return false;
    switch (fi.type) {
        case ValueType::text: case ValueType::date: case ValueType::boolean: case ValueType::integer: return true;
        case ValueType::list: return fi.key == "emails" || fi.key == "phones";
        default: return false;
    }
}

}  // namespace

result<Target> resolve(DbImpl& db, const FormField& f, const std::string& path) {
    Target t;
    const std::string& m = f.maps_to;
    if (m.empty()) {
        if (f.type == FormFieldType::consent)
            return invalid(path, "a consent field maps to contact.consent.<channel> (email, phone, sms, postal, tracking)");
        return t;
    }
    Entity entity;
    std::string rest;
    if (m.rfind("contact.", 0) == 0) {
        entity = Entity::contact;
        rest = m.substr(8);
    } else if (m.rfind("account.", 0) == 0) {
        entity = Entity::account;
        rest = m.substr(8);
    } else {
        return invalid(path, fmt::format("'{}' is not a target: contact.<field>, contact.custom.<name>, "
                                         "account.<field> or account.custom.<name>", m));
    }
    const bool on_contact = entity == Entity::contact;
    if (rest.rfind("custom.", 0) == 0) {
        const std::string name = rest.substr(7);
        const auto& defs = store::cached_defs(db, entity);
        auto it = std::find_if(defs.begin(), defs.end(), [&](const CustomFieldDef& d) { return d.name == name; });
        if (it == defs.end())
            return invalid(path, fmt::format("'{}': {} has no custom field '{}' (crm custom define)", m,
                                             entity_name(entity), name));
        t.kind = on_contact ? Target::contact_custom : Target::account_custom;
        t.key = name;
        t.def = *it;
        bool fits = false;
        switch (it->type) {
            case FieldType::text: fits = textual(f.type); break;
            case FieldType::integer: case FieldType::decimal: fits = f.type == FormFieldType::number; break;
            case FieldType::date: fits = f.type == FormFieldType::date; break;
            case FieldType::boolean: fits = f.type == FormFieldType::checkbox; break;
            case FieldType::enumeration:
                fits = f.type == FormFieldType::choice;
                if (fits)
                    for (const auto& c : f.choices)
                        if (std::find(it->options.begin(), it->options.end(), c) == it->options.end())
                            return invalid(path, fmt::format("choice '{}' is not an allowed value of {}", c, m));
                break;
        }
        if (!fits) return cannot_fill(path, f, fmt::format("{}, a {} custom field", m, to_string(it->type)));
        return t;
    }
    const EntityInfo* info = entity_info(entity);
    const FieldInfo* fi = info ? info->field(rest) : nullptr;
    if (!fi) return invalid(path, fmt::format("'{}': {} has no field '{}'", m, entity_name(entity), rest));
    if (!fillable(*fi))
        return invalid(path, fmt::format("'{}': {} {} cannot be filled from a form", m, entity_name(entity),
                                         std::string(fi->key)));
    t.key = std::string(fi->key);
    t.type = fi->type;
    t.kind = on_contact ? Target::contact_field : (t.key == "name" ? Target::account_name : Target::account_field);
    bool fits = false;
    if (t.key == "emails") fits = f.type == FormFieldType::email;
    else if (t.key == "phones") fits = f.type == FormFieldType::phone;
    else if (fi->type == ValueType::boolean) fits = f.type == FormFieldType::consent && t.key.rfind("consent.", 0) == 0;
    else if (fi->type == ValueType::date) fits = f.type == FormFieldType::date;
    else if (fi->type == ValueType::integer) fits = f.type == FormFieldType::number;
    else if (fi->type == ValueType::text) fits = textual(f.type);
    if (!fits) return cannot_fill(path, f, t.canonical());
    return t;
}

namespace {

bool valid_form_name(const std::string& s) {
    if (s.empty() || s.size() > 64) return false;
    auto lower_or_digit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    if (!lower_or_digit(s[0])) return false;
    return std::all_of(s.begin(), s.end(), [&](char c) { return lower_or_digit(c) || c == '_' || c == '-'; });
}

result<void> check_field_name(const std::string& path, const std::string& name) {
    CRM_TRYV(text::check(path, name, 64, true));
    for (unsigned char c : name)
        if (c <= 0x20 || c == 0x7F || c == '=')
            return invalid(path, fmt::format("'{}' may not hold spaces, '=' or control characters", name));
    return ok();
}

}  // namespace

result<void> check_definition(DbImpl& db, Form& f) {
    f.name = text::trim(f.name);
    if (!valid_form_name(f.name))
        return invalid("name", fmt::format("'{}' is not a form name: [a-z0-9][a-z0-9_-]{{0,63}}", f.name));
    CRM_TRYV(text::check("title", f.title, db.options.max_text_bytes, false));
    CRM_TRYV(text::check("source", f.source, 256, false));
    f.source = text::trim(f.source);
    if (f.on_conflict == OnConflict::inherit) return invalid("on_conflict", "must be overwrite or keep");
    if (f.campaign_id && !store::exists(db, Entity::campaign, *f.campaign_id))
        return make_error(errc::not_found, fmt::format("campaign_id: no campaign with id {}", *f.campaign_id),
                          "campaign_id");
    if (f.fields.empty()) return invalid("fields", "a form needs at least one field");
    if (f.fields.size() > kMaxFields) return invalid("fields", fmt::format("more than {} fields", kMaxFields));
    std::set<std::string> names, scalar_targets;
    bool identity = false, account_name = false, account_other = false;
    std::string account_other_path;
    for (std::size_t i = 0; i < f.fields.size(); ++i) {
        auto& x = f.fields[i];
        const std::string p = fmt::format("fields[{}]", i);
        CRM_TRYV(check_field_name(p + ".name", x.name));
        if (!names.insert(x.name).second) return invalid(p + ".name", fmt::format("'{}' is listed twice", x.name));
        CRM_TRYV(text::check(p + ".label", x.label, 1024, false));
        if (x.max_length && (*x.max_length < 1 || *x.max_length > kMaxLength))
            return invalid(p + ".max_length", fmt::format("must be between 1 and {}", kMaxLength));
        if (x.type == FormFieldType::choice) {
            if (x.choices.empty()) return invalid(p + ".choices", "a choice field needs its allowed values");
            if (x.choices.size() > kMaxChoices)
                return invalid(p + ".choices", fmt::format("more than {} values", kMaxChoices));
            std::set<std::string> seen;
            for (std::size_t j = 0; j < x.choices.size(); ++j) {
                const std::string cp = fmt::format("{}.choices[{}]", p, j);
                CRM_TRYV(text::check(cp, x.choices[j], 256, true));
                if (text::trim(x.choices[j]) != x.choices[j])
                    return invalid(cp, "may not begin or end with spaces");
                if (!seen.insert(x.choices[j]).second)
                    return invalid(cp, fmt::format("'{}' is listed twice", x.choices[j]));
                if (x.max_length && static_cast<std::int64_t>(char_count(x.choices[j])) > *x.max_length)
                    return invalid(cp, "is longer than the field's max_length");
            }
        } else if (!x.choices.empty()) {
            return invalid(p + ".choices", "only a choice field has choices");
        }
        if (!x.pattern.empty()) {
            CRM_TRYV(text::check(p + ".pattern", x.pattern, 256, false));
            if (x.type != FormFieldType::text && x.type != FormFieldType::email && x.type != FormFieldType::phone &&
                x.type != FormFieldType::number)
                return invalid(p + ".pattern", fmt::format("a {} field has no pattern", to_string(x.type)));
            CRM_TRYV(compile_pattern(x.pattern, p + ".pattern"));
        }
        x.maps_to = text::trim(x.maps_to);
        CRM_TRYV(text::check(p + ".maps_to", x.maps_to, 256, false));
        CRM_TRY(Target t, resolve(db, x, p + ".maps_to"));
        x.maps_to = t.canonical();
        if (x.on_conflict != OnConflict::inherit && t.kind == Target::none)
            return invalid(p + ".on_conflict", "a field that maps to nothing has no conflicts");
        if (!t.is_list() && t.kind != Target::none && !scalar_targets.insert(x.maps_to).second)
            return invalid(p + ".maps_to", fmt::format("another field already maps to {}", x.maps_to));
        if (t.kind == Target::contact_field && t.key == "emails" && x.required) identity = true;
        if (t.kind == Target::account_name) account_name = true;
        if (t.kind == Target::account_field || t.kind == Target::account_custom) {
            account_other = true;
            account_other_path = p + ".maps_to";
        }
    }
    if (!identity)
        return invalid("fields", "a form needs a required email field that maps to contact.emails: "
                                 "submissions find the contact by it");
    if (account_other && !account_name)
        return invalid(account_other_path, "account fields need a field that maps to account.name");
    return ok();
}

namespace {

using OJson = nlohmann::ordered_json;

OJson field_json(const FormField& x) {
    OJson j;
    j["name"] = x.name;
    j["label"] = x.label;
    j["type"] = to_string(x.type);
    j["required"] = x.required;
    j["max_length"] = x.max_length ? OJson(*x.max_length) : OJson(nullptr);
    j["choices"] = x.choices;
    j["pattern"] = x.pattern.empty() ? OJson(nullptr) : OJson(x.pattern);
    j["maps_to"] = x.maps_to.empty() ? OJson(nullptr) : OJson(x.maps_to);
    j["on_conflict"] = to_string(x.on_conflict);
    return j;
}

// The definition's document without id, version and times: what a version compares.
OJson definition_json(const Form& f) {
    OJson j;
    j["name"] = f.name;
    j["title"] = f.title;
    j["source"] = f.source;
    j["campaign_id"] = f.campaign_id ? OJson(*f.campaign_id) : OJson(nullptr);
    j["on_conflict"] = to_string(f.on_conflict);
    OJson fields = OJson::array();
    for (const auto& x : f.fields) fields.push_back(field_json(x));
    j["fields"] = std::move(fields);
    return j;
}

result<std::string> get_string(const nlohmann::json& x, const std::string& field) {
    if (x.is_null()) return std::string();
    if (!x.is_string()) return invalid(field, "must be a string");
    return x.get<std::string>();
}

template <class E>
result<E> get_enum(const nlohmann::json& x, const std::string& field, std::optional<E> (*from)(const std::string&),
                   const char* allowed) {
    if (!x.is_string()) return invalid(field, fmt::format("must be one of {}", allowed));
    auto v = from(x.get<std::string>());
    if (!v) return invalid(field, fmt::format("'{}' is not one of {}", x.get<std::string>(), allowed));
    return *v;
}

result<FormField> field_from_json(const nlohmann::json& j, const std::string& p) {
    if (!j.is_object()) return invalid(p, "must be an object");
    FormField x;
    for (auto it = j.begin(); it != j.end(); ++it) {
        const std::string& k = it.key();
        const auto& v = it.value();
        const std::string f = p + "." + k;
        if (k == "name") { CRM_TRY(x.name, get_string(v, f)); }
        else if (k == "label") { CRM_TRY(x.label, get_string(v, f)); }
        else if (k == "maps_to") { CRM_TRY(x.maps_to, get_string(v, f)); }
        else if (k == "pattern") { CRM_TRY(x.pattern, get_string(v, f)); }
        else if (k == "type") {
            CRM_TRY(x.type, get_enum<FormFieldType>(v, f, &form_field_type_from_string,
                                                    "text, email, phone, number, date, choice, consent, checkbox"));
        } else if (k == "on_conflict") {
            if (v.is_null()) continue;
            CRM_TRY(x.on_conflict, get_enum<OnConflict>(v, f, &on_conflict_from_string, "inherit, overwrite, keep"));
        } else if (k == "required") {
            if (v.is_null()) continue;
            if (!v.is_boolean()) return invalid(f, "must be true or false");
            x.required = v.get<bool>();
        } else if (k == "max_length") {
            if (v.is_null()) continue;
            if (!v.is_number_integer()) return invalid(f, "must be an integer");
            if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
                return invalid(f, fmt::format("must be between 1 and {}", kMaxLength));
            x.max_length = v.get<std::int64_t>();
        } else if (k == "choices") {
            if (v.is_null()) continue;
            if (!v.is_array()) return invalid(f, "must be an array of strings");
            if (v.size() > kMaxChoices) return invalid(f, fmt::format("more than {} values", kMaxChoices));
            for (std::size_t i = 0; i < v.size(); ++i) {
                if (!v[i].is_string()) return invalid(fmt::format("{}[{}]", f, i), "must be a string");
                x.choices.push_back(v[i].get<std::string>());
            }
        } else {
            return invalid(f, "is not a part of a form field (name, label, type, required, max_length, choices, "
                              "pattern, maps_to, on_conflict)");
        }
    }
    return x;
}

}  // namespace

result<Form> load(DbImpl& db, Id id) {
    auto row = store::form_row(db, id);
    if (!row) return make_error(errc::not_found, fmt::format("no form with id {}", id));
    CRM_TRY(Form f, form_from_json(row->definition));
    f.id = row->id;
    f.name = row->name;
    f.version = row->version;
    f.campaign_id = row->campaign_id;
    f.created_at = row->created_at;
    f.updated_at = row->updated_at;
    return f;
}

}  // namespace forms

std::string to_json(const Form& f) {
    auto d = forms::definition_json(f);
    forms::OJson j;
    j["id"] = f.id;
    for (auto& [k, v] : d.items()) j[k] = v;
    j["version"] = f.version;
    j["created_at"] = f.created_at ? forms::OJson(format_iso8601(f.created_at)) : forms::OJson(nullptr);
    j["updated_at"] = f.updated_at ? forms::OJson(format_iso8601(f.updated_at)) : forms::OJson(nullptr);
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

result<Form> form_from_json(std::string_view text) noexcept {
    try {
        CRM_TRY(auto j, json::parse_object(text, "form"));
        Form f;
        bool fields_given = false;
        for (auto it = j.begin(); it != j.end(); ++it) {
            const std::string& k = it.key();
            const auto& v = it.value();
            if (k == "id" || k == "version" || k == "created_at" || k == "updated_at") continue;  // the library's
            if (k == "name") { CRM_TRY(f.name, forms::get_string(v, k)); }
            else if (k == "title") { CRM_TRY(f.title, forms::get_string(v, k)); }
            else if (k == "source") { CRM_TRY(f.source, forms::get_string(v, k)); }
            else if (k == "campaign_id") {
                if (v.is_null()) continue;
                if (!v.is_number_integer() || (v.is_number_unsigned() && v.get<std::uint64_t>() > INT64_MAX))
                    return invalid(k, "must be a campaign id");
                f.campaign_id = v.get<std::int64_t>();
            } else if (k == "on_conflict") {
                CRM_TRY(f.on_conflict, forms::get_enum<OnConflict>(v, k, &on_conflict_from_string, "overwrite, keep"));
            } else if (k == "fields") {
                if (!v.is_array()) return invalid(k, "must be an array of fields");
                if (v.size() > kMaxFields) return invalid(k, fmt::format("more than {} fields", kMaxFields));
                for (std::size_t i = 0; i < v.size(); ++i) {
                    CRM_TRY(auto x, forms::field_from_json(v[i], fmt::format("fields[{}]", i)));
                    f.fields.push_back(std::move(x));
                }
                fields_given = true;
            } else {
                return invalid(k, "is not a part of a form (name, title, source, campaign_id, on_conflict, fields)");
            }
        }
        if (!fields_given) return invalid("fields", "is required");
        return f;
    } catch (const std::bad_alloc&) {
        return make_error(errc::out_of_memory, "out of memory reading a form");
    } catch (const std::exception& e) {
        return invalid("form", e.what());
    }
}

std::string to_json(const FormVersion& v) {
    forms::OJson j;
    j["form_id"] = v.form_id;
    j["version"] = v.version;
    j["op"] = v.op;
    j["at"] = format_iso8601(v.at);
    j["actor_id"] = v.actor_id ? forms::OJson(*v.actor_id) : forms::OJson(nullptr);
    j["definition"] = forms::OJson::parse(v.definition);
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string to_json(const std::vector<FormFieldError>& errors) {
    forms::OJson a = forms::OJson::array();
    for (const auto& e : errors) a.push_back({{"field", e.field}, {"message", e.message}});
    return a.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// ---- Forms ----------------------------------------------------------------------

namespace {
FormVersion version_row(detail::DbImpl& db, const Form& f, const char* op, Timestamp at) {
    FormVersion v;
    v.form_id = f.id;
    v.version = f.version;
    v.op = op;
    v.at = at;
    v.actor_id = db.actor;
    v.definition = std::string(op) == "remove" ? "null" : to_json(f);
    return v;
}

store::FormRow row_of(const Form& f) {
    store::FormRow r;
    r.id = f.id;
    r.name = f.name;
    r.version = f.version;
    r.campaign_id = f.campaign_id;
    r.definition = forms::definition_json(f).dump();
    r.created_at = f.created_at;
    r.updated_at = f.updated_at;
    return r;
}

error name_taken(const std::string& name) {
    return make_error(errc::already_exists, fmt::format("name: another form is named '{}'", name), "name");
}
}  // namespace

result<Id> Forms::define(const Form& form) noexcept {
    if (!db_) return records::closed();
    return db_->write([&]() -> result<Id> {
        Form f = form;
        CRM_TRYV(forms::check_definition(*db_, f));
        if (store::form_id_by_name(*db_, f.name)) return name_taken(f.name);
        f.version = 1;
        f.created_at = f.updated_at = db_->now();
        f.id = store::insert_form(*db_, row_of(f));
        store::append_form_version(*db_, version_row(*db_, f, "define", f.created_at));
        return f.id;
    });
}

result<void> Forms::update(const Form& form) noexcept {
    if (!db_) return records::closed();
    return db_->write([&]() -> result<void> {
        CRM_TRY(Form old, forms::load(*db_, form.id));
        Form f = form;
        CRM_TRYV(forms::check_definition(*db_, f));
        if (auto other = store::form_id_by_name(*db_, f.name); other && *other != f.id) return name_taken(f.name);
        if (forms::definition_json(f) == forms::definition_json(old)) return ok();  // nothing changed
        f.version = old.version + 1;
        f.created_at = old.created_at;
        f.updated_at = db_->now();
        store::update_form(*db_, row_of(f));
        store::append_form_version(*db_, version_row(*db_, f, "update", f.updated_at));
        return ok();
    });
}

result<Form> Forms::get(Id id) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<Form> { return forms::load(*db_, id); });
}

result<Form> Forms::get_by_name(const std::string& name) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<Form> {
        auto id = store::form_id_by_name(*db_, name);
        if (!id) return make_error(errc::not_found, fmt::format("no form named '{}'", name));
        return forms::load(*db_, *id);
    });
}

result<std::vector<Form>> Forms::list() noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<std::vector<Form>> {
        std::vector<Form> out;
        for (const auto& row : store::form_rows(*db_)) {
            CRM_TRY(Form f, forms::load(*db_, row.id));
            out.push_back(std::move(f));
        }
        return out;
    });
}

result<void> Forms::remove(Id id) noexcept {
    if (!db_) return records::closed();
    return db_->write([&]() -> result<void> {
        CRM_TRY(Form old, forms::load(*db_, id));
        store::delete_form(*db_, id);
        store::append_form_version(*db_, version_row(*db_, old, "remove", db_->now()));
        return ok();
    });
}

result<std::vector<FormVersion>> Forms::versions(Id id) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<std::vector<FormVersion>> {
        auto out = store::form_versions(*db_, id);
        if (out.empty()) return make_error(errc::not_found, fmt::format("no form with id {}", id));
        return out;
    });
}

}  // namespace crm
