// Forms and lead capture (C1, C2): definitions checked against the registry,
// progressive profiling, every error at once with nothing stored, the submission
// interaction and first/latest touch.
#include <catch2/catch.hpp>

#include <algorithm>

#include "helpers.hpp"

using namespace crm;

namespace {

constexpr Timestamp kDay = 86'400'000;

FormField field(std::string name, FormFieldType type, std::string maps_to = {}, bool required = false) {
    FormField f;
    f.name = std::move(name);
    f.type = type;
    f.maps_to = std::move(maps_to);
    f.required = required;
    return f;
}

Form lead_form(OnConflict rule = OnConflict::keep) {
    Form f;
    f.name = "contact-us";
    f.title = "お問い合わせ";
    f.source = "web";
    f.on_conflict = rule;
    f.fields = {field("email", FormFieldType::email, "contact.email", true),
                field("name", FormFieldType::text, "contact.name"),
                field("title", FormFieldType::text, "contact.title"),
                field("dept", FormFieldType::text, "contact.department"),
                field("tel", FormFieldType::phone, "contact.phones"),
                field("company", FormFieldType::text, "account.name"),
                field("industry", FormFieldType::text, "account.industry"),
                field("newsletter", FormFieldType::consent, "contact.consent.email"),
                field("message", FormFieldType::text)};
    f.fields[1].max_length = 20;
    auto plan = field("plan", FormFieldType::choice);
    plan.choices = {"無料", "スタンダード", "エンタープライズ"};
    f.fields.push_back(plan);
    return f;
}

bool has(const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

struct Fixture {
    testing::TempDir dir;
    std::string path = dir.file("forms.crm");
    Db db = Db::open(path).value();
    testing::FakeClock clock;
    Fixture() { clock.install(db); }
};

}  // namespace

TEST_CASE("forms: a definition is stored, versioned and listed", "[forms]") {
    Fixture fx;
    auto& db = fx.db;
    Id id = db.forms().define(lead_form()).value();
    Form f = db.forms().get(id).value();
    CHECK(f.version == 1);
    CHECK(f.fields[0].maps_to == "contact.emails");  // short name made canonical
    CHECK(f.fields[7].maps_to == "contact.consent.email");
    CHECK(db.forms().get_by_name("contact-us").value().id == id);

    // An update that changes nothing keeps the version; a change makes the next one.
    REQUIRE(db.forms().update(f));
    CHECK(db.forms().get(id).value().version == 1);
    f.title = "資料請求";
    fx.clock.advance(1000);
    REQUIRE(db.forms().update(f));
    CHECK(db.forms().get(id).value().version == 2);
    auto versions = db.forms().versions(id).value();
    REQUIRE(versions.size() == 2);
    CHECK(versions[0].op == "define");
    CHECK(versions[1].op == "update");
    CHECK(form_from_json(versions[0].definition).value().title == "お問い合わせ");
    CHECK(form_from_json(versions[1].definition).value().title == "資料請求");

    // JSON round trip.
    auto back = form_from_json(to_json(db.forms().get(id).value())).value();
    CHECK(back.fields.size() == f.fields.size());
    CHECK(back.fields[9].choices == std::vector<std::string>{"無料", "スタンダード", "エンタープライズ"});

    Form other = lead_form();
    CHECK(db.forms().define(other).error().code == errc::already_exists);
    other.name = "seminar";
    REQUIRE(db.forms().define(other));
    auto all = db.forms().list().value();
    REQUIRE(all.size() == 2);
    CHECK(all[0].name == "contact-us");

    REQUIRE(db.forms().remove(id));
    CHECK(db.forms().get(id).error().code == errc::not_found);
    CHECK(db.forms().versions(id).value().back().op == "remove");
}

TEST_CASE("forms: mapping to an unknown or unfillable field is refused at definition", "[forms]") {
    Fixture fx;
    auto& db = fx.db;
    const std::string before = testing::dump(fx.path);
    auto refused = [&](Form f, const std::string& field) {
        auto r = db.forms().define(f);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == errc::invalid_argument);
        CHECK(r.error().field == field);
    };
    Form f = lead_form();
    f.fields[2].maps_to = "contact.job_title";  // no such field
    refused(f, "fields[2].maps_to");
    f = lead_form();
    f.fields[2].maps_to = "contact.custom.rank";  // not defined
    refused(f, "fields[2].maps_to");
    f = lead_form();
    f.fields[2].maps_to = "contact.owner_id";  // a reference
    refused(f, "fields[2].maps_to");
    f = lead_form();
    f.fields[2].maps_to = "deal.title";  // not a contact or account
    refused(f, "fields[2].maps_to");
    f = lead_form();
    f.fields[4].type = FormFieldType::text;  // text cannot fill phones
    refused(f, "fields[4].maps_to");
    f = lead_form();
    f.fields[0].required = false;  // no identity
    refused(f, "fields");
    f = lead_form();
    f.fields[5].maps_to = "";  // account.industry without account.name
    refused(f, "fields[6].maps_to");
    f = lead_form();
    f.fields[3].maps_to = "contact.title";  // twice
    refused(f, "fields[3].maps_to");
    f = lead_form();
    f.fields[9].choices.clear();
    refused(f, "fields[9].choices");
    f = lead_form();
    f.fields[8].name = "bad name";
    refused(f, "fields[8].name");
    f = lead_form();
    f.name = "Contact Us";
    refused(f, "name");
    f = lead_form();
    f.campaign_id = 99;
    CHECK(db.forms().define(f).error().code == errc::not_found);
    CHECK(testing::dump(fx.path) == before);

    // Once the custom field exists, the mapping is accepted; a choice must fit its options.
    CustomFieldDef rank;
    rank.entity = Entity::contact;
    rank.name = "rank";
    rank.type = FieldType::enumeration;
    rank.options = {"A", "B"};
    REQUIRE(db.custom_fields().define(rank));
    f = lead_form();
    f.fields[9].maps_to = "contact.custom.rank";
    refused(f, "fields[9].maps_to");  // 無料 … are not A/B
    f.fields[9].choices = {"A"};
    CHECK(db.forms().define(f));
}

TEST_CASE("forms: progressive profiling over several submissions (keep)", "[forms]") {
    Fixture fx;
    auto& db = fx.db;
    Id form = db.forms().define(lead_form(OnConflict::keep)).value();

    // 1: only an email: a contact with the address as a placeholder name.
    auto r1 = db.forms().submit(form, {{"email", "Taro@Example.JP"}}).value();
    CHECK(r1.created);
    Contact c = db.contacts().get(r1.contact_id).value();
    CHECK(c.name == "Taro@Example.JP");
    CHECK(c.lead_source == "web");
    CHECK(c.emails.size() == 1);

    // 2: same person, other case: found; name replaces the placeholder, title added.
    fx.clock.advance(kDay);
    auto r2 = db.forms().submit(form, {{"email", "taro@example.jp"}, {"name", "山田 太郎"}, {"title", "部長"},
                                       {"newsletter", "on"}}).value();
    CHECK_FALSE(r2.created);
    CHECK(r2.contact_id == r1.contact_id);
    CHECK(has(r2.changed, "contact.name"));
    CHECK(has(r2.changed, "contact.title"));
    CHECK(has(r2.changed, "contact.consent.email"));
    c = db.contacts().get(r1.contact_id).value();
    CHECK(c.name == "山田 太郎");
    CHECK(c.title == "部長");
    CHECK(c.consent.email);

    // 3: empty and missing values erase nothing; a different title is kept; consent is never withdrawn.
    fx.clock.advance(kDay);
    auto r3 = db.forms().submit(form, {{"email", "TARO@example.jp"}, {"name", ""}, {"title", "社長"},
                                       {"dept", "営業部"}, {"newsletter", "false"}}).value();
    CHECK(r3.kept == std::vector<std::string>{"contact.title"});
    CHECK(r3.changed == std::vector<std::string>{"contact.department"});
    c = db.contacts().get(r1.contact_id).value();
    CHECK(c.name == "山田 太郎");
    CHECK(c.title == "部長");
    CHECK(c.department == "営業部");
    CHECK(c.consent.email);

    // Every change is in the contact's history, through the update path.
    auto hist = db.contacts().history(r1.contact_id).value();
    auto changed = [&](const std::string& f) {
        return std::count_if(hist.begin(), hist.end(), [&](const Change& x) { return x.field == f; });
    };
    CHECK(changed("*") == 1);
    CHECK(changed("name") == 1);
    CHECK(changed("title") == 1);
    CHECK(changed("department") == 1);
    CHECK(changed("consent.email") == 1);

    // A submission that adds nothing writes no contact history.
    const auto n = hist.size();
    auto r4 = db.forms().submit(form, {{"email", "taro@example.jp"}, {"title", "部長"}}).value();
    CHECK(r4.changed.empty());
    CHECK(r4.kept.empty());
    CHECK(db.contacts().history(r1.contact_id).value().size() == n);
    CHECK(db.contacts().count().value() == 1);
}

TEST_CASE("forms: overwrite per form and keep per field", "[forms]") {
    Fixture fx;
    auto& db = fx.db;
    Form f = lead_form(OnConflict::overwrite);
    f.fields[3].on_conflict = OnConflict::keep;  // department is kept
    Id form = db.forms().define(f).value();
    auto r = db.forms().submit(form, {{"email", "hanako@example.jp"}, {"name", "佐藤 花子"}, {"title", "主任"},
                                      {"dept", "総務部"}}).value();
    auto r2 = db.forms().submit(form, {{"email", "hanako@example.jp"}, {"name", "鈴木 花子"}, {"title", "課長"},
                                       {"dept", "人事部"}}).value();
    CHECK(has(r2.changed, "contact.name"));
    CHECK(has(r2.changed, "contact.title"));
    CHECK(r2.kept == std::vector<std::string>{"contact.department"});
    Contact c = db.contacts().get(r.contact_id).value();
    CHECK(c.name == "鈴木 花子");
    CHECK(c.title == "課長");
    CHECK(c.department == "総務部");
    // The actor is on the history rows.
    User u;
    u.name = "受付";
    u.email = "uketsuke@example.co.jp";
    Id uid = db.users().create(u).value();
    db.set_actor(uid);
    REQUIRE(db.forms().submit(form, {{"email", "hanako@example.jp"}, {"title", "部長"}}));
    auto hist = db.contacts().history(r.contact_id).value();
    CHECK(hist.back().field == "title");
    CHECK(hist.back().actor_id == uid);
}

TEST_CASE("forms: phones and emails are added, never replaced", "[forms]") {
    Fixture fx;
    auto& db = fx.db;
    Form f = lead_form();
    f.fields.push_back(field("email2", FormFieldType::email, "contact.emails"));
    Id form = db.forms().define(f).value();
    auto r = db.forms().submit(form, {{"email", "a@example.jp"}, {"tel", "03-1234-5678"}}).value();
    db.forms().submit(form, {{"email", "a@example.jp"}, {"tel", "０３ １２３４ ５６７８"}, {"email2", "A2@example.jp"}})
        .value();
    db.forms().submit(form, {{"email", "a@example.jp"}, {"tel", "090-0000-1111"}}).value();
    Contact c = db.contacts().get(r.contact_id).value();
    REQUIRE(c.phones.size() == 2);  // the full-width number is the same digits
    CHECK(c.phones[0].number == "03-1234-5678");
    CHECK(c.phones[1].number == "090-0000-1111");
    REQUIRE(c.emails.size() == 2);
    CHECK(c.emails[0].primary);
    // The second address finds the same contact.
    auto again = db.forms().submit(form, {{"email", "a2@EXAMPLE.jp"}}).value();
    CHECK(again.contact_id == r.contact_id);
    // Another contact's address is not taken from them: kept, and the rest goes through.
    auto other = db.forms().submit(form, {{"email", "b@example.jp"}, {"email2", "A@example.jp"}, {"tel", "011-222-3333"}})
                     .value();
    CHECK(other.contact_id != r.contact_id);
    CHECK(other.created);
    CHECK(other.kept == std::vector<std::string>{"contact.emails"});
    CHECK(db.contacts().get(other.contact_id).value().emails.size() == 1);
    CHECK(db.contacts().get(other.contact_id).value().phones.size() == 1);
}

TEST_CASE("forms: accounts by normalized company name, Japanese forms", "[forms]") {
    Fixture fx;
    auto& db = fx.db;
    CHECK(company_match_key("株式会社サンプル") == company_match_key("(株)サンプル"));
    CHECK(company_match_key("株式会社サンプル") == company_match_key("㈱ｻﾝﾌﾟﾙ"));
    CHECK(company_match_key("株式会社サンプル") == company_match_key("サンプル　株式会社"));
    CHECK(company_match_key("（株）サンプル") == company_match_key("株式会社 サンプル"));
    CHECK(company_match_key("Acme Co., Ltd.") == company_match_key("ＡＣＭＥ"));
    CHECK(company_match_key("ｶﾞｲｱ") == company_match_key("ガイア"));
    CHECK(company_match_key("サンプル") != company_match_key("サンプラー"));

    Account existing;
    existing.name = "株式会社サンプル";
    Id acc = db.accounts().create(existing).value();
    Id form = db.forms().define(lead_form()).value();
    auto r = db.forms().submit(form, {{"email", "k@sample.co.jp"}, {"company", "(株)ｻﾝﾌﾟﾙ"},
                                      {"industry", "製造業"}}).value();
    REQUIRE(r.account_id);
    CHECK(*r.account_id == acc);
    CHECK_FALSE(r.account_created);
    CHECK(db.contacts().get(r.contact_id).value().account_id == acc);
    Account a = db.accounts().get(acc).value();
    CHECK(a.name == "株式会社サンプル");  // the known name stays
    CHECK(a.industry == "製造業");
    CHECK(has(r.changed, "account.industry"));

    auto r2 = db.forms().submit(form, {{"email", "n@new.co.jp"}, {"company", "新規商事株式会社"}}).value();
    CHECK(r2.account_created);
    CHECK(db.accounts().get(*r2.account_id).value().name == "新規商事株式会社");
    CHECK(db.accounts().count().value() == 2);

    // A contact at another company keeps it under keep.
    auto r3 = db.forms().submit(form, {{"email", "k@sample.co.jp"}, {"company", "新規商事(株)"}}).value();
    CHECK(r3.account_id == r2.account_id);
    CHECK(has(r3.kept, "contact.account_id"));
    CHECK(db.contacts().get(r.contact_id).value().account_id == acc);
}

TEST_CASE("forms: every error at once, and nothing stored", "[forms]") {
    Fixture fx;
    auto& db = fx.db;
    Id form = db.forms().define(lead_form()).value();
    REQUIRE(db.forms().submit(form, {{"email", "known@example.jp"}, {"name", "既知"}}));
    const std::string before = testing::dump(fx.path);
    FormValues bad = {{"email", "not-an-email"},
                      {"plan", "プレミアム"},
                      {"tel", "abc"},
                      {"newsletter", "maybe"},
                      {"favourite", "x"}};
    bad["name"] = "あいうえおかきくけこさしすせそたちつてとな";  // 21 characters
    auto errors = db.forms().check(form, bad).value();
    std::vector<std::string> fields;
    for (const auto& e : errors) fields.push_back(e.field);
    CHECK(fields == std::vector<std::string>{"email", "name", "tel", "newsletter", "plan", "favourite"});
    CHECK(errors[1].message == "is longer than 20 characters");
    CHECK(errors[5].message == "is not a field of form 'contact-us'");

    auto r = db.forms().submit(form, bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::invalid_argument);
    CHECK(r.error().field == "email");
    CHECK(r.error().message.find("6 fields refused") != std::string::npos);
    CHECK(r.error().message.find("plan: 'プレミアム' is not one of 無料, スタンダード, エンタープライズ") !=
          std::string::npos);
    CHECK(testing::dump(fx.path) == before);

    // A required field missing, and a bad one, on a known contact: still nothing.
    auto r2 = db.forms().submit(form, {{"name", "x"}, {"company", std::string("\xff")}});
    REQUIRE_FALSE(r2);
    auto e2 = db.forms().check(form, {{"name", "x"}, {"company", std::string("\xff")}}).value();
    REQUIRE(e2.size() == 2);
    CHECK(e2[0].field == "email");
    CHECK(e2[0].message == "is required");
    CHECK(e2[1].field == "company");
    CHECK(testing::dump(fx.path) == before);

    // An unknown key is named, shortened when long.
    auto e3 = db.forms().check(form, {{"email", "known@example.jp"}, {std::string(1000, 'k'), "v"}}).value();
    REQUIRE(e3.size() == 1);
    CHECK(e3[0].field == std::string(64, 'k') + "…");

    // A future time, or one out of range, is refused too.
    SubmitMeta future;
    future.at = fx.clock.now.operator*() + kDay;
    CHECK(db.forms().submit(form, {{"email", "known@example.jp"}}, future).error().field == "at");
    CHECK(testing::dump(fx.path) == before);
    CHECK(db.forms().check(form, {{"email", "known@example.jp"}}).value().empty());
}

TEST_CASE("forms: a submission is an interaction with its UTM data", "[forms]") {
    Fixture fx;
    auto& db = fx.db;
    Id form = db.forms().define(lead_form()).value();
    SubmitMeta m;
    m.utm_source = "google";
    m.utm_medium = "cpc";
    m.utm_campaign = "spring";
    m.url = "https://example.jp/contact";
    m.referrer = "https://www.google.com/";
    auto r = db.forms().submit(form, {{"email", "t@example.jp"}, {"message", "資料をください"}, {"company", "テスト(株)"}},
                               m).value();
    Interaction i = db.interactions().get(r.interaction_id).value();
    CHECK(i.kind == "form_submission");
    CHECK(i.direction == Direction::inbound);
    CHECK(i.contact_ids == std::vector<Id>{r.contact_id});
    CHECK(i.account_ids == std::vector<Id>{*r.account_id});
    CHECK(i.url == "https://example.jp/contact");
    CHECK(i.referrer == "https://www.google.com/");
    CHECK(i.source == "google");
    CHECK(i.body.find("message: 資料をください") != std::string::npos);
    auto tl = db.interactions().timeline(Entity::contact, r.contact_id).value();
    REQUIRE(tl.items.size() == 1);
    CHECK(tl.items[0].id == r.interaction_id);
    CHECK(db.interactions().timeline(Entity::account, *r.account_id).value().items.size() == 1);
    auto t = db.forms().touches(r.contact_id).value();
    REQUIRE(t.first);
    CHECK(t.first->source == "google");
    CHECK(t.first->medium == "cpc");
    CHECK(t.first->campaign == "spring");
    CHECK(t.first->form_id == form);
    CHECK(db.forms().touches(999).error().code == errc::not_found);
}

TEST_CASE("forms: first and latest touch by time, back-dated submissions included", "[forms]") {
    Fixture fx;
    auto& db = fx.db;
    Campaign camp;
    camp.name = "秋の DX セミナー";
    Id cid = db.campaigns().create(camp).value();
    Form f = lead_form();
    f.campaign_id = cid;
    Id form = db.forms().define(f).value();
    const Timestamp now = *fx.clock.now;
    auto submit = [&](Timestamp at, const std::string& source) {
        SubmitMeta m;
        m.at = at;
        m.utm_source = source;
        return db.forms().submit(form, {{"email", "touch@example.jp"}}, m).value();
    };
    auto a = submit(now - 10 * kDay, "newsletter");
    Id contact = a.contact_id;
    CHECK(db.contacts().get(contact).value().created_at == now - 10 * kDay);
    auto t = db.forms().touches(contact).value();
    CHECK(t.first->source == "newsletter");
    CHECK(t.latest->source == "newsletter");
    CHECK(t.first->campaign == "秋の DX セミナー");
    CHECK(t.first->campaign_id == cid);

    submit(now - 5 * kDay, "google");      // later: latest
    submit(now - 30 * kDay, "seminar");    // arrives last, happened first: first
    submit(now - 7 * kDay, "twitter");     // in between: neither
    t = db.forms().touches(contact).value();
    CHECK(t.count == 4);
    CHECK(t.first->source == "seminar");
    CHECK(t.first->at == now - 30 * kDay);
    CHECK(t.latest->source == "google");
    CHECK(t.latest->at == now - 5 * kDay);
    // lead_source was set once, by the first submission to arrive.
    CHECK(db.contacts().get(contact).value().lead_source == "newsletter");
    // The form's own source when there is no utm_source.
    submit(now, "");
    CHECK(db.forms().touches(contact).value().latest->source == "web");
}

TEST_CASE("forms: custom fields, numbers and dates", "[forms]") {
    Fixture fx;
    auto& db = fx.db;
    CustomFieldDef seats;
    seats.entity = Entity::contact;
    seats.name = "seats";
    seats.type = FieldType::integer;
    REQUIRE(db.custom_fields().define(seats));
    Form f = lead_form();
    f.fields.push_back(field("seats", FormFieldType::number, "contact.custom.seats"));
    f.fields.push_back(field("birthday", FormFieldType::date, "contact.birthday"));
    f.fields.push_back(field("employees", FormFieldType::number, "account.employee_count"));
    Id form = db.forms().define(f).value();
    auto r = db.forms().submit(form, {{"email", "n@example.jp"}, {"seats", "１，２００"}, {"birthday", "1990/04/01"},
                                      {"company", "数字(株)"}, {"employees", "300"}}).value();
    Contact c = db.contacts().get(r.contact_id).value();
    CHECK(std::get<std::int64_t>(c.custom.at("seats")) == 1200);
    CHECK(c.birthday == "1990-04-01");
    CHECK(db.accounts().get(*r.account_id).value().employee_count == 300);
    auto e = db.forms().check(form, {{"email", "n@example.jp"}, {"seats", "1.5"}, {"birthday", "1990-02-30"}}).value();
    REQUIRE(e.size() == 2);
    CHECK(e[0].field == "seats");
    CHECK(e[1].field == "birthday");
    // A custom field removed after the form was defined: a field error at submission, nothing stored.
    CustomFieldDef memo;
    memo.entity = Entity::contact;
    memo.name = "memo";
    REQUIRE(db.custom_fields().define(memo));
    Form g = lead_form();
    g.name = "with-memo";
    g.fields.push_back(field("memo", FormFieldType::text, "contact.custom.memo"));
    Id gid = db.forms().define(g).value();
    REQUIRE(db.custom_fields().remove(Entity::contact, "memo"));
    const std::string before = testing::dump(fx.path);
    auto r2 = db.forms().submit(gid, {{"email", "m@example.jp"}, {"memo", "x"}});
    REQUIRE_FALSE(r2);
    CHECK(r2.error().field == "memo");
    CHECK(testing::dump(fx.path) == before);
}

TEST_CASE("forms: JSON inputs are strict", "[forms]") {
    CHECK(form_values_from_json(R"({"email":"a@b.jp","n":12,"ok":true,"x":null})").value().size() == 3);
    CHECK(form_values_from_json(R"({"a":1,"a":2})").error().code == errc::invalid_argument);
    CHECK(form_values_from_json(R"({"a":[1]})").error().field == "a");
    CHECK(submit_meta_from_json(R"({"ip":"1.2.3.4"})").error().field == "ip");
    CHECK(submit_meta_from_json(R"({"at":"10000-01-01"})").error().field == "at");
    CHECK(submit_meta_from_json(R"({"at":"2026-01-01T00:00:00Z","utm_source":"x"})").value().utm_source == "x");
    CHECK(form_from_json(R"({"name":"x"})").error().field == "fields");
    CHECK(form_from_json(R"({"name":"x","fields":[{"type":"colour"}]})").error().field == "fields[0].type");
    CHECK(form_from_json(std::string(100000, '[')).error().code == errc::invalid_argument);
}

TEST_CASE("forms: patterns are a bounded glob", "[forms]") {
    Fixture fx;
    auto& db = fx.db;
    Form f = lead_form();
    auto zip = field("zip", FormFieldType::text, "contact.address.postal_code");
    zip.pattern = "###-####";
    auto code = field("code", FormFieldType::text);
    code.pattern = "[A-Z][^0-9]*-\\*?";
    f.fields.push_back(zip);
    f.fields.push_back(code);
    Id form = db.forms().define(f).value();
    CHECK(db.forms().get(form).value().fields[10].pattern == "###-####");
    auto errs = [&](const std::string& z, const std::string& c) {
        FormValues v{{"email", "p@example.jp"}};
        if (!z.empty()) v["zip"] = z;
        if (!c.empty()) v["code"] = c;
        std::vector<std::string> out;
        const auto errors = db.forms().check(form, v).value();
        for (const auto& e : errors) out.push_back(e.field);
        return out;
    };
    using V = std::vector<std::string>;
    CHECK(errs("100-0001", "").empty());
    CHECK(errs("１００-０００１", "").empty());  // full-width digits are digits
    CHECK(errs("1000001", "") == V{"zip"});
    CHECK(errs("100-00012", "") == V{"zip"});
    CHECK(errs("", "Aあいう-*x").empty());
    CHECK(errs("", "Ab-*x").empty());
    CHECK(errs("", "Ab-*") == V{"code"});  // '?' is exactly one character
    CHECK(errs("", "A1-*x") == V{"code"});
    CHECK(errs("", "a-*x") == V{"code"});
    CHECK(errs("", "Ab-xx") == V{"code"});  // '\*' is a literal star
    auto e = db.forms().check(form, {{"email", "p@example.jp"}, {"zip", "abc"}}).value();
    REQUIRE(e.size() == 1);
    CHECK(e[0].message == "'abc' does not match the pattern ###-####");

    // A long value against a pattern full of stars ends quickly: no backtracking blow-up.
    Form g = lead_form();
    g.name = "stars";
    auto s = field("s", FormFieldType::text);
    s.pattern = "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b";
    g.fields.push_back(s);
    Id gid = db.forms().define(g).value();
    CHECK(db.forms().check(gid, {{"email", "p@example.jp"}, {"s", std::string(60000, 'a')}}).value().size() == 1);

    // Bad patterns are refused at definition.
    for (const char* bad : {"[abc", "x\\", "[z-a]"}) {
        Form h = lead_form();
        h.name = "bad";
        auto x = field("x", FormFieldType::text);
        x.pattern = bad;
        h.fields.push_back(x);
        CHECK(db.forms().define(h).error().field == "fields[10].pattern");
    }
    Form h = lead_form();
    h.name = "bad";
    h.fields[9].pattern = "*";  // a choice has no pattern
    CHECK(db.forms().define(h).error().field == "fields[9].pattern");
}
