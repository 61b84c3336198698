// Private: the Maven sample's import steps (maven.cpp), the mappings compiled in from
// examples/maven/*.json (maven_steps.cpp, generated).
#pragma once

#include <cstddef>

namespace crm::sample {
struct MavenMapping {
    const char* name;  // accounts, products, managers, teams, agents, deals
    const char* file;  // the CSV it reads
    const char* json;  // the mapping
};
extern const MavenMapping kMavenMappings[];
extern const std::size_t kMavenMappingCount;
}  // namespace crm::sample
