// cmd_thresholds.cpp — `crm threshold …` (score thresholds with hysteresis) and
// `crm contact lifecycle|recycle` (crm/thresholds.hpp).
//   crm threshold define NAME --model M --enter P --leave P [--output total|fit|engagement] [--stage S]
//   crm threshold list | show NAME | remove NAME | inside NAME | state NAME CONTACT | crossings NAME [--contact C]
//   crm contact lifecycle ID            crm contact recycle ID --reason R
#include <fmt/format.h>

#include "commands.hpp"
#include "crm/thresholds.hpp"
#include "records.hpp"

namespace cli {

namespace {
const std::vector<std::string> kColumns = {"name", "model", "output", "enter", "leave", "stage", "created_at"};

// Points with up to three decimals ("60", "-12.5") into thousandths. Exit 1 when
// it does not parse; the range is the library's to check (exit 3).
std::int64_t parse_points(const std::string& text, const char* what) {
    std::size_t i = 0;
    bool neg = false;
    if (i < text.size() && text[i] == '-') {
        neg = true;
        ++i;
    }
    std::int64_t whole = 0;
    std::size_t digits = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
        if (++digits > 12) usage_error(fmt::format("{}: '{}' is too long a number", what, text));
        whole = whole * 10 + (text[i] - '0');
        ++i;
    }
    std::int64_t frac = 0;
    std::size_t fdigits = 0;
    if (i < text.size() && text[i] == '.') {
        ++i;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
            if (++fdigits > 3) usage_error(fmt::format("{}: '{}' has more than three decimals", what, text));
            frac = frac * 10 + (text[i] - '0');
            ++i;
        }
        if (fdigits == 0) usage_error(fmt::format("{}: '{}' is not a number of points", what, text));
        for (std::size_t k = fdigits; k < 3; ++k) frac *= 10;
    }
    if (digits == 0 || i != text.size()) usage_error(fmt::format("{}: '{}' is not a number of points", what, text));
    const std::int64_t v = whole * 1000 + frac;
    return neg ? -v : v;
}

std::string name_arg(const std::string& s, const char* what) {
    check_utf8(what, s);
    return s;
}

void print_crossings(const Context& ctx, const std::vector<crm::Crossing>& xs) {
    std::vector<std::string> docs;
    for (const auto& x : xs) docs.push_back(crm::to_json(x));
    print_records(ctx, docs, {"id", "threshold", "contact_id", "direction", "score", "at"});
}

int threshold_define(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {{"model", true, "the scoring model's name"},
                                 {"enter", true, "points: entering at >= this"},
                                 {"leave", true, "points: leaving below this (lower than --enter)"},
                                 {"output", true, "total (default), fit or engagement"},
                                 {"stage", true, "lifecycle stage to move contacts to on entering"}});
    a.expect_positional(1, 1);
    crm::ThresholdDef d;
    d.name = name_arg(a.positional[0], "NAME");
    auto m = a.get("model");
    if (!m) usage_error("--model M is required");
    d.model = name_arg(*m, "--model");
    auto e = a.get("enter");
    auto l = a.get("leave");
    if (!e || !l) usage_error("--enter P and --leave P are required");
    d.enter = parse_points(*e, "--enter");
    d.leave = parse_points(*l, "--leave");
    if (auto o = a.get("output")) {
        auto v = crm::score_output_from_string(*o);
        if (!v) usage_error(fmt::format("--output: '{}' is not total, fit or engagement", *o));
        d.output = *v;
    }
    if (auto s = a.get("stage")) {
        auto v = crm::lifecycle_stage_from_string(*s);
        if (!v) usage_error(fmt::format("--stage: '{}' is not a lifecycle stage", *s));
        d.stage = *v;
    }
    auto r = must(ctx.open().thresholds().define(d));
    print_records(ctx, {crm::to_json(r)}, kColumns);
    return exit_ok;
}

int threshold_list(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {});
    a.expect_positional(0, 0);
    std::vector<std::string> docs;
    for (const auto& d : must(ctx.open().thresholds().list())) docs.push_back(crm::to_json(d));
    print_records(ctx, docs, kColumns);
    return exit_ok;
}

int threshold_show(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {});
    a.expect_positional(1, 1);
    print_record(ctx, crm::to_json(must(ctx.open().thresholds().get(name_arg(a.positional[0], "NAME")))));
    return exit_ok;
}

int threshold_inside(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {});
    a.expect_positional(1, 1);
    std::vector<std::string> docs;
    for (const auto& s : must(ctx.open().thresholds().inside(name_arg(a.positional[0], "NAME"))))
        docs.push_back(crm::to_json(s));
    print_records(ctx, docs, {"contact_id", "since"});
    return exit_ok;
}

int threshold_remove(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {});
    a.expect_positional(1, 1);
    const std::string name = name_arg(a.positional[0], "NAME");
    must(ctx.open().thresholds().remove(name));
    print_object(ctx, json{{"threshold", name}, {"removed", true}});
    return exit_ok;
}

int threshold_state(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {});
    a.expect_positional(2, 2);
    const std::string name = name_arg(a.positional[0], "NAME");
    const crm::Id id = parse_id(a.positional[1], "CONTACT");
    auto s = must(ctx.open().thresholds().state(name, id));
    print_record(ctx, crm::to_json(s));
    return exit_ok;
}

int threshold_crossings(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {{"contact", true, "one contact's crossings"}});
    a.expect_positional(1, 1);
    const std::string name = name_arg(a.positional[0], "NAME");
    crm::Id contact = 0;
    if (auto c = a.get("contact")) contact = parse_id(*c, "--contact");
    print_crossings(ctx, must(ctx.open().thresholds().crossings(name, contact)));
    return exit_ok;
}
}  // namespace

int contact_lifecycle(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {});
    a.expect_positional(1, 1);
    const crm::Id id = parse_id(a.positional[0]);
    std::vector<std::string> docs;
    for (const auto& c : must(ctx.open().thresholds().lifecycle_history(id))) docs.push_back(crm::to_json(c));
    print_records(ctx, docs, {"at", "from", "to", "actor_id", "reason"});
    return exit_ok;
}

int contact_recycle(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {{"reason", true, "why (recorded in the contact's history)"}});
    a.expect_positional(1, 1);
    const crm::Id id = parse_id(a.positional[0]);
    auto r = a.get("reason");
    if (!r) usage_error("--reason R is required");
    check_utf8("--reason", *r);
    must(ctx.open().thresholds().recycle(id, *r));
    print_object(ctx, json{{"id", id}, {"lifecycle_stage", "recycled"}, {"reason", *r}});
    return exit_ok;
}

int cmd_threshold(Context& ctx, const Tokens& args) {
    return run_sub(ctx, args,
                   {{"define", threshold_define},
                    {"list", threshold_list},
                    {"show", threshold_show},
                    {"inside", threshold_inside},
                    {"remove", threshold_remove},
                    {"state", threshold_state},
                    {"crossings", threshold_crossings}});
}

std::string threshold_usage() {
    return "usage: crm threshold define NAME --model M --enter P --leave P [--output total|fit|engagement]\n"
           "                                [--stage subscriber|lead|mql|sql|opportunity|customer]\n"
           "       crm threshold list | show NAME | remove NAME | inside NAME\n"
           "       crm threshold state NAME CONTACT | crossings NAME [--contact C]\n\n"
           "Score thresholds with hysteresis (docs/scoring.md, \"Thresholds\"): a contact enters when\n"
           "the score goes >= --enter while outside and leaves when it goes < --leave while inside;\n"
           "points with up to three decimals. --stage moves a contact forward on entering (never back,\n"
           "never from recycled or disqualified). See also crm contact lifecycle ID and\n"
           "crm contact recycle ID --reason R.\n";
}

}  // namespace cli
