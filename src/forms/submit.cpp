// Form submissions: every value checked (all errors at once), the contact found
// by email or created, progressive profiling through the contacts' and accounts'
// update path, the submission stored as a form_submission interaction with its
// UTM data, and the contact's first and latest touch. docs/forms.md.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "customers/customers.hpp"
#include "forms/forms_internal.hpp"
#include "interactions/interactions_internal.hpp"
#include "json/parse.hpp"
#include "records/engine.hpp"
#include "store/customers_store.hpp"
#include "store/forms_store.hpp"
#include "util/text.hpp"

namespace crm {

namespace forms {
namespace {

constexpr std::size_t kMaxValues = 2000;

// One accepted value, normalized, with where it goes.
struct Accepted {
    const FormField* field;
    Target target;
    std::string value;   // trimmed and normalized; "true"/"false" for boxes
    bool given = false;  // not empty (boxes: checked)
};

std::string why(const error& e, const std::string& field) {  // the message without "field: "
    const std::string prefix = field + ": ";
    return e.message.rfind(prefix, 0) == 0 ? e.message.substr(prefix.size()) : e.message;
}

std::optional<bool> checkbox_value(const std::string& v) {
    const std::string s = text::ascii_lower(v);
    if (s.empty() || s == "false" || s == "0" || s == "off" || s == "no") return false;
    if (s == "true" || s == "1" || s == "on" || s == "yes" || s == "checked") return true;
    return std::nullopt;
}

// Full-width digits, sign and point as ASCII; thousands commas left out.
std::string fold_number(const std::string& v) {
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) {
        const auto c = static_cast<unsigned char>(v[i]);
        if (c == 0xEF && i + 2 < v.size() && static_cast<unsigned char>(v[i + 1]) == 0xBC) {
            const auto d = static_cast<unsigned char>(v[i + 2]);
            if (d >= 0x90 && d <= 0x99) { out += static_cast<char>('0' + (d - 0x90)); i += 2; continue; }
            if (d == 0x8D) { out += '-'; i += 2; continue; }
            if (d == 0x8E) { out += '.'; i += 2; continue; }
            if (d == 0x8B) { out += '+'; i += 2; continue; }
            if (d == 0x8C) { i += 2; continue; }  // ，
        }
        if (c == ',') continue;
        out += static_cast<char>(c);
    }
    return out;
}

bool wants_integer(const Target& t) {
    return (t.kind != Target::none && t.kind != Target::contact_custom && t.kind != Target::account_custom &&
            t.type == ValueType::integer) ||
           ((t.kind == Target::contact_custom || t.kind == Target::account_custom) &&
            t.def.type == FieldType::integer);
}

std::optional<std::int64_t> to_int(const std::string& s) {
    std::int64_t v = 0;
    const char* b = s.data() + (s.size() && s[0] == '+' ? 1 : 0);
    auto [p, ec] = std::from_chars(b, s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
}

// Checks one value; returns the error message, or nothing when it is accepted.
std::optional<std::string> check_value(DbImpl& db, Accepted& a, const std::string& raw) {
    const FormField& f = *a.field;
    if (auto r = text::check(f.name, raw, db.options.max_text_bytes, false); !r) return why(r.error(), f.name);
    std::string v = text::trim(raw);
    if (f.type == FormFieldType::consent || f.type == FormFieldType::checkbox) {
        auto b = checkbox_value(v);
        if (!b) return fmt::format("'{}' is not a checkbox value (true/false, 1/0, on/off, yes/no)", v);
        if (f.required && !*b) return std::string("must be checked");
        a.value = *b ? "true" : "false";
        a.given = *b;
        return std::nullopt;
    }
    if (v.empty()) {
        if (f.required) return std::string("is required");
        return std::nullopt;
    }
    if (f.max_length && static_cast<std::int64_t>(char_count(v)) > *f.max_length)
        return fmt::format("is longer than {} characters", *f.max_length);
    switch (f.type) {
        case FormFieldType::email: {
            auto r = text::normalize_email(f.name, v);
            if (!r) return why(r.error(), f.name);
            break;
        }
        case FormFieldType::phone: {
            int digits = 0;
            for (std::size_t i = 0; i < v.size(); ++i) {
                const auto c = static_cast<unsigned char>(v[i]);
                if (c >= '0' && c <= '9') ++digits;
                else if (c == 0xEF && i + 2 < v.size() && static_cast<unsigned char>(v[i + 1]) == 0xBC &&
                         static_cast<unsigned char>(v[i + 2]) >= 0x90 && static_cast<unsigned char>(v[i + 2]) <= 0x99)
                    ++digits;
                else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
                    return fmt::format("'{}' is not a phone number (letters)", v);
            }
            if (digits < 3) return fmt::format("'{}' is not a phone number (needs digits)", v);
            break;
        }
        case FormFieldType::number: {
            v = fold_number(v);
            if (!text::valid_decimal(v)) return fmt::format("'{}' is not a number", v);
            if (wants_integer(a.target)) {
                auto n = to_int(v);
                if (!n) return fmt::format("'{}' is not a whole number (64 bits)", v);
                if (a.target.kind == Target::account_field && *n < 0) return std::string("must not be negative");
                v = std::to_string(*n);
            }
            break;
        }
        case FormFieldType::date:
            std::replace(v.begin(), v.end(), '/', '-');
            if (!text::valid_date(v)) return fmt::format("'{}' is not a date YYYY-MM-DD", v);
            break;
        case FormFieldType::choice:
            if (std::find(f.choices.begin(), f.choices.end(), v) == f.choices.end()) {
                std::string list;
                for (std::size_t i = 0; i < f.choices.size() && i < 20; ++i) list += (i ? ", " : "") + f.choices[i];
                if (f.choices.size() > 20) list += ", …";
                return fmt::format("'{}' is not one of {}", v, list);
            }
            if (a.target.kind == Target::contact_custom || a.target.kind == Target::account_custom) {
                const auto& o = a.target.def.options;
                if (a.target.def.type == FieldType::enumeration && std::find(o.begin(), o.end(), v) == o.end())
                    return fmt::format("'{}' is no longer an allowed value of {}", v, a.target.canonical());
            }
            break;
        default: break;
    }
    if (!f.pattern.empty()) {
        auto pat = compile_pattern(f.pattern, f.name);
        if (!pat) return fmt::format("has a pattern that is no longer valid: {}", why(pat.error(), f.name));
        if (!pattern_matches(pat.value(), v)) return fmt::format("'{}' does not match the pattern {}", v, f.pattern);
    }
    a.value = std::move(v);
    a.given = true;
    return std::nullopt;
}

std::string truncate_utf8(std::string s, std::size_t max) {
    if (s.size() <= max) return s;
    std::size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    s.resize(n);
    return s;
}

struct Checked {
    std::vector<Accepted> values;
    std::vector<FormFieldError> errors;
};

Checked check_all(DbImpl& db, const Form& form, const FormValues& values) {
    Checked out;
    if (values.size() > kMaxValues) {
        out.errors.push_back({"values", fmt::format("more than {} values", kMaxValues)});
        return out;
    }
    for (const auto& f : form.fields) {
        Accepted a{&f, {}, {}, false};
        auto t = resolve(db, f, f.name);  // again: a custom field may have changed since the form was defined
        if (!t) {
            out.errors.push_back({f.name, fmt::format("maps to {}, which it can no longer fill: {}", f.maps_to,
                                                      why(t.error(), f.name))});
            continue;
        }
        a.target = std::move(t).value();
        auto it = values.find(f.name);
        if (auto e = check_value(db, a, it == values.end() ? std::string() : it->second)) {
            out.errors.push_back({f.name, std::move(*e)});
            continue;
        }
        out.values.push_back(std::move(a));
    }
    for (const auto& [k, v] : values) {
        // An init-capture: clang 14 cannot capture a structured binding.
        if (std::none_of(form.fields.begin(), form.fields.end(), [&key = k](const FormField& f) { return f.name == key; })) {
            std::string shown = !text::valid_utf8(k) ? std::string("(not UTF-8)")
                                : k.size() > 64        ? truncate_utf8(k, 64) + "…"
                                                       : k;
            out.errors.push_back({shown, fmt::format("is not a field of form '{}'", form.name)});
        }
    }
    return out;
}

error refused(const Form& form, const std::vector<FormFieldError>& errors) {
    std::string list;
    for (const auto& e : errors) list += (list.empty() ? "" : "; ") + e.field + ": " + e.message;
    return make_error(errc::invalid_argument,
                      fmt::format("form '{}': {} refused: {}", form.name,
                                  errors.size() == 1 ? std::string("1 field") : fmt::format("{} fields", errors.size()),
                                  list),
                      errors.front().field);
}

// ---- progressive profiling ----------------------------------------------------------

struct Profile {
    DbImpl& db;
    SubmitResult& result;
    const Form& form;
    bool creating = false;
    void changed(const std::string& what) {
        if (std::find(result.changed.begin(), result.changed.end(), what) == result.changed.end())
            result.changed.push_back(what);
    }
    void kept(const std::string& what) {
        if (std::find(result.kept.begin(), result.kept.end(), what) == result.kept.end()) result.kept.push_back(what);
    }
    OnConflict rule(const FormField& f) const {
        return f.on_conflict == OnConflict::inherit ? form.on_conflict : f.on_conflict;
    }
    // A submitted value against a known one: empty known -> set; equal -> nothing;
    // different -> the rule.
    template <class V>
    void offer(V& known, V submitted, bool known_empty, const FormField& f, const std::string& what) {
        if (known == submitted) return;
        if (known_empty || rule(f) == OnConflict::overwrite) {
            known = std::move(submitted);
            changed(what);
        } else {
            kept(what);
        }
    }
};

FieldValue custom_value(const Accepted& a) {
    switch (a.target.def.type) {
        case FieldType::integer: return *to_int(a.value);
        case FieldType::boolean: return a.value == "true";
        default: return a.value;
    }
}

template <class T>
void apply_custom(Profile& p, T& rec, const Accepted& a) {
    FieldValue v = custom_value(a);
    if (a.target.def.type == FieldType::boolean && !std::get<bool>(v)) return;  // an unchecked box adds nothing
    auto it = rec.custom.find(a.target.key);
    const bool empty = it == rec.custom.end() || std::holds_alternative<std::monostate>(it->second) ||
                       (std::holds_alternative<std::string>(it->second) && std::get<std::string>(it->second).empty());
    FieldValue& known = rec.custom[a.target.key];
    p.offer(known, std::move(v), empty, *a.field, a.target.canonical());
}

// A scalar field of T by its descriptor key: text, date, yes/no, integer.
template <class T>
void apply_field(Profile& p, T& rec, const Accepted& a, bool placeholder = false) {
    const auto* fd = records::find_field<T>(records::kind_def<T>().fields, a.target.key);
    if (!fd) return;
    switch (fd->shape) {
        case records::Shape::text: {
            std::string& known = fd->at.text(rec);
            p.offer(known, a.value, known.empty() || placeholder, *a.field, a.target.canonical());
            return;
        }
        case records::Shape::boolean: {  // consent: granted, never withdrawn
            bool& known = fd->at.boolean(rec);
            if (a.value == "true" && !known) {
                known = true;
                p.changed(a.target.canonical());
            }
            return;
        }
        case records::Shape::opt_integer: {
            auto& known = fd->at.opt_integer(rec);
            p.offer(known, std::optional<std::int64_t>(*to_int(a.value)), !known.has_value(), *a.field,
                    a.target.canonical());
            return;
        }
        case records::Shape::integer: {
            auto& known = fd->at.integer(rec);
            p.offer(known, *to_int(a.value), false, *a.field, a.target.canonical());
            return;
        }
        default: return;
    }
}

std::string digits_of(const std::string& s) {
    std::string out;
    for (char c : fold_number(s))
        if (c >= '0' && c <= '9') out += c;
    return out;
}

// The contact's name is still the placeholder a submission without a name gave it.
bool placeholder_name(const Contact& c) {
    const std::string n = text::ascii_lower(c.name);
    return std::any_of(c.emails.begin(), c.emails.end(),
                       [&](const EmailAddress& e) { return text::ascii_lower(e.address) == n; });
}

void apply_contact(Profile& p, Contact& c, const std::vector<Accepted>& values) {
    const bool placeholder = !p.creating && placeholder_name(c);
    for (const auto& a : values) {
        if (!a.given) continue;
        if (a.target.kind == Target::contact_custom) {
            apply_custom(p, c, a);
        } else if (a.target.kind == Target::contact_field && a.target.key == "emails") {
            const std::string norm = text::ascii_lower(a.value);
            if (std::none_of(c.emails.begin(), c.emails.end(),
                             [&](const EmailAddress& e) { return text::ascii_lower(e.address) == norm; })) {
                // Another contact's address is not taken from them: reported as kept.
                if (auto owner = store::contact_by_email(p.db, norm); owner && *owner != c.id) {
                    p.kept("contact.emails");
                    continue;
                }
                c.emails.push_back(EmailAddress{a.value, "", c.emails.empty(), false});
                if (!p.creating) p.changed("contact.emails");
            }
        } else if (a.target.kind == Target::contact_field && a.target.key == "phones") {
            const std::string d = digits_of(a.value);
            if (std::none_of(c.phones.begin(), c.phones.end(),
                             [&](const PhoneNumber& x) { return digits_of(x.number) == d; })) {
                c.phones.push_back(PhoneNumber{a.value, "", c.phones.empty()});
                p.changed("contact.phones");
            }
        } else if (a.target.kind == Target::contact_field) {
            apply_field(p, c, a, placeholder && a.target.key == "name");
        }
    }
}

void apply_account(Profile& p, Account& acc, const std::vector<Accepted>& values) {
    for (const auto& a : values) {
        if (!a.given) continue;
        if (a.target.kind == Target::account_custom) apply_custom(p, acc, a);
        else if (a.target.kind == Target::account_field) apply_field(p, acc, a);
    }
}

// The account named by the submission: the oldest whose company key matches.
std::optional<Id> find_account(DbImpl& db, const std::string& name) {
    const std::string key = company_match_key(name);
    for (const auto& [id, stored] : store::account_names(db))
        if (company_match_key(stored) == key) return id;
    return std::nullopt;
}


result<void> check_meta(DbImpl& db, const SubmitMeta& m) {
    const std::pair<const char*, const std::string*> small[] = {
        {"utm_source", &m.utm_source}, {"utm_medium", &m.utm_medium}, {"utm_campaign", &m.utm_campaign},
        {"utm_term", &m.utm_term},     {"utm_content", &m.utm_content}};
    for (const auto& [name, v] : small) CRM_TRYV(text::check(name, *v, 1024, false));
    CRM_TRYV(text::check("url", m.url, db.options.max_text_bytes, false));
    CRM_TRYV(text::check("referrer", m.referrer, db.options.max_text_bytes, false));
    if (m.at != 0) CRM_TRYV(records::check_time("at", m.at));
    return ok();
}

}  // namespace
}  // namespace forms

result<std::vector<FormFieldError>> Forms::check(Id form_id, const FormValues& values) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<std::vector<FormFieldError>> {
        CRM_TRY(Form form, forms::load(*db_, form_id));
        return forms::check_all(*db_, form, values).errors;
    });
}

result<SubmitResult> Forms::submit(Id form_id, const FormValues& values, const SubmitMeta& meta) noexcept {
    if (!db_) return records::closed();
    CRM_TRYV(forms::check_meta(*db_, meta));
    return db_->write([&]() -> result<SubmitResult> {
        auto& db = *db_;
        CRM_TRY(const Form form, forms::load(db, form_id));
        auto checked = forms::check_all(db, form, values);
        if (!checked.errors.empty()) return forms::refused(form, checked.errors);
        const Timestamp now = db.now();
        const Timestamp at = meta.at ? meta.at : now;
        if (at > now) return invalid("at", fmt::format("{} is in the future", format_iso8601(at)));

        SubmitResult r;
        forms::Profile p{db, r, form};
        const auto trim = [](const std::string& s) { return text::trim(s); };
        const std::string utm_source = trim(meta.utm_source), utm_campaign = trim(meta.utm_campaign);
        const std::string source = utm_source.empty() ? form.source : utm_source;
        std::string campaign = utm_campaign;
        if (campaign.empty() && form.campaign_id) campaign = store::campaign_name(db, *form.campaign_id).value_or("");

        // The account, by company name.
        std::optional<Account> account_before;
        std::optional<Account> account;
        const forms::Accepted* company = nullptr;
        for (const auto& a : checked.values)
            if (a.target.kind == forms::Target::account_name && a.given) company = &a;
        if (company) {
            if (auto id = forms::find_account(db, company->value)) {
                CRM_TRY(Account found, records::load_full<Account>(db, *id));
                account_before = found;
                account = std::move(found);
                forms::apply_account(p, *account, checked.values);
                records::Write w{db};
                CRM_TRYV(records::update(w, *account, *account_before));  // writes nothing when nothing changed
            } else {
                Account a;
                a.name = company->value;
                a.created_at = at;
                p.creating = true;
                forms::apply_account(p, a, checked.values);
                p.creating = false;
                records::Write w{db};
                CRM_TRY(a.id, records::create(w, a));
                account = std::move(a);
                r.account_created = true;
                p.changed("account.name");
            }
            r.account_id = account->id;
        }

        // The contact, by the identity email (the first required email field on contact.emails).
        const forms::Accepted* identity = nullptr;
        for (const auto& a : checked.values)
            if (!identity && a.field->required && a.target.kind == forms::Target::contact_field &&
                a.target.key == "emails")
                identity = &a;
        if (!identity) return make_error(errc::internal, "form has no identity email field");
        const std::string norm = text::ascii_lower(identity->value);
        if (auto id = store::contact_by_email(db, norm)) {
            CRM_TRY(const Contact old, records::load_full<Contact>(db, *id));
            Contact c = old;
            forms::apply_contact(p, c, checked.values);
            if (account) {
                const FormField& f = *company->field;
                if (!c.account_id) {
                    c.account_id = account->id;
                    p.changed("contact.account_id");
                } else if (*c.account_id != account->id) {
                    if (p.rule(f) == OnConflict::overwrite) {
                        c.account_id = account->id;
                        p.changed("contact.account_id");
                    } else {
                        p.kept("contact.account_id");
                    }
                }
            }
            records::Write w{db};
            CRM_TRYV(records::update(w, c, old));
            r.contact_id = old.id;
        } else {
            Contact c;
            c.created_at = at;
            p.creating = true;
            c.emails.push_back(EmailAddress{identity->value, "", true, false});
            forms::apply_contact(p, c, checked.values);
            p.creating = false;
            p.changed("contact.emails");
            if (c.name.empty()) c.name = identity->value;  // a placeholder a later name replaces (docs/forms.md)
            if (c.lead_source.empty() && !source.empty()) {
                c.lead_source = source;
                p.changed("contact.lead_source");
            }
            if (account) {
                c.account_id = account->id;
                p.changed("contact.account_id");
            }
            records::Write w{db};
            CRM_TRY(r.contact_id, records::create(w, c));
            r.created = true;
        }

        // The submission: an interaction on the contact's (and account's) timeline.
        Interaction i;
        i.kind = "form_submission";
        i.occurred_at = at;
        i.direction = Direction::inbound;
        i.channel = "web_form";
        i.subject = form.title.empty() ? form.name : form.title;
        std::string body;
        nlohmann::ordered_json submitted = nlohmann::ordered_json::object();
        for (const auto& a : checked.values) {
            if (!a.given) continue;
            body += fmt::format("{}: {}\n", a.field->label.empty() ? a.field->name : a.field->label, a.value);
            submitted[a.field->name] = a.value;
        }
        i.body = forms::truncate_utf8(std::move(body), db.options.max_text_bytes);
        i.url = trim(meta.url);
        i.referrer = trim(meta.referrer);
        i.source = source;
        i.contact_ids = {r.contact_id};
        if (account) i.account_ids = {account->id};
        {
            records::Write w{db};
            CRM_TRY(r.interaction_id, records::create(w, i));
        }
        store::SubmissionRow row;
        row.interaction_id = r.interaction_id;
        row.form_id = form.id;
        row.form_version = form.version;
        row.source = source;
        row.campaign = campaign;
        row.campaign_id = form.campaign_id;
        row.utm_source = utm_source;
        row.utm_medium = trim(meta.utm_medium);
        row.utm_campaign = utm_campaign;
        row.utm_term = trim(meta.utm_term);
        row.utm_content = trim(meta.utm_content);
        row.submitted = submitted.dump();
        store::insert_submission(db, row);
        return r;
    });
}

result<Touches> Forms::touches(Id contact_id) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<Touches> {
        if (!store::exists(*db_, Entity::contact, contact_id))
            return make_error(errc::not_found, fmt::format("no contact with id {}", contact_id));
        Touches t;
        t.first = store::contact_touch(*db_, contact_id, true);
        t.latest = store::contact_touch(*db_, contact_id, false);
        t.count = store::contact_touch_count(*db_, contact_id);
        return t;
    });
}

// ---- JSON ---------------------------------------------------------------------------

namespace {
using OJson = nlohmann::ordered_json;
OJson opt_id(const std::optional<Id>& v) { return v ? OJson(*v) : OJson(nullptr); }
OJson touch_json(const std::optional<Touch>& t) {
    if (!t) return nullptr;
    OJson j;
    j["interaction_id"] = t->interaction_id;
    j["form_id"] = opt_id(t->form_id);
    j["at"] = format_iso8601(t->at);
    j["source"] = t->source;
    j["medium"] = t->medium;
    j["campaign"] = t->campaign;
    j["campaign_id"] = opt_id(t->campaign_id);
    return j;
}
std::string dump(const OJson& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }
}  // namespace

std::string to_json(const SubmitResult& r) {
    OJson j;
    j["contact_id"] = r.contact_id;
    j["created"] = r.created;
    j["account_id"] = opt_id(r.account_id);
    j["account_created"] = r.account_created;
    j["changed"] = r.changed;
    j["kept"] = r.kept;
    j["interaction_id"] = r.interaction_id;
    return dump(j);
}

std::string to_json(const Touches& t) {
    OJson j;
    j["first"] = touch_json(t.first);
    j["latest"] = touch_json(t.latest);
    j["count"] = t.count;
    return dump(j);
}

result<FormValues> form_values_from_json(std::string_view text) noexcept {
    try {
        CRM_TRY(auto j, json::parse_object(text, "values"));
        FormValues out;
        for (auto it = j.begin(); it != j.end(); ++it) {
            const auto& v = it.value();
            if (v.is_null()) continue;
            if (v.is_string()) out[it.key()] = v.get<std::string>();
            else if (v.is_boolean()) out[it.key()] = v.get<bool>() ? "true" : "false";
            else if (v.is_number()) out[it.key()] = v.dump();
            else return invalid(it.key(), "must be a string, a number, true or false");
        }
        return out;
    } catch (const std::bad_alloc&) {
        return make_error(errc::out_of_memory, "out of memory reading values");
    } catch (const std::exception& e) {
        return invalid("values", e.what());
    }
}

result<SubmitMeta> submit_meta_from_json(std::string_view text) noexcept {
    try {
        SubmitMeta m;
        CRM_TRY(auto j, json::parse_text(text, "meta"));
        if (j.is_null()) return m;
        if (!j.is_object()) return invalid("meta", "must be a JSON object");
        for (auto it = j.begin(); it != j.end(); ++it) {
            const std::string& k = it.key();
            const auto& v = it.value();
            if (v.is_null()) continue;
            if (k == "at") {
                CRM_TRY(m.at, records::read_time("at", v));
                continue;
            }
            std::string* s = k == "utm_source" ? &m.utm_source : k == "utm_medium" ? &m.utm_medium
                             : k == "utm_campaign" ? &m.utm_campaign : k == "utm_term" ? &m.utm_term
                             : k == "utm_content" ? &m.utm_content : k == "url" ? &m.url
                             : k == "referrer" ? &m.referrer : nullptr;
            if (k == "ip")
                return invalid("ip", "IP addresses are not taken: the library does not keep them (personal data)");
            if (!s)
                return invalid(k, "is not a submission detail (at, utm_source, utm_medium, utm_campaign, utm_term, "
                                  "utm_content, url, referrer)");
            if (!v.is_string()) return invalid(k, "must be a string");
            *s = v.get<std::string>();
        }
        return m;
    } catch (const std::bad_alloc&) {
        return make_error(errc::out_of_memory, "out of memory reading submission details");
    } catch (const std::exception& e) {
        return invalid("meta", e.what());
    }
}

}  // namespace crm
