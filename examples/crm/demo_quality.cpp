// demo_quality.cpp — the data-quality part of `crm demo` (MISSION D2–D4): a stack of
// business cards (名刺) typed into a spreadsheet is imported through db.imports() — one
// card is a known contact whose e-mail was typed in capitals (updated), one is a known
// contact met again with a new address (created: a duplicate), the others are new — then
// db.dedup() finds the duplicate and merges it into the older record, and db.search()
// answers Japanese queries. Everything goes through the public API, as any application's
// would; the cards are made from the sample's own people, so any seed and size works.
#include <algorithm>
#include <sstream>

#include <fmt/format.h>

#include "cli.hpp"
#include "demo_tour.hpp"

namespace cli::tour {

namespace {

// ヤマダ タロウ → やまだ たろう (katakana U+30A1…U+30F6 to hiragana; the rest as it is).
std::string hiragana(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        const auto c0 = static_cast<unsigned char>(s[i]);
        if (c0 == 0xE3 && i + 2 < s.size()) {
            const unsigned cp = ((c0 & 0x0Fu) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 6) |
                                (static_cast<unsigned char>(s[i + 2]) & 0x3Fu);
            if (cp >= 0x30A1 && cp <= 0x30F6) {
                const unsigned h = cp - 0x60;
                out += static_cast<char>(0xE0 | (h >> 12));
                out += static_cast<char>(0x80 | ((h >> 6) & 0x3F));
                out += static_cast<char>(0x80 | (h & 0x3F));
                i += 3;
                continue;
            }
        }
        out += s[i++];
    }
    return out;
}

std::size_t code_points(const std::string& s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

bool starts_with(const std::string& s, const std::string& p) { return s.compare(0, p.size(), p) == 0; }
bool ends_with(const std::string& s, const std::string& p) {
    return s.size() >= p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0;
}

// The company as a business card writes it: 株式会社みらい → ㈱みらい, みらい株式会社 → みらい㈱.
// Empty for a name without a Japanese legal form.
std::string card_company(const std::string& name) {
    static const std::pair<const char*, const char*> forms[] = {
        {"株式会社", "㈱"}, {"有限会社", "㈲"}, {"合同会社", "(同)"}};
    for (const auto& [long_form, short_form] : forms) {
        if (starts_with(name, long_form)) return short_form + name.substr(std::string(long_form).size());
        if (ends_with(name, long_form)) return name.substr(0, name.size() - std::string(long_form).size()) + short_form;
    }
    return {};
}

// The company's name without its legal form (株式会社みらい → みらい).
std::string company_core(const std::string& name) {
    for (const char* f : {"株式会社", "有限会社", "合同会社"}) {
        const std::string form = f;
        if (starts_with(name, form)) return name.substr(form.size());
        if (ends_with(name, form)) return name.substr(0, name.size() - form.size());
    }
    return name;
}

std::string upper_ascii(std::string s) {
    for (auto& c : s)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return s;
}

std::string csv_cell(const std::string& s) {
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

struct Known {
    crm::Contact contact;
    crm::Account account;
};

// Japanese contacts (a name "family given" with a reading) with an e-mail, employed by a
// company with a Japanese legal form, in id order; at most one per company.
std::vector<Known> known_people(crm::Db& db, crm::Id avoid, std::size_t want) {
    std::vector<Known> out;
    std::vector<crm::Id> companies;
    crm::ListOptions o;
    o.limit = 500;
    for (;;) {
        auto page = must(db.contacts().list(o));
        for (auto& c : page.items) {
            if (out.size() == want) return out;
            if (c.id == avoid || c.name_reading.empty() || c.emails.empty() || !c.account_id ||
                c.name.find(' ') == std::string::npos || c.title.empty())
                continue;
            if (std::find(companies.begin(), companies.end(), *c.account_id) != companies.end()) continue;
            auto a = db.accounts().get(*c.account_id);
            if (!a || card_company(a.value().name).empty()) continue;
            companies.push_back(*c.account_id);
            out.push_back({std::move(c), std::move(a).value()});
        }
        if (page.next.empty()) return out;
        o.after = page.next;
    }
}

std::string domain_of(const std::string& email) {
    const auto at = email.find('@');
    return at == std::string::npos ? std::string("example.jp") : email.substr(at + 1);
}

// The contact an address now belongs to (0: none).
crm::Id contact_with(crm::Db& db, const std::string& email) {
    crm::ListOptions o;
    o.where = {{"emails", crm::Op::contains, email}};
    o.limit = 2;
    auto page = db.contacts().list(o);
    return page && page.value().items.size() == 1 ? page.value().items.front().id : 0;
}

}  // namespace

std::optional<Quality> run_quality(crm::Db& db, crm::Id avoid_contact) {
    const auto people = known_people(db, avoid_contact, 3);
    if (people.size() < 3) return std::nullopt;
    const auto& known = people[0];  // met again, e-mail typed in capitals
    const auto& again = people[1];  // met again, with a new address: a duplicate
    const auto& colleague = people[2];  // a new colleague of this one

    Quality q;
    const std::string given_family = [&] {  // "taro.yamada.12@…" → "yamada.taro@…"
        const std::string local = again.contact.emails.front().address.substr(0, again.contact.emails.front().address.find('@'));
        const auto dot = local.find('.');
        const auto dot2 = dot == std::string::npos ? dot : local.find('.', dot + 1);
        if (dot == std::string::npos || dot2 == std::string::npos) return fmt::format("meishi.{}", again.contact.id);
        return fmt::format("{}.{}", local.substr(dot + 1, dot2 - dot - 1), local.substr(0, dot));
    }();
    const std::string family = again.contact.name.substr(0, again.contact.name.find(' '));
    const std::string given = again.contact.name.substr(again.contact.name.find(' ') + 1);

    q.cards.push_back({known.contact.name, known.contact.name_reading, card_company(known.account.name),
                       known.contact.title == "部長" ? "執行役員" : "部長", upper_ascii(known.contact.emails.front().address),
                       "", fmt::format("contact {}'s e-mail, typed in capitals; a new title", known.contact.id), "", 0});
    q.cards.push_back({family + "\u3000" + given, hiragana(again.contact.name_reading), card_company(again.account.name),
                       again.contact.title, given_family + "@" + domain_of(again.contact.emails.front().address),
                       "080-4127-0142",
                       fmt::format("contact {} again: a new e-mail and mobile, reading in hiragana", again.contact.id), "", 0});
    const std::string colleague_domain = domain_of(colleague.contact.emails.front().address);
    q.cards.push_back({"佐々木 美咲", "ささき みさき", card_company(colleague.account.name), "課長",
                       "misaki.sasaki@" + colleague_domain, "03-6555-0201",
                       fmt::format("new, at {}", colleague.account.name), "", 0});
    q.cards.push_back({"藤原 健一", "ふじわら けんいち", "㈱さくら精機", "代表取締役", "k.fujiwara@sakura-seiki.example.jp",
                       "06-6555-0202", "new, at a company not in the CRM yet", "", 0});
    q.cards.push_back({"小川 直子", "おがわ なおこ", "さくら精機株式会社", "総務部長", "n.ogawa@sakura-seiki.example.jp",
                       "+81 6 6555 0203", "new, at the same new company (its other legal form)", "", 0});

    std::string csv = "氏名,フリガナ,会社名,役職,メール,電話\r\n";
    for (const auto& c : q.cards)
        csv += fmt::format("{},{},{},{},{},{}\r\n", csv_cell(c.name), csv_cell(c.reading), csv_cell(c.company),
                           csv_cell(c.title), csv_cell(c.email), csv_cell(c.phone));
    q.mapping = R"({"kind": "contact",
  "fields": [{"column": "氏名", "field": "name"},
             {"column": "フリガナ", "field": "name_reading"},
             {"column": "会社名", "field": "account_id", "by": "name", "missing": "create"},
             {"column": "役職", "field": "title"},
             {"column": "メール", "field": "emails", "label": "work"},
             {"column": "電話", "field": "phones", "label": "work"},
             {"field": "tags", "value": "名刺"}],
  "match": ["email", "phone"], "on_duplicate": "update"})";
    const auto mapping = must(crm::import::parse_mapping(q.mapping));
    crm::import::Options o;
    q.source = "名刺_2026-11.csv";
    o.source_name = q.source;
    std::istringstream in(csv);
    q.report = must(db.imports().run(mapping, in, o));

    for (auto& c : q.cards) {
        std::string lower = c.email;
        for (auto& ch : lower)
            if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
        c.contact_id = contact_with(db, lower);
        if (c.contact_id == known.contact.id) c.outcome = fmt::format("updated contact {}", c.contact_id);
        else if (c.contact_id != 0) c.outcome = fmt::format("created contact {}", c.contact_id);
    }
    q.existing_id = again.contact.id;
    q.card_id = q.cards[1].contact_id;
    q.person = again.contact.name;

    // The duplicate the cards made: found by name and company, merged into the older record.
    const auto pairs = must(db.dedup().find({crm::Entity::contact, q.min_score, 10000}));
    q.pairs = pairs.size();
    for (const auto& p : pairs)
        if (q.card_id != 0 && std::minmax(p.a, p.b) == std::minmax(q.existing_id, q.card_id)) q.pair = p;
    if (q.pair) {
        const auto a = must(db.contacts().get(q.pair->a)), b = must(db.contacts().get(q.pair->b));
        const bool a_older = std::tie(a.created_at, a.id) < std::tie(b.created_at, b.id);
        q.merge = must(db.dedup().merge(crm::Entity::contact, a_older ? a.id : b.id, a_older ? b.id : a.id));
        auto gone = db.contacts().get(q.merge->merged_id);
        q.read_merged = gone ? "still there" : gone.error().message;
        q.merged_into = must(db.dedup().merged_into(crm::Entity::contact, q.merge->merged_id));
    }

    // Japanese search: a short family name (the one-and-two-character index), a reading
    // typed in katakana that the cards wrote in hiragana, a company name without its form.
    const std::string short_name = code_points(family) <= 2 ? family : std::string("田中");
    const std::string core = company_core(colleague.account.name);
    for (auto [text, what] : std::initializer_list<std::pair<std::string, std::string>>{
             {short_name, fmt::format("a family name of {} character{} (the short-query index)", code_points(short_name),
                                      code_points(short_name) == 1 ? "" : "s")},
             {"ササキ", "a reading in katakana; the card wrote ささき"},
             {core, "a company's name without its legal form"}}) {
        crm::SearchOptions so;
        so.limit = 3;
        q.searches.push_back({text, what, must(db.search().query(text, so))});
    }
    return q;
}

}  // namespace cli::tour
