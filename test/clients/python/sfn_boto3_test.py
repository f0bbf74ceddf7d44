"""End-to-end suite of flowstate server with boto3: machines, executions, history paging,
stop, redrive, listing, StartSyncExecution, the Map Runs of a Distributed Map
(ListMapRuns, DescribeMapRun, UpdateMapRun), versions and aliases, TestState, and a state
machine tested the way AWS's Step Functions Local tutorial does it (MockConfigFile + stateMachineArn#TestCase).
Usage: sfn_boto3_test.py FLOWSTATE_BINARY"""
import json
import os
import sys
import tempfile
import time

import boto3
import botocore.config
import botocore.exceptions

sys.path.insert(0, os.path.dirname(__file__))
from flowstate_server import ROLE, FlowstateServer, error_code, wait_for_status  # noqa: E402

FLOWSTATE = sys.argv[1]


def client(server, **config):
    return boto3.client("stepfunctions", endpoint_url=server.endpoint(),
                        config=botocore.config.Config(retries={"max_attempts": 1}, **config))


def wait_pass(seconds):
    return json.dumps({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": seconds, "Next": "P"},
                                                    "P": {"Type": "Pass", "End": True}}})


def machines_and_executions(flag_dir):
    with FlowstateServer(FLOWSTATE) as server:
        sfn = client(server)
        arn = sfn.create_state_machine(name="orders", definition=wait_pass(0), roleArn=ROLE)["stateMachineArn"]
        assert arn == "arn:aws:states:us-east-1:123456789012:stateMachine:orders", arn
        assert sfn.describe_state_machine(stateMachineArn=arn)["definition"] == wait_pass(0)
        assert error_code(lambda: sfn.create_state_machine(name="orders", definition=wait_pass(1), roleArn=ROLE)) \
            == "StateMachineAlreadyExists"
        assert error_code(lambda: sfn.create_state_machine(name="x", definition="{}", roleArn=ROLE)) \
            == "InvalidDefinition"

        executions = []
        for i in range(3):
            started = sfn.start_execution(stateMachineArn=arn, name=f"order-{i}", input=json.dumps({"i": i}))
            executions.append(started["executionArn"])
        for execution in executions:
            wait_for_status(lambda a: sfn.describe_execution(executionArn=a)["status"], execution, "SUCCEEDED")
        described = sfn.describe_execution(executionArn=executions[0])
        assert json.loads(described["output"]) == {"i": 0}
        assert described["startDate"] <= described["stopDate"]

        # History, paged two events at a time by the SDK's paginator and by hand.
        full = sfn.get_execution_history(executionArn=executions[0])["events"]
        assert full[0]["type"] == "ExecutionStarted" and full[-1]["type"] == "ExecutionSucceeded"
        paged = [event for page in sfn.get_paginator("get_execution_history").paginate(
            executionArn=executions[0], PaginationConfig={"PageSize": 2}) for event in page["events"]]
        assert paged == full, (paged, full)
        reverse = sfn.get_execution_history(executionArn=executions[0], reverseOrder=True, maxResults=1)
        assert reverse["events"][0]["type"] == "ExecutionSucceeded" and "nextToken" in reverse

        listed = [e["name"] for e in sfn.list_executions(stateMachineArn=arn)["executions"]]
        assert listed == ["order-2", "order-1", "order-0"], listed
        names = [e["name"] for page in sfn.get_paginator("list_executions").paginate(
            stateMachineArn=arn, PaginationConfig={"PageSize": 1}) for e in page["executions"]]
        assert names == listed, names
        assert [m["name"] for m in sfn.list_state_machines()["stateMachines"]] == ["orders"]

        # Stop a long Wait.
        slow = sfn.create_state_machine(name="slow", definition=wait_pass(300), roleArn=ROLE)["stateMachineArn"]
        running = sfn.start_execution(stateMachineArn=slow, name="slow-1")["executionArn"]
        assert sfn.start_execution(stateMachineArn=slow, name="slow-1")["executionArn"] == running  # idempotent
        assert error_code(lambda: sfn.start_execution(stateMachineArn=slow, name="slow-1", input='{"x":1}')) \
            == "ExecutionAlreadyExists"
        sfn.stop_execution(executionArn=running, error="Manual", cause="stopped by the test")
        wait_for_status(lambda a: sfn.describe_execution(executionArn=a)["status"], running, "ABORTED")
        stopped = sfn.describe_execution(executionArn=running)
        assert (stopped["error"], stopped["cause"]) == ("Manual", "stopped by the test"), stopped
        assert sfn.list_executions(stateMachineArn=slow, statusFilter="ABORTED")["executions"][0]["executionArn"] \
            == running

        # Redrive a failed command task once what it needs exists.
        flag = os.path.join(flag_dir, "ready")
        flaky = sfn.create_state_machine(name="flaky", roleArn=ROLE, definition=json.dumps(
            {"StartAt": "Check", "States": {"Check": {"Type": "Task", "Resource": "arn:flowstate:::command",
                                                      "Parameters": {"Command": ["test", "-e", flag]},
                                                      "End": True}}}))["stateMachineArn"]
        failed = sfn.start_execution(stateMachineArn=flaky)["executionArn"]
        wait_for_status(lambda a: sfn.describe_execution(executionArn=a)["status"], failed, "FAILED")
        open(flag, "w").close()
        sfn.redrive_execution(executionArn=failed)
        wait_for_status(lambda a: sfn.describe_execution(executionArn=a)["status"], failed, "SUCCEEDED")
        assert sfn.describe_execution(executionArn=failed)["redriveCount"] == 1
        assert error_code(lambda: sfn.redrive_execution(executionArn=failed)) == "ExecutionNotRedrivable"
        sfn.delete_state_machine(stateMachineArn=flaky)
        assert error_code(lambda: sfn.describe_state_machine(stateMachineArn=flaky)) == "StateMachineDoesNotExist"

        # StartSyncExecution: botocore prepends "sync-" to the endpoint's host unless told not to.
        express = sfn.create_state_machine(name="quick", definition=wait_pass(0), roleArn=ROLE,
                                           type="EXPRESS")["stateMachineArn"]
        sync = client(server, inject_host_prefix=False)
        result = sync.start_sync_execution(stateMachineArn=express, input='{"fast": true}')
        assert result["status"] == "SUCCEEDED" and json.loads(result["output"]) == {"fast": True}, result
        try:
            sfn.start_sync_execution(stateMachineArn=express)
            raise AssertionError("the host prefix was expected to make the call fail")
        except botocore.exceptions.EndpointConnectionError:
            pass  # http://sync-127.0.0.1:PORT does not resolve
        print("boto3: machines and executions: ok")


DISTRIBUTED_MAP = json.dumps({"StartAt": "M", "States": {"M": {
    "Type": "Map", "MaxConcurrency": 1, "ToleratedFailurePercentage": 50, "End": True,
    "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                      "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "End": True}}}}}})


def map_runs():
    with FlowstateServer(FLOWSTATE) as server:
        sfn = client(server)
        machine = sfn.create_state_machine(name="fan", definition=DISTRIBUTED_MAP, roleArn=ROLE)["stateMachineArn"]
        execution = sfn.start_execution(stateMachineArn=machine, input="[1, 2, 3]")["executionArn"]
        for _ in range(500):
            runs = sfn.list_map_runs(executionArn=execution)["mapRuns"]
            if runs:
                break
            time.sleep(0.02)
        assert len(runs) == 1 and runs[0]["executionArn"] == execution, runs
        assert runs[0]["stateMachineArn"].startswith(machine + "/") and "stopDate" not in runs[0], runs
        map_run = runs[0]["mapRunArn"]
        described = sfn.describe_map_run(mapRunArn=map_run)
        assert described["status"] == "RUNNING" and described["maxConcurrency"] == 1, described
        assert described["toleratedFailurePercentage"] == 50.0 and described["toleratedFailureCount"] == 0
        assert described["itemCounts"]["total"] == 3 and described["itemCounts"]["running"] == 1, described
        assert described["itemCounts"]["pending"] == 2 and described["executionCounts"]["total"] == 1, described
        sfn.update_map_run(mapRunArn=map_run, maxConcurrency=3, toleratedFailureCount=1)
        wait_for_status(lambda arn: sfn.describe_execution(executionArn=arn)["status"], execution, "SUCCEEDED")
        described = sfn.describe_map_run(mapRunArn=map_run)
        assert described["status"] == "SUCCEEDED" and described["stopDate"] >= described["startDate"], described
        assert described["maxConcurrency"] == 3 and described["toleratedFailureCount"] == 1, described
        assert described["executionCounts"]["succeeded"] == 3 and described["redriveCount"] == 0, described
        assert error_code(lambda: sfn.update_map_run(mapRunArn=map_run, maxConcurrency=2)) == "ValidationException"
        assert error_code(lambda: sfn.describe_map_run(mapRunArn=map_run + "0")) == "ResourceNotFound"
        assert error_code(lambda: sfn.list_map_runs(executionArn=execution + "x")) == "ExecutionDoesNotExist"
        print("boto3: Map Runs: ok")
def pass_result(result):
    return json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": result, "End": True}}})


def versions_and_aliases():
    with FlowstateServer(FLOWSTATE) as server:
        sfn = client(server)
        created = sfn.create_state_machine(name="releases", definition=pass_result("v1"), roleArn=ROLE,
                                           publish=True, versionDescription="first")
        arn = created["stateMachineArn"]
        assert created["stateMachineVersionArn"] == arn + ":1", created
        updated = sfn.update_state_machine(stateMachineArn=arn, definition=pass_result("v2"), publish=True,
                                           versionDescription="second")
        assert updated["stateMachineVersionArn"] == arn + ":2" and updated["revisionId"], updated
        published = sfn.publish_state_machine_version(stateMachineArn=arn, revisionId=updated["revisionId"])
        assert published["stateMachineVersionArn"] == arn + ":2", published  # same revision: the same version
        assert error_code(lambda: sfn.publish_state_machine_version(stateMachineArn=arn, revisionId="stale")) \
            == "ConflictException"
        v1 = sfn.describe_state_machine(stateMachineArn=arn + ":1")
        assert (v1["stateMachineArn"], v1["description"], v1["definition"]) == (arn + ":1", "first", pass_result("v1"))
        assert sfn.describe_state_machine(stateMachineArn=arn)["revisionId"] == updated["revisionId"]
        first = sfn.list_state_machine_versions(stateMachineArn=arn, maxResults=1)  # botocore has no paginator
        rest = sfn.list_state_machine_versions(stateMachineArn=arn, maxResults=1, nextToken=first["nextToken"])
        versions = [v["stateMachineVersionArn"] for v in first["stateMachineVersions"] + rest["stateMachineVersions"]]
        assert versions == [arn + ":2", arn + ":1"] and "nextToken" not in rest, versions

        alias = sfn.create_state_machine_alias(name="PROD", description="live", routingConfiguration=[
            {"stateMachineVersionArn": arn + ":1", "weight": 100}])["stateMachineAliasArn"]
        assert alias == arn + ":PROD", alias
        assert error_code(lambda: sfn.create_state_machine_alias(name="bad", routingConfiguration=[
            {"stateMachineVersionArn": arn + ":1", "weight": 60}])) == "ValidationException"
        execution = sfn.start_execution(stateMachineArn=alias)["executionArn"]
        wait_for_status(lambda a: sfn.describe_execution(executionArn=a)["status"], execution, "SUCCEEDED")
        described = sfn.describe_execution(executionArn=execution)
        assert json.loads(described["output"]) == "v1", described
        assert (described["stateMachineArn"], described["stateMachineVersionArn"], described["stateMachineAliasArn"]) \
            == (arn, arn + ":1", alias), described
        listed = sfn.list_executions(stateMachineArn=alias)["executions"]
        assert [(e["executionArn"], e["stateMachineAliasArn"]) for e in listed] == [(execution, alias)], listed
        assert error_code(lambda: sfn.delete_state_machine_version(stateMachineVersionArn=arn + ":1")) \
            == "ConflictException"

        sfn.update_state_machine_alias(stateMachineAliasArn=alias, routingConfiguration=[
            {"stateMachineVersionArn": arn + ":1", "weight": 0}, {"stateMachineVersionArn": arn + ":2", "weight": 100}])
        described_alias = sfn.describe_state_machine_alias(stateMachineAliasArn=alias)
        assert described_alias["name"] == "PROD" and described_alias["description"] == "live", described_alias
        assert [r["weight"] for r in described_alias["routingConfiguration"]] == [0, 100], described_alias
        assert described_alias["updateDate"] >= described_alias["creationDate"]
        express = client(server, inject_host_prefix=False)
        quick = express.create_state_machine(name="quick-versions", definition=pass_result("fast"), roleArn=ROLE,
                                             type="EXPRESS", publish=True)["stateMachineVersionArn"]
        assert json.loads(express.start_sync_execution(stateMachineArn=quick)["output"]) == "fast"
        second = sfn.start_execution(stateMachineArn=alias)["executionArn"]
        wait_for_status(lambda a: sfn.describe_execution(executionArn=a)["status"], second, "SUCCEEDED")
        assert sfn.describe_execution(executionArn=second)["stateMachineVersionArn"] == arn + ":2"
        aliases = sfn.list_state_machine_aliases(stateMachineArn=arn)["stateMachineAliases"]
        assert [a["stateMachineAliasArn"] for a in aliases] == [alias], aliases

        sfn.delete_state_machine_alias(stateMachineAliasArn=alias)
        assert error_code(lambda: sfn.describe_state_machine_alias(stateMachineAliasArn=alias)) == "ResourceNotFound"
        sfn.delete_state_machine_version(stateMachineVersionArn=arn + ":1")
        assert [v["stateMachineVersionArn"] for v in sfn.list_state_machine_versions(stateMachineArn=arn)[
            "stateMachineVersions"]] == [arn + ":2"]
        print("boto3: versions and aliases: ok")


MOCKED_MACHINE = {
    "Comment": "The Step Functions Local tutorial's pattern: a Lambda task answered by a mock",
    "StartAt": "CheckIdentity",
    "States": {
        "CheckIdentity": {
            "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "check-identity", "Payload.$": "$"},
            "ResultSelector": {"identity.$": "$.Payload"},
            "Retry": [{"ErrorEquals": ["Lambda.ServiceException"], "MaxAttempts": 2, "IntervalSeconds": 1}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Rejected"}],
            "Next": "Approved"},
        "Approved": {"Type": "Pass", "End": True},
        "Rejected": {"Type": "Fail", "Error": "IdentityRejected"},
    },
}

MOCK_CONFIG = {
    "StateMachines": {"LambdaSQSIntegration": {"TestCases": {
        "HappyPath": {"CheckIdentity": "CheckIdentitySuccess"},
        "RetryPath": {"CheckIdentity": "CheckIdentityRetry"},
        "HybridPath": {}}}},
    "MockedResponses": {
        "CheckIdentitySuccess": {"0": {"Return": {"StatusCode": 200, "Payload": {"approved": True}}}},
        "CheckIdentityRetry": {
            "0-1": {"Throw": {"Error": "Lambda.ServiceException", "Cause": "Lambda was unavailable"}},
            "2": {"Throw": {"Error": "Lambda.ResourceNotReadyException", "Cause": "not ready"}}},
    },
}


def mocked_service_integrations(folder):
    config = os.path.join(folder, "MockConfigFile.json")
    with open(config, "w") as out:
        json.dump(MOCK_CONFIG, out)
    # As the tutorial runs Step Functions Local: SFN_MOCK_CONFIG in the environment.
    with FlowstateServer(FLOWSTATE, ["--skip-waits"], env={"SFN_MOCK_CONFIG": config}) as server:
        sfn = client(server)
        arn = sfn.create_state_machine(name="LambdaSQSIntegration", definition=json.dumps(MOCKED_MACHINE),
                                       roleArn="arn:aws:iam::123456789012:role/DummyRole")["stateMachineArn"]
        happy = sfn.start_execution(stateMachineArn=f"{arn}#HappyPath", name="happy")["executionArn"]
        wait_for_status(lambda a: sfn.describe_execution(executionArn=a)["status"], happy, "SUCCEEDED")
        assert json.loads(sfn.describe_execution(executionArn=happy)["output"]) == {"identity": {"approved": True}}
        events = sfn.get_execution_history(executionArn=happy)["events"]
        assert "TaskSucceeded" in [e["type"] for e in events], [e["type"] for e in events]

        retry = sfn.start_execution(stateMachineArn=f"{arn}#RetryPath", name="retry")["executionArn"]
        wait_for_status(lambda a: sfn.describe_execution(executionArn=a)["status"], retry, "FAILED")
        history = sfn.get_execution_history(executionArn=retry)["events"]
        assert [e["type"] for e in history].count("TaskFailed") == 3
        assert history[-1]["executionFailedEventDetails"]["error"] == "IdentityRejected"
        assert error_code(lambda: sfn.start_execution(stateMachineArn=f"{arn}#NoSuchCase")) == "ValidationException"
        print("boto3: mocked service integrations (MockConfigFile, stateMachineArn#TestCase): ok")


def test_state():
    with FlowstateServer(FLOWSTATE) as server:
        # TestState, like StartSyncExecution, carries AWS's "sync-" host prefix.
        sfn = client(server, inject_host_prefix=False)
        task = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Arguments": {"FunctionName": "f", "Payload": "{% $states.input %}"},
                "Output": {"paid": "{% $states.result.Payload.paid %}"}, "QueryLanguage": "JSONata",
                "Retry": [{"ErrorEquals": ["Lambda.ServiceException"], "IntervalSeconds": 2, "MaxAttempts": 3,
                           "BackoffRate": 2.0}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "Assign": {"reason": "{% $states.errorOutput.Cause %}"},
                           "Next": "Refund"}],
                "Next": "Ship"}
        paid = sfn.test_state(definition=json.dumps(task), input='{"order": 1}', inspectionLevel="DEBUG",
                              mock={"result": '{"Payload": {"paid": true}}'})
        assert paid["status"] == "SUCCEEDED" and paid["nextState"] == "Ship", paid
        assert json.loads(paid["output"]) == {"paid": True}, paid
        assert json.loads(paid["inspectionData"]["afterArguments"]) == {"FunctionName": "f", "Payload": {"order": 1}}
        retriable = sfn.test_state(definition=json.dumps(task), inspectionLevel="DEBUG",
                                   mock={"errorOutput": {"error": "Lambda.ServiceException", "cause": "busy"}},
                                   stateConfiguration={"retrierRetryCount": 1})
        assert retriable["status"] == "RETRIABLE", retriable
        assert retriable["inspectionData"]["errorDetails"] == {"retryIndex": 0, "retryBackoffIntervalSeconds": 4}
        caught = sfn.test_state(definition=json.dumps(task), inspectionLevel="DEBUG",
                                mock={"errorOutput": {"error": "Lambda.ServiceException", "cause": "busy"}},
                                stateConfiguration={"retrierRetryCount": 3})
        assert caught["status"] == "CAUGHT_ERROR" and caught["nextState"] == "Refund", caught
        assert json.loads(caught["inspectionData"]["variables"]) == {"reason": "busy"}, caught
        machine = {"StartAt": "Check", "States": {
            "Check": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 1, "Next": "Big"}],
                      "Default": "Small"},
            "Big": {"Type": "Succeed"}, "Small": {"Type": "Succeed"}}}
        assert sfn.test_state(definition=json.dumps(machine), stateName="Check", input='{"n": 5}')["nextState"] \
            == "Big"
        assert error_code(lambda: sfn.test_state(definition='{"Type": "Pass"')) == "InvalidDefinition"
        assert error_code(lambda: sfn.test_state(definition='{"Type": "Pass", "End": true}', input="{")) \
            == "InvalidExecutionInput"
        assert error_code(lambda: sfn.test_state(definition='{"Type": "Pass", "End": true}',
                                                 mock={"result": "1"})) == "ValidationException"
        print("boto3: TestState (mock result and errorOutput, RETRIABLE, CAUGHT_ERROR, stateName): ok")


def signed_requests(folder):
    credentials = os.path.join(folder, "credentials")
    with open(credentials, "w") as out:
        out.write("# access key id, secret access key\nAKIDFLOWSTATE flowstate-secret\n")
    with FlowstateServer(FLOWSTATE, ["--credentials", credentials]) as server:
        def signed(key, secret):
            return boto3.client("stepfunctions", endpoint_url=server.endpoint(), aws_access_key_id=key,
                                aws_secret_access_key=secret,
                                config=botocore.config.Config(retries={"max_attempts": 1}))
        sfn = signed("AKIDFLOWSTATE", "flowstate-secret")
        sfn.create_state_machine(name="signed", definition=wait_pass(0), roleArn=ROLE)
        assert [m["name"] for m in sfn.list_state_machines()["stateMachines"]] == ["signed"]
        assert error_code(lambda: signed("AKIDFLOWSTATE", "wrong").list_state_machines()) \
            == "InvalidSignatureException"
        assert error_code(lambda: signed("UNKNOWN", "flowstate-secret").list_state_machines()) \
            == "UnrecognizedClientException"
        print("boto3: SigV4 verification (--credentials): ok")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="flowstate-boto3-") as folder:
        machines_and_executions(folder)
        map_runs()
        versions_and_aliases()
        mocked_service_integrations(folder)
        test_state()
        signed_requests(folder)
    print("boto3 suite: all passed")
