#include "train/stop_signal.h"

#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstring>
#include <thread>

namespace ferry {
namespace {

std::atomic<int> requested_signal{0};
std::atomic<bool> armed{false};

void say(const char* message) { (void)!::write(STDERR_FILENO, message, std::strlen(message)); }

void wait_for_signals(sigset_t signals) {
  for (;;) {
    int signal_number = 0;
    if (sigwait(&signals, &signal_number) != 0) continue;
    if (!armed.load()) {
      say("\ntrain: stopped by a signal before training started\n");
      ::_exit(128 + signal_number);
    }
    if (requested_signal.load() != 0) {
      say("\ntrain: second signal, exiting without saving\n");
      ::_exit(128 + signal_number);
    }
    requested_signal.store(signal_number);
  }
}

}  // namespace

void watch_stop_signals() {
  static std::atomic<bool> watching{false};
  if (watching.exchange(true)) return;
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::thread(wait_for_signals, signals).detach();
}

void arm_stop_signals() { armed.store(true); }

bool stop_requested() { return requested_signal.load() != 0; }

int stop_signal_number() { return requested_signal.load(); }

}  // namespace ferry
