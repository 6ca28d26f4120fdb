// SIGINT/SIGTERM during training: the first asks the run to finish its step, save and exit; a second one
// ends the process at once. Before the training loop, one signal ends the process at once.
//
// The signals are blocked in every thread and taken by one thread of their own (sigwait), so that no signal
// handler ever runs on a computing thread's stack: a handler's frame is pushed just below the interrupted
// code's stack pointer, where oneDNN's generated kernels may keep data.
#pragma once

namespace ferry {

// Call first in main, before any other thread exists (threads inherit the blocked signals). Idempotent.
void watch_stop_signals();
// From now on the first signal only asks the run to stop; the second ends the process at once.
void arm_stop_signals();
// Whether a stop was requested, and by which signal (0: none).
bool stop_requested();
int stop_signal_number();

}  // namespace ferry
