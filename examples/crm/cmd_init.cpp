// cmd_init.cpp — `crm init` (create or upgrade a database) and `crm version`.
#include <filesystem>

#include <fmt/format.h>

#include "commands.hpp"

namespace cli {

int cmd_init(Context& ctx, const Tokens& args) {
    Args a = parse_args(ctx, args, {});
    a.expect_positional(0, 0);
    std::error_code ec;
    const bool existed = ctx.db_path != ":memory:" && std::filesystem::exists(ctx.db_path, ec) &&
                         std::filesystem::file_size(ctx.db_path, ec) > 0;
    auto& db = ctx.open(/*create=*/true);
    const int version = db.schema_version();
    const int found = db.opened_schema_version();  // 0: created; < version: upgraded
    if (ctx.format == Format::as_json) {
        print_json_doc(json{{"path", ctx.db_path},
                            {"created", !existed},
                            {"schema_version", version},
                            {"upgraded_from", existed && found < version ? json(found) : json(nullptr)}}
                           .dump());
    } else if (ctx.format == Format::as_csv) {
        print_csv({{"path", "created", "schema_version", "upgraded_from"},
                   {{ctx.db_path, existed ? "false" : "true", std::to_string(version),
                     existed && found < version ? std::to_string(found) : ""}}});
    } else if (!existed) {
        fmt::print("{}: created, schema version {}\n", ctx.db_path, version);
    } else if (found < version) {
        fmt::print("{}: upgraded from schema version {} to {}\n", ctx.db_path, found, version);
    } else {
        fmt::print("{}: ready, schema version {}\n", ctx.db_path, version);
    }
    return exit_ok;
}

int cmd_version(Context& ctx, const Tokens& args) {
    Args a = parse_args(ctx, args, {});
    a.expect_positional(0, 0);
    const int schema = crm::Db::latest_schema_version();
    if (ctx.format == Format::as_json) {
        print_json_doc(json{{"cli", CRM_VERSION_STRING}, {"library", crm::version()}, {"schema_version", schema}}.dump());
    } else if (ctx.format == Format::as_csv) {
        print_csv({{"cli", "library", "schema_version"}, {{CRM_VERSION_STRING, crm::version(), std::to_string(schema)}}});
    } else {
        fmt::print("crm {} (library {}, schema version {})\n", CRM_VERSION_STRING, crm::version(), schema);
    }
    return exit_ok;
}

std::string init_usage() {
    return "usage: crm [--db FILE] init\n\n"
           "Creates the database file (default $CRM_DB, else ./crm.db) or brings an existing\n"
           "one up to the latest schema, and prints its schema version.\n";
}

std::string version_usage() {
    return "usage: crm version\n\nPrints the versions of the crm tool, the library and the database schema.\n";
}

}  // namespace cli
