// Bulk ingest of interactions (MISSION D5): one transaction, idempotent on
// external_id; each stored item gets its own history row, as a single create does.
#include <sqlite3.h>

#include <algorithm>
#include <unordered_map>

#include "interactions/interactions_internal.hpp"
#include "records/engine.hpp"
#include "scoring/scoring_internal.hpp"
#include "tickets/tickets_internal.hpp"

namespace crm {

namespace {
error at_item(std::size_t i, const error& e) {
    error out = e;
    out.field = fmt::format("items[{}]{}{}", i, e.field.empty() ? "" : ".", e.field);
    out.message = fmt::format("items[{}]: {}", i, e.message);
    return out;
}
}  // namespace

result<IngestResult> Interactions::ingest(const std::vector<Interaction>& items, const IngestOptions& options) noexcept {
    if (!db_) return records::closed();
    return db_->write([&]() -> result<IngestResult> {
        auto& db = *db_;
        IngestResult res;
        res.items.resize(items.size());
        auto fail = [&](std::size_t i, const error& e) {
            res.items[i].status = IngestStatus::error;
            res.items[i].message = e.message;
            res.items[i].field = e.field;
            ++res.failed;
        };
        // Two items with the same event id in one batch: the batch is wrong, not replayed.
        std::unordered_map<std::string, std::size_t> seen;
        seen.reserve(items.size());
        for (std::size_t i = 0; i < items.size(); ++i) {
            const auto& xid = items[i].external_id;
            if (xid.empty()) continue;
            auto [it, fresh] = seen.emplace(xid, i);
            if (!fresh) {
                auto e = invalid("external_id", fmt::format("'{}' also appears at items[{}] of this batch", xid, it->second));
                if (!options.per_item) return at_item(i, e);
                fail(i, at_item(i, e));
            }
        }
        interactions::LinkChecker lc{db};
        const auto& defs = store::cached_defs(db, Entity::interaction);
        const Timestamp now = db.now();
        Interaction v;
        // The contacts whose stored scores follow, once each, at the end of the batch.
        std::vector<Id> touched;
        std::vector<std::string> kinds;
        for (std::size_t i = 0; i < items.size(); ++i) {
            if (res.items[i].status == IngestStatus::error) continue;
            v = items[i];
            v.id = 0;
            if (v.source.empty()) v.source = options.source;
            auto checked = interactions::validate(lc, v);
            if (checked && (!v.tags.empty())) checked = records::validate_tags(v.tags);
            if (checked && !v.custom.empty())
                checked = records::validate_custom(Entity::interaction, v.custom, defs, db.options.max_text_bytes);
            if (!checked) {
                if (!options.per_item) return at_item(i, checked.error());
                fail(i, at_item(i, checked.error()));
                continue;
            }
            if (!v.external_id.empty()) {
                if (auto existing = store::id_by_external_id(db, Entity::interaction, v.external_id)) {
                    res.items[i].status = IngestStatus::duplicate;
                    res.items[i].id = *existing;
                    ++res.duplicates;
                    continue;
                }
            }
            v.created_at = v.updated_at = now;
            auto store_item = [&]() -> result<Id> {
                const Id id = store::insert<Interaction>(db, v);
                v.id = id;
                if (!v.tags.empty()) store::save_tags(db, Entity::interaction, id, v.tags, /*fresh=*/true);
                if (!v.custom.empty()) store::save_custom(db, Entity::interaction, id, v.custom, defs);
                records::Write w{db};
                CRM_TRYV(tickets::note_outbound(w, v, nullptr));
                search::reindex(db, Entity::interaction, id, /*fresh=*/true);  // full-text index, in this item's scope
                records::append(db, Entity::interaction, id, now, ChangeOp::create, "*", {}, records::document(v));
                CRM_TRYV(interactions::run_created_hooks(w, v));
                return id;
            };
            Id id = 0;
            if (!options.per_item) {
                try {
                    auto r = store_item();
                    if (!r) return at_item(i, r.error());
                    id = r.value();
                } catch (...) {  // a database error: the whole batch rolls back, naming the item
                    return at_item(i, detail::error_from_exception(std::current_exception()));
                }
            } else {
                // Each item in its own savepoint: a database error (a constraint, a
                // trigger) undoes that item alone and is reported for it.
                auto r = db.write(store_item);
                if (!r) {
                    // Some errors (disk full, I/O) end the whole transaction: then the
                    // batch fails, since nothing before this item is kept either.
                    if (sqlite3_get_autocommit(db.conn->getHandle())) return at_item(i, r.error());
                    fail(i, at_item(i, r.error()));
                    continue;
                }
                id = r.value();
            }
            res.items[i].id = id;
            touched.insert(touched.end(), v.contact_ids.begin(), v.contact_ids.end());
            if (std::find(kinds.begin(), kinds.end(), v.kind) == kinds.end()) kinds.push_back(v.kind);
            if (res.first_id == 0) res.first_id = id;
            res.last_id = id;
            ++res.inserted;
        }
        records::Write w{db};
        CRM_TRYV(scoring::refresh_contacts(w, std::move(touched), &kinds));
        return res;
    });
}

}  // namespace crm
