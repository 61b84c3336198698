// cmd_normalize.cpp — `crm normalize email|phone|text|fold|kana|company VALUE…`:
// what crm::normalize makes of typed text (docs/normalize.md). No database needed.
//   crm normalize phone 03-1234-5678 "+1 650 253 0000" [--region JP]
//   crm normalize company "㈱ミライクラウド" "Mirai Cloud Co., Ltd."
#include <fmt/format.h>

#include "commands.hpp"
#include "crm/normalize.hpp"
#include "records.hpp"

namespace cli {

namespace {

// Prints one row per value and what it becomes. If any value is refused nothing is
// printed and the error names each refused value with the reason (exit 3).
int each_value(Context& ctx, const Tokens& t, bool has_region,
               crm::result<std::string> (*fn)(const std::string& value, const std::string& region)) {
    std::vector<OptSpec> spec;
    if (has_region) spec.push_back({"region", true});
    Args a = parse_args(ctx, t, spec);
    a.expect_positional(1, 10000);
    const std::string region = a.get("region").value_or("JP");
    if (has_region) check_utf8("--region", region);
    Table out{{"value", "normalized"}, {}};
    json docs = json::array();
    std::string refused;
    std::size_t n_refused = 0;
    for (const auto& v : a.positional) {
        check_utf8("VALUE", v);
        auto r = fn(v, region);
        if (!r) {
            if (r.error().field == "region") raise(r.error());  // the option is wrong, not the value
            if (++n_refused <= 5) refused += fmt::format("{}{}", refused.empty() ? "" : "; ", r.error().message);
            continue;
        }
        out.rows.push_back({v, r.value()});
        docs.push_back({{"value", v}, {"normalized", r.value()}});
    }
    if (n_refused > 0)
        invalid_input(n_refused > 5 ? fmt::format("{} values refused: {} …", n_refused, refused) : refused);
    if (ctx.format == Format::as_json) {
        print_json_doc(docs.dump());
    } else if (ctx.format == Format::as_csv) {
        print_csv(out);
    } else {
        print_table(out, 60);
    }
    return exit_ok;
}

crm::result<std::string> infallible(std::string s) { return s; }

int norm_email(Context& ctx, const Tokens& t) {
    return each_value(ctx, t, false, [](const std::string& v, const std::string&) { return crm::normalize::email(v); });
}
int norm_phone(Context& ctx, const Tokens& t) {
    return each_value(ctx, t, true, [](const std::string& v, const std::string& r) { return crm::normalize::phone(v, r); });
}
int norm_text(Context& ctx, const Tokens& t) {
    return each_value(ctx, t, false, [](const std::string& v, const std::string&) { return infallible(crm::normalize::text(v)); });
}
int norm_fold(Context& ctx, const Tokens& t) {
    return each_value(ctx, t, false, [](const std::string& v, const std::string&) { return infallible(crm::normalize::fold(v)); });
}
int norm_kana(Context& ctx, const Tokens& t) {
    return each_value(ctx, t, false, [](const std::string& v, const std::string&) { return infallible(crm::normalize::kana(v)); });
}
int norm_company(Context& ctx, const Tokens& t) {
    return each_value(ctx, t, false,
                      [](const std::string& v, const std::string&) { return infallible(crm::normalize::company(v)); });
}

}  // namespace

int cmd_normalize(Context& ctx, const Tokens& args) {
    return run_sub(ctx, args,
                   {{"email", norm_email},
                    {"phone", norm_phone},
                    {"text", norm_text},
                    {"fold", norm_fold},
                    {"kana", norm_kana},
                    {"company", norm_company}});
}

std::string normalize_usage() {
    return "usage: crm normalize email VALUE...\n"
           "       crm normalize phone VALUE... [--region JP]\n"
           "       crm normalize text|fold|kana|company VALUE...\n\n"
           "What the library makes of typed text (docs/normalize.md): email — a matching key\n"
           "(case, width, IDN); phone — E.164, numbers without a country code read in --region\n"
           "(ISO 3166, default JP); text — NFKC, white space tidied; fold — a name's matching key;\n"
           "kana — a reading's key (hiragana, katakana and half-width are one); company — a\n"
           "company name's key without its legal form (株式会社, (株), Co., Ltd., Inc. …).\n"
           "One row per value; if any is refused (exit 3) nothing is printed and the error says why.\n";
}

}  // namespace cli
