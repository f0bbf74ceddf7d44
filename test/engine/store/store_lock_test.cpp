#include "engine/store/store_lock.hpp"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "engine/store/store.hpp"
#include "test/harness/flowstate_binary.hpp"
#include "test/harness/process_exists.hpp"
#include "test/harness/store_holder_keys.hpp"
#include "test/harness/store_options.hpp"
#include "test/harness/temp_dir.hpp"

using namespace flowstate::store;
using flowstate::test::reading;
using flowstate::test::waiting;
using flowstate::test::writing;
using namespace std::chrono_literals;
using Catch::Matchers::Message;
using flowstate::test::FlowstateProcess;

namespace {

// A store_holder process that has opened `directory` for writing.
std::unique_ptr<FlowstateProcess> start_holder(const std::filesystem::path& directory) {
  auto holder = std::make_unique<FlowstateProcess>(
      std::vector<std::string>{directory.string(), "3", "flowstate run a.yaml"}, "", FLOWSTATE_STORE_HOLDER);
  REQUIRE(holder->wait_for_stderr("ready", 10s));
  return holder;
}

}  // namespace

TEST_CASE("StoreLock: a second writer waits, tells once, then fails naming the holder's pid and command",
          "[store][lock]") {
  flowstate::test::TempDir temp;
  auto directory = temp / "store";
  auto holder = start_holder(directory);
  std::string held_by = "pid " + std::to_string(holder->pid()) + " (flowstate run a.yaml)";

  std::vector<std::string> told;
  auto started = std::chrono::steady_clock::now();
  auto options = waiting(directory, 300ms);
  options.on_lock_wait = [&](const std::string& message) { told.push_back(message); };
  REQUIRE_THROWS_MATCHES(
      Store::open(options),
      StoreError, Message("store " + directory.string() + " is locked by " + held_by + "; waited 0.3 s"));
  CHECK(std::chrono::steady_clock::now() - started >= 300ms);
  CHECK(told == std::vector<std::string>{"flowstate: waiting for the store lock on " + directory.string() +
                                         " held by " + held_by});

  auto seen = StoreLock::holder(directory);  // readers see the same holder
  REQUIRE(seen);
  CHECK(seen->pid == holder->pid());
  CHECK(seen->command == "flowstate run a.yaml");
  try {
    Store::open(waiting(directory, 0ms));
    FAIL("the second writer opened");
  } catch (const StoreError& error) {
    CHECK(error.kind() == StoreError::Kind::locked);
  }
}

TEST_CASE("StoreLock: the wait succeeds when the holder exits during it", "[store][lock]") {
  flowstate::test::TempDir temp;
  auto directory = temp / "store";
  auto holder = start_holder(directory);
  int told = 0;
  auto options = waiting(directory, 10s, "second");
  options.on_lock_wait = [&](const std::string&) {
    ++told;
    holder->signal(SIGTERM);  // the holder closes its store and exits
  };
  auto store = Store::open(options);
  CHECK(told == 1);
  CHECK(holder->finish().exit_code == 0);
  CHECK(store->get(flowstate::test::holder_key(2)) == flowstate::test::holder_value(2));
  auto seen = store->lock_holder();
  REQUIRE(seen);
  CHECK(seen->pid == ::getpid());
  CHECK(seen->command == "second");
}

TEST_CASE("StoreLock: a lock file left by a killed process does not block", "[store][lock]") {
  flowstate::test::TempDir temp;
  auto directory = temp / "store";
  auto holder = start_holder(directory);
  pid_t dead = holder->pid();
  holder->signal(SIGKILL);
  holder->finish();
  REQUIRE_FALSE(flowstate::test::process_exists(dead));
  // The file still names the dead process, but the kernel released its flock.
  CHECK(temp.read("store/flowstate.lock") == std::to_string(dead) + "\nflowstate run a.yaml\n");
  CHECK_FALSE(StoreLock::holder(directory));

  int told = 0;
  auto options = waiting(directory, 0ms);
  options.on_lock_wait = [&](const std::string&) { ++told; };
  auto store = Store::open(options);
  CHECK(told == 0);
  CHECK(store->lock_holder()->pid == ::getpid());
  CHECK(temp.read("store/flowstate.lock") == std::to_string(::getpid()) + "\n\n");
}
