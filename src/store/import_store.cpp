// SQL of import batches (store/import_store.hpp).
#include "store/import_store.hpp"

#include "store/bind.hpp"

namespace crm::store {

namespace {
constexpr const char* kBatchCols =
    "SELECT id,entity,source_name,source_sha256,mapping,started_at,finished_at,actor_id,rows,created,updated,"
    "skipped,rejected,references_created,undone_at FROM import_batches ";

import::Batch batch_of(SQLite::Statement& s) {
    import::Batch b;
    b.id = s.getColumn(0).getInt64();
    b.kind = entity_from_name(s.getColumn(1).getString()).value_or(Entity::contact);
    b.source_name = s.getColumn(2).getString();
    b.source_sha256 = s.getColumn(3).getString();
    b.mapping = s.getColumn(4).getString();
    b.started_at = s.getColumn(5).getInt64();
    b.finished_at = opt_int(s.getColumn(6)).value_or(0);
    b.actor_id = opt_int(s.getColumn(7));
    b.rows = static_cast<std::uint64_t>(s.getColumn(8).getInt64());
    b.created = static_cast<std::uint64_t>(s.getColumn(9).getInt64());
    b.updated = static_cast<std::uint64_t>(s.getColumn(10).getInt64());
    b.skipped = static_cast<std::uint64_t>(s.getColumn(11).getInt64());
    b.rejected = static_cast<std::uint64_t>(s.getColumn(12).getInt64());
    b.references_created = static_cast<std::uint64_t>(s.getColumn(13).getInt64());
    b.undone_at = opt_int(s.getColumn(14)).value_or(0);
    return b;
}

std::int64_t i64(std::uint64_t v) { return static_cast<std::int64_t>(v); }
}  // namespace

Id insert_import_batch(detail::DbImpl& db, const import::Batch& b) {
    auto& s = db.stmt(
        "INSERT INTO import_batches(entity,source_name,source_sha256,mapping,started_at,actor_id) "
        "VALUES(?,?,?,?,?,?)");
    s.bind(1, entity_name(b.kind));
    s.bind(2, b.source_name);
    s.bind(3, b.source_sha256);
    s.bind(4, b.mapping);
    s.bind(5, static_cast<std::int64_t>(b.started_at));
    bind_opt(s, 6, b.actor_id);
    s.exec();
    return db.conn->getLastInsertRowid();
}

void update_import_batch(detail::DbImpl& db, const import::Batch& b) {
    auto& s = db.stmt(
        "UPDATE import_batches SET source_sha256=?,finished_at=?,rows=?,created=?,updated=?,skipped=?,rejected=?,"
        "references_created=? WHERE id=?");
    s.bind(1, b.source_sha256);
    if (b.finished_at) s.bind(2, static_cast<std::int64_t>(b.finished_at)); else s.bind(2);
    s.bind(3, i64(b.rows));
    s.bind(4, i64(b.created));
    s.bind(5, i64(b.updated));
    s.bind(6, i64(b.skipped));
    s.bind(7, i64(b.rejected));
    s.bind(8, i64(b.references_created));
    s.bind(9, static_cast<std::int64_t>(b.id));
    s.exec();
}

void set_import_batch_undone(detail::DbImpl& db, Id id, Timestamp at) {
    auto& s = db.stmt("UPDATE import_batches SET undone_at=? WHERE id=?");
    s.bind(1, static_cast<std::int64_t>(at));
    s.bind(2, static_cast<std::int64_t>(id));
    s.exec();
}

std::optional<import::Batch> import_batch(detail::DbImpl& db, Id id) {
    auto& s = db.stmt(std::string(kBatchCols) + "WHERE id=?");
    s.bind(1, static_cast<std::int64_t>(id));
    if (!s.executeStep()) return std::nullopt;
    return batch_of(s);
}

std::vector<import::Batch> import_batches(detail::DbImpl& db) {
    auto& s = db.stmt(std::string(kBatchCols) + "ORDER BY id DESC");
    std::vector<import::Batch> out;
    while (s.executeStep()) out.push_back(batch_of(s));
    return out;
}

void insert_import_item(detail::DbImpl& db, const ImportItem& it) {
    auto& s = db.stmt(
        "INSERT INTO import_items(batch_id,seq,entity,record_id,action,line,history_from,history_to) "
        "VALUES(?,?,?,?,?,?,?,?)");
    s.bind(1, static_cast<std::int64_t>(it.batch_id));
    s.bind(2, it.seq);
    s.bind(3, entity_name(it.entity));
    s.bind(4, static_cast<std::int64_t>(it.record_id));
    s.bind(5, it.created ? "created" : "updated");
    s.bind(6, i64(it.line));
    s.bind(7, static_cast<std::int64_t>(it.history_from));
    s.bind(8, static_cast<std::int64_t>(it.history_to));
    s.exec();
}

std::vector<ImportItem> import_items(detail::DbImpl& db, Id batch_id) {
    auto& s = db.stmt(
        "SELECT seq,entity,record_id,action,line,history_from,history_to FROM import_items WHERE batch_id=? "
        "ORDER BY seq");
    s.bind(1, static_cast<std::int64_t>(batch_id));
    std::vector<ImportItem> out;
    while (s.executeStep()) {
        ImportItem it;
        it.batch_id = batch_id;
        it.seq = s.getColumn(0).getInt64();
        it.entity = entity_from_name(s.getColumn(1).getString()).value_or(Entity::contact);
        it.record_id = s.getColumn(2).getInt64();
        it.created = s.getColumn(3).getString() == "created";
        it.line = static_cast<std::uint64_t>(s.getColumn(4).getInt64());
        it.history_from = s.getColumn(5).getInt64();
        it.history_to = s.getColumn(6).getInt64();
        out.push_back(it);
    }
    return out;
}

std::vector<Change> changes_between(detail::DbImpl& db, Entity e, Id record_id, Id from, Id to) {
    auto& s = db.stmt(
        "SELECT id,at,actor_id,op,field,old_value,new_value FROM history WHERE entity=? AND record_id=? AND id>? "
        "AND (?=0 OR id<=?) ORDER BY id");
    s.bind(1, entity_name(e));
    s.bind(2, static_cast<std::int64_t>(record_id));
    s.bind(3, static_cast<std::int64_t>(from));
    s.bind(4, static_cast<std::int64_t>(to));
    s.bind(5, static_cast<std::int64_t>(to));
    std::vector<Change> out;
    while (s.executeStep()) {
        Change c;
        c.id = s.getColumn(0).getInt64();
        c.entity = e;
        c.record_id = record_id;
        c.at = s.getColumn(1).getInt64();
        c.actor_id = opt_int(s.getColumn(2));
        const auto op = s.getColumn(3).getString();
        c.op = op == "create" ? ChangeOp::create : op == "delete" ? ChangeOp::remove : ChangeOp::update;
        c.field = s.getColumn(4).getString();
        c.old_value = text(s.getColumn(5));
        c.new_value = text(s.getColumn(6));
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace crm::store
