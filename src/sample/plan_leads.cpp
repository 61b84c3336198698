// crm::sample::setup_leads — lead management on a populated sample company: two
// scoring models, one per product line, an MQL threshold on each, the web form
// for document requests and two saved segments. Everything is data defined through
// the public API, as a customer would define it.
#include <fmt/format.h>

#include "crm/forms.hpp"
#include "crm/routing.hpp"
#include "crm/sample.hpp"
#include "crm/scoring.hpp"
#include "crm/segments.hpp"
#include "crm/thresholds.hpp"
#include "util/try.hpp"

namespace crm::sample {

namespace {

// Attendance (勤怠管理): HR and general-affairs people at larger manufacturers, who
// read the attendance pages, come to the DX seminars and ask for material.
constexpr const char* kAttendanceModel = R"({
  "name": "勤怠管理",
  "description": "勤怠管理クラウドの見込み度（人事・総務の決裁者、製造業、セミナー・料金ページ・資料請求）",
  "limits": {"min": 0, "max": 100},
  "fit_bands": [{"band": "A", "min": 40}, {"band": "B", "min": 20}, {"band": "C", "min": 5}, {"band": "D"}],
  "engagement_bands": [{"band": "1", "min": 40}, {"band": "2", "min": 20}, {"band": "3", "min": 5}, {"band": "4"}],
  "fit": [
    {"id": "decision_maker", "when": {"field": "title", "op": "in",
       "value": ["代表取締役", "取締役", "執行役員", "部長", "CEO", "Operations Director"]}, "points": 20},
    {"id": "hr_admin", "when": {"field": "department", "op": "in", "value": ["人事部", "総務部", "HR", "Operations"]},
     "points": 15},
    {"id": "employees_300", "when": {"field": "account.employee_count", "op": "range", "min": 300}, "points": 10},
    {"id": "manufacturing", "when": {"field": "account.industry", "op": "in",
       "value": ["製造業", "機械", "電気機器", "精密機器", "化学"]}, "points": 10},
    {"id": "disqualified", "when": {"field": "lifecycle_stage", "op": "equals", "value": "disqualified"}, "gate": true}
  ],
  "behaviour": [
    {"id": "features_page", "kind": "web_visit", "when": {"field": "url", "op": "pattern", "value": "*/features/attendance*"},
     "points": 8, "cap_per_day": 1, "half_life_days": 60},
    {"id": "pricing_page", "kind": "web_visit", "when": {"field": "url", "op": "pattern", "value": "*/pricing*"},
     "points": 10, "cap_per_day": 1, "cap_total": 3, "window_days": 60},
    {"id": "contact_page", "kind": "web_visit", "when": {"field": "url", "op": "pattern", "value": "*/contact*"},
     "points": 15, "repeat": false, "window_days": 60},
    {"id": "case_manufacturing", "kind": "web_visit", "when": {"field": "url", "op": "contains", "value": "/case-studies/manufacturing"},
     "points": 5, "repeat": false, "window_days": 90},
    {"id": "dx_seminar", "kind": "event_attendance", "when": {"field": "subject", "op": "contains", "value": "勤怠"},
     "points": 30, "half_life_days": 90},
    {"id": "document_request", "kind": "form_submission", "points": 25, "half_life_days": 60},
    {"id": "email_click", "kind": "email", "event": "clicked", "points": 5, "cap_per_day": 1, "window_days": 90},
    {"id": "cancel_page", "kind": "web_visit", "when": {"field": "url", "op": "contains", "value": "/support/cancel"},
     "points": -20, "window_days": 90}
  ]
})";

// Expense (経費精算): finance people, trading and service companies, the
// e-bookkeeping-law webinar and white paper.
constexpr const char* kExpenseModel = R"({
  "name": "経費精算",
  "description": "経費精算クラウドの見込み度（経理・財務、商社・サービス業、電子帳簿保存法ウェビナー・資料）",
  "limits": {"min": 0, "max": 100},
  "fit_bands": [{"band": "A", "min": 40}, {"band": "B", "min": 20}, {"band": "C", "min": 5}, {"band": "D"}],
  "engagement_bands": [{"band": "1", "min": 40}, {"band": "2", "min": 20}, {"band": "3", "min": 5}, {"band": "4"}],
  "fit": [
    {"id": "finance", "when": {"any": [
        {"field": "department", "op": "in", "value": ["経理部", "Finance"]},
        {"field": "title", "op": "equals", "value": "CFO"}]}, "points": 25},
    {"id": "decision_maker", "when": {"field": "title", "op": "in", "value": ["代表取締役", "取締役", "部長", "CEO"]}, "points": 10},
    {"id": "trade_services", "when": {"field": "account.industry", "op": "in",
       "value": ["商社", "卸売業", "サービス業", "情報・通信業"]}, "points": 10},
    {"id": "employees_100", "when": {"field": "account.employee_count", "op": "range", "min": 100}, "points": 5},
    {"id": "disqualified", "when": {"field": "lifecycle_stage", "op": "equals", "value": "disqualified"}, "gate": true}
  ],
  "behaviour": [
    {"id": "features_page", "kind": "web_visit", "when": {"field": "url", "op": "pattern", "value": "*/features/expense*"},
     "points": 10, "cap_per_day": 1, "half_life_days": 60},
    {"id": "dencho_webinar", "kind": "event_attendance", "when": {"field": "subject", "op": "contains", "value": "電子帳簿"},
     "points": 30, "half_life_days": 90},
    {"id": "whitepaper", "kind": "web_visit", "when": {"field": "url", "op": "pattern", "value": "*/download/whitepaper*"},
     "points": 20, "repeat": false, "half_life_days": 90},
    {"id": "download", "kind": "document_download", "points": 10, "cap_total": 3, "half_life_days": 90},
    {"id": "pricing_page", "kind": "web_visit", "when": {"field": "url", "op": "pattern", "value": "*/pricing*"},
     "points": 5, "cap_per_day": 1, "cap_total": 3, "window_days": 30},
    {"id": "email_open", "kind": "email", "event": "opened", "points": 1, "cap_per_day": 1, "cap_total": 10,
     "window_days": 30}
  ]
})";

// The document-request form on the web site.
constexpr const char* kForm = R"({
  "name": "shiryo-seikyu", "title": "資料請求フォーム", "source": "web", "on_conflict": "keep",
  "fields": [
    {"name": "email", "label": "メールアドレス", "type": "email", "required": true, "maps_to": "contact.emails"},
    {"name": "name", "label": "お名前", "type": "text", "required": true, "max_length": 50, "maps_to": "contact.name"},
    {"name": "company", "label": "会社名", "type": "text", "max_length": 100, "maps_to": "account.name"},
    {"name": "department", "label": "部署", "type": "text", "max_length": 50, "maps_to": "contact.department"},
    {"name": "title", "label": "役職", "type": "text", "max_length": 50, "maps_to": "contact.title",
     "on_conflict": "overwrite"},
    {"name": "tel", "label": "電話番号", "type": "phone", "maps_to": "contact.phones"},
    {"name": "employees", "label": "従業員数", "type": "number", "maps_to": "account.employee_count"},
    {"name": "news", "label": "メールマガジンを受け取る", "type": "consent", "maps_to": "contact.consent.email"}
  ]
})";

error in_step(const error& e, const std::string& what) {
    error out = e;
    out.message = fmt::format("sample leads, {}: {}", what, e.message);
    return out;
}

// The inside-sales routing: companies of 1,000 people or more to the first manager; the
// Kanto region, the Kansai region and contacts abroad to the reps in turn, each rule
// with its own rotation (at most 20 open follow-ups each); the rest to the first
// manager as the fallback; a follow-up due 4 business hours later on the company's
// calendar. Users are read from the database: the sample's first manager and its reps.
result<std::string> routing_document(Db& db) {
    ListOptions o;
    o.limit = 1000;
    CRM_TRY(auto users, db.users().list(o));
    std::optional<Id> manager;
    std::string pool;
    for (const auto& u : users.items) {
        if (!u.active) continue;
        if (u.role == UserRole::manager && !manager) manager = u.id;
        if (u.role == UserRole::rep) pool += fmt::format("{}{}", pool.empty() ? "" : ", ", u.id);
    }
    if (!manager) return make_error(errc::not_found, "the sample company has no manager to route to");
    const std::string kanto =
        pool.empty() ? std::string()
                     : fmt::format(R"(,
    {{"id": "kanto", "territory": "関東", "pool": [{0}]}},
    {{"id": "kansai", "territory": "関西", "pool": [{0}]}},
    {{"id": "overseas", "when": {{"not": {{"field": "address.country", "op": "equals", "value": "JP"}}}},
     "pool": [{0}]}})", pool);
    return fmt::format(R"({{
  "name": "インサイドセールス振り分け",
  "description": "MQL になった見込み客の担当割り当て",
  "calendar": "東京本社営業日",
  "fallback": {0},
  "territories": [
    {{"name": "関東", "field": "address.region", "values": ["東京都", "神奈川県", "千葉県", "埼玉県"]}},
    {{"name": "関西", "field": "address.region", "values": ["大阪府", "京都府", "兵庫県", "奈良県", "滋賀県"]}}
  ],
  "rules": [
    {{"id": "enterprise", "when": {{"field": "account.employee_count", "op": "range", "min": 1000}}, "owner": {0}}}{1}
  ],
  "capacity": 20,
  "follow_up": {{"title": "初回フォロー: {{contact}}", "due_hours": 4, "priority": "high"}},
  "timeline_items": 5
}})",
                       *manager, kanto);
}

}  // namespace

result<LeadSetup> setup_leads(Db& db, Timestamp at) noexcept {
    struct ClockScope {
        Db& db;
        bool set;
        ~ClockScope() {
            if (set) db.set_clock({});
        }
    } clock{db, at != 0};
    if (at != 0) db.set_clock([at] { return at; });
    auto tx = db.begin();
    if (!tx) return tx.error();
    LeadSetup out;
    // A model starts with no rules, so that the thresholds exist when its rules take
    // effect: the update then moves every score, and each contact that reaches 60
    // crosses MQL then (docs/sample.md).
    CRM_TRY(const std::string routing_doc, routing_document(db));
    auto routing = db.routing().define(routing_doc);
    if (!routing) return in_step(routing.error(), "routing");
    out.routing = routing.value().name;
    const std::pair<const char*, const char*> models[] = {{"勤怠管理", kAttendanceModel}, {"経費精算", kExpenseModel}};
    for (const auto& [name, doc] : models) {
        auto empty = db.scoring().define(fmt::format(R"({{"name":"{}"}})", name));
        if (!empty) return in_step(empty.error(), name);
        ThresholdDef t;
        t.name = fmt::format("{} MQL", name);
        t.model = name;
        t.enter = 60000;
        t.leave = 50000;
        t.stage = LifecycleStage::mql;
        if (auto d = db.thresholds().define(t); !d) return in_step(d.error(), t.name);
        if (auto r = db.routing().attach(t.name, out.routing); !r) return in_step(r.error(), t.name);
        if (auto u = db.scoring().update(doc); !u) return in_step(u.error(), name);
        auto crossed = db.thresholds().crossings(t.name);
        if (!crossed) return in_step(crossed.error(), t.name);
        out.crossings += static_cast<std::int64_t>(crossed.value().size());
        out.models.push_back(name);
        out.thresholds.push_back(t.name);
    }

    auto form = form_from_json(kForm);
    if (!form) return in_step(form.error(), "form");
    if (auto id = db.forms().define(form.value()); !id) return in_step(id.error(), "form");
    out.form = form.value().name;

    const std::pair<const char*, const char*> segments[] = {
        {"イベント参加・メール開封（60日）", "count(event_attendance) >= 1 and count(email opened, last 60d) >= 1"},
        {"料金ページを見た見込み客（30日）",
         "lifecycle_stage in ('lead', 'mql') and count(web_visit, url like '*/pricing*', last 30d) >= 1"},
    };
    for (const auto& [name, expr] : segments) {
        Segment s;
        s.name = name;
        s.definition = expr;
        if (auto id = db.segments().create(s); !id) return in_step(id.error(), name);
        out.segments.push_back(name);
    }
    if (auto c = tx.value().commit(); !c) return c.error();
    return out;
}

}  // namespace crm::sample
