// The one codec and the registry: to_json / from_json / merge_patch for every
// kind, documents that match the kind's description, and a consistent registry.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <set>

#include "helpers.hpp"

using namespace crm;

namespace {
template <class T> constexpr Entity kind_of = Entity::user;
template <> constexpr Entity kind_of<Team> = Entity::team;
template <> constexpr Entity kind_of<Account> = Entity::account;
template <> constexpr Entity kind_of<Contact> = Entity::contact;
template <> constexpr Entity kind_of<Product> = Entity::product;
template <> constexpr Entity kind_of<Campaign> = Entity::campaign;
template <> constexpr Entity kind_of<Pipeline> = Entity::pipeline;
template <> constexpr Entity kind_of<Deal> = Entity::deal;
template <> constexpr Entity kind_of<Interaction> = Entity::interaction;
template <> constexpr Entity kind_of<Ticket> = Entity::ticket;
template <> constexpr Entity kind_of<Task> = Entity::task;
template <> constexpr Entity kind_of<Document> = Entity::document;

// Every key path of a document: "name", "address.city" (objects of dotted fields only).
void keys_of(const nlohmann::json& doc, const std::string& prefix, std::set<std::string>& out, const EntityInfo& k) {
    for (auto it = doc.begin(); it != doc.end(); ++it) {
        const std::string key = prefix.empty() ? it.key() : prefix + "." + it.key();
        if (it.value().is_object() && !k.field(key)) keys_of(it.value(), key, out, k);
        else out.insert(key);
    }
}
}  // namespace

TEMPLATE_TEST_CASE("codec: to_json, from_json and merge_patch for every kind", "[codec][registry]", User, Team,
                   Account, Contact, Product, Campaign, Pipeline, Deal, Interaction, Ticket, Task, Document) {
    TestType v{};
    v.id = 42;
    v.external_id = "ext-42";
    v.tags = {"a", "b"};
    const std::string doc = to_json(v);
    auto back = from_json<TestType>(doc);
    REQUIRE(back);
    CHECK(to_json(back.value()) == doc);
    auto same = merge_patch(v, "{}");
    REQUIRE(same);
    CHECK(to_json(same.value()) == doc);
    auto patched = merge_patch(v, R"({"external_id":"ext-43","tags":null})");
    REQUIRE(patched);
    CHECK(patched.value().external_id == "ext-43");
    CHECK(patched.value().tags.empty());
    CHECK(patched.value().id == 42);  // the id cannot be patched
    auto id_patch = merge_patch(v, R"({"id":7})");
    REQUIRE(id_patch);
    CHECK(id_patch.value().id == 42);

    // The document holds exactly the fields the registry describes, in its order.
    auto j = nlohmann::json::parse(doc);
    const EntityInfo* info = entity_info(kind_of<TestType>);
    REQUIRE(info);
    std::set<std::string> keys;
    keys_of(j, "", keys, *info);
    std::set<std::string> described;
    for (const auto& f : info->fields) described.insert(std::string(f.key));
    CHECK(keys == described);
    CHECK(nlohmann::ordered_json::parse(doc).begin().key() == "id");  // document order: id first

    // Strict: an unknown key is refused, naming it.
    auto unknown = from_json<TestType>(R"({"no_such_field":1})");
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == errc::invalid_argument);
    CHECK(unknown.error().field == "no_such_field");
}

TEST_CASE("registry: every kind is described consistently", "[registry]") {
    std::set<std::string> names;
    std::set<int> codes;
    for (const auto* k : entity_kinds()) {
        INFO(k->name);
        CHECK(names.insert(std::string(k->name)).second);
        CHECK(codes.insert(k->c_code).second);
        CHECK(entity_info(k->entity) == k);
        CHECK(entity_info_by_c_code(k->c_code) == k);
        CHECK(entity_from_name(std::string(k->name)) == k->entity);
        std::set<std::string> keys, short_names;
        for (const auto& f : k->fields) {
            INFO(f.key);
            CHECK(keys.insert(std::string(f.key)).second);
            CHECK(short_names.insert(std::string(f.name)).second);
            CHECK_FALSE(f.help.empty());
            if (f.type == ValueType::enumeration) CHECK_FALSE(f.values.empty());
            if (f.type == ValueType::reference || f.type == ValueType::references) CHECK(entity_info(f.target));
        }
        for (const char* common : {"id", "external_id", "tags", "custom", "created_at", "updated_at"})
            CHECK(k->field(common));
        for (const auto& r : k->references) {
            INFO(r.field);
            CHECK(entity_info(r.target));
            CHECK_FALSE(r.label.empty());
        }
    }
    // The built-in kinds are the crm_entity values 1 … 13, in Entity order.
    REQUIRE(entity_kinds().size() == 13);
    for (std::size_t i = 0; i < 13; ++i) {
        CHECK(static_cast<std::size_t>(entity_kinds()[i]->entity) == i);
        CHECK(entity_kinds()[i]->c_code == static_cast<int>(i) + 1);
    }
    CHECK_FALSE(entity_info(static_cast<Entity>(99)));
    CHECK(std::string(entity_name(static_cast<Entity>(99))).empty());
}
