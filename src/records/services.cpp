// Custom-field definitions (crm/custom_fields.hpp) and the change history feed
// (crm/history.hpp): services over every kind.
#include <fmt/format.h>

#include "records/engine.hpp"

namespace crm {

result<Id> CustomFieldDefs::define(const CustomFieldDef& def) noexcept {
    if (!db_) return records::closed();
    return db_->write([&]() -> result<Id> {
        CustomFieldDef d = def;
        CRM_TRYV(records::validate_def(d));
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
    if (!db_) return records::closed();
    return db_->read([&]() -> result<CustomFieldDef> {
        auto d = store::load_def(*db_, entity, name);
        if (!d) return make_error(errc::not_found, fmt::format("no custom field '{}' on {}", name, entity_name(entity)));
        return *d;
    });
}

result<std::vector<CustomFieldDef>> CustomFieldDefs::list(Entity entity) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<std::vector<CustomFieldDef>> { return store::cached_defs(*db_, entity); });
}

result<void> CustomFieldDefs::remove(Entity entity, const std::string& name) noexcept {
    if (!db_) return records::closed();
    return db_->write([&]() -> result<void> {
        auto d = store::load_def(*db_, entity, name);
        if (!d) return make_error(errc::not_found, fmt::format("no custom field '{}' on {}", name, entity_name(entity)));
        if (auto n = store::count_values(*db_, d->id); n > 0)
            return make_error(errc::constraint_violation,
                              fmt::format("custom field '{}' still has values on {} records; clear them first", name, n));
        store::erase_def(*db_, *d);
        return ok();
    });
}

result<std::vector<Change>> HistoryLog::for_record(Entity entity, Id id) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<std::vector<Change>> { return store::changes_for(*db_, entity, id); });
}

result<std::int64_t> HistoryLog::count() noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<std::int64_t> { return store::count_changes(*db_); });
}

result<Id> HistoryLog::latest_id() noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<Id> { return store::latest_change_id(*db_); });
}

result<std::vector<Change>> HistoryLog::since(Id after, std::size_t limit) noexcept {
    if (!db_) return records::closed();
    if (limit == 0 || limit > 100000) return invalid("limit", "must be between 1 and 100000");
    return db_->read([&]() -> result<std::vector<Change>> { return store::changes_since(*db_, after, limit); });
}

}  // namespace crm
