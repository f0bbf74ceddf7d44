// task_double: a real child process for command-task tests. Behaviour comes from argv:
//   echo            copy stdin to stdout
//   print TEXT      write TEXT to stdout
//   stderr TEXT     write TEXT and a newline to stderr
//   exit N          exit with status N
//   sleep MS        sleep MS milliseconds
//   pid             write "pid <own pid>" to stderr
//   grandchild      fork a process that sleeps for 10 minutes (in our process group, holding
//                   our stdout and stderr); write "grandchild <its pid>" to stderr
//   ignore-term     ignore SIGTERM from now on
//   raise SIG       send ourselves signal number SIG
//   beat N MS       N times: write "beat <i>" to stderr, then sleep MS milliseconds
//   err-lines N     write "line 0" ... "line N-1" to stderr
//   big-out N       write a JSON string of N 'x' characters to stdout
// Commands run in order, e.g. `task_double stderr oops print '{"Error":"E"}' exit 3`.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <string>
#include <thread>

namespace {

void sleep_ms(long ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string command = argv[i];
    auto argument = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "task_double: " << command << " needs an argument\n";
        std::exit(64);
      }
      return argv[++i];
    };
    auto number = [&] { return std::atol(argument().c_str()); };
    if (command == "echo") {
      std::cout << std::string(std::istreambuf_iterator<char>(std::cin), {});
    } else if (command == "print") {
      std::cout << argument() << std::flush;
    } else if (command == "stderr") {
      std::cerr << argument() << std::endl;
    } else if (command == "exit") {
      std::cout.flush();
      return static_cast<int>(number());
    } else if (command == "sleep") {
      sleep_ms(number());
    } else if (command == "pid") {
      std::cerr << "pid " << ::getpid() << std::endl;
    } else if (command == "grandchild") {
      std::cout.flush();
      pid_t pid = ::fork();
      if (pid == 0) {
        sleep_ms(10 * 60 * 1000);
        ::_exit(0);
      }
      std::cerr << "grandchild " << pid << std::endl;
    } else if (command == "ignore-term") {
      ::signal(SIGTERM, SIG_IGN);
    } else if (command == "raise") {
      std::cout.flush();
      ::raise(static_cast<int>(number()));
    } else if (command == "beat") {
      long count = number();
      long interval = number();
      for (long beat = 0; beat < count; ++beat) {
        std::cerr << "beat " << beat << std::endl;
        sleep_ms(interval);
      }
    } else if (command == "err-lines") {
      long count = number();
      for (long line = 0; line < count; ++line) std::cerr << "line " << line << '\n';
      std::cerr.flush();
    } else if (command == "big-out") {
      std::cout << '"' << std::string(static_cast<std::size_t>(number()), 'x') << '"'
                << std::flush;
    } else {
      std::cerr << "task_double: unknown command " << command << "\n";
      return 64;
    }
  }
  return 0;
}
