"""Starts `flowstate server` on a free loopback port with a store in a temporary folder, for
the end-to-end suites of the real AWS clients (boto3, the AWS CLI)."""
import os
import re
import signal
import subprocess
import sys
import tempfile
import time


class FlowstateServer:
    def __init__(self, flowstate, args=(), env=None):
        self.flowstate = flowstate
        self.args = list(args)
        self.env = env
        self.folder = tempfile.TemporaryDirectory(prefix="flowstate-client-test-")
        self.store = os.path.join(self.folder.name, "store")
        self.process = None
        self.port = None

    def start(self):
        environment = dict(os.environ)
        environment.update(self.env or {})
        self.process = subprocess.Popen(
            [self.flowstate, "server", "--store", self.store, "--listen", "127.0.0.1:0", *self.args],
            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=environment, text=True)
        deadline = time.time() + 20
        while time.time() < deadline:
            line = self.process.stderr.readline()
            if not line:
                break
            match = re.search(r"server listening on http://127\.0\.0\.1:(\d+)", line)
            if match:
                self.port = int(match.group(1))
                # Keep draining stderr so the server never blocks on a full pipe.
                import threading
                threading.Thread(target=self._drain, daemon=True).start()
                return self
        raise RuntimeError("flowstate server did not start")

    def _drain(self):
        for line in self.process.stderr:
            sys.stderr.write("  [server] " + line)

    def endpoint(self, host="127.0.0.1"):
        return f"http://{host}:{self.port}"

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=20)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        self.folder.cleanup()


ROLE = "arn:aws:iam::123456789012:role/flowstate"

# boto3 needs credentials and a region; the server accepts any (without --credentials).
os.environ.setdefault("AWS_ACCESS_KEY_ID", "test")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "test")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")


def error_code(call):
    """The AWS error code `call` raises (botocore's ClientError)."""
    import botocore.exceptions
    try:
        call()
    except botocore.exceptions.ClientError as error:
        return error.response["Error"]["Code"]
    raise AssertionError("expected an error")


def wait_for_status(describe, arn, status, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        current = describe(arn)
        if current == status:
            return
        time.sleep(0.05)
    raise AssertionError(f"{arn} did not reach {status} (last: {current})")
