// Private: Traits<T> for the customer graph (users, teams, accounts, contacts).
#pragma once

#include "records/engine.hpp"

namespace crm::domain {

result<void> core_before_remove(DbImpl& db, const User& v);
result<void> core_before_remove(DbImpl& db, const Team& v);
result<void> core_before_remove(DbImpl& db, const Account& v);
result<void> core_before_remove(DbImpl& db, const Contact& v);

// The four kinds differ only in their types; each function forwards to its overload.
template <class T, Entity K>
struct CoreTraits {
    static constexpr Entity kind = K;
    static Id insert(DbImpl& db, const T& v) { return store::insert(db, v); }
    static void update(DbImpl& db, const T& old, const T& v) { store::update(db, old, v); }
    static bool load(DbImpl& db, Id id, T& out) { return store::load(db, id, out); }
    static result<void> validate(DbImpl& db, T& v, const T* old) { return domain::validate(db, v, old); }
    static result<void> before_remove(DbImpl& db, const T& v) { return core_before_remove(db, v); }
    static json::json doc(const T& v) { return json::doc(v); }
    static result<T> parse(const json::json& j) { return json::parse<T>(j); }
};

template <> struct Traits<User> : CoreTraits<User, Entity::user> {};
template <> struct Traits<Team> : CoreTraits<Team, Entity::team> {};
template <> struct Traits<Account> : CoreTraits<Account, Entity::account> {};
template <> struct Traits<Contact> : CoreTraits<Contact, Entity::contact> {};

}  // namespace crm::domain
