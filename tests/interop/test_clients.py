"""Interop tests: real, unmodified third-party Schema Registry clients against a
real schemareg-server.

Run by `make interop`:
    SCHEMAREG_SERVER=build/schemareg-server /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/interop

One test per client script. Every test starts its own server on a free
127.0.0.1 port with an empty database, runs the script with the registry URL as
its only argument, and requires exit status 0. On failure the script's output
and the tail of the server's stderr (one line per request) are shown.

The npm clients live in tests/interop/node_modules, installed from
package-lock.json by `make deps` (npm ci). The Python clients are Debian's
python3-confluent-kafka + python3-avro + python3-requests, hence /usr/bin/python3.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
HOST = "127.0.0.1"
SYSTEM_PYTHON = "/usr/bin/python3"
SCRIPT_TIMEOUT = 180  # seconds for one client script
SERVER_LOG_TAIL = 12000  # characters of server stderr shown on failure
NPM_REGISTRY_HOST = "registry.npmjs.org"


def server_binary():
    path = os.environ.get("SCHEMAREG_SERVER") or os.path.join(ROOT, "build", "schemareg-server")
    return os.path.abspath(path)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def child_env():
    """Environment for the server and the client scripts: never route loopback
    traffic through a proxy (axios and requests both honour *_proxy variables)."""
    env = {k: v for k, v in os.environ.items()
           if k.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")
           and not k.startswith("SCHEMA_REGISTRY_")}
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    return env


_NO_PROXY_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Server:
    def __init__(self, workdir):
        self.workdir = str(workdir)
        self.proc = None
        self.port = None
        self.log_path = os.path.join(self.workdir, "server.stderr")

    @property
    def url(self):
        return "http://%s:%d" % (HOST, self.port)

    def log(self, tail=SERVER_LOG_TAIL):
        try:
            with open(self.log_path, "rb") as f:
                text = f.read().decode("utf-8", "replace")
        except OSError:
            return "(no server log)"
        if len(text) > tail:
            text = "...(%d earlier characters cut)...\n%s" % (len(text) - tail, text[-tail:])
        return text

    def start(self, timeout=15.0):
        binary = server_binary()
        if not os.path.isfile(binary):
            pytest.fail("server binary %s does not exist: run `make build/schemareg-server` "
                        "(or set SCHEMAREG_SERVER)" % binary, pytrace=False)
        last_err = None
        for _attempt in range(3):  # a new port if the picked one was taken meanwhile
            self.port = free_port()
            db = os.path.join(self.workdir, "t.db")
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(db + suffix):
                    os.unlink(db + suffix)
            with open(self.log_path, "wb") as log:
                self.proc = subprocess.Popen(
                    [binary, "--listen", "%s:%d" % (HOST, self.port), "--db", db],
                    stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                    cwd=self.workdir, env=child_env())
            ok, last_err = self._wait_ready(timeout)
            if ok:
                return
            if self.proc.poll() is None:
                self._kill()
                break
            if "in use" not in self.log().lower():
                break
        pytest.fail("schemareg-server did not become ready (%s); its output:\n%s"
                    % (last_err, self.log()), pytrace=False)

    def _wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            rc = self.proc.poll()
            if rc is not None:
                return False, "exited with status %d during startup" % rc
            try:
                with _NO_PROXY_OPENER.open(self.url + "/", timeout=1) as resp:
                    resp.read()
                    if resp.status == 200:
                        return True, None
                    last = "GET / -> %d" % resp.status
            except urllib.error.HTTPError as e:
                last = "GET / -> %d" % e.code
            except OSError as e:
                last = "GET / failed: %s" % e
            time.sleep(0.05)
        return False, "not ready after %.0fs, last: %s" % (timeout, last)

    def _kill(self):
        try:
            self.proc.kill()
        except ProcessLookupError:
            pass
        self.proc.wait()

    def stop(self, timeout=10.0):
        """SIGTERM; returns None when it exited with 0, else a problem description."""
        if self.proc is None or self.proc.poll() is not None:
            rc = None if self.proc is None else self.proc.returncode
            if rc not in (None, 0):
                return "server had already exited with status %s" % rc
            return None
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self._kill()
            return "server did not exit within %.0fs of SIGTERM (killed)" % timeout
        if rc != 0:
            return "server exited with status %d after SIGTERM" % rc
        return None


@pytest.fixture
def server(tmp_path):
    s = Server(tmp_path)
    s.start()
    yield s
    problem = s.stop()
    if problem:
        pytest.fail("%s; server output:\n%s" % (problem, s.log()), pytrace=False)


def require_node_modules():
    missing = [pkg for pkg in ("@confluentinc/schemaregistry", "@kafkajs/confluent-schema-registry", "avsc")
               if not os.path.isfile(os.path.join(HERE, "node_modules", pkg, "package.json"))]
    if missing:
        pytest.fail("tests/interop/node_modules is missing %s: run `make deps` "
                    "(it runs `npm ci` in tests/interop)" % ", ".join(missing), pytrace=False)
    if shutil.which("node") is None:
        pytest.fail("`node` is not on PATH: run `make deps` (installs nodejs)", pytrace=False)


def run_client(server, argv, name):
    cmd = argv + [server.url]
    try:
        res = subprocess.run(cmd, cwd=HERE, env=child_env(), stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             timeout=SCRIPT_TIMEOUT)
        out, rc = res.stdout.decode("utf-8", "replace"), res.returncode
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode("utf-8", "replace")
        out += "\n(timed out after %ds)" % SCRIPT_TIMEOUT
        rc = "timeout"
    if rc != 0:
        server_alive = server.proc.poll() is None
        pytest.fail(
            "%s failed (exit %s): %s\n"
            "===== client output =====\n%s\n"
            "===== server output (%s) =====\n%s"
            % (name, rc, " ".join(cmd), out.rstrip(),
               "still running" if server_alive else "EXITED with %s" % server.proc.returncode,
               server.log()),
            pytrace=False)
    # Echoed so `pytest -s` shows what was exercised.
    sys.stdout.write(out)


def test_confluent_schemaregistry_npm(server):
    """@confluentinc/schemaregistry: client API, AvroSerializer/AvroDeserializer."""
    require_node_modules()
    run_client(server, ["node", os.path.join(HERE, "confluent.js")], "confluent.js")


def test_kafkajs_confluent_schema_registry_npm(server):
    """@kafkajs/confluent-schema-registry: register/getSchema/encode/decode."""
    require_node_modules()
    run_client(server, ["node", os.path.join(HERE, "kafkajs.js")], "kafkajs.js")


def test_python_confluent_kafka(server):
    """Debian python3-confluent-kafka: SchemaRegistryClient and legacy avro MessageSerializer."""
    if not os.path.exists(SYSTEM_PYTHON):
        pytest.fail("%s not found: run `make deps`" % SYSTEM_PYTHON, pytrace=False)
    probe = subprocess.run([SYSTEM_PYTHON, "-c",
                            "import confluent_kafka.schema_registry, confluent_kafka.avro, avro, requests"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=child_env())
    if probe.returncode != 0:
        pytest.fail("Debian python3-confluent-kafka / python3-avro / python3-requests are not importable "
                    "by %s: run `make deps`\n%s" % (SYSTEM_PYTHON, probe.stdout.decode("utf-8", "replace")),
                    pytrace=False)
    run_client(server, [SYSTEM_PYTHON, os.path.join(HERE, "python_client.py")], "python_client.py")


def test_package_lock_uses_only_the_npm_registry():
    """The committed lock file must not pin tarballs on any host but the npm registry."""
    with open(os.path.join(HERE, "package-lock.json")) as f:
        lock = json.load(f)
    assert lock.get("lockfileVersion", 0) >= 2, "package-lock.json must be lockfileVersion 2 or 3"
    bad = []
    for path, meta in lock.get("packages", {}).items():
        resolved = meta.get("resolved")
        if path and not meta.get("integrity") and not meta.get("link"):
            bad.append("%s: no integrity hash" % path)
        if resolved and not resolved.startswith("https://%s/" % NPM_REGISTRY_HOST):
            bad.append("%s: resolved from %s" % (path, resolved))
    assert not bad, "package-lock.json entries not pinned to the npm registry:\n" + "\n".join(bad)
    with open(os.path.join(HERE, "package.json")) as f:
        deps = json.load(f)["dependencies"]
    for name in ("@confluentinc/schemaregistry", "@kafkajs/confluent-schema-registry", "avsc"):
        assert name in deps, "package.json must depend on %s" % name
        assert lock["packages"].get("node_modules/" + name, {}).get("version") == deps[name], \
            "package-lock.json version of %s differs from package.json" % name
