// Reading the inputs of a score and storing scores: contact and account fields
// through their kinds' descriptors (FieldDef accessors, custom values by
// definition), interactions through the store's scans of descriptor columns.
#include "scoring/inputs.hpp"

#include <algorithm>
#include <map>
#include <mutex>

#include "customers/customers.hpp"
#include "records/engine.hpp"
#include "store/bind.hpp"

namespace crm::scoring {

namespace {
std::vector<CustomFieldDef> defs_of(void* ctx, Entity e) { return store::cached_defs(*static_cast<DbImpl*>(ctx), e); }

std::vector<ChangeHook>& hooks() {
    static std::vector<ChangeHook> h;
    return h;
}

// A field's value, read through T's descriptor.
template <class T>
Value read_field(const T& cv, const FieldRef& f) {
    using records::Shape;
    Value out;
    T& v = const_cast<T&>(cv);  // accessors take T&; nothing is modified
    if (!f.custom.empty()) {
        auto it = v.custom.find(f.custom);
        if (it == v.custom.end()) return out;
        if (auto* s = std::get_if<std::string>(&it->second)) {
            out.s = *s;
            out.set = !s->empty();
        } else if (auto* i = std::get_if<std::int64_t>(&it->second)) {
            out.i = *i;
            out.set = true;
        } else if (auto* b = std::get_if<bool>(&it->second)) {
            out.b = *b;
            out.set = true;
        }
        return out;
    }
    records::for_each_field<T>([&](const records::FieldDef<T>& d) {
        if (d.info.key != f.field) return;
        switch (d.shape) {
            case Shape::text: out.s = d.at.text(v); out.set = !out.s.empty(); break;
            case Shape::integer: out.i = d.at.integer(v); out.set = true; break;
            case Shape::opt_integer:
            case Shape::opt_time:
                if (auto o = d.at.opt_integer(v)) { out.i = *o; out.set = true; }
                break;
            case Shape::boolean: out.b = d.at.boolean(v); out.set = true; break;
            case Shape::time: out.i = d.at.integer(v); out.set = out.i != 0; break;
            case Shape::enumeration: {
                const int i = d.at.enumeration.get(v);
                if (i >= 0 && static_cast<std::size_t>(i) < d.info.values.size()) {
                    out.s = d.info.values[static_cast<std::size_t>(i)];
                    out.set = true;
                }
                break;
            }
            case Shape::money: out.i = d.at.money(v).amount; out.set = true; break;
            case Shape::opt_money:
                if (const auto& m = d.at.opt_money(v)) { out.i = m->amount; out.set = true; }
                break;
            case Shape::ids: out.is = d.at.ids(v); out.set = !out.is.empty(); break;
            case Shape::tags: out.ss = d.at.tags(v); out.set = !out.ss.empty(); break;
            case Shape::list: {
                // Each element's first part (an email address, a phone number).
                std::string text;
                json::Writer w(text);
                d.at.list->write(v, w);
                const auto arr = nlohmann::json::parse(text);
                for (const auto& el : arr) {
                    if (el.is_string()) out.ss.push_back(el.get<std::string>());
                    else if (el.is_object() && !d.info.parts.empty()) {
                        auto it = el.find(std::string(d.info.parts[0].key));
                        if (it != el.end() && it->is_string()) out.ss.push_back(it->get<std::string>());
                    }
                }
                out.set = !out.ss.empty();
                break;
            }
            default: break;
        }
    });
    return out;
}

Value read_column(SQLite::Statement& s, int col, VK vk) {
    Value out;
    const auto c = s.getColumn(col);
    if (c.isNull()) return out;
    switch (vk) {
        case VK::text: out.s = c.getString(); out.set = !out.s.empty(); break;
        case VK::integer: out.i = c.getInt64(); out.set = true; break;
        case VK::boolean: out.b = c.getInt() != 0; out.set = true; break;
        default: break;
    }
    return out;
}

Row read_row(SQLite::Statement& s, const Prepared& p) {
    Row r;
    r.at = s.getColumn(1).getInt64();
    r.interaction_id = s.getColumn(2).getInt64();
    r.kind = s.getColumn(3).getString();
    r.event = s.getColumn(4).getString();
    r.values.reserve(p.columns.size());
    for (std::size_t i = 0; i < p.columns.size(); ++i) r.values.push_back(read_column(s, static_cast<int>(5 + i), p.column_vk[i]));
    return r;
}

void sort_rows(std::vector<Row>& rows) {
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
        if (a.at != b.at) return a.at < b.at;
        if (a.interaction_id != b.interaction_id) return a.interaction_id < b.interaction_id;
        return a.event < b.event;
    });
}

}  // namespace

std::vector<CustomFieldDef> custom_defs(void* ctx, Entity e) { return defs_of(ctx, e); }

std::vector<Value> fit_values(const Model& m, const Contact& c, const Account* a) {
    std::vector<Value> out;
    out.reserve(m.fit_slots.size());
    for (const auto& f : m.fit_slots) {
        if (f.source == Source::account) out.push_back(a ? read_field(*a, f) : Value{});
        else out.push_back(read_field(c, f));
    }
    return out;
}

namespace {
Score finish(const Prepared::Entry& e, Id contact, Explanation&& x) {
    Score s = std::move(x.score);
    s.contact_id = contact;
    s.model = e.row.name;
    s.version = e.version;
    return s;
}
}  // namespace

void add_change_hook(ChangeHook h) { hooks().push_back(h); }
void remove_change_hook(ChangeHook h) { std::erase(hooks(), h); }

result<Model> parse(DbImpl& db, std::string_view definition) { return parse_model(definition, &db, &defs_of); }

std::shared_ptr<const Model> parsed(DbImpl& db, const std::string& definition) {
    static std::mutex mu;
    static std::map<std::string, std::shared_ptr<const Model>> cache;
    {
        std::lock_guard<std::mutex> lock(mu);
        if (auto it = cache.find(definition); it != cache.end()) return it->second;
    }
    auto m = parse(db, definition);
    if (!m) {
        // A stored definition whose custom field was removed since: read it without
        // custom-field checks (the field then reads as unset).
        m = parse_model(definition, nullptr, [](void*, Entity) { return std::vector<CustomFieldDef>{}; });
        if (!m) return nullptr;
    }
    auto sp = std::make_shared<const Model>(std::move(m).value());
    std::lock_guard<std::mutex> lock(mu);
    if (cache.size() > 256) cache.clear();
    cache.emplace(definition, sp);
    return sp;
}

void Prepared::add(store::ModelRow row, int version, std::shared_ptr<const Model> model) {
    Entry e{std::move(row), version, std::move(model), {}};
    for (const auto& f : e.model->interaction_slots) {
        auto it = std::find_if(columns.begin(), columns.end(), [&](const char* c) { return std::string_view(c) == f.column; });
        if (it == columns.end()) {
            columns.push_back(f.column);
            column_vk.push_back(f.vk);
            e.imap.push_back(static_cast<int>(columns.size() - 1));
        } else {
            e.imap.push_back(static_cast<int>(it - columns.begin()));
        }
    }
    events = events || e.model->uses_events;
    uses_account = uses_account || e.model->uses_account;
    std::vector<std::string> kinds;
    for (const auto& m : models)
        for (const auto& k : m.model->kinds) kinds.push_back(k);
    for (const auto& k : e.model->kinds) kinds.push_back(k);
    std::sort(kinds.begin(), kinds.end());
    kinds.erase(std::unique(kinds.begin(), kinds.end()), kinds.end());
    nlohmann::json arr = kinds;
    kinds_json = arr.dump();
    models.push_back(std::move(e));
}

Prepared prepare_active(DbImpl& db, const std::vector<std::string>* kinds) {
    Prepared p;
    for (auto& row : store::models(db, true)) {
        auto v = store::model_version(db, row.id, row.latest_version);
        if (!v) continue;
        auto m = parsed(db, v->definition);
        if (!m) continue;
        if (kinds && std::none_of(kinds->begin(), kinds->end(), [&](const std::string& k) {
                return std::binary_search(m->kinds.begin(), m->kinds.end(), k);
            }))
            continue;
        p.add(row, v->version, std::move(m));
    }
    return p;
}

namespace {
ContactInputs inputs_of(DbImpl& db, const Prepared& p, const Contact& c, const Account* a) {
    ContactInputs in;
    for (const auto& e : p.models) in.fit.push_back(fit_values(*e.model, c, a));
    const store::ContactSet who{c.id, nullptr};
    if (p.kinds_json != "[]")
        store::scan_interactions(db, p.columns, p.kinds_json, who,
                                 [&](SQLite::Statement& s) { in.rows.push_back(read_row(s, p)); });
    if (p.events)
        store::scan_email_events(db, p.columns, who, [&](SQLite::Statement& s) { in.rows.push_back(read_row(s, p)); });
    sort_rows(in.rows);
    return in;
}
}  // namespace

result<ContactInputs> read_inputs(DbImpl& db, const Prepared& p, Id contact_id, std::optional<Timestamp> as_of) {
    Contact c;
    std::optional<Account> a;
    if (as_of) {
        CRM_TRY(c, records::as_of<Contact>(db, contact_id, *as_of));
        if (c.account_id && p.uses_account) {
            if (auto r = records::as_of<Account>(db, *c.account_id, *as_of)) a = std::move(r).value();
        }
    } else {
        CRM_TRY(c, records::load_full<Contact>(db, contact_id));
        if (c.account_id && p.uses_account) {
            if (auto r = records::load_full<Account>(db, *c.account_id)) a = std::move(r).value();
        }
    }
    return inputs_of(db, p, c, a ? &*a : nullptr);
}

result<void> store_score(records::Write& w, const Prepared::Entry& e, Score s) {
    // The total stored before is read only when a hook wants it.
    auto before = store::upsert_score(w.db, e.row.id, s, !hooks().empty());
    if (hooks().empty() || (before && *before == s.total)) return ok();
    ScoreChange ch{s.contact_id, e.row.id, e.row.name, e.version, before, s.total, s.as_of, s.fit, s.engagement};
    for (auto h : hooks()) CRM_TRYV(h(w, ch));
    return ok();
}

result<void> refresh_contacts(records::Write& w, std::vector<Id> contacts, const std::vector<std::string>* kinds) {
    auto& db = w.db;
    if (contacts.empty()) return ok();
    const Prepared p = prepare_active(db, kinds);
    if (p.models.empty()) return ok();
    std::sort(contacts.begin(), contacts.end());
    contacts.erase(std::unique(contacts.begin(), contacts.end()), contacts.end());
    const Timestamp now = db.now();
    // Contacts (and their accounts) loaded a batch at a time; contacts deleted in this
    // same write are simply not found. When only interactions changed (kinds given), a
    // model's fit part is taken from the contact's stored score of the same version:
    // fit reads only contact and account fields, whose every change refreshes it.
    constexpr std::size_t kChunk = 256;
    for (std::size_t from = 0; from < contacts.size(); from += kChunk) {
        std::vector<Id> ids(contacts.begin() + static_cast<std::ptrdiff_t>(from),
                            contacts.begin() + static_cast<std::ptrdiff_t>(std::min(contacts.size(), from + kChunk)));
        const std::string ids_json = store::id_array_json(ids);
        std::unordered_map<Id, std::vector<std::optional<KnownFit>>> known;  // contact -> per model
        std::vector<Id> need = ids;
        if (kinds) {
            for (const auto& f : store::stored_fits(db, ids_json))
                for (std::size_t i = 0; i < p.models.size(); ++i)
                    if (p.models[i].row.id == f.model_id && p.models[i].version == f.version) {
                        auto& v = known[f.contact_id];
                        if (v.empty()) v.assign(p.models.size(), std::nullopt);
                        v[i] = KnownFit{f.fit, f.disqualified};
                    }
            need.clear();
            for (Id id : ids) {
                auto it = known.find(id);
                if (it == known.end() || std::any_of(it->second.begin(), it->second.end(),
                                                     [](const std::optional<KnownFit>& k) { return !k; }))
                    need.push_back(id);
            }
        }
        std::unordered_map<Id, Contact> loaded;
        for (auto& c : records::load_all<Contact>(db, need)) loaded.emplace(c.id, std::move(c));
        std::unordered_map<Id, Account> accounts;
        if (p.uses_account && !loaded.empty()) {
            std::vector<Id> aids;
            for (const auto& [id, c] : loaded)
                if (c.account_id) aids.push_back(*c.account_id);
            std::sort(aids.begin(), aids.end());
            aids.erase(std::unique(aids.begin(), aids.end()), aids.end());
            for (auto& a : records::load_all<Account>(db, aids)) accounts.emplace(a.id, std::move(a));
        }
        // The chunk's interactions (and email events), read by one scan each.
        std::unordered_map<Id, std::vector<Row>> rows;
        const store::ContactSet who{std::nullopt, &ids_json};
        auto add = [&](SQLite::Statement& s) { rows[s.getColumn(0).getInt64()].push_back(read_row(s, p)); };
        if (p.kinds_json != "[]") store::scan_interactions(db, p.columns, p.kinds_json, who, add);
        if (p.events) store::scan_email_events(db, p.columns, who, add);
        std::vector<Row> none;
        for (Id id : ids) {
            auto lc = loaded.find(id);
            auto kf = known.find(id);
            const bool have_all = kf != known.end() && lc == loaded.end();
            if (lc == loaded.end() && !have_all) continue;  // no such contact (any more)
            const Contact* c = lc == loaded.end() ? nullptr : &lc->second;
            const Account* a = nullptr;
            if (c && c->account_id)
                if (auto it = accounts.find(*c->account_id); it != accounts.end()) a = &it->second;
            auto it = rows.find(id);
            std::vector<Row>& mine = it == rows.end() ? none : it->second;
            sort_rows(mine);
            for (std::size_t i = 0; i < p.models.size(); ++i) {
                const auto& e = p.models[i];
                Score s;
                if (kf != known.end() && kf->second[i]) {
                    s = compute_known_fit(*e.model, *kf->second[i], mine, &e.imap, now);
                } else {
                    s = std::move(compute(*e.model, fit_values(*e.model, *c, a), mine, &e.imap, now, false).score);
                }
                s.contact_id = id;
                s.model = e.row.name;
                s.version = e.version;
                CRM_TRYV(store_score(w, e, std::move(s)));
            }
        }
    }
    return ok();
}

result<void> refresh_account(records::Write& w, Id account_id) {
    const Prepared p = prepare_active(w.db);
    if (!p.uses_account) return ok();
    return refresh_contacts(w, store::contacts_of_account(w.db, account_id));
}

namespace {
struct PassFailed {
    error err;
};

// A full pass: contacts in id order (batches of 512), merged with one scan of their
// interaction rows in contact order.
struct Pass {
    records::Write& w;
    const Prepared& p;
    Timestamp now;
    const std::function<void(std::size_t, const Score&)>* out;
    std::unordered_map<Id, std::vector<Row>> events;
    std::unordered_map<Id, std::optional<Account>> accounts;
    std::vector<Contact> batch;
    std::size_t at = 0;
    Id last_id = 0;
    bool no_more = false;
    std::int64_t written = 0;
    std::vector<Row> none;

    const Contact* peek() {
        while (at >= batch.size()) {
            if (no_more) return nullptr;
            auto ids = store::contact_ids_after(w.db, last_id, 512);
            if (ids.empty()) {
                no_more = true;
                return nullptr;
            }
            last_id = ids.back();
            batch = records::load_all<Contact>(w.db, ids);
            at = 0;
        }
        return &batch[at];
    }
    const Account* account(const Contact& c) {
        if (!c.account_id || !p.uses_account) return nullptr;
        auto it = accounts.find(*c.account_id);
        if (it == accounts.end()) {
            if (accounts.size() > 100000) accounts.clear();
            auto r = records::load_full<Account>(w.db, *c.account_id);
            it = accounts.emplace(*c.account_id, r ? std::optional<Account>(std::move(r).value()) : std::nullopt).first;
        }
        return it->second ? &*it->second : nullptr;
    }
    void score(const Contact& c, std::vector<Row>& rows) {
        if (auto ev = events.find(c.id); ev != events.end()) {
            for (auto& r : ev->second) rows.push_back(std::move(r));
            events.erase(ev);
        }
        sort_rows(rows);
        const Account* a = account(c);
        for (std::size_t i = 0; i < p.models.size(); ++i) {
            const auto& e = p.models[i];
            auto fit = fit_values(*e.model, c, a);
            Score s = finish(e, c.id, compute(*e.model, fit, rows, &e.imap, now, false));
            if (out) {
                (*out)(i, s);
            } else if (auto r = store_score(w, e, std::move(s)); !r) {
                throw PassFailed{r.error()};
            }
            ++written;
        }
        ++at;
    }
    // Scores every contact before `id` (without rows), then contact `id` with `rows`.
    void flush(Id id, std::vector<Row>& rows) {
        while (const Contact* c = peek()) {
            if (c->id > id) return;
            if (c->id == id) {
                score(*c, rows);
                return;
            }
            none.clear();
            score(*c, none);
        }
    }
};
}  // namespace

result<std::int64_t> full_pass(records::Write& w, const Prepared& p, Timestamp now,
                               const std::function<void(std::size_t, const Score&)>* out) {
    if (p.models.empty()) return std::int64_t{0};
    Pass pass{w, p, now, out, {}, {}, {}, 0, 0, false, 0, {}};
    try {
        if (p.events)
            store::scan_email_events(w.db, p.columns, store::ContactSet{}, [&](SQLite::Statement& s) {
                pass.events[s.getColumn(0).getInt64()].push_back(read_row(s, p));
            });
        Id current = 0;
        std::vector<Row> rows;
        if (p.kinds_json != "[]")
            store::scan_interactions(w.db, p.columns, p.kinds_json, store::ContactSet{}, [&](SQLite::Statement& s) {
                const Id id = s.getColumn(0).getInt64();
                if (id != current) {
                    if (current != 0) pass.flush(current, rows);
                    rows.clear();
                    current = id;
                }
                rows.push_back(read_row(s, p));
            });
        if (current != 0) pass.flush(current, rows);
        rows.clear();
        pass.flush(INT64_MAX, rows);
    } catch (const PassFailed& f) {
        return f.err;
    }
    return pass.written;
}

}  // namespace crm::scoring
