// Opens an in-memory database, stores a contact with a Japanese name and reads it back.
#include <crm/crm.hpp>

#include <cstdio>

int main() {
    auto db = crm::Db::open(":memory:");
    if (!db) {
        std::fprintf(stderr, "open: %s\n", db.error().message.c_str());
        return 1;
    }
    crm::Contact c;
    c.name = "山田 太郎";
    c.name_reading = "ヤマダ タロウ";
    c.emails = {{"taro@example.jp", "work", true}};
    auto id = db.value().contacts().create(c);
    if (!id) {
        std::fprintf(stderr, "create: %s\n", id.error().message.c_str());
        return 1;
    }
    auto back = db.value().contacts().get(id.value());
    if (!back) {
        std::fprintf(stderr, "get: %s\n", back.error().message.c_str());
        return 1;
    }
    const auto* email = back.value().primary_email();
    std::printf("crm %s: contact %lld %s (%s) <%s>\n", crm::version(), static_cast<long long>(id.value()),
                back.value().name.c_str(), back.value().name_reading.c_str(), email ? email->address.c_str() : "");
    // Failures are values, not exceptions.
    auto missing = db.value().contacts().get(id.value() + 1000);
    if (missing || missing.error().code != crm::errc::not_found) return 1;
    std::printf("missing contact: %s\n", crm::errc_name(missing.error().code));
    return 0;
}
