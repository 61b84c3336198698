// Entity-specific lookups, custom-field definitions and the history feed.
#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "crm/json.hpp"
#include "customers/customer_traits.hpp"
#include "customers/validate.hpp"
#include "util/text.hpp"

namespace crm {

namespace {
template <class T>
result<std::vector<T>> load_all(detail::DbImpl& db, const std::vector<Id>& ids) {
    std::vector<T> out;
    out.reserve(ids.size());
    for (Id id : ids) {
        CRM_TRY(T v, domain::load_full<T>(db, id));
        out.push_back(std::move(v));
    }
    return out;
}
}  // namespace

result<User> Users::get_by_email(const std::string& email) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->read([&]() -> result<User> {
        CRM_TRY(auto norm, text::normalize_email("email", email));
        auto id = store::user_by_email(*db_, norm);
        if (!id) return make_error(errc::not_found, fmt::format("no user with email '{}'", email));
        return domain::load_full<User>(*db_, *id);
    });
}

result<std::vector<User>> Teams::members(Id team_id) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->read([&]() -> result<std::vector<User>> {
        if (!store::exists(*db_, Entity::team, team_id))
            return make_error(errc::not_found, fmt::format("no team with id {}", team_id));
        return load_all<User>(*db_, store::ids_where_equals(*db_, Entity::user, "team_id", team_id));
    });
}

result<std::vector<Contact>> Accounts::contacts(Id account_id) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->read([&]() -> result<std::vector<Contact>> {
        if (!store::exists(*db_, Entity::account, account_id))
            return make_error(errc::not_found, fmt::format("no account with id {}", account_id));
        return load_all<Contact>(*db_, store::ids_where_equals(*db_, Entity::contact, "account_id", account_id));
    });
}

result<std::vector<Account>> Accounts::subsidiaries(Id account_id) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->read([&]() -> result<std::vector<Account>> {
        if (!store::exists(*db_, Entity::account, account_id))
            return make_error(errc::not_found, fmt::format("no account with id {}", account_id));
        return load_all<Account>(*db_, store::ids_where_equals(*db_, Entity::account, "parent_id", account_id));
    });
}

result<Contact> Contacts::get_by_email(const std::string& email) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->read([&]() -> result<Contact> {
        CRM_TRY(auto norm, text::normalize_email("email", email));
        auto id = store::contact_by_email(*db_, norm);
        if (!id) return make_error(errc::not_found, fmt::format("no contact with email '{}'", email));
        return domain::load_full<Contact>(*db_, *id);
    });
}

result<std::vector<Change>> Contacts::employment_history(Id contact_id) noexcept {
    CRM_TRY(auto all, history(contact_id));
    std::vector<Change> out;
    for (auto& c : all) {
        if (c.field == "account_id" || c.field == "department" || c.field == "title") {
            out.push_back(std::move(c));
        } else if (c.op == ChangeOp::create) {
            // The starting position: report the initial employer/department/title as changes from null.
            auto snap = from_json<Contact>(c.new_value);
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
            add("account_id", snap.value().account_id ? std::to_string(*snap.value().account_id) : "null");
            add("department", nlohmann::json(snap.value().department).dump());
            add("title", nlohmann::json(snap.value().title).dump());
        }
    }
    return out;
}

result<Id> CustomFieldDefs::define(const CustomFieldDef& def) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->write([&]() -> result<Id> {
        CustomFieldDef d = def;
        CRM_TRYV(domain::validate_def(d));
        if (store::load_def(*db_, d.entity, d.name))
            return make_error(errc::already_exists,
                              fmt::format("name: {} already has a custom field '{}'", entity_name(d.entity), d.name), "name");
        if (d.required)
            return invalid("required", "a new field cannot be required while existing records have no value; "
                                       "define it optional, fill it, then redefine");
        d.created_at = db_->now();
        return store::insert_def(*db_, d);
    });
}

result<CustomFieldDef> CustomFieldDefs::get(Entity entity, const std::string& name) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->read([&]() -> result<CustomFieldDef> {
        auto d = store::load_def(*db_, entity, name);
        if (!d) return make_error(errc::not_found, fmt::format("no custom field '{}' on {}", name, entity_name(entity)));
        return *d;
    });
}

result<std::vector<CustomFieldDef>> CustomFieldDefs::list(Entity entity) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->read([&]() -> result<std::vector<CustomFieldDef>> { return store::load_defs(*db_, entity); });
}

result<void> CustomFieldDefs::remove(Entity entity, const std::string& name) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->write([&]() -> result<void> {
        auto d = store::load_def(*db_, entity, name);
        if (!d) return make_error(errc::not_found, fmt::format("no custom field '{}' on {}", name, entity_name(entity)));
        if (auto n = store::count_values(*db_, d->id); n > 0)
            return make_error(errc::constraint_violation,
                              fmt::format("custom field '{}' still has values on {} records; clear them first", name, n));
        store::erase_def(*db_, d->id);
        return ok();
    });
}

result<std::vector<Change>> HistoryLog::for_record(Entity entity, Id id) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->read([&]() -> result<std::vector<Change>> { return store::changes_for(*db_, entity, id); });
}

result<std::int64_t> HistoryLog::count() noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->read([&]() -> result<std::int64_t> { return store::count_changes(*db_); });
}

result<Id> HistoryLog::latest_id() noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->read([&]() -> result<Id> { return store::latest_change_id(*db_); });
}

result<std::vector<Change>> HistoryLog::since(Id after, std::size_t limit) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    if (limit == 0 || limit > 100000) return invalid("limit", "must be between 1 and 100000");
    return db_->read([&]() -> result<std::vector<Change>> { return store::changes_since(*db_, after, limit); });
}

}  // namespace crm
