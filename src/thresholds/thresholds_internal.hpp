// Private: installs the thresholds' scoring change hook (once per process); called
// when a Db is opened, so a program that never names crm::Thresholds still keeps
// threshold state current. And the seam for what runs when a contact crosses a
// threshold (routing on entry): crossing hooks.
#pragma once

#include "crm/error.hpp"

namespace crm {
struct Crossing;
}
namespace crm::records {
struct Write;
}

namespace crm::thresholds {
void install() noexcept;

// Called for each crossing inside the write that moved the score, after the crossing
// row and any lifecycle move are stored. An error rolls the whole write back.
// Process-wide, for start-up (not thread-safe against writes).
using CrossingHook = result<void> (*)(records::Write& w, const Crossing& crossing);
void add_crossing_hook(CrossingHook hook);
}  // namespace crm::thresholds
