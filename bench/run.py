#!/usr/bin/python3
"""schemareg benchmark harness (`make bench`). Standard library only.

One run measures, on loopback only:
  a. GET /schemas/ids/{id} throughput and latency of schemareg (10,000 schemas)
     against bench/bare_server (the physical limit of an MHD GET on this
     machine), with identical wrk settings: bare, ours, bare.
  b. durable registrations per second (wrk + Lua, a distinct schema per request)
  c. POST /subjects/{s} lookups per second (wrk, fixed body of a registered schema)
  b+, c+ the same two figures for one schema shape (50 fields, nested types, types
     from other subjects through `references`) in Avro, Protobuf (3 imports) and
     JSON Schema, same wrk settings, on the same server
  d. start-up time with 100,000 schemas vs an empty database (median of 5 each)
  e. VmRSS of the server after serving GET /schemas/ids/{id} for all 100,000 ids

The report goes to stdout and to $SCHEMAREG_BENCH/report.txt. A missed target
is reported as MISS and does not fail the run; the exit status is 1 only when
a figure could not be measured (server failed to start or crashed, requests
failed, tool missing). See bench/README.md.

Environment (set by `make bench`):
  SCHEMAREG_SERVER  path to build/schemareg-server
  SCHEMAREG_BENCH   directory holding bare_server; report.txt is written there
"""

import argparse
import http.client
import itertools
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback

# --- targets ------------------------------------------------------------------
TARGET_GET_RATIO = 0.8      # ours / bare, GET /schemas/ids/{id}
TARGET_STARTUP_RATIO = 1.5  # start-up 100k / empty
TARGET_RSS_MIB = 64.0       # VmRSS after GET of every id of 100k schemas

CT = "application/vnd.schemaregistry.v1+json"
CLK_TCK = os.sysconf("SC_CLK_TCK")

# A wrk run during which other processes used more than this share of the
# machine's CPU (or the hypervisor stole it) is flagged as noisy in the report.
OTHER_CPU_WARN = 0.10
NOISY = []

# --- output -------------------------------------------------------------------
_log_lines = []
_t0 = time.monotonic()


def say(msg=""):
    """Print a line of the report (and keep it for report.txt)."""
    print(msg, flush=True)
    _log_lines.append(msg)


def step(msg):
    say("[%6.1fs] %s" % (time.monotonic() - _t0, msg))


ISSUES = []  # things that looked wrong: failed requests, crashes, growth


def issue(msg):
    ISSUES.append(msg)
    step("ISSUE: " + msg)


class BenchError(Exception):
    pass


# --- helpers ------------------------------------------------------------------
def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def rss_kib(pid):
    """(VmRSS, VmHWM) in KiB from /proc/<pid>/status."""
    rss = hwm = None
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                elif line.startswith("VmHWM:"):
                    hwm = int(line.split()[1])
    except OSError:
        pass
    return rss, hwm


def mib(kib):
    return kib / 1024.0 if kib is not None else float("nan")


def http_status(port, timeout=0.5):
    """One GET / over a fresh connection; the status code, or None."""
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    except OSError:
        return None
    try:
        s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        data = b""
        while b"\r\n" not in data:
            chunk = s.recv(256)
            if not chunk:
                break
            data += chunk
        m = re.match(rb"HTTP/1\.[01] (\d{3})", data)
        return int(m.group(1)) if m else None
    except OSError:
        return None
    finally:
        s.close()


def tail(path, n=15):
    try:
        with open(path, "rb") as f:
            f.seek(0, 2)
            size = f.tell()
            f.seek(max(0, size - 8192))
            lines = f.read().decode("utf-8", "replace").splitlines()
        return "\n".join("    | " + l for l in lines[-n:])
    except OSError:
        return "    | (no log)"


LIVE = []  # every Proc started; main() kills whatever is still running at the end


class Proc:
    """A server process on 127.0.0.1:port with its output in a log file."""

    def __init__(self, name, argv, port, logpath):
        self.name, self.argv, self.port, self.logpath = name, argv, port, logpath
        self.p = None
        self.ready_s = None

    def start(self, timeout=60.0):
        LIVE.append(self)
        logf = open(self.logpath, "ab")
        t0 = time.perf_counter()
        self.p = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=logf,
                                  stderr=logf, close_fds=True)
        logf.close()
        deadline = t0 + timeout
        while True:
            st = http_status(self.port)
            if st == 200:
                self.ready_s = time.perf_counter() - t0
                return self.ready_s
            if self.p.poll() is not None:
                raise BenchError("%s exited with status %s before answering 200 on GET /\n%s"
                                 % (self.name, self.p.returncode, tail(self.logpath)))
            if time.perf_counter() > deadline:
                self.kill()
                raise BenchError("%s did not answer 200 on GET / within %.0fs\n%s"
                                 % (self.name, timeout, tail(self.logpath)))
            time.sleep(0.0005)

    @property
    def pid(self):
        return self.p.pid

    def alive(self):
        return self.p is not None and self.p.poll() is None

    def check_alive(self, when):
        if not self.alive():
            raise BenchError("%s died (status %s) %s\n%s"
                             % (self.name, self.p.returncode, when, tail(self.logpath)))

    def rss(self):
        return rss_kib(self.p.pid)

    def stop(self, timeout=15.0):
        """SIGTERM; returns seconds to exit. Records an issue on an unclean stop."""
        if self.p is None or self.p.poll() is not None:
            return None
        t0 = time.perf_counter()
        self.p.send_signal(signal.SIGTERM)
        try:
            rc = self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            issue("%s did not exit within %.0fs of SIGTERM; killed" % (self.name, timeout))
            self.kill()
            return None
        dt = time.perf_counter() - t0
        if rc != 0:
            issue("%s exited with status %s after SIGTERM" % (self.name, rc))
        return dt

    def kill(self):
        if self.p is not None and self.p.poll() is None:
            self.p.kill()
            self.p.wait()


# --- schemas ------------------------------------------------------------------
def avro_schema(i, ns="bench.load"):
    """A distinct ~300-byte Avro record schema for index i (compact JSON text)."""
    return json.dumps({
        "type": "record",
        "name": "Rec%d" % i,
        "namespace": ns,
        "doc": "benchmark schema %d" % i,
        "fields": [
            {"name": "id", "type": "long"},
            {"name": "name", "type": "string"},
            {"name": "score", "type": "double", "default": 0.0},
            {"name": "tags", "type": {"type": "array", "items": "string"}, "default": []},
            {"name": "f%d" % i, "type": ["null", "int"], "default": None},
        ],
    }, separators=(",", ":"))


def load_subject(i):
    # 1,000 subjects; 10 versions each for 10k schemas, 100 each for 100k
    return "bench-load-%d" % (i % 1000)


# --- the same-shape schemas of the three formats (figures b+ and c+) ---------------
# Each is a top-level record/message/object of 50 fields (properties) with nested
# records, arrays, maps and enums, plus types taken from other subjects through
# `references`. TOKEN in the text is replaced by a per-request unique token
# (run nonce + wrk thread + counter), so every registration is a new schema: it
# names the record/message/title and one field.
TOKEN = "ZQTOKENQZ"

AV_REFS = [  # (reference name, subject, schema text)
    ("bench.common.Address", "bench-ref-avro-address", json.dumps({
        "type": "record", "name": "Address", "namespace": "bench.common",
        "fields": [{"name": "street", "type": "string"}, {"name": "city", "type": "string"},
                   {"name": "postalCode", "type": ["null", "string"], "default": None},
                   {"name": "country", "type": "string", "default": "NL"}]},
        separators=(",", ":"))),
]


def avro50_schema(tok):
    """Avro record of 50 fields: nested records, enums, an array, a map, unions and a
    field of a type from another subject (bench.common.Address)."""
    f = [{"name": "id", "type": "long"}, {"name": "name", "type": "string"},
         {"name": "homeAddress", "type": "bench.common.Address"},
         {"name": "workAddress", "type": ["null", "bench.common.Address"], "default": None},
         {"name": "total", "type": {"type": "record", "name": "Money", "fields": [
             {"name": "units", "type": "long"}, {"name": "nanos", "type": "int"},
             {"name": "currency", "type": {"type": "enum", "name": "Currency",
                                           "symbols": ["EUR", "USD", "GBP"]}}]}},
         {"name": "meta", "type": {"type": "record", "name": "Meta", "fields": [
             {"name": "source", "type": "string"},
             {"name": "createdMs", "type": {"type": "long", "logicalType": "timestamp-millis"}},
             {"name": "labels", "type": {"type": "map", "values": "string"}, "default": {}}]}},
         {"name": "items", "type": {"type": "array", "items": {
             "type": "record", "name": "Item", "fields": [
                 {"name": "sku", "type": "string"}, {"name": "quantity", "type": "int"},
                 {"name": "price", "type": "Money"}]}}},
         {"name": "tags", "type": {"type": "array", "items": "string"}, "default": []},
         {"name": "kind", "type": {"type": "enum", "name": "Kind", "symbols": ["A", "B", "C"]},
          "default": "A"}]
    types = ["int", "long", "string", "double", "boolean", ["null", "string"], "float", "bytes"]
    k = 0
    while len(f) < 49:
        t = types[k % len(types)]
        fd = {"name": "field%d" % k, "type": t}
        if isinstance(t, list):
            fd["default"] = None
        f.append(fd)
        k += 1
    f.append({"name": "f" + tok, "type": ["null", "int"], "default": None})
    return json.dumps({"type": "record", "name": "R" + tok, "namespace": "bench.avro",
                       "doc": "benchmark schema " + tok, "fields": f}, separators=(",", ":"))


PB_REFS = [
    ("bench/address.proto", "bench-ref-pb-address", """syntax = "proto3";
package bench.common;

message Address {
  string street = 1;
  string city = 2;
  string postal_code = 3;
  string country = 4;
}
"""),
    ("bench/money.proto", "bench-ref-pb-money", """syntax = "proto3";
package bench.common;

enum Currency {
  CURRENCY_UNSPECIFIED = 0;
  EUR = 1;
  USD = 2;
  GBP = 3;
}

message Money {
  int64 units = 1;
  int32 nanos = 2;
  Currency currency = 3;
}
"""),
    ("bench/meta.proto", "bench-ref-pb-meta", """syntax = "proto3";
package bench.common;

message Meta {
  string source = 1;
  int64 created_ms = 2;
  map<string, string> labels = 3;
}
"""),
]


def protobuf_schema(tok):
    """proto3 file importing the three PB_REFS files; one message of 50 fields (messages
    and an enum from the imports, a nested message and enum, repeated, map, oneof)."""
    scalars = ["int32", "int64", "uint32", "uint64", "sint32", "sint64", "bool", "string",
               "bytes", "double", "float", "fixed32", "fixed64", "sfixed32", "sfixed64"]
    lines = ['syntax = "proto3";', "package bench.pb;", ""]
    lines += ['import "%s";' % name for name, _, _ in PB_REFS]
    lines += ["", "// benchmark message %s: 50 fields, 3 imports" % tok, "message M%s {" % tok,
              "  enum Kind {", "    KIND_UNSPECIFIED = 0;", "    KIND_A = 1;", "    KIND_B = 2;",
              "  }", "  message Item {", "    string sku = 1;", "    int32 quantity = 2;",
              "    bench.common.Money price = 3;", "  }"]
    fields = ["bench.common.Address home_address", "bench.common.Address work_address",
              "bench.common.Money total", "bench.common.Meta meta",
              "bench.common.Currency currency", "Kind kind", "repeated Item items",
              "map<string, int64> counters", "repeated string tags"]
    k = 0
    while len(fields) < 48:
        fields.append("%s field_%d" % (scalars[k % len(scalars)], k))
        k += 1
    lines += ["  %s = %d;" % (f, i) for i, f in enumerate(fields, 1)]
    lines += ["  oneof choice {", "    string choice_text = 49;", "    int64 f%s = 50;" % tok,
              "  }", "}", ""]
    return "\n".join(lines)


JS_DRAFT7 = "http://json-schema.org/draft-07/schema#"
JS_REFS = [
    ("address.json", "bench-ref-json-address", json.dumps({
        "$schema": JS_DRAFT7, "title": "Address", "type": "object",
        "properties": {"street": {"type": "string"}, "city": {"type": "string"},
                       "postalCode": {"type": "string", "pattern": "^[0-9A-Z -]{3,10}$"},
                       "country": {"type": "string", "minLength": 2, "maxLength": 2}},
        "required": ["street", "city"], "additionalProperties": False},
        separators=(",", ":"))),
]


def json_schema(tok):
    """Draft-07 object of 50 properties, closed: nested objects (two levels), arrays of
    objects, enums, a map-like object, and two $ref to address.json (another subject)."""
    props = {
        "id": {"type": "integer", "minimum": 0},
        "name": {"type": "string", "maxLength": 200},
        "homeAddress": {"$ref": "address.json"},
        "workAddress": {"$ref": "address.json"},
        "total": {"type": "object", "properties": {
            "units": {"type": "integer"}, "nanos": {"type": "integer"},
            "currency": {"type": "string", "enum": ["EUR", "USD", "GBP"]}},
            "required": ["units", "currency"], "additionalProperties": False},
        "meta": {"type": "object", "properties": {
            "source": {"type": "string"}, "createdMs": {"type": "integer"},
            "labels": {"type": "object", "additionalProperties": {"type": "string"}},
            "origin": {"type": "object", "properties": {
                "host": {"type": "string"},
                "port": {"type": "integer", "minimum": 1, "maximum": 65535}}}}},
        "items": {"type": "array", "items": {"type": "object", "properties": {
            "sku": {"type": "string"}, "quantity": {"type": "integer", "minimum": 1},
            "price": {"type": "number"}}, "required": ["sku"]}},
        "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
        "kind": {"type": "string", "enum": ["A", "B", "C"]},
    }
    types = [{"type": "integer"}, {"type": "string"}, {"type": "number"}, {"type": "boolean"},
             {"type": ["null", "string"]}, {"type": "string", "format": "date-time"}]
    k = 0
    while len(props) < 49:
        props["field%d" % k] = types[k % len(types)]
        k += 1
    props["f" + tok] = {"type": "integer"}
    return json.dumps({"$schema": JS_DRAFT7, "title": "R" + tok,
                       "description": "benchmark schema " + tok, "type": "object",
                       "properties": props, "required": ["id", "name"],
                       "additionalProperties": False}, separators=(",", ":"))


def _reformat_json(text):
    return json.dumps(json.loads(text), indent=2)


def _reformat_proto(text):
    return "/* reformatted */\n" + text.replace(" = ", "  =  ").replace(";\n", " ;\n\n")


# One entry per format of the same-shape comparison, in the order they are measured.
FORMAT_BENCH = [
    {"key": "avro50", "name": "Avro", "type": None, "shape": "50 fields + 1 ref",
     "refs": AV_REFS, "schema": avro50_schema, "reformat": _reformat_json,
     "prefix": "wrk-av50-"},
    {"key": "protobuf", "name": "Protobuf", "type": "PROTOBUF", "shape": "50 fields + 3 imports",
     "refs": PB_REFS, "schema": protobuf_schema, "reformat": _reformat_proto,
     "prefix": "wrk-pb-"},
    {"key": "json", "name": "JSON Schema", "type": "JSON", "shape": "50 props + 1 ref",
     "refs": JS_REFS, "schema": json_schema, "reformat": _reformat_json,
     "prefix": "wrk-js-"},
]


def format_body(spec, text, ref_versions):
    """The registration / lookup request body for `text` of format `spec`."""
    body = {"schema": text}
    if spec["type"]:
        body["schemaType"] = spec["type"]
    body["references"] = [{"name": n, "subject": s, "version": ref_versions[s]}
                          for n, s, _ in spec["refs"]]
    return json.dumps(body)


class HttpClient:
    """One keep-alive connection, reconnecting after connection errors."""

    def __init__(self, port):
        self.port = port
        self.c = None

    def request(self, method, path, body=None):
        for attempt in (0, 1):
            if self.c is None:
                self.c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                hdrs = {"Content-Type": CT} if body is not None else {}
                self.c.request(method, path, body=body, headers=hdrs)
                r = self.c.getresponse()
                data = r.read()
                if r.getheader("Connection", "").lower() == "close":
                    self.c.close()
                    self.c = None
                return r.status, data
            except (OSError, http.client.HTTPException):
                self.c.close()
                self.c = None
                if attempt == 1:
                    raise
        raise AssertionError("unreachable")

    def close(self):
        if self.c is not None:
            self.c.close()


def parallel(n_items, threads, work, deadline=None):
    """Run work(client_state, i) for i in range(n_items) over `threads` threads.
    Returns (done_count, elapsed_s). work returns nothing; it records results."""
    counter = itertools.count()
    done = [0] * threads
    errors = []

    def run(t):
        try:
            while True:
                i = next(counter)
                if i >= n_items:
                    return
                if deadline is not None and time.monotonic() > deadline:
                    return
                work(t, i)
                done[t] += 1
        except Exception as e:  # connection refused after a crash, etc.
            errors.append("%s: %s" % (type(e).__name__, e))

    t0 = time.perf_counter()
    ths = [threading.Thread(target=run, args=(t,), daemon=True) for t in range(threads)]
    for th in ths:
        th.start()
    for th in ths:
        th.join()
    elapsed = time.perf_counter() - t0
    if errors:
        issue("%d loader thread(s) stopped on an exception, first: %s" % (len(errors), errors[0]))
    return sum(done), elapsed


def register_many(port, n, threads, deadline=None, label="register"):
    """Register schemas 0..n-1 (avro_schema(i) under load_subject(i)).
    Returns (ids list with None for failures, elapsed seconds)."""
    ids = [None] * n
    statuses = {}
    first_err = {}
    clients = [HttpClient(port) for _ in range(threads)]
    lock = threading.Lock()

    def work(t, i):
        body = json.dumps({"schema": avro_schema(i)})
        st, data = clients[t].request("POST", "/subjects/%s/versions" % load_subject(i), body)
        if st == 200:
            try:
                ids[i] = int(json.loads(data)["id"])
            except (ValueError, KeyError, TypeError):
                st = "200-bad-body"
        if st != 200:
            with lock:
                statuses[st] = statuses.get(st, 0) + 1
                first_err.setdefault(st, data[:300])

    progress_stop = threading.Event()

    def progress():
        while not progress_stop.wait(15):
            k = sum(1 for x in ids if x is not None)
            step("  %s: %d / %d registered" % (label, k, n))

    pt = threading.Thread(target=progress, daemon=True)
    pt.start()
    _, elapsed = parallel(n, threads, work, deadline)
    progress_stop.set()
    for c in clients:
        c.close()
    for st, cnt in sorted(statuses.items(), key=lambda kv: str(kv[0])):
        issue("%s: %d request(s) answered %s, e.g. %r" % (label, cnt, st, first_err[st]))
    return ids, elapsed


def get_all(port, ids, threads):
    """GET /schemas/ids/{id} for every id once. Returns (ok, failures, elapsed)."""
    clients = [HttpClient(port) for _ in range(threads)]
    bad = []
    lock = threading.Lock()

    def work(t, i):
        st, data = clients[t].request("GET", "/schemas/ids/%d" % ids[i])
        ok = st == 200
        if ok:
            try:
                ok = isinstance(json.loads(data).get("schema"), str)
            except ValueError:
                ok = False
        if not ok:
            with lock:
                bad.append((ids[i], st, data[:200]))

    done, elapsed = parallel(len(ids), threads, work)
    for c in clients:
        c.close()
    return done - len(bad), bad, elapsed


# --- wrk ----------------------------------------------------------------------
LUA_GET_IDS = r"""
-- GET <prefix><id>, id uniformly at random from the ids file (one per line)
local prefix = %(prefix)s
local ids_file = %(ids_file)s
local ids, n = {}, 0
local nthreads = 0
function setup(thread)
  nthreads = nthreads + 1
  thread:set("tid", nthreads)
end
function init(args)
  for line in io.lines(ids_file) do n = n + 1; ids[n] = line end
  math.randomseed(tid * 1000003 + os.time())
end
function request()
  return wrk.format("GET", prefix .. ids[math.random(n)])
end
"""

LUA_REGISTER = r"""
-- POST /subjects/wrk-reg-<tid>-<k>/versions with a distinct Avro record per request:
-- the record name carries a run nonce, the wrk thread number and a counter.
local nonce = %(nonce)s
local nthreads = 0
local n = 0
function setup(thread)
  nthreads = nthreads + 1
  thread:set("tid", nthreads)
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/vnd.schemaregistry.v1+json"
function request()
  n = n + 1
  local name = "W" .. nonce .. "_" .. tid .. "_" .. n
  local body = [[{"schema":"{\"type\":\"record\",\"name\":\"]] .. name ..
    [[\",\"namespace\":\"bench.wrk\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"},]] ..
    [[{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"f]] .. n ..
    [[\",\"type\":[\"null\",\"int\"],\"default\":null}]}"}]]
  return wrk.format(nil, "/subjects/wrk-reg-" .. tid .. "-" .. (n %% 64) .. "/versions", nil, body)
end
"""

LUA_FIXED_POST = r"""
-- the same POST body on every request (read once from a file)
local f = assert(io.open(%(body_file)s, "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/vnd.schemaregistry.v1+json"
"""

LUA_REGISTER_TEMPLATE = r"""
-- POST /subjects/<prefix><tid>-<k>/versions, k = counter mod 64, with a distinct schema per
-- request: the body is `parts` joined with a token made of the run nonce, the wrk thread
-- number and a counter (it names the record / message / title and one field).
local nonce = %(nonce)s
local prefix = %(prefix)s
local parts = {%(parts)s}
local nthreads = 0
local n = 0
function setup(thread)
  nthreads = nthreads + 1
  thread:set("tid", nthreads)
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/vnd.schemaregistry.v1+json"
function request()
  n = n + 1
  local body = table.concat(parts, nonce .. "_" .. tid .. "_" .. n)
  return wrk.format(nil, prefix .. tid .. "-" .. (n %% 64) .. "/versions", nil, body)
end
"""


def lua_str(s):
    return json.dumps(s)  # a JSON string literal is a valid Lua string literal here


def _latency_ms(val, unit):
    return float(val) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def steal_jiffies():
    """Jiffies the hypervisor stole from this machine, from /proc/stat."""
    with open("/proc/stat") as f:
        v = f.readline().split()[1:]
    return int(v[7]) if len(v) > 7 else 0


def user_processes_cpu(exclude):
    """{pid: (start time, utime + stime seconds)} for every user-space process
    (kernel threads, whose parent is kthreadd, are left out) except `exclude`."""
    out = {}
    for d in os.listdir("/proc"):
        if not d.isdigit() or int(d) in exclude:
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] in ("0", "2") or d == "2":  # ppid 2: kernel thread
            continue
        out[int(d)] = (fields[19], (int(fields[11]) + int(fields[12])) / CLK_TCK)
    return out


def process_cpu_s(pid):
    """utime + stime of process `pid` (all threads) in seconds, or None."""
    if not pid:
        return None
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def other_cpu_s(before, after):
    """CPU seconds used between two user_processes_cpu snapshots (processes that
    started and ended in between are missed)."""
    total = 0.0
    for pid, (start, cpu) in after.items():
        b = before.get(pid)
        total += cpu - b[1] if b and b[0] == start else cpu
    return total


def wrk(url, script, args, label, pid=None, measured=True):
    """Run wrk; returns a dict with rps, p50, p99 (ms), requests, non2xx, sockerr, and
    `other`: the share of the machine's CPU used during the run by user-space
    processes other than wrk, this script and the server `pid` (another job on the
    box makes the figures unreliable), and `steal`: the hypervisor's share."""
    cmd = ["wrk", "-t%d" % args.wrk_threads, "-c%d" % args.wrk_conns,
           "-d%ds" % args.duration, "--latency", "-s", script, url]
    step("%s: %s" % (label, " ".join(cmd)))
    exclude = {os.getpid()} | ({pid} if pid else set())
    snap0, steal0 = user_processes_cpu(exclude), steal_jiffies()
    srv0 = process_cpu_s(pid)
    t0 = time.monotonic()
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=args.duration + 60)
    wall = time.monotonic() - t0
    snap1, steal1 = user_processes_cpu(exclude), steal_jiffies()  # wrk has exited by now
    srv1 = process_cpu_s(pid)
    capacity = (os.cpu_count() or 1) * wall
    other = other_cpu_s(snap0, snap1) / capacity
    steal = (steal1 - steal0) / CLK_TCK / capacity
    out = r.stdout
    if r.returncode != 0 or "Requests/sec" not in out:
        raise BenchError("wrk failed (%s): %s %s" % (r.returncode, out[-500:], r.stderr[-500:]))
    res = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}
    m = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", out)
    res["requests"] = int(m.group(1))
    for pct, key in (("50", "p50"), ("99", "p99")):
        m = re.search(r"^\s+%s%%\s+([\d.]+)(us|ms|s)\s*$" % pct, out, re.M)
        res[key] = _latency_ms(m.group(1), m.group(2)) if m else float("nan")
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    res["non2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    res["sockerr"] = tuple(int(x) for x in m.groups()) if m else (0, 0, 0, 0)
    res["ok_rps"] = res["rps"] * (res["requests"] - res["non2xx"]) / max(1, res["requests"])
    res["other"], res["steal"] = other, steal
    # CPU time of the server per 2xx answer (all its threads, user + system): a measure
    # of the work per request that drifts less than req/s when the machine is noisy.
    ok = res["requests"] - res["non2xx"]
    res["cpu_us"] = (srv1 - srv0) * 1e6 / ok if srv0 is not None and srv1 is not None and ok \
        else float("nan")
    step("  %s: %.0f req/s, p50 %.2f ms, p99 %.2f ms, %d requests, non-2xx %d, socket errors %s;"
         "%s other CPU %.0f%%, steal %.0f%%"
         % (label, res["rps"], res["p50"], res["p99"], res["requests"], res["non2xx"],
            "c%d r%d w%d t%d" % res["sockerr"],
            " server CPU %.0f us/request;" % res["cpu_us"] if pid else "", other * 100,
            steal * 100))
    if measured and (other > OTHER_CPU_WARN or steal > OTHER_CPU_WARN):
        NOISY.append("%s (other %.0f%%, steal %.0f%%)" % (label, other * 100, steal * 100))
    if res["non2xx"]:
        issue("%s: %d of %d responses were not 2xx" % (label, res["non2xx"], res["requests"]))
    if any(res["sockerr"]):
        issue("%s: wrk socket errors connect %d, read %d, write %d, timeout %d"
              % ((label,) + res["sockerr"]))
    return res


# --- the run ------------------------------------------------------------------
class Table:
    def __init__(self):
        self.rows = []

    def add(self, figure, value, target="", result=""):
        self.rows.append((figure, value, target, result))

    def render(self):
        hdr = ("figure", "value", "target", "result")
        rows = [hdr] + self.rows
        w = [max(len(r[i]) for r in rows) for i in range(4)]
        out = []
        for k, r in enumerate(rows):
            out.append("  ".join(r[i].ljust(w[i]) for i in range(4)).rstrip())
            if k == 0:
                out.append("  ".join("-" * w[i] for i in range(4)))
        return "\n".join(out)


def verdict(ok):
    return "PASS" if ok else "MISS"


def environment(server):
    say("schemareg benchmark  %s" % time.strftime("%Y-%m-%d %H:%M:%S %Z"))
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    say("machine: %s, %d cores, %s, Linux %s" % (cpu, os.cpu_count() or 0,
                                                  platform.machine(), platform.release()))
    try:
        v = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
        say("wrk: %s" % v.splitlines()[0].strip())
    except (OSError, IndexError):
        pass
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    try:
        rev = subprocess.run(["git", "-C", root, "describe", "--always", "--dirty"],
                             capture_output=True, text=True).stdout.strip()
    except OSError:
        rev = "?"
    st = os.stat(server)
    say("server: %s (git %s, built %s)" % (server, rev or "?",
                                           time.strftime("%Y-%m-%d %H:%M:%S",
                                                         time.localtime(st.st_mtime))))


def load_small(args, ours, results, rss_trace):
    """PUT /config NONE, then register args.small distinct Avro schemas (the 10k load)
    with the Python loader and spot-check them. Returns the ids."""
    c = HttpClient(ours.port)
    st, data = c.request("PUT", "/config", json.dumps({"compatibility": "NONE"}))
    if st != 200:
        issue("PUT /config NONE answered %s %r" % (st, data[:200]))
    c.close()

    step("registering %d distinct Avro schemas over %d keep-alive connections "
         "(Python http.client threads)" % (args.small, args.load_threads))
    ids, el = register_many(ours.port, args.small, args.load_threads, label="load 10k")
    ok_ids = [x for x in ids if x is not None]
    rate = len(ok_ids) / el if el else 0
    step("  %d registered in %.1fs = %.0f/s; %d distinct ids (min %s, max %s)"
         % (len(ok_ids), el, rate, len(set(ok_ids)), min(ok_ids, default="-"),
            max(ok_ids, default="-")))
    results["load10k_rate"] = rate
    if len(set(ok_ids)) != len(ok_ids):
        issue("load 10k: distinct schemas got %d ids for %d registrations"
              % (len(set(ok_ids)), len(ok_ids)))
    if len(ok_ids) < args.small * 0.99:
        raise BenchError("only %d of %d registrations succeeded" % (len(ok_ids), args.small))
    ours.check_alive("while registering")
    rss_trace.append(("10k registered", ours.rss()[0]))

    # Spot check: registered content reads back, and re-registering is idempotent.
    c = HttpClient(ours.port)
    for i in (0, args.small // 2, args.small - 1):
        if ids[i] is None:
            continue
        st, data = c.request("GET", "/schemas/ids/%d" % ids[i])
        ok = st == 200 and ("Rec%d" % i) in json.loads(data).get("schema", "")
        if not ok:
            issue("GET /schemas/ids/%d answered %s %r" % (ids[i], st, data[:200]))
    st, data = c.request("POST", "/subjects/%s/versions" % load_subject(0),
                         json.dumps({"schema": avro_schema(0)}))
    if st != 200 or json.loads(data).get("id") != ids[0]:
        issue("re-registering schema 0 answered %s %r (want id %s)" % (st, data[:200], ids[0]))
    c.close()
    return ids


def count_versions(port, prefix, nthreads):
    """Versions stored under the wrk registration subjects <prefix><tid>-<k>."""
    c = HttpClient(port)
    stored = 0
    for t in range(1, nthreads + 1):
        for k in range(64):
            st, data = c.request("GET", "/subjects/%s%d-%d/versions" % (prefix, t, k))
            if st == 200:
                stored += len(json.loads(data))
    c.close()
    return stored


def check_stored(r, stored, args, label):
    ok_regs = r["requests"] - r["non2xx"]
    step("  versions stored under the wrk subjects: %d (wrk counted %d successful answers; "
         "up to %d more may have been in flight when wrk stopped)"
         % (stored, ok_regs, args.wrk_conns))
    if not ok_regs <= stored <= ok_regs + args.wrk_conns:
        issue("%s: %d versions stored for %d successful answers" % (label, stored, ok_regs))


def measure_avro_reg(args, tmp, ours, results, rss_trace):
    """b. registrations per second, durable, distinct small Avro records."""
    reg_lua = os.path.join(tmp, "register.lua")
    with open(reg_lua, "w") as f:
        f.write(LUA_REGISTER % {"nonce": lua_str("%x" % (int(time.time()) & 0xffffff))})
    r = wrk("http://127.0.0.1:%d" % ours.port, reg_lua, args, "register ours", ours.pid)
    ours.check_alive("during the registration run")
    rss_trace.append(("after register wrk", ours.rss()[0]))
    results["reg"] = r
    # Every 2xx must be a new version: count the versions of the wrk subjects.
    check_stored(r, count_versions(ours.port, "wrk-reg-", args.wrk_threads), args,
                 "registration run")


def measure_avro_lookup(args, tmp, ours, bare, ids, results, rss_trace):
    """c. lookups: POST /subjects/{s} with a fixed, registered schema (and the same POST
    on bare_server when it runs)."""
    k = args.small // 2
    body_file = os.path.join(tmp, "lookup-body.json")
    with open(body_file, "w") as f:
        f.write(json.dumps({"schema": avro_schema(k)}))
    c = HttpClient(ours.port)
    st, data = c.request("POST", "/subjects/%s" % load_subject(k), open(body_file).read())
    c.close()
    if st != 200 or json.loads(data).get("id") != ids[k]:
        issue("lookup POST /subjects/%s answered %s %r (want id %s)"
              % (load_subject(k), st, data[:200], ids[k]))
    lk_lua = os.path.join(tmp, "lookup.lua")
    with open(lk_lua, "w") as f:
        f.write(LUA_FIXED_POST % {"body_file": lua_str(body_file)})
    lk = wrk("http://127.0.0.1:%d/subjects/%s" % (ours.port, load_subject(k)), lk_lua, args,
             "lookup ours", ours.pid)
    ours.check_alive("during the lookup run")
    rss_trace.append(("after lookup wrk", ours.rss()[0]))
    bp = None
    if bare is not None:
        bp = wrk("http://127.0.0.1:%d/subjects/%s" % (bare.port, load_subject(k)), lk_lua, args,
                 "same POST, bare", bare.pid)
    results["lookup"] = (lk, bp)


def prepare_format(args, tmp, ours, spec):
    """Register the reference subjects of `spec`, check its benchmark schema (registers,
    is idempotent, reads back, is found by lookup also when reformatted) and write the
    lookup script. Returns (body parts split at TOKEN, lookup subject, lookup script)."""
    name = "%s %s" % (spec["name"], spec["shape"])
    c = HttpClient(ours.port)
    try:
        ref_versions = {}
        for ref_name, subj, text in spec["refs"]:
            body = {"schema": text}
            if spec["type"]:
                body["schemaType"] = spec["type"]
            body = json.dumps(body)
            st, data = c.request("POST", "/subjects/%s/versions" % subj, body)
            if st == 200:
                st, data = c.request("POST", "/subjects/%s" % subj, body)
            if st != 200:
                raise BenchError("%s: registering the reference %s under %s answered %s %r"
                                 % (name, ref_name, subj, st, data[:300]))
            ref_versions[subj] = json.loads(data)["version"]

        # The registration body, split at the token for the Lua script; checked here
        # first with the token "check".
        template = format_body(spec, spec["schema"](TOKEN), ref_versions)
        if not all(32 <= ord(ch) < 127 for ch in template):
            raise BenchError("%s: the request body must be printable ASCII" % name)
        check = template.replace(TOKEN, "check")
        subj = spec["prefix"] + "check"
        st, data = c.request("POST", "/subjects/%s/versions" % subj, check)
        if st != 200:
            raise BenchError("%s: registering the benchmark schema answered %s %r"
                             % (name, st, data[:300]))
        check_id = json.loads(data)["id"]
        st2, data2 = c.request("POST", "/subjects/%s/versions" % subj, check)
        if st2 != 200 or json.loads(data2).get("id") != check_id:
            issue("%s: re-registering the same schema answered %s %r (want id %d)"
                  % (name, st2, data2[:200], check_id))
        st2, data2 = c.request("GET", "/schemas/ids/%d" % check_id)
        got = json.loads(data2) if st2 == 200 else {}
        if (st2 != 200 or "check" not in got.get("schema", "")
                or got.get("schemaType", "AVRO") != (spec["type"] or "AVRO")
                or len(got.get("references", [])) != len(spec["refs"])):
            issue("%s: GET /schemas/ids/%d answered %s %r" % (name, check_id, st2, data2[:300]))

        # The lookup body: a schema registered under <prefix>lookup.
        lookup = template.replace(TOKEN, "lookup")
        lsubj = spec["prefix"] + "lookup"
        st, data = c.request("POST", "/subjects/%s/versions" % lsubj, lookup)
        lookup_id = json.loads(data).get("id") if st == 200 else None
        st, data = c.request("POST", "/subjects/%s" % lsubj, lookup)
        if st != 200 or lookup_id is None or json.loads(data).get("id") != lookup_id:
            raise BenchError("%s: lookup POST /subjects/%s answered %s %r (want id %s)"
                             % (name, lsubj, st, data[:300], lookup_id))
        # The same schema, reformatted, must be found too (canonical form).
        ref_body = format_body(spec, spec["reformat"](spec["schema"]("lookup")), ref_versions)
        st, data = c.request("POST", "/subjects/%s" % lsubj, ref_body)
        if st != 200 or json.loads(data).get("id") != lookup_id:
            issue("%s: lookup of the same schema reformatted answered %s %r (want id %s)"
                  % (name, st, data[:200], lookup_id))
    finally:
        c.close()

    body_file = os.path.join(tmp, "lookup-%s.json" % spec["key"])
    with open(body_file, "w") as f:
        f.write(lookup)
    lk_lua = os.path.join(tmp, "lookup-%s.lua" % spec["key"])
    with open(lk_lua, "w") as f:
        f.write(LUA_FIXED_POST % {"body_file": lua_str(body_file)})
    return template.split(TOKEN), lsubj, lk_lua


def measure_formats(args, tmp, ours, results, rss_trace):
    """b+ and c+: registrations/s and lookups/s of the same-shape schema (50 fields,
    types from other subjects through references) in Avro, Protobuf and JSON Schema,
    with exactly the wrk settings of b and c, on the same server (level NONE).
    --format-rounds rounds, formats interleaved (the order rotates each round) so that
    drift of the machine hits all three alike; the figures are medians."""
    nonce = "%x" % (int(time.time()) & 0xffffff)
    prep = {spec["key"]: prepare_format(args, tmp, ours, spec) for spec in FORMAT_BENCH}
    out = results.setdefault("formats", {})
    for spec in FORMAT_BENCH:
        out[spec["key"]] = {"reg": [], "lookup": [], "stored": 0,
                            "schema_bytes": len(spec["schema"]("lookup")),
                            "body_bytes": len("lookup".join(prep[spec["key"]][0]))}
    n = len(FORMAT_BENCH)
    for rnd in range(1, args.format_rounds + 1):
        order = [FORMAT_BENCH[(rnd - 1 + i) % n] for i in range(n)]
        step("formats, round %d of %d: registrations, then lookups, in the order %s"
             % (rnd, args.format_rounds, ", ".join(s["name"] for s in order)))
        for spec in order:
            name = "%s %s" % (spec["name"], spec["shape"])
            parts = prep[spec["key"]][0]
            # Fresh subjects each round (the same start as b), and a round-specific
            # nonce so that no schema of an earlier round comes back.
            prefix = "%sr%d-" % (spec["prefix"], rnd)
            reg_lua = os.path.join(tmp, "register-%s-%d.lua" % (spec["key"], rnd))
            with open(reg_lua, "w") as f:
                f.write(LUA_REGISTER_TEMPLATE % {
                    "nonce": lua_str("%sr%d" % (nonce, rnd)),
                    "prefix": lua_str("/subjects/" + prefix),
                    "parts": ", ".join(lua_str(p) for p in parts)})
            r = wrk("http://127.0.0.1:%d" % ours.port, reg_lua, args,
                    "register %s #%d" % (name, rnd), ours.pid)
            ours.check_alive("during the %s registration run" % name)
            stored = count_versions(ours.port, prefix, args.wrk_threads)
            check_stored(r, stored, args, "%s registration run #%d" % (name, rnd))
            out[spec["key"]]["reg"].append(r)
            out[spec["key"]]["stored"] += stored
        rss_trace.append(("after formats register round %d" % rnd, ours.rss()[0]))
        for spec in order:
            name = "%s %s" % (spec["name"], spec["shape"])
            _, lsubj, lk_lua = prep[spec["key"]]
            lk = wrk("http://127.0.0.1:%d/subjects/%s" % (ours.port, lsubj), lk_lua, args,
                     "lookup %s #%d" % (name, rnd), ours.pid)
            ours.check_alive("during the %s lookup run" % name)
            out[spec["key"]]["lookup"].append(lk)
        rss_trace.append(("after formats lookup round %d" % rnd, ours.rss()[0]))
    # Spread of each format's runs: a wide one means the machine drifted.
    for spec in FORMAT_BENCH:
        for kind in ("reg", "lookup"):
            rates = [r["ok_rps"] for r in out[spec["key"]][kind]]
            med = statistics.median(rates)
            if len(rates) > 1 and med and (max(rates) - min(rates)) / med > 0.25:
                NOISY.append("%s %s runs differ by %.0f%%"
                             % (spec["name"], "registration" if kind == "reg" else "lookup",
                                (max(rates) - min(rates)) / med * 100))


def phase_a_b_c(args, tmp, table, results, with_formats=True):
    """10k schemas: GET ratio vs bare, registrations/s, lookups/s; then (full run) the
    same-shape Avro / Protobuf / JSON Schema figures on the same server."""
    bare_port, our_port = free_port(), free_port()
    bare = Proc("bare_server", [args.bare, str(bare_port)], bare_port,
                os.path.join(tmp, "bare.log"))
    ours = Proc("schemareg-server", [args.server, "--listen", "127.0.0.1:%d" % our_port,
                                     "--db", os.path.join(tmp, "small.db")],
                our_port, os.path.join(tmp, "server-small.log"))
    rss_trace = []
    try:
        bare.start()
        ours.start()
        step("bare_server pid %d on :%d, schemareg-server pid %d on :%d (fresh db)"
             % (bare.pid, bare_port, ours.pid, our_port))
        rss_trace.append(("started", ours.rss()[0]))
        results["rss_small"] = rss_trace
        ids = load_small(args, ours, results, rss_trace)
        ok_ids = [x for x in ids if x is not None]

        ids_file = os.path.join(tmp, "ids-small.txt")
        with open(ids_file, "w") as f:
            f.write("\n".join(str(x) for x in sorted(set(ok_ids))) + "\n")
        get_lua = os.path.join(tmp, "get_ids.lua")
        with open(get_lua, "w") as f:
            f.write(LUA_GET_IDS % {"prefix": lua_str("/schemas/ids/"),
                                   "ids_file": lua_str(ids_file)})

        # a. GET: bare, ours, bare with identical wrk settings and path pattern.
        # First let the load's disk writes settle and warm both servers up (2 s of
        # the same load each, not measured), so that bare #1 is not the cold run.
        os.sync()
        time.sleep(2)
        warm = argparse.Namespace(**vars(args))
        warm.duration = 2
        for port_, name_ in ((bare_port, "bare"), (our_port, "ours")):
            wrk("http://127.0.0.1:%d" % port_, get_lua, warm, "warm-up %s (not measured)" % name_,
                measured=False)
        # bare, ours, bare; with --get-rounds N: then (ours, bare) N-1 more times.
        bares = [wrk("http://127.0.0.1:%d" % bare_port, get_lua, args, "GET bare #1", bare.pid)]
        oursl = []
        for rnd in range(1, args.get_rounds + 1):
            oursl.append(wrk("http://127.0.0.1:%d" % our_port, get_lua, args,
                             "GET ours #%d" % rnd, ours.pid))
            ours.check_alive("during the GET run")
            bares.append(wrk("http://127.0.0.1:%d" % bare_port, get_lua, args,
                             "GET bare #%d" % (rnd + 1), bare.pid))
        rss_trace.append(("after GET wrk", ours.rss()[0]))
        bare_rps = statistics.median(b["rps"] for b in bares)
        ours_rps = statistics.median(o["ok_rps"] for o in oursl)
        ratio = ours_rps / bare_rps if bare_rps else 0
        results["get"] = (oursl, bares, ours_rps, bare_rps, ratio)
        spread = (max(b["rps"] for b in bares) - min(b["rps"] for b in bares)) / bare_rps
        if spread > 0.15:
            step("  note: the bare runs differ by %.0f%%; the machine is noisy" % (spread * 100))
            NOISY.append("GET bare runs differ by %.0f%%" % (spread * 100))

        measure_avro_reg(args, tmp, ours, results, rss_trace)       # b.
        measure_avro_lookup(args, tmp, ours, bare, ids, results, rss_trace)  # c.
        bare.stop()
        if with_formats:
            measure_formats(args, tmp, ours, results, rss_trace)   # b+, c+
        try:
            results["log_small_mib"] = os.path.getsize(ours.logpath) / 1048576.0
        except OSError:
            pass
    finally:
        ours.stop()
        bare.stop()


def phase_formats(args, tmp, table, results):
    """Only the registration and lookup figures: b and c (small Avro records, after the
    same 10k load as the full run), then b+ and c+ (same-shape Avro / Protobuf / JSON
    Schema), on one fresh server. No GET runs, no bare_server."""
    port = free_port()
    ours = Proc("schemareg-server", [args.server, "--listen", "127.0.0.1:%d" % port,
                                     "--db", os.path.join(tmp, "formats.db")],
                port, os.path.join(tmp, "server-formats.log"))
    rss_trace = []
    try:
        ours.start()
        step("schemareg-server pid %d on :%d (fresh db)" % (ours.pid, port))
        rss_trace.append(("started", ours.rss()[0]))
        results["rss_small"] = rss_trace
        ids = load_small(args, ours, results, rss_trace)
        os.sync()
        time.sleep(2)
        measure_avro_reg(args, tmp, ours, results, rss_trace)
        measure_avro_lookup(args, tmp, ours, None, ids, results, rss_trace)
        measure_formats(args, tmp, ours, results, rss_trace)
        try:
            results["log_small_mib"] = os.path.getsize(ours.logpath) / 1048576.0
        except OSError:
            pass
    finally:
        ours.stop()


def phase_d_e(args, tmp, table, results):
    """100k schemas: start-up ratio and resident memory."""
    big_db = os.path.join(tmp, "big.db")
    empty_db = os.path.join(tmp, "empty.db")
    port = free_port()

    def server(db, log):
        return Proc("schemareg-server", [args.server, "--listen", "127.0.0.1:%d" % port,
                                         "--db", db], port, os.path.join(tmp, log))

    # Build the 100k database through the HTTP API (the server writes its own format).
    b = server(big_db, "server-build.log")
    b.start()
    c = HttpClient(port)
    st, data = c.request("PUT", "/config", json.dumps({"compatibility": "NONE"}))
    c.close()
    if st != 200:
        issue("PUT /config NONE answered %s %r" % (st, data[:200]))
    step("building the %d-schema database: HTTP registrations over %d keep-alive connections"
         " (time cap %ds)" % (args.big, args.load_threads, args.build_cap))
    ids, el = register_many(port, args.big, args.load_threads,
                            deadline=time.monotonic() + args.build_cap, label="build 100k")
    big_ids = sorted(set(x for x in ids if x is not None))
    rate = len(big_ids) / el if el else 0
    step("  %d schemas registered in %.1fs = %.0f/s" % (len(big_ids), el, rate))
    results["load100k"] = (len(big_ids), el, rate)
    b.check_alive("while building the big database")
    results["rss_build"] = b.rss()
    b.stop()
    if len(big_ids) < args.big:
        issue("the big database holds %d schemas, not %d (build cap %ds reached or requests "
              "failed); d and e are measured with %d" % (len(big_ids), args.big, args.build_cap,
                                                        len(big_ids)))
    try:
        results["db_size_mib"] = sum(os.path.getsize(os.path.join(tmp, f))
                                     for f in os.listdir(tmp)
                                     if f.startswith("big.db")) / 1048576.0
    except OSError:
        pass

    # d. Start-up: process start -> first 200 on GET /. One unmeasured warm-up each
    #    (creates the empty database, warms the page cache), then alternate.
    step("start-up: %d timed starts each for the empty and the big database" % args.starts)
    times = {"empty": [], "big": []}
    stops = {"empty": [], "big": []}
    for rnd in range(args.starts + 1):
        for kind, db in (("empty", empty_db), ("big", big_db)):
            p = server(db, "server-start-%s.log" % kind)
            t = p.start()
            st = p.stop()
            if rnd > 0:
                times[kind].append(t)
                if st is not None:
                    stops[kind].append(st)
    med_e, med_b = statistics.median(times["empty"]), statistics.median(times["big"])
    results["startup"] = (times, stops, med_e, med_b)
    step("  empty: %s ms; big: %s ms"
         % (" ".join("%.1f" % (x * 1000) for x in times["empty"]),
            " ".join("%.1f" % (x * 1000) for x in times["big"])))

    # e. Resident memory after GET /schemas/ids/{id} for every id.
    p = server(big_db, "server-big.log")
    p.start()
    rss0 = p.rss()
    step("GET /schemas/ids/{id} for all %d ids (Python, %d keep-alive connections), then VmRSS"
         % (len(big_ids), args.load_threads))
    ok, bad, el = get_all(port, big_ids, args.load_threads)
    p.check_alive("while serving the id sweep")
    rss1 = p.rss()
    step("  %d ok, %d failed in %.1fs; VmRSS %.1f MiB (at start %.1f MiB)"
         % (ok, len(bad), el, mib(rss1[0]), mib(rss0[0])))
    if bad:
        issue("id sweep: %d GET /schemas/ids/{id} failed, e.g. %r" % (len(bad), bad[:3]))
    # Then a random GET load over all 100k ids: is memory stable under repeat traffic?
    ids_file = os.path.join(tmp, "ids-big.txt")
    with open(ids_file, "w") as f:
        f.write("\n".join(str(x) for x in big_ids) + "\n")
    lua = os.path.join(tmp, "get_ids_big.lua")
    with open(lua, "w") as f:
        f.write(LUA_GET_IDS % {"prefix": lua_str("/schemas/ids/"), "ids_file": lua_str(ids_file)})
    g = wrk("http://127.0.0.1:%d" % port, lua, args, "GET ours, %d ids" % len(big_ids), p.pid)
    p.check_alive("during the GET run on the big database")
    rss2 = p.rss()
    step("  VmRSS after the random GET run %.1f MiB (peak VmHWM %.1f MiB)"
         % (mib(rss2[0]), mib(rss2[1])))
    if rss1[0] and rss2[0] and rss2[0] > rss1[0] * 1.2 + 4096:
        issue("VmRSS grew from %.1f to %.1f MiB during %d more GETs of already-served ids"
              % (mib(rss1[0]), mib(rss2[0]), g["requests"]))
    p.stop()
    results["rss_big"] = (rss0, rss1, rss2, len(big_ids), g)


def summarize(args, table, results):
    say("")
    say("== details ==")
    if "get" in results:
        oursl, bares, ours_rps, bare_rps, ratio = results["get"]
        say("a. GET /schemas/ids/{random id of %d}, wrk -t%d -c%d -d%ds, Lua random id:"
            % (args.small, args.wrk_threads, args.wrk_conns, args.duration))
        runs = [("bare #1", bares[0])]
        for k in range(len(oursl)):
            runs += [("ours #%d" % (k + 1), oursl[k]), ("bare #%d" % (k + 2), bares[k + 1])]
        for name, r in runs:
            say("   %-8s %9.0f req/s   p50 %6.2f ms   p99 %6.2f ms   (non-2xx %d)"
                % (name, r["rps"], r["p50"], r["p99"], r["non2xx"]))
        say("   median(ours) / median(bare) = %.0f / %.0f = %.3f (ours: 2xx responses only)"
            % (ours_rps, bare_rps, ratio))
        table.add("a. GET ours/bare (%dk ids)" % (args.small // 1000), "%.2f" % ratio,
                  ">= %.2f" % TARGET_GET_RATIO, verdict(ratio >= TARGET_GET_RATIO))
        fmt = lambda r: "%.0f (%.2f/%.2f)" % (r["rps"], r["p50"], r["p99"])
        table.add("   ours GET req/s (p50/p99 ms)", ", ".join(fmt(r) for r in oursl), "", "info")
        table.add("   bare GET req/s (p50/p99 ms)", ", ".join(fmt(r) for r in bares), "", "info")
    else:
        table.add("a. GET ours/bare (%dk ids)" % (args.small // 1000), "not measured",
                  ">= %.2f" % TARGET_GET_RATIO, "n/a")
    if "load10k_rate" in results:
        say("   10k load: %.0f registrations/s (Python http.client, %d threads, one keep-alive "
            "connection each)" % (results["load10k_rate"], args.load_threads))
    fmts = results.get("formats", {})

    def median_run(runs):
        """The run with the median 2xx rate (the lower middle one of an even count)."""
        return sorted(runs, key=lambda r: r["ok_rps"])[(len(runs) - 1) // 2] if runs else None

    def format_rows(kind, small, small_cpu):
        """Details lines and table rows of b+ (kind "reg") or c+ (kind "lookup"): the
        median of the rounds, p50/p99 of the median run, and ratios of medians."""
        med = lambda key: statistics.median(r["ok_rps"] for r in fmts[key][kind]) \
            if fmts.get(key, {}).get(kind) else None
        base = med("avro50")
        base_cpu = statistics.median(x["cpu_us"] for x in fmts["avro50"][kind]) \
            if fmts.get("avro50", {}).get(kind) else None
        for spec in FORMAT_BENCH:
            key = spec["key"]
            label = "   %s %s" % (spec["name"], spec["shape"])
            if not fmts.get(key, {}).get(kind):
                table.add(label, "not measured", "-", "n/a")
                continue
            f = fmts[key]
            m, r = med(key), median_run(f[kind])
            if key == "avro50":
                rel = "%.2fx %s" % (m / small, "b" if kind == "reg" else "c") if small else ""
            else:
                rel = "%.2fx Avro-50" % (m / base) if base else ""
            extra = ("; %d versions stored" % f["stored"]) if kind == "reg" else ""
            cpu = statistics.median(x["cpu_us"] for x in f[kind])
            say("   %-31s schema %d B, body %d B: median %.0f successful/s%s of %s; median run "
                "p50 %.2f ms, p99 %.2f ms; server CPU %.0f us/request (median; %s); %d requests, "
                "non-2xx %d%s"
                % (label.strip() + ":", f["schema_bytes"], f["body_bytes"], m,
                   " (%s)" % rel if rel else "",
                   " ".join("%.0f" % x["ok_rps"] for x in f[kind]), r["p50"], r["p99"], cpu,
                   "%.2fx Avro-50" % (cpu / base_cpu) if key != "avro50" and base_cpu else
                   "%.2fx %s" % (cpu / small_cpu, "b" if kind == "reg" else "c") if small_cpu
                   else "-",
                   sum(x["requests"] for x in f[kind]), sum(x["non2xx"] for x in f[kind]), extra))
            table.add(label, "%.0f (%.2f/%.2f)%s" % (m, r["p50"], r["p99"],
                                                     ", " + rel if rel else ""), "-", "info")
        # Server CPU per request: steadier than req/s on a noisy machine.
        cpus = ["%.0f" % small_cpu if small_cpu else "-"]
        for spec in FORMAT_BENCH:
            runs = fmts.get(spec["key"], {}).get(kind)
            cpus.append("%.0f" % statistics.median(x["cpu_us"] for x in runs) if runs else "-")
        table.add("   server CPU us/req %s, Avro-50, Protobuf, JSON" % ("b" if kind == "reg" else "c"),
                  ", ".join(cpus), "-", "info")

    same_shape = ("the same-shape schema in three formats: 50 fields (properties) with nested "
                  "records/messages/objects, arrays, maps and enums, and types from other "
                  "subjects through `references`; same wrk settings")
    if "reg" in results:
        r = results["reg"]
        say("b. registrations: wrk -t%d -c%d -d%ds, Lua makes a distinct Avro record per request "
            "(3 fields; run nonce + thread + counter in the name), 64 subjects per wrk thread, "
            "durable writes: %.0f successful/s (p50 %.2f ms, p99 %.2f ms, %d requests, non-2xx %d;"
            " server CPU %.0f us/request)"
            % (args.wrk_threads, args.wrk_conns, args.duration, r["ok_rps"], r["p50"], r["p99"],
               r["requests"], r["non2xx"], r["cpu_us"]))
        table.add("b. registrations/s (wrk, %d conns), Avro 3 fields" % args.wrk_conns,
                  "%.0f (%.2f/%.2f)" % (r["ok_rps"], r["p50"], r["p99"]), "-", "info")
    else:
        table.add("b. registrations/s", "not measured", "-", "n/a")
    if fmts:
        say("   b+ registrations of %s, 64 fresh subjects per wrk thread and round, a distinct "
            "schema per request (the token names the record/message/title and one field); "
            "%d rounds, formats interleaved, rates of the rounds in order:"
            % (same_shape, args.format_rounds))
        format_rows("reg", results["reg"]["ok_rps"] if "reg" in results else 0,
                    results["reg"]["cpu_us"] if "reg" in results else 0)
    if "lookup" in results:
        lk, bp = results["lookup"]
        if bp is not None:
            say("c. lookups POST /subjects/{s}, fixed body of a registered schema (Avro, 5 fields):"
                " %.0f/s (p50 %.2f ms, p99 %.2f ms, non-2xx %d; server CPU %.0f us/request); the "
                "same POST on bare_server: %.0f/s, ratio %.2f"
                % (lk["ok_rps"], lk["p50"], lk["p99"], lk["non2xx"], lk["cpu_us"], bp["rps"],
                   lk["ok_rps"] / bp["rps"] if bp["rps"] else 0))
        else:
            say("c. lookups POST /subjects/{s}, fixed body of a registered schema (Avro, 5 fields):"
                " %.0f/s (p50 %.2f ms, p99 %.2f ms, non-2xx %d; server CPU %.0f us/request); "
                "bare_server not run" % (lk["ok_rps"], lk["p50"], lk["p99"], lk["non2xx"],
                                         lk["cpu_us"]))
        table.add("c. lookups/s (wrk, %d conns), Avro 5 fields" % args.wrk_conns,
                  "%.0f (%.2f/%.2f)" % (lk["ok_rps"], lk["p50"], lk["p99"]), "-", "info")
        if bp is not None:
            table.add("   lookups ours/bare POST", "%.2f" % (lk["ok_rps"] / bp["rps"] if bp["rps"]
                                                            else 0), "-", "info")
    else:
        table.add("c. lookups/s", "not measured", "-", "n/a")
    if fmts:
        say("   c+ lookups POST /subjects/{s} of %s, fixed body of a schema registered under s "
            "(checked beforehand, also reformatted); %d rounds, formats interleaved:"
            % (same_shape, args.format_rounds))
        format_rows("lookup", results["lookup"][0]["ok_rps"] if "lookup" in results else 0,
                    results["lookup"][0]["cpu_us"] if "lookup" in results else 0)
    if "rss_small" in results:
        say("   VmRSS of the 10k server: " + ", ".join("%s %.1f MiB" % (k, mib(v))
                                                       for k, v in results["rss_small"]))
    if "log_small_mib" in results:
        say("   request log of the 10k server: %.1f MiB" % results["log_small_mib"])
    if "load100k" in results:
        n, el, rate = results["load100k"]
        say("   big database: %d schemas registered over HTTP in %.1fs (%.0f/s, %d threads)%s"
            % (n, el, rate, args.load_threads,
               ", %.1f MiB on disk" % results["db_size_mib"] if "db_size_mib" in results else ""))
    if "startup" in results:
        times, stops, med_e, med_b = results["startup"]
        ratio = med_b / med_e if med_e else float("inf")
        n = results["load100k"][0]
        say("d. start-up (process start -> first 200 on GET /), median of %d: empty %.1f ms "
            "[%s], %d schemas %.1f ms [%s]; ratio %.2f"
            % (args.starts, med_e * 1000, " ".join("%.1f" % (x * 1000) for x in times["empty"]),
               n, med_b * 1000, " ".join("%.1f" % (x * 1000) for x in times["big"]), ratio))
        if stops["empty"] and stops["big"]:
            say("   SIGTERM -> exit: empty %.1f ms, big %.1f ms (median)"
                % (statistics.median(stops["empty"]) * 1000,
                   statistics.median(stops["big"]) * 1000))
        full = n >= args.big
        table.add("d. start-up empty / %dk (ms)" % (n // 1000),
                  "%.1f / %.1f" % (med_e * 1000, med_b * 1000), "", "info")
        table.add("   start-up ratio %dk/empty" % (n // 1000), "%.2f" % ratio,
                  "<= %.1f" % TARGET_STARTUP_RATIO,
                  verdict(ratio <= TARGET_STARTUP_RATIO) if full else "n/a (not 100k)")
    else:
        table.add("d. start-up ratio 100k/empty", "not measured", "<= %.1f" % TARGET_STARTUP_RATIO,
                  "n/a")
    if "rss_big" in results:
        rss0, rss1, rss2, n, g = results["rss_big"]
        say("e. VmRSS with %d schemas: at start %.1f MiB; after GET of every id %.1f MiB; after "
            "%d more random GETs %.1f MiB (peak VmHWM %.1f MiB)"
            % (n, mib(rss0[0]), mib(rss1[0]), g["requests"], mib(rss2[0]), mib(rss2[1])))
        say("   GET /schemas/ids/{random id of %d}: %.0f req/s (p50 %.2f ms, p99 %.2f ms)"
            % (n, g["rps"], g["p50"], g["p99"]))
        full = n >= args.big
        table.add("e. VmRSS after GET all %dk ids" % (n // 1000), "%.1f MiB" % mib(rss1[0]),
                  "<= %.0f MiB" % TARGET_RSS_MIB,
                  verdict(mib(rss1[0]) <= TARGET_RSS_MIB) if full else "n/a (not 100k)")
        table.add("   ours GET req/s, %dk ids" % (n // 1000),
                  "%.0f (%.2f/%.2f)" % (g["rps"], g["p50"], g["p99"]), "", "info")
    else:
        table.add("e. VmRSS after GET all 100k ids", "not measured",
                  "<= %.0f MiB" % TARGET_RSS_MIB, "n/a")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--server", default=os.environ.get("SCHEMAREG_SERVER"))
    ap.add_argument("--bench-dir", default=os.environ.get("SCHEMAREG_BENCH"))
    ap.add_argument("--duration", type=int, default=10, help="seconds per wrk run (10)")
    ap.add_argument("--get-rounds", type=int, default=1,
                    help="GET runs of ours in a (1: bare, ours, bare; N: then ours, bare "
                         "N-1 more times; the ratio is of the medians)")
    ap.add_argument("--wrk-threads", type=int, default=2)
    ap.add_argument("--wrk-conns", type=int, default=32)
    ap.add_argument("--small", type=int, default=10000, help="schemas for a-c (10000, >= 1000)")
    ap.add_argument("--big", type=int, default=100000, help="schemas for d-e (100000)")
    ap.add_argument("--starts", type=int, default=5, help="timed starts per database (5)")
    ap.add_argument("--load-threads", type=int, default=16,
                    help="Python loader threads/connections (16)")
    ap.add_argument("--build-cap", type=int, default=240,
                    help="seconds allowed to build the big database (240)")
    ap.add_argument("--format-rounds", type=int, default=3,
                    help="rounds of the b+/c+ runs, formats interleaved; medians (3)")
    ap.add_argument("--only", choices=["abc", "de", "formats"],
                    help="abc: a, b, c without the format comparison; de: d, e; formats: "
                         "b, c and the Avro / Protobuf / JSON Schema figures b+, c+ alone")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir (logs, databases)")
    args = ap.parse_args()

    if not args.server or not os.access(args.server, os.X_OK):
        sys.exit("bench: SCHEMAREG_SERVER (%r) is not an executable; run `make bench`"
                 % args.server)
    if not args.bench_dir:
        args.bench_dir = os.path.dirname(os.path.abspath(args.server))
    args.bare = os.path.join(args.bench_dir, "bare_server")
    if not os.access(args.bare, os.X_OK):
        sys.exit("bench: %s is missing; run `make bench`" % args.bare)
    if shutil.which("wrk") is None:
        sys.exit("bench: wrk is not installed (apt-get install wrk, or `make deps`)")

    tmp = tempfile.mkdtemp(prefix="schemareg-bench-")
    environment(args.server)
    say("temp dir: %s; wrk -t%d -c%d -d%ds; %d / %d schemas"
        % (tmp, args.wrk_threads, args.wrk_conns, args.duration, args.small, args.big))
    say("")
    table = Table()
    results = {}
    failed = []
    phases = [("abc", lambda *a: phase_a_b_c(*a, with_formats=args.only is None)),
              ("formats", phase_formats), ("de", phase_d_e)]
    for name, fn in phases:
        if args.only != name and (args.only or name == "formats"):
            continue
        try:
            fn(args, tmp, table, results)
        except Exception as e:  # keep going: report what was measured
            failed.append(name)
            issue("phase %s aborted: %s" % (name, e))
            if not isinstance(e, BenchError):
                say(traceback.format_exc())
    for p in LIVE:  # a phase that aborted may have left a server running
        p.kill()
    summarize(args, table, results)

    say("")
    say("== summary ==")
    say(table.render())
    say("")
    if ISSUES:
        say("issues:")
        for x in ISSUES:
            say("  - " + x.splitlines()[0])
    else:
        say("issues: none (every request answered 2xx, servers stopped cleanly on SIGTERM)")
    if NOISY:
        say("noisy runs (other processes or the hypervisor took more than %.0f%% of the CPU, "
            "or the bare runs disagree by more than 15%% or a format's rounds by more than 25%%; "
            "rerun on a quiet machine before trusting them): %s"
            % (OTHER_CPU_WARN * 100, "; ".join(NOISY)))
    say("total bench time: %.0fs" % (time.monotonic() - _t0))

    os.makedirs(args.bench_dir, exist_ok=True)
    report = os.path.join(args.bench_dir, "report.txt")
    with open(report, "w") as f:
        f.write("\n".join(_log_lines) + "\n")
    print("report written to %s" % report)
    if args.keep or failed:
        print("logs and databases kept in %s" % tmp)
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    # MISS never fails the run; a figure that could not be measured does.
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        for proc in LIVE:
            proc.kill()
