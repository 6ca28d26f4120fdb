// serve --model model.bin [options]: translates over HTTP (see serve_options.cpp for the routes).
#include <httplib.h>
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <iostream>
#include <thread>

#include "core/context.h"
#include "model/model_file.h"
#include "serve/http_service.h"
#include "serve/serve_info.h"
#include "serve/serve_options.h"
#include "serve/translation_queue.h"
#include "translate/model_location.h"
#include "translate/model_set.h"
#include "translate/search_options.h"
#include "util/error.h"
#include "util/log.h"
#include "util/program.h"

int main(int argc, char** argv) {
  return ferry::run_program("serve", [&] {
    const ferry::ServeOptions options = ferry::parse_serve_options(argc, argv);
    if (options.help) {
      std::cout << options.help_text << std::endl;
      return 0;
    }
    // SIGTERM and SIGINT are taken by one thread (below) through sigwait: blocked here, before any thread
    // starts, so that every thread inherits the mask. A client that goes away must not end the server.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    signal(SIGPIPE, SIG_IGN);

    const std::vector<std::string> model_files = ferry::locate_models(options.models, options.config_path);
    ferry::Context::set_threads(options.queue.threads);
    // The server runs for long: its weights are copied, so that a model file rewritten in place cannot reach it.
    ferry::set_weight_loading(ferry::WeightLoading::kCopied);
    ferry::ModelSet models(model_files, options.precision);
    const ferry::LoadedModel& model = models.first();
    FERRY_CHECK(!model.config.language_model(), ferry::ModelFileError,
                models.first_path() << " is a language model (model.type lm): serve needs a translation model");
    const ferry::DecodeConfig decoding = ferry::decode_config_of_model(model.config_yaml, models.first_path());
    ferry::ServeOptions effective = options;
    effective.limits.default_beam_size = decoding.beam_size;
    effective.queue.max_input_length = decoding.max_input_length;

    ferry::TranslationQueue queue(models.scorer(), model.src_vocab, ferry::search_options(decoding),
                                  effective.queue);
    httplib::Server server;
    const int connections = options.connections;
    server.new_task_queue = [connections] { return new httplib::ThreadPool(static_cast<size_t>(connections)); };
    // SO_REUSEADDR alone (cpp-httplib's default adds SO_REUSEPORT): a port another server listens on is
    // refused instead of shared.
    server.set_socket_options([](socket_t socket) {
      int yes = 1;
      setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    server.set_keep_alive_timeout(1);  // idle connections do not hold a stop back for long
    ferry::install_routes(server, queue, model.tgt_vocab, effective.limits,
                          ferry::serve_info_json(model_files, models, decoding, effective));
    const int port = options.port == 0 ? server.bind_to_any_port(options.host)
                                       : (server.bind_to_port(options.host, options.port) ? options.port : -1);
    FERRY_CHECK(port > 0, ferry::InputError,
                "cannot listen on " << options.host << ":" << options.port
                                    << " (the port is in use, or the address is not this machine's)");

    // A signal that came during start-up is pending and taken at once: stop() acts only on a running
    // server, so it waits for listen to start (or to have failed).
    std::atomic<int> stopped_by{0};
    std::atomic<bool> listen_over{false};
    std::thread signal_waiter([&] {
      int signal_number = 0;
      sigwait(&stop_signals, &signal_number);
      if (listen_over) return;  // woken by main below
      stopped_by = signal_number;
      ferry::log_info() << strsignal(signal_number) << ": no new connections, finishing the requests in flight";
      queue.stop_waiting();
      while (!server.is_running() && !listen_over) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      server.stop();
    });
    ferry::log_info() << "listening on http://" << options.host << ":" << port << " (" << models.size()
                      << (models.size() == 1 ? " model" : " models") << ", " << ferry::Context::threads()
                      << " threads)";
    const bool listened = server.listen_after_bind();
    listen_over = true;
    if (stopped_by == 0) pthread_kill(signal_waiter.native_handle(), SIGTERM);
    signal_waiter.join();
    const ferry::QueueStats stats = queue.stats();
    ferry::log_info() << "stopped" << (stopped_by != 0 ? std::string(" by ") + strsignal(stopped_by) : "")
                      << " after " << stats.requests << " requests (" << stats.sentences << " sentences in "
                      << stats.searches << " searches)";
    return listened || stopped_by != 0 ? 0 : 1;
  });
}
