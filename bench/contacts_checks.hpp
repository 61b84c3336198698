// The checks of bench_contacts: the paths must do the same work, or the ratios mean nothing.
// Each check runs in a child process of its own (bench::run_phase), so that the parent, whose
// memory every phase's process inherits, stays small.
#pragma once

#include <sqlite3.h>

#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "bench_util.hpp"
#include "crm/crm.hpp"
#include "raw_json.hpp"

#if __has_include(<crm.h>)
#include <crm.h>
#define BENCH_HAVE_CAPI 1
#endif

namespace bench::contacts {

#ifdef BENCH_HAVE_CAPI
// Compares get-raw-json's document for contact `id` with crm_record_get's, parsed: the keys
// may come in another order. Returns what differs, or "" if they are the same document.
inline std::string compare_json(bench::raw::ContactJson& raw, crm_db* db, crm::Id id) {
    std::string mine;
    if (!raw.append(id, mine)) return fmt::format("contact {}: get-raw-json found no such contact", id);
    char* theirs = nullptr;
    if (crm_record_get(db, CRM_CONTACT, id, &theirs) != CRM_OK)
        return fmt::format("contact {}: crm_record_get: {}", id, crm_errmsg());
    const std::string lib(theirs);
    crm_free(theirs);
    if (mine == lib) return {};
    const auto a = nlohmann::json::parse(mine, nullptr, false), b = nlohmann::json::parse(lib, nullptr, false);
    if (a.is_discarded()) return fmt::format("contact {}: get-raw-json wrote invalid JSON: {}", id, mine);
    if (a == b) return {};
    fmt::print(stderr, "contact {}:\n  get-raw-json:   {}\n  crm_record_get: {}\n", id, mine, lib);
    std::string keys;  // the top-level keys whose values differ
    for (const auto* doc : {&a, &b})
        if (doc->is_object())
            for (auto it = doc->begin(); it != doc->end(); ++it)
                if ((!a.contains(it.key()) || !b.contains(it.key()) || a[it.key()] != b[it.key()]) &&
                    (" " + keys + ",").find(" " + it.key() + ",") == std::string::npos)
                    keys += (keys.empty() ? "" : ", ") + it.key();
    return fmt::format("contact {}: get-raw-json and crm_record_get differ in: {}", id, keys);
}

// get-raw-json against crm_record_get on `ids` of `path`.
inline bench::PhaseResult check_json(const std::string& path, const std::vector<crm::Id>& ids) {
    sqlite3* sdb = bench::raw::open(path);
    crm_db* db = nullptr;
    if (crm_db_open(&db, path.c_str(), nullptr) != CRM_OK) {
        sqlite3_close_v2(sdb);
        return bench::failed(crm_errmsg());
    }
    std::string error;
    try {
        bench::raw::ContactJson raw(sdb);
        for (crm::Id id : ids)
            if (error = compare_json(raw, db, id); !error.empty()) break;
    } catch (const std::exception& e) {
        error = e.what();
    }
    crm_db_close(db);
    sqlite3_close_v2(sdb);
    if (!error.empty()) return bench::failed(error);
    bench::PhaseResult r;
    r.ok = 1;
    r.records = static_cast<long long>(ids.size());
    return r;
}

// Contacts that the sample data never have — quotes, backslashes, control characters, emoji,
// external ids, birthdays, every kind of custom value — written through the C++ API, then
// read back by get-raw-json and crm_record_get.
inline bench::PhaseResult check_json_edge_cases(const std::string& path) {
    try {
        std::vector<crm::Id> ids;
        {
            auto db = crm::Db::open(path).value();
            auto define = [&](const char* name, crm::FieldType type, std::vector<std::string> options = {}) {
                crm::CustomFieldDef d;
                d.entity = crm::Entity::contact;
                d.name = name;
                d.label = "ラベル \"" + std::string(name) + "\"";
                d.type = type;
                d.options = std::move(options);
                db.custom_fields().define(d).value();
            };
            define("rank", crm::FieldType::text);
            define("score", crm::FieldType::integer);
            define("ratio", crm::FieldType::decimal);
            define("since", crm::FieldType::date);
            define("vip", crm::FieldType::boolean);
            define("tier", crm::FieldType::enumeration, {"gold", "silver"});
            crm::Contact c;
            c.name = "\"Quoted\" \\ back\\slash \t tab \n newline \r \b \f \x01 \x1f \x7f 山田 😀";
            c.name_reading = "ヤマダ </script> \u2028";
            c.external_id = "ext-\"1\"";
            c.birthday = "1980-02-29";
            c.title = "営業部長";
            c.department = "営業部 \\";
            c.lead_source = "web";
            c.lifecycle_stage = crm::LifecycleStage::customer;
            c.address = {"100-0001", "JP", "東京都", "千代田区", "千代田1-1", "ビル \"A\""};
            c.emails = {{"a@example.jp", "work \"x\"", false}, {"b@example.com", "", true}};
            c.phones = {{"03-1234-5678", "会社", true}, {"090 1111 2222", "mobile", false}};
            c.consent = {true, false, true, false, true};
            c.tags = {"zeta", "\"alpha\"", "日本"};
            c.custom = {{"rank", std::string("A \"plus\"\n")}, {"score", std::int64_t{-42}},
                        {"ratio", std::string("12.50")}, {"since", std::string("2024-02-29")},
                        {"vip", true}, {"tier", std::string("gold")}};
            ids.push_back(db.contacts().create(c).value());
            crm::Contact minimal;
            minimal.name = "x";
            ids.push_back(db.contacts().create(minimal).value());
            crm::Contact some;
            some.name = "Some Custom";
            some.custom = {{"vip", false}, {"score", std::int64_t{9007199254740993}}};
            ids.push_back(db.contacts().create(some).value());
        }
        return check_json(path, ids);
    } catch (const std::exception& e) {
        return bench::failed(e.what());
    }
}
#endif

// Row counts of every table of each file; fails unless they are all equal. Reports the total
// in `records` and the non-empty tables in `message`.
inline bench::PhaseResult check_rows(const std::vector<std::string>& files) {
    std::vector<std::map<std::string, long long>> counts;
    for (const auto& f : files) {
        counts.push_back(bench::row_counts(f));
        // FTS5's own tables (segments, sizes) follow its flushing, not the records: search_docs,
        // one row per indexed record, is compared; the index tables are not.
        std::erase_if(counts.back(), [](const auto& kv) {
            return kv.first.rfind("search_tri", 0) == 0 || kv.first.rfind("search_uni", 0) == 0;
        });
    }
    for (std::size_t i = 1; i < counts.size(); ++i)
        if (counts[i] != counts[0])
            return bench::failed(fmt::format("{} and {} hold different rows", files[0], files[i]));
    bench::PhaseResult r;
    r.ok = 1;
    std::string text;
    for (const auto& [table, n] : counts.at(0)) {
        r.records += n;
        if (n) text += fmt::format("{}{} {}", text.empty() ? "" : ", ", table, n);
    }
    std::snprintf(r.message, sizeof r.message, "%s", text.c_str());
    return r;
}

}  // namespace bench::contacts
