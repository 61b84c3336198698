// Undoing an import batch, and reading the batches back (crm/import.hpp).
//
// A batch lists every record it created or updated with the range of history rows it
// wrote for it. Undo goes newest first, in one transaction: a created record is removed
// through the record engine (the deletion rules of its kind apply); an updated one is
// patched back to the old values of exactly the fields the batch wrote. Before anything
// is written, every record is checked for later changes to those fields.
#include <fmt/format.h>

#include <map>

#include "import/import_internal.hpp"
#include "json/parse.hpp"
#include "records/registry.hpp"
#include "store/import_store.hpp"

namespace crm::import {

namespace {

using impl::json;

// The old values of the fields the batch wrote for one record, as a merge patch.
result<json> restore_patch(const EntityInfo& kind, const std::vector<Change>& written) {
    json patch = json::object();
    std::map<std::string, const Change*> first;  // the oldest row per field holds the value before the batch
    for (const auto& c : written)
        if (c.op == ChangeOp::update && !first.count(c.field)) first[c.field] = &c;
    for (const auto& [field, c] : first) {
        if (field == "updated_at") continue;
        if (const FieldInfo* f = kind.field(field); f && f->has(cap_computed)) continue;
        json value = nullptr;
        if (!c->old_value.empty()) {
            auto v = crm::json::parse_text(c->old_value, "history");
            if (!v) return v.error();
            value = std::move(v).value();
        }
        std::vector<std::string> path;
        for (std::size_t s = 0, e; s <= field.size(); s = e + 1) {
            e = field.find('.', s);
            if (e == std::string::npos) e = field.size();
            path.push_back(field.substr(s, e - s));
        }
        impl::put(patch, path, std::move(value));
    }
    return patch;
}

std::string what(const store::ImportItem& it) {
    return fmt::format("{} {} (line {})", entity_name(it.entity), it.record_id, it.line);
}

}  // namespace

result<UndoReport> Imports::undo(Id batch_id, bool force) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->write([&]() -> result<UndoReport> {
        auto b = store::import_batch(*db_, batch_id);
        if (!b) return make_error(errc::not_found, fmt::format("no import batch with id {}", batch_id));
        if (b->undone_at)
            return make_error(errc::constraint_violation,
                              fmt::format("import batch {} was undone at {}", batch_id, format_iso8601(b->undone_at)));
        const auto items = store::import_items(*db_, batch_id);
        // Check first: nothing is written when any record was changed since in what the batch wrote.
        std::vector<bool> gone(items.size(), false);
        // History rows the batch itself wrote, per record: a record created by one row and
        // updated by a later one is not "changed after the import".
        std::map<std::pair<Entity, Id>, std::vector<std::pair<Id, Id>>> ours;
        for (const auto& it : items) ours[{it.entity, it.record_id}].emplace_back(it.history_from, it.history_to);
        for (std::size_t i = 0; i < items.size(); ++i) {
            const auto& it = items[i];
            auto later = store::changes_between(*db_, it.entity, it.record_id, it.history_to, 0);
            const auto& ranges = ours[{it.entity, it.record_id}];
            std::erase_if(later, [&](const Change& c) {
                return std::any_of(ranges.begin(), ranges.end(), [&](const auto& r) { return c.id > r.first && c.id <= r.second; });
            });
            if (later.empty()) continue;
            // Deleted since — unless it is back (a merge that was undone restores it under its id).
            const auto* kind = records::find(it.entity);
            const bool deleted = std::any_of(later.begin(), later.end(), [](const Change& c) { return c.op == ChangeOp::remove; }) &&
                                 !(kind && kind->ops.get(*db_, it.record_id));
            // A record created and later removed by the batch itself (no such case today) or by someone else.
            if (deleted) {
                if (!force)
                    return make_error(errc::constraint_violation,
                                      fmt::format("{} was deleted after the import: undo with force to skip it", what(it)));
                gone[i] = true;
                continue;
            }
            if (force) continue;
            if (it.created)
                return make_error(errc::constraint_violation,
                                  fmt::format("{} was changed after the import (field {}): undo with force to remove it anyway",
                                              what(it), later.front().field));
            const auto written = store::changes_between(*db_, it.entity, it.record_id, it.history_from, it.history_to);
            for (const auto& l : later)
                for (const auto& w : written)
                    if (l.field == w.field || l.field == "*")
                        return make_error(errc::constraint_violation,
                                          fmt::format("{}: field {} was changed after the import: undo with force to put "
                                                      "back the value the import replaced",
                                                      what(it), l.field));
        }
        UndoReport out;
        for (std::size_t n = items.size(); n-- > 0;) {
            const auto& it = items[n];
            if (gone[n]) continue;
            const auto* k = records::find(it.entity);
            if (!k) return make_error(errc::internal, "an import item of an unknown kind");
            if (it.created) {
                if (auto r = k->ops.remove(*db_, it.record_id); !r) {
                    auto e = r.error();
                    e.message = fmt::format("cannot remove {}: {}", what(it), e.message);
                    return e;
                }
                ++out.removed;
            } else {
                const auto written = store::changes_between(*db_, it.entity, it.record_id, it.history_from, it.history_to);
                CRM_TRY(json patch, restore_patch(k->info, written));
                if (patch.empty()) continue;
                if (auto r = k->ops.patch(*db_, it.record_id, patch.dump()); !r) {
                    auto e = r.error();
                    e.message = fmt::format("cannot restore {}: {}", what(it), e.message);
                    return e;
                }
                ++out.restored;
            }
        }
        store::set_import_batch_undone(*db_, batch_id, db_->now());
        return out;
    });
}

result<Batch> Imports::get(Id batch_id) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->read([&]() -> result<Batch> {
        auto b = store::import_batch(*db_, batch_id);
        if (!b) return make_error(errc::not_found, fmt::format("no import batch with id {}", batch_id));
        return *b;
    });
}

result<std::vector<Batch>> Imports::list() noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->read([&]() -> result<std::vector<Batch>> { return store::import_batches(*db_); });
}

}  // namespace crm::import
