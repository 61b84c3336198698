// Private: installs the signals' interaction hook (once per process); called when a
// Db is opened, so a program that never names crm::Signals still records flags.
#pragma once

namespace crm::signals {
void install() noexcept;
}
