#!/usr/bin/env python3
"""Runs the AWS-recorded conformance corpus against flowstate, as a ratchet.

The corpus lives in ../shared/conformance (never copied here). Cases that need a feature
flowstate does not have yet are skipped by tag (SKIP_TAGS); every other case must pass,
except those listed in the known-failures file, each with the reason it fails. The check
fails on any failing case that is not listed, and on any listed case that now passes (so
the list only shrinks).

usage: ratchet.py --flowstate PATH [--corpus DIR] [--known FILE] [--group core,distributed,lambda] [-j N]

The lambda group runs with its Lambda calls answered by --mock-config from the responses AWS
recorded (run.py --mocks-format aws converts the corpus's mocks.json); a call no recorded
response answers goes to the case's function on a local Lambda endpoint (lambda_functions.py).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

from lambda_functions import LambdaFunctions

# Until the JSONata issue lands: cases that need JSONata or workflow variables.
SKIP_TAGS: set[str] = set()  # tags of cases that need a feature flowstate refuses (none today)


def read_known(path):
    known = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            case, _, reason = line.partition(" ")
            known[case] = reason.strip().lstrip("#").strip()
    return known


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--flowstate", required=True, help="the flowstate binary")
    ap.add_argument("--corpus", default=os.path.join(root, "..", "shared", "conformance"))
    ap.add_argument("--known", default=os.path.join(root, "test", "conformance", "known-failures.txt"))
    ap.add_argument("--unstable", default=os.path.join(root, "test", "conformance", "unstable.txt"),
                    help="cases whose recorded result a correct runtime matches only by timing luck; "
                         "skipped, each with its reason")
    ap.add_argument("--group", default="core,distributed,lambda", help="comma-separated groups")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    args = ap.parse_args()

    corpus = os.path.abspath(args.corpus)
    flowstate = os.path.abspath(args.flowstate)
    with open(os.path.join(corpus, "index.json"), encoding="utf-8") as f:
        index = json.load(f)
    skipped = sorted(c["id"] for c in index
                     if c["group"] in args.group.split(",") and set(c["tags"]) & SKIP_TAGS)
    known = read_known(args.known)
    unstable = read_known(args.unstable)

    report = {"cases": []}
    returncodes = []
    with tempfile.TemporaryDirectory() as tmp, LambdaFunctions(corpus) as lambda_functions:
        skip_file = os.path.join(tmp, "skip.txt")
        with open(skip_file, "w", encoding="utf-8") as f:
            f.write("# skipped by tag until JSONata lands: %s\n" % ", ".join(sorted(SKIP_TAGS)))
            f.write("\n".join(skipped) + "\n")
            f.write("# unstable (see %s)\n" % os.path.relpath(args.unstable, root))
            f.write("\n".join(sorted(unstable)) + "\n")
        base = f"{flowstate} run {{definition}} --input-file {{input}} --format aws --skip-waits -q --no-store"
        for group in args.group.split(","):
            # The lambda group answers its Lambda calls from the recorded responses: the
            # corpus converts its mocks.json into an AWS Step Functions Local MockConfigFile.
            mocked = group == "lambda"
            report_file = os.path.join(tmp, f"report-{group}.json")
            cmd = [sys.executable, os.path.join(corpus, "run.py"), "--group", group, "-j", str(args.jobs),
                   "--skip-file", skip_file, "--json-report", report_file,
                   "--cmd", base + (" --mock-config {mocks} --test-case {testcase}"
                                    f" --lambda-endpoint {lambda_functions.base_url}/{{name}}" if mocked else "")]
            if mocked:
                cmd += ["--mocks-format", "aws"]
            run = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            returncodes.append(run.returncode)
            if run.returncode not in (0, 1):
                print(run.stdout[-2000:])
            with open(report_file, encoding="utf-8") as f:
                report["cases"] += json.load(f)["cases"]

    results = {r["case"]: r for r in report["cases"]}
    failing = {c for c, r in results.items() if r["result"] == "fail"}
    passing = {c for c, r in results.items() if r["result"] == "pass"}
    unexpected = sorted(failing - set(known))
    fixed = sorted(c for c in known if c in passing)
    missing = sorted(c for c in known if c not in results)

    for case in unexpected:
        print(f"FAIL {case}: {results[case].get('reason', '')}"[:600])
    for case in fixed:
        print(f"FIXED {case}: passes now; remove it from {os.path.relpath(args.known, root)}")
    for case in missing:
        print(f"STALE {case}: listed in known failures but not in the corpus run")
    print(f"conformance ({args.group}): {len(passing)} passing, {len(failing & set(known))} known failures, "
          f"{len(skipped)} skipped by tag ({', '.join(sorted(SKIP_TAGS))}), {len(unstable)} unstable skipped")
    bad = len(unexpected) + len(fixed) + len(missing)
    print(f"ratchet: {len(passing) + len(failing & set(known))} passed, {bad} failed")
    if any(code not in (0, 1) for code in returncodes):
        return 2
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
