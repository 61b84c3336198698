// The Maven Analytics CRM sample through crm::import (crm/sample.hpp): the pipeline and
// lost reason the data needs, then the mappings of examples/maven/ in order.
#include "sample/maven.hpp"

#include <fmt/format.h>

#include "crm/sample.hpp"
#include "crm/sales.hpp"

namespace crm::sample {

std::string maven_mapping(const std::string& name) {
    for (std::size_t i = 0; i < kMavenMappingCount; ++i)
        if (name == kMavenMappings[i].name) return kMavenMappings[i].json;
    return {};
}

result<std::vector<MavenStep>> import_maven(Db& db, const std::string& data_dir) noexcept {
    try {
        // The four stages of the data (Prospecting > Engaging > Won / Lost).
        ListOptions lo;
        lo.where.push_back(Filter{"name", Op::eq, "Maven"});
        auto found = db.pipelines().list(lo);
        if (!found) return found.error();
        if (found.value().items.empty()) {
            Pipeline p;
            p.name = "Maven";
            p.stages = {{0, "Prospecting", 10, StageKind::open},
                        {0, "Engaging", 50, StageKind::open},
                        {0, "Won", 100, StageKind::won},
                        {0, "Lost", 0, StageKind::lost}};
            if (auto r = db.pipelines().create(p); !r) return r.error();
        }
        auto reasons = db.deals().lost_reasons();
        if (!reasons) return reasons.error();
        if (std::none_of(reasons.value().begin(), reasons.value().end(),
                         [](const LostReason& r) { return r.name == "Not recorded"; }))
            if (auto r = db.deals().define_lost_reason("Not recorded"); !r) return r.error();
        std::vector<MavenStep> out;
        for (std::size_t i = 0; i < kMavenMappingCount; ++i) {
            const auto& s = kMavenMappings[i];
            auto m = import::parse_mapping(s.json);
            if (!m) return m.error();
            MavenStep step;
            step.mapping = s.name;
            step.file = s.file;
            auto r = db.imports().run_file(m.value(), data_dir + "/" + s.file);
            if (!r) {
                auto e = r.error();
                e.message = fmt::format("maven {}: {}", s.name, e.message);
                return e;
            }
            step.report = std::move(r).value();
            out.push_back(std::move(step));
        }
        return out;
    } catch (const std::exception& e) {
        return make_error(errc::internal, e.what());
    }
}

}  // namespace crm::sample
