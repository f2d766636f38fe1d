"""`schemareg copy`, `export` and `import` against real servers (issue 5 §3).

A source registry is filled with all three formats, references (Avro named types,
Protobuf imports, JSON Schema $refs), soft-deleted versions (also referenced ones,
and a subject whose every version is soft-deleted), hard-deleted gaps in ids and
versions, shared ids, metadata and ruleSet, per-subject config and mode, and a
global config and mode. After a copy the target must answer every read exactly as
the source does.
"""

import json
import os
import pty
import sqlite3
import subprocess
import threading

import pytest

from cli_support import cli, dead_url, http, q, servers  # noqa: F401 (fixtures)


def avro(name, *fields):
    return json.dumps({"type": "record", "name": name,
                       "fields": [f if isinstance(f, dict) else {"name": f[0], "type": f[1]}
                                  for f in fields]})


ADDRESS = avro("Address", ("street", "string"))
ADDRESS_V2 = avro("Address", ("street", "string"),
                  {"name": "zip", "type": "string", "default": ""})
PERSON = avro("Person", ("name", "string"), ("addr", "Address"))

OTHER_PROTO = 'syntax = "proto3";\npackage other;\nmessage O { string x = 1; }\n'
MAIN_PROTO = ('syntax = "proto3";\npackage main;\nimport "other.proto";\n'
              'import "google/protobuf/timestamp.proto";\n'
              'message M { other.O o = 1; google.protobuf.Timestamp at = 2; }\n')
MAIN_PROTO_V2 = ('syntax = "proto3";\npackage main;\nimport "other.proto";\n'
                 'import "google/protobuf/timestamp.proto";\n'
                 'message M { other.O o = 1; google.protobuf.Timestamp at = 2; string n = 3; }\n')

ADDRESS_JSON = json.dumps({"type": "object", "properties": {"street": {"type": "string"}},
                           "definitions": {"zip": {"type": "string"}}})
PERSON_JSON = json.dumps({"type": "object",
                          "properties": {"home": {"$ref": "address.json"},
                                         "zip": {"$ref": "address.json#/definitions/zip"}}})

META = {"properties": {"owner": "bob", "team": "payments"}, "tags": {"Person.name": ["PII"]}}
RULES = {"domainRules": [{"name": "nonEmpty", "kind": "CONDITION", "mode": "WRITE",
                          "type": "CEL", "expr": "message.name != ''"}]}


# What populate() puts in a registry, as the summary line counts it.
SUMMARY_START = ("%s 13 subjects, 19 versions (4 soft-deleted), 17 schemas, 5 configs, 3 modes "
                 "from ")


def populate(src, global_mode="READONLY"):
    """Fill `src`; returns nothing, the tests compare whole registries."""
    # Avro with references, two versions each
    src.register("addr-value", ADDRESS)
    src.register("addr-value", ADDRESS_V2)
    src.register("person-value", PERSON,
                 references=[{"name": "Address", "subject": "addr-value", "version": 1}])
    src.register("person-value", PERSON,
                 references=[{"name": "Address", "subject": "addr-value", "version": 2}],
                 metadata=META, ruleSet=RULES)
    # Protobuf: an import through a reference and a bundled well-known import
    src.register("other.proto", OTHER_PROTO, "PROTOBUF")
    src.register("main-value", MAIN_PROTO, "PROTOBUF",
                 references=[{"name": "other.proto", "subject": "other.proto", "version": 1}])
    src.register("main-value", MAIN_PROTO_V2, "PROTOBUF",
                 references=[{"name": "other.proto", "subject": "other.proto", "version": 1}])
    # JSON Schema with $refs into another subject
    src.register("address-json", ADDRESS_JSON, "JSON")
    src.register("person-json", PERSON_JSON, "JSON",
                 references=[{"name": "address.json", "subject": "address-json", "version": 1}])
    # the same content in two subjects: one id
    a = src.register("dup-a", avro("Dup", ("x", "int")))
    assert src.register("dup-b", avro("Dup", ("x", "int"))) == a

    # a hard-deleted subject leaves a gap in the ids
    src.register("gone-value", avro("Gone", ("g", "string")))
    src.ok("DELETE", "/subjects/gone-value")
    src.ok("DELETE", "/subjects/gone-value?permanent=true")
    # a hard-deleted version leaves a gap in the versions (1, 3) and in the ids
    src.register("gap-value", avro("Gap", ("a", "string")))
    src.register("gap-value", avro("Gap", ("a", "string"),
                                   {"name": "b", "type": "int", "default": 0}))
    src.register("gap-value", avro("Gap", ("a", "string"),
                                   {"name": "c", "type": "int", "default": 0}))
    src.ok("PUT", "/config/gap-value", {"compatibility": "NONE"})
    src.ok("DELETE", "/subjects/gap-value/versions/2")
    src.ok("DELETE", "/subjects/gap-value/versions/2?permanent=true")
    # soft-deleted versions: one in a live subject, and a subject soft-deleted whole
    src.register("temp-value", avro("Temp", ("t", "string")))
    src.register("temp-value", avro("Temp", ("t", "string"),
                                    {"name": "u", "type": "string", "default": "x"}))
    src.ok("DELETE", "/subjects/temp-value/versions/1")
    src.register("retired-value", avro("Retired", ("r", "string")))
    src.ok("DELETE", "/subjects/retired-value")
    # a soft-deleted version still referenced by a soft-deleted referrer, and its
    # content registered again in the same subject (same id, new version)
    base = src.register("base-value", avro("Base", ("b", "string")))
    src.register("holder-value", avro("Holder", ("base", "Base")),
                 references=[{"name": "Base", "subject": "base-value", "version": 1}])
    src.ok("DELETE", "/subjects/holder-value/versions/1")
    src.ok("DELETE", "/subjects/base-value/versions/1")
    assert src.register("base-value", avro("Base", ("b", "string"))) == base
    assert src.ok("GET", "/subjects/base-value/versions?deletedAsNegative=true") == [-1, 2]

    # configs and modes, global and per subject (set last: they restrict writes)
    src.ok("PUT", "/config/addr-value", {"compatibility": "none"})
    src.ok("PUT", "/config/main-value", {"compatibility": "FULL_TRANSITIVE", "normalize": True})
    src.ok("PUT", "/config/retired-value", {"compatibility": "FORWARD"})
    src.ok("PUT", "/config", {"compatibility": "FULL"})
    src.ok("PUT", "/mode/person-value", {"mode": "READONLY"})
    src.ok("PUT", "/mode/other.proto?force=true", {"mode": "IMPORT"})
    if global_mode:
        src.ok("PUT", "/mode", {"mode": global_mode})


def reads(url):
    """Every read a client could make, as {request: (status, body)}."""
    out = {}

    def get(path):
        out[path] = http(url, "GET", path)
        return out[path][1]

    subjects = get("/subjects?deleted=true")
    get("/subjects")
    get("/subjects?deletedOnly=true")
    get("/schemas?deleted=true")
    get("/config")
    get("/mode")
    max_id = 0
    for s in subjects:
        get("/config/%s" % q(s))
        get("/mode/%s" % q(s))
        get("/subjects/%s/versions" % q(s))
        for v in get("/subjects/%s/versions?deletedAsNegative=true" % q(s)):
            body = get("/subjects/%s/versions/%d?deleted=true" % (q(s), abs(v)))
            get("/subjects/%s/versions/%d" % (q(s), abs(v)))
            get("/subjects/%s/versions/%d/referencedby?deleted=true" % (q(s), abs(v)))
            max_id = max(max_id, body["id"])
        get("/subjects/%s/versions/latest" % q(s))
    for i in range(1, max_id + 2):
        get("/schemas/ids/%d" % i)
        get("/schemas/ids/%d/versions?deleted=true" % i)
    return out


def assert_same_reads(src, dst):
    a, b = reads(src.url), reads(dst.url)
    assert a.keys() == b.keys()
    diff = [k for k in a if a[k] != b[k]]
    assert not diff, "\n".join("%s\n  source %r\n  target %r" % (k, a[k], b[k]) for k in diff)
    return a


def test_populated_source_has_everything(servers):
    # The fixture itself: every case the copy tests rely on is really there.
    src = servers()
    populate(src)
    r = reads(src.url)
    assert r["/subjects?deleted=true"][1] == sorted(r["/subjects?deleted=true"][1])
    assert "retired-value" in r["/subjects?deletedOnly=true"][1]
    assert r["/subjects/gap-value/versions?deletedAsNegative=true"] == (200, [1, 3])
    assert r["/subjects/temp-value/versions?deletedAsNegative=true"] == (200, [-1, 2])
    types = {b.get("schemaType", "AVRO") for (st, b) in r.values()
             if st == 200 and isinstance(b, dict) and "schema" in b}
    assert types == {"AVRO", "PROTOBUF", "JSON"}
    gaps = [p for p, (st, _) in r.items() if p.startswith("/schemas/ids/") and
            p.count("/") == 3 and st == 404]
    assert len(gaps) >= 3  # gone-value, gap-value v2, and one past the end
    assert r["/mode"] == (200, {"mode": "READONLY"})
    assert r["/mode/other.proto"] == (200, {"mode": "IMPORT"})


def test_copy_registry_to_registry(servers, cli):
    src, dst = servers(), servers()
    populate(src)
    r = cli("copy", "--from", src.url, "--to", dst.url)
    assert r.rc == 0, r
    lines = r.out.splitlines()
    assert len(lines) == 1, r  # in a pipe: one summary line
    assert lines[0].startswith(SUMMARY_START % "copied"), r
    assert lines[0].endswith(": identical")
    assert "\r" not in r.err and r.err == "", r
    assert_same_reads(src, dst)
    # the modes are the source's again, and the target works as a registry
    assert http(dst.url, "GET", "/mode") == (200, {"mode": "READONLY"})
    dst.ok("PUT", "/mode", {"mode": "READWRITE"})
    top = max(v["id"] for v in src.ok("GET", "/schemas?deleted=true"))
    assert dst.register("fresh-value", avro("Fresh", ("f", "string"))) > top


def test_copy_json_summary(servers, cli):
    src, dst = servers(), servers()
    populate(src, global_mode=None)
    r = cli("--output", "json", "copy", "--from", src.url, "--to", dst.url)
    assert r.rc == 0, r
    doc = json.loads(r.out)
    assert doc["identical"] is True
    assert doc["differences"] == [] and doc["errors"] == []
    assert (doc["subjects"], doc["versions"], doc["deleted_versions"]) == (13, 19, 4)
    assert doc["schemas"] == 17
    assert doc["configs"] == 5 and doc["modes"] == 3  # global + per subject
    assert doc["source"] == src.url and doc["target"] == dst.url
    assert_same_reads(src, dst)


def test_copy_refuses_non_empty_target(servers, cli):
    src, dst = servers(), servers()
    populate(src)
    dst.register("already-here", avro("Here", ("h", "string")))
    before = reads(dst.url)
    r = cli("copy", "--from", src.url, "--to", dst.url)
    assert r.rc == 1, r
    assert "not empty" in r.err and "already-here" in r.err and dst.url in r.err, r
    assert "nothing was changed" in r.err
    assert reads(dst.url) == before


def test_copy_refuses_target_with_only_soft_deleted_subjects(servers, cli):
    src, dst = servers(), servers()
    src.register("a", avro("A", ("a", "string")))
    dst.register("old", avro("Old", ("o", "string")))
    dst.ok("DELETE", "/subjects/old")
    before = reads(dst.url)
    r = cli("copy", "--from", src.url, "--to", dst.url)
    assert r.rc == 1 and "not empty" in r.err and '"old"' in r.err, r
    assert reads(dst.url) == before


def test_copy_from_sqlite_file(servers, cli, tmp_path):
    src = servers()
    populate(src)
    expected = reads(src.url)
    assert src.stop() == 0
    # the database is read read-only: not a byte of it changes
    with open(src.db, "rb") as f:
        image = f.read()
    dst = servers()
    r = cli("copy", "--from", src.db, "--to", dst.url)
    assert r.rc == 0, r
    assert r.out.startswith(SUMMARY_START % "copied"), r
    assert r.out.rstrip().endswith(": identical"), r
    with open(src.db, "rb") as f:
        assert f.read() == image
    assert not os.path.exists(src.db + "-wal")
    got = reads(dst.url)
    assert got == expected


def test_copy_from_sqlite_file_while_server_runs(servers, cli):
    src = servers()
    populate(src, global_mode=None)
    dst = servers()
    r = cli("copy", "--from", src.db, "--to", dst.url)
    assert r.rc == 0, r
    assert_same_reads(src, dst)


def test_export_import_round_trip(servers, cli, tmp_path):
    src = servers()
    populate(src)
    out = tmp_path / "backup.json"
    r = cli("export", "--from", src.url, "--out", out)
    assert r.rc == 0, r
    assert r.out.startswith(SUMMARY_START % "exported"), r
    assert r.out.rstrip().endswith(": identical"), r
    doc = json.loads(out.read_text())
    assert doc["format"] == "schemareg-export" and doc["version"] == 1
    assert doc["mode"] == "READONLY"
    assert doc["config"] == {"compatibilityLevel": "FULL"}
    assert [s["id"] for s in doc["schemas"]] == sorted(s["id"] for s in doc["schemas"])
    assert [s["subject"] for s in doc["subjects"]] == sorted(s["subject"] for s in doc["subjects"])
    by_name = {s["subject"]: s for s in doc["subjects"]}
    assert by_name["temp-value"]["versions"][0]["deleted"] is True
    assert by_name["person-value"]["mode"] == "READONLY"
    assert by_name["main-value"]["config"] == {"compatibilityLevel": "FULL_TRANSITIVE",
                                               "normalize": True}
    assert "config" not in by_name["dup-a"] and "mode" not in by_name["dup-a"]
    person = [s for s in doc["schemas"] if s.get("metadata")]
    assert person and person[0]["metadata"] == META and person[0]["ruleSet"] == RULES

    dst = servers()
    r = cli("import", out, "--to", dst.url)
    assert r.rc == 0, r
    assert r.out.startswith(SUMMARY_START % "imported"), r
    assert r.out.rstrip().endswith(": identical"), r
    assert_same_reads(src, dst)
    # export is deterministic: the target exports the very same document
    out2 = tmp_path / "again.json"
    assert cli("export", "--from", dst.url, "--out", out2).rc == 0
    assert out2.read_text() == out.read_text()


def test_export_to_stdout_and_import_with_url_from_env(servers, cli, tmp_path):
    src, dst = servers(), servers()
    populate(src, global_mode=None)
    r = cli("export", env={"SCHEMAREG_URL": src.url})
    assert r.rc == 0, r
    doc = json.loads(r.out)
    assert doc["format"] == "schemareg-export"
    assert r.err.startswith("exported 13 subjects") and "standard output" in r.err, r
    f = tmp_path / "x.json"
    f.write_text(r.out)
    r = cli("import", f, env={"SCHEMAREG_URL": dst.url})
    assert r.rc == 0, r
    assert_same_reads(src, dst)


def test_export_from_sqlite_matches_export_from_url(servers, cli, tmp_path):
    src = servers()
    populate(src)
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert cli("export", "--from", src.url, "--out", a).rc == 0
    src.stop()
    r = cli("export", "--from", src.db, "--out", b)
    assert r.rc == 0, r
    assert json.loads(a.read_text()) == json.loads(b.read_text())


def test_copy_to_file_and_from_file(servers, cli, tmp_path):
    src = servers()
    populate(src, global_mode=None)
    f = tmp_path / "copy.json"
    r = cli("copy", "--from", src.url, "--to", f)
    assert r.rc == 0 and r.out.rstrip().endswith(": identical"), r
    dst = servers()
    r = cli("copy", "--from", f, "--to", dst.url)
    assert r.rc == 0, r
    assert_same_reads(src, dst)


def test_copy_reports_differences(servers, cli, tmp_path):
    # An export file edited by hand so that the target cannot match it: the
    # import says exactly what differs and exits 1.
    src = servers()
    src.register("a-value", avro("A", ("a", "string")))
    src.register("b-value", avro("B", ("b", "string")))
    src.register("c-value", avro("C", ("c", "string")))
    f = tmp_path / "e.json"
    assert cli("export", "--from", src.url, "--out", f).rc == 0
    doc = json.loads(f.read_text())
    by_id = {s["id"]: s for s in doc["schemas"]}
    # id 1: a text the registry stores in its canonical form, so it reads back otherwise
    by_id[1]["schema"] = '{"type": "string"}'
    # id 2: a reference that resolves nowhere, so it cannot be registered
    by_id[2]["references"] = [{"name": "Nope", "subject": "nope", "version": 1}]
    f.write_text(json.dumps(doc))
    dst = servers()
    r = cli("import", f, "--to", dst.url)
    assert r.rc == 1, r
    assert r.out.splitlines()[0].endswith("; 1 step failed: 3 differences"), r
    assert r.out.splitlines()[1:] == [
        '  subject "b-value": only in the source',
        "  schema id 1: schema text differs from byte 0 (18 bytes in the source, 8 in the "
        "target)",
        "  schema id 2: only in the source",
    ], r
    assert 'subject "b-value" version 1 (id 2): error 42201' in r.err, r
    # everything else was copied, and the modes were restored all the same
    assert http(dst.url, "GET", "/subjects/c-value/versions/1")[1]["id"] == 3
    assert http(dst.url, "GET", "/mode") == (200, {"mode": "READWRITE"})


def test_import_rejects_bad_files(servers, cli, tmp_path):
    dst = servers()
    cases = {
        "notjson.json": "{ nope",
        "wrongformat.json": json.dumps({"format": "something", "version": 1}),
        "newer.json": json.dumps({"format": "schemareg-export", "version": 99,
                                  "schemas": [], "subjects": []}),
        "dangling.json": json.dumps({"format": "schemareg-export", "version": 1,
                                     "schemas": [], "subjects": [
                                         {"subject": "s", "versions": [
                                             {"version": 1, "id": 7}]}]}),
    }
    messages = {"notjson.json": "not a registry database or an export file",
                "wrongformat.json": "\"format\" is not \"schemareg-export\"",
                "newer.json": "newer than this schemareg",
                "dangling.json": "id is not in \"schemas\""}
    for name, text in cases.items():
        f = tmp_path / name
        f.write_text(text)
        r = cli("import", f, "--to", dst.url)
        assert r.rc == 2, (name, r)
        assert messages[name] in r.err, (name, r)
    assert http(dst.url, "GET", "/subjects?deleted=true") == (200, [])
    assert http(dst.url, "GET", "/mode") == (200, {"mode": "READWRITE"})
    r = cli("import", tmp_path / "missing.json", "--to", dst.url)
    assert r.rc == 2 and "missing.json" in r.err, r


def test_usage_errors(cli, tmp_path, servers):
    assert cli("copy", "--from", "http://127.0.0.1:1").rc == 3
    assert cli("copy", "--to").rc == 3
    assert cli("copy", "--to", "x.json", "--bogus").rc == 3
    assert cli("import").rc == 3
    assert cli("import", "http://127.0.0.1:1/").rc == 3
    assert cli("export", "--out", "http://127.0.0.1:1").rc == 3
    # a registry database is never written directly
    src = servers()
    src.register("a", avro("A", ("a", "string")))
    src.stop()
    r = cli("copy", "--from", dead_url(), "--to", src.db)
    assert r.rc == 3 and "registry database" in r.err, r


def test_unreachable_registries(servers, cli, tmp_path):
    dead = dead_url()
    dst = servers()
    r = cli("copy", "--from", dead, "--to", dst.url)
    assert r.rc == 4 and dead in r.err, r
    assert http(dst.url, "GET", "/mode") == (200, {"mode": "READWRITE"})
    src = servers()
    src.register("a", avro("A", ("a", "string")))
    r = cli("copy", "--from", src.url, "--to", dead)
    assert r.rc == 4 and dead in r.err, r
    r = cli("export", "--from", dead)
    assert r.rc == 4 and dead in r.err and r.out == "", r


def test_progress_on_a_terminal(servers, cli):
    src, dst = servers(), servers()
    populate(src, global_mode=None)
    master, slave = pty.openpty()
    chunks = []

    def drain():  # read while the CLI writes: a full pty would block it
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO once the last writer is gone
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain)
    reader.start()
    try:
        p = subprocess.run([cli.binary, "copy", "--from", src.url, "--to", dst.url],
                           stdout=subprocess.PIPE, stderr=slave, env=cli.env(), timeout=120)
    finally:
        os.close(slave)
        reader.join(timeout=30)
        os.close(master)
    err = b"".join(chunks).decode()
    assert p.returncode == 0, err
    # redrawn in place: carriage returns, done/total counts and a rate
    assert "\r" in err and "\033[K" in err, err
    assert "schemareg copy: reading versions 19/19" in err, err
    assert "schemareg copy: writing 23/23" in err, err  # 19 versions, 4 soft deletes
    assert "schemareg copy: verifying versions 19/19" in err, err
    assert "/s)" in err, err
    assert err.endswith("\r\033[K"), err  # the status line is gone at the end
    assert p.stdout.decode().rstrip().endswith(": identical")


def test_large_registry_with_deep_reference_chain(servers, cli):
    # a chain of references across subjects, registered in an order that is not
    # the order of the names: copy must follow the references, not the names
    src, dst = servers(), servers()
    n = 40
    prev = None
    for i in range(n):
        name = "n%03d" % (n - i)  # later schemas get smaller names
        fields = [("v", "int")]
        refs = None
        if prev:
            fields.append(("prev", "R%d" % (i - 1)))
            refs = [{"name": "R%d" % (i - 1), "subject": prev, "version": 1}]
        src.register(name, avro("R%d" % i, *fields), references=refs)
        prev = name
    r = cli("copy", "--from", src.url, "--to", dst.url)
    assert r.rc == 0, r
    assert_same_reads(src, dst)


@pytest.mark.parametrize("mode", ["READWRITE", "IMPORT"])
def test_global_mode_restored(servers, cli, mode):
    src, dst = servers(), servers()
    src.register("a", avro("A", ("a", "string")))
    src.ok("PUT", "/mode?force=true", {"mode": mode})
    r = cli("copy", "--from", src.url, "--to", dst.url)
    assert r.rc == 0, r
    assert http(dst.url, "GET", "/mode") == (200, {"mode": mode})
    assert_same_reads(src, dst)


def test_sqlite_database_is_detected_by_content(servers, cli, tmp_path):
    src = servers()
    src.register("a", avro("A", ("a", "string")))
    src.stop()
    odd = tmp_path / "registry.json"  # a database, whatever the name says
    odd.write_bytes(open(src.db, "rb").read())
    with sqlite3.connect(str(odd)) as c:
        assert c.execute("SELECT COUNT(*) FROM versions").fetchone()[0] == 1
    dst = servers()
    r = cli("copy", "--from", odd, "--to", dst.url)
    assert r.rc == 0, r
    assert http(dst.url, "GET", "/subjects/a/versions") == (200, [1])


def test_copy_follows_references_not_ids(servers, cli):
    # A source filled through IMPORT mode can have a schema whose id is smaller
    # than the ids of what it references: the references decide the order.
    src, dst = servers(), servers()
    src.ok("PUT", "/mode", {"mode": "IMPORT"})
    src.register("leaf", avro("Leaf", ("l", "string")), id=50, version=1)
    src.register("mid", avro("Mid", ("leaf", "Leaf")), id=20, version=3,
                 references=[{"name": "Leaf", "subject": "leaf", "version": 1}])
    src.register("root", avro("Root", ("mid", "Mid")), id=10, version=7,
                 references=[{"name": "Mid", "subject": "mid", "version": 3}])
    src.ok("PUT", "/mode", {"mode": "READWRITE"})
    r = cli("copy", "--from", src.url, "--to", dst.url)
    assert r.rc == 0, r
    assert r.err == "", r
    assert_same_reads(src, dst)
    assert http(dst.url, "GET", "/subjects/root/versions/7")[1]["id"] == 10
