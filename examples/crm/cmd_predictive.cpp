// cmd_predictive.cpp — `crm predict …`: predictive scoring (crm/predictive.hpp).
//   crm predict train FILE                       crm predict show M [--version N]
//   crm predict list                             crm predict versions M
//   crm predict score CONTACT --model M [--as-of T] [--top K]
//   crm predict stored CONTACT --model M         crm predict top --model M [--limit N] [--after C]
//   crm predict rescore --model M
#include <fmt/format.h>

#include "commands.hpp"
#include "crm/predictive.hpp"
#include "records.hpp"

namespace cli {

namespace {
std::string model_opt(const Args& a) {
    auto m = a.get("model");
    if (!m) usage_error("--model M is required");
    check_utf8("--model", *m);
    return *m;
}

std::string fixed(double x, int digits) { return fmt::format("{:.{}f}", x, digits); }

// Models: one row per version with the report's headline figures.
void print_models(const Context& ctx, const std::vector<crm::PredictiveModel>& ms) {
    if (ctx.format == Format::as_json) {
        std::vector<std::string> docs;
        for (const auto& m : ms) docs.push_back(crm::to_json(m));
        print_json_docs(docs);
        return;
    }
    Table t;
    t.headers = {"name", "version", "latest_version", "train_rows", "holdout_rows", "positives", "auc_holdout",
                 "log_loss_holdout", "created_at"};
    for (const auto& m : ms)
        t.rows.push_back({m.name, std::to_string(m.version), std::to_string(m.latest_version),
                          std::to_string(m.report.train_rows), std::to_string(m.report.holdout_rows),
                          std::to_string(m.report.train_positives + m.report.holdout_positives),
                          fixed(m.report.auc_holdout, 4), fixed(m.report.log_loss_holdout, 4),
                          crm::format_iso8601(m.created_at)});
    if (ctx.format == Format::as_csv) print_csv(t);
    else print_table(t);
}

void print_scores(const Context& ctx, const std::vector<crm::PredictiveScore>& ss) {
    if (ctx.format == Format::as_json) {
        std::vector<std::string> docs;
        for (const auto& s : ss) docs.push_back(crm::to_json(s));
        print_json_docs(docs);
        return;
    }
    Table t;
    t.headers = {"contact_id", "model", "version", "score", "probability", "as_of"};
    for (const auto& s : ss)
        t.rows.push_back({std::to_string(s.contact_id), s.model, std::to_string(s.version), std::to_string(s.score),
                          fixed(s.probability, 6), crm::format_iso8601(s.as_of)});
    if (ctx.format == Format::as_csv) print_csv(t);
    else print_table(t);
}

int predict_train(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {});
    a.expect_positional(1, 1);
    const std::string text = read_file_or_stdin(a.positional[0]);
    auto m = must(ctx.open().predictive().train(text));
    print_models(ctx, {m});
    return exit_ok;
}

int predict_show(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {{"version", true, "a version number (default: the latest)"}});
    a.expect_positional(1, 1);
    check_utf8("MODEL", a.positional[0]);
    int version = 0;
    if (auto v = a.get("version")) {
        const auto n = parse_int(*v, "--version");
        if (n < 1 || n > 1000000000) invalid_input(fmt::format("--version: {} is not a version number", n));
        version = static_cast<int>(n);
    }
    auto m = must(ctx.open().predictive().get(a.positional[0], version));
    if (ctx.format == Format::as_json) {
        print_json_doc(crm::to_json(m));
        return exit_ok;
    }
    const auto& r = m.report;
    Table tab;
    tab.headers = {"column", "feature", "weight", "mean", "sd"};
    tab.rows.push_back({"(intercept)", "", fixed(r.intercept, 6), "", ""});
    for (const auto& c : r.coefficients)
        tab.rows.push_back({c.name, c.feature, c.constant ? "constant" : fixed(c.weight, 6), fixed(c.mean, 6), fixed(c.sd, 6)});
    if (ctx.format == Format::as_csv) {
        print_csv(tab);
        return exit_ok;
    }
    fmt::print("{} version {} of {}: trained {} on {} rows ({} positives), hold-out {} rows ({} positives)\n"
               "AUC hold-out {:.4f} (training {:.4f}), log-loss hold-out {:.4f} (training {:.4f}), {} Newton steps{}\n",
               m.name, m.version, m.latest_version, crm::format_iso8601(r.trained_at), r.train_rows, r.train_positives,
               r.holdout_rows, r.holdout_positives, r.auc_holdout, r.auc_train, r.log_loss_holdout, r.log_loss_train,
               r.iterations, r.converged ? "" : " (not converged)");
    if (r.excluded) fmt::print("{} contacts excluded: their outcome came with their creation\n", r.excluded);
    print_table(tab);
    return exit_ok;
}

int predict_list(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {});
    a.expect_positional(0, 0);
    print_models(ctx, must(ctx.open().predictive().list()));
    return exit_ok;
}

int predict_versions(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {});
    a.expect_positional(1, 1);
    check_utf8("MODEL", a.positional[0]);
    print_models(ctx, must(ctx.open().predictive().versions(a.positional[0])));
    return exit_ok;
}

int predict_score(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {{"model", true, "the predictive model's name"},
                                 {"as-of", true, "ISO-8601 time: the contact's data as it was then"},
                                 {"top", true, "factors listed each way (1 … 1000, default 3)"}});
    a.expect_positional(1, 1);
    const crm::Id id = parse_id(a.positional[0], "CONTACT");
    std::optional<crm::Timestamp> as_of;
    if (auto v = a.get("as-of")) as_of = parse_time(*v, "--as-of");
    std::size_t k = 3;
    if (auto v = a.get("top")) {
        const auto n = parse_int(*v, "--top");
        if (n < 1 || n > 1000) invalid_input(fmt::format("--top: {} is not between 1 and 1000", n));
        k = static_cast<std::size_t>(n);
    }
    auto p = must(ctx.open().predictive().predict(id, model_opt(a), as_of, k));
    if (ctx.format == Format::as_json) {
        print_json_doc(crm::to_json(p));
        return exit_ok;
    }
    Table t2;
    t2.headers = {"direction", "factor", "value", "contribution"};
    for (const auto& f : p.positive) t2.rows.push_back({"+", f.name, f.value, fixed(f.contribution, 4)});
    for (const auto& f : p.negative) t2.rows.push_back({"-", f.name, f.value, fixed(f.contribution, 4)});
    if (ctx.format == Format::as_csv) {
        print_csv(t2);
        return exit_ok;
    }
    fmt::print("contact {} under {} version {}: score {} (probability {:.4f}, log-odds {:.4f}) as of {}\n", p.contact_id,
               p.model, p.version, p.score, p.probability, p.logit, crm::format_iso8601(p.as_of));
    print_table(t2);
    return exit_ok;
}

int predict_stored(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {{"model", true, "the predictive model's name"}});
    a.expect_positional(1, 1);
    const crm::Id id = parse_id(a.positional[0], "CONTACT");
    print_scores(ctx, {must(ctx.open().predictive().stored(id, model_opt(a)))});
    return exit_ok;
}

int predict_top(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {{"model", true, "the predictive model's name"},
                                 {"limit", true, "1 … 1000 (default 50)"},
                                 {"after", true, "the cursor printed as next: by the previous page"}});
    a.expect_positional(0, 0);
    crm::TopQuery q;
    if (auto v = a.get("limit")) {
        const auto n = parse_int(*v, "--limit");
        if (n < 1 || n > 1000) invalid_input(fmt::format("--limit: {} is not between 1 and 1000", n));
        q.limit = static_cast<std::size_t>(n);
    }
    if (auto v = a.get("after")) {
        check_utf8("--after", *v);
        q.after = *v;
    }
    auto page = must(ctx.open().predictive().top(model_opt(a), q));
    print_scores(ctx, page.items);
    if (!page.next.empty()) note(fmt::format("next: {}", page.next));
    return exit_ok;
}

int predict_rescore(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {{"model", true, "the predictive model's name"}});
    a.expect_positional(0, 0);
    const std::string m = model_opt(a);
    const auto n = must(ctx.open().predictive().rescore(m));
    print_object(ctx, json{{"model", m}, {"stored", n}});
    return exit_ok;
}
}  // namespace

int cmd_predict(Context& ctx, const Tokens& args) {
    return run_sub(ctx, args,
                   {{"train", predict_train},
                    {"show", predict_show},
                    {"list", predict_list},
                    {"versions", predict_versions},
                    {"score", predict_score},
                    {"stored", predict_stored},
                    {"top", predict_top},
                    {"rescore", predict_rescore}});
}

std::string predict_usage() {
    return "usage: crm predict train FILE                      (FILE: a definition, - for stdin)\n"
           "       crm predict show M [--version N] | list | versions M\n"
           "       crm predict score CONTACT --model M [--as-of T] [--top K]\n"
           "       crm predict stored CONTACT --model M\n"
           "       crm predict top --model M [--limit N] [--after CURSOR]\n"
           "       crm predict rescore --model M\n\n"
           "Predictive scoring (docs/predictive.md): a logistic regression trained from the database's\n"
           "own outcomes (contacts converted to a lifecycle stage, or with a won deal), deterministic,\n"
           "with a hold-out AUC. 'train' stores a new version and every contact's prediction;\n"
           "'score' computes a 1-99 score with its top factors; 'top' lists the stored ones, hottest first.\n";
}

}  // namespace cli
