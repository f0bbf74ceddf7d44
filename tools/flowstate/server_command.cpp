#include "tools/flowstate/server_command.hpp"

#include <charconv>
#include <cstdlib>
#include <iostream>
#include <optional>

#include <boost/asio/ip/tcp.hpp>
#include <fmt/format.h>

#include "engine/server/api_dispatcher.hpp"
#include "engine/server/execution_launcher.hpp"
#include "engine/server/http_listener.hpp"
#include "engine/server/server_presence.hpp"
#include "tools/flowstate/execution_driver.hpp"

namespace flowstate::cli {

namespace asio = boost::asio;
using asio::ip::tcp;

void add_server_command(CLI::App& app, ServerOptions& options) {
  CLI::App* server = app.add_subcommand(
      "server", "Serve the AWS Step Functions API (JSON 1.0) for SDKs and the AWS CLI, running the "
                "executions in the store");
  server->add_option("--listen", options.listen, "the address to listen on, HOST:PORT (default "
                                                 "127.0.0.1:8083; port 0 picks a free one)");
  server->add_flag("--no-auth", options.no_auth,
                   "allow listening on a non-loopback address although requests are not authenticated");
  server->add_option("--credentials", options.credentials,
                     "verify every request's AWS Signature Version 4 against this file of "
                     "'ACCESS_KEY_ID SECRET_ACCESS_KEY' lines (403 otherwise)")
      ->excludes(server->get_option("--no-auth"));
  server->add_option("--mock-config", options.mock_config,
                     "answer Task states from this mock configuration file (AWS Step Functions Local's "
                     "MockConfigFile format; default: $SFN_MOCK_CONFIG) for executions started on "
                     "'stateMachineArn#TestCase'");
  server->add_flag("--skip-waits", options.skip_waits,
                   "do not sleep in Wait states or between retries (also: WAIT_TIME_SCALE=0)");
  server->add_flag("--quiet,-q", options.quiet, "print no execution progress or task logs on stderr");
  server->add_option("--seed", options.seed, "seed for retry jitter (default: random)");
  server->add_option("--activity-poll", options.activity_poll,
                     "seconds a GetActivityTask call waits for a task before answering without one "
                     "(default 60, as AWS)")
      ->check(CLI::Range(1u, 3600u));
  add_store_options(*server, options.store, /*writer=*/true);
  add_lambda_options(*server, options.lambda, LambdaOptionFor::run);
  add_substitution_options(*server, options.substitutions);
}

namespace {

std::optional<tcp::endpoint> parse_listen(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos) return std::nullopt;
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host == "localhost") host = "127.0.0.1";
  boost::system::error_code error;
  auto address = asio::ip::make_address(host, error);
  std::uint16_t port = 0;
  const char* end = text.data() + text.size();
  auto [stop, parse_error] = std::from_chars(text.data() + colon + 1, end, port);
  if (error || parse_error != std::errc() || stop != end || colon + 1 == text.size()) return std::nullopt;
  return tcp::endpoint(address, port);
}

const char* env(const char* name) {
  const char* value = std::getenv(name);
  return value && *value ? value : nullptr;
}

}  // namespace

ExitCode server_command(const ServerOptions& options, const std::string& command_line) {
  auto endpoint = parse_listen(options.listen);
  if (!endpoint) {
    std::cerr << fmt::format("flowstate: error: --listen '{}': expected HOST:PORT with HOST an IP address or "
                             "localhost, e.g. 127.0.0.1:8083\n",
                             options.listen);
    return ExitCode::invalid_input;
  }
  if (!endpoint->address().is_loopback() && !options.no_auth && options.credentials.empty()) {
    std::cerr << fmt::format("flowstate: error: --listen {}: without --credentials FILE the server does not "
                             "authenticate requests, so it listens only on a loopback address unless "
                             "--no-auth is given\n",
                             options.listen);
    return ExitCode::invalid_input;
  }
  std::optional<server::RequestSignature> signature;
  if (!options.credentials.empty()) {
    std::string problem;
    signature = server::RequestSignature::load(options.credentials, problem);
    if (!signature) {
      std::cerr << "flowstate: error: --credentials: " << problem << '\n';
      return ExitCode::invalid_input;
    }
  }
  auto lambda = choose_lambda_endpoint(options.lambda, {});
  if (!lambda) return ExitCode::invalid_input;
  auto substitutions = load_substitutions(options.substitutions);
  if (!substitutions) return ExitCode::invalid_input;
  std::string mock_path = options.mock_config;
  if (mock_path.empty())
    if (const char* value = env("SFN_MOCK_CONFIG")) mock_path = value;
  std::optional<tasks::MockConfig> mocks;
  if (!mock_path.empty()) {
    auto loaded = tasks::MockConfig::load(mock_path);
    if (!loaded) {
      std::cerr << "flowstate: error: " << loaded.error() << '\n';
      return ExitCode::invalid_input;
    }
    mocks = std::move(*loaded);
    mock_path = std::filesystem::absolute(mock_path).lexically_normal().string();
  }
  bool skip_waits = options.skip_waits;
  if (const char* scale = env("WAIT_TIME_SCALE")) {
    if (std::string_view(scale) != "0" && std::string_view(scale) != "1") {
      std::cerr << fmt::format("flowstate: error: WAIT_TIME_SCALE={}: only 0 (skip waits) and 1 are supported\n",
                               scale);
      return ExitCode::invalid_input;
    }
    skip_waits = skip_waits || std::string_view(scale) == "0";
  }

  auto store = open_store(options.store, store::AccessMode::write, command_line);
  server::StateMachineRegistry machines(*store);
  server::ActivityRegistry activities(*store);
  ExecutionDriver driver(*store, DriveSettings{options.quiet, options.seed, mocks ? &*mocks : nullptr, mock_path,
                                               lambda->endpoint ? &*lambda->endpoint : nullptr,
                                               [&machines](std::string_view arn) { return machines.resolve(arn); },
                                               /*serve_activities=*/true});
  driver.host().activities().known = [&activities](std::string_view arn) {
    return activities.find_arn(arn).has_value();
  };
  server::ApiContext context{driver.host(), machines, activities,
                             server::ServerSettings{mock_path, mocks ? &*mocks : nullptr,
                                                    lambda->endpoint ? lambda->endpoint->url : std::string(),
                                                    skip_waits, std::chrono::seconds(options.activity_poll),
                                                    options.substitutions.given() ? substitutions : std::nullopt},
                             [](std::string_view line) { std::cerr << line << '\n'; }};
  server::ApiDispatcher dispatcher(context);
  std::optional<server::HttpListener> listener;
  try {
    listener.emplace(driver.io().get_executor(), *endpoint, dispatcher, signature ? &*signature : nullptr);
  } catch (const boost::system::system_error& error) {
    std::cerr << fmt::format("flowstate: error: cannot listen on {}: {}\n", options.listen, error.code().message());
    return ExitCode::invalid_input;
  }
  // The CLI on this store runs its executions through this server (server_presence.hpp).
  tcp::endpoint bound = listener->local_endpoint();
  asio::ip::address reachable = bound.address();
  if (reachable.is_unspecified())
    reachable = reachable.is_v6() ? asio::ip::address(asio::ip::address_v6::loopback())
                                  : asio::ip::address(asio::ip::address_v4::loopback());
  std::string url = fmt::format("http://{}:{}", reachable.is_v6() ? "[" + reachable.to_string() + "]" : reachable.to_string(),
                                bound.port());
  try {
    listener->admit_store_key(server::ServerPresence::publish(store->directory(), url).key);
  } catch (const std::exception& error) {
    std::cerr << fmt::format("flowstate: error: {}\n", error.what());
    return ExitCode::internal_error;
  }
  std::size_t resumed = server::resume_running_executions(context, driver.io().get_executor());
  if (resumed > 0) std::cerr << fmt::format("flowstate: resumed {} running execution(s)\n", resumed);
  std::cerr << fmt::format("flowstate: server listening on http://{}:{} (store {})\n",
                           bound.address().is_v6() ? "[" + bound.address().to_string() + "]"
                                                   : bound.address().to_string(),
                           bound.port(), store->directory().string())
            << std::flush;
  driver.serve([&] { return listener->run(); },
               [&] {
                 listener->close();
                 driver.host().activities().close();  // workers' long polls end now
               });
  server::ServerPresence::withdraw(store->directory());
  std::cerr << "flowstate: server stopped\n";
  return ExitCode::succeeded;
}

}  // namespace flowstate::cli
