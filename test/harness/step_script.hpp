// step.sh: a real command task for resume and redrive tests whose behaviour a test controls
// with files in one folder, and which appends to a ledger there, so a test can prove what
// ran again. Header-only test harness.
//
// `/bin/sh DIR/step.sh NAME` (or env NAME overriding it), with the task's input on stdin:
//   1. appends "NAME retry=$RETRY redrive=$REDRIVE input=<stdin>" to DIR/ledger, writes its
//      pid to DIR/pid-NAME and touches DIR/started-NAME;
//   2. while DIR/block-NAME exists: says "NAME waits" on stderr once and waits;
//   3. if DIR/fail-NAME exists: waits for every file listed in it (e.g. "done-A started-B"),
//      for done-X also until X's process has been reaped and 0.2 s more (so that flowstate
//      has recorded X's success, and a failure here does not abort X), then fails (exit 1,
//      "NAME is broken" on stderr);
//   4. if DIR/failures-NAME holds N > 0: writes N-1 there and fails;
//   5. touches DIR/done-NAME and prints the JSON string "NAME done".
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace flowstate::test {

inline constexpr std::string_view kStepScript = R"sh(name=${NAME:-$1}
d=$(dirname "$0")
input=$(cat)
echo "$name retry=${RETRY:-} redrive=${REDRIVE:-} input=$input" >> "$d/ledger"
echo $$ > "$d/pid-$name"
touch "$d/started-$name"
if [ -e "$d/block-$name" ]; then echo "$name waits" >&2; fi
while [ -e "$d/block-$name" ]; do sleep 0.02; done
if [ -e "$d/fail-$name" ]; then
  for file in $(cat "$d/fail-$name"); do
    while [ ! -e "$d/$file" ]; do sleep 0.02; done
    case $file in done-*)
      while kill -0 "$(cat "$d/pid-${file#done-}")" 2>/dev/null; do sleep 0.02; done
      sleep 0.2;;
    esac
  done
  echo "$name is broken" >&2
  exit 1
fi
if [ -e "$d/failures-$name" ]; then
  n=$(cat "$d/failures-$name")
  if [ "$n" -gt 0 ]; then echo $((n - 1)) > "$d/failures-$name"; echo "$name fails" >&2; exit 1; fi
fi
touch "$d/done-$name"
printf '"%s done"' "$name"
)sh";

/// Writes step.sh into `folder`; returns its path.
inline std::filesystem::path write_step_script(const std::filesystem::path& folder) {
  std::filesystem::path script = folder / "step.sh";
  std::ofstream(script, std::ios::binary) << kStepScript;
  return script;
}

/// A Task's Parameters (a YAML flow mapping) that run step.sh as `name` with the state's
/// input on stdin, $$.State.RetryCount as RETRY and $$.Execution.RedriveCount as REDRIVE.
/// `env` adds entries to Env (e.g. "NAME.$: \"States.Format('item{}', $.n)\"").
inline std::string step_parameters(const std::filesystem::path& folder, std::string_view name,
                                   std::string_view env = {}) {
  std::string out = "{Command: [/bin/sh, \"" + (folder / "step.sh").string() + "\", " +
                    std::string(name) + "], Input.$: \"$\", Env: {" +
                    "RETRY.$: \"States.Format('{}', $$.State.RetryCount)\", " +
                    "REDRIVE.$: \"States.Format('{}', $$.Execution.RedriveCount)\"";
  if (!env.empty()) out += ", " + std::string(env);
  return out + "}}";
}

/// The ledger lines of `name`, in order, without the name.
inline std::vector<std::string> ledger_of(const std::filesystem::path& folder, std::string_view name) {
  std::ifstream in(folder / "ledger");
  std::vector<std::string> lines;
  std::string prefix = std::string(name) + " ";
  for (std::string line; std::getline(in, line);)
    if (line.starts_with(prefix)) lines.push_back(line.substr(prefix.size()));
  return lines;
}

/// Creates (with `text`) or removes a control file in `folder`.
inline void put_file(const std::filesystem::path& folder, std::string_view name, std::string_view text = {}) {
  std::ofstream(folder / name, std::ios::binary) << text;
}
inline void remove_file(const std::filesystem::path& folder, std::string_view name) {
  std::filesystem::remove(folder / name);
}

}  // namespace flowstate::test
