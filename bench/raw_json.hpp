// The get-raw-json baseline of bench_contacts: get_raw's reads, each contact written out as
// the JSON document crm_record_get returns for it.
//
// What a program that wants the contact as JSON text would write by hand for speed: the
// queries of get_raw, with the column text appended straight from SQLite's buffers into one
// reused std::string through a small escaper. No JSON DOM, no intermediate crm::Contact.
// The keys and values are crm_record_get's (compared parsed, as key order may differ); values as
// the library writes them: "" and NULL external_id/birthday become null, a zero timestamp is null,
// timestamps are ISO 8601 in UTC with milliseconds.

#pragma once

#include <sqlite3.h>

#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>

#include "raw_sqlite.hpp"

namespace bench::raw {

namespace json_text {

// A JSON string: '"', '\\' and control characters escaped the way nlohmann::json::dump() does
// (short escapes where JSON has them, \u00xx otherwise); UTF-8 passes through unchanged.
inline void string(std::string& out, const char* s, std::size_t n) {
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    std::size_t run = 0;  // start of the bytes not yet copied
    for (std::size_t i = 0; i < n; ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(s + run, i - run);
        run = i + 1;
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default: {
                const char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                out.append(u, 6);
            }
        }
    }
    out.append(s + run, n - run);
    out += '"';
}
inline void string(std::string& out, std::string_view s) { string(out, s.data(), s.size()); }

inline void integer(std::string& out, std::int64_t v) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

inline void boolean(std::string& out, bool v) { out += v ? "true" : "false"; }

// "YYYY-MM-DDTHH:MM:SS.mmmZ" (UTC), or null for 0 — crm::format_iso8601, written by hand.
inline void timestamp(std::string& out, std::int64_t ms) {
    if (ms == 0) {
        out += "null";
        return;
    }
    const std::int64_t days = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
    const std::int64_t rem = ms - days * 86400000;
    // civil_from_days (H. Hinnant): days since 1970-01-01 to year, month, day.
    const std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
    const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    if (y < 0 || y > 9999) {  // not reached by real data; same text as the library's snprintf
        char buf[96];
        const int n = std::snprintf(buf, sizeof buf, "\"%04" PRId64 "-%02" PRId64 "-%02" PRId64 "T%02" PRId64
                                    ":%02" PRId64 ":%02" PRId64 ".%03" PRId64 "Z\"", y, m, d, rem / 3600000,
                                    rem / 60000 % 60, rem / 1000 % 60, rem % 1000);
        out.append(buf, static_cast<std::size_t>(n));
        return;
    }
    char b[26] = {'"', 0, 0, 0, 0, '-', 0, 0, '-', 0, 0, 'T', 0, 0, ':', 0, 0, ':', 0, 0, '.', 0, 0, 0, 'Z', '"'};
    auto two = [&](int at, std::int64_t v) {
        b[at] = static_cast<char>('0' + v / 10);
        b[at + 1] = static_cast<char>('0' + v % 10);
    };
    two(1, y / 100);
    two(3, y % 100);
    two(6, m);
    two(9, d);
    two(12, rem / 3600000);
    two(15, rem / 60000 % 60);
    two(18, rem / 1000 % 60);
    b[21] = static_cast<char>('0' + rem % 1000 / 100);
    two(22, rem % 100);
    out.append(b, sizeof b);
}

// Column c of the current row of st.
inline std::string_view column(sqlite3_stmt* st, int c) {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st, c));
    return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(st, c))) : std::string_view();
}
inline void text(std::string& out, sqlite3_stmt* st, int c) { string(out, column(st, c)); }
inline void text_or_null(std::string& out, sqlite3_stmt* st, int c) {
    const auto v = column(st, c);
    if (v.empty()) out += "null";
    else string(out, v);
}
inline void id_or_null(std::string& out, sqlite3_stmt* st, int c) {
    if (sqlite3_column_type(st, c) == SQLITE_NULL) out += "null";
    else integer(out, sqlite3_column_int64(st, c));
}
inline void flag(std::string& out, sqlite3_stmt* st, int c) { boolean(out, sqlite3_column_int64(st, c) != 0); }

}  // namespace json_text

// Reads one contact and appends the document crm_record_get returns for it.
class ContactJson {
public:
    explicit ContactJson(sqlite3* db)
        : row_(db, "SELECT id,external_id,name,name_reading,postal_code,country,region,city,street,building,title,"
                   "department,account_id,owner_id,lifecycle_stage,lead_source,birthday,consent_email,consent_phone,"
                   "consent_sms,consent_postal,consent_tracking,created_at,updated_at FROM contacts WHERE id=?"),
          emails_(db, "SELECT address,label,is_primary,undeliverable FROM contact_emails WHERE contact_id=? ORDER BY position"),
          phones_(db, "SELECT number,label,is_primary FROM contact_phones WHERE contact_id=? ORDER BY position"),
          tags_(db, "SELECT t.name FROM record_tags r JOIN tags t ON t.id = r.tag_id "
                    "WHERE r.entity='contact' AND r.record_id=? ORDER BY t.name"),
          // get_raw's custom-value query, joined with the definitions for the key and the type.
          custom_(db, "SELECT d.name, d.type, v.value FROM custom_values v "
                      "JOIN custom_field_defs d ON d.id = v.field_id WHERE v.entity='contact' AND v.record_id=?") {}

    // Appends the document of contact `id` to out; false if there is no such contact.
    // Like get_raw, every query is its own autocommit read: the contact row's keys are written
    // first (SQLite's column buffers are valid only until the statement is reset), then the
    // e-mails, phones, tags and custom values, so the keys are not in crm_record_get's order.
    bool append(std::int64_t id, std::string& out) {
        namespace j = json_text;
        if (!row_.integer(1, id).row()) return false;
        sqlite3_stmt* r = row_.handle();
        out += "{\"account_id\":";
        j::id_or_null(out, r, 12);
        out += ",\"address\":{\"building\":";
        j::text(out, r, 9);
        out += ",\"city\":";
        j::text(out, r, 7);
        out += ",\"country\":";
        j::text(out, r, 5);
        out += ",\"postal_code\":";
        j::text(out, r, 4);
        out += ",\"region\":";
        j::text(out, r, 6);
        out += ",\"street\":";
        j::text(out, r, 8);
        out += "},\"birthday\":";
        j::text_or_null(out, r, 16);
        out += ",\"consent\":{\"email\":";
        j::flag(out, r, 17);
        out += ",\"phone\":";
        j::flag(out, r, 18);
        out += ",\"postal\":";
        j::flag(out, r, 20);
        out += ",\"sms\":";
        j::flag(out, r, 19);
        out += ",\"tracking\":";
        j::flag(out, r, 21);
        out += "},\"created_at\":";
        j::timestamp(out, sqlite3_column_int64(r, 22));
        out += ",\"department\":";
        j::text(out, r, 11);
        out += ",\"external_id\":";
        j::text_or_null(out, r, 1);
        out += ",\"id\":";
        j::integer(out, sqlite3_column_int64(r, 0));
        out += ",\"lead_source\":";
        j::text(out, r, 15);
        out += ",\"lifecycle_stage\":";
        j::text(out, r, 14);
        out += ",\"name\":";
        j::text(out, r, 2);
        out += ",\"name_reading\":";
        j::text(out, r, 3);
        out += ",\"owner_id\":";
        j::id_or_null(out, r, 13);
        out += ",\"title\":";
        j::text(out, r, 10);
        out += ",\"updated_at\":";
        j::timestamp(out, sqlite3_column_int64(r, 23));
        row_.reset();
        out += ",\"emails\":[";
        emails_.integer(1, id);
        for (bool first = true; emails_.row(); first = false) {
            sqlite3_stmt* e = emails_.handle();
            out += first ? "{\"address\":" : ",{\"address\":";
            j::text(out, e, 0);
            out += ",\"label\":";
            j::text(out, e, 1);
            out += ",\"primary\":";
            j::flag(out, e, 2);
            out += ",\"undeliverable\":";
            j::flag(out, e, 3);
            out += '}';
        }
        out += "],\"phones\":[";
        phones_.integer(1, id);
        for (bool first = true; phones_.row(); first = false) {
            sqlite3_stmt* p = phones_.handle();
            out += first ? "{\"label\":" : ",{\"label\":";
            j::text(out, p, 1);
            out += ",\"number\":";
            j::text(out, p, 0);
            out += ",\"primary\":";
            j::flag(out, p, 2);
            out += '}';
        }
        out += "],\"tags\":[";
        tags_.integer(1, id);
        for (bool first = true; tags_.row(); first = false) {
            if (!first) out += ',';
            j::text(out, tags_.handle(), 0);
        }
        out += "],\"custom\":{";
        custom_.integer(1, id);
        for (bool first = true; custom_.row(); first = false) {
            sqlite3_stmt* c = custom_.handle();
            if (!first) out += ',';
            j::text(out, c, 0);
            out += ':';
            const auto type = j::column(c, 1);
            if (type == "integer") j::integer(out, sqlite3_column_int64(c, 2));
            else if (type == "bool") j::flag(out, c, 2);
            else j::text(out, c, 2);
        }
        out += "}}";
        return true;
    }

private:
    Stmt row_, emails_, phones_, tags_, custom_;
};

// get_raw's reads, each contact turned into its JSON document (the baseline of get-capi).
inline bench::PhaseResult get_raw_json(const Config& cfg, const std::string& path) {
    sqlite3* db = bench::raw::open(path);
    Workload w{cfg};
    bench::Stopwatch sw;
    std::size_t bytes = 0;
    try {
        ContactJson reader(db);
        Stmt begin(db, "BEGIN"), commit(db, "COMMIT");  // not with --raw-autocommit
        std::string doc;  // reused: its capacity settles after the first few documents
        sw.time([&] {
            for (long long k = 0; k < cfg.gets; ++k) {
                doc.clear();
                if (cfg.raw_read_txn) begin.run();
                if (!reader.append(w.random_contact(k), doc)) throw std::runtime_error("contact not found");
                if (cfg.raw_read_txn) commit.run();
                bytes += doc.size();
            }
        });
    } catch (const std::exception& e) {
        sqlite3_close_v2(db);
        return bench::failed(e.what());
    }
    sqlite3_close_v2(db);
    auto r = done(sw, cfg.gets);
    std::snprintf(r.message, sizeof r.message, "%zu bytes of JSON", bytes);
    return r;
}

}  // namespace bench::raw
