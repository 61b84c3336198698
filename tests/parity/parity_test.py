#!/usr/bin/env python3
"""One product, three interfaces (issue 8): every public operation of the C++ API
has a C function and a CLI command.

usage: parity_test.py INCLUDE_DIR LIBCRM_SO NM CRM_BINARY

The table below maps each member function of the public classes in
include/crm/*.hpp (crm::Db and the services and handles it gives) to its C
function and its CLI command. The test fails when
  - a public member function declared in the headers has no row (or a row names
    one the headers no longer declare),
  - the C function a row names is not exported by libcrm.so (nm -D),
  - the CLI command a row names does not exist: `crm CMD SUB --help` must succeed
    (an unknown sub-command is a usage error) and list every --option of the row.
A row may say None for an interface, with the reason, where an operation has no
meaning there (an accessor, a transaction spanning commands in one process).
"""
import glob
import os
import re
import subprocess
import sys

# ---- the public operations, read from the headers ------------------------------------
def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def match_brace(text, i):
    """The index of the brace closing the one at text[i]."""
    depth = 0
    for k in range(i, len(text)):
        if text[k] == "{":
            depth += 1
        elif text[k] == "}":
            depth -= 1
            if depth == 0:
                return k
    raise ValueError("unbalanced braces")


def declared_name(stmt):
    """The name a member declaration declares: the identifier before its first '(' outside <>."""
    depth = 0
    for k, ch in enumerate(stmt):
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth -= 1
        elif ch == "(" and depth == 0:
            m = re.search(r"(~?\w+|operator\s*\S+)\s*$", stmt[:k])
            return m.group(1) if m else None
    return None


def add_operation(ops, cls, stmt, path):
    s = " ".join(stmt.split())
    if re.match(r"(friend|using|typedef|static_assert)\b", s) or re.search(r"=\s*(delete|default)\s*$", s):
        return
    name = declared_name(s)
    if not name or name == cls or name.startswith("~") or name.startswith("operator"):
        return  # constructors, destructors, operators
    ops.setdefault(f"{cls}::{name}", os.path.basename(path))


def operations(include_dir):
    """{"Class::member": header} for the public member functions of every class
    (not struct: those are the record and value types) in include/crm/*.hpp."""
    ops = {}
    for path in sorted(glob.glob(os.path.join(include_dir, "crm", "*.hpp"))):
        text = strip_comments(open(path, encoding="utf-8").read())
        for m in re.finditer(r"(?<!enum )\bclass\s+(\w+)\s*(?:final\s*)?(?::[^{;()]*)?\{", text):
            cls, open_at = m.group(1), m.end() - 1
            body = text[open_at + 1:match_brace(text, open_at)]
            public, stmt, k = False, "", 0
            while k < len(body):
                ch = body[k]
                if ch in "{;":  # a statement ends; an inline body or nested type is skipped
                    if public and "(" in stmt:
                        add_operation(ops, cls, stmt, path)
                    stmt = ""
                    k = match_brace(body, k) + 1 if ch == "{" else k + 1
                    continue
                stmt += ch
                access = re.match(r"\s*(public|private|protected)\s*:(?!:)", stmt)
                if access:
                    public = access.group(1) == "public"
                    stmt = stmt[access.end():]
                k += 1
    return ops


# ---- the table ------------------------------------------------------------------------
# "{kind}" in a CLI command stands for the command of every record kind.
KINDS = ["contact", "account", "user", "team", "product", "campaign", "pipeline", "deal", "interaction", "ticket",
         "task", "doc"]  # segment: its count is the members count (crm segment count), see the Segments rows
ACCESSOR = "an accessor of a service: C selects it with a crm_entity or the function family, the CLI with its command"
ONE_PROCESS = "one CLI command is one short process: every write is its own transaction (add --from-json with an " \
              "array adds every record in one)"

OPS = {
    # crm::Db
    "Db::open": ("crm_db_open", "init"),
    "Db::close": ("crm_db_close", None, "each command closes its database when it ends"),
    "Db::is_open": (None, None, "a crm_db is open from crm_db_open until crm_db_close frees it; a CLI command's "
                                "database is open while it runs"),
    "Db::schema_version": ("crm_db_schema_version", "init"),
    "Db::opened_schema_version": ("crm_db_opened_schema_version", "init"),
    "Db::latest_schema_version": ("crm_db_latest_schema_version", "version"),
    "Db::begin": ("crm_txn_begin", None, ONE_PROCESS),
    "Db::in_transaction": ("crm_db_in_transaction", None, ONE_PROCESS),
    "Db::set_actor": ("crm_db_set_actor", "--actor"),
    "Db::actor": ("crm_db_actor", "--actor"),
    "Db::set_clock": ("crm_db_set_clock", None, "the CLI runs on the system clock; times are given per command "
                                                "(--at, --now, --as-of)"),
    "Db::contacts": (None, None, ACCESSOR), "Db::accounts": (None, None, ACCESSOR),
    "Db::users": (None, None, ACCESSOR), "Db::teams": (None, None, ACCESSOR),
    "Db::custom_fields": (None, None, ACCESSOR), "Db::history": (None, None, ACCESSOR),
    "Db::products": (None, None, ACCESSOR), "Db::campaigns": (None, None, ACCESSOR),
    "Db::pipelines": (None, None, ACCESSOR), "Db::deals": (None, None, ACCESSOR),
    "Db::interactions": (None, None, ACCESSOR), "Db::tickets": (None, None, ACCESSOR),
    "Db::tasks": (None, None, ACCESSOR), "Db::documents": (None, None, ACCESSOR),
    "Db::segments": (None, None, ACCESSOR),
    "Db::records": (None, None, ACCESSOR),
    "Db::scoring": (None, None, ACCESSOR),
    # crm::Transaction
    "Transaction::commit": ("crm_txn_commit", None, ONE_PROCESS),
    "Transaction::rollback": ("crm_txn_rollback", None, ONE_PROCESS),
    "Transaction::active": ("crm_txn_active", None, ONE_PROCESS),
    # crm::Records<T>, every kind; crm::AnyRecords, the same for a kind chosen at run time
    "Records::create": ("crm_record_create", "{kind} add"),
    "Records::get": ("crm_record_get", "{kind} get"),
    "Records::get_by_external_id": ("crm_record_get_by_external_id", "{kind} get --external-id"),
    "Records::update": ("crm_record_update", "{kind} update --from-json"),  # a whole document as the patch
    "Records::patch": ("crm_record_update", "{kind} update --patch --set"),
    "Records::remove": ("crm_record_delete", "{kind} delete"),
    "Records::list": ("crm_record_list", "{kind} list --where --sort --desc --limit --after --all"),
    "Records::count": ("crm_record_count", "{kind} count --where"),
    "Records::history": ("crm_record_history", "{kind} history"),
    "Records::get_as_of": ("crm_record_get_as_of", "{kind} as-of"),
    "Records::add_tag": ("crm_record_add_tag", "tag add"),
    "Records::remove_tag": ("crm_record_remove_tag", "tag remove"),
    "Records::set_custom": ("crm_record_set_custom", "custom set"),
    "AnyRecords::kind": (None, None, "the kind is an argument of every C call (crm_entity) and the CLI's command"),
    "AnyRecords::create": ("crm_record_create", "{kind} add --from-json"),
    "AnyRecords::get": ("crm_record_get", "{kind} get"),
    "AnyRecords::get_by_external_id": ("crm_record_get_by_external_id", "{kind} get --external-id"),
    "AnyRecords::patch": ("crm_record_update", "{kind} update --patch"),
    "AnyRecords::remove": ("crm_record_delete", "{kind} delete"),
    "AnyRecords::list": ("crm_record_list", "{kind} list"),
    "AnyRecords::count": ("crm_record_count", "{kind} count"),
    "AnyRecords::history": ("crm_record_history", "{kind} history"),
    "AnyRecords::get_as_of": ("crm_record_get_as_of", "{kind} as-of"),
    "AnyRecords::add_tag": ("crm_record_add_tag", "tag add"),
    "AnyRecords::remove_tag": ("crm_record_remove_tag", "tag remove"),
    "AnyRecords::set_custom": ("crm_record_set_custom", "custom set"),
    # the customer graph
    "Users::get_by_email": ("crm_user_get_by_email", "user get --email"),
    "Teams::members": ("crm_team_members", "team members"),
    "Accounts::contacts": ("crm_account_contacts", "account contacts"),
    "Accounts::subsidiaries": ("crm_account_subsidiaries", "account subsidiaries"),
    "Contacts::get_by_email": ("crm_contact_get_by_email", "contact get --email"),
    "Contacts::employment_history": ("crm_contact_employment_history", "contact jobs"),
    "CustomFieldDefs::define": ("crm_custom_field_define", "field define"),
    "CustomFieldDefs::get": ("crm_custom_field_get", "field get"),
    "CustomFieldDefs::list": ("crm_custom_field_list", "field list"),
    "CustomFieldDefs::remove": ("crm_custom_field_remove", "field remove"),
    "HistoryLog::for_record": ("crm_record_history", "{kind} history"),
    "HistoryLog::since": ("crm_history_since", "history since --limit --all --follow"),
    "HistoryLog::count": ("crm_history_count", "history count"),
    "HistoryLog::latest_id": ("crm_history_latest_id", "history latest"),
    # saved segments (docs/segments.md)
    "Segments::validate": ("crm_segment_validate", "segment check --expr"),
    "Segments::define": ("crm_segment_define", "segment define --expr --description"),
    "Segments::get_by_name": ("crm_segment_get_by_name", "segment show"),
    "Segments::remove_by_name": ("crm_segment_remove_by_name", "segment remove"),
    "Segments::count": ("crm_segment_count", "segment count --as-of"),
    "Segments::count_expr": ("crm_segment_count", "segment count --expr --as-of"),
    "Segments::contacts": ("crm_segment_contacts", "segment contacts --as-of --limit --after --all"),
    "Segments::contacts_expr": ("crm_segment_contacts", "segment contacts --expr --as-of --limit --after"),
    "Segments::contact_ids": ("crm_segment_contacts", "segment contacts --limit --after"),  # ids_only in C; the CLI shows ids first
    "Segments::contact_ids_expr": ("crm_segment_contacts", "segment contacts --expr --limit"),
    # sales
    "Campaigns::deals": ("crm_campaign_deals", "campaign deals"),
    "Campaigns::contacts": ("crm_campaign_contacts", "campaign contacts"),
    "Pipelines::stages": ("crm_pipeline_stages", "pipeline stages"),
    "Deals::move": ("crm_deal_move_at", "deal move --lost-reason --at"),  # and crm_deal_move (now)
    "Deals::stage_history": ("crm_deal_stage_history", "deal stages"),
    "Deals::weighted": ("crm_deal_weighted", "deal weighted"),
    "Deals::define_lost_reason": ("crm_lost_reason_define", "deal lost-reason"),
    "Deals::lost_reasons": ("crm_lost_reason_list", "deal lost-reason"),
    # interactions
    "Interactions::timeline": ("crm_timeline", "timeline --kind --since --until --limit --after"),
    "Interactions::ingest": ("crm_interaction_ingest", "ingest --per-item --source"),
    "Interactions::track": ("crm_interaction_track_event", "email track --url --at --address --soft"),
    "Interactions::email_events": ("crm_interaction_email_events", "email events"),
    # lead scoring
    "Scoring::define": ("crm_scoring_define", "score model define"),
    "Scoring::update": ("crm_scoring_update", "score model update"),
    "Scoring::get": ("crm_scoring_get", "score model show --version"),
    "Scoring::list": ("crm_scoring_list", "score model list --active"),
    "Scoring::versions": ("crm_scoring_versions", "score model versions"),
    "Scoring::deactivate": ("crm_scoring_deactivate", "score model deactivate"),
    "Scoring::score": ("crm_scoring_score", "score get --model --as-of"),
    "Scoring::explain": ("crm_scoring_explain", "score explain --model --as-of"),
    "Scoring::stored": ("crm_scoring_stored", "score stored --model"),
    "Scoring::rescore": ("crm_scoring_rescore", "score rescore --model"),
    "Scoring::top": ("crm_scoring_top", "score top --model --limit --after"),
    "Scoring::dry_run": ("crm_scoring_dry_run", "score dry-run --model --from-json --threshold --limit"),
    # service
    "Tickets::transition": ("crm_ticket_transition_at", "ticket status --at"),  # and crm_ticket_transition
    "Tickets::status_history": ("crm_ticket_status_history", "ticket history --status"),
    "Tickets::record_response": ("crm_ticket_record_response", "ticket respond --at"),
    "Tickets::sla": ("crm_ticket_sla_at", "ticket sla --now"),
    "Tickets::breaching": ("crm_ticket_breaching_at", "ticket breaching --within --now"),
    "Tickets::define_calendar": ("crm_calendar_define", "calendar define"),
    "Tickets::calendar": ("crm_calendar_get", "calendar get"),
    "Tickets::calendars": ("crm_calendar_list", "calendar list"),
    "Tickets::define_sla_policy": ("crm_sla_policy_define", "sla define"),
    "Tickets::sla_policy": ("crm_sla_policy_get", "sla get"),
    "Tickets::sla_policies": ("crm_sla_policy_list", "sla list"),
    # work
    "Tasks::due": ("crm_task_due", "task due --today --overdue --from --to --tz --now --assignee"),
    "Tasks::for_record": ("crm_task_for_record", "task for"),
    "Tasks::claim_due_reminders": ("crm_task_claim_due_reminders", "task remind --now --limit --claimer"),
    "Tasks::dispatch_reminders": ("crm_task_dispatch_reminders", "task remind --exec"),
    "Tasks::release_reminder": ("crm_task_release_reminder", "task release"),
    "Tasks::reminder_delivered_at": ("crm_task_reminder_delivered_at", "task reminder"),
    "Documents::set_max_size": ("crm_document_set_max_size", "doc max-size"),
    "Documents::max_size": ("crm_document_max_size", "doc max-size"),
    "Documents::create_with_content": ("crm_document_write", "doc add"),
    "Documents::open_writer": ("crm_doc_writer_open", "doc add"),
    "Documents::read_content": ("crm_doc_reader_read", "doc get --out --no-verify"),
    "Documents::open_reader": ("crm_doc_reader_open", "doc get --out"),
    "Documents::record_sent": ("crm_document_record_sent", "doc send --contact --at --interaction"),
    "Documents::sends": ("crm_document_sends", "doc sends"),
    "Documents::sends_to_contact": ("crm_document_sends_to_contact", "doc sends --contact"),
    "Documents::for_record": ("crm_document_for_record", "doc for"),
    "DocumentWriter::write": ("crm_doc_writer_write", "doc add"),
    "DocumentWriter::commit": ("crm_doc_writer_commit", "doc add"),
    "DocumentWriter::written": ("crm_doc_writer_written", "doc add"),
    "DocumentReader::read": ("crm_doc_reader_read", "doc get --out"),
    "DocumentReader::size": ("crm_doc_reader_open", "doc get --out"),  # its out_size
    # forms and lead capture (docs/forms.md)
    "Db::forms": (None, None, ACCESSOR),
    # score thresholds, lifecycle
    "Db::thresholds": (None, None, ACCESSOR),
    "Thresholds::define": ("crm_threshold_define", "threshold define --model --enter --leave --output --stage"),
    "Thresholds::list": ("crm_threshold_list", "threshold list"),
    "Thresholds::get": ("crm_threshold_get", "threshold show"),
    "Thresholds::remove": ("crm_threshold_remove", "threshold remove"),
    "Thresholds::state": ("crm_threshold_state", "threshold state"),
    "Thresholds::inside": ("crm_threshold_inside", "threshold inside"),
    "Thresholds::crossings": ("crm_threshold_crossings", "threshold crossings --contact"),
    "Thresholds::on_cross": ("crm_threshold_set_hook", None,
                             "a callback lives in one process; the CLI shows what it would have seen with "
                             "threshold crossings"),
    "Thresholds::lifecycle_history": ("crm_contact_lifecycle", "contact lifecycle"),
    "Thresholds::recycle": ("crm_contact_recycle", "contact recycle --reason"),
    # re-engagement and churn signals (docs/signals.md)
    "Db::signals": (None, None, ACCESSOR),
    "Signals::define": ("crm_signal_define", "signal define --from-json"),
    "Signals::define_json": ("crm_signal_define", "signal define --from-json"),
    "Signals::list": ("crm_signal_list", "signal list"),
    "Signals::get": ("crm_signal_get", "signal show"),
    "Signals::remove": ("crm_signal_remove", "signal remove"),
    "Signals::flags": ("crm_signal_flags", "signal flags --rule --contact --open --limit --after"),
    "Signals::acknowledge": ("crm_signal_ack", "signal ack"),
    "Signals::scan": ("crm_signal_scan", "signal scan --as-of"),
    "Signals::on_signal": ("crm_signal_set_hook", None,
                           "a callback lives in one process; the CLI shows what it would have seen with "
                           "signal flags"),
    # predictive scoring
    "Db::predictive": (None, None, ACCESSOR),
    "Predictive::train": ("crm_predictive_train", "predict train"),
    "Predictive::get": ("crm_predictive_get", "predict show --version"),
    "Predictive::list": ("crm_predictive_list", "predict list"),
    "Predictive::versions": ("crm_predictive_versions", "predict versions"),
    "Predictive::predict": ("crm_predictive_score", "predict score --model --as-of --top"),
    "Predictive::stored": ("crm_predictive_stored", "predict stored --model"),
    "Predictive::rescore": ("crm_predictive_rescore", "predict rescore --model"),
    "Predictive::top": ("crm_predictive_top", "predict top --model --limit --after"),
    # routing of hot leads (docs/routing.md)
    "Db::routing": (None, None, ACCESSOR),
    "Db::imports": (None, None, ACCESSOR),
    # Import and export (crm/import.hpp, docs/import.md).
    "Imports::run": ("crm_import_buffer", "import --format --dry-run --rejects --mapping --kind --map --ref --value "
                                          "--match --on-duplicate --missing --currency --utc-offset --region "
                                          "--encoding --delimiter --auto --rows-per-commit --quiet"),
    "Imports::run_file": ("crm_import_file", "import --mapping --rejects --dry-run"),
    "Imports::undo": ("crm_import_undo", "import undo --force"),
    "Imports::get": ("crm_import_get", "import show"),
    "Imports::list": ("crm_import_list", "import list"),
    "Imports::export_to": ("crm_export_file", "export --mapping --map --ref --where --format --to --bom "
                                              "--neutralize-formulas --output"),
    "Routing::define": ("crm_routing_define", "routing define --from-json"),
    "Routing::update": ("crm_routing_update", "routing update --from-json"),
    "Routing::get": ("crm_routing_get", "routing show --version"),
    "Routing::list": ("crm_routing_list", "routing list"),
    "Routing::versions": ("crm_routing_versions", "routing versions"),
    "Routing::route": ("crm_route", "route --routing --dry-run"),
    "Routing::handoff": ("crm_routing_handoff", "routing handoff"),
    "Routing::handoffs": ("crm_routing_handoffs", "routing handoffs"),
    "Routing::attach": ("crm_routing_attach", "routing attach"),
    "Routing::detach": ("crm_routing_detach", "routing detach"),
    # full-text search (docs/search.md)
    "Db::search": (None, None, ACCESSOR),
    "Search::query": ("crm_search", "search --kind --where --limit --query"),
    "Search::rebuild": ("crm_search_rebuild", "search rebuild"),
    # duplicate detection and undoable merge (docs/dedup.md)
    "Db::dedup": (None, None, ACCESSOR),
    "Dedup::find": ("crm_dedup_find", "dedup find --min-score --limit"),
    "Dedup::merge": ("crm_dedup_merge", "dedup merge --take --dry-run"),
    "Dedup::undo": ("crm_dedup_undo", "dedup undo"),
    "Dedup::get": ("crm_dedup_get", "dedup show"),
    "Dedup::list": ("crm_dedup_merges", "dedup merges --limit"),
    "Dedup::merged_into": ("crm_merged_into", "contact get"),
    "Forms::define": ("crm_form_define", "form define --from-json"),
    "Forms::update": ("crm_form_update", "form update --from-json"),
    "Forms::get": ("crm_form_get", "form get"),
    "Forms::get_by_name": ("crm_form_get_by_name", "form get"),
    "Forms::list": ("crm_form_list", "form list"),
    "Forms::remove": ("crm_form_remove", "form remove"),
    "Forms::versions": ("crm_form_versions", "form versions"),
    "Forms::check": ("crm_form_check", "form check --field --from-json"),
    "Forms::submit": ("crm_form_submit", "form submit --field --from-json --at --utm-source --utm-medium "
                                         "--utm-campaign --utm-term --utm-content --url --referrer"),
    "Forms::touches": ("crm_form_touches", "form touches"),
    # CSV files (crm/csv.hpp, docs/csv.md): a reader and writer over streams, no database; in C a
    # reader and a writer over files, in the CLI csv inspect and convert.
    "Reader::open": ("crm_csv_reader_open", "csv inspect --encoding --delimiter --no-header --lenient --ragged"),
    "Reader::from_string": ("crm_csv_reader_open", None, "the CLI reads files and standard input (FILE -)"),
    "Reader::next": ("crm_csv_reader_next", "csv inspect --rows"),
    "Reader::header": ("crm_csv_reader_header", "csv inspect --no-header"),
    "Reader::encoding": ("crm_csv_reader_info", "csv inspect --encoding"),
    "Reader::delimiter": ("crm_csv_reader_info", "csv inspect --delimiter"),
    "Reader::had_bom": ("crm_csv_reader_info", "csv inspect"),
    "Reader::records_read": ("crm_csv_reader_info", "csv inspect"),
    "Reader::ragged_records": ("crm_csv_reader_info", "csv inspect --ragged"),
    "Reader::error": ("crm_csv_reader_next", "csv inspect"),
    "Writer::write_row": ("crm_csv_writer_write", "csv convert --to --to-delimiter --bom --lf --neutralize-formulas "
                                                  "--replace-unmappable --quote-all --output"),
    "Writer::rows_written": (None, "csv convert --output", "a C caller counts the rows it writes (each "
                                                         "crm_csv_writer_write is one)"),
}

# Public classes that are not part of crm::Db's services.
NOT_SERVICES = {
    "Generator": "crm::sample (crm/sample.hpp): the sample-data generator, a library of its own; `crm demo` uses it",
}


def exported(lib, nm):
    out = subprocess.run([nm, "-D", "--defined-only", lib], capture_output=True, text=True, check=True).stdout
    return {line.split()[-1].split("@")[0] for line in out.splitlines() if line.split()}


def cli_checks(crm):
    """{command text: error or None}, each distinct command run once."""
    cache = {}

    def check(text):
        if text in cache:
            return cache[text]
        words = text.split()
        path = [w for w in words if not w.startswith("--")]
        options = [w for w in words if w.startswith("--")]
        argv = [crm] + (path + ["--help"] if path else ["help"])
        r = subprocess.run(argv, capture_output=True, text=True, env=dict(os.environ, LC_ALL="C.UTF-8"))
        err = None
        if r.returncode != 0:
            err = f"`{' '.join(argv[1:])}` exits {r.returncode}: {r.stderr.strip()}"
        else:
            missing = [o for o in options if not re.search(re.escape(o) + r"\b", r.stdout)]
            if missing:
                err = f"`{' '.join(argv[1:])}` does not mention {', '.join(missing)}"
        cache[text] = err
        return err

    return check


def main():
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    include_dir, lib, nm, crm = sys.argv[1:]
    failures = []
    declared = operations(include_dir)
    if len(declared) < 80:
        failures.append(f"found only {len(declared)} operations in {include_dir}: parser out of date?")
    for op, header in sorted(declared.items()):
        cls = op.split("::")[0]
        if cls in NOT_SERVICES:
            continue
        if op not in OPS:
            failures.append(f"{op} ({header}) has no row in the parity table (tests/parity/parity_test.py): "
                            "give it a C function and a CLI command")
    for op in sorted(OPS):
        if op not in declared:
            failures.append(f"the parity table has {op}, which include/crm/*.hpp does not declare")
    symbols = exported(lib, nm)
    check_cli = cli_checks(crm)
    no_c = no_cli = 0
    for op, row in sorted(OPS.items()):
        c_fn, cli = row[0], row[1]
        reason = row[2] if len(row) > 2 else ""
        if (c_fn is None or cli is None) and not reason:
            failures.append(f"{op}: a row without a C function or a CLI command must say why")
        if c_fn is None:
            no_c += 1
        elif c_fn not in symbols:
            failures.append(f"{op}: {c_fn} is not exported by {os.path.basename(lib)}")
        if cli is None:
            no_cli += 1
            continue
        for text in ([cli.replace("{kind}", k) for k in KINDS] if "{kind}" in cli else [cli]):
            err = check_cli(text)
            if err:
                failures.append(f"{op}: CLI `crm {text}`: {err}")
    for f in failures:
        print("FAIL", f)
    print(f"{len(OPS)} C++ operations: {len(OPS) - no_c} with a C function, {len(OPS) - no_cli} with a CLI command "
          f"({no_c} and {no_cli} without, each with its reason)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
