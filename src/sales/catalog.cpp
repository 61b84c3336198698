// Products and campaigns: the catalogue deals are made of, and the campaigns and
// lead sources they come from. Descriptors, rules and the campaign's lookups.
#include <fmt/format.h>

#include "records/kind_entry.hpp"
#include "sales/sales_internal.hpp"
#include "util/text.hpp"

namespace crm {

namespace sales {
result<void> check_date(const char* field, const std::string& d) {
    if (!d.empty() && !text::valid_date(d)) return invalid(field, fmt::format("'{}' is not a date YYYY-MM-DD", d));
    return ok();
}
result<void> check_percent(const std::string& field, std::int64_t p) {
    if (p < 0 || p > 100) return invalid(field, fmt::format("{} is not a percentage 0..100", p));
    return ok();
}
}  // namespace sales

namespace records {
namespace {
using namespace caps;

constexpr const char* kChannels[] = {"seminar", "web", "ads", "email", "referral", "other"};

constexpr FieldDef<Product> kProductFields[] = {
    build::text<&Product::name>("name", "name", F | S | Q | I | L | R, "product name (勤怠管理クラウド)"),
    build::text<&Product::series>("series", "series", F | S | G | Q | I | L, "series / category"),
    build::money<&Product::list_price>("list_price", "price_amount", "price_currency", F | S | I | L,
                                       "list price: AMOUNT [CURRENCY] in minor units (default JPY)")
        .named("price"),
    build::boolean<&Product::active>("active", "active", F | S | G | I | L, "true|false"),
};

constexpr FieldDef<Campaign> kCampaignFields[] = {
    build::text<&Campaign::name>("name", "name", F | S | Q | I | L | R, "campaign name (秋の DX セミナー)"),
    build::enumeration<&Campaign::channel>("channel", "channel", kChannels, F | S | G | I | L,
                                           "seminar|web|ads|email|referral|other"),
    build::date<&Campaign::start_date>("start_date", "start_date", F | S | I | L, "YYYY-MM-DD").named("start"),
    build::date<&Campaign::end_date>("end_date", "end_date", F | S | I | L, "YYYY-MM-DD").named("end"),
    build::money<&Campaign::cost>("cost", "cost_amount", "cost_currency", F | S | I | L,
                                  "cost: AMOUNT [CURRENCY] in minor units (default JPY)"),
};

result<void> validate_product(Write& w, Product& v, const Product*) {
    CRM_TRYV(check_text(w, "name", v.name, true, std::min<std::size_t>(1000, w.db.options.max_text_bytes)));
    CRM_TRYV(check_text(w, "series", v.series));
    v.series = text::trim(v.series);
    return check_money("list_price", v.list_price);
}

result<void> validate_campaign(Write& w, Campaign& v, const Campaign*) {
    CRM_TRYV(check_text(w, "name", v.name, true, std::min<std::size_t>(1000, w.db.options.max_text_bytes)));
    CRM_TRYV(sales::check_date("start_date", v.start_date));
    CRM_TRYV(sales::check_date("end_date", v.end_date));
    if (!v.start_date.empty() && !v.end_date.empty() && v.end_date < v.start_date)
        return invalid("end_date", fmt::format("{} is before start_date {}", v.end_date, v.start_date));
    return check_money("cost", v.cost);
}

const KindDef<Product> kProduct{Entity::product, "product", "products", "products", 5, kProductFields, {},
                                &validate_product};
const KindDef<Campaign> kCampaign{Entity::campaign, "campaign", "campaigns", "campaigns", 6, kCampaignFields, {},
                                  &validate_campaign};
}  // namespace

template <> const KindDef<Product>& kind_def<Product>() noexcept { return kProduct; }
template <> const KindDef<Campaign>& kind_def<Campaign>() noexcept { return kCampaign; }
const KindEntry& product_kind() { return entry<Product>("set it inactive instead"); }
const KindEntry& campaign_kind() { return entry<Campaign>(); }

}  // namespace records

const char* to_string(CampaignChannel c) noexcept { return records::enum_name(records::kChannels, c); }
std::optional<CampaignChannel> campaign_channel_from_string(const std::string& s) noexcept {
    return records::enum_from_name<CampaignChannel>(records::kChannels, s);
}

CRM_RECORD_KIND(Product);
CRM_RECORD_KIND(Campaign);

Products Db::products() noexcept { return Products(impl_.get()); }
Campaigns Db::campaigns() noexcept { return Campaigns(impl_.get()); }

result<std::vector<Deal>> Campaigns::deals(Id campaign_id) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<std::vector<Deal>> {
        if (!store::exists(*db_, Entity::campaign, campaign_id)) return records::not_found<Campaign>(campaign_id);
        return records::load_all<Deal>(*db_, store::ids_where(*db_, "deals", "campaign_id", campaign_id));
    });
}

result<std::vector<Contact>> Campaigns::contacts(Id campaign_id) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<std::vector<Contact>> {
        CRM_TRY(Campaign c, records::load_full<Campaign>(*db_, campaign_id));
        std::vector<Contact> out;
        ListOptions o;
        o.where = {Filter{"lead_source", Op::eq, c.name}};
        o.limit = 10000;
        do {
            CRM_TRY(auto page, Records<Contact>(db_).list(o));
            for (auto& x : page.items) out.push_back(std::move(x));
            o.after = page.next;
        } while (!o.after.empty());
        return out;
    });
}

}  // namespace crm
