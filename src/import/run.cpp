// An import run (crm/import.hpp): rows read from the source, each turned into a record
// document by the mapping's rules, references resolved, matched against existing records,
// and written through the record engine in a savepoint of its own — whole or not at all.
// Refused rows go to the report and the reject file. Every write of the run is recorded
// in its batch (store/import_store.hpp) so that undo.cpp can take it back.
#include <fmt/format.h>

#include <chrono>
#include <deque>
#include <filesystem>
#include <fstream>
#include <set>
#include <unordered_map>

#include "crm/custom_fields.hpp"
#include "crm/db.hpp"
#include "crm/normalize.hpp"
#include "crm/sales.hpp"
#include "import/source.hpp"
#include "json/parse.hpp"
#include "records/registry.hpp"
#include "store/entity_store.hpp"
#include "store/import_store.hpp"
#include "store/write_scope.hpp"
#include "util/text.hpp"

namespace crm::import {

namespace impl {
namespace {

using crm::detail::DbImpl;

constexpr std::size_t kMaxReportedRejects = 1000;
constexpr std::size_t kMaxJsonLine = 64u << 20;

struct Fail {
    std::string column;
    std::string reason;
};

enum class Outcome { created, updated, unchanged, skipped, rejected };

bool empty_value(const json& v) {
    return v.is_null() || (v.is_string() && v.get_ref<const std::string&>().empty()) || (v.is_array() && v.empty()) ||
           (v.is_object() && v.empty());
}

bool is_money(const json& v) { return v.is_object() && v.contains("amount") && v.contains("currency"); }

// What makes two elements of a list the same one: an email address after
// normalize::email, a phone number in E.164.
std::string identity(const json& x, const std::string& region) {
    if (x.is_string()) return "s:" + x.get<std::string>();
    if (x.is_object()) {
        if (auto a = x.find("address"); a != x.end() && a->is_string()) {
            auto e = normalize::email(a->get<std::string>());
            return "a:" + (e ? e.value() : a->get<std::string>());
        }
        if (auto n = x.find("number"); n != x.end() && n->is_string()) {
            auto p = normalize::phone(n->get<std::string>(), region);
            return "n:" + (p ? p.value() : n->get<std::string>());
        }
    }
    return "j:" + x.dump();
}

// The merge patch that brings `incoming` into `existing` under policy p (update: the
// row's values win; merge: only empty fields are filled); lists gain new elements.
void patch_into(json& patch, const json& existing, const json& incoming, OnDuplicate p, const std::string& region) {
    for (const auto& [k, v] : incoming.items()) {
        const json* e = nullptr;
        if (auto it = existing.find(k); it != existing.end()) e = &*it;
        if (v.is_object() && !is_money(v)) {
            json sub = json::object();
            patch_into(sub, e && e->is_object() ? *e : json::object(), v, p, region);
            if (!sub.empty()) patch[k] = std::move(sub);
        } else if (v.is_array() && k != "line_items") {
            json all = e && e->is_array() ? *e : json::array();
            std::set<std::string> have;
            for (const auto& x : all) have.insert(identity(x, region));
            bool grew = false;
            for (const auto& x : v)
                if (have.insert(identity(x, region)).second) all.push_back(x), grew = true;
            if (grew) patch[k] = std::move(all);
        } else if (p == OnDuplicate::update) {
            if (!e || *e != v) patch[k] = v;
        } else if (!e || empty_value(*e)) {
            patch[k] = v;
        }
    }
}

std::string key_of(Entity e, const std::string& by, const std::string& v) {
    return fmt::format("{}\x1f{}\x1f{}", static_cast<int>(e), by, v);
}

class Run {
public:
    Run(DbImpl& db, const Mapping& m, const Options& o) : db_(db), m_(m), o_(o) {}

    result<Report> go(std::istream& in, std::uint64_t total_bytes) {
        const auto start = std::chrono::steady_clock::now();
        kind_ = records::find(m_.kind);
        if (!kind_) return invalid("kind", "is not a kind of record");
        CRM_TRY(targets_, targets_of(m_));
        HashingBuf buf(in.rdbuf());
        std::istream hashed(&buf);
        std::unique_ptr<Source> src;
        if (o_.format == Format::csv) {
            src = std::make_unique<CsvSource>(hashed, m_.csv);
        } else {
            std::vector<std::string> cols;
            for (const auto& t : targets_) {
                if (!t.rule->column.empty()) cols.push_back(t.rule->column);
                for (const auto& p : t.pieces)
                    if (p.column) cols.push_back(p.text);
                if (!t.rule->at.empty()) cols.push_back(t.rule->at);
            }
            if (m_.auto_columns)
                for (const auto& f : kind_->info.fields)
                    if (f.has(cap_import) && !f.has(cap_computed) && f.type != ValueType::custom) cols.emplace_back(f.key);
            std::sort(cols.begin(), cols.end());
            cols.erase(std::unique(cols.begin(), cols.end()), cols.end());
            if (m_.auto_columns)
                for (const auto& d : store::cached_defs(db_, m_.kind)) cols.push_back("custom." + d.name);
            src = std::make_unique<JsonlSource>(hashed, std::move(cols), kMaxJsonLine);
        }
        report_.dry_run = o_.dry_run;

        std::optional<store::WriteScope> outer;
        outer.emplace(db_);
        CRM_TRYV(define_custom_fields());
        CRM_TRY(header_, src->columns());
        CRM_TRYV(bind_columns());
        CRM_TRYV(open_reject_file(src->encoding()));
        if (!o_.dry_run) {
            batch_.kind = m_.kind;
            batch_.source_name = o_.source_name;
            batch_.mapping = to_json(m_);
            batch_.started_at = db_.now();
            batch_.actor_id = db_.actor;
            batch_.id = store::insert_import_batch(db_, batch_);
            report_.batch_id = batch_.id;
        }

        Row row;
        std::uint64_t in_chunk = 0;
        auto progress = [&] {
            if (!o_.progress) return;
            Progress p;
            p.rows = report_.rows;
            p.bytes = buf.bytes();
            p.total_bytes = total_bytes;
            p.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            o_.progress(p);
        };
        while (true) {
            auto more = src->next(row);
            if (!more) {
                // The input cannot be read on: what was committed stays in the batch.
                if (!o_.dry_run) {
                    save_counts(0);
                    outer->commit();
                }
                return more.error();
            }
            if (!more.value()) break;
            ++report_.rows;
            Fail fail;
            const Outcome out = row.error.empty() ? process(row, fail) : (fail = {"", row.error}, Outcome::rejected);
            count(out);
            if (out == Outcome::rejected) CRM_TRYV(reject(row, fail));
            if (!o_.dry_run && ++in_chunk >= o_.rows_per_commit) {
                save_counts(0);
                outer->commit();
                outer.reset();
                outer.emplace(db_);
                in_chunk = 0;
            }
            if (o_.progress_every && report_.rows % o_.progress_every == 0) progress();
        }
        report_.source_sha256 = buf.finish_hash();
        report_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        progress();
        if (reject_out_) {
            reject_out_->flush();
            if (!*reject_out_) return make_error(errc::io_error, fmt::format("{}: cannot write the reject file", o_.reject_path));
        }
        if (o_.dry_run) {
            outer->rollback();
            db_.forget_cached_state();
        } else {
            batch_.source_sha256 = report_.source_sha256;
            save_counts(db_.now());
            outer->commit();
        }
        return std::move(report_);
    }

private:
    DbImpl& db_;
    const Mapping& m_;
    const Options& o_;
    const records::KindEntry* kind_ = nullptr;
    std::vector<Target> targets_;
    std::deque<FieldRule> auto_rules_;
    std::vector<std::string> header_;
    Report report_;
    Batch batch_;
    std::int64_t seq_ = 0;
    std::unique_ptr<std::ofstream> reject_file_;
    std::ostream* reject_out_ = nullptr;
    std::unique_ptr<csv::Writer> reject_csv_;

    // Lookups: references (entity/by/value → id), match keys → id, account names, stages.
    std::unordered_map<std::string, Id> refs_;
    std::unordered_map<std::string, Id> index_;
    bool index_built_ = false;
    std::unordered_map<Id, std::string> account_names_;
    std::unordered_map<std::string, std::vector<Id>> companies_;  // company key → accounts
    bool companies_built_ = false;
    std::unordered_map<Id, json> pipelines_;
    std::unordered_map<Id, json> products_;
    // What a row adds to the lookups, kept only when the row commits.
    std::vector<std::pair<std::string, Id>> staged_refs_, staged_keys_;
    std::uint64_t staged_created_refs_ = 0;

    void count(Outcome o) {
        switch (o) {
            case Outcome::created: ++report_.created; break;
            case Outcome::updated: ++report_.updated; break;
            case Outcome::unchanged: ++report_.unchanged; break;
            case Outcome::skipped: ++report_.skipped; break;
            case Outcome::rejected: ++report_.rejected; break;
        }
    }

    void save_counts(Timestamp finished) {
        batch_.rows = report_.rows;
        batch_.created = report_.created;
        batch_.updated = report_.updated;
        batch_.skipped = report_.skipped + report_.unchanged;
        batch_.rejected = report_.rejected;
        batch_.references_created = report_.references_created;
        batch_.finished_at = finished;
        store::update_import_batch(db_, batch_);
    }

    result<void> define_custom_fields() {
        CustomFieldDefs defs(&db_);
        for (const auto& s : m_.define) {
            const auto type = field_type_from_string(s.type);
            if (auto existing = store::load_def(db_, m_.kind, s.name)) {
                if (existing->type != *type)
                    return invalid("define", fmt::format("custom field '{}' of {} exists with type {}, not {}", s.name,
                                                         entity_name(m_.kind), to_string(existing->type), s.type));
                continue;
            }
            CustomFieldDef d;
            d.entity = m_.kind;
            d.name = s.name;
            d.label = s.label;
            d.type = *type;
            d.options = s.options;
            CRM_TRYV(defs.define(d));
        }
        return ok();
    }

    int column_index(const std::string& name) const {
        for (std::size_t i = 0; i < header_.size(); ++i)
            if (header_[i] == name) return static_cast<int>(i);
        return -1;
    }

    result<void> missing_column(const std::string& name, const std::string& where) const {
        std::string cols;
        for (const auto& h : header_) cols += (cols.empty() ? "" : ", ") + h;
        return invalid(where, fmt::format("column '{}' is not in the input (its columns: {})", name, cols));
    }

    // Columns to rules: every rule's column must exist; auto_columns adds the columns named
    // like a field; the rest are reported as unmapped.
    result<void> bind_columns() {
        if (!m_.csv.header && o_.format == Format::csv)
            for (const auto& t : targets_)
                if (!t.rule->column.empty() || !t.pieces.empty())
                    return invalid("csv.header", "columns are named by the header: a file without one cannot be mapped");
        std::set<std::string> fed;
        for (auto& t : targets_) {
            if (!t.rule->column.empty()) {
                t.column = column_index(t.rule->column);
                if (t.column < 0) return missing_column(t.rule->column, "fields." + t.rule->field);
            }
            for (const auto& p : t.pieces)
                if (p.column && column_index(p.text) < 0) return missing_column(p.text, "fields." + t.rule->field + ".template");
            if (!t.rule->at.empty() && column_index(t.rule->at) < 0) return missing_column(t.rule->at, "fields." + t.rule->field + ".at");
            fed.insert(t.rule->field);
            if (t.info) fed.insert(std::string(t.info->key));
        }
        std::set<std::string> used;
        for (const auto& t : targets_) {
            if (!t.rule->column.empty()) used.insert(t.rule->column);
            for (const auto& p : t.pieces)
                if (p.column) used.insert(p.text);
            if (!t.rule->at.empty()) used.insert(t.rule->at);
        }
        for (std::size_t i = 0; i < header_.size(); ++i) {
            const auto& h = header_[i];
            if (used.count(h)) continue;
            if (m_.auto_columns && !fed.count(h)) {
                std::string why;
                const bool custom = h.rfind("custom.", 0) == 0 && store::load_def(db_, m_.kind, h.substr(7));
                const FieldInfo* f = custom ? nullptr : importable_field(kind_->info, h, &why);
                if (custom || (f && f->type != ValueType::custom && f->type != ValueType::links)) {
                    FieldRule r;
                    r.field = h;
                    r.column = h;
                    auto_rules_.push_back(r);
                    Mapping one;
                    one.kind = m_.kind;
                    one.fields.push_back(r);
                    CRM_TRY(auto ts, targets_of(one));
                    Target t = ts.front();
                    t.rule = &auto_rules_.back();
                    t.missing = m_.missing;
                    t.column = static_cast<int>(i);
                    if (!t.multi && !fed.insert(f ? std::string(f->key) : h).second) continue;
                    targets_.push_back(std::move(t));
                    continue;
                }
            }
            report_.unmapped_columns.push_back(h);
        }
        for (auto& t : targets_) {
            if (t.slot != Slot::custom) continue;
            t.def = store::load_def(db_, m_.kind, t.custom_name);
            if (!t.def)
                return invalid("fields." + t.rule->field,
                               fmt::format("{} has no custom field '{}' (define it first, or list it in the mapping's define)",
                                           entity_name(m_.kind), t.custom_name));
        }
        return ok();
    }

    result<void> open_reject_file(csv::Encoding input) {
        if (o_.reject_path.empty()) return ok();
        reject_file_ = std::make_unique<std::ofstream>(o_.reject_path, std::ios::binary | std::ios::trunc);
        if (!*reject_file_) return make_error(errc::io_error, fmt::format("{}: cannot create the reject file", o_.reject_path));
        reject_out_ = reject_file_.get();
        if (o_.format == Format::csv) {
            csv::WriteOptions w;
            w.delimiter = m_.csv.delimiter ? m_.csv.delimiter : ',';
            w.encoding = input == csv::Encoding::cp932 ? csv::Encoding::cp932 : csv::Encoding::utf8;
            w.unmappable = csv::Unmappable::replace;
            reject_csv_ = std::make_unique<csv::Writer>(*reject_out_, w);
            if (m_.csv.header) {
                auto h = header_;
                h.insert(h.end(), {"crm_line", "crm_column", "crm_reason"});
                CRM_TRYV(reject_csv_->write_row(h));
            }
        }
        return ok();
    }

    result<void> reject(const Row& row, const Fail& f) {
        const std::string message = f.column.empty() ? f.reason : fmt::format("{}: {}", f.column, f.reason);
        if (report_.rejects.size() < kMaxReportedRejects) report_.rejects.push_back(Reject{row.line, f.column, f.reason});
        if (!reject_out_) return ok();
        if (reject_csv_) {
            auto cells = row.cells;
            cells.resize(std::max(cells.size(), header_.size()));
            cells.push_back(std::to_string(row.line));
            cells.push_back(f.column);
            cells.push_back(f.reason);
            return reject_csv_->write_row(cells);
        }
        json o = json::object();
        for (std::size_t i = 0; i < header_.size() && i < row.cells.size(); ++i) {
            if (row.cells[i].empty()) continue;
            if (row.json_cells[i]) {
                auto v = crm::json::parse_text(row.cells[i], "cell");
                o[header_[i]] = v ? v.value() : json(row.cells[i]);
            } else {
                o[header_[i]] = row.cells[i];
            }
        }
        o["crm_line"] = row.line;
        o["crm_column"] = f.column;
        o["crm_reason"] = f.reason;
        *reject_out_ << o.dump() << '\n';
        (void)message;
        return ok();
    }

    // ---- lookups ----------------------------------------------------------------

    const records::KindEntry* entry(Entity e) const { return records::find(e); }

    // The one record of `target` whose `by` is `value`: its id, 0 when there is none.
    result<Id> lookup(Entity target, const std::string& by, const std::string& value) {
        const auto* k = entry(target);
        if (!k) return invalid("by", "no such kind");
        if (by == "external_id") {
            auto d = k->ops.get_by_external_id(db_, value);
            if (!d) {
                if (d.error().code == errc::not_found) return Id{0};
                return d.error();
            }
            CRM_TRY(auto doc, crm::json::parse_object(d.value()));
            return doc["id"].get<Id>();
        }
        std::string field = "name";
        if (by == "email") {
            if (target == Entity::contact) field = "emails";
            else if (target == Entity::user) field = "email";
            else return invalid("by", fmt::format("{} records have no email address", entity_name(target)));
        } else if (!k->info.field("name")) {
            return invalid("by", fmt::format("{} records have no name", entity_name(target)));
        }
        ListOptions lo;
        lo.where.push_back(Filter{field, Op::eq, value});
        lo.limit = 2;
        CRM_TRY(auto page, k->ops.list(db_, lo));
        if (page.items.empty() && target == Entity::account && by == "name") return account_by_company(value);
        if (page.items.empty()) return Id{0};
        if (page.items.size() > 1)
            return make_error(errc::constraint_violation,
                              fmt::format("more than one {} has {} '{}'", entity_name(target), by, value));
        CRM_TRY(auto doc, crm::json::parse_object(page.items.front()));
        return doc["id"].get<Id>();
    }

    // An account whose name is the same company (normalize::company: ㈱山田商事 is
    // 山田商事株式会社); 0 when none; an error when several are.
    result<Id> account_by_company(const std::string& name) {
        const auto key = normalize::company(name);
        if (key.empty()) return Id{0};
        if (!companies_built_) {
            companies_built_ = true;
            ListOptions lo;
            lo.limit = 1000;
            while (true) {
                CRM_TRY(auto page, entry(Entity::account)->ops.list(db_, lo));
                for (const auto& text : page.items) {
                    CRM_TRY(auto doc, crm::json::parse_object(text));
                    if (!doc["name"].is_string()) continue;
                    companies_[normalize::company(doc["name"].get<std::string>())].push_back(doc["id"].get<Id>());
                }
                if (page.next.empty()) break;
                lo.after = page.next;
            }
        }
        auto it = companies_.find(key);
        if (it == companies_.end() || it->second.empty()) return Id{0};
        if (it->second.size() > 1)
            return make_error(errc::constraint_violation,
                              fmt::format("{} accounts are the company '{}' (ids {}): merge them first", it->second.size(),
                                          name, fmt::join(it->second, ", ")));
        return it->second.front();
    }

    // A referenced record created from the value alone (Missing::create).
    result<Id> create_referenced(Entity target, const std::string& by, const std::string& value, std::uint64_t line) {
        json doc = json::object();
        if (by == "email" && target == Entity::user) doc = {{"email", value}, {"name", value}};
        else if (by == "email" && target == Entity::contact) doc = {{"name", value}, {"emails", json::array({{{"address", value}}})}};
        else if (by == "external_id") doc = {{"external_id", value}, {"name", value}};
        else if (by == "name") doc = {{"name", value}};
        else return invalid("missing", "a record cannot be created from an id");
        const Id before = store::latest_change_id(db_);
        auto id = entry(target)->ops.create(db_, doc.dump());
        if (!id)
            return make_error(id.error().code, fmt::format("cannot create the {} '{}': {}", entity_name(target), value,
                                                           id.error().message));
        record_item(target, id.value(), true, line, before);
        ++staged_created_refs_;
        // A record of the kind being imported (a parent account named before its own row):
        // its row, when it comes, finds it.
        if (target == m_.kind && !m_.match.empty())
            for (auto& k : match_keys(m_.kind, m_.match, doc, "", m_.default_region)) staged_keys_.emplace_back(k, id.value());
        return id.value();
    }

    // A reference's id; 0 for Missing::empty with no such record.
    result<Id> resolve(const Target& t, Entity target, const json& v, std::uint64_t line) {
        if (v.is_number_integer()) return v.get<Id>();
        const auto value = v.get<std::string>();
        const auto& by = t.rule->by;
        const auto key = key_of(target, by, value);
        if (auto it = refs_.find(key); it != refs_.end()) return it->second;
        for (const auto& [k, id] : staged_refs_)
            if (k == key) return id;
        CRM_TRY(Id id, lookup(target, by, value));
        if (id == 0) {
            if (t.missing == Missing::reject)
                return make_error(errc::not_found, fmt::format("no {} has {} '{}'", entity_name(target), by, value));
            if (t.missing == Missing::empty) return Id{0};
            CRM_TRY(id, create_referenced(target, by, value, line));
            staged_refs_.emplace_back(key, id);
            return id;
        }
        refs_.emplace(key, id);
        return id;
    }

    result<json> record_doc(Entity e, Id id, std::unordered_map<Id, json>& cache) {
        if (auto it = cache.find(id); it != cache.end()) return it->second;
        CRM_TRY(auto text, entry(e)->ops.get(db_, id));
        CRM_TRY(auto doc, crm::json::parse_object(text));
        if (cache.size() > 10000) cache.clear();
        return cache.emplace(id, std::move(doc)).first->second;
    }

    std::string account_name(Id id) {
        if (auto it = account_names_.find(id); it != account_names_.end()) return it->second;
        std::string name;
        if (auto d = entry(Entity::account)->ops.get(db_, id))
            if (auto doc = crm::json::parse_object(d.value()); doc && doc.value()["name"].is_string())
                name = doc.value()["name"].get<std::string>();
        if (account_names_.size() > 100000) account_names_.clear();
        account_names_.emplace(id, name);
        return name;
    }

    std::string company_of(const json& doc) {
        if (m_.kind != Entity::contact) return {};
        auto it = doc.find("account_id");
        if (it == doc.end()) return {};
        if (it->is_string()) return it->get<std::string>();  // by name, not resolved yet
        if (it->is_number_integer()) return account_name(it->get<Id>());
        return {};
    }

    result<void> build_index() {
        index_built_ = true;
        ListOptions lo;
        lo.limit = 1000;
        while (true) {
            CRM_TRY(auto page, kind_->ops.list(db_, lo));
            for (const auto& text : page.items) {
                CRM_TRY(auto doc, crm::json::parse_object(text));
                const Id id = doc["id"].get<Id>();
                for (auto& k : match_keys(m_.kind, m_.match, doc, company_of(doc), m_.default_region))
                    index_.emplace(std::move(k), id);  // the oldest record keeps a key shared by several
            }
            if (page.next.empty()) break;
            lo.after = page.next;
        }
        return ok();
    }

    void record_item(Entity e, Id id, bool created, std::uint64_t line, Id history_before) {
        if (o_.dry_run) return;
        store::ImportItem it;
        it.batch_id = batch_.id;
        it.seq = ++seq_;
        it.entity = e;
        it.record_id = id;
        it.created = created;
        it.line = line;
        it.history_from = history_before;
        it.history_to = store::latest_change_id(db_);
        store::insert_import_item(db_, it);
    }

    // ---- one row ------------------------------------------------------------------

    static std::string column_name(const Target& t) {
        return !t.rule->column.empty() ? t.rule->column : t.rule->field;
    }

    Outcome process(const Row& row, Fail& fail) {
        // 1. The row's document, references still as their values.
        json doc = json::object(), item = json::object();
        std::optional<json> stage;
        const Target* stage_target = nullptr;
        struct Pending {
            const Target* t;
            std::vector<std::string> path;  // in doc; empty: the line item's part
            std::size_t index;              // references: the array's element
            bool in_item;
        };
        std::vector<Pending> pending;
        for (const auto& t : targets_) {
            std::string cell;
            bool is_json = false;
            if (t.rule->value) cell = *t.rule->value;
            else if (!t.pieces.empty()) cell = render(t.pieces, header_, row);
            else if (t.column >= 0 && static_cast<std::size_t>(t.column) < row.cells.size()) {
                cell = row.cells[t.column];
                is_json = row.json_cells[t.column];
            }
            std::optional<json> v;
            std::string why;
            if (!convert(m_, t, cell, is_json, v, &why)) {
                fail = {column_name(t), why};
                return Outcome::rejected;
            }
            if (!v) continue;
            switch (t.slot) {
                case Slot::plain: {
                    const bool ref = t.info->type == ValueType::reference || t.info->type == ValueType::references;
                    if (t.info->type == ValueType::references) {
                        json& arr = doc[t.path.front()];
                        if (!arr.is_array()) arr = json::array();
                        for (auto& x : *v) {
                            pending.push_back({&t, t.path, arr.size(), false});
                            arr.push_back(std::move(x));
                        }
                    } else {
                        put(doc, t.path, std::move(*v));
                        if (ref) pending.push_back({&t, t.path, SIZE_MAX, false});
                    }
                    break;
                }
                case Slot::custom: doc["custom"][t.custom_name] = std::move(*v); break;
                case Slot::tags:
                case Slot::list: {
                    json& arr = doc[t.slot == Slot::tags ? std::string("tags") : std::string(t.info->key)];
                    if (!arr.is_array()) arr = json::array();
                    for (auto& x : *v) arr.push_back(std::move(x));
                    break;
                }
                case Slot::list_part:
                    item[std::string(t.part->key)] = std::move(*v);
                    if (t.part->type == ValueType::reference) pending.push_back({&t, {std::string(t.part->key)}, SIZE_MAX, true});
                    break;
                case Slot::stage:
                    stage = std::move(*v);
                    stage_target = &t;
                    break;
            }
        }
        std::optional<Timestamp> stage_at;
        if (stage_target && !stage_target->rule->at.empty()) {
            const int c = column_index(stage_target->rule->at);
            const std::string cell = c >= 0 && static_cast<std::size_t>(c) < row.cells.size() ? text::trim(row.cells[c]) : "";
            if (!cell.empty()) {
                Target tt = *stage_target;
                FieldRule r = *stage_target->rule;
                r.values.clear();
                tt.rule = &r;
                static const FieldInfo time_info{"at", "at", ValueType::time, 0, Entity::contact, {}, {}, ""};
                tt.info = &time_info;
                tt.slot = Slot::plain;
                tt.path = {"at"};
                std::optional<json> v;
                std::string why;
                if (!convert(m_, tt, cell, false, v, &why)) {
                    fail = {stage_target->rule->at, why};
                    return Outcome::rejected;
                }
                stage_at = parse_iso8601(v->get<std::string>());
            }
        }

        // 2. Does it match a record already there?
        Id existing = 0;
        std::vector<std::string> keys;  // the row's match keys: the record's once it is written
        if (!m_.match.empty()) {
            if (!index_built_) {
                if (auto r = build_index(); !r) {
                    fail = {"", r.error().message};
                    return Outcome::rejected;
                }
            }
            keys = match_keys(m_.kind, m_.match, doc, company_of(doc), m_.default_region);
            std::map<Id, std::string> found;
            for (const auto& k : keys) {
                Id id = 0;
                if (auto it = index_.find(k); it != index_.end()) id = it->second;
                for (const auto& [sk, sid] : staged_keys_)
                    if (sk == k) id = sid;
                if (!id) continue;
                const char* why = k[0] == 'x' ? "external id" : k[0] == 'e' ? "email" : k[0] == 'p' ? "phone"
                                  : k[0] == 'n' ? "name" : "name and company";
                auto& w = found[id];
                if (w.find(why) == std::string::npos) w += (w.empty() ? "" : ", ") + std::string(why);
            }
            if (found.size() > 1) {
                std::string all;
                for (const auto& [id, why] : found) all += fmt::format("{}{} {} ({})", all.empty() ? "" : " and ", entity_name(m_.kind), id, why);
                fail = {"", fmt::format("matches {}: merge those records first, or import with other match keys", all)};
                return Outcome::rejected;
            }
            if (!found.empty()) {
                existing = found.begin()->first;
                if (m_.on_duplicate == OnDuplicate::skip) return Outcome::skipped;
            }
        }

        // 3. Write it, whole or not at all.
        staged_refs_.clear();
        staged_keys_.clear();
        staged_created_refs_ = 0;
        // A row that makes one write (a create or an update, which fail before they write
        // when they fail) needs no savepoint of its own: a SAVEPOINT copies every page the
        // row touches. One that may create a referenced record first, or moves a deal's
        // stage after writing it, gets one, so that it is undone whole when a later write fails.
        bool several_writes = stage_target && stage_at;
        for (const auto& p : pending) {
            if (p.t->missing != Missing::create) continue;
            const json& v = p.in_item ? item[p.path.front()] : [&]() -> const json& {
                const json* x = &doc;
                for (const auto& k : p.path) x = &(*x)[k];
                return p.index != SIZE_MAX ? (*x)[p.index] : *x;
            }();
            if (!v.is_string() || !refs_.count(key_of(p.t->part ? p.t->part->target : p.t->info->target, p.t->rule->by,
                                                      v.get<std::string>())))
                several_writes = true;
        }
        store::WriteScope scope(db_, several_writes ? store::Nested::savepoint : store::Nested::checked);
        const auto done = [&](Outcome o) {
            scope.commit();
            report_.references_created += staged_created_refs_;
            for (auto& [k, id] : staged_refs_) {
                if (companies_built_ && k.rfind(std::to_string(static_cast<int>(Entity::account)) + "\x1fname\x1f", 0) == 0)
                    companies_[normalize::company(k.substr(k.rfind('\x1f') + 1))].push_back(id);
                refs_.emplace(std::move(k), id);
            }
            for (auto& [k, id] : staged_keys_) index_[std::move(k)] = id;
            return o;
        };
        const auto refuse = [&](std::string column, std::string reason) {
            scope.rollback();
            db_.forget_cached_state();
            staged_refs_.clear();
            staged_keys_.clear();
            fail = {std::move(column), std::move(reason)};
            return Outcome::rejected;
        };
        for (const auto& p : pending) {
            json* slot = p.in_item ? &item[p.path.front()] : nullptr;
            if (!slot) {
                slot = &doc;
                for (const auto& k : p.path) slot = &(*slot)[k];
                if (p.index != SIZE_MAX) slot = &(*slot)[p.index];
            }
            const Entity target = p.t->part ? p.t->part->target : p.t->info->target;
            auto id = resolve(*p.t, target, *slot, row.line);
            if (!id) return refuse(column_name(*p.t), id.error().message);
            if (id.value() == 0) *slot = nullptr;
            else *slot = id.value();
        }
        // A record this row's own references created may be the row itself (an account
        // named as its own parent, before its row): the row then updates that record.
        if (!existing && !keys.empty())
            for (const auto& [sk, sid] : staged_keys_)
                if (std::find(keys.begin(), keys.end(), sk) != keys.end()) existing = sid;
        // References left empty (Missing::empty) are dropped from arrays.
        for (auto& [k, v] : doc.items())
            if (v.is_array()) v.erase(std::remove_if(v.begin(), v.end(), [](const json& x) { return x.is_null(); }), v.end());
        std::optional<Id> stage_id, from_stage_id;
        std::string stage_kind;
        if (stage) {
            if (stage->is_number_integer()) {
                stage_id = stage->get<Id>();
            } else {
                auto pid = doc.find("pipeline_id");
                if (pid == doc.end() || !pid->is_number_integer())
                    return refuse(column_name(*stage_target), "a stage is found by name in the deal's pipeline: map pipeline_id too");
                auto pipeline = record_doc(Entity::pipeline, pid->get<Id>(), pipelines_);
                if (!pipeline) return refuse("pipeline_id", pipeline.error().message);
                auto find_stage = [&](const std::string& name, std::string* kind) -> std::optional<Id> {
                    for (int pass = 0; pass < 2; ++pass)
                        for (const auto& s : pipeline.value()["stages"]) {
                            const auto n = s["name"].get<std::string>();
                            if (pass == 0 ? n == name : text::ascii_lower(n) == text::ascii_lower(name)) {
                                if (kind) *kind = s.value("kind", std::string("open"));
                                return s["id"].get<Id>();
                            }
                        }
                    return std::nullopt;
                };
                stage_id = find_stage(stage->get<std::string>(), &stage_kind);
                if (!stage_id)
                    return refuse(column_name(*stage_target), fmt::format("pipeline {} has no stage '{}'", pid->get<Id>(),
                                                                          stage->get<std::string>()));
                if (stage_at && !stage_target->rule->from.empty()) {
                    from_stage_id = find_stage(stage_target->rule->from, nullptr);
                    if (!from_stage_id)
                        return refuse(column_name(*stage_target), fmt::format("pipeline {} has no stage '{}' (the rule's from)",
                                                                              pid->get<Id>(), stage_target->rule->from));
                }
            }
            doc["stage_id"] = *stage_id;
        }
        if (!item.empty()) {
            auto pid = item.find("product_id");
            if (!item.contains("unit_price") && pid != item.end() && pid->is_number_integer()) {
                auto product = record_doc(Entity::product, pid->get<Id>(), products_);
                if (!product) return refuse("line_items.product_id", product.error().message);
                if (auto price = product.value().find("list_price"); price != product.value().end() && is_money(*price))
                    item["unit_price"] = *price;
            }
            if (!doc.contains("amount") && item.contains("unit_price") && is_money(item["unit_price"])) {
                const auto q = item.value("quantity", json(1));
                const auto d = item.value("discount", json(0));
                if (q.is_number_integer() && d.is_number_integer())
                    doc["amount"] = {{"amount", item["unit_price"]["amount"].get<std::int64_t>() * q.get<std::int64_t>() -
                                                    d.get<std::int64_t>()},
                                     {"currency", item["unit_price"]["currency"]}};
            }
            doc["line_items"] = json::array({item});
        }
        std::optional<std::string> lost_reason;
        if (from_stage_id && *from_stage_id != *stage_id) {
            if (auto lr = doc.find("lost_reason"); lr != doc.end() && lr->is_string() && stage_kind == "lost")
                lost_reason = lr->get<std::string>();
            doc.erase("lost_reason");
            doc["stage_id"] = *from_stage_id;
        }

        if (existing) {
            auto text = kind_->ops.get(db_, existing);
            if (!text) return refuse("", text.error().message);
            auto current = crm::json::parse_object(text.value());
            if (!current) return refuse("", current.error().message);
            json patch = json::object();
            json incoming = doc;
            if (from_stage_id) incoming["stage_id"] = *stage_id;
            std::optional<Id> move_to;
            if (m_.kind == Entity::deal && stage_id && stage_at) {  // a dated stage change goes through move
                if (current.value()["stage_id"] != *stage_id) move_to = *stage_id;
                incoming.erase("stage_id");
                incoming.erase("lost_reason");
            }
            patch_into(patch, current.value(), incoming, m_.on_duplicate == OnDuplicate::merge ? OnDuplicate::merge : OnDuplicate::update, m_.default_region);
            if (patch.empty() && !move_to) return done(Outcome::unchanged);
            const Id before = store::latest_change_id(db_);
            if (!patch.empty()) {
                auto r = kind_->ops.patch(db_, existing, patch.dump());
                if (!r) return refuse(r.error().field, r.error().message);
            }
            if (move_to) {
                std::optional<std::string> reason;
                if (stage_kind == "lost" && doc.contains("lost_reason")) reason = doc["lost_reason"].get<std::string>();
                auto r = Deals(&db_).move(existing, *move_to, reason, stage_at);
                if (!r) return refuse(column_name(*stage_target), r.error().message);
            }
            if (store::latest_change_id(db_) == before) return done(Outcome::unchanged);
            record_item(m_.kind, existing, false, row.line, before);
            for (auto& k : keys) staged_keys_.emplace_back(std::move(k), existing);
            return done(Outcome::updated);
        }

        const Id before = store::latest_change_id(db_);
        auto id = kind_->ops.create(db_, doc.dump());
        if (!id) return refuse(id.error().field, id.error().message);
        if (from_stage_id && *from_stage_id != *stage_id) {
            auto r = Deals(&db_).move(id.value(), *stage_id, lost_reason, stage_at);
            if (!r) return refuse(column_name(*stage_target), r.error().message);
        }
        record_item(m_.kind, id.value(), true, row.line, before);
        for (auto& k : keys) staged_keys_.emplace_back(std::move(k), id.value());
        return done(Outcome::created);
    }
};

}  // namespace
}  // namespace impl

result<Report> Imports::run(const Mapping& mapping, std::istream& in, const Options& options) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    if (options.rows_per_commit < 1 || options.rows_per_commit > 1000000)
        return invalid("rows_per_commit", "must be between 1 and 1000000");
    if (auto r = db_->check_open(); !r) return r.error();
    if (db_->options.read_only) return make_error(errc::read_only, "database was opened read-only");
    try {
        db_->check_actor();
        impl::Run run(*db_, mapping, options);
        std::uint64_t total = 0;
        if (auto pos = in.tellg(); pos >= 0) {
            in.seekg(0, std::ios::end);
            if (auto end = in.tellg(); end >= pos) total = static_cast<std::uint64_t>(end - pos);
            in.seekg(pos);
        }
        in.clear();
        return run.go(in, total);
    } catch (...) {
        return detail::error_from_exception(std::current_exception());
    }
}

result<Report> Imports::run_file(const Mapping& mapping, const std::string& path, Options options) noexcept {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::error_code ec;
        return make_error(std::filesystem::exists(path, ec) ? errc::io_error : errc::not_found,
                          fmt::format("{}: cannot open the file", path));
    }
    if (options.source_name.empty()) options.source_name = path;
    return run(mapping, in, options);
}

}  // namespace crm::import

namespace crm {
import::Imports Db::imports() noexcept { return import::Imports(impl_.get()); }
}  // namespace crm
