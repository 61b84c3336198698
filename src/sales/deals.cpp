// Deals: a pipeline stage, an amount (with line items), owner, account, contact
// and campaign; stage moves with their history, lost reasons, weighting. The
// descriptor, the rules and the deal's own operations.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "records/kind_entry.hpp"
#include "sales/sales_internal.hpp"
#include "store/sales_store.hpp"
#include "util/text.hpp"

namespace crm {

namespace {
__extension__ typedef __int128 i128;  // exact money arithmetic (g++/clang)
}  // namespace

std::int64_t weighted_amount(std::int64_t amount, std::int64_t probability) noexcept {
    probability = std::clamp<std::int64_t>(probability, 0, 100);
    i128 p = static_cast<i128>(amount) * probability;
    p += p >= 0 ? 50 : -50;  // division truncates toward zero: this rounds half away from zero
    return static_cast<std::int64_t>(p / 100);
}

namespace records {
namespace {
using namespace caps;

constexpr const char* kDealStatuses[] = {"open", "won", "lost"};

constexpr FieldDef<LineItem> kItemFields[] = {
    build::required_reference<&LineItem::product_id>("product_id", "product_id", Entity::product, 0, "product id")
        .with(positional),
    build::integer<&LineItem::quantity>("quantity", "quantity", 0, "quantity").with(positional),
    build::money<&LineItem::unit_price>("unit_price", "unit_price", "currency", 0,
                                        "unit price in the deal's currency")
        .with(positional),
    build::integer<&LineItem::discount>("discount", "discount", 0, "amount off this line")
        .with(positional | optional_part),
    build::text<&LineItem::note>("note", "note", 0, "note"),
};
using Items = ListOf<&Deal::line_items, kItemFields>;
constexpr ChildColumn kItemProducts{"deal_line_items", "deal_id", "product_id"};  // "item=3": deals with product 3

constexpr FieldDef<Deal> kDealFields[] = {
    build::text<&Deal::name>("name", "name", F | S | Q | I | L | R, "deal name (基幹システム刷新)"),
    build::required_reference<&Deal::pipeline_id>("pipeline_id", "pipeline_id", Entity::pipeline,
                                                  F | S | G | I | L | R, "pipeline id")
        .named("pipeline"),
    build::integer<&Deal::stage_id>("stage_id", "stage_id", F | S | G | I | L | R, "stage id (of that pipeline)")
        .named("stage"),
    build::enumeration<&Deal::status>("status", "status", kDealStatuses, F | S | G | L | C,
                                      "open|won|lost: follows the stage"),
    build::money<&Deal::amount>("amount", "amount", "currency", F | S | I | L,
                                "AMOUNT [CURRENCY] in minor units (default JPY)"),
    build::date<&Deal::expected_close_date>("expected_close_date", "expected_close_date", F | S | I | L,
                                            "expected close date YYYY-MM-DD")
        .named("close_date"),
    build::reference<&Deal::owner_id>("owner_id", "owner_id", Entity::user, F | S | G | I, "owning user id")
        .named("owner"),
    build::reference<&Deal::account_id>("account_id", "account_id", Entity::account, F | S | G | I, "account id")
        .named("account"),
    build::reference<&Deal::contact_id>("contact_id", "contact_id", Entity::contact, F | S | G | I,
                                        "primary contact id")
        .named("contact"),
    build::reference<&Deal::campaign_id>("campaign_id", "campaign_id", Entity::campaign, F | S | G | I,
                                         "campaign id")
        .named("campaign"),
    build::list<Items>("line_items", I,
                       "PRODUCT_ID:QUANTITY:UNIT_PRICE[:DISCOUNT] in the deal's currency (repeatable; replaces the items)")
        .named("item")
        .child_of(&kItemProducts),
    build::opt_integer<&Deal::probability>("probability", "probability", F | S | I,
                                           "probability override 0..100 (empty to clear)"),
    build::time<&Deal::closed_at>("closed_at", "closed_at", F | S | C, "when it was won or lost").with(null_if_empty),
    build::text<&Deal::lost_reason>("lost_reason", "lost_reason", F | S | G | I, "lost reason (for a lost stage)")
        .with(null_if_empty),
};

constexpr RefDef<Deal> kDealRefs[] = {
    build::block<Deal>("pipeline_id", "pipeline_id", Entity::pipeline, "deals"),
    build::block<Deal>("owner_id", "owner_id", Entity::user, "deals"),
    build::detach<&Deal::account_id>("account_id", "account_id", Entity::account, "deals"),
    build::detach<&Deal::contact_id>("contact_id", "contact_id", Entity::contact, "deals"),
    build::detach<&Deal::campaign_id>("campaign_id", "campaign_id", Entity::campaign, "deals"),
    build::block<Deal>("line_items.product_id", "product_id", Entity::product, "deal line items", "deal_line_items"),
};

result<void> validate_deal(Write& w, Deal& v, const Deal* old) {
    auto& db = w.db;
    CRM_TRYV(check_text(w, "name", v.name, true, std::min<std::size_t>(1000, db.options.max_text_bytes)));
    if (!store::exists(db, Entity::pipeline, v.pipeline_id))
        return invalid("pipeline_id", fmt::format("no pipeline with id {}", v.pipeline_id));
    auto stage = store::stage_info(db, v.stage_id);
    if (!stage) return invalid("stage_id", fmt::format("no stage with id {}", v.stage_id));
    if (stage->pipeline_id != v.pipeline_id)
        return invalid("stage_id", fmt::format("stage {} ('{}') belongs to pipeline {}, not to pipeline {}", v.stage_id,
                                               stage->name, stage->pipeline_id, v.pipeline_id));
    CRM_TRYV(check_money("amount", v.amount));
    CRM_TRYV(sales::check_date("expected_close_date", v.expected_close_date));
    if (v.probability) CRM_TRYV(sales::check_percent("probability", *v.probability));
    i128 sum = 0;
    for (std::size_t i = 0; i < v.line_items.size(); ++i) {
        auto& li = v.line_items[i];
        const auto f = fmt::format("line_items[{}]", i);
        if (!store::exists(db, Entity::product, li.product_id))
            return invalid(f + ".product_id", fmt::format("no product with id {}", li.product_id));
        if (li.quantity <= 0) return invalid(f + ".quantity", fmt::format("{} is not a positive quantity", li.quantity));
        if (li.unit_price.currency.empty()) li.unit_price.currency = v.amount.currency;
        CRM_TRYV(check_money(f + ".unit_price", li.unit_price));
        if (li.unit_price.currency != v.amount.currency)
            return invalid(f + ".unit_price.currency", fmt::format("{} differs from the deal's currency {}",
                                                                   li.unit_price.currency, v.amount.currency));
        const i128 gross = static_cast<i128>(li.quantity) * li.unit_price.amount;
        if (gross > INT64_MAX) return invalid(f + ".quantity", "quantity × unit price is too large");
        if (li.discount < 0 || li.discount > gross)
            return invalid(f + ".discount", "must be an amount between 0 and quantity × unit price");
        CRM_TRYV(check_text(w, f + ".note", li.note));
        sum += gross - li.discount;
    }
    if (sum > INT64_MAX) return invalid("line_items", "the total is too large");
    // With line items, the amount is their sum, on every write: an amount that says
    // otherwise is refused rather than silently replaced.
    if (!v.line_items.empty()) {
        const auto total = static_cast<std::int64_t>(sum);
        const bool amount_given = old ? v.amount.amount != old->amount.amount : v.amount.amount != 0;
        if (amount_given && v.amount.amount != total)
            return invalid("amount", fmt::format("{} differs from the sum of the line items, {}: a deal with line "
                                                 "items has their sum as its amount (change the items, or remove "
                                                 "them to set the amount directly)",
                                                 v.amount.amount, total));
        v.amount.amount = total;
    }
    CRM_TRYV(check_text(w, "lost_reason", v.lost_reason));
    v.lost_reason = text::trim(v.lost_reason);
    // A deal created closed (brought from elsewhere) closed when it was created.
    const Timestamp when = w.at ? w.at : old ? db.now() : v.created_at;
    switch (stage->kind) {
        case StageKind::open:
            v.status = DealStatus::open;
            v.closed_at = 0;
            v.lost_reason.clear();
            break;
        case StageKind::won:
            v.status = DealStatus::won;
            v.lost_reason.clear();
            if (v.closed_at == 0 || (old && old->status == DealStatus::open)) v.closed_at = when;
            break;
        case StageKind::lost:
            v.status = DealStatus::lost;
            if (v.lost_reason.empty())
                return invalid("lost_reason",
                               fmt::format("stage '{}' is a lost stage: a lost reason is required", stage->name));
            if (!store::lost_reason_exists(db, v.lost_reason))
                return invalid("lost_reason", fmt::format("'{}' is not a defined lost reason", v.lost_reason));
            if (v.closed_at == 0 || (old && old->status == DealStatus::open)) v.closed_at = when;
            break;
    }
    return ok();
}

// A deal's stage history row goes with its first stage and with every move.
result<void> record_stage(Write& w, const Deal* old, const Deal& v) {
    if (old && old->stage_id == v.stage_id) return ok();
    StageChange c;
    c.deal_id = v.id;
    if (old) c.from_stage_id = old->stage_id;
    c.to_stage_id = v.stage_id;
    c.at = !old ? v.created_at : w.at ? w.at : v.updated_at;
    c.actor_id = w.db.actor;
    store::append_stage_change(w.db, c);
    return ok();
}

const KindDef<Deal> kDeal{Entity::deal, "deal", "deals", "deals", 8, kDealFields, kDealRefs, &validate_deal,
                          &record_stage, &store::save_deal_children, &store::load_deal_children};

// After an upgrade from before v8 (when a deal's amount could disagree with its
// line items): such deals get their line items' sum, through the update path.
void upgraded(DbImpl& db, int from_version) {
    if (from_version == 0 || from_version >= 8) return;
    std::vector<Id> ids;
    {
        SQLite::Statement s(*db.conn,
                            "SELECT d.id FROM deals d WHERE d.amount <> (SELECT sum(l.quantity*l.unit_price-l.discount) "
                            "FROM deal_line_items l WHERE l.deal_id=d.id) ORDER BY d.id");
        while (s.executeStep()) ids.push_back(s.getColumn(0).getInt64());
    }
    for (Id id : ids) {
        Deal d = load_full<Deal>(db, id).value();
        const Deal old = d;
        d.amount.amount = 0;
        for (const auto& li : d.line_items) d.amount.amount += li.total();
        Write w{db};
        update(w, std::move(d), old).value();
    }
}
}  // namespace

template <> const KindDef<Deal>& kind_def<Deal>() noexcept { return kDeal; }
const KindEntry& deal_kind() { return entry<Deal>(nullptr, &upgraded); }

}  // namespace records

const char* to_string(DealStatus s) noexcept { return records::enum_name(records::kDealStatuses, s); }

CRM_RECORD_KIND(Deal);

Deals Db::deals() noexcept { return Deals(impl_.get()); }

result<void> Deals::move(Id deal_id, Id stage_id, const std::optional<std::string>& lost_reason,
                         std::optional<Timestamp> at) noexcept {
    if (!db_) return records::closed();
    return db_->write([&]() -> result<void> {
        CRM_TRY(Deal d, records::load_full<Deal>(*db_, deal_id));
        const Deal old = d;
        const Timestamp latest = store::last_stage_change_at(*db_, deal_id).value_or(d.created_at);
        CRM_TRY(const Timestamp when, records::event_time("at", at, db_->now(), latest, "deal's latest stage change"));
        auto stage = store::stage_info(*db_, stage_id);
        if (!stage) return invalid("stage_id", fmt::format("no stage with id {}", stage_id));
        if (stage->pipeline_id != d.pipeline_id)
            return invalid("stage_id", fmt::format("stage {} ('{}') belongs to pipeline {}, not to the deal's pipeline {}",
                                                   stage_id, stage->name, stage->pipeline_id, d.pipeline_id));
        if (lost_reason && stage->kind != StageKind::lost)
            return invalid("lost_reason", fmt::format("stage '{}' is not a lost stage", stage->name));
        if (d.stage_id != stage_id) d.closed_at = 0;  // a new closing time when it closes
        d.stage_id = stage_id;
        d.lost_reason = lost_reason.value_or(stage->kind == StageKind::lost && d.status == DealStatus::lost
                                                 ? d.lost_reason
                                                 : std::string());
        records::Write w{*db_, false, when};
        return records::update(w, std::move(d), old);
    });
}

result<std::vector<StageChange>> Deals::stage_history(Id deal_id) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<std::vector<StageChange>> {
        if (!store::exists(*db_, Entity::deal, deal_id)) return records::not_found<Deal>(deal_id);
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
    if (!db_) return records::closed();
    return db_->read([&]() -> result<Money> {
        CRM_TRY(Deal d, records::load_full<Deal>(*db_, deal_id));
        auto stage = store::stage_info(*db_, d.stage_id);
        const std::int64_t p = d.probability ? *d.probability : stage ? stage->probability : 0;
        return Money{weighted_amount(d.amount.amount, p), d.amount.currency};
    });
}

result<Id> Deals::define_lost_reason(const std::string& name) noexcept {
    if (!db_) return records::closed();
    return db_->write([&]() -> result<Id> {
        CRM_TRYV(text::check("name", name, 200, true));
        const auto n = text::trim(name);
        if (store::lost_reason_exists(*db_, n))
            return make_error(errc::already_exists, fmt::format("name: lost reason '{}' is already defined", n), "name");
        return store::insert_lost_reason(*db_, n, db_->now());
    });
}

result<std::vector<LostReason>> Deals::lost_reasons() noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<std::vector<LostReason>> { return store::load_lost_reasons(*db_); });
}

namespace {
nlohmann::json opt_id(const std::optional<Id>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }
}  // namespace

std::string to_json(const StageChange& v) {
    return nlohmann::json{{"id", v.id},
                          {"deal_id", v.deal_id},
                          {"from_stage_id", opt_id(v.from_stage_id)},
                          {"to_stage_id", v.to_stage_id},
                          {"at", format_iso8601(v.at)},
                          {"actor_id", opt_id(v.actor_id)},
                          {"time_in_stage_ms", v.time_in_stage_ms}}
        .dump();
}

std::string to_json(const LostReason& v) {
    return nlohmann::json{{"id", v.id}, {"name", v.name}, {"created_at", v.created_at ? nlohmann::json(format_iso8601(v.created_at)) : nlohmann::json(nullptr)}}.dump();
}

}  // namespace crm
