// output.cpp — display width of UTF-8 text, aligned tables, CSV and JSON output.
#include <algorithm>
#include <cctype>
#include <iterator>
#include <cstdio>

#include <fmt/format.h>

#include "cli.hpp"
#include "crm/money.hpp"

namespace cli {

// Value at a dotted path: "address.city", "emails.primary" (the primary element).
const json* at_path(const json& doc, std::string_view path) {
    const json* cur = &doc;
    while (!path.empty()) {
        auto dot = path.find('.');
        std::string key(path.substr(0, dot));
        path = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
        if (cur->is_object()) {
            auto it = cur->find(key);
            if (it == cur->end()) return nullptr;
            cur = &*it;
        } else if (cur->is_array() && key == "primary") {
            const json* pick = cur->empty() ? nullptr : &(*cur)[0];
            for (const auto& e : *cur)
                if (e.is_object() && e.value("primary", false)) pick = &e;
            if (!pick) return nullptr;
            cur = pick;
        } else {
            return nullptr;
        }
    }
    return cur;
}
// Top-level keys in reading order: identity first, times last (documents
// from crm::to_json come with sorted keys).
static json reading_order(const json& doc) {
    static const char* const order[] = {
        "id", "external_id", "entity", "name", "name_reading", "label", "type", "email", "emails", "phones",
        "role", "title", "department", "account_id", "team_id", "owner_id", "manager_id", "parent_id",
        "industry", "employee_count", "annual_revenue", "lifecycle_stage", "contract_status", "lead_source",
        "region", "active", "birthday", "address", "phone", "website", "consent", "tags", "options",
        "required", "custom"};
    if (!doc.is_object()) return doc;
    json out = json::object();
    for (const char* k : order)
        if (doc.contains(k)) out[k] = doc[k];
    if (out.contains("address") && out["address"].is_object()) {
        json a = json::object();
        for (const char* k : {"postal_code", "country", "region", "city", "street", "building"})
            if (out["address"].contains(k)) a[k] = out["address"][k];
        for (auto it = out["address"].begin(); it != out["address"].end(); ++it)
            if (!a.contains(it.key())) a[it.key()] = it.value();
        out["address"] = std::move(a);
    }
    for (auto it = doc.begin(); it != doc.end(); ++it)
        if (!out.contains(it.key()) && it.key() != "created_at" && it.key() != "updated_at") out[it.key()] = it.value();
    for (const char* k : {"created_at", "updated_at"})
        if (doc.contains(k)) out[k] = doc[k];
    return out;
}

void print_table(const Table& t, std::size_t max_cell_width) {
    fmt::print("{}", crm::tools::render_table(t, max_cell_width));
}

void print_csv(const Table& t) { fmt::print("{}", crm::tools::render_csv(t)); }

void print_json_docs(const std::vector<std::string>& docs) {
    if (docs.empty()) {
        fmt::print("[]\n");
        return;
    }
    fmt::print("[\n");
    for (std::size_t i = 0; i < docs.size(); ++i) fmt::print("{}{}\n", docs[i], i + 1 < docs.size() ? "," : "");
    fmt::print("]\n");
}

void print_json_doc(const std::string& doc) { fmt::print("{}\n", doc); }

std::string cell_text(const json& v) {
    if (v.is_null()) return {};
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    if (v.is_array()) {
        std::string out;
        for (const auto& e : v) {
            if (!out.empty()) out += "; ";
            if (e.is_object() && e.contains("address")) out += cell_text(e["address"]);
            else if (e.is_object() && e.contains("number")) out += cell_text(e["number"]);
            else out += cell_text(e);
        }
        return out;
    }
    return v.dump();
}

void flatten(const json& doc, const std::string& prefix, std::vector<std::pair<std::string, std::string>>& out) {
    for (auto it = doc.begin(); it != doc.end(); ++it) {
        std::string key = prefix.empty() ? it.key() : prefix + "." + it.key();
        if (it.value().is_object()) flatten(it.value(), key, out);
        else out.emplace_back(std::move(key), cell_text(it.value()));
    }
}

void print_records(const Context& ctx, const std::vector<std::string>& docs, const std::vector<std::string>& columns) {
    if (ctx.format == Format::as_json) return print_json_docs(docs);
    Table t;
    if (ctx.format == Format::as_csv) {
        // Every field; the header is the union of keys, in first-seen order.
        std::vector<std::vector<std::pair<std::string, std::string>>> flat;
        for (const auto& d : docs) {
            flat.emplace_back();
            flatten(reading_order(json::parse(d)), "", flat.back());
            for (const auto& [k, v] : flat.back())
                if (std::find(t.headers.begin(), t.headers.end(), k) == t.headers.end()) t.headers.push_back(k);
        }
        for (const auto& f : flat) {
            std::vector<std::string> row(t.headers.size());
            for (const auto& [k, v] : f)
                row[static_cast<std::size_t>(std::find(t.headers.begin(), t.headers.end(), k) - t.headers.begin())] = v;
            t.rows.push_back(std::move(row));
        }
        return print_csv(t);
    }
    std::vector<std::string> paths;
    for (const auto& c : columns) {
        auto eq = c.find('=');
        t.headers.push_back(eq == std::string::npos ? c : c.substr(0, eq));
        paths.push_back(eq == std::string::npos ? c : c.substr(eq + 1));
    }
    for (const auto& d : docs) {
        auto j = json::parse(d);
        std::vector<std::string> row;
        for (const auto& p : paths) {
            const json* v = at_path(j, p);
            row.push_back(v ? (v->is_object() && v->contains("address") ? cell_text((*v)["address"]) : cell_text(*v))
                            : std::string());
        }
        t.rows.push_back(std::move(row));
    }
    print_table(t);
}

// Money objects ({"amount": minor units, "currency"}) as people read them: "199.99 USD".
static json money_for_people(const json& v) {
    if (v.is_object() && v.size() == 2 && v.contains("amount") && v.contains("currency") &&
        v["amount"].is_number_integer() && v["currency"].is_string()) {
        const std::string cur = v["currency"].get<std::string>();
        return money_text(v["amount"].get<std::int64_t>(), cur) + (cur.empty() ? "" : " " + cur);
    }
    if (!v.is_object() && !v.is_array()) return v;
    json out = v;
    for (auto& e : out) e = money_for_people(e);
    return out;
}

void print_record(const Context& ctx, const std::string& doc) {
    if (ctx.format != Format::as_table) {
        if (ctx.format == Format::as_json) return print_json_doc(doc);
        return print_records(ctx, {doc}, {});
    }
    std::vector<std::pair<std::string, std::string>> flat;
    flatten(money_for_people(reading_order(json::parse(doc))), "", flat);
    fmt::print("{}", crm::tools::render_fields(flat));
}

void print_changes(const Context& ctx, const std::vector<crm::Change>& changes) {
    if (ctx.format == Format::as_json) {
        std::vector<std::string> docs;
        for (const auto& c : changes) docs.push_back(crm::to_json(c));
        return print_json_docs(docs);
    }
    Table t;
    t.headers = {"at", "actor", "op", "field", "old", "new"};
    auto value = [&](const std::string& text) -> std::string {
        if (ctx.format == Format::as_csv) return text;  // the JSON text, exact
        auto j = json::parse(text, nullptr, false);
        if (j.is_discarded()) return text;
        return j.is_object() ? j.dump() : cell_text(j);
    };
    for (const auto& c : changes) {
        t.rows.push_back({crm::format_iso8601(c.at), c.actor_id ? std::to_string(*c.actor_id) : std::string(),
                          crm::to_string(c.op), c.field, value(c.old_value), value(c.new_value)});
    }
    if (ctx.format == Format::as_csv) return print_csv(t);
    print_table(t);
}

void print_object(const Context& ctx, const json& object) {
    if (ctx.format == Format::as_json) return print_json_doc(object.dump());
    std::vector<std::pair<std::string, std::string>> flat;
    flatten(object, "", flat);
    if (ctx.format == Format::as_csv) {
        Table t;
        t.rows.emplace_back();
        for (auto& [k, v] : flat) {
            t.headers.push_back(k);
            t.rows.back().push_back(v);
        }
        return print_csv(t);
    }
    fmt::print("{}", crm::tools::render_fields(flat));
}

std::string money_text(std::int64_t minor, const std::string& currency) {
    return crm::format_amount(minor, crm::currency_exponent(currency));
}

void note(std::string_view text) {
    std::fflush(stdout);
    fmt::print(stderr, "{}\n", text);
}

}  // namespace cli
