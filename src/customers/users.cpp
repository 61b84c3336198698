// Users and teams: the company's own people who own records and are assigned
// work. Their descriptors, rules, lookups and what deleting them means.
#include <fmt/format.h>

#include "customers/customers.hpp"
#include "records/kind_entry.hpp"
#include "store/customers_store.hpp"
#include "util/text.hpp"

namespace crm {

namespace records {
namespace {
using namespace caps;

constexpr const char* kRoles[] = {"rep", "agent", "manager", "admin", "other"};

constexpr FieldDef<User> kUserFields[] = {
    build::text<&User::name>("name", "name", F | S | Q | I | L | R, "full name"),
    build::text<&User::name_reading>("name_reading", "name_reading", F | S | Q | I | L, "reading / furigana")
        .named("reading"),
    build::text<&User::email>("email", "email", F | S | I | L | R, "email address (unique)")
        .lower_copy_in("email_norm")
        .unique_as("email address"),
    build::enumeration<&User::role>("role", "role", kRoles, F | S | G | I | L, "rep|agent|manager|admin|other"),
    build::reference<&User::team_id>("team_id", "team_id", Entity::team, F | S | G | I | L, "team id").named("team"),
    build::text<&User::region>("region", "region", F | S | G | I | L, "region / territory"),
    build::boolean<&User::active>("active", "active", F | S | G | I | L, "true|false"),
};

constexpr FieldDef<Team> kTeamFields[] = {
    build::text<&Team::name>("name", "name", F | S | Q | I | L | R, "team name (unique)").unique_as("name"),
    build::text<&Team::region>("region", "region", F | S | G | I | L, "region / territory (関東)"),
    build::reference<&Team::manager_id>("manager_id", "manager_id", Entity::user, F | S | G | I | L,
                                        "manager's user id")
        .named("manager"),
};

constexpr RefDef<User> kUserRefs[] = {
    build::detach<&User::team_id>("team_id", "team_id", Entity::team, "users"),
};
constexpr RefDef<Team> kTeamRefs[] = {
    build::block<Team>("manager_id", "manager_id", Entity::user, "teams"),
};

result<void> validate_user(Write& w, User& v, const User*) {
    CRM_TRYV(check_text(w, "name", v.name, true));
    CRM_TRYV(check_text(w, "name_reading", v.name_reading));
    CRM_TRY(auto norm, text::normalize_email("email", v.email));
    (void)norm;
    v.email = text::trim(v.email);
    return check_text(w, "region", v.region);
}

result<void> validate_team(Write& w, Team& v, const Team*) {
    CRM_TRYV(check_text(w, "name", v.name, true));
    return check_text(w, "region", v.region);
}

const KindDef<User> kUser{Entity::user, "user", "users", "users", 1, kUserFields, kUserRefs, &validate_user};
const KindDef<Team> kTeam{Entity::team, "team", "teams", "teams", 2, kTeamFields, kTeamRefs, &validate_team};
}  // namespace

template <> const KindDef<User>& kind_def<User>() noexcept { return kUser; }
template <> const KindDef<Team>& kind_def<Team>() noexcept { return kTeam; }
const KindEntry& user_kind() { return entry<User>("reassign them first, or set the user inactive"); }
const KindEntry& team_kind() { return entry<Team>(); }

}  // namespace records

const char* to_string(UserRole r) noexcept { return records::enum_name(records::kRoles, r); }
std::optional<UserRole> user_role_from_string(const std::string& s) noexcept {
    return records::enum_from_name<UserRole>(records::kRoles, s);
}

CRM_RECORD_KIND(User);
CRM_RECORD_KIND(Team);

result<User> Users::get_by_email(const std::string& email) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<User> {
        CRM_TRY(auto norm, text::normalize_email("email", email));
        auto id = store::user_by_email(*db_, norm);
        if (!id) return make_error(errc::not_found, fmt::format("no user with email '{}'", email));
        return records::load_full<User>(*db_, *id);
    });
}

result<std::vector<User>> Teams::members(Id team_id) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<std::vector<User>> {
        if (!store::exists(*db_, Entity::team, team_id)) return records::not_found<Team>(team_id);
        return records::load_all<User>(*db_, store::ids_where(*db_, "users", "team_id", team_id));
    });
}

}  // namespace crm
