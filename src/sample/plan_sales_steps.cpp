// What happens around a deal's stage changes: the introductory call, the
// discovery meeting, the proposal and the quotation e-mailed with their
// documents (and tracked), the terms meeting, after a win the contract through an
// e-signature service, a thank-you and the invoice, after a loss a last call;
// for renewals the renewal quotation, the terms meeting, the confirmation or the
// cancellation call.
#include <algorithm>

#include <fmt/format.h>

#include "sample/paperwork.hpp"
#include "sample/sales_plan.hpp"

namespace crm::sample::sales {

using japan::kDay;
using japan::kHour;
using japan::kMinute;

namespace {

// A file name part: "Maple Retail Inc." -> "Maple_Retail_Inc" (Japanese names stay as they are).
std::string file_part(std::string s) {
    std::string out;
    for (char c : s) {
        if (c == ' ') out += '_';
        else if (c != '.' && c != ',' && c != '/') out += c;
    }
    return out;
}

Paper paper(const World& w, const DealPlan& d, Timestamp issued, std::string number) {
    Paper p;
    p.ja = d.ja;
    p.number = std::move(number);
    p.issued = issued;
    p.customer = w.accounts[d.account].name;
    if (d.contact) p.person = w.contacts[*d.contact].name;
    if (d.owner) p.rep = w.user_names[*d.owner];
    p.title = d.name;
    p.competitor = d.competitor;
    const auto products = catalog::products();
    for (const auto& l : d.lines)
        p.lines.push_back({products[l.product].name, l.quantity, products[l.product].price, l.discount});
    return p;
}

// A document made at t and e-mailed (with tracking) to the deal's contact at `mailed`.
void mail_document(World& w, Rng& r, const DealPlan& d, Timestamp t, Timestamp mailed, DocumentKind kind,
                   std::string name, std::function<std::string()> content, std::string uri, std::string subject,
                   std::string body) {
    Document doc;
    doc.kind = kind;
    doc.name = std::move(name);
    doc.mime_type = uri.empty() ? "text/html" : "application/pdf";
    doc.uri = std::move(uri);
    doc.links = links(d);
    t = after_create(d, t);
    mailed = std::max(after_create(d, mailed), t + kMinute);
    const std::size_t di = w.document(t, d.owner, std::move(doc), std::move(content));
    if (!d.contact) return;
    const std::string click = fmt::format("{}/share/{}-{}", catalog::kSite, to_string(kind), d.seq + 1);
    const std::size_t mail = w.email(r, draft(d, mailed, "email", Direction::outbound, std::move(subject), std::move(body)),
                                     d.owner, 75, click);
    w.send(di, *d.contact, mailed + 1000, mail, d.owner);
}

}  // namespace

Interaction draft(const DealPlan& d, Timestamp t, const char* kind, Direction dir, std::string subject,
                  std::string body) {
    Interaction i;
    i.kind = kind;
    i.occurred_at = after_create(d, t);
    i.direction = dir;
    i.subject = std::move(subject);
    i.body = std::move(body);
    i.source = "crm";
    if (d.contact) i.contact_ids = {static_cast<Id>(*d.contact)};
    i.account_ids = {static_cast<Id>(d.account)};
    i.deal_ids = {static_cast<Id>(d.index)};
    return i;
}

std::vector<RecordLink> links(const DealPlan& d) {
    std::vector<RecordLink> out{{Entity::account, static_cast<Id>(d.account)}, {Entity::deal, static_cast<Id>(d.index)}};
    if (d.contact) out.push_back({Entity::contact, static_cast<Id>(*d.contact)});
    return out;
}

// What happens around entering stage path[k] at times[k].
void plan_activity(World& w, Rng& r, const DealPlan& d, std::size_t k) {
    const auto& seed = catalog::pipelines()[d.pipeline].stages[d.path[k]];
    const Timestamp t = d.times[k];
    const std::string subject = seed.activity.pick(d.ja);
    const std::string who = d.contact ? w.contacts[*d.contact].name : w.accounts[d.account].name;
    const std::string year = japan::jst_date(t).substr(0, 4);
    auto log = [&](Timestamp at, const char* kind, Direction dir, std::string body, std::string channel = {}) {
        Interaction i = draft(d, at, kind, dir, subject, std::move(body));
        i.channel = std::move(channel);
        w.log(std::move(i), d.owner);
    };
    const char* channel = r.pick(catalog::meeting_channels());
    if (d.pipeline == 0) {
        switch (d.path[k]) {
            case 0:
                log(t + r.between(10, 40) * kMinute, "call", Direction::outbound,
                    d.ja ? fmt::format("{}様にご挨拶。現状の運用と課題を伺う打ち合わせを打診。", who)
                         : fmt::format("Introduced ourselves to {}; proposed a discovery meeting.", who),
                    "電話");
                break;
            case 1:
                log(w.work_before(r, t, 90 * kMinute), "meeting", Direction::outbound,
                    d.ja ? fmt::format("現状：{}で運用。課題：月次締めに3営業日。利用予定 {}名。",
                                       d.competitor.empty() ? "Excel" : d.competitor, d.seats)
                         : fmt::format("Today: {}. Pain: closing takes three days. {} users.",
                                       d.competitor.empty() ? "spreadsheets" : d.competitor, d.seats),
                    channel);
                break;
            case 2: {
                const Timestamp made = w.work_before(r, t, 20 * kHour);
                const Paper p = paper(w, d, made, {});
                mail_document(w, r, d, made, t - 15 * kMinute, DocumentKind::proposal,
                              fmt::format("{}_{}.html", d.ja ? "ご提案書" : "Proposal", file_part(w.accounts[d.account].name)),
                              [p] { return proposal_html(p); }, {}, subject,
                              d.ja ? fmt::format("{}様\n\nご提案書をお送りいたします。ご査収のほどよろしくお願いいたします。", who)
                                   : fmt::format("Dear {},\n\nPlease find our proposal attached.", who));
                break;
            }
            case 3: {
                const std::string number = fmt::format("Q-{}-{:05}", year, d.seq + 1);
                const Timestamp made = w.work_before(r, t, 3 * kHour);
                const Paper p = paper(w, d, made, number);
                mail_document(w, r, d, made, t - 10 * kMinute, DocumentKind::quote,
                              fmt::format("{}_{}_{}.html", d.ja ? "御見積書" : "Quotation", file_part(w.accounts[d.account].name), number),
                              [p] { return quote_html(p); }, {}, subject,
                              d.ja ? fmt::format("{}様\n\nお見積書（{}）をお送りいたします。合計 {}（税抜）です。", who,
                                                 number, yen(d.amount))
                                   : fmt::format("Dear {},\n\nOur quotation {} totals {} before tax.", who, number,
                                                 yen(d.amount)));
                break;
            }
            case 4:
                log(w.work_before(r, t, 2 * kHour), "meeting", Direction::outbound,
                    d.ja ? fmt::format("決裁者同席。{}の条件で合意に向け調整中。", yen(d.amount))
                         : fmt::format("Decision maker present; working towards {}.", yen(d.amount)),
                    channel);
                break;
            case 5: {  // won: the contract through an e-signature service, a thank-you, the invoice
                const Timestamp signing = w.work_before(r, t, 25 * kHour);
                mail_document(w, r, d, signing - kHour, signing, DocumentKind::contract,
                              fmt::format("{}_{}.pdf", d.ja ? "ご契約書" : "Contract", file_part(w.accounts[d.account].name)), {},
                              fmt::format("https://sign.example.jp/envelopes/{:016x}", mix64(w.o.seed ^ d.seq)),
                              d.ja ? "【電子契約】ご契約書締結のお願い" : "Please sign the contract",
                              d.ja ? "電子契約サービスよりご契約書をお送りしました。ご確認のうえご署名ください。"
                                   : "The contract is waiting for your signature.");
                if (d.contact)
                    w.email(r, draft(d, t + 1 * kHour, "email", Direction::outbound, subject,
                                     d.ja ? "このたびはご発注いただき誠にありがとうございます。キックオフの日程をご相談させてください。"
                                          : "Thank you for your order. Let us schedule the kickoff."),
                            d.owner, 90);
                const Timestamp invoiced = w.work_after(r, t, 3, 10);
                if (invoiced < w.now - kHour) {
                    const std::string number = fmt::format("INV-{}-{:05}", japan::jst_date(invoiced).substr(0, 7), d.seq + 1);
                    const Paper p = paper(w, d, invoiced, number);
                    mail_document(w, r, d, invoiced - 30 * kMinute, invoiced, DocumentKind::invoice,
                                  fmt::format("{}_{}_{}.html", d.ja ? "請求書" : "Invoice", file_part(w.accounts[d.account].name), number),
                                  [p] { return invoice_html(p); }, {}, d.ja ? "請求書送付のご案内" : "Your invoice",
                                  d.ja ? fmt::format("請求書（{}）をお送りいたします。", number)
                                       : fmt::format("Please find invoice {} attached.", number));
                }
                break;
            }
            case 6:
                log(w.work_after(r, t, 1, 3), "call", Direction::outbound,
                    d.ja ? fmt::format("失注理由：{}。半年後に再アプローチ予定。", d.lost_reason)
                         : fmt::format("Lost: {}. Try again in six months.", d.lost_reason),
                    "電話");
                break;
            default: break;
        }
        return;
    }
    switch (d.path[k]) {
        case 0: {
            const std::string number = fmt::format("Q-{}-{:05}", year, d.seq + 1);
            const Paper p = paper(w, d, t + 5 * kMinute, number);
            mail_document(w, r, d, t + 5 * kMinute, t + 20 * kMinute, DocumentKind::quote,
                          fmt::format("{}_{}_{}.html", d.ja ? "御見積書（更新）" : "Renewal quotation",
                                      file_part(w.accounts[d.account].name), number),
                          [p] { return quote_html(p); }, {}, subject,
                          d.ja ? "現在のご契約の更新時期が近づいてまいりましたので、更新のお見積りをお送りします。"
                               : "Your contract is up for renewal; our quotation is attached.");
            break;
        }
        case 1:
            log(w.work_before(r, t, 60 * kMinute), "meeting", Direction::outbound,
                d.ja ? fmt::format("更新条件の確認。利用人数 {}名で調整。", d.seats)
                     : fmt::format("Renewal terms for {} users.", d.seats),
                channel);
            break;
        case 2:
            if (d.contact)
                w.email(r, draft(d, t + 30 * kMinute, "email", Direction::outbound, subject,
                                 d.ja ? "ご契約更新のお手続きが完了いたしました。引き続きよろしくお願いいたします。"
                                      : "Your renewal is complete. Thank you."),
                        d.owner, 80);
            break;
        case 3:
            log(t + 2 * kHour, "call", Direction::inbound,
                d.ja ? fmt::format("解約のご連絡。理由：{}。", d.lost_reason)
                     : fmt::format("Customer cancels: {}.", d.lost_reason),
                "電話");
            break;
        default: break;
    }
}

}  // namespace crm::sample::sales
