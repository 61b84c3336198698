// Shared helpers of the fuzz targets (see fuzz_common.hpp).
#include "fuzz_common.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>

namespace fuzz {

namespace {

int64_t fixed_clock(void*) { return kNowMs; }

// Records every key of every object; fails on a key twice in one object.
class DupKeyCheck : public nlohmann::json_sax<nlohmann::json> {
public:
    bool duplicate = false;

    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override { keys_.emplace_back(); return true; }
    bool end_object() override { keys_.pop_back(); return true; }
    bool start_array(std::size_t) override { return true; }
    bool end_array() override { return true; }
    bool key(string_t& k) override {
        if (!keys_.back().insert(k).second) duplicate = true;
        return !duplicate;
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

private:
    std::vector<std::set<std::string>> keys_;
};

bool no_duplicate_keys(const std::string& text) {
    DupKeyCheck sax;
    bool ok = nlohmann::json::sax_parse(text, &sax, nlohmann::json::input_format_t::json, true, false);
    return ok && !sax.duplicate;
}

}  // namespace

void fail(const char* file, int line, const std::string& what) {
    std::fprintf(stderr, "\nFUZZ CHECK FAILED at %s:%d\n  %s\n", file, line, what.c_str());
    std::fflush(stderr);
    std::abort();
}

std::string text_of(const uint8_t* data, size_t size) {
    const void* nul = size ? std::memchr(data, 0, size) : nullptr;
    size_t n = nul ? static_cast<size_t>(static_cast<const uint8_t*>(nul) - data) : size;
    return std::string(reinterpret_cast<const char*>(data), n);
}

std::string shown(const std::string& text) {
    if (text.size() <= 400) return text;
    return text.substr(0, 400) + "... (" + std::to_string(text.size()) + " bytes)";
}

bool valid_utf8(const std::string& s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    size_t n = s.size(), i = 0;
    while (i < n) {
        unsigned c = p[i];
        if (c < 0x80) { ++i; continue; }
        size_t len;
        unsigned cp;
        if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = c & 0x1F; }
        else if (c >= 0xE0 && c <= 0xEF) { len = 3; cp = c & 0x0F; }
        else if (c >= 0xF0 && c <= 0xF4) { len = 4; cp = c & 0x07; }
        else return false;
        if (i + len > n) return false;
        for (size_t k = 1; k < len; ++k) {
            if ((p[i + k] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) return false;
        if (cp >= 0xD800 && cp <= 0xDFFF) return false;
        i += len;
    }
    return true;
}

std::string last_error() {
    return std::string(crm_strerror(crm_errcode())) + " field='" + crm_errfield() + "' message='" + crm_errmsg() + "'";
}

int check_status(int rc, const char* call) {
    static const bool verbose = std::getenv("CRM_FUZZ_VERBOSE") != nullptr;
    if (verbose) std::fprintf(stderr, "  %s -> %s %s %s\n", call, crm_strerror(rc), crm_errfield(), crm_errmsg());
    const std::string where = std::string(call) + " returned " + std::to_string(rc) + " (" + crm_strerror(rc) + ")";
    FUZZ_CHECK(crm_errcode() == rc, where + " but crm_errcode() is " + std::to_string(crm_errcode()));
    const char* msg = crm_errmsg();
    const char* field = crm_errfield();
    FUZZ_CHECK(msg != nullptr && field != nullptr, where + ": crm_errmsg/crm_errfield gave NULL");
    FUZZ_CHECK(valid_utf8(msg) && valid_utf8(field), where + ": the message or field is not UTF-8: " + last_error());
    if (rc == CRM_OK) {
        FUZZ_CHECK(*msg == '\0' && *field == '\0', where + " but the message is not cleared: " + last_error());
        return rc;
    }
    FUZZ_CHECK(*msg != '\0', where + " with an empty message");
    FUZZ_CHECK(std::strcmp(crm_strerror(rc), "CRM_UNKNOWN") != 0, where + ": not a documented code");
    // Codes that caller text must never cause on a private in-memory database.
    FUZZ_CHECK(rc != CRM_EINTERNAL, where + ": the library reports a bug: " + last_error());
    FUZZ_CHECK(rc != CRM_EIO && rc != CRM_ECORRUPT && rc != CRM_ESCHEMA && rc != CRM_EREADONLY &&
                   rc != CRM_EBUSY && rc != CRM_ECLOSED && rc != CRM_ITEROVER,
               where + ": impossible here: " + last_error());
    return rc;
}

nlohmann::json parse_out(const char* text, const char* what) {
    FUZZ_CHECK(text != nullptr, std::string(what) + " is NULL after CRM_OK");
    const std::string s(text);
    FUZZ_CHECK(valid_utf8(s), std::string(what) + " is not UTF-8: " + s);
    auto j = nlohmann::json::parse(s, nullptr, false);
    FUZZ_CHECK(!j.is_discarded(), std::string(what) + " is not JSON: " + s);
    FUZZ_CHECK(no_duplicate_keys(s), std::string(what) + " has a key twice: " + s);
    return j;
}

bool strict_parse(const std::string& text, nlohmann::json& out) {
    out = nlohmann::json::parse(text, nullptr, false);
    return !out.is_discarded() && no_duplicate_keys(text);
}

bool acceptable(const char* api, const std::string& text, nlohmann::json& out) {
    if (!valid_utf8(text)) return false;
    (void)api;
    return strict_parse(text, out);
}

const char* kind_name(crm_entity kind) {
    static const char* const names[] = {"?",           "user",     "team",     "account",     "contact",
                                        "product",     "campaign", "pipeline", "deal",        "interaction",
                                        "ticket",      "task",     "document"};
    return kind >= 1 && kind <= 12 ? names[kind] : "?";
}

int64_t count(crm_entity kind) {
    int64_t n = -1;
    int rc = crm_record_count(db(), kind, nullptr, &n);
    FUZZ_CHECK(rc == CRM_OK, std::string("crm_record_count ") + kind_name(kind) + ": " + last_error());
    return n;
}

std::string get(crm_entity kind, int64_t id) {
    char* doc = nullptr;
    int rc = check_status(crm_record_get(db(), kind, id, &doc), "crm_record_get");
    if (rc == CRM_ENOTFOUND) {
        FUZZ_CHECK(doc == nullptr, "out_json not cleared on CRM_ENOTFOUND");
        return "";
    }
    FUZZ_CHECK(rc == CRM_OK, std::string("crm_record_get ") + kind_name(kind) + " " + std::to_string(id) + ": " +
                                 last_error());
    std::string s(doc);
    crm_free(doc);
    return s;
}

nlohmann::json without_managed(nlohmann::json doc) {
    if (doc.is_object()) {
        doc.erase("id");
        doc.erase("created_at");
        doc.erase("updated_at");
    }
    return doc;
}

Txn::Txn() {
    int rc = crm_txn_begin(&txn_, db());
    FUZZ_CHECK(rc == CRM_OK, "crm_txn_begin: " + last_error());
}

Txn::~Txn() {
    int rc = crm_txn_rollback(txn_);
    FUZZ_CHECK(rc == CRM_OK, "crm_txn_rollback: " + last_error());
    crm_txn_free(txn_);
}

}  // namespace fuzz

// ---- the seeded database ------------------------------------------------------

namespace fuzz {

namespace {

Seeded g_seeded;

int64_t must_create(crm_db* d, crm_entity kind, const std::string& json) {
    int64_t id = 0;
    int rc = crm_record_create(d, kind, json.c_str(), &id);
    FUZZ_CHECK(rc == CRM_OK && id > 0, std::string("seeding ") + kind_name(kind) + " " + json + ": " + last_error());
    g_seeded.ids[kind].push_back(id);
    return id;
}

void must(int rc, const std::string& what) { FUZZ_CHECK(rc == CRM_OK, "seeding " + what + ": " + last_error()); }

std::string S(int64_t id) { return std::to_string(id); }

// Two or three records of every kind, linked to each other the way real data
// is, with Japanese text (kanji, kana, half-width kana), emoji, tags and custom
// values; plus a calendar, an SLA policy, a lost reason and custom fields of
// every type. Patches, filters and timelines then have something to work on.
void seed(crm_db* d) {
    for (const char* def : {
             R"({"entity":"contact","name":"rank","label":"顧客ランク","type":"enum","options":["A","B","C"]})",
             R"({"entity":"contact","name":"score","label":"スコア","type":"integer"})",
             R"({"entity":"contact","name":"ratio","label":"比率","type":"decimal"})",
             R"({"entity":"contact","name":"since","label":"取引開始日","type":"date"})",
             R"({"entity":"contact","name":"dm_ok","label":"DM可","type":"bool"})",
             R"({"entity":"contact","name":"memo","label":"メモ","type":"text"})",
             R"({"entity":"account","name":"tier","label":"ティア","type":"enum","options":["gold","silver"]})",
         }) {
        int64_t id = 0;
        must(crm_custom_field_define(d, def, &id), def);
        auto j = nlohmann::json::parse(def);
        if (j["entity"] == "contact") g_seeded.custom_fields.push_back(j["name"].get<std::string>());
    }
    int64_t id = 0;
    must(crm_calendar_define(d, R"({"name":"東京本社","utc_offset":"+09:00","hours":{"mon":[["09:00","12:00"],["13:00","18:00"]],"tue":[["09:00","18:00"]]},"holidays":["2026-01-01","2026-04-29"]})", &id), "calendar");
    const int64_t cal = id;
    must(crm_sla_policy_define(d, (R"({"name":"標準","calendar_id":)" + S(cal) + R"(,"targets":{"high":{"first_response_minutes":60,"resolution_minutes":480},"normal":{"first_response_minutes":240,"resolution_minutes":2400}}})").c_str(), &id), "sla policy");
    const int64_t sla = id;
    must(crm_lost_reason_define(d, "価格", &id), "lost reason");

    const int64_t u1 = must_create(d, CRM_USER, R"({"name":"山田 太郎","name_reading":"ヤマダ タロウ","email":"taro@example.jp","role":"manager","region":"関東","tags":["本社"]})");
    const int64_t u2 = must_create(d, CRM_USER, R"({"name":"ｻﾄｳ ﾊﾅｺ","email":"hanako@example.jp","external_id":"u-2"})");
    const int64_t t1 = must_create(d, CRM_TEAM, R"({"name":"東日本営業部","region":"関東","manager_id":)" + S(u1) + "}");
    must_create(d, CRM_TEAM, R"({"name":"West 🚀","external_id":"t-2"})");
    must(crm_record_update(d, CRM_USER, u2, (R"({"team_id":)" + S(t1) + "}").c_str()), "user team");
    const int64_t a1 = must_create(d, CRM_ACCOUNT, R"({"name":"株式会社サンプル","name_reading":"カブシキガイシャサンプル","industry":"製造業","employee_count":120,"annual_revenue":{"amount":500000000,"currency":"JPY"},"address":{"postal_code":"100-0001","country":"JP","region":"東京都","city":"千代田区","street":"千代田1-1"},"phone":"03-1234-5678","website":"https://example.jp","owner_id":)" + S(u1) + R"(,"contract_status":"active","tags":["vip","製造"],"custom":{"tier":"gold"}})");
    const int64_t a2 = must_create(d, CRM_ACCOUNT, R"({"name":"(株)テスト 子会社","parent_id":)" + S(a1) + R"(,"external_id":"a-2","employee_count":8})");
    const int64_t c1 = must_create(d, CRM_CONTACT, R"({"name":"山田 花子","name_reading":"ヤマダ ハナコ","emails":["hanako@sample.co.jp",{"address":"h.yamada@example.com","label":"home","primary":false}],"phones":["03-1234-5678"],"title":"営業部長","department":"営業部","account_id":)" + S(a1) + R"(,"owner_id":)" + S(u1) + R"(,"lifecycle_stage":"mql","lead_source":"seminar","birthday":"1980-02-29","tags":["vip"],"custom":{"rank":"A","score":42,"ratio":"12.50","since":"2020-04-01","dm_ok":true,"memo":"😀 絵文字"}})");
    const int64_t c2 = must_create(d, CRM_CONTACT, R"({"name":"ｽｽﾞｷ ｲﾁﾛｳ","external_id":"c-2","account_id":)" + S(a2) + "}");
    const int64_t p1 = must_create(d, CRM_PRODUCT, R"({"name":"勤怠管理クラウド","series":"クラウドシリーズ","list_price":{"amount":30000,"currency":"JPY"},"tags":["saas"]})");
    must_create(d, CRM_PRODUCT, R"({"name":"GTX Pro","list_price":{"amount":1999,"currency":"USD"},"active":false,"external_id":"p-2"})");
    const int64_t cp1 = must_create(d, CRM_CAMPAIGN, R"({"name":"秋の DX セミナー","channel":"seminar","start_date":"2026-09-01","end_date":"2026-09-30","cost":{"amount":800000,"currency":"JPY"}})");
    must_create(d, CRM_CAMPAIGN, R"({"name":"Web広告","channel":"ads","external_id":"cp-2"})");
    const int64_t pl1 = must_create(d, CRM_PIPELINE, R"({"name":"新規営業","stages":[{"name":"初回訪問","probability":10,"kind":"open"},{"name":"提案","probability":50,"kind":"open"},{"name":"受注","probability":100,"kind":"won"},{"name":"失注","probability":0,"kind":"lost"}]})");
    must_create(d, CRM_PIPELINE, R"({"name":"更新","external_id":"pl-2","stages":[{"name":"更新確認","probability":80,"kind":"open"}]})");
    char* stages = nullptr;
    must(crm_pipeline_stages(d, pl1, &stages), "pipeline stages");
    const int64_t s1 = nlohmann::json::parse(stages).at(0).at("id").get<int64_t>();
    crm_free(stages);
    const int64_t d1 = must_create(d, CRM_DEAL, R"({"name":"基幹システム刷新","pipeline_id":)" + S(pl1) + R"(,"stage_id":)" + S(s1) + R"(,"amount":{"amount":0,"currency":"JPY"},"expected_close_date":"2026-06-30","owner_id":)" + S(u1) + R"(,"account_id":)" + S(a1) + R"(,"contact_id":)" + S(c1) + R"(,"campaign_id":)" + S(cp1) + R"(,"line_items":[{"product_id":)" + S(p1) + R"(,"quantity":2,"unit_price":{"amount":30000,"currency":"JPY"},"discount":5000,"note":"初年度割引"}],"tags":["重点"]})");
    must_create(d, CRM_DEAL, R"({"name":"追加ライセンス","external_id":"d-2","pipeline_id":)" + S(pl1) + R"(,"stage_id":)" + S(s1) + R"(,"amount":{"amount":1200000,"currency":"JPY"},"probability":30})");
    const int64_t tk1 = must_create(d, CRM_TICKET, R"({"subject":"請求書が届かない","description":"先月分の請求書が未着です。","priority":"high","channel":"email","requester_id":)" + S(c1) + R"(,"account_id":)" + S(a1) + R"(,"assignee_id":)" + S(u2) + R"(,"sla_policy_id":)" + S(sla) + R"(,"tags":["請求"]})");
    must_create(d, CRM_TICKET, R"({"subject":"ログインできない","external_id":"tk-2","channel":"line"})");
    must_create(d, CRM_INTERACTION, R"({"kind":"call","occurred_at":"2026-03-01T10:00:00+09:00","direction":"outbound","channel":"phone","subject":"初回ヒアリング","body":"予算は来期。","actor_id":)" + S(u1) + R"(,"contact_ids":[)" + S(c1) + R"(],"account_ids":[)" + S(a1) + R"(],"deal_ids":[)" + S(d1) + R"(],"ticket_ids":[)" + S(tk1) + R"(],"tags":["初回"]})");
    must_create(d, CRM_INTERACTION, R"({"kind":"email","occurred_at":1772330400000,"direction":"inbound","subject":"Re: お見積り","external_id":"evt-1","contact_ids":[)" + S(c2) + "]}");
    must_create(d, CRM_INTERACTION, R"({"kind":"web_visit","occurred_at":"2026-03-15T00:00:00Z","url":"https://example.jp/pricing","referrer":"https://search.example/","source":"web","contact_ids":[)" + S(c1) + "]}");
    must_create(d, CRM_TASK, R"({"title":"見積書を送る","notes":"山田様へ","due_at":"2026-04-02T01:00:00Z","remind_at":"2026-04-02T00:00:00Z","assignee_id":)" + S(u1) + R"(,"priority":"high","links":[{"entity":"contact","id":)" + S(c1) + R"(},{"entity":"deal","id":)" + S(d1) + R"(}]})");
    must_create(d, CRM_TASK, R"({"title":"折り返し電話","external_id":"task-2","status":"done"})");
    must_create(d, CRM_DOCUMENT, R"({"kind":"quote","name":"見積書_2026年4月.pdf","mime_type":"application/pdf","uri":"https://example.jp/q.pdf","links":[{"entity":"account","id":)" + S(a1) + R"(}]})");
    must_create(d, CRM_DOCUMENT, R"({"name":"契約書.docx","kind":"contract","external_id":"doc-2"})");
    (void)a2;
}

}  // namespace

crm_db* db() {
    static crm_db* handle = [] {
        crm_db* d = nullptr;
        int rc = crm_db_open(&d, ":memory:", nullptr);
        FUZZ_CHECK(rc == CRM_OK, "crm_db_open(:memory:): " + last_error());
        must(crm_db_set_clock(d, fixed_clock, nullptr), "clock");
        seed(d);
        return d;
    }();
    return handle;
}

const Seeded& seeded() {
    db();
    return g_seeded;
}

}  // namespace fuzz
