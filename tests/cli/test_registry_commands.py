"""The registry commands of `schemareg` (clients/cmd_registry.c) against the real
server started by the test: subjects, versions, get, get-id, register, lookup,
test, delete, config and mode, in text and JSON output; server errors, an
unreachable registry, SCHEMAREG_URL and credentials."""

import base64
import http.server
import json
import threading

import pytest

from cli_support import cli, dead_url, http as raw, servers  # noqa: F401 (fixtures)

A1 = {"type": "record", "name": "A", "fields": [{"name": "a", "type": "string"}]}
A2 = {"type": "record", "name": "A", "fields": [{"name": "a", "type": "string"},
                                                {"name": "b", "type": "int", "default": 0}]}
A_NODEFAULT = {"type": "record", "name": "A", "fields": [{"name": "a", "type": "string"},
                                                      {"name": "b", "type": "int"}]}
A_BAD = {"type": "record", "name": "A", "fields": [{"name": "a", "type": "int"}]}
ADDRESS = {"type": "record", "name": "Address", "namespace": "com.acme",
           "fields": [{"name": "street", "type": "string"}]}
PERSON = {"type": "record", "name": "Person", "namespace": "com.acme",
          "fields": [{"name": "home", "type": "com.acme.Address"}]}
PROTO = 'syntax = "proto3";\npackage p;\nmessage M { string s = 1; }\n'
PROTO_MAIN = 'syntax = "proto3";\npackage q;\nimport "m.proto";\nmessage N { p.M m = 1; }\n'
JSONS = {"type": "object", "properties": {"x": {"type": "string"}}}
JSON_REF = {"type": "object", "properties": {"y": {"$ref": "x.json"}}}


def compact(o):
    return json.dumps(o, separators=(",", ":"))


@pytest.fixture
def reg(servers, cli, tmp_path):
    """A running server, and `run(*args)` bound to it through --url."""
    s = servers()

    def run(*args, **kw):
        return cli("--url", s.url, *args, **kw)

    def write(name, content):
        f = tmp_path / name
        f.write_text(content if isinstance(content, str) else json.dumps(content))
        return f

    run.server, run.write, run.url = s, write, s.url
    return run


# --- subjects and versions ----------------------------------------------------

def test_subjects(reg):
    r = reg("subjects")
    assert (r.rc, r.out, r.err) == (0, "", "")
    r = reg("--output", "json", "subjects")
    assert r.rc == 0 and json.loads(r.out) == []
    for s in ("b-value", "a-value", "c-key"):
        reg.server.register(s, json.dumps(A1))
    reg.server.ok("DELETE", "/subjects/c-key")
    r = reg("subjects")
    assert (r.rc, r.out) == (0, "a-value\nb-value\n")
    r = reg("subjects", "--deleted")
    assert (r.rc, r.out) == (0, "a-value\nb-value\nc-key\n")
    r = reg("subjects", "--prefix", "b")
    assert (r.rc, r.out) == (0, "b-value\n")
    r = reg("--output", "json", "subjects", "--deleted")
    assert json.loads(r.out) == ["a-value", "b-value", "c-key"]


def test_versions(reg):
    reg.server.register("s", json.dumps(A1))
    reg.server.register("s", json.dumps(A2))
    reg.server.ok("DELETE", "/subjects/s/versions/1")
    r = reg("versions", "s")
    assert (r.rc, r.out) == (0, "2\n")
    r = reg("versions", "s", "--deleted")
    assert (r.rc, r.out) == (0, "-1\n2\n"), r  # soft-deleted versions are negative
    r = reg("--output", "json", "versions", "s", "--deleted")
    assert json.loads(r.out) == [-1, 2]
    r = reg("versions", "nope")
    assert r.rc == 1 and r.out == "" and "error 40401" in r.err and "nope" in r.err, r


# --- get and get-id -----------------------------------------------------------

def test_get(reg):
    reg.server.register("s", json.dumps(A1))
    reg.server.register("s", json.dumps(A2))
    r = reg("get", "s")
    assert r.rc == 0, r
    assert r.out == ("subject: s\nversion: 2\nid:      2\ntype:    AVRO\n%s\n" % compact(A2))
    r = reg("get", "s", "1")
    assert r.rc == 0 and r.out.splitlines()[1] == "version: 1" and compact(A1) in r.out
    r = reg("get", "s", "latest")
    assert r.rc == 0 and "version: 2" in r.out
    r = reg("--output", "json", "get", "s", "1")
    assert json.loads(r.out) == {"subject": "s", "version": 1, "id": 1, "schema": compact(A1)}
    reg.server.ok("DELETE", "/subjects/s/versions/1")
    r = reg("get", "s", "1")
    assert r.rc == 1 and "error 40402" in r.err, r
    r = reg("get", "s", "1", "--deleted")
    assert r.rc == 0 and "version: 1" in r.out, r
    r = reg("get", "s", "0")
    assert r.rc == 1 and "error 42202" in r.err, r
    r = reg("get", "nope")
    assert r.rc == 1 and "error 40401" in r.err, r


def test_get_with_references_and_types(reg):
    reg.server.register("addr", json.dumps(ADDRESS))
    reg.server.register("person", json.dumps(PERSON), references=[
        {"name": "com.acme.Address", "subject": "addr", "version": 1}])
    reg.server.register("m.proto", PROTO, "PROTOBUF")
    r = reg("get", "person")
    assert r.rc == 0, r
    assert "ref:     com.acme.Address=addr:1\n" in r.out
    r = reg("get", "m.proto")
    assert r.rc == 0 and "type:    PROTOBUF\n" in r.out and "message M" in r.out, r
    r = reg("--output", "json", "get", "person")
    assert json.loads(r.out)["references"] == [
        {"name": "com.acme.Address", "subject": "addr", "version": 1}]


def test_get_id(reg):
    reg.server.register("s", json.dumps(A1))
    r = reg("get-id", "1")
    assert (r.rc, r.out) == (0, "id:      1\ntype:    AVRO\n%s\n" % compact(A1)), r
    r = reg("--output", "json", "get-id", "1")
    assert json.loads(r.out) == {"schema": compact(A1), "id": 1}
    r = reg("get-id", "7")
    assert r.rc == 1 and r.out == "" and "error 40403" in r.err, r
    for bad in ("x", "0", "-3"):
        r = reg("get-id", bad)
        assert r.rc == 3 and "not a schema id" in r.err, r


# --- register -----------------------------------------------------------------

def test_register_types_from_extension(reg):
    r = reg("register", "a-value", reg.write("a.avsc", A1))
    assert (r.rc, r.out) == (0, "1\n"), r
    r = reg("register", "m.proto", reg.write("m.proto", PROTO))
    assert (r.rc, r.out) == (0, "2\n"), r
    r = reg("register", "j-value", reg.write("j.json", JSONS))
    assert (r.rc, r.out) == (0, "3\n"), r
    assert raw(reg.url, "GET", "/schemas/ids/2")[1]["schemaType"] == "PROTOBUF"
    assert raw(reg.url, "GET", "/schemas/ids/3")[1]["schemaType"] == "JSON"
    assert "schemaType" not in raw(reg.url, "GET", "/schemas/ids/1")[1]
    # idempotent
    r = reg("register", "a-value", reg.write("again.avsc", A1))
    assert (r.rc, r.out) == (0, "1\n"), r
    r = reg("--output", "json", "register", "a-value", reg.write("a2.avsc", A2))
    assert r.rc == 0 and json.loads(r.out) == {"id": 4}


def test_register_type_option(reg):
    f = reg.write("schema.txt", PROTO)
    r = reg("register", "p", f)
    assert r.rc == 3 and "--type" in r.err, r
    r = reg("register", "p", f, "--type", "PROTOBUF")
    assert (r.rc, r.out) == (0, "1\n"), r
    # --type wins over the extension
    r = reg("register", "j", reg.write("looks.avsc", JSONS), "--type", "JSON")
    assert (r.rc, r.out) == (0, "2\n"), r
    assert raw(reg.url, "GET", "/schemas/ids/2")[1]["schemaType"] == "JSON"
    r = reg("register", "p", f, "--type", "XML")
    assert r.rc == 3 and "AVRO, PROTOBUF or JSON" in r.err, r


def test_register_with_references(reg):
    reg("register", "addr", reg.write("addr.avsc", ADDRESS))
    r = reg("register", "person", reg.write("person.avsc", PERSON),
            "--ref", "com.acme.Address=addr:1")
    assert (r.rc, r.out) == (0, "2\n"), r
    assert raw(reg.url, "GET", "/schemas/ids/2")[1]["references"] == [
        {"name": "com.acme.Address", "subject": "addr", "version": 1}]
    # Protobuf imports and JSON Schema $refs, with "latest" as -1
    assert reg("register", "m.proto", reg.write("m.proto", PROTO)).rc == 0
    r = reg("register", "n-value", reg.write("n.proto", PROTO_MAIN), "--ref", "m.proto=m.proto:-1")
    assert (r.rc, r.out) == (0, "4\n"), r
    assert raw(reg.url, "GET", "/schemas/ids/4")[1]["references"] == [
        {"name": "m.proto", "subject": "m.proto", "version": 1}]
    assert reg("register", "x", reg.write("x.json", JSONS)).rc == 0
    r = reg("register", "y", reg.write("y.json", JSON_REF), "--ref", "x.json=x:1")
    assert (r.rc, r.out) == (0, "6\n"), r
    # without the reference the schema does not resolve: the server says why
    r = reg("register", "person2", reg.write("person.avsc", PERSON))
    assert r.rc == 1 and "error 42201" in r.err, r
    for bad in ("noequals", "a=b", "a=b:x", "a=b:0"):
        r = reg("register", "person", reg.write("person.avsc", PERSON), "--ref", bad)
        assert r.rc == 3 and "NAME=SUBJECT:VERSION" in r.err, (bad, r)


def test_register_normalize(reg):
    r = reg("register", "s", reg.write("a.avsc", A1), "--normalize")
    assert (r.rc, r.out) == (0, "1\n"), r


def test_register_errors(reg, tmp_path):
    r = reg("register", "s", tmp_path / "missing.avsc")
    assert r.rc == 2 and "missing.avsc" in r.err, r
    r = reg("register", "s", reg.write("broken.avsc", "{not json"))
    assert r.rc == 1 and "error 42201" in r.err, r
    reg("register", "s", reg.write("a.avsc", A1))
    r = reg("register", "s", reg.write("bad.avsc", A_BAD))
    assert r.rc == 1 and "error 409" in r.err and "incompatible" in r.err, r
    f = tmp_path / "latin1.avsc"
    f.write_bytes(b'"\xe9"')
    r = reg("register", "s", f)
    assert r.rc == 2 and "UTF-8" in r.err, r
    r = reg("register", "s")
    assert r.rc == 3 and "missing arguments" in r.err, r
    r = reg("register", "s", "a.avsc", "--bogus")
    assert r.rc == 3 and "unknown option --bogus" in r.err, r


# --- lookup and test ----------------------------------------------------------

def test_lookup(reg):
    reg.server.register("s", json.dumps(A1))
    reg.server.register("s", json.dumps(A2))
    r = reg("lookup", "s", reg.write("a.avsc", A1))
    assert r.rc == 0 and r.out.startswith("subject: s\nversion: 1\nid:      1\n"), r
    r = reg("--output", "json", "lookup", "s", reg.write("a2.avsc", A2))
    assert json.loads(r.out) == {"subject": "s", "version": 2, "id": 2, "schema": compact(A2)}
    r = reg("lookup", "s", reg.write("bad.avsc", A_BAD))
    assert r.rc == 1 and "error 40403" in r.err, r
    reg.server.ok("DELETE", "/subjects/s/versions/1")
    r = reg("lookup", "s", reg.write("a.avsc", A1))
    assert r.rc == 1 and "error 40403" in r.err, r
    r = reg("lookup", "s", reg.write("a.avsc", A1), "--deleted")
    assert r.rc == 0 and "version: 1" in r.out, r


def test_test_compatibility(reg):
    reg.server.register("s", json.dumps(A1))
    r = reg("test", "s", reg.write("a2.avsc", A2))
    assert (r.rc, r.out) == (0, "compatible\n"), r
    r = reg("test", "s", reg.write("bad.avsc", A_BAD))
    assert r.rc == 1, r  # a CI step must fail on an incompatible schema
    assert r.out.startswith("incompatible\n  {errorType:'TYPE_MISMATCH'"), r
    r = reg("--output", "json", "test", "s", reg.write("bad.avsc", A_BAD))
    assert r.rc == 1
    doc = json.loads(r.out)
    assert doc["is_compatible"] is False and doc["messages"]
    r = reg("--output", "json", "test", "s", reg.write("a2.avsc", A2))
    assert r.rc == 0 and json.loads(r.out) == {"is_compatible": True, "messages": []}
    # against one version; an unknown version is the server's 40402
    reg.server.register("s", json.dumps(A2))
    r = reg("test", "s", reg.write("a2.avsc", A2), "--version", "1")
    assert (r.rc, r.out) == (0, "compatible\n"), r
    r = reg("test", "s", reg.write("a2.avsc", A2), "--version", "9")
    assert r.rc == 1 and "error 40402" in r.err, r
    # a new subject: anything is compatible
    r = reg("test", "fresh", reg.write("bad.avsc", A_BAD))
    assert (r.rc, r.out) == (0, "compatible\n"), r
    # the subject's level decides: dropping a field without a default is
    # BACKWARD compatible but not FORWARD compatible
    reg.server.register("s", json.dumps(A_NODEFAULT))
    r = reg("test", "s", reg.write("a1.avsc", A1))
    assert (r.rc, r.out) == (0, "compatible\n"), r
    reg.server.ok("PUT", "/config/s", {"compatibility": "FORWARD"})
    r = reg("test", "s", reg.write("a1.avsc", A1))
    assert r.rc == 1 and r.out.startswith("incompatible\n"), r


# --- delete -------------------------------------------------------------------

def test_delete_version_and_subject(reg):
    reg.server.register("s", json.dumps(A1))
    reg.server.register("s", json.dumps(A2))
    r = reg("delete", "s", "1")
    assert (r.rc, r.out) == (0, "1\n"), r
    assert raw(reg.url, "GET", "/subjects/s/versions?deletedAsNegative=true")[1] == [-1, 2]
    r = reg("delete", "s", "1")
    assert r.rc == 1 and "error 40406" in r.err, r
    r = reg("delete", "s", "2", "--permanent")
    assert r.rc == 1 and "error 40407" in r.err, r
    r = reg("delete", "s", "1", "--permanent")
    assert (r.rc, r.out) == (0, "1\n"), r
    assert raw(reg.url, "GET", "/subjects/s/versions?deletedAsNegative=true")[1] == [2]
    r = reg("delete", "s", "--permanent")
    assert r.rc == 1 and "error 40405" in r.err, r
    r = reg("--output", "json", "delete", "s")
    assert r.rc == 0 and json.loads(r.out) == [2], r
    r = reg("delete", "s")
    assert r.rc == 1 and "error 40404" in r.err, r
    r = reg("delete", "s", "--permanent")
    assert (r.rc, r.out) == (0, "2\n"), r
    assert raw(reg.url, "GET", "/subjects?deleted=true")[1] == []
    r = reg("delete", "s")
    assert r.rc == 1 and "error 40401" in r.err, r


def test_delete_blocked_by_reference(reg):
    reg.server.register("addr", json.dumps(ADDRESS))
    reg.server.register("person", json.dumps(PERSON), references=[
        {"name": "com.acme.Address", "subject": "addr", "version": 1}])
    r = reg("delete", "addr", "1")
    assert r.rc == 1 and "error 42206" in r.err, r


# --- config and mode ----------------------------------------------------------

def test_config(reg):
    r = reg("config")
    assert (r.rc, r.out) == (0, "BACKWARD\n"), r
    r = reg("config", "full")  # a level alone: the global level
    assert (r.rc, r.out) == (0, "FULL\n"), r
    assert raw(reg.url, "GET", "/config")[1] == {"compatibilityLevel": "FULL"}
    r = reg("--output", "json", "config")
    assert json.loads(r.out) == {"compatibilityLevel": "FULL"}
    r = reg("config", "s")
    assert r.rc == 1 and "error 40408" in r.err, r
    r = reg("config", "s", "NONE")
    assert (r.rc, r.out) == (0, "NONE\n"), r
    r = reg("config", "s")
    assert (r.rc, r.out) == (0, "NONE\n"), r
    r = reg("--output", "json", "config", "s", "FORWARD_TRANSITIVE")
    assert json.loads(r.out) == {"compatibility": "FORWARD_TRANSITIVE"}
    r = reg("config", "s", "SIDEWAYS")
    assert r.rc == 1 and "error 42203" in r.err, r
    r = reg("config", "s", "--delete")
    assert (r.rc, r.out) == (0, "FORWARD_TRANSITIVE\n"), r
    r = reg("config", "s", "--delete")
    assert r.rc == 1 and "error 40401" in r.err, r
    r = reg("config", "--delete")
    assert (r.rc, r.out) == (0, "FULL\n"), r
    assert raw(reg.url, "GET", "/config")[1] == {"compatibilityLevel": "BACKWARD"}
    # a subject named like a level is reached through the default context
    r = reg("config", ":.:FULL", "NONE")
    assert r.rc == 0, r
    assert raw(reg.url, "GET", "/config/FULL")[1] == {"compatibilityLevel": "NONE"}
    assert raw(reg.url, "GET", "/config")[1] == {"compatibilityLevel": "BACKWARD"}


def test_mode(reg):
    r = reg("mode")
    assert (r.rc, r.out) == (0, "READWRITE\n"), r
    r = reg("mode", "s")
    assert r.rc == 1 and "error 40409" in r.err, r
    r = reg("mode", "s", "READONLY")
    assert (r.rc, r.out) == (0, "READONLY\n"), r
    r = reg("--output", "json", "mode", "s")
    assert json.loads(r.out) == {"mode": "READONLY"}
    r = reg("register", "s", reg.write("a.avsc", A1))
    assert r.rc == 1 and "error 42205" in r.err, r
    r = reg("mode", "s", "--delete")
    assert (r.rc, r.out) == (0, "READONLY\n"), r
    reg("register", "s", reg.write("a.avsc", A1))
    # IMPORT needs an empty scope unless forced
    r = reg("mode", "IMPORT")
    assert r.rc == 1 and "error 42205" in r.err, r
    r = reg("mode", "IMPORT", "--force")
    assert (r.rc, r.out) == (0, "IMPORT\n"), r
    assert raw(reg.url, "GET", "/mode")[1] == {"mode": "IMPORT"}
    r = reg("mode", "s", "bogus")
    assert r.rc == 1 and "error 42204" in r.err, r
    r = reg("mode", "readonly")
    assert (r.rc, r.out) == (0, "readonly\n"), r  # echoed as sent, like Confluent
    r = reg("mode", "--delete")
    assert (r.rc, r.out) == (0, "READONLY\n"), r
    assert raw(reg.url, "GET", "/mode")[1] == {"mode": "READWRITE"}


# --- where the registry is ----------------------------------------------------

def test_url_from_environment(servers, cli):
    s = servers()
    s.register("from-env", json.dumps(A1))
    r = cli("subjects", env={"SCHEMAREG_URL": s.url})
    assert (r.rc, r.out) == (0, "from-env\n"), r
    # --url wins over the environment
    r = cli("--url", s.url, "subjects", env={"SCHEMAREG_URL": dead_url()})
    assert (r.rc, r.out) == (0, "from-env\n"), r
    # a trailing slash is fine
    r = cli("--url", s.url + "/", "subjects")
    assert (r.rc, r.out) == (0, "from-env\n"), r


def test_unreachable_registry(cli):
    url = dead_url()
    for args in (["subjects"], ["versions", "s"], ["get", "s"], ["get-id", "1"],
                 ["delete", "s"], ["config"], ["mode"], ["test", "s", "/dev/null", "--type",
                                                          "AVRO"]):
        r = cli("--url", url, *args)
        assert r.rc == 4, (args, r)
        assert "cannot reach the registry at %s/" % url in r.err, (args, r)
        assert r.out == ""
    r = cli("subjects", env={"SCHEMAREG_URL": url})
    assert r.rc == 4 and url in r.err, r


class FakeRegistry(http.server.BaseHTTPRequestHandler):
    """Records requests; answers /subjects with [] and anything else with a plain
    text 500 (not JSON)."""

    def do_GET(self):
        self.server.seen.append((self.path, self.headers.get("Authorization")))
        if self.path.startswith("/subjects"):
            body, status, ctype = b"[]", 200, "application/vnd.schemaregistry.v1+json"
        else:
            body, status, ctype = b"proxy exploded", 502, "text/plain"
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeRegistry)
    srv.seen = []
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    srv.url = "http://127.0.0.1:%d" % srv.server_address[1]
    yield srv
    srv.shutdown()
    srv.server_close()


def test_credentials(cli, fake):
    r = cli("--url", fake.url, "--user", "alice:s3cret", "subjects")
    assert r.rc == 0, r
    assert fake.seen[-1] == ("/subjects?deleted=false",
                             "Basic " + base64.b64encode(b"alice:s3cret").decode())
    r = cli("--url", fake.url, "subjects", env={"SCHEMAREG_USER": "bob:pw"})
    assert r.rc == 0 and fake.seen[-1][1] == "Basic " + base64.b64encode(b"bob:pw").decode()
    r = cli("--url", fake.url, "subjects")
    assert r.rc == 0 and fake.seen[-1][1] is None


def test_error_without_json_body(cli, fake):
    r = cli("--url", fake.url, "get-id", "1")
    assert r.rc == 1 and "HTTP 502: proxy exploded" in r.err, r


def test_global_usage_errors(cli):
    r = cli()
    assert r.rc == 3 and "usage: schemareg" in r.err
    r = cli("frobnicate")
    assert r.rc == 3 and "unknown command 'frobnicate'" in r.err
    r = cli("--output", "yaml", "subjects")
    assert r.rc == 3 and "--output must be text or json" in r.err
    r = cli("--bogus", "subjects")
    assert r.rc == 3 and "unknown option --bogus" in r.err
    r = cli("--url")
    assert r.rc == 3 and "needs a value" in r.err
    r = cli("versions")
    assert r.rc == 3 and "missing arguments" in r.err
    r = cli("get-id", "1", "2")
    assert r.rc == 3 and "unexpected argument '2'" in r.err
