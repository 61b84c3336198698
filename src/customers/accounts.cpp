// Accounts: companies, their parent companies (no cycles) and the contacts who
// work there. The descriptor, the rules, and the account's own lookups.
#include <fmt/format.h>

#include "customers/customers.hpp"
#include "records/kind_entry.hpp"
#include "scoring/scoring_internal.hpp"
#include "store/customers_store.hpp"

namespace crm {

namespace records {
namespace {
using namespace caps;

constexpr const char* kContractStatuses[] = {"none", "prospect", "trial", "active", "suspended", "churned"};

constexpr FieldDef<Account> kAccountFields[] = {
    build::text<&Account::name>("name", "name", F | S | Q | I | L | R, "company name (株式会社サンプル)"),
    build::text<&Account::name_reading>("name_reading", "name_reading", F | S | Q | I | L, "reading / furigana")
        .named("reading"),
    build::text<&Account::industry>("industry", "industry", F | S | G | I | L, "industry"),
    build::opt_integer<&Account::employee_count>("employee_count", "employee_count", F | S | I | L,
                                                 "number of employees")
        .named("employees"),
    build::opt_money<&Account::annual_revenue>("annual_revenue", "revenue_amount", "revenue_currency", F | S | I,
                                               "annual revenue: AMOUNT [CURRENCY] in minor units (default JPY)")
        .named("revenue"),
    build::text<&Account::address, &PostalAddress::postal_code>("address.postal_code", "postal_code", F | S | I,
                                                                 "postal code"),
    build::text<&Account::address, &PostalAddress::country>("address.country", "country", F | S | G | I,
                                                             "ISO country code (JP)"),
    build::text<&Account::address, &PostalAddress::region>("address.region", "region", F | S | G | I | L,
                                                            "prefecture / state"),
    build::text<&Account::address, &PostalAddress::city>("address.city", "city", F | S | G | I, "city"),
    build::text<&Account::address, &PostalAddress::street>("address.street", "street", F | I, "street"),
    build::text<&Account::address, &PostalAddress::building>("address.building", "building", F | I, "building"),
    build::text<&Account::phone>("phone", "phone", F | I, "phone number"),
    build::text<&Account::website>("website", "website", F | I, "web site"),
    build::reference<&Account::parent_id>("parent_id", "parent_id", Entity::account, F | S | G | I,
                                          "parent company id")
        .named("parent"),
    build::reference<&Account::owner_id>("owner_id", "owner_id", Entity::user, F | S | G | I, "owning user id")
        .named("owner"),
    build::enumeration<&Account::contract_status>("contract_status", "contract_status", kContractStatuses,
                                                  F | S | G | I | L, "none|prospect|trial|active|suspended|churned")
        .named("status"),
};

constexpr RefDef<Account> kAccountRefs[] = {
    build::detach<&Account::parent_id>("parent_id", "parent_id", Entity::account, "subsidiaries"),
    build::block<Account>("owner_id", "owner_id", Entity::user, "accounts"),
};

result<void> validate_account(Write& w, Account& v, const Account* old) {
    CRM_TRYV(check_text(w, "name", v.name, true));
    CRM_TRYV(check_text(w, "name_reading", v.name_reading));
    CRM_TRYV(check_text(w, "industry", v.industry));
    if (v.employee_count && *v.employee_count < 0) return invalid("employee_count", "must not be negative");
    if (v.annual_revenue) CRM_TRYV(check_money("annual_revenue", *v.annual_revenue));
    CRM_TRYV(check_address(w, v.address));
    CRM_TRYV(check_text(w, "phone", v.phone));
    CRM_TRYV(check_text(w, "website", v.website));
    if (v.parent_id) {
        CRM_TRYV(check_reference(w, "parent_id", v.parent_id, Entity::account));
        if (old) {
            // Walk up from the new parent: meeting this account again would close a cycle.
            std::optional<Id> at = v.parent_id;
            for (int depth = 0; at; ++depth) {
                if (*at == old->id || depth > 10000)
                    return make_error(errc::constraint_violation,
                                      fmt::format("parent_id: account {} cannot be its own ancestor", old->id),
                                      "parent_id");
                at = store::account_parent(w.db, *at);
            }
        }
    }
    return ok();
}

// The stored scores of the account's contacts follow its fields (scoring area).
result<void> after_write(Write& w, const Account* old, const Account& v) {
    if (!old) return ok();  // a new account has no contacts yet
    return scoring::refresh_account(w, v.id);
}

const KindDef<Account> kAccount{Entity::account, "account", "accounts", "accounts", 3,
                                kAccountFields, kAccountRefs, &validate_account, &after_write};
}  // namespace

template <> const KindDef<Account>& kind_def<Account>() noexcept { return kAccount; }
const KindEntry& account_kind() { return entry<Account>(); }

}  // namespace records

const char* to_string(ContractStatus s) noexcept { return records::enum_name(records::kContractStatuses, s); }
std::optional<ContractStatus> contract_status_from_string(const std::string& s) noexcept {
    return records::enum_from_name<ContractStatus>(records::kContractStatuses, s);
}

CRM_RECORD_KIND(Account);

result<std::vector<Contact>> Accounts::contacts(Id account_id) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<std::vector<Contact>> {
        if (!store::exists(*db_, Entity::account, account_id)) return records::not_found<Account>(account_id);
        return records::load_all<Contact>(*db_, store::ids_where(*db_, "contacts", "account_id", account_id));
    });
}

result<std::vector<Account>> Accounts::subsidiaries(Id account_id) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<std::vector<Account>> {
        if (!store::exists(*db_, Entity::account, account_id)) return records::not_found<Account>(account_id);
        return records::load_all<Account>(*db_, store::ids_where(*db_, "accounts", "parent_id", account_id));
    });
}

}  // namespace crm
