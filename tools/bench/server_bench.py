#!/usr/bin/env python3
"""Benchmarks of `flowstate server` (issue 11's targets), standard library only:

  throughput  StartExecution of a 3-state Pass machine, each followed by DescribeExecution
              until SUCCEEDED, from --clients concurrent clients for --seconds on the store:
              executions/s, and DescribeExecution's p50/p99 latency under that load
  waiting     --waiting executions whose activity Task waits for a worker (each holds a task
              token, as a callback does): the server's RSS once all are waiting
  startup     the server's start-up (spawn to "listening") with the executions of the two runs
              above in its store

There is no peer to run in the same invocation: Step Functions Local (a Java jar) is in
neither registry we install from, and aws-local-stepfunctions has no API server. The
figures are absolute; the client side is Python (one keep-alive connection per client).

Usage: server_bench.py --flowstate build/tools/flowstate [--seconds 60] [--clients 16]
                       [--waiting 10000] [--store DIR]
"""
import argparse
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time

PASS3 = json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"},
                                               "B": {"Type": "Pass", "Next": "C"},
                                               "C": {"Type": "Pass", "End": True}}})
ROLE = "arn:aws:iam::123456789012:role/bench"


class Server:
    def __init__(self, flowstate, store):
        self.flowstate, self.store = flowstate, store

    def start(self):
        began = time.perf_counter()
        self.process = subprocess.Popen([self.flowstate, "server", "--store", self.store, "--listen", "127.0.0.1:0",
                                         "-q"], stderr=subprocess.PIPE, text=True)
        for line in self.process.stderr:
            match = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
            if match:
                self.startup = time.perf_counter() - began
                self.port = int(match.group(1))
                threading.Thread(target=lambda: [None for _ in self.process.stderr], daemon=True).start()
                return self
        raise RuntimeError("the server did not start")

    def rss_mib(self):
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=120)


class Client:
    def __init__(self, port):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def call(self, action, body):
        self.connection.request("POST", "/", json.dumps(body),
                                {"X-Amz-Target": f"AWSStepFunctions.{action}",
                                 "Content-Type": "application/x-amz-json-1.0"})
        response = self.connection.getresponse()
        payload = json.loads(response.read() or b"{}")
        if response.status != 200:
            raise RuntimeError(f"{action}: {response.status} {payload}")
        return payload


def run_clients(count, work):
    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def throughput(server, seconds, clients):
    machine = Client(server.port).call("CreateStateMachine", {"name": "pass3", "definition": PASS3,
                                                               "roleArn": ROLE})["stateMachineArn"]
    done, latencies, lock = [0], [], threading.Lock()
    end = time.perf_counter() + seconds

    def work(_):
        client, mine, finished = Client(server.port), [], 0
        while time.perf_counter() < end:
            arn = client.call("StartExecution", {"stateMachineArn": machine})["executionArn"]
            while True:
                began = time.perf_counter()
                status = client.call("DescribeExecution", {"executionArn": arn})["status"]
                mine.append(time.perf_counter() - began)
                if status == "SUCCEEDED":
                    break
                if status != "RUNNING":
                    raise RuntimeError(f"{arn} ended {status}")
            finished += 1
        with lock:
            done[0] += finished
            latencies.extend(mine)

    began = time.perf_counter()
    run_clients(clients, work)
    elapsed = time.perf_counter() - began
    quantiles = statistics.quantiles(latencies, n=100)
    return {"executions": done[0], "seconds": round(elapsed, 1), "executions_per_s": round(done[0] / elapsed),
            "describe_p50_ms": round(quantiles[49] * 1000, 2), "describe_p99_ms": round(quantiles[98] * 1000, 2)}


def waiting(server, count, clients):
    client = Client(server.port)
    activity = client.call("CreateActivity", {"name": "nobody"})["activityArn"]
    definition = json.dumps({"StartAt": "W", "States": {"W": {"Type": "Task", "Resource": activity, "End": True}}})
    machine = client.call("CreateStateMachine", {"name": "waits", "definition": definition,
                                                 "roleArn": ROLE})["stateMachineArn"]
    rss_before = server.rss_mib()

    def work(i):
        mine = Client(server.port)
        for _ in range(i, count, clients):
            mine.call("StartExecution", {"stateMachineArn": machine})

    run_clients(clients, work)
    # Every execution has scheduled its task once the last one's history says so.
    listed = client.call("ListExecutions", {"stateMachineArn": machine, "maxResults": 1})["executions"]
    newest = listed[0]["executionArn"]
    while True:
        events = client.call("GetExecutionHistory", {"executionArn": newest})["events"]
        if any(event["type"] == "ActivityScheduled" for event in events):
            break
        time.sleep(0.05)
    time.sleep(1)
    return {"waiting": count, "rss_mib_before": round(rss_before, 1), "rss_mib_waiting": round(server.rss_mib(), 1)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--flowstate", required=True)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--waiting", type=int, default=10000)
    parser.add_argument("--store", help="store folder (default: a temporary one, removed after)")
    args = parser.parse_args()
    folder = args.store or tempfile.mkdtemp(prefix="flowstate-server-bench-")
    store = os.path.join(folder, "store")
    try:
        server = Server(args.flowstate, store).start()
        report = {"throughput": throughput(server, args.seconds, args.clients)}
        print(json.dumps(report["throughput"]), flush=True)
        report["waiting"] = waiting(server, args.waiting, args.clients)
        print(json.dumps(report["waiting"]), flush=True)
        server.stop()  # the waiting executions end ABORTED; the store keeps all of them
        startups = []
        for _ in range(3):
            restarted = Server(args.flowstate, store).start()
            startups.append(restarted.startup)
            restarted.stop()
        report["startup"] = {"stored_executions": report["throughput"]["executions"] + args.waiting,
                             "startup_ms_median": round(statistics.median(startups) * 1000, 1)}
        print(json.dumps(report["startup"]), flush=True)
    finally:
        if not args.store:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
