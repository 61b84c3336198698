// Quotes, proposals and invoices of the sample company as HTML.
#include "sample/paperwork.hpp"

#include <fmt/format.h>

#include "sample/catalog.hpp"
#include "sample/japan.hpp"
#include "sample/world.hpp"

namespace crm::sample {
namespace {

std::string long_date(bool ja, Timestamp t) {
    const auto d = japan::civil_from_days(japan::jst_day(t));
    if (ja) return fmt::format("{}年{}月{}日", d.year, d.month, d.day);
    static constexpr const char* months[] = {"January", "February", "March",     "April",   "May",      "June",
                                             "July",    "August",   "September", "October", "November", "December"};
    return fmt::format("{} {}, {}", months[d.month - 1], d.day, d.year);
}

std::string head(const std::string& title, bool ja) {
    return fmt::format(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head><meta charset=\"utf-8\"><title>{}</title>\n"
        "<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}"
        "td,th{{border:1px solid #999;padding:4px 8px}}td.n{{text-align:right}}</style></head>\n<body>\n",
        ja ? "ja" : "en", html_escape(title));
}

std::string addressee(const Paper& p) {
    if (p.ja)
        return p.person.empty() ? fmt::format("<p>{} 御中</p>\n", html_escape(p.customer))
                                : fmt::format("<p>{} 御中<br>{} 様</p>\n", html_escape(p.customer), html_escape(p.person));
    return p.person.empty() ? fmt::format("<p>{}</p>\n", html_escape(p.customer))
                            : fmt::format("<p>{}<br>Attn: {}</p>\n", html_escape(p.customer), html_escape(p.person));
}

// The lines with subtotal, 10% consumption tax and total.
std::string lines_table(const Paper& p) {
    std::string out = p.ja ? "<table>\n<tr><th>品目</th><th>数量</th><th>単価</th><th>値引</th><th>金額</th></tr>\n"
                           : "<table>\n<tr><th>Item</th><th>Qty</th><th>Unit price</th><th>Discount</th><th>Amount</th></tr>\n";
    std::int64_t subtotal = 0;
    for (const auto& l : p.lines) {
        const std::int64_t amount = l.quantity * l.unit_price - l.discount;
        subtotal += amount;
        out += fmt::format("<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
                           "<td class=\"n\">{}</td></tr>\n",
                           html_escape(l.product), l.quantity, yen(l.unit_price), yen(l.discount), yen(amount));
    }
    const std::int64_t tax = subtotal / 10;  // 10%, fractions of a yen dropped (切り捨て)
    out += fmt::format("</table>\n<p>{} {}<br>{} {}<br><strong>{} {}</strong></p>\n", p.ja ? "小計" : "Subtotal",
                       yen(subtotal), p.ja ? "消費税（10%）" : "Consumption tax (10%)", yen(tax),
                       p.ja ? "合計金額" : "Total", yen(subtotal + tax));
    return out;
}

std::string signature(const Paper& p) {
    return fmt::format("<p>{}<br>{}<br>{}: {}<br>〒100-0005 東京都千代田区丸の内1-1-1<br>TEL 03-0000-1234</p>\n",
                       catalog::kCompany, p.ja ? "営業部" : "Sales", p.ja ? "担当" : "Contact", html_escape(p.rep));
}

}  // namespace

std::string quote_html(const Paper& p) {
    const std::string title = p.ja ? "御見積書" : "Quotation";
    std::string out = head(fmt::format("{} {}", title, p.number), p.ja);
    out += fmt::format("<h1>{}</h1>\n", title);
    out += addressee(p);
    out += p.ja ? fmt::format("<p>見積番号: {}<br>発行日: {}<br>件名: {}<br>有効期限: 発行日より30日</p>\n", p.number,
                              long_date(true, p.issued), html_escape(p.title))
                : fmt::format("<p>No. {}<br>Date: {}<br>Subject: {}<br>Valid for 30 days</p>\n", p.number,
                              long_date(false, p.issued), html_escape(p.title));
    out += p.ja ? "<p>下記の通りお見積り申し上げます。</p>\n" : "<p>We are pleased to quote as follows.</p>\n";
    out += lines_table(p);
    out += signature(p);
    return out + "</body>\n</html>\n";
}

std::string proposal_html(const Paper& p) {
    const std::string title = p.ja ? "ご提案書" : "Proposal";
    std::string out = head(fmt::format("{}：{}", title, p.title), p.ja);
    out += fmt::format("<h1>{}</h1>\n<h2>{}</h2>\n", title, html_escape(p.title));
    out += addressee(p);
    const std::string today = p.competitor.empty() ? (p.ja ? "紙・Excelでの管理" : "paper and spreadsheets") : p.competitor;
    if (p.ja) {
        out += fmt::format(
            "<h3>1. 現状の課題</h3>\n<p>現在は{}で勤怠・経費を管理されており、月次締めに多くの工数がかかっています。</p>\n"
            "<h3>2. ご提案内容</h3>\n<p>{}のクラウドサービスで、打刻から承認・給与連携までを一元化します。</p>\n"
            "<h3>3. 導入効果</h3>\n<ul><li>月次締め作業を約70%削減</li><li>法改正へ自動で対応</li>"
            "<li>スマートフォンからの打刻・申請</li></ul>\n"
            "<h3>4. 導入スケジュール</h3>\n<p>ご契約から約2か月で本稼働（設定・データ移行・操作研修を含む）。</p>\n"
            "<h3>5. 概算費用</h3>\n",
            html_escape(today), catalog::kCompany);
    } else {
        out += fmt::format(
            "<h3>1. Today</h3>\n<p>Attendance and expenses are handled with {}, and each monthly closing takes days.</p>\n"
            "<h3>2. Our proposal</h3>\n<p>One cloud service from clock-in to approval and payroll.</p>\n"
            "<h3>3. Benefits</h3>\n<ul><li>About 70% less work at each closing</li><li>Legal changes applied for you"
            "</li><li>Clock-in and requests from a phone</li></ul>\n"
            "<h3>4. Schedule</h3>\n<p>Live about two months after signing, set-up and training included.</p>\n"
            "<h3>5. Estimate</h3>\n",
            html_escape(today));
    }
    out += lines_table(p);
    out += signature(p);
    return out + "</body>\n</html>\n";
}

std::string invoice_html(const Paper& p) {
    const std::string title = p.ja ? "請求書" : "Invoice";
    std::string out = head(fmt::format("{} {}", title, p.number), p.ja);
    out += fmt::format("<h1>{}</h1>\n", title);
    out += addressee(p);
    const Timestamp due = japan::jst_midnight_of_day(japan::jst_day(p.issued) + 30);
    out += p.ja ? fmt::format("<p>請求番号: {}<br>発行日: {}<br>件名: {}<br>お支払期限: {}<br>"
                              "登録番号: T1234567890123</p>\n",
                              p.number, long_date(true, p.issued), html_escape(p.title), long_date(true, due))
                : fmt::format("<p>No. {}<br>Date: {}<br>Subject: {}<br>Due: {}</p>\n", p.number,
                              long_date(false, p.issued), html_escape(p.title), long_date(false, due));
    out += lines_table(p);
    out += p.ja ? "<p>お振込先: みらい銀行 丸の内支店 普通 1234567 ミライクラウド（カ</p>\n"
                : "<p>Bank: Mirai Bank, Marunouchi branch, ordinary account 1234567</p>\n";
    out += signature(p);
    return out + "</body>\n</html>\n";
}

}  // namespace crm::sample
