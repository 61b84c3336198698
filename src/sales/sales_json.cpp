// Products, campaigns, pipelines and deals as JSON documents and back. Parsing is
// strict like src/json/documents.cpp: unknown keys and wrong types name the key.
#include "sales/sales_json.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "json/documents.hpp"
#include "json/reader.hpp"
#include "util/try.hpp"

namespace crm::sales_json {
namespace {

using crm::json::opt_id;
using crm::json::Reader;  // the one strict reader every area uses (src/json/reader.hpp)
using crm::json::text_or_null;
using crm::json::ts;
json money(const Money& m) { return {{"amount", m.amount}, {"currency", m.currency}}; }
json custom(const CustomFields& c) {
    json o = json::object();
    for (const auto& [k, v] : c) o[k] = crm::json::doc(v);
    return o;
}


std::optional<DealStatus> deal_status_from_string(const std::string& s) noexcept {
    if (s == "open") return DealStatus::open;
    if (s == "won") return DealStatus::won;
    if (s == "lost") return DealStatus::lost;
    return std::nullopt;
}

template <class T, class F>
result<T> guarded(F&& f) noexcept {
    try {
        return f();
    } catch (const std::exception& e) {
        return make_error(errc::invalid_argument, e.what());
    }
}

}  // namespace

json doc(const Product& v) {
    return {{"id", v.id}, {"external_id", text_or_null(v.external_id)}, {"name", v.name}, {"series", v.series},
            {"list_price", money(v.list_price)}, {"active", v.active}, {"tags", v.tags},
            {"custom", custom(v.custom)}, {"created_at", ts(v.created_at)}, {"updated_at", ts(v.updated_at)}};
}

json doc(const Campaign& v) {
    return {{"id", v.id}, {"external_id", text_or_null(v.external_id)}, {"name", v.name},
            {"channel", to_string(v.channel)}, {"start_date", text_or_null(v.start_date)},
            {"end_date", text_or_null(v.end_date)}, {"cost", money(v.cost)}, {"tags", v.tags},
            {"custom", custom(v.custom)}, {"created_at", ts(v.created_at)}, {"updated_at", ts(v.updated_at)}};
}

json doc(const Pipeline& v) {
    json stages = json::array();
    for (const auto& s : v.stages)
        stages.push_back({{"id", s.id}, {"name", s.name}, {"probability", s.probability}, {"kind", to_string(s.kind)}});
    return {{"id", v.id}, {"external_id", text_or_null(v.external_id)}, {"name", v.name}, {"stages", stages},
            {"tags", v.tags}, {"custom", custom(v.custom)}, {"created_at", ts(v.created_at)},
            {"updated_at", ts(v.updated_at)}};
}

json doc(const Deal& v) {
    json items = json::array();
    for (const auto& li : v.line_items)
        items.push_back({{"product_id", li.product_id}, {"quantity", li.quantity},
                         {"unit_price", money(li.unit_price)}, {"discount", li.discount}, {"note", li.note}});
    return {{"id", v.id},
            {"external_id", text_or_null(v.external_id)},
            {"name", v.name},
            {"pipeline_id", v.pipeline_id},
            {"stage_id", v.stage_id},
            {"status", to_string(v.status)},
            {"amount", money(v.amount)},
            {"expected_close_date", text_or_null(v.expected_close_date)},
            {"owner_id", opt_id(v.owner_id)},
            {"account_id", opt_id(v.account_id)},
            {"contact_id", opt_id(v.contact_id)},
            {"campaign_id", opt_id(v.campaign_id)},
            {"line_items", items},
            {"probability", v.probability ? json(*v.probability) : json(nullptr)},
            {"closed_at", ts(v.closed_at)},
            {"lost_reason", text_or_null(v.lost_reason)},
            {"tags", v.tags},
            {"custom", custom(v.custom)},
            {"created_at", ts(v.created_at)},
            {"updated_at", ts(v.updated_at)}};
}

json doc(const StageChange& v) {
    return {{"id", v.id}, {"deal_id", v.deal_id}, {"from_stage_id", opt_id(v.from_stage_id)},
            {"to_stage_id", v.to_stage_id}, {"at", format_iso8601(v.at)}, {"actor_id", opt_id(v.actor_id)},
            {"time_in_stage_ms", v.time_in_stage_ms}};
}

json doc(const LostReason& v) {
    return {{"id", v.id}, {"name", v.name}, {"created_at", ts(v.created_at)}};
}

result<Product> parse_product(const json& j) noexcept {
    return guarded<Product>([&]() -> result<Product> {
        Product v;
        Reader r(j, "");
        CRM_TRYV(r.object());
        CRM_TRYV(r.record_meta(v.id, v.created_at, v.updated_at));
        CRM_TRYV(r.str("external_id", v.external_id));
        CRM_TRYV(r.str("name", v.name));
        CRM_TRYV(r.str("series", v.series));
        CRM_TRYV(r.money("list_price", v.list_price));
        CRM_TRYV(r.boolean("active", v.active));
        CRM_TRYV(r.tags(v.tags));
        CRM_TRYV(r.custom(v.custom));
        CRM_TRYV(r.done());
        return v;
    });
}

result<Campaign> parse_campaign(const json& j) noexcept {
    return guarded<Campaign>([&]() -> result<Campaign> {
        Campaign v;
        Reader r(j, "");
        CRM_TRYV(r.object());
        CRM_TRYV(r.record_meta(v.id, v.created_at, v.updated_at));
        CRM_TRYV(r.str("external_id", v.external_id));
        CRM_TRYV(r.str("name", v.name));
        CRM_TRYV(r.enumeration("channel", v.channel, campaign_channel_from_string,
                               "seminar, web, ads, email, referral, other"));
        CRM_TRYV(r.str("start_date", v.start_date));
        CRM_TRYV(r.str("end_date", v.end_date));
        CRM_TRYV(r.money("cost", v.cost));
        CRM_TRYV(r.tags(v.tags));
        CRM_TRYV(r.custom(v.custom));
        CRM_TRYV(r.done());
        return v;
    });
}

result<Pipeline> parse_pipeline(const json& j) noexcept {
    return guarded<Pipeline>([&]() -> result<Pipeline> {
        Pipeline v;
        Reader r(j, "");
        CRM_TRYV(r.object());
        CRM_TRYV(r.record_meta(v.id, v.created_at, v.updated_at));
        CRM_TRYV(r.str("external_id", v.external_id));
        CRM_TRYV(r.str("name", v.name));
        if (auto* arr = r.find("stages"); arr && !arr->is_null()) {
            if (!arr->is_array()) return invalid("stages", "must be an array of objects");
            for (std::size_t i = 0; i < arr->size(); ++i) {
                Reader s((*arr)[i], fmt::format("stages[{}]", i));
                Stage st;
                CRM_TRYV(s.object());
                CRM_TRYV(s.integer("id", st.id));
                CRM_TRYV(s.str("name", st.name));
                CRM_TRYV(s.integer("probability", st.probability));
                CRM_TRYV(s.enumeration("kind", st.kind, stage_kind_from_string, "open, won, lost"));
                CRM_TRYV(s.done());
                v.stages.push_back(std::move(st));
            }
        }
        CRM_TRYV(r.tags(v.tags));
        CRM_TRYV(r.custom(v.custom));
        CRM_TRYV(r.done());
        return v;
    });
}

result<Deal> parse_deal(const json& j) noexcept {
    return guarded<Deal>([&]() -> result<Deal> {
        Deal v;
        Reader r(j, "");
        CRM_TRYV(r.object());
        CRM_TRYV(r.record_meta(v.id, v.created_at, v.updated_at));
        CRM_TRYV(r.str("external_id", v.external_id));
        CRM_TRYV(r.str("name", v.name));
        CRM_TRYV(r.integer("pipeline_id", v.pipeline_id));
        CRM_TRYV(r.integer("stage_id", v.stage_id));
        CRM_TRYV(r.enumeration("status", v.status, deal_status_from_string, "open, won, lost"));
        CRM_TRYV(r.money("amount", v.amount));
        CRM_TRYV(r.str("expected_close_date", v.expected_close_date));
        CRM_TRYV(r.opt_integer("owner_id", v.owner_id));
        CRM_TRYV(r.opt_integer("account_id", v.account_id));
        CRM_TRYV(r.opt_integer("contact_id", v.contact_id));
        CRM_TRYV(r.opt_integer("campaign_id", v.campaign_id));
        if (auto* arr = r.find("line_items"); arr && !arr->is_null()) {
            if (!arr->is_array()) return invalid("line_items", "must be an array of objects");
            for (std::size_t i = 0; i < arr->size(); ++i) {
                Reader s((*arr)[i], fmt::format("line_items[{}]", i));
                LineItem li;
                CRM_TRYV(s.object());
                CRM_TRYV(s.integer("product_id", li.product_id));
                CRM_TRYV(s.integer("quantity", li.quantity));
                CRM_TRYV(s.money("unit_price", li.unit_price));
                CRM_TRYV(s.integer("discount", li.discount));
                CRM_TRYV(s.str("note", li.note));
                CRM_TRYV(s.done());
                v.line_items.push_back(std::move(li));
            }
        }
        CRM_TRYV(r.opt_integer("probability", v.probability));
        CRM_TRYV(r.time("closed_at", v.closed_at));
        CRM_TRYV(r.str("lost_reason", v.lost_reason));
        CRM_TRYV(r.tags(v.tags));
        CRM_TRYV(r.custom(v.custom));
        CRM_TRYV(r.done());
        return v;
    });
}

}  // namespace crm::sales_json

namespace crm {

std::string to_json(const Product& v) { return sales_json::doc(v).dump(); }
std::string to_json(const Campaign& v) { return sales_json::doc(v).dump(); }
std::string to_json(const Pipeline& v) { return sales_json::doc(v).dump(); }
std::string to_json(const Deal& v) { return sales_json::doc(v).dump(); }
std::string to_json(const StageChange& v) { return sales_json::doc(v).dump(); }
std::string to_json(const LostReason& v) { return sales_json::doc(v).dump(); }

namespace {
template <class T>
result<T> parse_text(std::string_view text, result<T> (*parse)(const nlohmann::json&) noexcept) noexcept {
    try {
        auto j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
        if (j.is_discarded()) return invalid("document", "is not valid JSON");
        return parse(j);
    } catch (const std::exception& e) {
        return make_error(errc::invalid_argument, e.what());
    }
}
template <class T>
result<T> patch_doc(const nlohmann::json& d0, std::string_view patch,
                    result<T> (*parse)(const nlohmann::json&) noexcept) noexcept {
    try {
        auto p = nlohmann::json::parse(patch.begin(), patch.end(), nullptr, false);
        if (p.is_discarded()) return invalid("patch", "is not valid JSON");
        if (!p.is_object()) return invalid("patch", "must be a JSON object");
        auto d = d0;
        d.merge_patch(p);
        return parse(d);
    } catch (const std::exception& e) {
        return make_error(errc::invalid_argument, e.what());
    }
}
}  // namespace

template <> result<Product> from_json<Product>(std::string_view j) noexcept { return parse_text<Product>(j, sales_json::parse_product); }
template <> result<Campaign> from_json<Campaign>(std::string_view j) noexcept { return parse_text<Campaign>(j, sales_json::parse_campaign); }
template <> result<Pipeline> from_json<Pipeline>(std::string_view j) noexcept { return parse_text<Pipeline>(j, sales_json::parse_pipeline); }
template <> result<Deal> from_json<Deal>(std::string_view j) noexcept { return parse_text<Deal>(j, sales_json::parse_deal); }
template <> result<Product> merge_patch<Product>(const Product& v, std::string_view p) noexcept { return patch_doc<Product>(sales_json::doc(v), p, sales_json::parse_product); }
template <> result<Campaign> merge_patch<Campaign>(const Campaign& v, std::string_view p) noexcept { return patch_doc<Campaign>(sales_json::doc(v), p, sales_json::parse_campaign); }
template <> result<Pipeline> merge_patch<Pipeline>(const Pipeline& v, std::string_view p) noexcept { return patch_doc<Pipeline>(sales_json::doc(v), p, sales_json::parse_pipeline); }
template <> result<Deal> merge_patch<Deal>(const Deal& v, std::string_view p) noexcept { return patch_doc<Deal>(sales_json::doc(v), p, sales_json::parse_deal); }

}  // namespace crm
