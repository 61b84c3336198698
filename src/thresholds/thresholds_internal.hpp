// Private: installs the thresholds' scoring change hook (once per process); called
// when a Db is opened, so a program that never names crm::Thresholds still keeps
// threshold state current.
#pragma once

namespace crm::thresholds {
void install() noexcept;
}
