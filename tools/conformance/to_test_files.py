#!/usr/bin/env python3
"""Converts the AWS-recorded conformance corpus into `flowstate test` files, one per case.

The corpus stays in ../shared/conformance (never copied here): each test file names the
corpus's definition.json by absolute path and holds the case's input and what AWS recorded
(status, output, error, cause). Masked outputs and causes (values AWS's snapshot replaced)
and causes recorded as parsed JSON are left unchecked; their status and error still are. So
are outputs holding JSON text inside a string (a Lambda error's Cause): the snapshot
re-serialized it with Python's spacing, which run.py compares as JSON and a test file
cannot.
Lambda-group cases get the AWS Step Functions Local mock configuration that run.py derives
from the recorded invocations (test case "Conformance").

usage: to_test_files.py --out DIR [--corpus DIR] [--group core,distributed,lambda]
then:  flowstate test DIR [-j N] [--junit FILE]
"""
import argparse
import json
import os
import sys


def holds_json_text(value):
    """Whether a string inside `value` is a JSON object or array written as text."""
    if isinstance(value, str):
        text = value.strip()
        if text[:1] in ("{", "["):
            try:
                json.loads(text)
                return True
            except ValueError:
                return False
        return False
    if isinstance(value, dict):
        return any(holds_json_text(v) for v in value.values())
    if isinstance(value, list):
        return any(holds_json_text(v) for v in value)
    return False


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=os.path.join(here, "..", "..", "..", "shared", "conformance"))
    parser.add_argument("--out", required=True)
    parser.add_argument("--group", default="core,distributed,lambda")
    args = parser.parse_args()
    corpus = os.path.abspath(args.corpus)
    sys.path.insert(0, corpus)
    import run as corpus_runner  # the corpus's own runner: its MockConfigFile conversion

    groups = set(args.group.split(","))
    with open(os.path.join(corpus, "index.json"), encoding="utf-8") as f:
        index = json.load(f)
    written = 0
    for entry in index:
        if entry["group"] not in groups:
            continue
        case_dir = os.path.join(corpus, "cases", entry["id"])
        with open(os.path.join(case_dir, "input.json"), encoding="utf-8") as f:
            case_input = json.load(f)
        with open(os.path.join(case_dir, "expected.json"), encoding="utf-8") as f:
            expected = json.load(f)
        masked = bool(expected.get("masked"))
        expect = {"status": expected["status"]}
        if (expected["status"] == "SUCCEEDED" and "output" in expected and not masked
                and not holds_json_text(expected["output"])):
            expect["output"] = expected["output"]
        if expected.get("error") is not None:
            expect["error"] = expected["error"]
        if expected.get("cause") is not None and not masked:
            expect["cause"] = expected["cause"]
        test_case = {"name": entry["id"], "input": case_input, "expect": expect}
        test_file = {"definition": os.path.join(case_dir, "definition.json"), "cases": [test_case]}
        out_dir = os.path.join(args.out, entry["group"])
        os.makedirs(out_dir, exist_ok=True)
        stem = os.path.join(out_dir, os.path.basename(entry["id"]))
        mocks_path = os.path.join(case_dir, "mocks.json")
        if os.path.exists(mocks_path):
            with open(mocks_path, encoding="utf-8") as f:
                mocks = json.load(f)
            config = corpus_runner.aws_mock_config(mocks, os.path.join(case_dir, "definition.json"), "definition")
            with open(stem + ".mocks.json", "w", encoding="utf-8") as f:
                json.dump(config, f)
            test_file["mockConfig"] = os.path.basename(stem) + ".mocks.json"
            test_case["testCase"] = "Conformance"
        with open(stem + ".test.json", "w", encoding="utf-8") as f:
            json.dump(test_file, f, indent=1)
        written += 1
    print(f"{written} test files in {os.path.abspath(args.out)}")


if __name__ == "__main__":
    main()
