// Private: the SQL of every kind's own row, built once per kind from its
// descriptor (records/descriptor.hpp): the columns, in descriptor order, of the
// fields that have one. Child tables (emails, line items, links) are the kind's
// save_children / load_children hooks. Values are always bound; only the
// descriptor's fixed identifiers reach the SQL text.
#pragma once

#include <fmt/format.h>
#include <sqlite3.h>

#include <string>
#include <unordered_map>
#include <vector>

#include "records/codec.hpp"
#include "store/bind.hpp"
#include "store/db_impl.hpp"
#include "store/entity_store.hpp"
#include "util/text.hpp"

namespace crm::store {

using records::FieldDef;
using records::Shape;

// Which field of T a UNIQUE failure concerns, from SQLite's message
// "UNIQUE constraint failed: table.column"; rethrows it as a KeyConflict.
template <class T>
[[noreturn]] void rethrow_unique(const SQLite::Exception& ex) {
    const auto& k = records::kind_def<T>();
    const std::string m = ex.what();
    const FieldDef<T>* hit = nullptr;
    records::for_each_field<T>([&](const FieldDef<T>& f) {
        if (hit || !f.unique) return;
        auto names = [&](const char* table, const char* column) {
            return table && column && m.find(fmt::format("{}.{}", table, column)) != std::string::npos;
        };
        if (names(k.table, f.column) || names(k.table, f.column2) || (f.child && names(f.child->table, f.child->column)))
            hit = &f;
    });
    if (!hit) throw;
    error e = detail::error_from_sqlite(ex.getExtendedErrorCode(), ex.what());
    e.code = errc::already_exists;
    e.field = std::string(hit->info.key);
    e.message = fmt::format("{}: another {} already has this {}", hit->info.key, k.name, hit->unique);
    throw KeyConflict(std::move(e));
}

// A FOREIGN KEY failure: which reference of v points at nothing. References are
// not looked up before a write (the schema's foreign keys check them as the row is
// written); when one fails, this finds it and names it.
template <class T>
[[noreturn]] void rethrow_dangling(DbImpl& db, const SQLite::Exception& ex, const T& cv) {
    T& v = const_cast<T&>(cv);
    const FieldDef<T>* hit = nullptr;
    Id missing = 0;
    records::for_each_field<T>([&](const FieldDef<T>& f) {
        if (hit || f.info.type != ValueType::reference || !f.column) return;
        std::optional<Id> id;
        if (f.shape == Shape::opt_integer) id = f.at.opt_integer(v);
        else if (f.shape == Shape::integer) id = f.at.integer(v);
        if (id && !exists(db, f.info.target, *id)) {
            hit = &f;
            missing = *id;
        }
    });
    if (!hit) throw;  // a foreign key of a child row: the kind's own checks name those
    error e = detail::error_from_sqlite(ex.getExtendedErrorCode(), ex.what());
    e.code = errc::invalid_argument;
    e.field = std::string(hit->info.key);
    e.message = fmt::format("{}: no {} with id {}", hit->info.key, entity_name(hit->info.target), missing);
    throw KeyConflict(std::move(e));
}

template <class T>
struct Rows {
    // The stored columns, in descriptor order (money and lower-cased copies take two).
    static const std::vector<const FieldDef<T>*>& fields() {
        static const std::vector<const FieldDef<T>*> out = [] {
            std::vector<const FieldDef<T>*> v;
            records::for_each_field<T>([&](const FieldDef<T>& f) {
                if (f.column && f.info.key != "id") v.push_back(&f);
            });
            return v;
        }();
        return out;
    }
    static std::vector<std::string> column_names() {
        std::vector<std::string> cols;
        for (const auto* f : fields()) {
            cols.emplace_back(f->column);
            if (f->column2) cols.emplace_back(f->column2);
        }
        return cols;
    }
    static const std::string& insert_sql() {
        static const std::string sql = [] {
            const auto cols = column_names();
            std::string marks;
            for (std::size_t i = 0; i < cols.size(); ++i) marks += i ? ",?" : "?";
            return fmt::format("INSERT INTO {}({}) VALUES({})", records::kind_def<T>().table, fmt::join(cols, ","),
                               marks);
        }();
        return sql;
    }
    // The same with the id given (a record brought back under its own id: an undone merge).
    static const std::string& insert_with_id_sql() {
        static const std::string sql = [] {
            const auto cols = column_names();
            std::string marks = "?";
            for (std::size_t i = 0; i < cols.size(); ++i) marks += ",?";
            return fmt::format("INSERT INTO {}(id,{}) VALUES({})", records::kind_def<T>().table, fmt::join(cols, ","),
                               marks);
        }();
        return sql;
    }
    static const std::string& update_sql() {
        static const std::string sql = [] {
            std::string set;
            for (const auto& c : column_names()) set += (set.empty() ? "" : ",") + c + "=?";
            return fmt::format("UPDATE {} SET {} WHERE id=?", records::kind_def<T>().table, set);
        }();
        return sql;
    }
    static std::string select_sql(const char* where) {
        return fmt::format("SELECT id,{} FROM {} WHERE {}", fmt::join(column_names(), ","),
                           records::kind_def<T>().table, where);
    }

    // Binds every stored column of v from index 1; returns the next index.
    static int bind(SQLite::Statement& s, const T& cv, int first = 1) {
        T& v = const_cast<T&>(cv);
        int i = first;
        for (const auto* f : fields()) {
            switch (f->shape) {
                case Shape::text: {
                    const auto& t = f->at.text(v);
                    // v outlives the statement's step: its text is bound without a copy.
                    if (t.empty() && f->has(records::null_if_empty) && !f->has(records::column_not_null)) s.bind(i);
                    else s.bindNoCopy(i, t);
                    if (f->column2) s.bind(++i, text::ascii_lower(t));
                    break;
                }
                case Shape::integer: s.bind(i, static_cast<std::int64_t>(f->at.integer(v))); break;
                case Shape::time: {
                    const auto t = f->at.integer(v);
                    if (t == 0 && f->has(records::null_if_empty)) s.bind(i);
                    else s.bind(i, static_cast<std::int64_t>(t));
                    break;
                }
                case Shape::opt_integer:
                case Shape::opt_time: bind_opt(s, i, f->at.opt_integer(v)); break;
                case Shape::boolean: s.bind(i, f->at.boolean(v) ? 1 : 0); break;
                case Shape::enumeration: {
                    const auto e = static_cast<std::size_t>(f->at.enumeration.get(v));
                    s.bindNoCopy(i, e < f->info.values.size() ? f->info.values[e] : "");
                    break;
                }
                case Shape::money:
                    s.bind(i, static_cast<std::int64_t>(f->at.money(v).amount));
                    s.bindNoCopy(++i, f->at.money(v).currency);
                    break;
                case Shape::opt_money:
                    if (const auto& m = f->at.opt_money(v)) {
                        s.bind(i, static_cast<std::int64_t>(m->amount));
                        s.bindNoCopy(++i, m->currency);
                    } else {
                        s.bind(i);
                        s.bind(++i);
                    }
                    break;
                default: break;  // not stored in a column
            }
            ++i;
        }
        return i;
    }

    // Reads the row at the statement's current step (column 0 is the id).
    static void read(SQLite::Statement& s, T& v) {
        v.id = s.getColumn(0).getInt64();
        int i = 1;
        for (const auto* f : fields()) {
            auto c = s.getColumn(i);
            switch (f->shape) {
                case Shape::text:
                    f->at.text(v) = c.isNull() ? std::string() : c.getString();
                    if (f->column2) ++i;
                    break;
                case Shape::integer:
                case Shape::time: f->at.integer(v) = c.isNull() ? 0 : c.getInt64(); break;
                case Shape::opt_integer:
                case Shape::opt_time: f->at.opt_integer(v) = opt_int(c); break;
                case Shape::boolean: f->at.boolean(v) = c.getInt() != 0; break;
                case Shape::enumeration: {
                    const auto name = c.getString();
                    int e = f->at.enumeration.get(records::defaults<T>());
                    for (std::size_t k = 0; k < f->info.values.size(); ++k)
                        if (name == f->info.values[k]) e = static_cast<int>(k);
                    f->at.enumeration.set(v, e);
                    break;
                }
                case Shape::money: {
                    auto& m = f->at.money(v);
                    m.amount = c.getInt64();
                    m.currency = s.getColumn(++i).getString();
                    break;
                }
                case Shape::opt_money: {
                    auto cur = s.getColumn(++i);
                    if (c.isNull()) f->at.opt_money(v).reset();
                    else f->at.opt_money(v) = Money{c.getInt64(), cur.isNull() ? std::string() : cur.getString()};
                    break;
                }
                default: break;
            }
            ++i;
        }
    }
};

// The record's row and child rows: insert (sets v.id and returns it), update, load.
template <class T>
Id insert(DbImpl& db, T& v) {
    try {
        auto& s = db.stmt(Rows<T>::insert_sql().c_str());
        Rows<T>::bind(s, v);
        s.exec();
        v.id = db.conn->getLastInsertRowid();
        if (const auto save = records::kind_def<T>().save_children) save(db, v, nullptr);
        return v.id;
    } catch (const SQLite::Exception& ex) {
        if (ex.getExtendedErrorCode() == SQLITE_CONSTRAINT_UNIQUE) rethrow_unique<T>(ex);
        if (ex.getExtendedErrorCode() == SQLITE_CONSTRAINT_FOREIGNKEY) rethrow_dangling<T>(db, ex, v);
        throw;
    }
}

// The record's row and child rows under v.id, which must be free (an undone merge
// brings a record back under the id it had).
template <class T>
void insert_with_id(DbImpl& db, const T& v) {
    try {
        auto& s = db.stmt(Rows<T>::insert_with_id_sql().c_str());
        s.bind(1, static_cast<std::int64_t>(v.id));
        Rows<T>::bind(s, v, 2);
        s.exec();
        if (const auto save = records::kind_def<T>().save_children) save(db, v, nullptr);
    } catch (const SQLite::Exception& ex) {
        if (ex.getExtendedErrorCode() == SQLITE_CONSTRAINT_UNIQUE) rethrow_unique<T>(ex);
        if (ex.getExtendedErrorCode() == SQLITE_CONSTRAINT_FOREIGNKEY) rethrow_dangling<T>(db, ex, v);
        throw;
    }
}

template <class T>
void update(DbImpl& db, const T& old, const T& v) {
    try {
        auto& s = db.stmt(Rows<T>::update_sql().c_str());
        const int next = Rows<T>::bind(s, v);
        s.bind(next, static_cast<std::int64_t>(v.id));
        s.exec();
        if (const auto save = records::kind_def<T>().save_children) save(db, v, &old);
    } catch (const SQLite::Exception& ex) {
        if (ex.getExtendedErrorCode() == SQLITE_CONSTRAINT_UNIQUE) rethrow_unique<T>(ex);
        if (ex.getExtendedErrorCode() == SQLITE_CONSTRAINT_FOREIGNKEY) rethrow_dangling<T>(db, ex, v);
        throw;
    }
}

// Rows of these ids in the order given (ids not found are left out), with their
// child rows; tags and custom values are the caller's.
template <class T>
std::vector<T> load_many(DbImpl& db, const std::vector<Id>& ids) {
    std::vector<T> out;
    if (ids.empty()) return out;
    if (ids.size() == 1) {
        static const std::string sql = Rows<T>::select_sql("id=?");
        auto& s = db.stmt(sql.c_str());
        s.bind(1, static_cast<std::int64_t>(ids[0]));
        if (s.executeStep()) {
            out.emplace_back();
            Rows<T>::read(s, out.back());
        }
        s.reset();
    } else {
        static const std::string sql = Rows<T>::select_sql("id IN (SELECT value FROM json_each(?))");
        auto& s = db.stmt(sql.c_str());
        s.bind(1, id_array_json(ids));
        std::vector<T> rows;
        std::unordered_map<Id, std::size_t> at;
        while (s.executeStep()) {
            rows.emplace_back();
            Rows<T>::read(s, rows.back());
            at.emplace(rows.back().id, rows.size() - 1);
        }
        out.reserve(rows.size());
        for (Id id : ids)
            if (auto it = at.find(id); it != at.end()) out.push_back(std::move(rows[it->second]));
    }
    if (const auto load = records::kind_def<T>().load_children; load && !out.empty()) load(db, out);
    return out;
}

template <class T>
bool load(DbImpl& db, Id id, T& out) {
    auto rows = load_many<T>(db, {id});
    if (rows.empty()) return false;
    out = std::move(rows.front());
    return true;
}

}  // namespace crm::store
