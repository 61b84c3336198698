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
int cmd_contact(Context& ctx, const Tokens& args);  // cmd_records.cpp (and the generic
int cmd_account(Context& ctx, const Tokens& args);  // record commands of every kind)
int cmd_user(Context& ctx, const Tokens& args);
int cmd_team(Context& ctx, const Tokens& args);
int cmd_tag(Context& ctx, const Tokens& args);      // cmd_custom.cpp
int cmd_field(Context& ctx, const Tokens& args);
int cmd_custom(Context& ctx, const Tokens& args);
int cmd_demo(Context& ctx, const Tokens& args);     // cmd_demo.cpp
int demo_maven(Context& ctx, const std::string& dir);  // demo_maven.cpp: crm demo --maven DIR
int cmd_history(Context& ctx, const Tokens& args);  // cmd_history.cpp: the change feed

std::string contact_usage();
std::string account_usage();
std::string user_usage();
std::string team_usage();
std::string init_usage();
std::string version_usage();
std::string tag_usage();
std::string field_usage();
std::string custom_usage();
std::string demo_usage();
std::string history_usage();

// ---- lead scoring (cmd_scoring.cpp)
int cmd_score(Context& ctx, const Tokens& args);
std::string score_usage();

// ---- normalisation (cmd_normalize.cpp)
int cmd_normalize(Context& ctx, const Tokens& args);
std::string normalize_usage();
// ---- full-text search (cmd_search.cpp)
int cmd_search(Context& ctx, const Tokens& args);
std::string search_usage();
// ---- CSV files (cmd_csv.cpp)
int cmd_csv(Context& ctx, const Tokens& args);
std::string csv_usage();
// ---- import and export (cmd_import.cpp)
int cmd_import(Context& ctx, const Tokens& args);
int cmd_export(Context& ctx, const Tokens& args);
std::string import_usage();
std::string export_usage();

// ---- score thresholds, lifecycle (cmd_thresholds.cpp)
int cmd_threshold(Context& ctx, const Tokens& args);
std::string threshold_usage();
int cmd_signal(Context& ctx, const Tokens& args);
std::string signal_usage();
int contact_lifecycle(Context& ctx, const Tokens& args);  // crm contact lifecycle ID
int contact_recycle(Context& ctx, const Tokens& args);    // crm contact recycle ID --reason R

// ---- predictive scoring (cmd_predictive.cpp)
int cmd_predict(Context& ctx, const Tokens& args);
std::string predict_usage();
// ---- duplicate detection and merge (cmd_dedup.cpp)
int cmd_dedup(Context& ctx, const Tokens& args);
std::string dedup_usage();
// ---- routing of hot leads (cmd_routing.cpp)
int cmd_routing(Context& ctx, const Tokens& args);
int cmd_route(Context& ctx, const Tokens& args);
std::string routing_usage();
std::string route_usage();

// ---- sales (cmd_sales.cpp)
int cmd_product(Context& ctx, const Tokens& args);
int cmd_campaign(Context& ctx, const Tokens& args);
int cmd_pipeline(Context& ctx, const Tokens& args);
int cmd_deal(Context& ctx, const Tokens& args);
std::string product_usage();
std::string campaign_usage();
std::string pipeline_usage();
std::string deal_usage();

// ---- service: tickets, business calendars, SLA policies (cmd_tickets.cpp)
int cmd_ticket(Context& ctx, const Tokens& args);
int cmd_calendar(Context& ctx, const Tokens& args);
int cmd_sla(Context& ctx, const Tokens& args);
std::string ticket_usage();
std::string calendar_usage();
std::string sla_usage();

// ---- interactions, timelines, bulk ingest, email tracking (cmd_interactions.cpp)
int cmd_log(Context& ctx, const Tokens& args);
int cmd_interaction(Context& ctx, const Tokens& args);
int cmd_timeline(Context& ctx, const Tokens& args);
int cmd_ingest(Context& ctx, const Tokens& args);
int cmd_email(Context& ctx, const Tokens& args);
std::string log_usage();
std::string interaction_usage();
std::string timeline_usage();
std::string ingest_usage();
std::string email_usage();

// ---- work: tasks and reminders, documents (cmd_work.cpp)
int cmd_task(Context& ctx, const Tokens& args);
int cmd_doc(Context& ctx, const Tokens& args);
std::string task_usage();
std::string doc_usage();

// ---- saved segments (cmd_segments.cpp)
int cmd_segment(Context& ctx, const Tokens& args);
std::string segment_usage();
// ---- forms and lead capture (cmd_forms.cpp)
int cmd_form(Context& ctx, const Tokens& args);
std::string form_usage();

}  // namespace cli
