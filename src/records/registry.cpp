// The registry: the one list of entity kinds. Each kind's entry is built from the
// descriptor kept beside the kind's own code; adding a kind adds one line here
// (docs/architecture.md, "Adding an entity kind").
#include "records/registry.hpp"

#include <mutex>
#include <stdexcept>

namespace crm {

namespace records {
// Defined beside each kind's descriptor.
const KindEntry& user_kind();
const KindEntry& team_kind();
const KindEntry& account_kind();
const KindEntry& contact_kind();
const KindEntry& product_kind();
const KindEntry& campaign_kind();
const KindEntry& pipeline_kind();
const KindEntry& deal_kind();
const KindEntry& interaction_kind();
const KindEntry& ticket_kind();
const KindEntry& task_kind();
const KindEntry& document_kind();
const KindEntry& segment_kind();

namespace {
struct Registry {
    std::vector<const KindEntry*> kinds;
    std::vector<const EntityInfo*> infos;
};

Registry& registry() {
    static Registry r = [] {
        Registry x;
        x.kinds = {&user_kind(),     &team_kind(),        &account_kind(), &contact_kind(),
                   &product_kind(),  &campaign_kind(),    &pipeline_kind(), &deal_kind(),
                   &interaction_kind(), &ticket_kind(),   &task_kind(),    &document_kind(),
                   &segment_kind()};
        for (const auto* k : x.kinds) x.infos.push_back(&k->info);
        return x;
    }();
    return r;
}
}  // namespace

const std::vector<const KindEntry*>& kinds() noexcept { return registry().kinds; }

const KindEntry* find(Entity e) noexcept {
    const auto& all = kinds();
    const auto i = static_cast<std::size_t>(e);
    if (i < all.size() && all[i]->info.entity == e) return all[i];  // the built-in kinds, in Entity order
    for (const auto* k : all)
        if (k->info.entity == e) return k;
    return nullptr;
}

const KindEntry* find(std::string_view name) noexcept {
    for (const auto* k : kinds())
        if (k->info.name == name) return k;
    return nullptr;
}

void add_kind(const KindEntry& entry) {
    auto& r = registry();
    if (find(entry.info.entity) || find(entry.info.name)) throw std::logic_error("kind already registered");
    r.kinds.push_back(&entry);
    r.infos.push_back(&entry.info);
}

void remove_kind(Entity e) {
    auto& r = registry();
    for (std::size_t i = 0; i < r.kinds.size(); ++i)
        if (r.kinds[i]->info.entity == e) {
            r.kinds.erase(r.kinds.begin() + static_cast<std::ptrdiff_t>(i));
            r.infos.erase(r.infos.begin() + static_cast<std::ptrdiff_t>(i));
            return;
        }
}

const char* table_of(Entity e) {
    if (const auto* k = find(e)) return k->table;
    throw std::logic_error("not an entity kind: " + std::to_string(static_cast<int>(e)));
}

const FieldView* KindEntry::field(std::string_view key_or_name) const noexcept {
    for (const auto& f : fields)
        if (f.info->key == key_or_name) return &f;
    for (const auto& f : fields)
        if (f.info->name == key_or_name) return &f;
    return nullptr;
}

}  // namespace records

// ---- public: crm/entities.hpp, crm/types.hpp ------------------------------------

std::span<const EntityInfo* const> entity_kinds() noexcept { return records::registry().infos; }

const EntityInfo* entity_info(Entity e) noexcept {
    const auto* k = records::find(e);
    return k ? &k->info : nullptr;
}

const EntityInfo* entity_info_by_c_code(int c_code) noexcept {
    for (const auto* k : records::kinds())
        if (k->info.c_code == c_code) return &k->info;
    return nullptr;
}

const FieldInfo* EntityInfo::field(std::string_view key_or_name) const noexcept {
    for (const auto& f : fields)
        if (f.key == key_or_name) return &f;
    for (const auto& f : fields)
        if (f.name == key_or_name) return &f;
    return nullptr;
}

const char* entity_name(Entity e) noexcept {
    const auto* k = records::find(e);
    return k ? k->info.name.data() : "";
}

std::optional<Entity> entity_from_name(const std::string& name) noexcept {
    if (const auto* k = records::find(std::string_view(name))) return k->info.entity;
    return std::nullopt;
}

const char* to_string(ValueType t) noexcept {
    static constexpr const char* names[] = {"text", "integer", "boolean", "time", "date", "money", "reference",
                                            "references", "enumeration", "list", "links", "tags", "custom"};
    const auto i = static_cast<std::size_t>(t);
    return i < std::size(names) ? names[i] : "";
}

}  // namespace crm
