// Products, campaigns, pipelines and deals (MISSION B4, B7): validation, what
// deleting each means, stage moves with their history, lost reasons, weighting.
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "sales/sales_traits.hpp"
#include "util/text.hpp"

namespace crm {

namespace {
__extension__ typedef __int128 i128;  // exact money arithmetic (g++/clang)
}  // namespace

const char* to_string(CampaignChannel c) noexcept {
    switch (c) {
        case CampaignChannel::seminar: return "seminar";
        case CampaignChannel::web: return "web";
        case CampaignChannel::ads: return "ads";
        case CampaignChannel::email: return "email";
        case CampaignChannel::referral: return "referral";
        case CampaignChannel::other: return "other";
    }
    return "other";
}
std::optional<CampaignChannel> campaign_channel_from_string(const std::string& s) noexcept {
    for (auto c : {CampaignChannel::seminar, CampaignChannel::web, CampaignChannel::ads, CampaignChannel::email,
                   CampaignChannel::referral, CampaignChannel::other})
        if (s == to_string(c)) return c;
    return std::nullopt;
}
const char* to_string(StageKind k) noexcept {
    switch (k) {
        case StageKind::open: return "open";
        case StageKind::won: return "won";
        case StageKind::lost: return "lost";
    }
    return "open";
}
std::optional<StageKind> stage_kind_from_string(const std::string& s) noexcept {
    if (s == "open") return StageKind::open;
    if (s == "won") return StageKind::won;
    if (s == "lost") return StageKind::lost;
    return std::nullopt;
}
const char* to_string(DealStatus s) noexcept {
    switch (s) {
        case DealStatus::open: return "open";
        case DealStatus::won: return "won";
        case DealStatus::lost: return "lost";
    }
    return "open";
}

std::int64_t weighted_amount(std::int64_t amount, std::int64_t probability) noexcept {
    probability = std::clamp<std::int64_t>(probability, 0, 100);
    i128 p = static_cast<i128>(amount) * probability;
    p += p >= 0 ? 50 : -50;  // division truncates toward zero: this rounds half away from zero
    return static_cast<std::int64_t>(p / 100);
}

namespace domain {
namespace {

constexpr std::size_t kMaxExternalId = 256;
constexpr std::size_t kMaxName = 1000;

result<void> txt(DbImpl& db, const std::string& field, std::string& v, bool required = false) {
    CRM_TRYV(text::check(field, v, required ? std::min(kMaxName, db.options.max_text_bytes) : db.options.max_text_bytes,
                         required));
    if (required) v = text::trim(v);
    return ok();
}
result<void> external_id(std::string& v) {
    CRM_TRYV(text::check("external_id", v, kMaxExternalId, false));
    v = text::trim(v);
    return ok();
}
result<void> currency(const std::string& field, const std::string& c) {
    if (c.size() != 3 || !std::all_of(c.begin(), c.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; }))
        return invalid(field, fmt::format("'{}' is not an ISO-4217 code like JPY", c));
    return ok();
}
result<void> money(const std::string& field, Money& m) {
    CRM_TRYV(currency(field + ".currency", m.currency));
    if (m.amount < 0) return invalid(field + ".amount", "must not be negative");
    return ok();
}
result<void> date(const char* field, const std::string& d) {
    if (!d.empty() && !text::valid_date(d)) return invalid(field, fmt::format("'{}' is not a date YYYY-MM-DD", d));
    return ok();
}
result<void> reference(DbImpl& db, const char* field, const std::optional<Id>& id, Entity target) {
    if (id && !store::exists(db, target, *id))
        return invalid(field, fmt::format("no {} with id {}", entity_name(target), *id));
    return ok();
}
result<void> percent(const std::string& field, std::int64_t p) {
    if (p < 0 || p > 100) return invalid(field, fmt::format("{} is not a percentage 0..100", p));
    return ok();
}

}  // namespace

result<void> validate_sales(DbImpl& db, Product& v, const Product*) {
    CRM_TRYV(external_id(v.external_id));
    CRM_TRYV(txt(db, "name", v.name, true));
    CRM_TRYV(txt(db, "series", v.series));
    v.series = text::trim(v.series);
    CRM_TRYV(money("list_price", v.list_price));
    return ok();
}

result<void> validate_sales(DbImpl& db, Campaign& v, const Campaign*) {
    CRM_TRYV(external_id(v.external_id));
    CRM_TRYV(txt(db, "name", v.name, true));
    CRM_TRYV(date("start_date", v.start_date));
    CRM_TRYV(date("end_date", v.end_date));
    if (!v.start_date.empty() && !v.end_date.empty() && v.end_date < v.start_date)
        return invalid("end_date", fmt::format("{} is before start_date {}", v.end_date, v.start_date));
    CRM_TRYV(money("cost", v.cost));
    return ok();
}

result<void> validate_sales(DbImpl& db, Pipeline& v, const Pipeline* old) {
    CRM_TRYV(external_id(v.external_id));
    CRM_TRYV(txt(db, "name", v.name, true));
    if (v.stages.empty()) return invalid("stages", "a pipeline needs at least one stage");
    std::set<std::string> names;
    std::set<Id> ids;
    Id next = 0;
    for (std::size_t i = 0; i < v.stages.size(); ++i) {
        auto& st = v.stages[i];
        const auto f = fmt::format("stages[{}]", i);
        CRM_TRYV(txt(db, f + ".name", st.name, true));
        if (!names.insert(st.name).second)
            return invalid(f + ".name", fmt::format("'{}' is already a stage of this pipeline", st.name));
        CRM_TRYV(percent(f + ".probability", st.probability));
        if (st.id != 0) {
            const bool known = old && std::any_of(old->stages.begin(), old->stages.end(),
                                                  [&](const Stage& o) { return o.id == st.id; });
            if (!known) return invalid(f + ".id", fmt::format("{} is not a stage of this pipeline (use 0 for a new stage)", st.id));
            if (!ids.insert(st.id).second) return invalid(f + ".id", fmt::format("stage {} is listed twice", st.id));
        }
    }
    if (old) {
        for (const auto& o : old->stages) {
            if (ids.count(o.id)) continue;
            const auto n = store::count_deals_in_stage(db, o.id);
            if (n > 0)
                return make_error(errc::constraint_violation,
                                  fmt::format("stage {} ('{}') still holds {} deals: move them first", o.id, o.name, n),
                                  "stages");
        }
    }
    for (auto& st : v.stages) {
        if (st.id != 0) continue;
        if (next == 0) next = store::next_stage_id(db);
        st.id = next++;
    }
    return ok();
}

result<void> validate_sales(DbImpl& db, Deal& v, const Deal* old) {
    CRM_TRYV(external_id(v.external_id));
    CRM_TRYV(txt(db, "name", v.name, true));
    if (!store::exists(db, Entity::pipeline, v.pipeline_id))
        return invalid("pipeline_id", fmt::format("no pipeline with id {}", v.pipeline_id));
    auto stage = store::stage_info(db, v.stage_id);
    if (!stage) return invalid("stage_id", fmt::format("no stage with id {}", v.stage_id));
    if (stage->pipeline_id != v.pipeline_id)
        return invalid("stage_id", fmt::format("stage {} ('{}') belongs to pipeline {}, not to pipeline {}", v.stage_id,
                                               stage->name, stage->pipeline_id, v.pipeline_id));
    CRM_TRYV(money("amount", v.amount));
    CRM_TRYV(date("expected_close_date", v.expected_close_date));
    CRM_TRYV(reference(db, "owner_id", v.owner_id, Entity::user));
    CRM_TRYV(reference(db, "account_id", v.account_id, Entity::account));
    CRM_TRYV(reference(db, "contact_id", v.contact_id, Entity::contact));
    CRM_TRYV(reference(db, "campaign_id", v.campaign_id, Entity::campaign));
    if (v.probability) CRM_TRYV(percent("probability", *v.probability));
    i128 sum = 0;
    for (std::size_t i = 0; i < v.line_items.size(); ++i) {
        auto& li = v.line_items[i];
        const auto f = fmt::format("line_items[{}]", i);
        if (!store::exists(db, Entity::product, li.product_id))
            return invalid(f + ".product_id", fmt::format("no product with id {}", li.product_id));
        if (li.quantity <= 0) return invalid(f + ".quantity", fmt::format("{} is not a positive quantity", li.quantity));
        if (li.unit_price.currency.empty()) li.unit_price.currency = v.amount.currency;
        CRM_TRYV(money(f + ".unit_price", li.unit_price));
        if (li.unit_price.currency != v.amount.currency)
            return invalid(f + ".unit_price.currency", fmt::format("{} differs from the deal's currency {}",
                                                                   li.unit_price.currency, v.amount.currency));
        const i128 gross = static_cast<i128>(li.quantity) * li.unit_price.amount;
        if (gross > INT64_MAX) return invalid(f + ".quantity", "quantity × unit price is too large");
        if (li.discount < 0 || li.discount > gross)
            return invalid(f + ".discount", "must be an amount between 0 and quantity × unit price");
        CRM_TRYV(txt(db, f + ".note", li.note));
        sum += gross - li.discount;
    }
    if (sum > INT64_MAX) return invalid("line_items", "the total is too large");
    if (v.amount.amount == 0 && !v.line_items.empty()) v.amount.amount = static_cast<std::int64_t>(sum);
    CRM_TRYV(txt(db, "lost_reason", v.lost_reason));
    v.lost_reason = text::trim(v.lost_reason);
    switch (stage->kind) {
        case StageKind::open:
            v.status = DealStatus::open;
            v.closed_at = 0;
            v.lost_reason.clear();
            break;
        case StageKind::won:
            v.status = DealStatus::won;
            v.lost_reason.clear();
            if (v.closed_at == 0 || (old && old->status == DealStatus::open)) v.closed_at = db.now();
            break;
        case StageKind::lost:
            v.status = DealStatus::lost;
            if (v.lost_reason.empty())
                return invalid("lost_reason", fmt::format("stage '{}' is a lost stage: a lost reason is required", stage->name));
            if (!store::lost_reason_exists(db, v.lost_reason))
                return invalid("lost_reason", fmt::format("'{}' is not a defined lost reason", v.lost_reason));
            if (v.closed_at == 0 || (old && old->status == DealStatus::open)) v.closed_at = db.now();
            break;
    }
    return ok();
}

result<void> sales_before_remove(DbImpl& db, const Product& p) {
    const auto n = store::count_line_items_with_product(db, p.id);
    if (n > 0)
        return make_error(errc::constraint_violation,
                          fmt::format("product {} is on {} deal line items: set it inactive instead", p.id, n));
    return ok();
}
result<void> sales_before_remove(DbImpl& db, const Campaign& c) {
    return detach<Deal>(db, "campaign_id", c.id, &Deal::campaign_id);
}
result<void> sales_before_remove(DbImpl& db, const Pipeline& p) {
    const auto n = store::count_deals_in_pipeline(db, p.id);
    if (n > 0)
        return make_error(errc::constraint_violation,
                          fmt::format("pipeline {} still holds {} deals: move or delete them first", p.id, n));
    return ok();
}
result<void> sales_before_remove(DbImpl&, const Deal&) { return ok(); }  // line items and stage history cascade

void record_first_stage(DbImpl& db, const Deal& v) {
    StageChange c;
    c.deal_id = v.id;
    c.to_stage_id = v.stage_id;
    c.at = v.created_at;
    c.actor_id = db.actor;
    store::append_stage_change(db, c);
}
void record_stage_change(DbImpl& db, const Deal& old, const Deal& v) {
    if (old.stage_id == v.stage_id) return;
    StageChange c;
    c.deal_id = v.id;
    c.from_stage_id = old.stage_id;
    c.to_stage_id = v.stage_id;
    c.at = v.updated_at;
    c.actor_id = db.actor;
    store::append_stage_change(db, c);
}

}  // namespace domain

// ---- services ------------------------------------------------------------------

Products Db::products() noexcept { return Products(impl()); }
Campaigns Db::campaigns() noexcept { return Campaigns(impl()); }
Pipelines Db::pipelines() noexcept { return Pipelines(impl()); }
Deals Db::deals() noexcept { return Deals(impl()); }

result<std::vector<Deal>> Campaigns::deals(Id campaign_id) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->read([&]() -> result<std::vector<Deal>> {
        if (!store::exists(*db_, Entity::campaign, campaign_id))
            return make_error(errc::not_found, fmt::format("no campaign with id {}", campaign_id));
        std::vector<Deal> out;
        for (Id id : store::ids_where_equals(*db_, Entity::deal, "campaign_id", campaign_id)) {
            CRM_TRY(Deal d, domain::load_full<Deal>(*db_, id));
            out.push_back(std::move(d));
        }
        return out;
    });
}

result<std::vector<Contact>> Campaigns::contacts(Id campaign_id) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->read([&]() -> result<std::vector<Contact>> {
        CRM_TRY(Campaign c, domain::load_full<Campaign>(*db_, campaign_id));
        std::vector<Contact> out;
        for (Id id : store::contacts_with_lead_source(*db_, c.name)) {
            CRM_TRY(Contact v, domain::load_full<Contact>(*db_, id));
            out.push_back(std::move(v));
        }
        return out;
    });
}

result<std::vector<Stage>> Pipelines::stages(Id pipeline_id) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->read([&]() -> result<std::vector<Stage>> {
        if (!store::exists(*db_, Entity::pipeline, pipeline_id))
            return make_error(errc::not_found, fmt::format("no pipeline with id {}", pipeline_id));
        return store::load_stages(*db_, pipeline_id);
    });
}

result<void> Deals::move(Id deal_id, Id stage_id, const std::optional<std::string>& lost_reason) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->write([&]() -> result<void> {
        CRM_TRY(Deal d, domain::load_full<Deal>(*db_, deal_id));
        auto stage = store::stage_info(*db_, stage_id);
        if (!stage) return invalid("stage_id", fmt::format("no stage with id {}", stage_id));
        if (stage->pipeline_id != d.pipeline_id)
            return invalid("stage_id", fmt::format("stage {} ('{}') belongs to pipeline {}, not to the deal's pipeline {}",
                                                   stage_id, stage->name, stage->pipeline_id, d.pipeline_id));
        if (lost_reason && stage->kind != StageKind::lost)
            return invalid("lost_reason", fmt::format("stage '{}' is not a lost stage", stage->name));
        if (d.stage_id != stage_id) d.closed_at = 0;  // a new closing time when it closes
        d.stage_id = stage_id;
        d.lost_reason = lost_reason.value_or(stage->kind == StageKind::lost && d.status == DealStatus::lost ? d.lost_reason
                                                                                                           : std::string());
        return domain::update_in_scope(*db_, std::move(d));
    });
}

result<std::vector<StageChange>> Deals::stage_history(Id deal_id) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->read([&]() -> result<std::vector<StageChange>> {
        if (!store::exists(*db_, Entity::deal, deal_id))
            return make_error(errc::not_found, fmt::format("no deal with id {}", deal_id));
        auto out = store::stage_changes(*db_, deal_id);
        const Timestamp now = db_->now();
        for (std::size_t i = 0; i < out.size(); ++i) {
            const Timestamp end = i + 1 < out.size() ? out[i + 1].at : now;
            out[i].time_in_stage_ms = std::max<Timestamp>(0, end - out[i].at);
        }
        return out;
    });
}

result<Money> Deals::weighted(Id deal_id) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->read([&]() -> result<Money> {
        CRM_TRY(Deal d, domain::load_full<Deal>(*db_, deal_id));
        auto stage = store::stage_info(*db_, d.stage_id);
        const std::int64_t p = d.probability ? *d.probability : stage ? stage->probability : 0;
        return Money{weighted_amount(d.amount.amount, p), d.amount.currency};
    });
}

result<Id> Deals::define_lost_reason(const std::string& name) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->write([&]() -> result<Id> {
        CRM_TRYV(text::check("name", name, 200, true));
        const auto n = text::trim(name);
        if (store::lost_reason_exists(*db_, n))
            return make_error(errc::already_exists, fmt::format("name: lost reason '{}' is already defined", n), "name");
        return store::insert_lost_reason(*db_, n, db_->now());
    });
}

result<std::vector<LostReason>> Deals::lost_reasons() noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->read([&]() -> result<std::vector<LostReason>> { return store::load_lost_reasons(*db_); });
}

template class Records<Product>;
template class Records<Campaign>;
template class Records<Pipeline>;
template class Records<Deal>;

}  // namespace crm
