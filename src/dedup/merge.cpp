// Merging two records of a kind, and undoing it (crm/dedup.hpp; rules in docs/dedup.md).
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "crm/accounts.hpp"
#include "crm/contacts.hpp"
#include "crm/dedup.hpp"
#include "crm/normalize.hpp"
#include "json/writer.hpp"
#include "records/engine.hpp"
#include "records/registry.hpp"
#include "store/dedup_store.hpp"

namespace crm {

namespace {

using records::Json;

// ---- JSON paths of a document: "title", "address.city", "custom.rank"
const Json* at_path(const Json& d, std::string_view key) {
    const auto dot = key.find('.');
    auto it = d.find(std::string(key.substr(0, dot)));
    if (it == d.end()) return nullptr;
    if (dot == std::string_view::npos) return &*it;
    if (!it->is_object()) return nullptr;
    auto in = it->find(std::string(key.substr(dot + 1)));
    return in == it->end() ? nullptr : &*in;
}
void set_path(Json& d, std::string_view key, const Json& v) {
    const auto dot = key.find('.');
    if (dot == std::string_view::npos) {
        d[std::string(key)] = v;
        return;
    }
    auto& parent = d[std::string(key.substr(0, dot))];
    if (!parent.is_object()) parent = Json::object();
    parent[std::string(key.substr(dot + 1))] = v;
}
bool empty_value(const Json* v) {
    return !v || v->is_null() || (v->is_string() && v->get_ref<const std::string&>().empty()) ||
           ((v->is_array() || v->is_object()) && v->empty());
}

// What makes two elements of a list field one: an e-mail address or phone number by
// its normalised key, anything else by its whole value.
std::string element_key(std::string_view field, const Json& e) {
    if (e.is_object()) {
        if (field == "emails" && e.contains("address") && e["address"].is_string())
            if (auto n = normalize::email(e["address"].get<std::string>())) return "e:" + n.value();
        if (field == "phones" && e.contains("number") && e["number"].is_string())
            if (auto n = normalize::phone(e["number"].get<std::string>())) return "p:" + n.value();
    }
    return e.dump();
}

Json united(std::string_view field, const Json& a, const Json& b) {
    Json out = a.is_array() ? a : Json::array();
    std::vector<std::string> seen;
    for (const auto& e : out) seen.push_back(element_key(field, e));
    if (!b.is_array()) return out;
    for (auto e : b) {
        auto k = element_key(field, e);
        if (std::find(seen.begin(), seen.end(), k) != seen.end()) continue;
        seen.push_back(std::move(k));
        if (e.is_object() && e.contains("primary") && !out.empty()) e["primary"] = false;
        out.push_back(std::move(e));
    }
    return out;
}

// The fields a caller may choose: a field's key or short name, or custom.NAME.
result<std::vector<std::string>> chosen_keys(const EntityInfo& info, const std::vector<std::string>& take) {
    std::vector<std::string> out;
    if (take.size() > 256) return invalid("take_merged", "at most 256 fields");
    for (const auto& t : take) {
        if (t.rfind("custom.", 0) == 0 && t.size() > 7 && t.size() < 200) {
            out.push_back(t);
            continue;
        }
        const FieldInfo* f = info.field(t);
        if (!f) return invalid("take_merged", fmt::format("'{}' is not a field of a {}", t.substr(0, 200), info.name));
        if (f->has(cap_computed) || f->key == "id" || f->key == "created_at" || f->key == "updated_at")
            return invalid("take_merged", fmt::format("'{}' is set by the library and cannot be chosen", f->key));
        out.emplace_back(f->key);
    }
    return out;
}

struct FieldOut {
    std::string field, source;
    Json before, after;
};

// The survivor's document after the merge, and the fields it changes.
Json merged_document(const EntityInfo& info, const Json& s, const Json& m, const std::vector<std::string>& take,
                     std::vector<FieldOut>& changed, Id survivor_id) {
    Json out = s;
    auto taken = [&](std::string_view k) { return std::find(take.begin(), take.end(), k) != take.end(); };
    for (const FieldInfo& f : info.fields) {
        if (f.has(cap_computed) || f.key == "id" || f.key == "created_at" || f.key == "updated_at") continue;
        const Json* sv = at_path(s, f.key);
        const Json* mv = at_path(m, f.key);
        const Json null_value = nullptr;
        const Json& a = sv ? *sv : null_value;
        const Json& b = mv ? *mv : null_value;
        if (f.type == ValueType::custom) {
            Json c = a.is_object() ? a : Json::object();
            if (b.is_object())
                for (auto it = b.begin(); it != b.end(); ++it) {
                    const std::string k = "custom." + it.key();
                    const bool take_it = taken("custom") || taken(k);
                    if (it->is_null()) continue;
                    if (take_it || !c.contains(it.key()) || c[it.key()].is_null()) {
                        if (c.contains(it.key()) && c[it.key()] == *it) continue;
                        changed.push_back({k, take_it ? "merged" : "filled",
                                           c.contains(it.key()) ? c[it.key()] : Json(nullptr), *it});
                        c[it.key()] = *it;
                    }
                }
            set_path(out, f.key, c);
            continue;
        }
        Json v = a;
        std::string source;
        if (taken(f.key)) {
            v = b;
            source = "merged";
        } else if (f.type == ValueType::list || f.type == ValueType::tags || f.type == ValueType::references ||
                   f.type == ValueType::links) {
            v = united(f.key, a, b);
            source = "union";
        } else if (empty_value(&a) && !empty_value(&b)) {
            // An account's parent: the merged record's parent may be the survivor itself.
            if (f.type == ValueType::reference && f.target == info.entity && b.is_number_integer() &&
                b.get<Id>() == survivor_id)
                continue;
            v = b;
            source = "filled";
        }
        if (v == a) continue;
        changed.push_back({std::string(f.key), source, a, v});
        set_path(out, f.key, v);
    }
    return out;
}

struct Moved {
    std::string kind, field;
    Id id;
    Json before, after;
};

// Every reference to (kind, from) that records of any kind hold, re-pointed to `to`
// through each kind's own update path.
result<void> repoint(detail::DbImpl& db, Entity kind, Id from, Id to, std::vector<Moved>& moved) {
    const std::string kname = entity_name(kind);
    for (const records::KindEntry* e : records::kinds()) {
        auto patch_one = [&](Id rid, const std::string& key, const Json& after) -> result<void> {
            CRM_TRY(std::string doc, e->ops.get(db, rid));
            const Json d = Json::parse(doc);
            const Json* before = at_path(d, key);
            Json p = Json::object();
            set_path(p, key, after);
            CRM_TRYV(e->ops.patch(db, rid, p.dump()));
            moved.push_back({std::string(e->info.name), key, rid, before ? *before : Json(nullptr), after});
            return ok();
        };
        // Scalar references held in the kind's own table (deals.account_id, accounts.parent_id …).
        for (const ReferenceInfo& r : e->info.references) {
            if (r.target != kind || r.field.find('.') != std::string_view::npos) continue;
            const records::FieldView* fv = e->field(r.field);
            if (!fv || !fv->column) continue;
            for (Id rid : store::ids_where(db, e->table, fv->column, from))
                CRM_TRYV(patch_one(rid, std::string(r.field), Json(to)));
        }
        // Lists of references in child tables (interaction contact_ids, task and document links).
        for (const records::FieldView& fv : e->fields) {
            if (!fv.child) continue;
            const bool ids = fv.info->type == ValueType::references && fv.info->target == kind;
            const bool links = fv.info->type == ValueType::links && fv.child->kind_column && !fv.child->kind_value;
            if (!ids && !links) continue;
            const std::string key(fv.info->key);
            for (Id rid : store::child_owners(db, *fv.child, kname, from)) {
                CRM_TRY(std::string doc, e->ops.get(db, rid));
                const Json d = Json::parse(doc);
                const Json* cur = at_path(d, key);
                if (!cur || !cur->is_array()) continue;
                Json after = Json::array();
                for (const auto& x : *cur) {
                    Json y = x;
                    if (ids && x.is_number_integer() && x.get<Id>() == from) y = to;
                    if (links && x.is_object() && x.value("entity", "") == kname && x.value("id", Id{0}) == from)
                        y["id"] = to;
                    if (std::find(after.begin(), after.end(), y) == after.end()) after.push_back(std::move(y));
                }
                CRM_TRYV(patch_one(rid, key, after));
            }
        }
    }
    return ok();
}

template <class T>
struct Ops {
    static result<Json> load(detail::DbImpl& db, Id id) {
        CRM_TRY(T v, records::load_full<T>(db, id));
        return Json::parse(records::document(v));
    }
    static result<void> remove(detail::DbImpl& db, Id id) {
        records::Write w{db};
        return records::remove<T>(w, id);
    }
    static result<void> write(detail::DbImpl& db, Id id, const Json& doc) {
        CRM_TRY(T old, records::load_full<T>(db, id));
        CRM_TRY(T v, records::from_document<T>(doc));
        v.id = id;
        records::Write w{db};
        return records::update<T>(w, std::move(v), old);
    }
    static result<void> restore(detail::DbImpl& db, Id id, const Json& doc) {
        CRM_TRY(T v, records::from_document<T>(doc));
        v.id = id;
        records::Write w{db};
        return records::restore<T>(w, std::move(v));
    }
};

struct KindOps {
    result<Json> (*load)(detail::DbImpl&, Id);
    result<void> (*remove)(detail::DbImpl&, Id);
    result<void> (*write)(detail::DbImpl&, Id, const Json&);
    result<void> (*restore)(detail::DbImpl&, Id, const Json&);
};
const KindOps* ops_of(Entity e) {
    static const KindOps contact{&Ops<Contact>::load, &Ops<Contact>::remove, &Ops<Contact>::write,
                                 &Ops<Contact>::restore};
    static const KindOps account{&Ops<Account>::load, &Ops<Account>::remove, &Ops<Account>::write,
                                 &Ops<Account>::restore};
    if (e == Entity::contact) return &contact;
    if (e == Entity::account) return &account;
    return nullptr;
}

void mark_history(detail::DbImpl& db, Entity kind, Id id, Timestamp at, const char* what, Id merge_id, Id survivor,
                  Id merged) {
    Json v = {{"merge_id", merge_id}, {"survivor_id", survivor}, {"merged_id", merged}};
    records::append(db, kind, id, at, ChangeOp::update, what, "null", v.dump());
}

Merge merge_from_row(const store::MergeRow& r) {
    Merge m;
    m.id = r.id;
    if (r.entity == "account") m.kind = Entity::account;
    m.survivor_id = r.survivor_id;
    m.merged_id = r.merged_id;
    m.at = r.merged_at;
    m.actor_id = r.actor_id;
    m.undone_at = r.undone_at;
    m.survivor = r.survivor_after;
    for (const auto& f : Json::parse(r.fields))
        m.fields.push_back({f.at("field").get<std::string>(), f.at("source").get<std::string>(),
                            f.at("before").dump(), f.at("after").dump()});
    const Json rel = Json::parse(r.relations);
    for (const auto& c : rel.at("counts"))
        m.relations.push_back(
            {c.at("kind").get<std::string>(), c.at("field").get<std::string>(), c.at("count").get<std::int64_t>()});
    return m;
}

// A sentinel that rolls a dry run back.
constexpr const char* kDryRun = "dedup: dry run";

}  // namespace

result<Merge> Dedup::merge(Entity kind, Id survivor_id, Id merged_id, const MergeOptions& options) noexcept {
    if (!db_) return records::closed();
    const KindOps* k = ops_of(kind);
    const EntityInfo* info = entity_info(kind);
    if (!k || !info) return invalid("kind", "only contacts and accounts can be merged");
    if (survivor_id == merged_id) return invalid("merged_id", "a record cannot be merged into itself");
    if (survivor_id <= 0) return invalid("survivor_id", "must be a record id");
    if (merged_id <= 0) return invalid("merged_id", "must be a record id");
    CRM_TRY(auto take, chosen_keys(*info, options.take_merged));
    Merge out;
    auto r = db_->write([&]() -> result<void> {
        auto& db = *db_;
        CRM_TRY(Json s, k->load(db, survivor_id));
        CRM_TRY(Json m, k->load(db, merged_id));
        if (kind == Entity::account && s.value("parent_id", Json(nullptr)) == Json(merged_id))
            return invalid("parent_id", fmt::format("account {}'s parent is account {}: merging them would make the "
                                                    "account its own parent",
                                                    survivor_id, merged_id));
        const Timestamp now = db.now();
        const std::string side = store::snapshot_side_rows(db, kind, survivor_id, merged_id);
        std::vector<Moved> moved;
        CRM_TRYV(repoint(db, kind, merged_id, survivor_id, moved));
        const auto side_counts = store::repoint_side_rows(db, kind, merged_id, survivor_id);
        // The fields, from both records as they are now (re-pointing may have run rules).
        CRM_TRY(Json s_now, k->load(db, survivor_id));
        CRM_TRY(Json m_now, k->load(db, merged_id));
        std::vector<FieldOut> changed;
        Json target = merged_document(*info, s_now, m_now, take, changed, survivor_id);
        CRM_TRYV(k->remove(db, merged_id));
        CRM_TRYV(k->write(db, survivor_id, target));
        CRM_TRY(Json after, k->load(db, survivor_id));

        Json fields = Json::array();
        for (const auto& f : changed)
            fields.push_back({{"field", f.field}, {"source", f.source}, {"before", f.before}, {"after", f.after}});
        std::map<std::pair<std::string, std::string>, std::int64_t> counts;
        Json records = Json::array();
        for (const auto& mv : moved) {
            ++counts[{mv.kind, mv.field}];
            records.push_back(
                {{"kind", mv.kind}, {"id", mv.id}, {"field", mv.field}, {"before", mv.before}, {"after", mv.after}});
        }
        Json cj = Json::array();
        for (const auto& [kf, n] : counts) cj.push_back({{"kind", kf.first}, {"field", kf.second}, {"count", n}});
        const char* col = kind == Entity::contact ? "contact_id" : "account_id";
        for (const auto& [table, n] : side_counts) cj.push_back({{"kind", table}, {"field", col}, {"count", n}});

        store::MergeRow row;
        row.entity = entity_name(kind);
        row.survivor_id = survivor_id;
        row.merged_id = merged_id;
        row.merged_at = now;
        row.actor_id = db.actor;
        row.survivor_before = s.dump();
        row.survivor_after = after.dump();
        row.merged_document = m.dump();
        row.fields = fields.dump();
        row.relations = Json{{"counts", cj}, {"records", records}}.dump();
        row.side_rows = side;
        row.id = store::insert_merge(db, row);
        mark_history(db, kind, survivor_id, now, "*merge", row.id, survivor_id, merged_id);
        mark_history(db, kind, merged_id, now, "*merge", row.id, survivor_id, merged_id);
        out = merge_from_row(row);
        if (options.dry_run) {
            out.id = 0;
            out.dry_run = true;
            return make_error(errc::internal, kDryRun);
        }
        return ok();
    });
    if (!r) {
        if (options.dry_run && r.error().code == errc::internal && r.error().message == kDryRun) return out;
        return r.error();
    }
    return out;
}

result<Merge> Dedup::undo(Id merge_id) noexcept {
    if (!db_) return records::closed();
    Merge out;
    auto r = db_->write([&]() -> result<void> {
        auto& db = *db_;
        auto row = store::load_merge(db, merge_id);
        if (!row) return make_error(errc::not_found, fmt::format("no merge with id {}", merge_id), "merge_id");
        if (row->undone_at)
            return invalid("merge_id", fmt::format("merge {} was undone already ({})", merge_id,
                                                   format_iso8601(*row->undone_at)));
        const Entity kind = row->entity == "account" ? Entity::account : Entity::contact;
        const KindOps* k = ops_of(kind);
        if (auto later = store::later_merge(db, row->entity, merge_id, row->survivor_id, row->merged_id))
            return invalid("merge_id", fmt::format("merge {} involves the same {}s and is not undone: undo it first",
                                                   *later, row->entity));
        CRM_TRY(Json s_now, k->load(db, row->survivor_id));
        // The survivor's fields go back where they still hold what the merge wrote.
        const Json fields = Json::parse(row->fields);
        Json s_back = s_now;
        for (const auto& f : fields) {
            const std::string key = f.at("field").get<std::string>();
            const Json* cur = at_path(s_now, key);
            if (cur && *cur == f.at("after")) {
                if (key.rfind("custom.", 0) == 0 && f.at("before").is_null()) s_back["custom"].erase(key.substr(7));
                else set_path(s_back, key, f.at("before"));
            }
        }
        CRM_TRYV(k->write(db, row->survivor_id, s_back));
        const Json mdoc = Json::parse(row->merged_document);
        CRM_TRYV(k->restore(db, row->merged_id, mdoc));
        // The references, where they still point where the merge put them.
        const Json rel = Json::parse(row->relations);
        for (const auto& x : rel.at("records")) {
            const records::KindEntry* e = records::find(x.at("kind").get<std::string>());
            if (!e) continue;
            const Id id = x.at("id").get<Id>();
            auto doc = e->ops.get(db, id);
            if (!doc) continue;  // deleted since
            const Json d = Json::parse(doc.value());
            const std::string key = x.at("field").get<std::string>();
            const Json* cur = at_path(d, key);
            if (!cur || *cur != x.at("after")) continue;
            Json p = Json::object();
            set_path(p, key, x.at("before"));
            CRM_TRYV(e->ops.patch(db, id, p.dump()));
        }
        store::restore_side_rows(db, kind, row->survivor_id, row->merged_id, row->side_rows);
        const Timestamp now = db.now();
        store::mark_undone(db, merge_id, now, db.actor);
        mark_history(db, kind, row->survivor_id, now, "*unmerge", merge_id, row->survivor_id, row->merged_id);
        mark_history(db, kind, row->merged_id, now, "*unmerge", merge_id, row->survivor_id, row->merged_id);
        row->undone_at = now;
        out = merge_from_row(*row);
        CRM_TRY(Json s_after, k->load(db, row->survivor_id));
        out.survivor = s_after.dump();
        return ok();
    });
    if (!r) return r.error();
    return out;
}

result<Merge> Dedup::get(Id merge_id) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<Merge> {
        auto row = store::load_merge(*db_, merge_id);
        if (!row) return make_error(errc::not_found, fmt::format("no merge with id {}", merge_id), "merge_id");
        return merge_from_row(*row);
    });
}

result<std::vector<Merge>> Dedup::list(std::optional<Entity> kind, std::size_t limit) noexcept {
    if (!db_) return records::closed();
    if (limit < 1 || limit > 10000) return invalid("limit", "must be between 1 and 10000");
    if (kind && !ops_of(*kind)) return invalid("kind", "only contacts and accounts are merged");
    return db_->read([&]() -> result<std::vector<Merge>> {
        std::vector<Merge> out;
        for (const auto& row : store::list_merges(*db_, kind ? entity_name(*kind) : "", 0, limit))
            out.push_back(merge_from_row(row));
        return out;
    });
}

result<std::optional<Id>> Dedup::merged_into(Entity kind, Id id) noexcept {
    if (!db_) return records::closed();
    if (!ops_of(kind)) return invalid("kind", "only contacts and accounts are merged");
    return db_->read([&]() -> result<std::optional<Id>> {
        const Id into = store::final_survivor(*db_, kind, id);
        if (!into) return std::optional<Id>();
        return std::optional<Id>(into);
    });
}

std::string to_json(const DuplicatePair& p) {
    std::string out;
    json::Writer w(out);
    w.begin_object();
    w.key("a"); w.integer(p.a);
    w.key("b"); w.integer(p.b);
    w.key("score"); w.integer(p.score);
    w.key("reasons");
    w.begin_array();
    for (const auto& r : p.reasons) w.string(r);
    w.end_array();
    w.end_object();
    return out;
}

std::string to_json(const Merge& m) {
    std::string out;
    json::Writer w(out);
    w.begin_object();
    w.key("id"); if (m.id) w.integer(m.id); else w.null();
    w.key("kind"); w.string(entity_name(m.kind));
    w.key("survivor_id"); w.integer(m.survivor_id);
    w.key("merged_id"); w.integer(m.merged_id);
    w.key("dry_run"); w.boolean(m.dry_run);
    w.key("at"); w.string(format_iso8601(m.at));
    w.key("actor_id"); if (m.actor_id) w.integer(*m.actor_id); else w.null();
    w.key("undone_at"); if (m.undone_at) w.string(format_iso8601(*m.undone_at)); else w.null();
    w.key("fields");
    w.begin_array();
    for (const auto& f : m.fields) {
        w.begin_object();
        w.key("field"); w.string(f.field);
        w.key("source"); w.string(f.source);
        w.key("before"); w.raw(f.before);
        w.key("after"); w.raw(f.after);
        w.end_object();
    }
    w.end_array();
    w.key("relations");
    w.begin_array();
    for (const auto& r : m.relations) {
        w.begin_object();
        w.key("kind"); w.string(r.kind);
        w.key("field"); w.string(r.field);
        w.key("count"); w.integer(r.count);
        w.end_object();
    }
    w.end_array();
    w.key("survivor"); w.raw(m.survivor.empty() ? "null" : m.survivor);
    w.end_object();
    return out;
}

}  // namespace crm
