// End-to-end runs of build/bin/serve on a tiny model trained by the test, with HTTP clients on the loopback
// address.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <memory>
#include <sstream>
#include <thread>

#include "serve/json_value.h"
#include "support/corpus.h"
#include "support/process.h"
#include "support/server_process.h"
#include "support/temp_dir.h"
#include "support/tiny_model.h"

namespace ferry {
namespace {

std::string as_input(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

std::string json_array(const std::vector<std::string>& lines) {
  std::string out = "[";
  for (size_t i = 0; i < lines.size(); ++i) {
    out += i ? ", \"" : "\"";
    for (char c : lines[i]) out += c == '"' || c == '\\' ? std::string("\\") + c : std::string(1, c);
    out += "\"";
  }
  return out + "]";
}

std::vector<std::string> strings_of(const JsonValue& array) {
  std::vector<std::string> out;
  for (const JsonValue& item : array.as_array()) out.push_back(item.as_string());
  return out;
}

// A TCP connection to the server, for what no well-behaved client does.
int connect_to(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

class ServeProgram : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<TempDir>();
    model_ = train_tiny_model(*dir_);
    lines_ = multi30k_lines("test_2016_flickr.de.gz", 24);
    lines_.push_back("");  // an empty line answers an empty translation
    // What translate gives these lines with the same search (beam 2, the model's other decoding
    // defaults): the reference the server must match.
    const ProcessResult r = run_command(program_path("translate") + " --model " + model_ +
                                            " --threads 1 --beam-size 2",
                                        as_input(lines_));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::istringstream out(r.out);
    for (std::string line; std::getline(out, line);) expected_.push_back(line);
    ASSERT_EQ(expected_.size(), lines_.size());
  }
  static void TearDownTestSuite() { dir_.reset(); }

  // build/bin/serve on the tiny model, listening on a free port, plus `options`.
  static std::unique_ptr<ServerProcess> start(const std::string& options = "") {
    return std::make_unique<ServerProcess>(program_path("serve") + " --model " + model_ +
                                           " --port 0 --threads 1 " + options);
  }

  static httplib::Result post(int port, const std::string& body) {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(120, 0);
    return client.Post("/translate", body, "application/json");
  }

  static std::unique_ptr<TempDir> dir_;
  static std::string model_;
  static std::vector<std::string> lines_;
  static std::vector<std::string> expected_;
};

std::unique_ptr<TempDir> ServeProgram::dir_;
std::string ServeProgram::model_;
std::vector<std::string> ServeProgram::lines_;
std::vector<std::string> ServeProgram::expected_;

TEST_F(ServeProgram, ConcurrentClientsGetExactlyTheirOwnTranslations) {
  const auto server = start("--max-wait-ms 50");
  // Eight clients, each with its own slice of the lines, twice over.
  constexpr size_t kClients = 8;
  std::vector<std::string> failures(kClients);
  std::vector<std::thread> clients;
  for (size_t c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      for (int round = 0; round < 2; ++round) {
        const size_t first = (c * 3 + static_cast<size_t>(round)) % lines_.size();
        const size_t count = 1 + (c + static_cast<size_t>(round)) % 5;
        std::vector<std::string> mine, wanted;
        for (size_t i = 0; i < count; ++i) {
          mine.push_back(lines_[(first + i) % lines_.size()]);
          wanted.push_back(expected_[(first + i) % lines_.size()]);
        }
        const auto res = post(server->port(),
                              "{\"text\": " + json_array(mine) +
                                  ", \"beam_size\": 2}");
        if (!res || res->status != 200) {
          failures[c] = "no answer or status " + (res ? std::to_string(res->status) + " " + res->body : "-");
          return;
        }
        const std::vector<std::string> got = strings_of(*parse_json(res->body).find("translations"));
        if (got != wanted) failures[c] = "client " + std::to_string(c) + " got other translations: " + res->body;
      }
    });
  }
  for (std::thread& client : clients) client.join();
  for (const std::string& failure : failures) EXPECT_EQ(failure, "");
  server->signal(SIGTERM);
  EXPECT_EQ(server->wait(), 0) << server->log();
  EXPECT_NE(server->log().find("after 16 requests"), std::string::npos) << server->log();
}

TEST_F(ServeProgram, AnswersHealthInfoAndNBestLists) {
  const auto server = start();
  httplib::Client client("127.0.0.1", server->port());
  const auto health = client.Get("/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(parse_json(health->body).find("status")->as_string(), "ok");
  const auto info = client.Get("/info");
  ASSERT_TRUE(info);
  const JsonValue about = parse_json(info->body);
  EXPECT_EQ(about.find("models")->as_array()[0].as_string(), model_);
  EXPECT_GT(about.find("target_vocab_size")->as_number(), 0);
  EXPECT_EQ(about.find("precision")->as_string(), "f32");
  EXPECT_EQ(about.find("limits")->find("max_request_lines")->as_number(), 1000);

  const auto res = post(server->port(), "{\"text\": " + json_array({lines_[0], lines_[1]}) +
                                            ", \"beam_size\": 2, \"n_best\": 2, \"scores\": true}");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
  const JsonValue answer = parse_json(res->body);
  EXPECT_EQ(strings_of(*answer.find("translations")), (std::vector<std::string>{expected_[0], expected_[1]}));
  const auto& lists = answer.find("n_best")->as_array();
  ASSERT_EQ(lists.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    ASSERT_EQ(lists[i].as_array().size(), 2u);
    EXPECT_EQ(lists[i].as_array()[0].find("translation")->as_string(), expected_[i]);
    EXPECT_EQ(lists[i].as_array()[0].find("score")->as_number(), answer.find("scores")->as_array()[i].as_number());
    EXPECT_GE(lists[i].as_array()[0].find("score")->as_number(), lists[i].as_array()[1].find("score")->as_number());
  }
  server->signal(SIGINT);
  EXPECT_EQ(server->wait(), 0) << server->log();
}

TEST_F(ServeProgram, MalformedAndOversizedRequestsGetJsonErrorsAndTheServerGoesOn) {
  const auto server = start("--max-request-lines 3 --max-request-bytes 2000");
  struct Case {
    std::string body;
    int status;
    std::string error;
  };
  const std::vector<Case> cases = {
      {"hello", 400, "the body is not JSON: byte 0: expected a value"},
      {"{\"text\": [\"a\"], \"beam_size\": 0}", 400, "\"beam_size\" must be between 1 and 256, not 0"},
      {"{\"text\": [1]}", 400, "\"text\"[0] must be a string, not a number"},
      {"{\"text\": [\"a\"], \"colour\": 1}", 400, "unknown key \"colour\" (known: text, beam_size, n_best, scores)"},
      {"{\"text\": [\"a\", \"b\", \"c\", \"d\"]}", 413, "\"text\" holds 4 lines; this server takes at most 3 per request"},
      {"{\"text\": [\"" + std::string(3000, 'a') + "\"]}", 413, "the body is larger than 2000 bytes"},
      {std::string(100000, '['), 413, "the body is larger than 2000 bytes"},
  };
  for (const Case& c : cases) {
    const auto res = post(server->port(), c.body);
    ASSERT_TRUE(res) << c.error;
    EXPECT_EQ(res->status, c.status) << c.error;
    EXPECT_EQ(parse_json(res->body).find("error")->as_string(), c.error);
  }
  httplib::Client client("127.0.0.1", server->port());
  const auto missing = client.Get("/translate");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_NE(parse_json(missing->body).find("error")->as_string().find("no route GET /translate"), std::string::npos);

  const auto good = post(server->port(), "{\"text\": " + json_array({lines_[2]}) + ", \"beam_size\": 2}");
  ASSERT_TRUE(good);
  EXPECT_EQ(good->status, 200);
  EXPECT_EQ(strings_of(*parse_json(good->body).find("translations")), std::vector<std::string>{expected_[2]});
  server->signal(SIGTERM);
  EXPECT_EQ(server->wait(), 0) << server->log();
}

TEST_F(ServeProgram, ClientsThatLeaveMidRequestDoNotHurtTheOthers) {
  const auto server = start("--max-wait-ms 200");
  const std::string body = "{\"text\": " + json_array({lines_[3], lines_[4]}) + ", \"beam_size\": 2}";
  // One leaves halfway through its body, one right after sending it all, before the answer.
  for (const size_t sent : {body.size() / 2, body.size()}) {
    const int fd = connect_to(server->port());
    ASSERT_GE(fd, 0);
    const std::string request = "POST /translate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, sent);
    ASSERT_EQ(send(fd, request.data(), request.size(), MSG_NOSIGNAL), static_cast<ssize_t>(request.size()));
    close(fd);
  }
  const auto res = post(server->port(), body);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(strings_of(*parse_json(res->body).find("translations")),
            (std::vector<std::string>{expected_[3], expected_[4]}));
  server->signal(SIGTERM);
  EXPECT_EQ(server->wait(), 0) << server->log();
}

TEST_F(ServeProgram, SigtermAnswersTheRequestsInFlightThenExitsZero) {
  // Requests would wait up to 30 s for others to join: the signal comes while all of them wait, and they
  // are answered at once.
  const auto server = start("--max-wait-ms 30000 --max-batch-sentences 1000");
  constexpr size_t kClients = 4;
  std::vector<std::string> failures(kClients, "not answered");
  std::vector<std::thread> clients;
  for (size_t c = 0; c < kClients; ++c)
    clients.emplace_back([&, c] {
      const auto res = post(server->port(), "{\"text\": " + json_array({lines_[c]}) + ", \"beam_size\": 2}");
      if (!res) return;
      if (res->status != 200) failures[c] = "status " + std::to_string(res->status);
      else if (strings_of(*parse_json(res->body).find("translations")) != std::vector<std::string>{expected_[c]})
        failures[c] = "other translation: " + res->body;
      else failures[c] = "";
    });
  // Until every request is queued.
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  const auto signalled = std::chrono::steady_clock::now();
  server->signal(SIGTERM);
  for (std::thread& client : clients) client.join();
  EXPECT_LT(std::chrono::steady_clock::now() - signalled, std::chrono::seconds(20));
  for (const std::string& failure : failures) EXPECT_EQ(failure, "");
  EXPECT_EQ(server->wait(), 0) << server->log();
  EXPECT_NE(server->log().find("finishing the requests in flight"), std::string::npos) << server->log();
  // Gone: nothing listens any more.
  const int fd = connect_to(server->port());
  EXPECT_LT(fd, 0);
  if (fd >= 0) close(fd);
}

TEST_F(ServeProgram, BadOptionsAndABusyPortExitTwoWithTheReason) {
  const ProcessResult help = run_command(program_path("serve") + " --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("POST /translate"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("--max-wait-ms"), std::string::npos) << help.out;
  const ProcessResult port = run_command(program_path("serve") + " --model " + model_ + " --port 70000");
  EXPECT_EQ(port.exit_code, 2);
  EXPECT_NE(port.err.find("--port must be in [0, 65535], not 70000"), std::string::npos) << port.err;
  const ProcessResult missing = run_command(program_path("serve") + " --model " + dir_->path("none.bin"));
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find(dir_->path("none.bin")), std::string::npos) << missing.err;

  const auto server = start();
  const ProcessResult busy = run_command(program_path("serve") + " --model " + model_ + " --threads 1 --port " +
                                         std::to_string(server->port()));
  EXPECT_EQ(busy.exit_code, 2);
  EXPECT_NE(busy.err.find("cannot listen on 127.0.0.1:" + std::to_string(server->port())), std::string::npos)
      << busy.err;
  server->signal(SIGTERM);
  EXPECT_EQ(server->wait(), 0) << server->log();
}

}  // namespace
}  // namespace ferry
