// Private: the generic record operations, for use inside a write scope by other services.
#pragma once
#include "store/entity_store.hpp"

namespace crm::domain {

using detail::DbImpl;

template <class T> struct Kind;
template <> struct Kind<User> { static constexpr Entity value = Entity::user; };
template <> struct Kind<Team> { static constexpr Entity value = Entity::team; };
template <> struct Kind<Account> { static constexpr Entity value = Entity::account; };
template <> struct Kind<Contact> { static constexpr Entity value = Entity::contact; };

template <class T>
result<T> load_full(DbImpl& db, Id id);

}  // namespace crm::domain
