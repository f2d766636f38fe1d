"""Helpers for the schemareg end-to-end API tests.

Black-box: everything here speaks HTTP to a real server process started on a free
loopback port. Expectations come from /work/shared/reference/api.md (CP 7.x shapes).

The server binary is taken from $SCHEMAREG_SERVER (set by `make api`).
"""

import http.client
import json
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.parse

# --- formats -----------------------------------------------------------------
# Flip these when PROTOBUF / JSON Schema support lands; tests that depend on a
# type being (un)supported read them.
SUPPORTED_TYPES = ["AVRO", "PROTOBUF", "JSON"]
ALL_TYPES = ["AVRO", "PROTOBUF", "JSON"]
UNSUPPORTED_TYPES = [t for t in ALL_TYPES if t not in SUPPORTED_TYPES]

# --- media types ---------------------------------------------------------------
V1 = "application/vnd.schemaregistry.v1+json"
V0 = "application/vnd.schemaregistry+json"
JSON_MT = "application/json"
OCTET = "application/octet-stream"
JDK_ACCEPT = "text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2"

HOST = "127.0.0.1"


def compact(obj):
    """JSON text without whitespace, keys in insertion order (= Avro-Java order
    when the dict literal is written in that order)."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def q(subject):
    """Percent-encode a subject as one path segment (like the Java client)."""
    return urllib.parse.quote(subject, safe="")


# --- the api.md §10 schemas ------------------------------------------------------
S1 = {"type": "record", "name": "R", "fields": [{"name": "a", "type": "string"}]}
S2 = {"type": "record", "name": "R", "fields": [
    {"name": "a", "type": "string"}, {"name": "b", "type": "int", "default": 0}]}
S3 = {"type": "record", "name": "R", "fields": [
    {"name": "a", "type": "string"}, {"name": "c", "type": "int"}]}
S1_TEXT = compact(S1)
S2_TEXT = compact(S2)
S3_TEXT = compact(S3)


def rec(name, *fields, **attrs):
    """A record schema dict in Avro-Java attribute order (type, name, namespace,
    doc, fields). Fields are (name, type) tuples or dicts."""
    d = {"type": "record", "name": name}
    for k in ("namespace", "doc"):
        if k in attrs:
            d[k] = attrs.pop(k)
    fl = []
    for f in fields:
        if isinstance(f, dict):
            fl.append(f)
        else:
            fl.append({"name": f[0], "type": f[1]})
    d["fields"] = fl
    d.update(attrs)
    return d


def distinct_schema(i):
    """The i-th of a family of pairwise-different valid Avro schemas."""
    return rec("R", ("f%d" % i, "string"))


def body_for(schema, **extra):
    text = schema if isinstance(schema, str) else compact(schema)
    b = {"schema": text}
    b.update(extra)
    return b


# --- HTTP ------------------------------------------------------------------------
_UNSET = object()


class Response:
    def __init__(self, status, headers, raw, method="", path=""):
        self.status = status
        self.headers = headers
        self.raw = raw
        self.method = method
        self.path = path
        self._json = _UNSET

    @property
    def content_type(self):
        ct = self.headers.get("Content-Type")
        if ct is None:
            return None
        return ct.split(";")[0].strip().lower()

    @property
    def text(self):
        return self.raw.decode("utf-8")

    @property
    def json(self):
        if self._json is _UNSET:
            try:
                self._json = json.loads(self.raw.decode("utf-8"))
            except (ValueError, UnicodeDecodeError) as e:
                raise AssertionError("response to %s %s is not JSON (%s): %r"
                                     % (self.method, self.path, e, self.raw[:500]))
        return self._json

    def data(self):
        try:
            return self.json
        except AssertionError:
            return self.raw

    def __iter__(self):
        return iter((self.status, self.headers, self.data()))

    def __repr__(self):
        return "<%s %s -> %d %s %r>" % (self.method, self.path, self.status,
                                         self.headers.get("Content-Type"), self.raw[:600])


class Client:
    """Minimal HTTP client. Paths are sent verbatim (already percent-encoded).

    body=<obj>   JSON-encodes obj;  data=<bytes|str|iterable>  sends raw bytes.
    content_type: default V1 when a body is sent, None = no Content-Type header.
    accept: Accept header (default: none sent).
    """

    def __init__(self, host, port, timeout=20):
        self.host = host
        self.port = port
        self.timeout = timeout

    def connection(self):
        return http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)

    def request(self, method, path, body=_UNSET, data=None, content_type=_UNSET,
                accept=None, headers=None, tolerate_send_error=False, conn=None):
        payload = None
        if body is not _UNSET:
            payload = compact(body).encode("utf-8")
        elif data is not None:
            payload = data.encode("utf-8") if isinstance(data, str) else data
        if content_type is _UNSET:
            content_type = V1 if payload is not None else None
        hdrs = {}
        if content_type is not None:
            hdrs["Content-Type"] = content_type
        if accept is not None:
            hdrs["Accept"] = accept
        if headers:
            hdrs.update(headers)
        own = conn is None
        if own:
            conn = self.connection()
        try:
            try:
                conn.request(method, path, body=payload, headers=hdrs)
            except (BrokenPipeError, ConnectionResetError):
                if not tolerate_send_error:
                    raise
            resp = conn.getresponse()
            raw = resp.read()
            return Response(resp.status, resp.headers, raw, method, path)
        finally:
            if own:
                conn.close()

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=_UNSET, **kw):
        return self.request("POST", path, body=body, **kw)

    def put(self, path, body=_UNSET, **kw):
        return self.request("PUT", path, body=body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    # -- convenience wrappers that assert success ---------------------------------
    def register(self, subject, schema, query="", **extra):
        r = self.post("/subjects/%s/versions%s" % (q(subject), query),
                      body=body_for(schema, **extra))
        assert r.status == 200, r
        assert isinstance(r.json, dict) and type(r.json.get("id")) is int, r
        return r.json["id"]

    def versions(self, subject, query=""):
        r = self.get("/subjects/%s/versions%s" % (q(subject), query))
        assert r.status == 200, r
        return r.json

    def version(self, subject, version, query=""):
        r = self.get("/subjects/%s/versions/%s%s" % (q(subject), version, query))
        assert r.status == 200, r
        return r.json

    def subjects(self, query=""):
        r = self.get("/subjects" + query)
        assert r.status == 200, r
        return r.json

    def set_config(self, level, subject=None):
        path = "/config" if subject is None else "/config/" + q(subject)
        r = self.put(path, body={"compatibility": level})
        assert r.status == 200, r
        return r.json

    def set_mode(self, mode, subject=None, query=""):
        path = ("/mode" if subject is None else "/mode/" + q(subject)) + query
        r = self.put(path, body={"mode": mode})
        assert r.status == 200, r
        return r.json

    def delete_version(self, subject, version, permanent=False):
        r = self.delete("/subjects/%s/versions/%s%s" % (
            q(subject), version, "?permanent=true" if permanent else ""))
        assert r.status == 200, r
        return r.json

    def delete_subject(self, subject, permanent=False):
        r = self.delete("/subjects/%s%s" % (q(subject), "?permanent=true" if permanent else ""))
        assert r.status == 200, r
        return r.json

    def snapshot(self):
        """Everything observable about the store, for 'unchanged after a failed
        request' assertions."""
        state = {}
        subs = self.subjects("?deleted=true")
        for s in subs:
            for v in self.versions(s, "?deleted=true"):
                state[(s, v)] = self.version(s, v, "?deleted=true")
        return {
            "subjects": subs,
            "live_subjects": self.subjects(),
            "rows": state,
            "config": self.get("/config").json,
            "mode": self.get("/mode").json,
        }


def assert_error(r, status, code, content_type=V1):
    """Exact error shape: HTTP status, integer error_code, string message and
    nothing else; negotiated content type."""
    assert r.status == status, "expected HTTP %d/%d, got %r" % (status, code, r)
    body = r.json
    assert isinstance(body, dict), r
    assert set(body) == {"error_code", "message"}, "error body has extra/missing keys: %r" % r
    assert type(body["error_code"]) is int, r
    assert body["error_code"] == code, "expected error_code %d, got %r" % (code, r)
    assert isinstance(body["message"], str) and body["message"], r
    if content_type is not None:
        assert r.content_type == content_type, "error content type: %r" % r
    return body["message"]


def assert_ok(r, expected=_UNSET, content_type=V1):
    assert r.status == 200, r
    if content_type is not None:
        assert r.content_type == content_type, r
    if expected is not _UNSET:
        assert r.json == expected, "expected %r, got %r" % (expected, r)
    return r.json


# --- server process --------------------------------------------------------------
def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind((HOST, 0))
        return s.getsockname()[1]
    finally:
        s.close()


def server_binary():
    path = os.environ.get("SCHEMAREG_SERVER")
    if not path:
        here = os.path.dirname(os.path.abspath(__file__))
        path = os.path.normpath(os.path.join(here, "..", "..", "build", "schemareg-server"))
    return path


class ServerProcess:
    """One schemareg-server process.

    listen/db: passed as --listen/--db unless None. config: dict or text written to
    a properties file and passed as --config. env: extra environment variables
    (every inherited SCHEMA_REGISTRY_* variable is removed first).
    """

    def __init__(self, workdir, port=None, db=_UNSET, listen=True, config=None, env=None,
                 args=None):
        self.workdir = str(workdir)
        os.makedirs(self.workdir, exist_ok=True)
        self.port = port if port is not None else free_port()
        self.db = os.path.join(self.workdir, "t.db") if db is _UNSET else db
        self.listen = listen
        self.config = config
        self.env = env or {}
        self.args = list(args or [])
        self.proc = None
        self.log_path = None
        self.config_path = None
        self._starts = 0

    def command(self):
        cmd = [server_binary()]
        if self.listen:
            cmd += ["--listen", "%s:%d" % (HOST, self.port)]
        if self.db is not None:
            cmd += ["--db", self.db]
        if self.config is not None:
            self.config_path = os.path.join(self.workdir, "server.properties")
            text = self.config
            if isinstance(text, dict):
                text = "".join("%s=%s\n" % kv for kv in text.items())
            with open(self.config_path, "w") as f:
                f.write(text)
            cmd += ["--config", self.config_path]
        return cmd + self.args

    def start(self, timeout=10.0):
        binary = server_binary()
        if not os.path.exists(binary):
            raise AssertionError("server binary %s does not exist (set SCHEMAREG_SERVER or "
                                 "run `make build/schemareg-server`)" % binary)
        env = {k: v for k, v in os.environ.items() if not k.startswith("SCHEMA_REGISTRY_")}
        env.update(self.env)
        self._starts += 1
        self.log_path = os.path.join(self.workdir, "server-%d.log" % self._starts)
        log = open(self.log_path, "wb")
        try:
            self.proc = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, env=env, cwd=self.workdir)
        finally:
            log.close()
        self.wait_ready(timeout)
        return self

    def log(self):
        if not self.log_path or not os.path.exists(self.log_path):
            return ""
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")[-4000:]

    def wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            rc = self.proc.poll()
            if rc is not None:
                raise AssertionError("server exited with %d during startup; output:\n%s"
                                     % (rc, self.log()))
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=1)
                conn.request("GET", "/")
                resp = conn.getresponse()
                resp.read()
                conn.close()
                if resp.status == 200:
                    return
                last = "GET / -> %d" % resp.status
            except OSError as e:
                last = repr(e)
            time.sleep(0.02)
        self.kill()
        raise AssertionError("server not ready after %.0fs (%s); output:\n%s"
                             % (timeout, last, self.log()))

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=5.0):
        """SIGTERM; returns the exit status. Raises if it does not exit in time."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError("server did not exit within %.0fs of SIGTERM; output:\n%s"
                                 % (timeout, self.log()))
        return rc

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def client(self):
        return Client(HOST, self.port)


def run_threads(n, fn):
    """Run fn(i) for i in range(n) in n threads started together; returns the results
    in index order (exceptions are re-raised)."""
    barrier = threading.Barrier(n)
    results = [None] * n
    errors = [None] * n

    def worker(i):
        try:
            barrier.wait(timeout=10)
            results[i] = fn(i)
        except BaseException as e:  # noqa: BLE001 - re-raised below
            errors[i] = e

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    for e in errors:
        if e is not None:
            raise e
    return results
