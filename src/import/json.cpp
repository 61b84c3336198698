// The import's results as JSON (crm/import.hpp): reports, batches, undo reports.
#include "import/import_internal.hpp"

namespace crm::import {

using impl::json;

std::string to_json(const Report& r) {
    json rejects = json::array();
    for (const auto& x : r.rejects) rejects.push_back({{"line", x.line}, {"column", x.column}, {"reason", x.reason}});
    return json{{"batch", r.batch_id ? json(r.batch_id) : json(nullptr)},
                {"dry_run", r.dry_run},
                {"rows", r.rows},
                {"created", r.created},
                {"updated", r.updated},
                {"unchanged", r.unchanged},
                {"skipped", r.skipped},
                {"rejected", r.rejected},
                {"references_created", r.references_created},
                {"unmapped_columns", r.unmapped_columns},
                {"sha256", r.source_sha256},
                {"seconds", r.seconds},
                {"rejects", std::move(rejects)}}
        .dump();
}

std::string to_json(const Batch& b) {
    return json{{"id", b.id},
                {"kind", entity_name(b.kind)},
                {"source", b.source_name},
                {"sha256", b.source_sha256},
                {"mapping", b.mapping},
                {"started_at", format_iso8601(b.started_at)},
                {"finished_at", b.finished_at ? json(format_iso8601(b.finished_at)) : json(nullptr)},
                {"actor_id", b.actor_id ? json(*b.actor_id) : json(nullptr)},
                {"rows", b.rows},
                {"created", b.created},
                {"updated", b.updated},
                {"skipped", b.skipped},
                {"rejected", b.rejected},
                {"references_created", b.references_created},
                {"undone_at", b.undone_at ? json(format_iso8601(b.undone_at)) : json(nullptr)}}
        .dump();
}

std::string to_json(const UndoReport& r) { return json{{"removed", r.removed}, {"restored", r.restored}}.dump(); }

}  // namespace crm::import
