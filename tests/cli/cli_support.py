"""Shared helpers for the registry-command, copy and help tests of the CLI.

`Server`        - the real schemareg-server (SCHEMAREG_SERVER) on a free 127.0.0.1
                  port with its database in a temp dir; `stop()` sends SIGTERM and
                  expects exit status 0.
`servers`       - pytest fixture: a factory of started Servers, all stopped (and
                  checked) at the end of the test.
`cli`           - pytest fixture: runs the CLI (SCHEMAREG_CLI) with a clean
                  environment and returns Result(rc, out, err); never lets a
                  sanitizer report pass.
`http(...)`     - one raw HTTP exchange, for assertions that bypass the CLI.

Test modules import the fixtures with `from cli_support import cli, servers`.
"""

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def cli_binary():
    return os.environ.get("SCHEMAREG_CLI") or os.path.join(ROOT, "build", "schemareg")


def server_binary():
    return os.environ.get("SCHEMAREG_SERVER") or os.path.join(ROOT, "build", "schemareg-server")


def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
    finally:
        s.close()


def http(url, method, path, body=None):
    """(status, parsed JSON body) of one exchange."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url + path, data=data, method=method, headers={
        "Content-Type": "application/vnd.schemaregistry.v1+json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read().decode() or "null")
    except urllib.error.HTTPError as e:
        raw = e.read().decode()
        try:
            return e.code, json.loads(raw or "null")
        except ValueError:
            return e.code, raw


def q(subject):
    return urllib.parse.quote(subject, safe="")


class Server:
    def __init__(self, workdir, db=None):
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.db = db or str(workdir / "registry.db")
        self.url = "http://127.0.0.1:%d" % self.port
        self.logfile = str(workdir / "server.log")
        self.proc = None

    def start(self, timeout=15.0):
        binary = server_binary()
        if not os.path.exists(binary):
            pytest.fail("server binary %s does not exist (set SCHEMAREG_SERVER)" % binary)
        env = {k: v for k, v in os.environ.items() if not k.startswith("SCHEMA_REGISTRY_")}
        with open(self.logfile, "ab") as log:
            self.proc = subprocess.Popen(
                [binary, "--listen", "127.0.0.1:%d" % self.port, "--db", self.db],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
                cwd=str(self.workdir))
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                pytest.fail("server exited with %r:\n%s" % (self.proc.returncode, self.log()))
            try:
                with urllib.request.urlopen(self.url + "/", timeout=1) as r:
                    if r.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.05)
        pytest.fail("server did not answer within %.0fs:\n%s" % (timeout, self.log()))

    def log(self):
        try:
            with open(self.logfile, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def stop(self, timeout=10.0):
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("server did not stop within %.0fs of SIGTERM" % timeout)

    # --- raw API, for setting up and checking ---------------------------------
    def call(self, method, path, body=None):
        return http(self.url, method, path, body)

    def ok(self, method, path, body=None):
        status, answer = self.call(method, path, body)
        assert status == 200, (method, path, status, answer)
        return answer

    def register(self, subject, schema, schema_type="AVRO", references=None, **extra):
        body = {"schema": schema if isinstance(schema, str) else json.dumps(schema)}
        if schema_type != "AVRO":
            body["schemaType"] = schema_type
        if references:
            body["references"] = references
        body.update(extra)
        return self.ok("POST", "/subjects/%s/versions" % q(subject), body)["id"]


@pytest.fixture
def servers(tmp_path):
    started = []

    def start(db=None):
        s = Server(tmp_path / ("server%d" % len(started)), db=db)
        started.append(s)
        return s.start()

    yield start
    problems = []
    for s in started:
        rc = s.stop()
        if rc not in (0, None):
            problems.append("server exited with %r after SIGTERM:\n%s" % (rc, s.log()))
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


class Result:
    def __init__(self, rc, out, err):
        self.rc, self.out, self.err = rc, out, err

    def json(self):
        return json.loads(self.out)

    def __repr__(self):
        return "Result(rc=%r)\n--- stdout\n%s\n--- stderr\n%s" % (self.rc, self.out, self.err)


def clean_env(home):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SCHEMAREG_URL", "SCHEMAREG_USER"))}
    env.update({"HOME": str(home), "LC_ALL": "C", "TZ": "UTC"})
    return env


def check_sanitizers(err):
    assert "AddressSanitizer" not in err and "LeakSanitizer" not in err, err
    assert "runtime error:" not in err, err


@pytest.fixture
def cli(tmp_path):
    binary = cli_binary()
    if not os.path.exists(binary):
        pytest.fail("CLI binary %s does not exist (set SCHEMAREG_CLI or run make)" % binary)
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)

    def run(*args, env=None, cwd=None, timeout=120, stdin=None):
        e = clean_env(home)
        e.update(env or {})
        p = subprocess.run([binary] + [str(a) for a in args], cwd=str(cwd or tmp_path), env=e,
                           timeout=timeout, input=stdin, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
        out, err = p.stdout.decode("utf-8"), p.stderr.decode("utf-8")
        check_sanitizers(err)
        return Result(p.returncode, out, err)

    run.binary = binary
    run.env = lambda extra=None: dict(clean_env(home), **(extra or {}))
    return run


def dead_url():
    """A loopback URL nothing listens on."""
    return "http://127.0.0.1:%d" % free_port()
