#!/usr/bin/env python3
"""Checks that flowstate records the history AWS recorded, for every conformance case with a history.json.

The corpus (../shared/conformance) holds, for 475 cases, the history event types AWS recorded
in order, with the state name of each *StateEntered / *StateExited event (history.json). For
each such case this script obtains flowstate's history through a command template and
compares the two.

Obtaining the history. `--history-cmd TEMPLATE` (repeatable) gives the commands to run, in
order (in the current directory; {workdir} is a fresh temporary directory per case); the stdout of the last one must be the
GetExecutionHistory JSON `{"events": [...]}` (as `aws stepfunctions get-execution-history`
prints it). Exit codes are not checked (a FAILED execution exits 1). Placeholders:
  {definition} {input}  the case's definition.json and input.json
  {name}                an execution name made from the case id (characters outside
                        [A-Za-z0-9_-] become '_', at most 80 characters, as AWS allows)
  {workdir}             the case's fresh temporary directory (for a store)
  {flowstate}           the --flowstate binary
  {lambda}              a local Lambda endpoint serving the case's functions
                        (lambda_functions.py), for calls no recorded response answers
  {mocks} {testcase}    an AWS Step Functions Local MockConfigFile made from the case's
                        mocks.json by the corpus's own converter (run.py --mocks-format aws),
                        and its test case; for a case without mocks.json, a file whose test
                        case mocks nothing
The default is the CLI's final form:
  {flowstate} run {definition} --input-file {input} --store {workdir}/store --name {name} --skip-waits -q --mock-config {mocks} --test-case {testcase} --lambda-endpoint {lambda}
  {flowstate} history {name} --store {workdir}/store --format json
Until those options exist, use the test harness (one command):
  --history-cmd 'build/test/history_dump {definition} --input-file {input} --name {name}'

Comparison rule. Each event is reduced to its type plus, for *StateEntered / *StateExited, the
state name (history.json carries names on exactly those events; the actual name comes from
stateEnteredEventDetails / stateExitedEventDetails). Then:
  1. The sequences must be equal, event by event. A case passing this is an exact match.
  2. Two caveats of the corpus (README "history.json", flagged in each case's source.txt on
     a "history.json:" line) relax this, and only for the cases they flag:
     - "sorted the events inside each Parallel state": the recording test sorted the events
       of each Parallel span, so their recorded order is not the real one. A span runs from
       the event after ParallelStateEntered to the event before its matching
       ParallelStateExited or ParallelStateAborted (nesting counted on Parallel events only).
     - "may interleave": Map iterations with MaxConcurrency other than 1, or Parallel
       branches, ran concurrently, so their events interleave differently from run to run. A
       span runs from the event after a MapStateEntered or ParallelStateEntered to the event
       before its matching Map/ParallelStateExited or Map/ParallelStateAborted (nesting
       counted on Map and Parallel events).
     In both, an Execution{Succeeded,Failed,Aborted,TimedOut} event closes every open span
     (a Map or Parallel that fails without a Catch has no Exited event). Both histories are
     cut the same way into single events and spans; the single events must be equal in order
     and each span must hold the same multiset of events as the span at the same place. The
     recorded events carry no ids, so the branch or iteration an event belongs to cannot be
     recovered from history.json; a multiset per outermost span is the strongest check that
     holds for every order AWS could have recorded. Everything outside spans (what led into
     the Map/Parallel, the state's exit, what follows) is still compared in order.
  3. Where source.txt says the normaliser "dropped ... ParallelStateSucceeded event(s),
     re-inserted here", the re-inserted type is a guess: the recording test's normaliser
     (localstack's SfnNoneRecursiveParallelTransformer) re-sorts the span again at
     ParallelStateExited with the list it built before the span's first terminal event, so
     the slice assignment drops whatever event stood right before ParallelStateExited:
     ParallelStateSucceeded, or ParallelStateFailed for a Parallel whose failure a Catcher
     took (core/base_scenarios.parallel_state_catch, not normalised, records
     ParallelStateFailed, ParallelStateExited). In those cases the event right before each
     ParallelStateExited is compared as "ParallelStateSucceeded or ParallelStateFailed", in
     both histories.

Skips, counted with their reason and never failures: cases whose tags need a feature the
runtime refuses by design today (the SKIP_TAGS of ratchet.py). The lambda group runs with the
Lambda calls mocked from the recorded responses (--mock-config); a call no recorded response
answers goes to the case's function on a local Lambda endpoint (lambda_functions.py).

Ratchet. `--known FILE` (default test/conformance/history-known-failures.txt) lists case ids
that differ today, one a line with the reason after it (`#` comments). The script exits 1
when a case not listed differs, when a listed case matches (remove it: the list only
shrinks), or when a listed case was skipped or has no history.json; 0 otherwise.

usage: history_fidelity.py [--flowstate PATH] [--history-cmd T]... [--group G[,G]]
                           [--case TEXT]... [--tag TAG]... [--known FILE] [-j N] [-v]
"""
import argparse
import collections
import concurrent.futures
import importlib.util
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lambda_functions import LambdaFunctions  # noqa: E402
from ratchet import SKIP_TAGS, read_known  # noqa: E402  (one list of refused features)

DEFAULT_CMDS = [
    "{flowstate} run {definition} --input-file {input} --store {workdir}/store --name {name} --skip-waits -q"
    " --mock-config {mocks} --test-case {testcase} --lambda-endpoint {lambda}",
    "{flowstate} history {name} --store {workdir}/store --format json",
]
SKIP_GROUPS: dict[str, str] = {}  # group -> why it is skipped (none today)
TERMINAL = {"ExecutionSucceeded", "ExecutionFailed", "ExecutionAborted", "ExecutionTimedOut"}
SORTED_PARALLEL = ({"ParallelStateEntered"}, {"ParallelStateExited", "ParallelStateAborted"})
INTERLEAVED = ({"ParallelStateEntered", "MapStateEntered"},
               {"ParallelStateExited", "ParallelStateAborted", "MapStateExited", "MapStateAborted"})


def execution_name(case_id):
    return re.sub(r"[^A-Za-z0-9_-]", "_", case_id)[:80]


def history_notes(case_dir):
    """The "history.json:" lines of the case's source.txt, as one text ("" without any)."""
    try:
        with open(os.path.join(case_dir, "source.txt"), encoding="utf-8") as f:
            return " ".join(line for line in f if line.startswith("history.json:"))
    except OSError:
        return ""


def caveat_of(notes):
    """The span rule the case's history notes call for: SORTED_PARALLEL, INTERLEAVED or None."""
    if "sorted the events inside each Parallel" in notes:
        return SORTED_PARALLEL
    if "interleave" in notes:
        return INTERLEAVED
    return None


PARALLEL_TERMINAL = "ParallelStateSucceeded|ParallelStateFailed"  # rule 3's blurred event


def blur_parallel_terminals(events):
    """Rule 3: the Succeeded/Failed event right before each ParallelStateExited, as one token."""
    out = list(events)
    for i in range(1, len(out)):
        if out[i][0] == "ParallelStateExited" and out[i - 1][0] in PARALLEL_TERMINAL.split("|"):
            out[i - 1] = (PARALLEL_TERMINAL, None)
    return out


def reduce_expected(events):
    return [(e["type"], e.get("name")) for e in events]


def reduce_actual(events):
    out = []
    for e in events:
        t = e.get("type", "?")
        name = None
        if t.endswith("StateEntered"):
            name = (e.get("stateEnteredEventDetails") or {}).get("name")
        elif t.endswith("StateExited"):
            name = (e.get("stateExitedEventDetails") or {}).get("name")
        out.append((t, name))
    return out


def segments(events, rule):
    """Cuts `events` into ('event', e) and ('span', Counter) items under a span rule."""
    openers, closers = rule
    out, depth, span = [], 0, None
    for e in events:
        t = e[0]
        if depth > 0 and t in TERMINAL:
            out.append(("span", collections.Counter(span)))
            depth, span = 0, None
        if depth == 0:
            out.append(("event", e))
            if t in openers:
                depth, span = 1, []
            continue
        if t in openers:
            depth += 1
        elif t in closers:
            depth -= 1
            if depth == 0:
                out.append(("span", collections.Counter(span)))
                out.append(("event", e))
                span = None
                continue
        span.append(e)
    if span is not None:
        out.append(("span", collections.Counter(span)))
    return out


def show(e):
    return f"{e[0]}({e[1]})" if e[1] is not None else e[0]


def first_difference(expected, actual):
    for i, (a, b) in enumerate(zip(expected, actual)):
        if a != b:
            return i
    return min(len(expected), len(actual))


def window(events, at, marker):
    lo, hi = max(0, at - 3), min(len(events), at + 5)
    lines = [f"    {'>' if i == at else ' '} {i:3d} {show(events[i])}" for i in range(lo, hi)]
    if at >= len(events):
        lines.append(f"    > {at:3d} <end: {len(events)} events>")
    return f"  {marker}:\n" + "\n".join(lines)


def compare(expected, actual, rule):
    """None when they match (exactly, or under the case's span rule); else a description."""
    if expected == actual:
        return None
    at = first_difference(expected, actual)
    text = (f"first difference at event {at}\n" + window(expected, at, "expected (AWS)") + "\n" +
            window(actual, at, "actual (flowstate)"))
    if rule is None:
        return text
    exp_segs, act_segs = segments(expected, rule), segments(actual, rule)
    for i, (x, y) in enumerate(zip(exp_segs, act_segs)):
        if x == y:
            continue
        if x[0] == "span" and y[0] == "span":
            missing = x[1] - y[1]
            extra = y[1] - x[1]
            return (f"span {i} (compared as a multiset) differs: missing "
                    f"{sorted(show(e) for e in missing.elements())}, extra "
                    f"{sorted(show(e) for e in extra.elements())}\n" + text)
        return f"segment {i} differs (outside the multiset spans)\n" + text
    if len(exp_segs) != len(act_segs):
        return f"{len(exp_segs)} segments expected, {len(act_segs)} actual\n" + text
    return None


def corpus_runner(corpus):
    """The corpus's run.py as a module: its MockConfigFile converter is the reference one."""
    spec = importlib.util.spec_from_file_location("conformance_run", os.path.join(corpus, "run.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_mock_config(case_dir, workdir, runner):
    """{mocks}: the case's mocks.json as a MockConfigFile for machine "definition"."""
    definition = os.path.join(case_dir, "definition.json")
    try:
        with open(os.path.join(case_dir, "mocks.json"), encoding="utf-8") as f:
            config = runner.aws_mock_config(json.load(f), definition, "definition")
    except FileNotFoundError:
        config = {"StateMachines": {"definition": {"TestCases": {runner.AWS_TESTCASE: {}}}},
                  "MockedResponses": {}}
    path = os.path.join(workdir, "MockConfigFile.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(config, f)
    return path


def run_case(case, args, corpus):
    case_dir = os.path.join(corpus, "cases", case["id"])
    with open(os.path.join(case_dir, "history.json"), encoding="utf-8") as f:
        expected = reduce_expected(json.load(f))
    timeout = args.timeout
    try:
        with open(os.path.join(case_dir, "expected.json"), encoding="utf-8") as f:
            timeout = max(timeout, json.load(f).get("timeout_s") or 0)
    except (OSError, ValueError):
        pass
    with tempfile.TemporaryDirectory(prefix="history-") as workdir:
        values = {"definition": os.path.join(case_dir, "definition.json"),
                  "input": os.path.join(case_dir, "input.json"),
                  "name": execution_name(case["id"]), "workdir": workdir,
                  "flowstate": args.flowstate, "testcase": args.runner.AWS_TESTCASE,
                  "lambda": args.lambda_functions.url_for(case["id"])}
        values["mocks"] = write_mock_config(case_dir, workdir, args.runner)
        stdout, problems = "", []
        for template in args.history_cmd:
            argv = [part.format(**values) for part in shlex.split(template)]
            try:
                proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                      timeout=timeout, start_new_session=True)
            except subprocess.TimeoutExpired:
                return "differ", f"command timed out after {timeout}s: {shlex.join(argv)}"
            except OSError as error:
                return "differ", f"cannot run {shlex.join(argv)}: {error}"
            stdout, stderr = proc.stdout, proc.stderr
            if proc.returncode not in (0, 1):  # 1: the execution FAILED, which is no error here
                problems.append(f"{shlex.join(argv)} exited {proc.returncode}: {stderr.strip()[-300:]!r}")
    try:
        actual = reduce_actual(json.loads(stdout)["events"])
    except (ValueError, KeyError, TypeError):
        return "differ", ("no GetExecutionHistory JSON on stdout of the last command; "
                          + "; ".join(problems or [f"stderr: {stderr.strip()[-300:]!r}"])
                          + f"; stdout: {stdout.strip()[:200]!r}")
    notes = history_notes(case_dir)
    if "re-inserted" in notes:  # rule 3: the corpus re-inserted a dropped event
        expected, actual = blur_parallel_terminals(expected), blur_parallel_terminals(actual)
    diff = compare(expected, actual, caveat_of(notes))
    if diff is None:
        return "match", "exact" if expected == actual else "spans"
    return "differ", diff


def skip_reason(case):
    """(reason counted in the summary, detail for -v), or None to run the case."""
    if case["group"] in SKIP_GROUPS:
        return SKIP_GROUPS[case["group"]], ""
    tags = sorted(set(case["tags"]) & SKIP_TAGS)
    if tags:
        return ("JSONata refused until it lands (ratchet.py SKIP_TAGS)",
                "tags " + ", ".join(tags))
    return None


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--flowstate", default=os.path.join(root, "build", "tools", "flowstate"),
                    help="the flowstate binary ({flowstate} in the templates)")
    ap.add_argument("--history-cmd", action="append",
                    help="a command template (repeat for several commands, run in order; the last "
                         "one prints the history); default: the CLI's run then history")
    ap.add_argument("--corpus", default=os.path.join(root, "..", "shared", "conformance"))
    ap.add_argument("--known", default=os.path.join(root, "test", "conformance", "history-known-failures.txt"))
    ap.add_argument("--group", default="core,distributed,lambda", help="comma-separated groups")
    ap.add_argument("--case", action="append", default=[],
                    help="only case ids containing this text (repeatable)")
    ap.add_argument("--tag", action="append", default=[], help="only cases with this tag (repeatable)")
    ap.add_argument("--timeout", type=float, default=20, help="seconds per command (default 20)")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("-v", "--verbose", action="store_true", help="also list matches and skips")
    args = ap.parse_args()
    args.history_cmd = args.history_cmd or DEFAULT_CMDS
    args.flowstate = os.path.abspath(args.flowstate)

    corpus = os.path.abspath(args.corpus)
    args.runner = corpus_runner(corpus)
    with open(os.path.join(corpus, "index.json"), encoding="utf-8") as f:
        index = json.load(f)
    groups = set(args.group.split(","))
    selected = [c for c in index if c.get("history") and c["group"] in groups
                and (not args.case or any(t in c["id"] for t in args.case))
                and (not args.tag or set(args.tag) <= set(c["tags"]))]
    known = read_known(args.known) if os.path.exists(args.known) else {}

    results, skipped = {}, {}
    to_run = []
    for case in selected:
        reason = skip_reason(case)
        if reason:
            skipped[case["id"]] = reason
        else:
            to_run.append(case)
    with LambdaFunctions(corpus) as args.lambda_functions, \
            concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = {pool.submit(run_case, case, args, corpus): case["id"] for case in to_run}
        for future in concurrent.futures.as_completed(futures):
            results[futures[future]] = future.result()

    for case_id in sorted(results):
        outcome, diff = results[case_id]
        if outcome == "differ":
            tag = " (known)" if case_id in known else ""
            print(f"DIFFER {case_id}{tag}: {diff}\n")
        elif args.verbose:
            print(f"MATCH {case_id}" + (" (caveat spans as multisets)" if diff == "spans" else ""))
    if args.verbose:
        for case_id in sorted(skipped):
            reason, detail = skipped[case_id]
            print(f"SKIP {case_id}: {reason}" + (f" ({detail})" if detail else ""))

    match = sorted(c for c, (o, _) in results.items() if o == "match")
    differ = sorted(c for c, (o, _) in results.items() if o == "differ")
    reasons = collections.Counter(reason for reason, _ in skipped.values())
    reason_text = "; ".join(f"{n} {r}" for r, n in sorted(reasons.items(), key=lambda kv: -kv[1]))
    print(f"history fidelity: {len(match)} match, {len(differ)} differ, {len(skipped)} skipped"
          + (f" ({reason_text})" if reason_text else ""))
    by_spans = sum(1 for c in match if results[c][1] == "spans")
    print(f"  of the matches, {len(match) - by_spans} exact and {by_spans} equal only with the "
          f"caveat spans compared as multisets")

    selected_ids = {c["id"] for c in selected}
    unexpected = [c for c in differ if c not in known]
    fixed = [c for c in match if c in known]
    stale = sorted(c for c in known if c in selected_ids and c in skipped)
    all_history = {c["id"] for c in index if c.get("history")}
    stale += sorted(c for c in known if c not in all_history)
    known_rel = os.path.relpath(args.known, root)
    for case_id in unexpected:
        print(f"NEW DIFFERENCE {case_id}: not listed in {known_rel}")
    for case_id in fixed:
        print(f"FIXED {case_id}: matches now; remove it from {known_rel}")
    for case_id in stale:
        print(f"STALE {case_id}: listed in {known_rel} but skipped or without history.json")
    bad = len(unexpected) + len(fixed) + len(stale)
    print(f"history ratchet: {len(differ) - len(unexpected)} known differences, {bad} failed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
