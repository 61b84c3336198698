// Contacts: the people of the customer graph, with their emails, phones,
// employer and consent. The descriptor, the rules and the contact's own lookups.
#include <fmt/format.h>

#include "customers/customers.hpp"
#include "records/kind_entry.hpp"
#include "scoring/scoring_internal.hpp"
#include "store/customers_store.hpp"
#include "util/text.hpp"

namespace crm {

namespace records {
namespace {
using namespace caps;

constexpr const char* kStages[] = {"subscriber", "lead",     "mql",          "sql",  "opportunity",
                                   "customer",   "evangelist", "recycled", "disqualified", "other"};

constexpr FieldDef<EmailAddress> kEmailFields[] = {
    build::text<&EmailAddress::address>("address", "address", 0, "email address").with(positional),
    build::text<&EmailAddress::label>("label", "label", 0, "work, home …"),
    build::boolean<&EmailAddress::primary>("primary", "is_primary", 0, "the primary address"),
    build::boolean<&EmailAddress::undeliverable>("undeliverable", "undeliverable", 0,
                                                 "mail to it does not arrive (a hard bounce)"),
};
constexpr FieldDef<PhoneNumber> kPhoneFields[] = {
    build::text<&PhoneNumber::number>("number", "number", 0, "phone number").with(positional),
    build::text<&PhoneNumber::label>("label", "label", 0, "work, mobile …"),
    build::boolean<&PhoneNumber::primary>("primary", "is_primary", 0, "the primary number"),
};
using Emails = ListOf<&Contact::emails, kEmailFields>;
using Phones = ListOf<&Contact::phones, kPhoneFields>;
constexpr ChildColumn kEmailChild{"contact_emails", "contact_id", "address_norm", nullptr, nullptr, true};
constexpr ChildColumn kPhoneChild{"contact_phones", "contact_id", "number"};

template <auto M>
constexpr FieldDef<Contact> address(std::string_view key, const char* column, unsigned caps, std::string_view help) {
    return build::text<&Contact::address, M>(key, column, caps, help);
}
template <auto M>
constexpr FieldDef<Contact> consent(std::string_view key, const char* column, std::string_view help) {
    return build::boolean<&Contact::consent, M>(key, column, F | S | G | I, help).named(column);  // "consent_email"
}

constexpr FieldDef<Contact> kContactFields[] = {
    build::text<&Contact::name>("name", "name", F | S | Q | I | L | R, "full name (山田 太郎)"),
    build::text<&Contact::name_reading>("name_reading", "name_reading", F | S | Q | I | L,
                                        "reading / furigana (ヤマダ タロウ)")
        .named("reading"),
    build::list<Emails>("emails", F | I | L, "email address (repeatable; the first is primary)")
        .named("email")
        .child_of(&kEmailChild)
        .unique_as("email address"),
    build::list<Phones>("phones", F | I, "phone number (repeatable)").named("phone").child_of(&kPhoneChild),
    address<&PostalAddress::postal_code>("address.postal_code", "postal_code", F | S | I, "postal code"),
    address<&PostalAddress::country>("address.country", "country", F | S | G | I, "ISO country code (JP)"),
    address<&PostalAddress::region>("address.region", "region", F | S | G | I, "prefecture / state"),
    address<&PostalAddress::city>("address.city", "city", F | S | G | I, "city"),
    address<&PostalAddress::street>("address.street", "street", F | I, "street"),
    address<&PostalAddress::building>("address.building", "building", F | I, "building"),
    build::text<&Contact::title>("title", "title", F | S | G | Q | I | L, "job title"),
    build::text<&Contact::department>("department", "department", F | S | G | Q | I, "department"),
    build::reference<&Contact::account_id>("account_id", "account_id", Entity::account, F | S | G | I | L,
                                           "employer account id (null to clear)")
        .named("account"),
    build::reference<&Contact::owner_id>("owner_id", "owner_id", Entity::user, F | S | G | I, "owning user id")
        .named("owner"),
    build::enumeration<&Contact::lifecycle_stage>(
        "lifecycle_stage", "lifecycle_stage", kStages, F | S | G | I | L,
        "subscriber|lead|mql|sql|opportunity|customer|evangelist|recycled|disqualified|other")
        .named("stage"),
    build::text<&Contact::lead_source>("lead_source", "lead_source", F | S | G | I, "lead source").named("source"),
    build::date<&Contact::birthday>("birthday", "birthday", F | S | I, "YYYY-MM-DD").with(column_not_null),
    consent<&Consent::email>("consent.email", "consent_email", "may be emailed"),
    consent<&Consent::phone>("consent.phone", "consent_phone", "may be called"),
    consent<&Consent::sms>("consent.sms", "consent_sms", "may get SMS"),
    consent<&Consent::postal>("consent.postal", "consent_postal", "may get post"),
    consent<&Consent::tracking>("consent.tracking", "consent_tracking", "may be tracked on the web"),
};

constexpr RefDef<Contact> kContactRefs[] = {
    build::detach<&Contact::account_id>("account_id", "account_id", Entity::account, "contacts"),
    build::block<Contact>("owner_id", "owner_id", Entity::user, "contacts"),
};

bool is_digit_at(const std::string& s, std::size_t i, std::size_t& len) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= '0' && c <= '9') { len = 1; return true; }
    // Full-width digits U+FF10..U+FF19: EF BC 90..99
    if (c == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBC &&
        static_cast<unsigned char>(s[i + 2]) >= 0x90 && static_cast<unsigned char>(s[i + 2]) <= 0x99) {
        len = 3;
        return true;
    }
    len = 1;
    return false;
}

result<void> phone(const std::string& field, std::string& number) {
    CRM_TRYV(text::check(field, number, 64, true));
    number = text::trim(number);
    int digits = 0;
    for (std::size_t i = 0, len = 1; i < number.size(); i += len)
        if (is_digit_at(number, i, len)) ++digits;
    if (digits < 3) return invalid(field, fmt::format("'{}' is not a phone number (needs digits)", number));
    return ok();
}

template <class Item>
result<void> one_primary(const char* field, std::vector<Item>& items) {
    const auto n = std::count_if(items.begin(), items.end(), [](const Item& i) { return i.primary; });
    if (n > 1) return invalid(field, "more than one is marked primary");
    if (n == 0 && !items.empty()) items.front().primary = true;
    return ok();
}

result<void> validate_contact(Write& w, Contact& v, const Contact*) {
    CRM_TRYV(check_text(w, "name", v.name, true));
    CRM_TRYV(check_text(w, "name_reading", v.name_reading));
    for (std::size_t i = 0; i < v.emails.size(); ++i) {
        const std::string f = fmt::format("emails[{}]", i);
        CRM_TRY(auto norm, text::normalize_email(f + ".address", v.emails[i].address));
        v.emails[i].address = text::trim(v.emails[i].address);
        CRM_TRYV(text::check(f + ".label", v.emails[i].label, 64, false));
        for (std::size_t j = 0; j < i; ++j)
            if (text::ascii_lower(v.emails[j].address) == norm)
                return invalid(f + ".address", fmt::format("'{}' is listed twice", v.emails[i].address));
        // Checked before anything is written: the engine's writes have no savepoint,
        // and the unique index would refuse the address only after the contact's row.
        if (auto taken = store::email_taken(w.db, norm, v.id)) return *taken;
    }
    CRM_TRYV(one_primary("emails", v.emails));
    for (std::size_t i = 0; i < v.phones.size(); ++i) {
        const std::string f = fmt::format("phones[{}]", i);
        CRM_TRYV(phone(f + ".number", v.phones[i].number));
        CRM_TRYV(text::check(f + ".label", v.phones[i].label, 64, false));
    }
    CRM_TRYV(one_primary("phones", v.phones));
    CRM_TRYV(check_address(w, v.address));
    CRM_TRYV(check_text(w, "title", v.title));
    CRM_TRYV(check_text(w, "department", v.department));
    CRM_TRYV(check_text(w, "lead_source", v.lead_source));
    v.birthday = text::trim(v.birthday);
    if (!v.birthday.empty() && !text::valid_date(v.birthday))
        return invalid("birthday", fmt::format("'{}' is not a date YYYY-MM-DD", v.birthday));
    return ok();
}

// A change of employer ends one employment period and begins the next: an
// account's timeline holds what its people did while they worked there.
// The contact's stored scores follow its fields (scoring area), in the same scope.
result<void> after_write(Write& w, const Contact* old, const Contact& v) {
    if (!(old && old->account_id == v.account_id) && !(!old && !v.account_id))
        store::change_employer(w.db, v.id, v.account_id, old ? v.updated_at : v.created_at);
    return scoring::refresh_contacts(w, {v.id});
}

const KindDef<Contact> kContact{Entity::contact, "contact", "contacts", "contacts", 4,
                                kContactFields, kContactRefs, &validate_contact, &after_write,
                                &store::save_contact_children, &store::load_contact_children};

// After an upgrade from before v8: the employment periods, from the contacts' history.
void upgraded(DbImpl& db, int from_version) {
    if (from_version < 8) store::derive_employments(db);
}
}  // namespace

template <> const KindDef<Contact>& kind_def<Contact>() noexcept { return kContact; }
const KindEntry& contact_kind() { return entry<Contact>(nullptr, &upgraded); }

}  // namespace records

const char* to_string(LifecycleStage s) noexcept { return records::enum_name(records::kStages, s); }
std::optional<LifecycleStage> lifecycle_stage_from_string(const std::string& s) noexcept {
    return records::enum_from_name<LifecycleStage>(records::kStages, s);
}

const EmailAddress* Contact::primary_email() const noexcept {
    for (const auto& e : emails)
        if (e.primary) return &e;
    return emails.empty() ? nullptr : &emails.front();
}

CRM_RECORD_KIND(Contact);

result<Contact> Contacts::get_by_email(const std::string& email) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<Contact> {
        CRM_TRY(auto norm, text::normalize_email("email", email));
        auto id = store::contact_by_email(*db_, norm);
        if (!id) return make_error(errc::not_found, fmt::format("no contact with email '{}'", email));
        return records::load_full<Contact>(*db_, *id);
    });
}

result<std::vector<Change>> Contacts::employment_history(Id contact_id) noexcept {
    CRM_TRY(auto all, history(contact_id));
    std::vector<Change> out;
    for (auto& c : all) {
        if (c.field == "account_id" || c.field == "department" || c.field == "title") {
            out.push_back(std::move(c));
        } else if (c.op == ChangeOp::create) {
            // The starting position: the initial employer/department/title as changes from null.
            auto snap = records::from_text<Contact>(c.new_value);
            if (!snap) continue;
            auto add = [&](const char* f, std::string v) {
                if (v == "null" || v == "\"\"") return;
                Change x = c;
                x.op = ChangeOp::create;
                x.field = f;
                x.old_value = "null";
                x.new_value = std::move(v);
                out.push_back(std::move(x));
            };
            const auto& s = snap.value();
            add("account_id", s.account_id ? std::to_string(*s.account_id) : "null");
            add("department", records::value_text(FieldValue(s.department)));
            add("title", records::value_text(FieldValue(s.title)));
        }
    }
    return out;
}

}  // namespace crm
