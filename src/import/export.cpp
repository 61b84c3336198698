// Export (crm/import.hpp): records written with the same mapping language that imports
// them, so that a file exported and imported again gives the same records.
#include <fmt/format.h>

#include <unordered_map>

#include "crm/db.hpp"
#include "import/import_internal.hpp"
#include "json/parse.hpp"
#include "records/registry.hpp"
#include "store/entity_store.hpp"
#include "store/write_scope.hpp"

namespace crm::import {

namespace {

using impl::json;
using impl::Slot;
using impl::Target;

class Exporter {
public:
    Exporter(detail::DbImpl& db, const Mapping& m, std::ostream& out, const ExportOptions& o)
        : db_(db), m_(m), out_(out), o_(o) {}

    result<std::uint64_t> go() {
        kind_ = records::find(m_.kind);
        if (!kind_) return invalid("kind", "is not a kind of record");
        Mapping all = m_;
        if (all.fields.empty() || all.auto_columns) {  // every other importable field, keyed by its key
            std::vector<std::string> fed;
            for (const auto& r : all.fields) {
                fed.push_back(r.field);
                if (const FieldInfo* f = kind_->info.field(r.field)) fed.emplace_back(f->key);
                if (const auto dot = r.field.find('.'); dot != std::string::npos) fed.push_back(r.field.substr(0, dot));
            }
            auto is_fed = [&](const std::string& k) { return std::find(fed.begin(), fed.end(), k) != fed.end(); };
            for (const auto& f : kind_->info.fields) {
                if (!f.has(cap_import) || f.has(cap_computed) || f.type == ValueType::custom || f.type == ValueType::links)
                    continue;
                if (is_fed(std::string(f.key))) continue;
                FieldRule r;
                r.field = std::string(f.key);
                r.column = r.field;
                all.fields.push_back(std::move(r));
            }
            for (const auto& d : store::cached_defs(db_, m_.kind)) {
                if (is_fed("custom." + d.name)) continue;
                FieldRule r;
                r.field = "custom." + d.name;
                r.column = r.field;
                all.fields.push_back(std::move(r));
            }
        }
        m_owned_ = std::move(all);
        CRM_TRY(targets_, impl::targets_of(m_owned_));
        std::erase_if(targets_, [](const Target& t) { return t.rule->column.empty(); });
        std::vector<std::string> header;
        for (const auto& t : targets_) header.push_back(t.rule->column);
        std::unique_ptr<csv::Writer> w;
        if (o_.format == Format::csv) {
            w = std::make_unique<csv::Writer>(out_, o_.csv);
            CRM_TRYV(w->write_row(header));
        }
        ListOptions lo;
        lo.limit = 1000;
        lo.where = o_.where;
        std::uint64_t n = 0;
        while (true) {
            CRM_TRY(auto page, kind_->ops.list(db_, lo));
            for (const auto& text : page.items) {
                CRM_TRY(json doc, crm::json::parse_object(text));
                std::vector<std::string> cells;
                json line = json::object();
                for (const auto& t : targets_) {
                    CRM_TRY(json v, value_of(t, doc));
                    if (w) cells.push_back(impl::cell_text(m_owned_, t, v));
                    else if (!v.is_null()) line[t.rule->column] = std::move(v);
                }
                if (w) CRM_TRYV(w->write_row(cells));
                else out_ << line.dump() << '\n';
                if (!out_) return make_error(errc::io_error, "cannot write the export");
                ++n;
            }
            if (page.next.empty()) break;
            lo.after = page.next;
        }
        out_.flush();
        if (!out_) return make_error(errc::io_error, "cannot write the export");
        return n;
    }

private:
    detail::DbImpl& db_;
    const Mapping& m_;
    Mapping m_owned_;
    std::ostream& out_;
    const ExportOptions& o_;
    const records::KindEntry* kind_ = nullptr;
    std::vector<Target> targets_;
    std::unordered_map<std::string, json> names_;  // "kind/by/id" → the referenced record's key

    // How a reference is written: the referenced record's name, email or external id.
    result<json> reference(Entity target, const std::string& by, const json& id) {
        if (by.empty() || by == "id" || !id.is_number_integer()) return id;
        const auto key = fmt::format("{}/{}/{}", static_cast<int>(target), by, id.get<Id>());
        if (auto it = names_.find(key); it != names_.end()) return it->second;
        json v = nullptr;
        if (auto text = records::find(target)->ops.get(db_, id.get<Id>())) {
            CRM_TRY(json d, crm::json::parse_object(text.value()));
            if (by == "name") v = d.value("name", json(nullptr));
            else if (by == "external_id") v = d.value("external_id", json(nullptr));
            else if (by == "email") {
                if (d.contains("email")) v = d["email"];
                else if (d.contains("emails") && d["emails"].is_array() && !d["emails"].empty())
                    v = d["emails"][0].value("address", json(nullptr));
            }
        }
        if (names_.size() > 100000) names_.clear();
        names_[key] = v;
        return v;
    }

    result<json> value_of(const Target& t, const json& doc) {
        switch (t.slot) {
            case Slot::custom: {
                auto c = doc.find("custom");
                if (c == doc.end() || !c->is_object()) return json(nullptr);
                auto v = c->find(t.custom_name);
                return v == c->end() ? json(nullptr) : *v;
            }
            case Slot::tags: return doc.value("tags", json(nullptr));
            case Slot::list: {
                json v = doc.value(std::string(t.info->key), json(nullptr));
                if (!v.is_array() || t.rule->split.empty() || !t.part) return v;
                json parts = json::array();  // one part, joined by split
                for (const auto& e : v)
                    if (e.is_object() && e.contains(std::string(t.part->key))) parts.push_back(e[std::string(t.part->key)]);
                return parts;
            }
            case Slot::list_part: {
                auto l = doc.find(std::string(t.info->key));
                if (l == doc.end() || !l->is_array() || l->empty()) return json(nullptr);
                json v = (*l)[0].value(std::string(t.part->key), json(nullptr));
                if (t.part->type == ValueType::reference) return reference(t.part->target, t.rule->by, v);
                return v;
            }
            case Slot::stage: {
                const json sid = doc.value("stage_id", json(nullptr));
                const json pid = doc.value("pipeline_id", json(nullptr));
                if (!sid.is_number_integer() || !pid.is_number_integer()) return sid;
                auto text = records::find(Entity::pipeline)->ops.get(db_, pid.get<Id>());
                if (!text) return sid;
                CRM_TRY(json p, crm::json::parse_object(text.value()));
                for (const auto& s : p["stages"])
                    if (s["id"] == sid) return s["name"];
                return sid;
            }
            case Slot::plain: {
                const json* v = impl::at(doc, t.path);
                if (!v) return json(nullptr);
                if (t.info->type == ValueType::reference) return reference(t.info->target, t.rule->by, *v);
                if (t.info->type == ValueType::references && v->is_array()) {
                    json out = json::array();
                    for (const auto& x : *v) {
                        CRM_TRY(json r, reference(t.info->target, t.rule->by, x));
                        out.push_back(std::move(r));
                    }
                    return out;
                }
                return *v;
            }
        }
        return json(nullptr);
    }
};

}  // namespace

result<std::uint64_t> Imports::export_to(const Mapping& mapping, std::ostream& out, const ExportOptions& options) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->read([&]() -> result<std::uint64_t> {
        Exporter e(*db_, mapping, out, options);
        return e.go();
    });
}

}  // namespace crm::import
