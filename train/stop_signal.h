// SIGINT/SIGTERM during training: the first asks the run to finish its step, save and exit; a second one
// ends the process at once.
#pragma once

namespace ferry {

// Installs the handlers (idempotent).
void install_stop_signal_handlers();
// Whether a stop was requested, and by which signal (0: none).
bool stop_requested();
int stop_signal_number();

}  // namespace ferry
