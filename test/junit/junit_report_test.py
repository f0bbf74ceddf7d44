#!/usr/bin/env python3
"""`flowstate test --junit`: the report validates against test/junit/junit.xsd (xmllint, from
Debian's libxml2-utils) and reads as expected in a real consumer, junitparser (Debian's
python3-junitparser, hence /usr/bin/python3). Usage: junit_report_test.py FLOWSTATE"""
import os
import subprocess
import sys
import tempfile

FLOWSTATE = sys.argv[1]
HERE = os.path.dirname(os.path.abspath(__file__))

DEFINITION = """StartAt: Call
States:
  Call:
    Type: Task
    Resource: arn:aws:lambda:us-east-1:123456789012:function:price
    Next: Check
  Check:
    Type: Choice
    Choices:
      - Variable: $.price
        NumericGreaterThan: 100
        Next: Expensive
    Default: Cheap
  Expensive: {Type: Pass, Result: expensive, End: true}
  Cheap: {Type: Pass, Result: cheap, End: true}
"""

TESTS = """definition: price.yaml
cases:
  - name: cheap item
    mocks:
      Call: {Return: {price: 5}}
    expect:
      output: cheap
      states: [Call, Check, Cheap]
  - name: "expensive item <&> 'quoted'"
    mocks:
      Call: {Return: {price: 500}}
    expect:
      output: cheap
  - name: the function fails
    mocks:
      Call: {Throw: {Error: Lambda.ServiceException, Cause: down}}
    expect:
      error: Lambda.ServiceException
"""

BAD = """definition: price.yaml
cases:
  - name: typo
    expcet: {output: 1}
"""

CONSUMER = r"""
import sys
from junitparser import JUnitXml, Failure, Error
xml = JUnitXml.fromfile(sys.argv[1])
suites = list(xml)
print(len(suites))
for suite in suites:
    print(suite.name, suite.tests, suite.failures, suite.errors)
    for case in suite:
        kinds = [type(r).__name__ for r in case.result]
        messages = [r.message for r in case.result]
        print(" ", repr(case.name), case.classname, kinds, messages, bool(case.system_out))
"""


def main():
    with tempfile.TemporaryDirectory(prefix="flowstate-junit-") as work:
        with open(os.path.join(work, "price.yaml"), "w") as f:
            f.write(DEFINITION)
        with open(os.path.join(work, "price.test.yaml"), "w") as f:
            f.write(TESTS)
        with open(os.path.join(work, "typo.test.yaml"), "w") as f:
            f.write(BAD)
        report = os.path.join(work, "report.xml")
        run = subprocess.run([FLOWSTATE, "test", work, "--junit", report], capture_output=True, text=True)
        print(run.stdout, run.stderr, sep="\n")
        assert run.returncode == 2, f"exit {run.returncode}: a bad test file exits 2"

        lint = subprocess.run(["xmllint", "--noout", "--schema", os.path.join(HERE, "junit.xsd"), report],
                              capture_output=True, text=True)
        print(lint.stderr)
        assert lint.returncode == 0, "the report does not validate against junit.xsd"

        consumer = subprocess.run(["/usr/bin/python3", "-c", CONSUMER, report], capture_output=True, text=True)
        print(consumer.stdout, consumer.stderr)
        assert consumer.returncode == 0, "junitparser could not read the report"
        lines = consumer.stdout.splitlines()
        assert lines[0] == "2", lines
        price = [i for i, line in enumerate(lines) if line.startswith(os.path.join(work, "price.test.yaml"))][0]
        assert lines[price].endswith(" 3 1 0"), lines[price]
        assert lines[price + 1] == "  'cheap item' " + os.path.join(work, "price.test.yaml") + " [] [] True", lines[price + 1]
        assert "expensive item <&> 'quoted'" in lines[price + 2] and "['Failure']" in lines[price + 2], lines[price + 2]
        assert "output differs:" in lines[price + 2], lines[price + 2]
        assert "[] [] True" in lines[price + 3], lines[price + 3]
        typo = [i for i, line in enumerate(lines) if line.startswith(os.path.join(work, "typo.test.yaml"))][0]
        assert lines[typo].endswith(" 1 0 1"), lines[typo]
        assert "['Error']" in lines[typo + 1] and "unknown field 'expcet'" in lines[typo + 1], lines[typo + 1]
    print("junit report: valid, and read by junitparser as written")


if __name__ == "__main__":
    main()
