#include "train/stop_signal.h"

#include <csignal>
#include <unistd.h>

namespace ferry {
namespace {

volatile std::sig_atomic_t requested_signal = 0;

void on_signal(int signal_number) {
  if (requested_signal != 0) {
    constexpr char kMessage[] = "\ntrain: second signal, exiting without saving\n";
    (void)!::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
    ::_exit(128 + signal_number);
  }
  requested_signal = signal_number;
}

}  // namespace

void install_stop_signal_handlers() {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

bool stop_requested() { return requested_signal != 0; }

int stop_signal_number() { return requested_signal; }

}  // namespace ferry
