"""End-to-end suite of flowstate server with the AWS CLI (`aws stepfunctions ...
--endpoint-url http://127.0.0.1:PORT`, dummy credentials): create a machine, start
executions, page a history, stop, redrive, list, StartSyncExecution, an activity worker
and a callback answered.
Usage: sfn_awscli_test.py FLOWSTATE_BINARY"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "python"))
from flowstate_server import ROLE, FlowstateServer, wait_for_status  # noqa: E402

FLOWSTATE = sys.argv[1]
AWS = shutil.which("aws")
if not AWS:
    sys.exit("the AWS CLI ('aws') is not installed: tools/dev/install-deps.sh installs it")
ENV = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION="us-east-1",
           AWS_PAGER="", AWS_MAX_ATTEMPTS="1")


def aws(server, *args, env=None, check=True):
    command = [AWS, "stepfunctions", *args, "--endpoint-url", server.endpoint(), "--output", "json"]
    result = subprocess.run(command, capture_output=True, text=True, env=dict(ENV, **(env or {})))
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed ({result.returncode}): {result.stderr}")
    return json.loads(result.stdout) if result.returncode == 0 and result.stdout.strip() else result


def wait_pass(seconds):
    return json.dumps({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": seconds, "Next": "P"},
                                                    "P": {"Type": "Pass", "End": True}}})


def main(folder):
    with FlowstateServer(FLOWSTATE, ["--activity-poll", "2"]) as server:
        status = lambda arn: aws(server, "describe-execution", "--execution-arn", arn)["status"]  # noqa: E731
        arn = aws(server, "create-state-machine", "--name", "cli", "--definition", wait_pass(0),
                  "--role-arn", ROLE)["stateMachineArn"]
        started = [aws(server, "start-execution", "--state-machine-arn", arn, "--name", f"cli-{i}",
                       "--input", json.dumps({"i": i}))["executionArn"] for i in range(2)]
        for execution in started:
            wait_for_status(status, execution, "SUCCEEDED")

        # The CLI pages by itself: --page-size 2 makes it follow nextToken to the end.
        full = aws(server, "get-execution-history", "--execution-arn", started[0], "--no-paginate")["events"]
        paged = aws(server, "get-execution-history", "--execution-arn", started[0], "--page-size", "2")["events"]
        assert paged == full and full[-1]["type"] == "ExecutionSucceeded", (paged, full)
        first = aws(server, "get-execution-history", "--execution-arn", started[0], "--max-items", "2")
        assert len(first["events"]) == 2 and "NextToken" in first, first

        listed = aws(server, "list-executions", "--state-machine-arn", arn)["executions"]
        assert [e["name"] for e in listed] == ["cli-1", "cli-0"], listed

        slow = aws(server, "create-state-machine", "--name", "cli-slow", "--definition", wait_pass(300),
                   "--role-arn", ROLE)["stateMachineArn"]
        running = aws(server, "start-execution", "--state-machine-arn", slow)["executionArn"]
        aws(server, "stop-execution", "--execution-arn", running, "--error", "Manual", "--cause", "test")
        wait_for_status(status, running, "ABORTED")
        refused = aws(server, "redrive-execution", "--execution-arn", started[0], check=False)
        assert refused.returncode != 0 and "ExecutionNotRedrivable" in refused.stderr, refused.stderr

        flag = os.path.join(folder, "ready")
        flaky = aws(server, "create-state-machine", "--name", "cli-flaky", "--role-arn", ROLE, "--definition",
                    json.dumps({"StartAt": "Check", "States": {"Check": {
                        "Type": "Task", "Resource": "arn:flowstate:::command",
                        "Parameters": {"Command": ["test", "-e", flag]}, "End": True}}}))["stateMachineArn"]
        failed = aws(server, "start-execution", "--state-machine-arn", flaky)["executionArn"]
        wait_for_status(status, failed, "FAILED")
        open(flag, "w").close()
        aws(server, "redrive-execution", "--execution-arn", failed)
        wait_for_status(status, failed, "SUCCEEDED")

        # StartSyncExecution: the CLI (botocore) prepends "sync-" to the host unless
        # AWS_DISABLE_HOST_PREFIX_INJECTION=true.
        express = aws(server, "create-state-machine", "--name", "cli-express", "--type", "EXPRESS",
                      "--definition", wait_pass(0), "--role-arn", ROLE)["stateMachineArn"]
        result = aws(server, "start-sync-execution", "--state-machine-arn", express, "--input", '{"x": 1}',
                     env={"AWS_DISABLE_HOST_PREFIX_INJECTION": "true"})
        assert result["status"] == "SUCCEEDED" and json.loads(result["output"]) == {"x": 1}, result
        prefixed = aws(server, "start-sync-execution", "--state-machine-arn", express, check=False)
        assert prefixed.returncode != 0 and "sync-127.0.0.1" in prefixed.stderr, prefixed.stderr

        # An activity worker in shell terms: get-activity-task, send-task-success; then a
        # callback task answered with send-task-success.
        activity = aws(server, "create-activity", "--name", "cli-worker")["activityArn"]
        token_file = os.path.join(folder, "token")
        worked = aws(server, "create-state-machine", "--name", "cli-activity", "--role-arn", ROLE, "--definition",
                     json.dumps({"StartAt": "Work", "States": {
                         "Work": {"Type": "Task", "Resource": activity, "Next": "Ask"},
                         "Ask": {"Type": "Task", "Resource": "arn:flowstate:::command.waitForTaskToken",
                                 "ResultPath": "$.answer", "End": True,
                                 "Parameters": {"Command": ["sh", "-c", f"printf %s \"$FLOWSTATE_TASK_TOKEN\" "
                                                                        f"> {token_file}; echo '{{}}'"]}}}}))
        execution = aws(server, "start-execution", "--state-machine-arn", worked["stateMachineArn"],
                        "--input", '{"n": 2}')["executionArn"]
        task = {}
        while not task.get("taskToken"):
            polled = aws(server, "get-activity-task", "--activity-arn", activity, "--worker-name", "cli")
            task = polled if isinstance(polled, dict) else {}  # an empty answer: no task in the poll
        assert json.loads(task["input"]) == {"n": 2}, task
        aws(server, "send-task-success", "--task-token", task["taskToken"], "--task-output", '{"n": 4}')
        deadline = time.time() + 20
        while not (os.path.exists(token_file) and os.path.getsize(token_file) > 0):
            assert time.time() < deadline, "the callback's command never wrote its token"
            time.sleep(0.02)
        aws(server, "send-task-success", "--task-token", open(token_file).read(), "--task-output", '"ok"')
        wait_for_status(status, execution, "SUCCEEDED")
        output = json.loads(aws(server, "describe-execution", "--execution-arn", execution)["output"])
        assert output == {"n": 4, "answer": "ok"}, output
        print("aws cli suite: all passed")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="flowstate-awscli-") as folder:
        main(folder)
