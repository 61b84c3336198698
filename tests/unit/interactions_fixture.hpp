// Test fixture shared by the interaction tests: a company with two contacts,
// a contact of another company and a user; make() builds an interaction.
#pragma once

#include <string>
#include <vector>

#include "helpers.hpp"

namespace interactions_fixture {
using namespace crm;
constexpr Timestamp kT0 = 1'760'000'000'000;  // 2025-10-09

inline Interaction make(const std::string& kind, Timestamp at, std::vector<Id> contacts, const std::string& subject = {}) {
    Interaction i;
    i.kind = kind;
    i.occurred_at = at;
    i.contact_ids = std::move(contacts);
    i.subject = subject;
    return i;
}

inline std::vector<Id> ids_of(const Page<Interaction>& p) {
    std::vector<Id> out;
    for (const auto& i : p.items) out.push_back(i.id);
    return out;
}

struct Fixture {
    testing::TempDir dir;
    std::string path = dir.file("crm.db");
    Db db = Db::open(path).value();
    Id account = 0, taro = 0, hanako = 0, other = 0, user = 0;
    Fixture() {
        Account a;
        a.name = "株式会社サンプル";
        account = db.accounts().create(a).value();
        auto c = testing::contact("山田 太郎", "taro@example.jp");
        c.account_id = account;
        taro = db.contacts().create(c).value();
        c = testing::contact("佐藤 花子", "hanako@example.jp");
        c.account_id = account;
        hanako = db.contacts().create(c).value();
        other = db.contacts().create(testing::contact("鈴木 一郎", "ichiro@other.example")).value();
        User u;
        u.name = "営業 担当";
        u.email = "sales@corp.example";
        user = db.users().create(u).value();
    }
};

// A tracking event of a type at a time (url for clicked).
inline crm::EmailEvent event(crm::EmailEventType type, crm::Timestamp at, std::string url = {}) {
    crm::EmailEvent e;
    e.type = type;
    e.at = at;
    e.url = std::move(url);
    return e;
}
}  // namespace interactions_fixture
