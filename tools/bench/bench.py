#!/usr/bin/env python3
"""flowstate vs aws-local-stepfunctions, side by side in one run.

    python3 tools/bench/bench.py --flowstate build/tools/flowstate \
        [--bench-binary build/tools/bench/flowstate_bench] [--repeat N] [--json-report FILE]

Installs the peer (npm package aws-local-stepfunctions, CLI `local-sfn`) into a temporary
folder, generates the inputs with the cases' gen-inputs.cjs, checks both runners produce the
expected output for every case, then measures:

  cli      whole process, as a user runs it: wall time (median of N) and peak RSS
           flowstate: flowstate run DEF --input-file IN --format json -q
           peer:      local-sfn -f DEF < IN
  in-proc  the execution alone, start-up and definition loading excluded
           flowstate: flowstate_bench (compile once, run R times, median)
           peer:      a Node driver (new StateMachine(def) once, await sm.run(input).result R times)

Targets (the issue): loop ≥ 100x the peer's in-process transitions/s, map ≥ 30x the peer's
in-process items/s, flowstate start-up (one-state machine, whole process) ≤ 5 ms median.

Python standard library only. Exit status: 0 when every output was right (targets are
reported, not enforced, unless --strict), 1 when a runner failed or was wrong, 2 when the
set-up (npm install, inputs, binaries) failed, 3 with --strict when a target was missed.
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_CASES = os.path.join(REPO, "..", "shared", "bench-cases")
PEER_PACKAGE = "aws-local-stepfunctions"

# name, definition, input file (from gen-inputs.cjs), expected output, units of work, unit
CASES = [
    {"name": "startup", "definition": "pass1.json", "input": "empty.json",
     "expected": {"hello": "world"}, "work": 1, "unit": "states"},
    {"name": "loop", "definition": "loop.json", "input": "loop-100k.json",
     "expected": {"i": 50000, "n": 50000}, "work": 100003, "unit": "transitions"},
    {"name": "map10k", "definition": "map10k.json", "input": "map10k.json",
     "expected": {"count": 10000, "last": {"id": 9999, "label": "item", "doubled": 19998}},
     "work": 10000, "unit": "items"},
    {"name": "parallel3", "definition": "parallel3.json", "input": "parallel3.json",
     "expected": {"a": 3, "b": 21, "c": 201}, "work": 11, "unit": "states"},
]

# The loop run durably (flowstate_bench --store): the CLI's default (wal, pure transitions
# grouped up to 64 per batch, every batch written before a task starts or time passes), one
# batch per transition, and fsync per batch.
STORE_VARIANTS = [
    ("default", ["--durability", "wal", "--group", "64"]),
    ("per-transition", ["--durability", "wal", "--group", "1"]),
    ("sync", ["--durability", "sync", "--group", "64"]),
]

TARGETS = {
    "loop": ("in-process transitions/s ratio", 100.0),
    "map10k": ("in-process items/s ratio", 30.0),
    "startup": ("flowstate CLI median ms", 5.0),
    "loop-store": ("in-process checkpointed transitions/s (default durability)", 150000.0),
    "loop-store-ratio": ("checkpointed transitions/s ratio to the peer (in memory)", 4.0),
    "resume": ("flowstate resume of a 100,000-event execution, until its Task runs again, ms", 50.0),
}

# The peer's library, timed without start-up. Written into the temporary folder.
PEER_DRIVER = r"""
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const [peerDir, definitionFile, inputFile, runsText, warmupText] = process.argv.slice(2);
const require = createRequire(path.join(peerDir, 'package.json'));
const { StateMachine } = require('aws-local-stepfunctions');

const definition = JSON.parse(readFileSync(definitionFile, 'utf8'));
const input = JSON.parse(readFileSync(inputFile, 'utf8'));
const runs = Number(runsText), warmup = Number(warmupText);
const machine = new StateMachine(definition);  // validation and set-up: not timed

let output;
for (let i = 0; i < warmup; i++) output = await machine.run(structuredClone(input)).result;
const times = [], cpu = [];
for (let i = 0; i < runs; i++) {
  const copy = structuredClone(input);  // not timed, as flowstate_bench's input copy
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  output = await machine.run(copy).result;
  const stop = process.hrtime.bigint();
  const used = process.cpuUsage(cpuStart);
  times.push(Number(stop - start) / 1e6);
  cpu.push((used.user + used.system) / 1e3);
}
const med = (xs) => {
  const s = [...xs].sort((a, b) => a - b), n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};
process.stdout.write(JSON.stringify({ runs, warmup, median_ms: med(times),
                                      min_ms: Math.min(...times), median_cpu_ms: med(cpu),
                                      times_ms: times, output }) + '\n');
"""


class BenchError(Exception):
    def __init__(self, message, code=1):
        super().__init__(message)
        self.code = code


def log(message):
    print(message, file=sys.stderr, flush=True)


def median(values):
    return statistics.median(values) if values else float("nan")


# ---------------------------------------------------------------------------------------------
# processes

def run_measured(argv, stdin_path=None, cwd=None, timeout=600):
    """Runs argv once; returns (wall s, peak RSS KiB, CPU s, exit code, stdout, stderr)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
        try:
            start = time.perf_counter()
            proc = subprocess.Popen(argv, stdin=stdin, stdout=out, stderr=err, cwd=cwd)
            # A blocking wait (no polling: this machine may have 2 cores); a timer kills a
            # runaway child.
            watchdog = threading.Timer(timeout, proc.kill)
            watchdog.start()
            try:
                _, status, usage = os.wait4(proc.pid, 0)
            finally:
                watchdog.cancel()
            wall = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            if proc.returncode == -9 and wall >= timeout:
                raise BenchError(f"timed out after {timeout}s: {' '.join(argv)}")
        finally:
            if stdin_path:
                stdin.close()
        out.seek(0)
        err.seek(0)
        return (wall, usage.ru_maxrss, usage.ru_utime + usage.ru_stime, proc.returncode,
                out.read().decode(), err.read().decode())


def run_checked(argv, what, timeout=600, code=1, **kwargs):
    try:
        result = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, **kwargs)
    except FileNotFoundError as error:
        raise BenchError(f"{what}: {error}", code)
    except subprocess.TimeoutExpired:
        raise BenchError(f"{what}: timed out after {timeout}s", code)
    if result.returncode != 0:
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-15:])
        raise BenchError(f"{what} failed (exit {result.returncode}):\n{tail}", code)
    return result.stdout


# ---------------------------------------------------------------------------------------------
# set-up

def install_peer(peer_dir, spec):
    cli = os.path.join(peer_dir, "node_modules", ".bin", "local-sfn")
    if os.path.exists(cli):
        log(f"peer: reusing {peer_dir}")
    else:
        if not shutil.which("npm"):
            raise BenchError("npm is not installed; it is needed to install the peer", 2)
        log(f"peer: npm install --prefix {peer_dir} {spec} ...")
        os.makedirs(peer_dir, exist_ok=True)
        run_checked(["npm", "install", "--prefix", peer_dir, "--no-audit", "--no-fund",
                     "--loglevel=error", spec], "npm install of the peer", timeout=900, code=2)
        if not os.path.exists(cli):
            raise BenchError(f"npm install succeeded but {cli} is missing", 2)
    with open(os.path.join(peer_dir, "node_modules", PEER_PACKAGE, "package.json")) as f:
        version = json.load(f)["version"]
    return cli, version


def expected_inspect(peer_dir, value):
    """The peer CLI prints results with console.log (util.inspect), not JSON."""
    return run_checked(["node", "-e", "console.log(JSON.parse(process.argv[1]))",
                        json.dumps(value)], "node console.log", cwd=peer_dir).strip()


# ---------------------------------------------------------------------------------------------
# measurements

GNU_TIME = "/usr/bin/time"


def measure_cli(argv, stdin_path, repeat, warmup, check):
    """Warm-up runs (at least one) go through GNU time for the peak RSS: a child of this
    Python process inherits Python's RSS high-water mark across exec, so wait4's ru_maxrss
    would never read below Python's own size. Timed runs are spawned directly."""
    walls, rss, cpu, wait4_rss = [], [], [], []
    use_time = os.access(GNU_TIME, os.X_OK)
    with tempfile.NamedTemporaryFile(mode="r", suffix=".rss") as rss_file:
        for i in range(warmup + repeat):
            warm = i < warmup
            wrapped = ([GNU_TIME, "-f", "%M", "-o", rss_file.name] + argv
                       if warm and use_time else argv)
            wall, maxrss, cpu_s, code, out, err = run_measured(wrapped, stdin_path)
            problem = check(code, out, err)
            if problem:
                raise BenchError(f"{' '.join(argv)}: {problem}")
            if warm and use_time:
                rss_file.seek(0)
                rss.append(int(rss_file.read().strip().splitlines()[-1]))
            if not warm:
                walls.append(wall)
                cpu.append(cpu_s)
                wait4_rss.append(maxrss)
    return {"median_ms": median(walls) * 1000, "min_ms": min(walls) * 1000,
            "median_cpu_ms": median(cpu) * 1000,
            "times_ms": [w * 1000 for w in walls],
            "peak_rss_kib": max(rss) if rss else max(wait4_rss),
            "rss_source": "GNU time (warm-up runs)" if rss else
                          "wait4 ru_maxrss (upper bound: includes the spawning Python)"}


def flowstate_cli_check(expected):
    def check(code, out, err):
        if code != 0:
            return f"exit {code}: {err.strip()[-500:]}"
        try:
            result = json.loads(out)
        except ValueError:
            return f"output is not JSON: {out[:200]!r}"
        if result.get("status") != "SUCCEEDED" or result.get("output") != expected:
            return f"wrong result {out.strip()[:300]!r}, expected output {json.dumps(expected)}"
        return None
    return check


def peer_cli_check(expected_text):
    def check(code, out, err):
        if code != 0:
            return f"exit {code}: {(err or out).strip()[-500:]}"
        if out.strip() != expected_text:
            return f"wrong output {out.strip()[:300]!r}, expected {expected_text!r}"
        return None
    return check


RESUME_ITERATIONS = 25000  # a Pass and a Choice each: 4 events per iteration, 100,000 in all

RESUME_DEFINITION = {
    "Comment": "resume benchmark: 100,000 history events, then a Task that blocks",
    "StartAt": "Init",
    "States": {
        "Init": {"Type": "Pass", "Parameters": {"i": 0, "n.$": "$.n"}, "Next": "Check"},
        "Check": {"Type": "Choice", "Default": "Block",
                  "Choices": [{"Variable": "$.i", "NumericLessThanPath": "$.n", "Next": "Inc"}]},
        "Inc": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)", "n.$": "$.n"},
                "Next": "Check"},
        "Block": {"Type": "Task", "Resource": "arn:flowstate:::command", "End": True,
                  "Parameters": {"Shell": True,
                                 "Command": "echo $$ > block.pid; echo started >&2; exec sleep 3600"}},
    },
}


def wait_for_line(process, needle, timeout=600):
    """Reads the process's stderr until a line contains `needle`; the time it appeared."""
    deadline = time.monotonic() + timeout
    for line in process.stderr:
        if needle in line:
            return time.perf_counter()
        if time.monotonic() > deadline:
            break
    raise BenchError(f"never saw {needle!r} on stderr")


def kill_block(process, folder):
    process.kill()
    process.wait()
    try:
        with open(os.path.join(folder, "block.pid")) as f:
            os.kill(int(f.read().strip()), 9)
    except (OSError, ValueError):
        pass


def measure_resume(flowstate, temp, repeat):
    """`flowstate resume` of an execution with 100,000 history events whose process was
    killed in its last Task: wall time from spawning `resume` until the Task runs again (its
    first line on stderr), including process start and opening the store."""
    folder = os.path.join(temp, "resume")
    os.makedirs(folder, exist_ok=True)
    definition = os.path.join(folder, "resume.json")
    with open(definition, "w") as f:
        json.dump(RESUME_DEFINITION, f)
    store = os.path.join(folder, "store")
    run = subprocess.Popen([flowstate, "run", definition, "--input",
                            json.dumps({"n": RESUME_ITERATIONS}), "--name", "resume-bench",
                            "--store", store], cwd=folder, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)
    wait_for_line(run, "[Block] started")
    kill_block(run, folder)  # kill -9: the execution stays RUNNING in its Task
    events = json.loads(run_checked([flowstate, "describe", "resume-bench", "--store", store],
                                    "describe"))
    history = json.loads(run_checked([flowstate, "history", "resume-bench", "--store", store,
                                      "--format", "json"], "history"))["events"]
    times = []
    for _ in range(repeat + 1):
        start = time.perf_counter()
        resumed = subprocess.Popen([flowstate, "resume", "resume-bench", "--store", store],
                                   cwd=folder, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, text=True)
        seen = wait_for_line(resumed, "[Block] started")
        kill_block(resumed, folder)
        times.append((seen - start) * 1000)
    times = times[1:]  # the first resume also finds the store's files cold
    return {"events": len(history), "status": events["status"], "median_ms": median(times),
            "min_ms": min(times), "times_ms": times}


def measure_inproc(argv, expected, what):
    out = run_checked(argv, what, timeout=1800)
    try:
        report = json.loads(out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise BenchError(f"{what}: unreadable report {out[:300]!r}")
    if report.get("output") != expected:
        raise BenchError(f"{what}: wrong output {json.dumps(report.get('output'))[:300]}, "
                         f"expected {json.dumps(expected)}")
    return report


# ---------------------------------------------------------------------------------------------
# report

def fmt_rate(value):
    if value >= 1e6:
        return f"{value / 1e6:.2f}M/s"
    if value >= 1e3:
        return f"{value / 1e3:.1f}k/s"
    return f"{value:.0f}/s"


def fmt_ms(value):
    return f"{value:.3f} ms" if value < 10 else f"{value:.1f} ms"


def print_table(rows):
    headers = ["case", "measure", "flowstate", "peer", "ratio", "target", "verdict"]
    widths = [max(len(str(r[i])) for r in rows + [headers]) for i in range(len(headers))]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths))
    print(line)
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)))


def build_rows(results):
    rows, verdicts = [], {}
    for name, r in results.items():
        case = r["case"]
        unit = case["unit"]
        fi, pi = r["flowstate"]["inproc"], r["peer"]["inproc"]
        fc, pc = r["flowstate"]["cli"], r["peer"]["cli"]
        f_rate = case["work"] / (fi["median_ms"] / 1000)
        p_rate = case["work"] / (pi["median_ms"] / 1000)
        rate_ratio = f_rate / p_rate
        r["ratios"] = {"inproc_rate": rate_ratio, "cli_time": pc["median_ms"] / fc["median_ms"],
                       "rss": pc["peak_rss_kib"] / max(fc["peak_rss_kib"], 1)}
        target, verdict = "", ""
        if name in ("loop", "map10k"):
            want = TARGETS[name][1]
            ok = rate_ratio >= want
            target, verdict = f">= {want:.0f}x", "PASS" if ok else "FAIL"
            verdicts[name] = (ok, rate_ratio)
        rows.append([name, f"in-proc {unit}/s", fmt_rate(f_rate), fmt_rate(p_rate),
                     f"{rate_ratio:.1f}x", target, verdict])
        rows.append([name, "in-proc run (median)", fmt_ms(fi["median_ms"]),
                     fmt_ms(pi["median_ms"]), f"{pi['median_ms'] / fi['median_ms']:.1f}x", "", ""])
        rows.append([name, "in-proc CPU per run", fmt_ms(fi["median_cpu_ms"]),
                     fmt_ms(pi["median_cpu_ms"]),
                     f"{pi['median_cpu_ms'] / max(fi['median_cpu_ms'], 1e-6):.1f}x", "", ""])
        target, verdict = "", ""
        if name == "startup":
            want = TARGETS[name][1]
            ok = fc["median_ms"] <= want
            target, verdict = f"flowstate <= {want:.0f} ms", "PASS" if ok else "FAIL"
            verdicts[name] = (ok, fc["median_ms"])
        rows.append([name, "CLI wall (median)", fmt_ms(fc["median_ms"]), fmt_ms(pc["median_ms"]),
                     f"{r['ratios']['cli_time']:.1f}x", target, verdict])
        rows.append([name, "CLI CPU (median)", fmt_ms(fc["median_cpu_ms"]),
                     fmt_ms(pc["median_cpu_ms"]),
                     f"{pc['median_cpu_ms'] / max(fc['median_cpu_ms'], 1e-6):.1f}x", "", ""])
        if name != "startup":
            f_cli_rate = case["work"] / (fc["median_ms"] / 1000)
            p_cli_rate = case["work"] / (pc["median_ms"] / 1000)
            rows.append([name, f"CLI {unit}/s", fmt_rate(f_cli_rate), fmt_rate(p_cli_rate),
                         f"{f_cli_rate / p_cli_rate:.1f}x", "", ""])
        if "cli_create_ms" in r["flowstate"]:
            rows.append([name, "CLI wall, the run that creates the store", fmt_ms(r["flowstate"]["cli_create_ms"]),
                         "", "", "", ""])
        if "cli_no_store" in r["flowstate"]:
            fn = r["flowstate"]["cli_no_store"]
            rows.append([name, "CLI wall, --no-store", fmt_ms(fn["median_ms"]),
                         fmt_ms(pc["median_ms"]), f"{pc['median_ms'] / fn['median_ms']:.1f}x", "",
                         ""])
        for variant, _ in STORE_VARIANTS:
            fs = r["flowstate"].get("inproc_store_" + variant)
            if not fs:
                continue
            s_rate = case["work"] / (fs["median_ms"] / 1000)
            target, verdict = "", ""
            if variant == "default":
                want, want_ratio = TARGETS["loop-store"][1], TARGETS["loop-store-ratio"][1]
                ok = s_rate >= want and s_rate / p_rate >= want_ratio
                target = f">= {want / 1000:.0f}k/s, >= {want_ratio:.0f}x"
                verdict = "PASS" if ok else "FAIL"
                verdicts["loop-store"] = (ok, s_rate)
            rows.append([name, f"in-proc {unit}/s, store {variant}", fmt_rate(s_rate),
                         fmt_rate(p_rate), f"{s_rate / p_rate:.1f}x", target, verdict])
        rows.append([name, "CLI peak RSS", f"{fc['peak_rss_kib'] / 1024:.1f} MiB",
                     f"{pc['peak_rss_kib'] / 1024:.1f} MiB", f"{r['ratios']['rss']:.1f}x less",
                     "", ""])
    return rows, verdicts


# ---------------------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--flowstate", required=True, help="the flowstate CLI binary")
    parser.add_argument("--bench-binary", help="flowstate_bench (default: next to --flowstate, "
                                               "in bench/)")
    parser.add_argument("--cases", default=DEFAULT_CASES,
                        help="the bench-cases folder (default: ../shared/bench-cases)")
    parser.add_argument("--repeat", type=int, default=5,
                        help="timed runs per measurement (median); default 5")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs first; default 1")
    parser.add_argument("--inproc-repeat", type=int,
                        help="timed in-process runs (default: max(--repeat, 5))")
    parser.add_argument("--peer-dir", help="install the peer here, or reuse it if present "
                                           "(default: a fresh temporary folder)")
    parser.add_argument("--peer-spec", default=PEER_PACKAGE,
                        help="the npm spec to install (default: aws-local-stepfunctions, latest)")
    parser.add_argument("--only", help="comma-separated case names (startup,loop,map10k,parallel3,"
                                       "resume)")
    parser.add_argument("--json-report", help="write every measurement here as JSON")
    parser.add_argument("--keep-temp", action="store_true", help="keep the temporary folder")
    parser.add_argument("--strict", action="store_true", help="exit 3 when a target is missed")
    parser.add_argument("--cpu", type=int,
                        help="pin this script and both runners to one CPU; the CPUs of a shared "
                             "VM can differ in speed (measured here: 1.8x), which would otherwise "
                             "decide the ratio by scheduling luck")
    args = parser.parse_args()
    if args.cpu is not None:
        os.sched_setaffinity(0, {args.cpu})  # children inherit the affinity

    if args.repeat < 1 or args.warmup < 0:
        parser.error("--repeat must be >= 1 and --warmup >= 0")
    inproc_repeat = args.inproc_repeat or max(args.repeat, 5)
    flowstate = os.path.abspath(args.flowstate)
    bench_binary = os.path.abspath(args.bench_binary or os.path.join(
        os.path.dirname(flowstate), "bench", "flowstate_bench"))
    cases_dir = os.path.abspath(args.cases)
    selected = [c for c in CASES if not args.only or c["name"] in args.only.split(",")]
    if not selected and args.only != "resume":
        parser.error("--only selects no case")

    temp = tempfile.mkdtemp(prefix="flowstate-bench-")
    try:
        for path, what in ((flowstate, "--flowstate"), (bench_binary, "--bench-binary")):
            if not os.access(path, os.X_OK):
                raise BenchError(f"{what}: {path} is not an executable (build it first)", 2)
        if not os.path.isdir(cases_dir):
            raise BenchError(f"--cases: {cases_dir} is not a folder", 2)
        if not shutil.which("node"):
            raise BenchError("node is not installed; the peer needs Node.js", 2)
        node_version = run_checked(["node", "--version"], "node --version", code=2).strip()

        peer_dir = os.path.abspath(args.peer_dir) if args.peer_dir else os.path.join(temp, "peer")
        peer_cli, peer_version = install_peer(peer_dir, args.peer_spec)
        inputs = os.path.join(temp, "inputs")
        run_checked(["node", os.path.join(cases_dir, "gen-inputs.cjs"), inputs],
                    "gen-inputs.cjs", code=2)
        driver = os.path.join(temp, "peer-driver.mjs")
        with open(driver, "w") as f:
            f.write(PEER_DRIVER)
        log(f"flowstate: {flowstate}\nbench binary: {bench_binary}\ncases: {cases_dir}\n"
            f"peer: {PEER_PACKAGE} {peer_version} (node {node_version}) in {peer_dir}\n"
            f"repeat: CLI {args.repeat} (+{args.warmup} warm-up), in-process {inproc_repeat} "
            f"(+{max(args.warmup, 1)} warm-up)")

        true_binary = shutil.which("true") or "/bin/true"
        baseline = measure_cli([true_binary], None, max(args.repeat, 5), 1,
                               lambda code, out, err: None if code == 0 else f"exit {code}")
        log(f"spawn baseline ({true_binary}): {baseline['median_ms']:.2f} ms median")

        results = {}
        for case in selected:
            name = case["name"]
            definition = os.path.join(cases_dir, case["definition"])
            input_file = os.path.join(inputs, case["input"])
            for path in (definition, input_file):
                if not os.path.exists(path):
                    raise BenchError(f"{name}: {path} is missing", 2)
            expected = case["expected"]
            r = {"case": case, "flowstate": {}, "peer": {}}

            log(f"[{name}] flowstate CLI ...")
            # `flowstate run` as users run it: every execution recorded in a store. The store
            # is created first by a run of its own, timed apart (it creates the RocksDB
            # database, which a user's store has after its first run), and the machine is
            # left a second to write back what that creation wrote.
            cli_store = os.path.join(temp, "cli-store")
            cli_argv = [flowstate, "run", definition, "--input-file", input_file, "--format", "json",
                        "-q", "--store", cli_store]
            create_wall, _, _, code, out, err = run_measured(cli_argv)
            problem = flowstate_cli_check(expected)(code, out, err)
            if problem:
                raise BenchError(f"{' '.join(cli_argv)}: {problem}")
            r["flowstate"]["cli_create_ms"] = create_wall * 1000
            time.sleep(1)
            r["flowstate"]["cli"] = measure_cli(cli_argv, None, args.repeat, max(args.warmup, 1),
                                                flowstate_cli_check(expected))
            if name == "startup":
                log(f"[{name}] flowstate CLI --no-store ...")
                r["flowstate"]["cli_no_store"] = measure_cli(
                    [flowstate, "run", definition, "--input-file", input_file, "--format", "json",
                     "-q", "--no-store"], None, args.repeat, max(args.warmup, 1),
                    flowstate_cli_check(expected))
            log(f"[{name}] peer CLI ...")
            r["peer"]["cli"] = measure_cli(
                [peer_cli, "-f", definition], input_file, args.repeat, max(args.warmup, 1),
                peer_cli_check(expected_inspect(peer_dir, expected)))
            log(f"[{name}] flowstate in-process ...")
            r["flowstate"]["inproc"] = measure_inproc(
                [bench_binary, definition, input_file, "--runs", str(inproc_repeat),
                 "--warmup", str(max(args.warmup, 1))], expected, f"{name}: flowstate_bench")
            if r["flowstate"]["inproc"].get("states_entered") not in (None, case["work"]) \
                    and case["unit"] != "items":
                log(f"[{name}] note: flowstate entered {r['flowstate']['inproc']['states_entered']}"
                    f" states, the cases README says {case['work']}")
            if name == "loop":
                for variant, extra in STORE_VARIANTS:
                    log(f"[{name}] flowstate in-process, store {variant} ...")
                    r["flowstate"]["inproc_store_" + variant] = measure_inproc(
                        [bench_binary, definition, input_file, "--runs", str(inproc_repeat),
                         "--warmup", str(max(args.warmup, 1)), "--no-count",
                         "--store", os.path.join(temp, "store-" + variant)] + extra,
                        expected, f"{name}: flowstate_bench --store ({variant})")
            log(f"[{name}] peer in-process ...")
            r["peer"]["inproc"] = measure_inproc(
                ["node", driver, peer_dir, definition, input_file, str(inproc_repeat),
                 str(max(args.warmup, 1))], expected, f"{name}: peer driver")
            results[name] = r

        resume = None
        if not args.only or "resume" in args.only.split(","):
            log("[resume] flowstate resume of a 100,000-event execution ...")
            resume = measure_resume(flowstate, temp, args.repeat)

        rows, verdicts = build_rows(results)
        if resume:
            want = TARGETS["resume"][1]
            ok = resume["median_ms"] <= want
            verdicts["resume"] = (ok, resume["median_ms"])
            rows.append(["resume", f"resume until running again ({resume['events']} events)",
                         fmt_ms(resume["median_ms"]), "-", "", f"<= {want:.0f} ms",
                         "PASS" if ok else "FAIL"])
        print()
        print(f"flowstate vs {PEER_PACKAGE} {peer_version} (node {node_version}); "
              f"{os.cpu_count()} CPUs; medians of {args.repeat} CLI / {inproc_repeat} in-process "
              f"runs; ratio = how many times flowstate is better")
        print(f"spawn baseline: {true_binary} takes {fmt_ms(baseline['median_ms'])} (median wall) "
              f"on this machine now; load average {os.getloadavg()[0]:.2f}")
        print_table(rows)
        print()
        missed = [n for n, (ok, _) in verdicts.items() if not ok]
        print("targets: " + ("all met" if not missed else "missed: " + ", ".join(missed)))

        if args.json_report:
            report = {
                "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                            "load_average": os.getloadavg()},
                "peer": {"package": PEER_PACKAGE, "version": peer_version, "node": node_version},
                "flowstate": flowstate, "bench_binary": bench_binary, "cases_dir": cases_dir,
                "spawn_baseline": baseline, "repeat": args.repeat, "inproc_repeat": inproc_repeat, "warmup": args.warmup,
                "targets": {n: {"measure": m, "target": v, "achieved": verdicts[n][1],
                                "met": verdicts[n][0]}
                            for n, (m, v) in TARGETS.items() if n in verdicts},
                "resume": resume,
                "cases": {n: {"flowstate": r["flowstate"], "peer": r["peer"],
                              "ratios": r["ratios"], "work": r["case"]["work"],
                              "unit": r["case"]["unit"]} for n, r in results.items()},
            }
            with open(args.json_report, "w") as f:
                json.dump(report, f, indent=2)
                f.write("\n")
            log(f"report: {args.json_report}")
        return 3 if args.strict and missed else 0
    except BenchError as error:
        log(f"bench.py: error: {error}")
        return error.code
    finally:
        if args.keep_temp:
            log(f"kept {temp}")
        else:
            shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
