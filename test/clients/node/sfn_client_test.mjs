// End-to-end suite of flowstate server with the AWS SDK for JavaScript v3
// (@aws-sdk/client-sfn, pinned in package.json): create a machine, start executions, page a
// history, stop, redrive, list, StartSyncExecution, an activity worker, a callback answered.
// Usage: node sfn_client_test.mjs FLOWSTATE_BINARY   (after `npm ci` in this folder)
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";
import {
  SFNClient, CreateStateMachineCommand, DescribeStateMachineCommand, StartExecutionCommand,
  DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, StopExecutionCommand,
  RedriveExecutionCommand, StartSyncExecutionCommand, ListStateMachinesCommand, paginateGetExecutionHistory,
  CreateActivityCommand, GetActivityTaskCommand, SendTaskSuccessCommand, SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
} from "@aws-sdk/client-sfn";

const flowstate = process.argv[2];
const role = "arn:aws:iam::123456789012:role/flowstate";
const folder = mkdtempSync(join(tmpdir(), "flowstate-node-"));

function startServer() {
  const server = spawn(flowstate, ["server", "--store", join(folder, "store"), "--listen", "127.0.0.1:0",
                                    "--activity-poll", "2"],
                       { stdio: ["ignore", "ignore", "pipe"] });
  return new Promise((resolve, reject) => {
    let text = "";
    server.stderr.on("data", (chunk) => {
      text += chunk;
      const match = /server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(text);
      if (match && !server.port) {
        server.port = Number(match[1]);
        resolve(server);
      }
    });
    server.on("exit", (code) => reject(new Error(`flowstate server exited (${code}): ${text}`)));
  });
}

const waitPass = (seconds) => JSON.stringify({ StartAt: "W", States: {
  W: { Type: "Wait", Seconds: seconds, Next: "P" }, P: { Type: "Pass", End: true } } });

async function waitForStatus(sfn, executionArn, status) {
  const deadline = Date.now() + 20000;
  let last;
  while (Date.now() < deadline) {
    last = (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status;
    if (last === status) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${executionArn} did not reach ${status} (last: ${last})`);
}

async function errorName(promise) {
  try { await promise; } catch (error) { return error.name; }
  throw new Error("expected an error");
}

const server = await startServer();
try {
  const config = { endpoint: `http://127.0.0.1:${server.port}`, region: "us-east-1", maxAttempts: 1,
                   credentials: { accessKeyId: "test", secretAccessKey: "test" } };
  const sfn = new SFNClient(config);
  const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({
    name: "node", definition: waitPass(0), roleArn: role }));
  assert.equal(stateMachineArn, "arn:aws:states:us-east-1:123456789012:stateMachine:node");
  const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
  assert.ok(described.creationDate instanceof Date);
  assert.equal(await errorName(sfn.send(new CreateStateMachineCommand({
    name: "node", definition: waitPass(5), roleArn: role }))), "StateMachineAlreadyExists");

  const arns = [];
  for (let i = 0; i < 2; i++)
    arns.push((await sfn.send(new StartExecutionCommand({
      stateMachineArn, name: `node-${i}`, input: JSON.stringify({ i }) }))).executionArn);
  for (const arn of arns) await waitForStatus(sfn, arn, "SUCCEEDED");
  const execution = await sfn.send(new DescribeExecutionCommand({ executionArn: arns[0] }));
  assert.deepEqual(JSON.parse(execution.output), { i: 0 });
  assert.ok(execution.stopDate instanceof Date);

  const full = (await sfn.send(new GetExecutionHistoryCommand({ executionArn: arns[0] }))).events;
  const paged = [];
  for await (const page of paginateGetExecutionHistory({ client: sfn, pageSize: 2 }, { executionArn: arns[0] }))
    paged.push(...page.events);
  assert.deepEqual(paged, full);
  assert.equal(full.at(-1).type, "ExecutionSucceeded");

  const listed = (await sfn.send(new ListExecutionsCommand({ stateMachineArn }))).executions.map((e) => e.name);
  assert.deepEqual(listed, ["node-1", "node-0"]);
  assert.equal((await sfn.send(new ListStateMachinesCommand({}))).stateMachines.length, 1);

  const slow = (await sfn.send(new CreateStateMachineCommand({
    name: "node-slow", definition: waitPass(300), roleArn: role }))).stateMachineArn;
  const running = (await sfn.send(new StartExecutionCommand({ stateMachineArn: slow }))).executionArn;
  await sfn.send(new StopExecutionCommand({ executionArn: running, error: "Manual", cause: "test" }));
  await waitForStatus(sfn, running, "ABORTED");

  const flag = join(folder, "ready");
  const flaky = (await sfn.send(new CreateStateMachineCommand({ name: "node-flaky", roleArn: role,
    definition: JSON.stringify({ StartAt: "Check", States: { Check: { Type: "Task",
      Resource: "arn:flowstate:::command", Parameters: { Command: ["test", "-e", flag] }, End: true } } }) })))
    .stateMachineArn;
  const failed = (await sfn.send(new StartExecutionCommand({ stateMachineArn: flaky }))).executionArn;
  await waitForStatus(sfn, failed, "FAILED");
  writeFileSync(flag, "");
  await sfn.send(new RedriveExecutionCommand({ executionArn: failed }));
  await waitForStatus(sfn, failed, "SUCCEEDED");
  assert.equal(await errorName(sfn.send(new RedriveExecutionCommand({ executionArn: failed }))),
               "ExecutionNotRedrivable");

  // An activity worker: GetActivityTask, heartbeat, SendTaskSuccess.
  const activityArn = (await sfn.send(new CreateActivityCommand({ name: "node-worker" }))).activityArn;
  const activityMachine = (await sfn.send(new CreateStateMachineCommand({ name: "node-activity", roleArn: role,
    definition: JSON.stringify({ StartAt: "Work", States: { Work: { Type: "Task", Resource: activityArn,
      HeartbeatSeconds: 10, Next: "Ask" },
      Ask: { Type: "Task", Resource: "arn:flowstate:::command.waitForTaskToken", ResultPath: "$.answer",
             Parameters: { Command: ["sh", "-c", `printf %s "$FLOWSTATE_TASK_TOKEN" > ${join(folder, "token")}; echo '{}'`] },
             Catch: [{ ErrorEquals: ["Declined"], ResultPath: "$.declined", Next: "Done" }], End: true },
      Done: { Type: "Pass", End: true } } }) }))).stateMachineArn;
  const worked = (await sfn.send(new StartExecutionCommand({ stateMachineArn: activityMachine,
                                                             input: '{"n": 3}' }))).executionArn;
  let task = {};
  while (!task.taskToken)
    task = await sfn.send(new GetActivityTaskCommand({ activityArn, workerName: "node" }));
  assert.deepEqual(JSON.parse(task.input), { n: 3 });
  await sfn.send(new SendTaskHeartbeatCommand({ taskToken: task.taskToken }));
  await sfn.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: '{"n": 9}' }));
  // The callback task after it: its command wrote its token; answer it with SendTaskFailure.
  const { existsSync, readFileSync } = await import("node:fs");
  const deadline = Date.now() + 20000;
  while (!existsSync(join(folder, "token")) || readFileSync(join(folder, "token"), "utf8").length === 0) {
    assert.ok(Date.now() < deadline, "the callback's command never wrote its token");
    await new Promise((r) => setTimeout(r, 20));
  }
  const token = readFileSync(join(folder, "token"), "utf8");
  const declined = await sfn.send(new SendTaskFailureCommand({ taskToken: token, error: "Declined", cause: "no" }))
    .then(() => "sent", (error) => error.name);
  assert.equal(declined, "sent");
  await waitForStatus(sfn, worked, "SUCCEEDED");
  const finished = await sfn.send(new DescribeExecutionCommand({ executionArn: worked }));
  assert.deepEqual(JSON.parse(finished.output), { n: 9, declined: { Error: "Declined", Cause: "no" } });
  assert.equal(await errorName(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: "1" }))),
               "TaskTimedOut");

  // StartSyncExecution: the SDK prepends "sync-" to the host unless disableHostPrefix is set.
  const express = (await sfn.send(new CreateStateMachineCommand({ name: "node-express", type: "EXPRESS",
    definition: waitPass(0), roleArn: role }))).stateMachineArn;
  const sync = new SFNClient({ ...config, disableHostPrefix: true });
  const result = await sync.send(new StartSyncExecutionCommand({ stateMachineArn: express, input: '{"y":2}' }));
  assert.equal(result.status, "SUCCEEDED");
  assert.deepEqual(JSON.parse(result.output), { y: 2 });
  const prefixed = await errorName(sfn.send(new StartSyncExecutionCommand({ stateMachineArn: express })));
  assert.notEqual(prefixed, undefined);
  console.log(`node suite (@aws-sdk/client-sfn): all passed (the prefixed host failed with ${prefixed})`);
} finally {
  server.kill("SIGTERM");
  await new Promise((r) => server.on("exit", r));
  rmSync(folder, { recursive: true, force: true });
}
