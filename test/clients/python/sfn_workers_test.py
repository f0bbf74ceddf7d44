"""End-to-end suite of flowstate server's callbacks and activities with boto3: activity workers
(GetActivityTask, SendTask*) spreading a 100-item Map over two workers, heartbeats and their
timeout, an activity task handed out again after the server was killed, .waitForTaskToken
answered through the API, and the errors AWS gives for tokens and activities.
Usage: sfn_workers_test.py FLOWSTATE_BINARY"""
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

import boto3
import botocore.config

sys.path.insert(0, os.path.dirname(__file__))
from flowstate_server import ROLE, FlowstateServer, error_code, wait_for_status  # noqa: E402

FLOWSTATE = sys.argv[1]  # or --worker ENDPOINT ACTIVITY NAME LOG DIE_AFTER (worker_process)


def client(server):
    # Workers hold a poll open for up to --activity-poll seconds: the read timeout must be longer.
    return boto3.client("stepfunctions", endpoint_url=server.endpoint(),
                        config=botocore.config.Config(retries={"max_attempts": 1}, read_timeout=70,
                                                      max_pool_connections=20))


def status_of(sfn):
    return lambda arn: sfn.describe_execution(executionArn=arn)["status"]


def history_types(sfn, arn):
    events = sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]
    return [event["type"] for event in events]


def activity_machine(activity_arn, **timeouts):
    task = {"Type": "Task", "Resource": activity_arn, "End": True, **timeouts}
    return json.dumps({"StartAt": "Work", "States": {"Work": task}})


def two_workers_share_a_map(server):
    sfn = client(server)
    activity = sfn.create_activity(name="square")["activityArn"]
    assert activity == "arn:aws:states:us-east-1:123456789012:activity:square", activity
    # Idempotent by name, as AWS.
    assert sfn.create_activity(name="square")["activityArn"] == activity
    definition = json.dumps({
        "StartAt": "Each",
        "States": {"Each": {"Type": "Map", "MaxConcurrency": 10, "End": True,
                            "ItemProcessor": {"StartAt": "Square", "States": {
                                "Square": {"Type": "Task", "Resource": activity, "TimeoutSeconds": 60,
                                           "End": True}}}}}})
    machine = sfn.create_state_machine(name="squares", definition=definition, roleArn=ROLE)["stateMachineArn"]
    execution = sfn.start_execution(stateMachineArn=machine, input=json.dumps(list(range(100))))["executionArn"]

    done = {"a": 0, "b": 0}
    stop = threading.Event()

    def work(name):
        sfn_worker = client(server)
        while not stop.is_set():
            task = sfn_worker.get_activity_task(activityArn=activity, workerName=name)
            if not task.get("taskToken"):
                continue
            value = json.loads(task["input"])
            time.sleep(0.005)
            sfn_worker.send_task_success(taskToken=task["taskToken"], output=json.dumps(value * value))
            done[name] += 1

    workers = [threading.Thread(target=work, args=(name,), daemon=True) for name in done]
    for worker in workers:
        worker.start()
    wait_for_status(status_of(sfn), execution, "SUCCEEDED", timeout=60)
    stop.set()
    output = json.loads(sfn.describe_execution(executionArn=execution)["output"])
    assert output == [i * i for i in range(100)], output
    assert done["a"] + done["b"] == 100 and done["a"] > 0 and done["b"] > 0, done
    events = sfn.get_execution_history(executionArn=execution, maxResults=1000)["events"]
    started = [event for event in events if event["type"] == "ActivityStarted"]
    assert len(started) == 100
    assert {event["activityStartedEventDetails"]["workerName"] for event in started} == {"a", "b"}
    scheduled = next(event for event in events if event["type"] == "ActivityScheduled")
    assert scheduled["activityScheduledEventDetails"]["resource"] == activity
    assert scheduled["activityScheduledEventDetails"]["timeoutInSeconds"] == 60
    for worker in workers:
        worker.join(timeout=10)
    print(f"activities: 100 Map items over two workers (a: {done['a']}, b: {done['b']}): ok")


def worker_process(endpoint, activity, name, log, die_after):
    """A worker in its own process: squares items and appends each answered item to `log`; with
    die_after > 0 it takes that many tasks and exits (as if killed) without answering the last."""
    sfn = boto3.client("stepfunctions", endpoint_url=endpoint,
                       config=botocore.config.Config(retries={"max_attempts": 1}, read_timeout=70))
    taken = 0
    while True:
        task = sfn.get_activity_task(activityArn=activity, workerName=name)
        if not task.get("taskToken"):
            continue
        taken += 1
        if taken == die_after:
            os._exit(9)
        value = json.loads(task["input"])
        sfn.send_task_success(taskToken=task["taskToken"], output=json.dumps(value * value))
        with open(log, "a") as out:
            out.write(f"{value}\n")


def worker_processes_one_killed(server, folder):
    sfn = client(server)
    activity = sfn.create_activity(name="cube")["activityArn"]
    # A task whose worker died is noticed by HeartbeatSeconds and handed out again by Retry.
    definition = json.dumps({
        "StartAt": "Each",
        "States": {"Each": {"Type": "Map", "MaxConcurrency": 10, "End": True,
                            "ItemProcessor": {"StartAt": "Square", "States": {
                                "Square": {"Type": "Task", "Resource": activity, "HeartbeatSeconds": 2,
                                           "Retry": [{"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 1,
                                                      "MaxAttempts": 3}],
                                           "End": True}}}}}})
    machine = sfn.create_state_machine(name="cubes", definition=definition, roleArn=ROLE)["stateMachineArn"]
    logs = [os.path.join(folder, f"worker-{n}.log") for n in (1, 2)]
    workers = [subprocess.Popen([sys.executable, __file__, "--worker", server.endpoint(), activity, f"p{n}",
                                 logs[n - 1], "5" if n == 1 else "0"]) for n in (1, 2)]
    try:
        execution = sfn.start_execution(stateMachineArn=machine, input=json.dumps(list(range(100))))["executionArn"]
        wait_for_status(status_of(sfn), execution, "SUCCEEDED", timeout=90)
        assert workers[0].wait(timeout=30) == 9  # the one that died mid-task
    finally:
        for worker in workers:
            worker.kill()
            worker.wait()
    output = json.loads(sfn.describe_execution(executionArn=execution)["output"])
    assert output == [i * i for i in range(100)], output
    answered = []
    for log in logs:
        if os.path.exists(log):
            answered += [int(line) for line in open(log).read().split()]
    assert sorted(answered) == list(range(100)), sorted(answered)  # each item answered exactly once
    types = history_types(sfn, execution)
    assert types.count("ActivityTimedOut") == 1, types.count("ActivityTimedOut")
    assert types.count("ActivitySucceeded") == 100
    print(f"activities: two worker processes, one killed mid-task ({len(answered)} items, each answered once): ok")


def activity_errors_and_heartbeats(server):
    sfn = client(server)
    missing = "arn:aws:states:us-east-1:123456789012:activity:nobody"
    assert error_code(lambda: sfn.get_activity_task(activityArn=missing)) == "ActivityDoesNotExist"
    assert error_code(lambda: sfn.describe_activity(activityArn="arn:aws:states:::nothing")) == "InvalidArn"
    assert error_code(lambda: sfn.create_activity(name="has space")) == "InvalidName"
    activity = sfn.create_activity(name="beats")["activityArn"]
    assert sfn.describe_activity(activityArn=activity)["name"] == "beats"
    assert any(a["activityArn"] == activity for a in sfn.list_activities()["activities"])
    # No task: the poll ends (--activity-poll 1) without a token.
    started = time.time()
    assert not sfn.get_activity_task(activityArn=activity, workerName="idle").get("taskToken")
    assert 0.9 <= time.time() - started < 10

    machine = sfn.create_state_machine(name="beating", roleArn=ROLE,
                                       definition=activity_machine(activity, HeartbeatSeconds=1))["stateMachineArn"]
    # Heartbeats keep the task alive past HeartbeatSeconds.
    execution = sfn.start_execution(stateMachineArn=machine, input="{\"n\": 1}")["executionArn"]
    task = sfn.get_activity_task(activityArn=activity, workerName="w")
    assert json.loads(task["input"]) == {"n": 1}
    for beat in range(4):
        time.sleep(0.4)
        if beat % 2:
            sfn.send_task_heartbeat(taskToken=task["taskToken"])
        else:  # the CLI through the API
            sent = subprocess.run([FLOWSTATE, "send-task-heartbeat", task["taskToken"], "--endpoint",
                                   server.endpoint()], capture_output=True, text=True)
            assert sent.returncode == 0, sent.stderr
    sfn.send_task_failure(taskToken=task["taskToken"], error="Bad", cause="it broke")
    wait_for_status(status_of(sfn), execution, "FAILED")
    described = sfn.describe_execution(executionArn=execution)
    assert described["error"] == "Bad" and described["cause"] == "it broke", described
    assert "ActivityFailed" in history_types(sfn, execution)
    # The token is spent.
    assert error_code(lambda: sfn.send_task_success(taskToken=task["taskToken"], output="{}")) == "TaskTimedOut"
    assert error_code(lambda: sfn.send_task_heartbeat(taskToken="not-a-token")) == "InvalidToken"
    spent = subprocess.run([FLOWSTATE, "send-task-success", task["taskToken"], "--output", "1", "--endpoint",
                            server.endpoint()], capture_output=True, text=True)
    assert spent.returncode == 2 and spent.stderr == "flowstate: TaskTimedOut: Task Timed Out\n", spent
    assert error_code(lambda: sfn.send_task_heartbeat(taskToken="B" + "A" * 35)) == "TaskDoesNotExist"

    # Without heartbeats the task times out (States.Timeout in ActivityTimedOut).
    execution = sfn.start_execution(stateMachineArn=machine, input="{}")["executionArn"]
    task = sfn.get_activity_task(activityArn=activity, workerName="silent")
    wait_for_status(status_of(sfn), execution, "FAILED")
    assert sfn.describe_execution(executionArn=execution)["error"] == "States.Timeout"
    assert "ActivityTimedOut" in history_types(sfn, execution)
    assert error_code(lambda: sfn.send_task_success(taskToken=task["taskToken"], output="1")) == "TaskTimedOut"

    # An activity the server does not know fails the Task at once instead of waiting forever.
    lost = sfn.create_state_machine(name="lost", roleArn=ROLE, definition=activity_machine(missing))
    execution = sfn.start_execution(stateMachineArn=lost["stateMachineArn"])["executionArn"]
    wait_for_status(status_of(sfn), execution, "FAILED")
    assert sfn.describe_execution(executionArn=execution)["error"] == "States.Runtime"
    assert "ActivityScheduleFailed" in history_types(sfn, execution)
    print("activities: errors, heartbeats and their timeout, an unknown activity: ok")


def callback_through_the_api(server, folder):
    sfn = client(server)
    token_file = os.path.join(folder, "token")
    definition = json.dumps({"StartAt": "Ask", "States": {"Ask": {
        "Type": "Task", "Resource": "arn:flowstate:::command.waitForTaskToken",
        "Parameters": {"Command": ["sh", "-c", f"printf %s \"$FLOWSTATE_TASK_TOKEN\" > {token_file}; echo '{{}}'"]},
        "ResultPath": "$.answer", "End": True}}})
    machine = sfn.create_state_machine(name="ask", definition=definition, roleArn=ROLE)["stateMachineArn"]
    execution = sfn.start_execution(stateMachineArn=machine, input="{\"q\": 1}")["executionArn"]
    deadline = time.time() + 20
    while not (os.path.exists(token_file) and os.path.getsize(token_file) > 0):
        assert time.time() < deadline, "the command never wrote its token"
        time.sleep(0.02)
    token = open(token_file).read()
    wait = time.time() + 20
    while "TaskSubmitted" not in history_types(sfn, execution):
        assert time.time() < wait
        time.sleep(0.02)
    assert error_code(lambda: sfn.send_task_success(taskToken=token, output="{oops")) == "InvalidOutput"
    sfn.send_task_success(taskToken=token, output=json.dumps({"yes": True}))
    wait_for_status(status_of(sfn), execution, "SUCCEEDED")
    output = json.loads(sfn.describe_execution(executionArn=execution)["output"])
    assert output == {"q": 1, "answer": {"yes": True}}, output
    print("callbacks: .waitForTaskToken answered with SendTaskSuccess through the API: ok")


def activity_survives_a_killed_server(folder):
    server = FlowstateServer(FLOWSTATE, ["--activity-poll", "1", "-q"]).start()
    sfn = client(server)
    activity = sfn.create_activity(name="durable")["activityArn"]
    machine = sfn.create_state_machine(name="durable", roleArn=ROLE,
                                       definition=activity_machine(activity))["stateMachineArn"]
    execution = sfn.start_execution(stateMachineArn=machine, input="{\"job\": 7}")["executionArn"]
    wait = time.time() + 20
    while "ActivityScheduled" not in history_types(sfn, execution):
        assert time.time() < wait
        time.sleep(0.02)
    server.kill()
    # Same store, a new process: the execution resumes and its task is handed out again.
    restarted = FlowstateServer(FLOWSTATE, ["--activity-poll", "1", "-q"])
    restarted.folder = server.folder
    restarted.store = server.store
    restarted.start()
    try:
        sfn = client(restarted)
        task = {}
        deadline = time.time() + 20
        while not task.get("taskToken"):
            assert time.time() < deadline
            task = sfn.get_activity_task(activityArn=activity, workerName="after")
        assert json.loads(task["input"]) == {"job": 7}
        sfn.send_task_success(taskToken=task["taskToken"], output="\"done\"")
        wait_for_status(status_of(sfn), execution, "SUCCEEDED")
        assert history_types(sfn, execution).count("ActivityScheduled") == 1
    finally:
        restarted.stop()
        server.folder.cleanup()
    print("activities: a task scheduled before kill -9 is handed out after the restart: ok")


def fifty_in_flight_survive_kill_9(folder):
    """50 executions in flight (Wait states, command tasks, callbacks waiting on their tokens)
    when the server is killed with SIGKILL: after the restart all of them finish, the tokens
    handed out before the kill still answer their tasks, and no command that had finished
    runs again."""
    server = FlowstateServer(FLOWSTATE, ["-q"]).start()
    sfn = client(server)
    ledger = os.path.join(folder, "ledger")
    tokens = os.path.join(folder, "tokens")
    os.makedirs(tokens)
    # Each command learns its execution's name from its Parameters on stdin.
    name_of = "name=$(sed 's/.*\"Name\":\"\\([^\"]*\\)\".*/\\1/'); "
    record = name_of + f"echo \"$name $0\" >> {ledger}"
    definitions = {
        "waits": {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3, "Next": "P"},
                                             "P": {"Type": "Pass", "Result": "waited", "End": True}}},
        "commands": {"StartAt": "First", "States": {
            "First": {"Type": "Task", "Resource": "arn:flowstate:::command", "Next": "Second",
                      "Parameters": {"Name.$": "$$.Execution.Name",
                                     "Command": ["sh", "-c", record + "; echo 1", "first"]}},
            "Second": {"Type": "Task", "Resource": "arn:flowstate:::command", "End": True,
                       "Parameters": {"Name.$": "$$.Execution.Name",
                                      "Command": ["sh", "-c", "sleep 2; " + record + "; echo 2", "second"]}}}},
        "callbacks": {"StartAt": "Ask", "States": {"Ask": {
            "Type": "Task", "Resource": "arn:flowstate:::command.waitForTaskToken", "End": True,
            "Parameters": {"Name.$": "$$.Execution.Name", "Command": [
                "sh", "-c", name_of + f"printf %s \"$FLOWSTATE_TASK_TOKEN\" > {tokens}/$name; echo '{{}}'"]}}}},
    }
    arns = {name: sfn.create_state_machine(name=name, definition=json.dumps(body), roleArn=ROLE)["stateMachineArn"]
            for name, body in definitions.items()}
    executions = {}
    for i in range(50):
        kind = ("waits", "commands", "callbacks")[i % 3]
        executions[f"{kind}-{i}"] = sfn.start_execution(stateMachineArn=arns[kind], name=f"{kind}-{i}")["executionArn"]
    callbacks = [name for name in executions if name.startswith("callbacks")]
    deadline = time.time() + 30
    while len(os.listdir(tokens)) < len(callbacks) or \
            any("TaskSubmitted" not in history_types(sfn, executions[name]) for name in callbacks):
        assert time.time() < deadline, "the callback tasks did not all submit"
        time.sleep(0.1)
    commands = [name for name in executions if name.startswith("commands")]
    while any(f"{name} first" not in open(ledger).read() for name in commands):
        assert time.time() < deadline, "the first commands did not all run"
        time.sleep(0.05)
    assert all(status_of(sfn)(arn) == "RUNNING" for arn in executions.values())
    server.kill()

    restarted = FlowstateServer(FLOWSTATE, ["-q"])
    restarted.folder, restarted.store = server.folder, server.store
    restarted.start()
    try:
        sfn = client(restarted)
        for name in callbacks:
            token = open(os.path.join(tokens, name)).read()
            sfn.send_task_success(taskToken=token, output=json.dumps({"answered": name}))
        for name, arn in executions.items():
            wait_for_status(status_of(sfn), arn, "SUCCEEDED", timeout=60)
            output = json.loads(sfn.describe_execution(executionArn=arn)["output"])
            expected = {"waits": "waited", "commands": 2, "callbacks": {"answered": name}}[name.split("-")[0]]
            assert output == expected, (name, output)
        runs = open(ledger).read().split("\n")
        for name in commands:
            # The first command had finished before the kill: it never runs again.
            assert runs.count(f"{name} first") == 1, (name, runs.count(f"{name} first"))
            assert runs.count(f"{name} second") >= 1
    finally:
        restarted.stop()
        server.folder.cleanup()
    print("server: kill -9 with 50 executions in flight (waits, commands, callbacks), restart, all finish: ok")


if __name__ == "__main__":
    if sys.argv[1] == "--worker":
        worker_process(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6]))
    with FlowstateServer(FLOWSTATE, ["--activity-poll", "1", "-q"]) as server:
        two_workers_share_a_map(server)
        worker_processes_one_killed(server, server.folder.name)
        activity_errors_and_heartbeats(server)
        callback_through_the_api(server, server.folder.name)
    activity_survives_a_killed_server(None)
    with tempfile.TemporaryDirectory(prefix="flowstate-workers-") as folder:
        fifty_in_flight_survive_kill_9(folder)
    print("workers suite: all passed")
