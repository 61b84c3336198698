// Pipelines and their ordered stages (each with a default probability and an
// open / won / lost meaning). The descriptor, the rules and the stage lookups.
#include <fmt/format.h>

#include <set>

#include "records/kind_entry.hpp"
#include "sales/sales_internal.hpp"
#include "store/sales_store.hpp"

namespace crm {

namespace records {
namespace {
using namespace caps;

constexpr const char* kStageKinds[] = {"open", "won", "lost"};

constexpr FieldDef<Stage> kStageFields[] = {
    build::integer<&Stage::id>("id", "id", 0, "stage id (0 for a new stage)"),
    build::text<&Stage::name>("name", "name", 0, "stage name").with(positional),
    build::integer<&Stage::probability>("probability", "probability", 0, "default win probability 0..100")
        .with(positional),
    build::enumeration<&Stage::kind>("kind", "kind", kStageKinds, 0, "open|won|lost").with(positional | optional_part),
};
using Stages = ListOf<&Pipeline::stages, kStageFields>;

constexpr FieldDef<Pipeline> kPipelineFields[] = {
    build::text<&Pipeline::name>("name", "name", F | S | Q | I | L | R, "pipeline name (新規営業)"),
    build::list<Stages>("stages", I,
                        "NAME:PROBABILITY[:open|won|lost] (repeatable, in order; replaces the stages — use update "
                        "--patch to keep ids)")
        .named("stage"),
};

result<void> validate_pipeline(Write& w, Pipeline& v, const Pipeline* old) {
    auto& db = w.db;
    CRM_TRYV(check_text(w, "name", v.name, true, std::min<std::size_t>(1000, db.options.max_text_bytes)));
    if (v.stages.empty()) return invalid("stages", "a pipeline needs at least one stage");
    std::set<std::string> names;
    std::set<Id> ids;
    Id next = 0;
    for (std::size_t i = 0; i < v.stages.size(); ++i) {
        auto& st = v.stages[i];
        const auto f = fmt::format("stages[{}]", i);
        CRM_TRYV(check_text(w, f + ".name", st.name, true, std::min<std::size_t>(1000, db.options.max_text_bytes)));
        if (!names.insert(st.name).second)
            return invalid(f + ".name", fmt::format("'{}' is already a stage of this pipeline", st.name));
        CRM_TRYV(sales::check_percent(f + ".probability", st.probability));
        if (st.id != 0) {
            const bool known = old && std::any_of(old->stages.begin(), old->stages.end(),
                                                  [&](const Stage& o) { return o.id == st.id; });
            if (!known)
                return invalid(f + ".id",
                               fmt::format("{} is not a stage of this pipeline (use 0 for a new stage)", st.id));
            if (!ids.insert(st.id).second) return invalid(f + ".id", fmt::format("stage {} is listed twice", st.id));
        }
    }
    if (old) {
        for (const auto& o : old->stages) {
            if (ids.count(o.id)) continue;
            const auto n = store::count_deals_in_stage(db, o.id);
            if (n > 0)
                return make_error(errc::constraint_violation,
                                  fmt::format("stage {} ('{}') still holds {} deals: move them first", o.id, o.name, n),
                                  "stages");
        }
    }
    for (auto& st : v.stages) {
        if (st.id != 0) continue;
        if (next == 0) next = store::next_stage_id(db);
        st.id = next++;
    }
    return ok();
}

const KindDef<Pipeline> kPipeline{Entity::pipeline, "pipeline", "pipelines", "pipelines", 7, kPipelineFields, {},
                                  &validate_pipeline, nullptr, &store::save_pipeline_children,
                                  &store::load_pipeline_children};
}  // namespace

template <> const KindDef<Pipeline>& kind_def<Pipeline>() noexcept { return kPipeline; }
const KindEntry& pipeline_kind() { return entry<Pipeline>("move or delete them first"); }

}  // namespace records

const char* to_string(StageKind k) noexcept { return records::enum_name(records::kStageKinds, k); }
std::optional<StageKind> stage_kind_from_string(const std::string& s) noexcept {
    return records::enum_from_name<StageKind>(records::kStageKinds, s);
}

CRM_RECORD_KIND(Pipeline);

Pipelines Db::pipelines() noexcept { return Pipelines(impl_.get()); }

result<std::vector<Stage>> Pipelines::stages(Id pipeline_id) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<std::vector<Stage>> {
        if (!store::exists(*db_, Entity::pipeline, pipeline_id)) return records::not_found<Pipeline>(pipeline_id);
        return store::load_stages(*db_, pipeline_id);
    });
}

}  // namespace crm
