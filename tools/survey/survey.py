#!/usr/bin/env python3
"""Survey of public state machine definitions: how many does `flowstate validate` accept,
why it refuses the others, and what a run of each accepted one does.

    python3 tools/survey/survey.py DEFS_DIR FLOWSTATE_BINARY [--no-run] [--jobs N]

DEFS_DIR holds the fetched definitions (see public-definitions.tsv and README.md); every
regular file under it is one definition. Each is validated as SAM or CloudFormation would
deploy it: its ${Name} placeholders are filled with --substitute values derived from their
names (a dummy ARN of the kind the name suggests, a number where the placeholder stands
outside a JSON string), and every Task state is mocked (AWS Step Functions Local's
MockConfigFile format), so that a cloud resource flowstate does not serve is not counted as a
rejection of the definition. An accepted definition is then run once with input {} and those
mocks (Wait states and retries skipped): any outcome is fine but an internal error (exit 3),
a crash or a hang, and a refusal at start that validate did not predict (exit 2).
Standard library only; YAML definitions are run only where PyYAML happens to be installed.
"""

import argparse
import collections
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import tempfile

MACHINE = "survey"        # --machine-name: file names are long and not always valid names
TEST_CASE = "survey"
ACCOUNT = "123456789012"
REGION = "us-east-1"
PLACEHOLDER = re.compile(r"\$\{([A-Za-z0-9_.:]+)\}")  # as flowstate reads them; ${!x} is literal
RUN_TIMEOUT = 60

try:  # only to find a YAML definition's Task states for the run; validation needs nothing
    import yaml  # type: ignore
except ImportError:  # pragma: no cover
    yaml = None


def placeholder_value(name, text, at):
    """What SAM/CloudFormation would plausibly put for ${name}, judged from the name and the
    text around it: a deployable value of the right kind, never the real resource."""
    line_start = text.rfind("\n", 0, at) + 1
    quotes = len(re.findall(r'(?<!\\)"', text[line_start:at]))
    if text.lstrip().startswith(("{", "[")) and quotes % 2 == 0:
        return "1"  # outside a JSON string (`"TimeoutSeconds": ${Timeout}`): a number goes there
    line = text[line_start:text.find("\n", at) if "\n" in text[at:] else len(text)]
    low = name.lower().replace("::", ".")
    short = re.sub(r"[^A-Za-z0-9-]", "-", name)[:60]
    if "partition" in low:
        return "aws"
    if "region" in low:
        return REGION
    if "accountid" in low or low.endswith("account"):
        return ACCOUNT
    if "statemachine" in low or "state_machine" in low or low.endswith("sm") or "workflow" in low:
        return f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:{short}"
    if "activity" in low:
        return f"arn:aws:states:{REGION}:{ACCOUNT}:activity:{short}"
    if re.search(r"\bResource\b", line) or "function" in low or "lambda" in low or "handler" in low:
        return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{short}"
    if "topic" in low or "sns" in low:
        return f"arn:aws:sns:{REGION}:{ACCOUNT}:{short}"
    if "queue" in low or "sqs" in low:
        return f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{short}"
    if "bucket" in low:
        return short.lower()
    if "arn" in low:
        return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{short}"
    return short


def substitutions(text):
    values = {}
    for m in PLACEHOLDER.finditer(text):
        values.setdefault(m.group(1), placeholder_value(m.group(1), text, m.start()))
    return values


def filled(text, values):
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def parse_definition(text, path):
    """The definition as data (after substitution), or None if it cannot be read here."""
    try:
        return json.loads(text)
    except ValueError:
        pass
    if yaml is not None and path.endswith((".yaml", ".yml")):
        try:
            return yaml.safe_load(text)
        except yaml.YAMLError:
            return None
    return None


def task_states(states):
    """Names of every Task state, at any depth (Parallel branches, Map processors)."""
    names = []
    for name, state in (states or {}).items():
        if not isinstance(state, dict):
            continue
        if state.get("Type") == "Task":
            names.append(name)
        for branch in state.get("Branches") or []:
            if isinstance(branch, dict):
                names += task_states(branch.get("States"))
        for key in ("Iterator", "ItemProcessor"):
            if isinstance(state.get(key), dict):
                names += task_states(state[key].get("States"))
    return names


def mock_config(definition):
    tasks = task_states(definition.get("States")) if isinstance(definition, dict) else []
    return {
        "StateMachines": {MACHINE: {"TestCases": {TEST_CASE: {t: "Empty" for t in tasks}}}},
        "MockedResponses": {"Empty": {"0-100000": {"Return": {}}}},
    }


REASON_SUBS = [
    (re.compile(r"^.*?:\d+:\d+: error: "), ""),
    (re.compile(r"^[^:]*: error: "), ""),
    (re.compile(r"^flowstate: error: "), ""),
    (re.compile(r"'[^']*'"), "'…'"),
    (re.compile(r"\"[^\"]*\""), '"…"'),
    (re.compile(r"\$\{[^}]*\}"), "${…}"),
    (re.compile(r"\b\d+\b"), "N"),
]


def reason_of(line):
    for pattern, repl in REASON_SUBS:
        line = pattern.sub(repl, line, count=1 if repl == "" else 0)
    return line.strip()


def survey_one(path, root, binary, run, scratch):
    rel = os.path.relpath(path, root)
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        text = f.read()
    values = substitutions(text)
    definition = parse_definition(filled(text, values), path)
    mocks = os.path.join(scratch, re.sub(r"[^A-Za-z0-9]", "_", rel) + ".mock.json")
    with open(mocks, "w") as f:
        json.dump(mock_config(definition), f)
    common = ["--machine-name", MACHINE, "--mock-config", mocks, "--test-case", TEST_CASE]
    for name, value in values.items():
        common += ["--substitute", f"{name}={value}"]
    result = {"file": rel, "placeholders": len(values)}
    v = subprocess.run([binary, "validate", path] + common, capture_output=True, text=True,
                       errors="replace")
    result["validate_rc"] = v.returncode
    result["errors"] = [l for l in v.stderr.splitlines() if ": error: " in l]
    if v.returncode != 0 and not result["errors"]:
        result["errors"] = [l for l in v.stderr.splitlines() if l.strip()][:1] or [
            f"exit {v.returncode} without a message"]
    if v.returncode != 0 or not run:
        return result
    if definition is None:
        result["run"] = "not run (YAML without PyYAML)"
        return result
    store = os.path.join(scratch, "store-" + re.sub(r"[^A-Za-z0-9]", "_", rel))
    try:
        r = subprocess.run([binary, "run", path, "--input", "{}", "--skip-waits", "--store",
                            store, "--format", "aws", "-q"] + common,
                           capture_output=True, text=True, errors="replace",
                           timeout=RUN_TIMEOUT, cwd=scratch)
    except subprocess.TimeoutExpired:
        result["run"] = f"PROBLEM: no end within {RUN_TIMEOUT} s"
        return result
    if r.returncode == 0:
        result["run"] = "SUCCEEDED"
    elif r.returncode == 1:
        try:
            described = json.loads(r.stdout)
            error = described.get("error") or "(a Fail state without Error)"
            result["run"] = f"{described.get('status')} {error}"
            result["cause"] = described.get("cause") or ""
        except ValueError:
            result["run"] = "FAILED (no JSON on stdout)"
    elif r.returncode == 2:
        first = next((l for l in r.stderr.splitlines() if l.strip()), "")
        result["run"] = f"PROBLEM: refused at start although validate accepted: {first}"
    else:
        tail = " | ".join(r.stderr.strip().splitlines()[-2:])
        result["run"] = f"PROBLEM: exit {r.returncode}: {tail}"
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("defs", help="folder of fetched definitions")
    parser.add_argument("flowstate", help="the flowstate binary")
    parser.add_argument("--no-run", action="store_true", help="validate only")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", help="also write every result to this file")
    args = parser.parse_args()

    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(args.defs) for f in fs)
    if not files:
        sys.exit(f"survey: no files under {args.defs}")
    binary = os.path.abspath(args.flowstate)
    with tempfile.TemporaryDirectory(prefix="flowstate-survey-") as scratch:
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            results = list(pool.map(
                lambda p: survey_one(p, args.defs, binary, not args.no_run, scratch), files))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)

    accepted = [r for r in results if r["validate_rc"] == 0]
    rejected = [r for r in results if r["validate_rc"] != 0]
    with_placeholders = sum(1 for r in results if r["placeholders"])
    print(f"definitions: {len(results)} ({with_placeholders} with ${{Name}} placeholders, "
          f"filled with derived --substitute values)")
    print(f"accepted by flowstate validate: {len(accepted)}")
    print(f"rejected: {len(rejected)}")

    by_reason = collections.defaultdict(list)
    for r in rejected:
        for reason in sorted({reason_of(e) for e in r["errors"]}):
            by_reason[reason].append(r)
    if by_reason:
        print("\nrejections by reason (a definition may have several):")
    for reason, rs in sorted(by_reason.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        print(f"\n  {len(rs)} × {reason}")
        for r in rs:
            for e in r["errors"]:
                if reason_of(e) == reason:
                    print(f"      {r['file']}: {e.split(': error: ', 1)[-1]}")

    ran = [r for r in accepted if "run" in r]
    if ran:
        outcomes = collections.Counter(
            r["run"] if r["run"].startswith("PROBLEM") else r["run"].split(":")[0] for r in ran)
        print(f"\nruns of the accepted definitions (input {{}}, every Task mocked): {len(ran)}")
        for outcome, n in sorted(outcomes.items(), key=lambda kv: (-kv[1], kv[0])):
            if not outcome.startswith("PROBLEM"):
                print(f"  {n} × {outcome}")
        problems = [r for r in ran if r["run"].startswith("PROBLEM")]
        print(f"  problems (internal error, crash, hang, refusal validate missed): {len(problems)}")
        for r in problems:
            print(f"      {r['file']}: {r['run']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
