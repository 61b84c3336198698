// commands.hpp — the sub-commands of crm, one function per command family
// (like lg2's lg2_* functions), and their usage texts for `crm help`.
#pragma once

#include <string>
#include <vector>

#include "cli.hpp"

namespace cli {

using Tokens = std::vector<std::string>;

int cmd_init(Context& ctx, const Tokens& args);     // cmd_init.cpp
int cmd_version(Context& ctx, const Tokens& args);  // cmd_init.cpp
int cmd_contact(Context& ctx, const Tokens& args);  // cmd_records.cpp
int cmd_account(Context& ctx, const Tokens& args);
int cmd_user(Context& ctx, const Tokens& args);
int cmd_team(Context& ctx, const Tokens& args);
int cmd_tag(Context& ctx, const Tokens& args);      // cmd_custom.cpp
int cmd_field(Context& ctx, const Tokens& args);
int cmd_custom(Context& ctx, const Tokens& args);
int cmd_demo(Context& ctx, const Tokens& args);     // cmd_demo.cpp

std::string records_usage(crm::Entity e);
std::string init_usage();
std::string version_usage();
std::string tag_usage();
std::string field_usage();
std::string custom_usage();
std::string demo_usage();

}  // namespace cli
