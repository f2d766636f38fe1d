"""Cross-check: a sample of our Protobuf verdicts against buf's breaking-change checker.

buf (`buf breaking NEW --against OLD` with the WIRE category) is an independent
implementation of "can data written with OLD be read with NEW". Its rules are close
to Confluent's but not the same (compat.md §3.11), so only the changes where the
two agree are compared here; each case also carries the verdict compat.md gives,
and all three must match:

  - scalar type changes: every ordered pair of the 15 scalar types except
    bytes -> string (Confluent allows it, buf does not), checked as one schema with
    one message per pair;
  - field added, renamed; proto3 implicit <-> `optional`; enum constants added or
    renamed; message added; a field added to an existing oneof; map value changed
    inside / across groups;
  - package changed; proto2 `required` field added or removed; numeric label
    changed between explicit labels; a field's message type replaced by another
    message; two existing fields moved into one oneof; a field moved into an
    existing oneof; a field removed from a oneof.

Left out because the two disagree by design: deleting fields or messages (buf's
WIRE flags field deletions without a reserved number and ignores message
deletions; Confluent is the other way round), moving a single field into a new
oneof, enum <-> integer changes, implicit <-> repeated labels, bytes -> string,
string/message label changes, and moving types between packages.

Our verdict comes from the real server (POST /compatibility/subjects/{s}/versions/
latest?verbose=true under BACKWARD), started from the build directory next to
SCHEMAREG_TOOLS. buf comes from npm (`@bufbuild/buf`, which runs offline), installed
once into a directory under /tmp; SCHEMAREG_BUF may name a buf binary instead. The
test is skipped, saying why, when buf cannot be installed or the server does not
support Protobuf.
"""

import os
import re
import shutil
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "api"))

import srapi  # noqa: E402

BUF_PACKAGE = "@bufbuild/buf@1.75.0"
BUF_DIR = "/tmp/schemareg-buf-1.75.0"
BUF_CONFIG = "version: v2\nbreaking:\n  use:\n    - WIRE\n"

# Confluent's scalar groups (compat.md §3.5), enums left out.
SCALAR_GROUPS = {
    "int32": 0, "int64": 0, "uint32": 0, "uint64": 0, "bool": 0,
    "sint32": 1, "sint64": 1,
    "string": 2, "bytes": 2,
    "fixed32": 3, "sfixed32": 3,
    "fixed64": 4, "sfixed64": 4,
    "float": 5,
    "double": 6,
}


def _buf_works(path):
    try:
        r = subprocess.run([path, "--version"], capture_output=True, timeout=60)
        return r.returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


@pytest.fixture(scope="module")
def buf():
    env_buf = os.environ.get("SCHEMAREG_BUF")
    if env_buf:
        if not _buf_works(env_buf):
            pytest.skip("SCHEMAREG_BUF=%s does not run" % env_buf)
        return env_buf
    binary = os.path.join(BUF_DIR, "node_modules", ".bin", "buf")
    if _buf_works(binary):
        return binary
    npm = shutil.which("npm")
    if not npm:
        pytest.skip("buf is not installed and there is no npm to install %s" % BUF_PACKAGE)
    os.makedirs(BUF_DIR, exist_ok=True)
    try:
        r = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--loglevel=error",
                            "--prefix", BUF_DIR, BUF_PACKAGE],
                           capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.SubprocessError) as e:
        pytest.skip("could not install %s with npm: %r" % (BUF_PACKAGE, e))
    if r.returncode != 0 or not _buf_works(binary):
        pytest.skip("could not install %s with npm (exit %d): %s"
                    % (BUF_PACKAGE, r.returncode, (r.stderr or r.stdout)[-500:]))
    return binary


def _server_binary():
    path = os.environ.get("SCHEMAREG_SERVER")
    if path:
        return path
    tools = os.environ.get("SCHEMAREG_TOOLS")
    if tools:
        return os.path.join(os.path.dirname(os.path.abspath(tools)), "schemareg-server")
    return srapi.server_binary()


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    binary = _server_binary()
    if not os.path.exists(binary):
        pytest.skip("no server binary at %s (build it first)" % binary)
    old = os.environ.get("SCHEMAREG_SERVER")
    os.environ["SCHEMAREG_SERVER"] = binary
    try:
        server = srapi.ServerProcess(tmp_path_factory.mktemp("pbbuf"))
        server.start()
    finally:
        if old is None:
            del os.environ["SCHEMAREG_SERVER"]
        else:
            os.environ["SCHEMAREG_SERVER"] = old
    try:
        c = server.client()
        types = c.get("/schemas/types")
        if types.status != 200 or "PROTOBUF" not in (types.json or []):
            pytest.skip("the server does not support PROTOBUF yet (GET /schemas/types: %r)"
                        % (types.json,))
        yield c
    finally:
        rc = server.stop()
        assert rc == 0, "server exited with %r:\n%s" % (rc, server.log())


_counter = [0]


def our_check(client, old, new):
    """(is_compatible, messages) of `new` against `old` under BACKWARD."""
    _counter[0] += 1
    subject = "pbbuf-%d" % _counter[0]
    r = client.put("/config/%s" % subject, body={"compatibility": "BACKWARD"})
    assert r.status == 200, r
    client.register(subject, old, schemaType="PROTOBUF")
    r = client.post("/compatibility/subjects/%s/versions/latest?verbose=true" % subject,
                    body={"schema": new, "schemaType": "PROTOBUF"})
    assert r.status == 200, r
    return r.json["is_compatible"], r.json.get("messages", [])


def buf_check(buf, tmp_path, old, new):
    """(is_compatible, output) of `buf breaking new --against old` (WIRE)."""
    for name, text in (("old", old), ("new", new)):
        d = tmp_path / name
        d.mkdir(exist_ok=True)
        (d / "buf.yaml").write_text(BUF_CONFIG)
        (d / "schema.proto").write_text(text)
    r = subprocess.run([buf, "breaking", str(tmp_path / "new"), "--against",
                        str(tmp_path / "old")], capture_output=True, text=True, timeout=120,
                       cwd=str(tmp_path))
    assert r.returncode in (0, 100), "buf failed (%d): %s%s" % (r.returncode, r.stdout,
                                                                 r.stderr)
    return r.returncode == 0, r.stdout + r.stderr


def test_scalar_pairs(buf, client, tmp_path):
    old, new, want_bad = [], [], set()
    for a in SCALAR_GROUPS:
        for b in SCALAR_GROUPS:
            if a == b or (a, b) == ("bytes", "string"):
                continue
            name = "P_%s_%s" % (a, b)
            old.append("message %s { %s a = 1; }\n" % (name, a))
            new.append("message %s { %s a = 1; }\n" % (name, b))
            if SCALAR_GROUPS[a] != SCALAR_GROUPS[b]:
                want_bad.add(name)
    head = 'syntax = "proto3";\npackage oracle;\n'
    old_text, new_text = head + "".join(old), head + "".join(new)

    ok, messages = our_check(client, old_text, new_text)
    ours = set()
    for m in messages:
        hit = re.search(r"path:? '#/([A-Za-z0-9_]+)/1'", m)
        if hit:
            ours.add(hit.group(1))
            assert "FIELD_SCALAR_KIND_CHANGED" in m, m
    _, out = buf_check(buf, tmp_path, old_text, new_text)
    theirs = set(re.findall(r'on message "([A-Za-z0-9_]+)"', out))

    assert ok == (not want_bad)
    assert ours == want_bad, "ours vs compat.md: extra %s, missing %s" % (
        sorted(ours - want_bad), sorted(want_bad - ours))
    assert theirs == want_bad, "buf vs compat.md: extra %s, missing %s" % (
        sorted(theirs - want_bad), sorted(want_bad - theirs))


P3 = 'syntax = "proto3";\npackage oracle;\n'
P2 = 'syntax = "proto2";\npackage oracle;\n'

CASES = [
    # (id, old, new, compatible)
    ("add field", P3 + "message M { string a = 1; }\n",
     P3 + "message M { string a = 1; int32 b = 2; }\n", True),
    ("rename field", P3 + "message M { string a = 1; }\n",
     P3 + "message M { string b = 1; }\n", True),
    ("implicit -> optional", P3 + "message M { int32 a = 1; }\n",
     P3 + "message M { optional int32 a = 1; }\n", True),
    ("enum constant added", P3 + "enum E { E0 = 0; }\nmessage M { E e = 1; }\n",
     P3 + "enum E { E0 = 0; E1 = 1; }\nmessage M { E e = 1; }\n", True),
    ("enum constant renamed", P3 + "enum E { E0 = 0; E1 = 1; }\n",
     P3 + "enum E { E0 = 0; ONE = 1; }\n", True),
    ("message added", P3 + "message M { int32 a = 1; }\n",
     P3 + "message M { int32 a = 1; }\nmessage N { int32 b = 1; }\n", True),
    ("field added to oneof", P3 + "message M { oneof o { string a = 1; } }\n",
     P3 + "message M { oneof o { string a = 1; int32 b = 2; } }\n", True),
    ("map value in group", P3 + "message M { map<string, int32> m = 1; }\n",
     P3 + "message M { map<string, int64> m = 1; }\n", True),
    ("package changed", P3 + "message M { int32 a = 1; }\n",
     'syntax = "proto3";\npackage other;\nmessage M { int32 a = 1; }\n', False),
    ("required field added", P2 + "message M { optional int32 a = 1; }\n",
     P2 + "message M { optional int32 a = 1; required int32 b = 2; }\n", False),
    ("required field removed",
     P2 + "message M { optional int32 a = 1; required int32 b = 2; }\n",
     P2 + "message M { optional int32 a = 1; }\n", False),
    ("optional -> repeated int32", P2 + "message M { optional int32 a = 1; }\n",
     P2 + "message M { repeated int32 a = 1; }\n", False),
    ("optional -> required int64", P2 + "message M { optional int64 a = 1; }\n",
     P2 + "message M { required int64 a = 1; }\n", False),
    ("message type replaced",
     P3 + "message A { int32 x = 1; }\nmessage B { int32 x = 1; }\nmessage M { A f = 1; }\n",
     P3 + "message A { int32 x = 1; }\nmessage B { int32 x = 1; }\nmessage M { B f = 1; }\n",
     False),
    ("two fields into a oneof", P3 + "message M { string a = 1; string b = 2; }\n",
     P3 + "message M { oneof o { string a = 1; string b = 2; } }\n", False),
    ("field into existing oneof", P3 + "message M { string a = 1; oneof o { string b = 2; } }\n",
     P3 + "message M { oneof o { string a = 1; string b = 2; } }\n", False),
    ("field removed from oneof", P3 + "message M { oneof o { string a = 1; int32 b = 2; } }\n",
     P3 + "message M { oneof o { string a = 1; } }\n", False),
    ("map value across groups", P3 + "message M { map<string, int32> m = 1; }\n",
     P3 + "message M { map<string, string> m = 1; }\n", False),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_cases(buf, client, tmp_path, case):
    _, old, new, want = case
    ours, messages = our_check(client, old, new)
    theirs, out = buf_check(buf, tmp_path, old, new)
    assert ours == want, "ours: %r %s" % (ours, messages)
    assert theirs == want, "buf: %r %s" % (theirs, out)
