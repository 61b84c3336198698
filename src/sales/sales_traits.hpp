// Private: Traits<T> for products, campaigns, pipelines and deals.
#pragma once

#include "crm/sales.hpp"
#include "customers/customer_traits.hpp"
#include "sales/sales_json.hpp"
#include "store/sales_store.hpp"

namespace crm::domain {

result<void> validate_sales(DbImpl& db, Product& v, const Product* old);
result<void> validate_sales(DbImpl& db, Campaign& v, const Campaign* old);
result<void> validate_sales(DbImpl& db, Pipeline& v, const Pipeline* old);
result<void> validate_sales(DbImpl& db, Deal& v, const Deal* old);
result<void> sales_before_remove(DbImpl& db, const Product& v);
result<void> sales_before_remove(DbImpl& db, const Campaign& v);
result<void> sales_before_remove(DbImpl& db, const Pipeline& v);
result<void> sales_before_remove(DbImpl& db, const Deal& v);
void record_first_stage(DbImpl& db, const Deal& v);
void record_stage_change(DbImpl& db, const Deal& old, const Deal& v);

template <class T, Entity K, result<T> (*Parse)(const sales_json::json&) noexcept>
struct SalesTraits {
    static constexpr Entity kind = K;
    static Id insert(DbImpl& db, const T& v) { return store::insert(db, v); }
    static void update(DbImpl& db, const T& old, const T& v) { store::update(db, old, v); }
    static bool load(DbImpl& db, Id id, T& out) { return store::load(db, id, out); }
    static result<void> validate(DbImpl& db, T& v, const T* old) { return validate_sales(db, v, old); }
    static result<void> before_remove(DbImpl& db, const T& v) { return sales_before_remove(db, v); }
    static json::json doc(const T& v) { return sales_json::doc(v); }
    static result<T> parse(const json::json& j) { return Parse(j); }
};

template <> struct Traits<Product> : SalesTraits<Product, Entity::product, sales_json::parse_product> {};
template <> struct Traits<Campaign> : SalesTraits<Campaign, Entity::campaign, sales_json::parse_campaign> {};
template <> struct Traits<Pipeline> : SalesTraits<Pipeline, Entity::pipeline, sales_json::parse_pipeline> {};
// Deals also write their stage-history rows in the same scope as the record.
template <>
struct Traits<Deal> : SalesTraits<Deal, Entity::deal, sales_json::parse_deal> {
    static Id insert(DbImpl& db, const Deal& v) {
        Id id = store::insert(db, v);
        Deal with_id = v;
        with_id.id = id;
        record_first_stage(db, with_id);
        return id;
    }
    static void update(DbImpl& db, const Deal& old, const Deal& v) {
        store::update(db, old, v);
        record_stage_change(db, old, v);
    }
};

}  // namespace crm::domain
