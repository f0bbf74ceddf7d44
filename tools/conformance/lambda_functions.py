#!/usr/bin/env python3
"""A local Lambda endpoint serving the corpus's Lambda functions, for `--lambda-endpoint`.

The lambda group's cases say in mocks.json which functions the recording test deployed
("lambda_functions": name -> handler_file and behaviour). Most cases also hold the responses
AWS recorded, which `--mock-config` replays exactly; a few hold none (their calls ran in
Distributed Map children, which AWS recorded apart). For those, flowstate calls the functions
here, through the Lambda Invoke API, as it would call `sam local start-lambda`.

A function name can stand for different handlers in different cases, so the case is part of
the endpoint: flowstate runs with `--lambda-endpoint http://127.0.0.1:PORT/<group>/<case>`
and the server answers `POST /<group>/<case>/2015-03-31/functions/<name>/invocations` with
the behaviour of that case's function. Only behaviours the corpus states exactly are served:
identity/echo (the payload unchanged), return_bytes_str (the JSON text "HelloWorld!") and
large_output_string (257 KiB of 'a'). The raising handlers are answered with their error
type and message as Lambda reports an unhandled error; their request ids and stack traces
are not in the corpus, so cases that compare them use the recorded mocks instead.

usage (in a script): with LambdaFunctions(corpus_dir) as server: server.url_for(case_id)
usage (alone): lambda_functions.py [--corpus DIR] [--port N]   serves until interrupted
"""
import argparse
import http.server
import json
import os
import re
import threading
import urllib.parse
import uuid

INVOKE_PATH = re.compile(r"^/(?P<case>[^/]+/[^/]+)/2015-03-31/functions/(?P<function>[^/]+)/invocations$")

# The raising handlers: their error type and message.
ERRORS = {
    "raise_exception.py": ("Exception", "Some exception was raised."),
    "raise_custom_exception.py": ("CustomException", "CustomException message"),
}


def respond(handler_file, payload):
    """(status, headers, body) of an invocation of `handler_file` with `payload` (bytes)."""
    if handler_file in ("id_function.py", "echo_function.py"):
        return 200, {}, payload
    if handler_file == "return_bytes_str.py":
        return 200, {}, b'"HelloWorld!"'
    if handler_file == "large_output_string.py":
        return 200, {}, json.dumps("a" * (257 * 1024)).encode()
    if handler_file in ERRORS:
        error_type, message = ERRORS[handler_file]
        body = {"errorMessage": message, "errorType": error_type, "requestId": str(uuid.uuid4()),
                "stackTrace": []}
        return 200, {"X-Amz-Function-Error": "Unhandled"}, json.dumps(body).encode()
    return 500, {"X-Amzn-ErrorType": "ServiceException"}, json.dumps(
        {"Type": "Service", "message": f"the corpus states no exact behaviour for {handler_file}"}).encode()


class LambdaFunctions:
    """A threaded HTTP server on 127.0.0.1 (an ephemeral port unless given) over the corpus."""

    def __init__(self, corpus, port=0):
        self.corpus = corpus
        functions = self._functions

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (the http.server interface)
                length = int(self.headers.get("Content-Length") or 0)
                payload = self.rfile.read(length)
                path = urllib.parse.urlsplit(self.path).path
                match = INVOKE_PATH.match(path)
                known = functions(match.group("case")) if match else {}
                name = urllib.parse.unquote(match.group("function")) if match else ""
                if "function:" in name:  # a full or partial ARN, maybe with a qualifier
                    name = name.split("function:", 1)[1].split(":", 1)[0]
                if not match or name not in known:
                    status, headers = 404, {"X-Amzn-ErrorType": "ResourceNotFoundException"}
                    body = json.dumps({"Type": "User", "message": f"Function not found: {name}"}).encode()
                else:
                    status, headers, body = respond(known[name], payload)
                self.send_response(status)
                headers.setdefault("Content-Type", "application/json")
                headers["X-Amz-Executed-Version"] = "$LATEST"
                headers["x-amzn-RequestId"] = str(uuid.uuid4())
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):  # quiet
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _functions(self, case_id):
        """name -> handler_file of the case's functions ({} for an unknown case)."""
        try:
            with open(os.path.join(self.corpus, "cases", case_id, "mocks.json"), encoding="utf-8") as f:
                mocks = json.load(f)
        except (OSError, ValueError):
            return {}
        return {name: spec.get("handler_file", "") for name, spec in mocks.get("lambda_functions", {}).items()}

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url_for(self, case_id):
        return f"{self.base_url}/{case_id}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=os.path.join(here, "..", "..", "..", "shared", "conformance"))
    ap.add_argument("--port", type=int, default=3001)
    args = ap.parse_args()
    with LambdaFunctions(os.path.abspath(args.corpus), args.port) as server:
        print(f"serving the corpus's Lambda functions at {server.base_url}/<group>/<case>", flush=True)
        try:
            server.thread.join()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
