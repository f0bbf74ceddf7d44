// store_holder: a real second process for the store tests. Opens a store in write mode
// (taking its lock), writes KEYS keys, prints "ready" on stderr, then waits for signals:
// SIGUSR1 writes KEYS more keys and prints "wrote N" (N keys in all); SIGTERM closes the
// store and exits 0; SIGKILL is the crash the tests simulate.
//
//   store_holder DIR KEYS COMMAND [wal|sync] [deferred]
// Key i is "key/" + i as 6 digits; its value is "value-" + the same digits.
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "engine/store/store.hpp"
#include "test/harness/store_holder_keys.hpp"

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: store_holder DIR KEYS COMMAND [wal|sync] [deferred]\n");
    return 2;
  }
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGUSR1);
  sigaddset(&signals, SIGTERM);
  sigprocmask(SIG_BLOCK, &signals, nullptr);
  try {
    flowstate::store::StoreOptions options;
    options.directory = argv[1];
    options.holder_command = argv[3];
    options.durability = argc > 4 && std::string(argv[4]) == "sync" ? flowstate::store::Durability::sync
                                                                     : flowstate::store::Durability::wal;
    options.lock_timeout = std::chrono::seconds(10);
    options.deferred = argc > 5 && std::string(argv[5]) == "deferred";
    auto store = flowstate::store::Store::open(options);
    const int per_round = std::atoi(argv[2]);
    int written = 0;
    flowstate::store::WriteBatch batch;
    auto write_round = [&] {
      for (int end = written + per_round; written < end; ++written) {
        batch.put(flowstate::test::holder_key(written), flowstate::test::holder_value(written));
        store->write(batch);
      }
    };
    write_round();
    std::fprintf(stderr, "ready\n");
    for (;;) {
      int received = 0;
      sigwait(&signals, &received);
      if (received == SIGTERM) break;
      write_round();
      std::fprintf(stderr, "wrote %d\n", written);
    }
  } catch (const std::exception& error) {
    std::fprintf(stderr, "store_holder: %s\n", error.what());
    return 3;
  }
  return 0;
}
