"""The server process: signals, persistence, settings (--config file, SCHEMA_REGISTRY_*
environment), concurrency."""

import os

from srapi import (HOST, S1, S1_TEXT, S2, S2_TEXT, S3, Client, assert_error, assert_ok,
                   body_for, compact, distinct_schema, free_port, run_threads)


# --- SIGTERM -----------------------------------------------------------------------------

def test_sigterm_exits_zero(start_server):
    srv = start_server()
    srv.client().register("t-value", S1)
    assert srv.stop() == 0


def test_sigterm_with_idle_keepalive_connection(start_server):
    srv = start_server()
    c = srv.client()
    conn = c.connection()
    try:
        assert_ok(c.get("/subjects", conn=conn), [])   # connection stays open (HTTP/1.1)
        assert srv.stop(timeout=5) == 0
    finally:
        conn.close()


def test_repeated_start_stop_exits_zero(start_server, tmp_path):
    # shutdown must be clean every time, with and without prior traffic
    for i in range(25):
        srv = start_server(workdir=tmp_path / ("cycle%d" % i))
        if i % 2:
            c = srv.client()
            c.register("t-value", S1)
            assert_ok(c.get("/schemas/ids/1"), {"schema": S1_TEXT})
        rc = srv.stop()
        assert rc == 0, "cycle %d: exit status %r; output:\n%s" % (i, rc, srv.log())


# --- persistence -------------------------------------------------------------------------

def test_data_persists_across_restart(start_server, tmp_path):
    workdir = tmp_path / "persist"
    srv = start_server(workdir=workdir)
    c = srv.client()
    assert c.register("t-value", S1) == 1
    assert c.register("t-value", S2) == 2
    assert c.register("other-value", S1) == 1
    c.set_config("NONE", subject="other-value")
    assert c.register("other-value", S3) == 3
    c.delete_version("t-value", 1)
    c.register("gone-value", distinct_schema(0))         # id 4
    c.delete_subject("gone-value")
    c.set_config("FULL")
    c.set_mode("READWRITE", subject="t-value")
    before = c.snapshot()
    assert srv.stop() == 0

    srv2 = start_server(workdir=workdir, port=free_port(), db=srv.db)
    c2 = srv2.client()
    assert c2.snapshot() == before
    assert_ok(c2.get("/schemas/ids/1"), {"schema": S1_TEXT})
    assert_ok(c2.get("/schemas/ids/2"), {"schema": S2_TEXT})
    assert_ok(c2.get("/subjects/t-value/versions/2"),
              {"subject": "t-value", "version": 2, "id": 2, "schema": S2_TEXT})
    assert_ok(c2.get("/config"), {"compatibilityLevel": "FULL"})
    assert_ok(c2.get("/config/other-value"), {"compatibilityLevel": "NONE"})
    assert_ok(c2.get("/mode/t-value"), {"mode": "READWRITE"})
    assert_ok(c2.get("/subjects?deletedOnly=true"), ["gone-value"])
    # the id counter continues, versions continue after the soft-deleted row
    assert c2.register("new-value", distinct_schema(1)) == 5
    assert c2.register("t-value", S1) == 1
    assert_ok(c2.get("/subjects/t-value/versions"), [2, 3])


def test_hard_deleted_ids_not_reused_after_restart(start_server, tmp_path):
    workdir = tmp_path / "ids"
    srv = start_server(workdir=workdir)
    c = srv.client()
    c.set_config("NONE")
    assert c.register("s", distinct_schema(0)) == 1
    assert c.register("s", distinct_schema(1)) == 2
    c.delete_subject("s")
    c.delete_subject("s", permanent=True)
    assert srv.stop() == 0
    c2 = start_server(workdir=workdir, port=free_port(), db=srv.db).client()
    assert_error(c2.get("/schemas/ids/2"), 404, 40403)
    assert c2.register("x", distinct_schema(7)) == 3
    assert c2.register("s", distinct_schema(1)) == 2


def test_import_counter_persists(start_server, tmp_path):
    workdir = tmp_path / "imp"
    srv = start_server(workdir=workdir)
    c = srv.client()
    c.set_mode("IMPORT")
    assert_ok(c.post("/subjects/imp/versions", body=body_for(S1, id=100, version=1)),
              {"id": 100})
    c.set_mode("READWRITE")
    assert srv.stop() == 0
    c2 = start_server(workdir=workdir, port=free_port(), db=srv.db).client()
    assert_ok(c2.get("/mode"), {"mode": "READWRITE"})
    assert c2.register("n", S3) == 101


# --- settings ---------------------------------------------------------------------------

def test_config_file_compatibility_level(start_server):
    c = start_server(config="# schemareg test\n\nschema.compatibility.level=full\n").client()
    assert_ok(c.get("/config"), {"compatibilityLevel": "FULL"})
    # it is the server default: DELETE /config falls back to it
    c.set_config("NONE")
    assert_ok(c.delete("/config"), {"compatibilityLevel": "NONE"})
    assert_ok(c.get("/config"), {"compatibilityLevel": "FULL"})
    # and it is enforced
    c.register("t-value", S1)
    assert_error(c.post("/subjects/t-value/versions", body=body_for(S3)), 409, 409)


def test_env_compatibility_level(start_server):
    c = start_server(env={"SCHEMA_REGISTRY_SCHEMA_COMPATIBILITY_LEVEL": "NONE"}).client()
    assert_ok(c.get("/config"), {"compatibilityLevel": "NONE"})
    c.register("t-value", S1)
    assert_ok(c.post("/subjects/t-value/versions", body=body_for(S3)), {"id": 2})


def test_env_compatibility_level_lower_case(start_server):
    c = start_server(env={"SCHEMA_REGISTRY_SCHEMA_COMPATIBILITY_LEVEL": "forward_transitive"}) \
        .client()
    assert_ok(c.get("/config"), {"compatibilityLevel": "FORWARD_TRANSITIVE"})


def test_config_file_listeners_and_db_path(start_server, tmp_path):
    port = free_port()
    db = str(tmp_path / "from-config.db")
    text = ("# comment line\n"
            "listeners=http://%s:%d\n"
            "db.path=%s\n"
            "\n"
            "schema.compatibility.level=NONE\n") % (HOST, port, db)
    srv = start_server(listen=False, db=None, port=port, config=text)
    c = Client(HOST, port)
    assert_ok(c.get("/config"), {"compatibilityLevel": "NONE"})
    assert c.register("t-value", S1) == 1
    assert srv.stop() == 0
    assert os.path.exists(db)
    port2 = free_port()
    text2 = "listeners=http://%s:%d\ndb.path=%s\n" % (HOST, port2, db)
    srv2 = start_server(workdir=tmp_path / "again", listen=False, db=None, port=port2,
                        config=text2)
    assert_ok(srv2.client().get("/subjects"), ["t-value"])
    assert_ok(srv2.client().get("/config"), {"compatibilityLevel": "BACKWARD"})


def test_env_listeners_and_db_path(start_server, tmp_path):
    port = free_port()
    db = str(tmp_path / "from-env.db")
    srv = start_server(listen=False, db=None, port=port,
                       env={"SCHEMA_REGISTRY_LISTENERS": "http://%s:%d" % (HOST, port),
                            "SCHEMA_REGISTRY_DB_PATH": db})
    c = Client(HOST, port)
    assert c.register("t-value", S1) == 1
    assert srv.stop() == 0
    assert os.path.exists(db)


def test_unknown_config_keys_ignored(start_server):
    text = ("kafkastore.bootstrap.servers=PLAINTEXT://localhost:9092\n"
            "schema.registry.group.id=schema-registry\n"
            "some.future.setting=42\n")
    c = start_server(config=text).client()
    assert_ok(c.get("/"), {})


# --- concurrency --------------------------------------------------------------------------

N = 16


def test_concurrent_same_schema_one_subject(server):
    port = server.port

    def work(i):
        return Client(HOST, port).post("/subjects/c-value/versions", body=body_for(S1))

    results = run_threads(N, work)
    for r in results:
        assert_ok(r, {"id": 1})
    c = server.client()
    assert_ok(c.get("/subjects/c-value/versions"), [1])
    assert_ok(c.get("/subjects/c-value/versions/1"),
              {"subject": "c-value", "version": 1, "id": 1, "schema": S1_TEXT})


def test_concurrent_same_schema_many_subjects(server):
    port = server.port

    def work(i):
        return Client(HOST, port).post("/subjects/c%d-value/versions" % i, body=body_for(S1))

    for r in run_threads(N, work):
        assert_ok(r, {"id": 1})
    c = server.client()
    assert_ok(c.get("/subjects"), sorted("c%d-value" % i for i in range(N)))
    subs = assert_ok(c.get("/schemas/ids/1/subjects"))
    assert sorted(subs) == sorted("c%d-value" % i for i in range(N))


def test_concurrent_different_schemas_one_subject(server):
    c = server.client()
    c.set_config("NONE", subject="c-value")
    port = server.port

    def work(i):
        return Client(HOST, port).post("/subjects/c-value/versions",
                                       body=body_for(distinct_schema(i)))

    results = run_threads(N, work)
    ids = []
    for r in results:
        assert r.status == 200, r
        assert set(r.json) == {"id"}
        ids.append(r.json["id"])
    assert sorted(ids) == list(range(1, N + 1))
    assert_ok(c.get("/subjects/c-value/versions"), list(range(1, N + 1)))
    seen = {}
    for v in range(1, N + 1):
        body = c.version("c-value", v)
        seen[body["id"]] = (v, body["schema"])
    assert sorted(seen) == list(range(1, N + 1))
    for i, id_ in enumerate(ids):
        assert seen[id_][1] == compact(distinct_schema(i))
        assert_ok(c.get("/schemas/ids/%d" % id_), {"schema": compact(distinct_schema(i))})


def test_concurrent_mixed_reads_and_writes(server):
    c = server.client()
    c.set_config("NONE")
    c.register("base", S1)
    port = server.port

    def work(i):
        cl = Client(HOST, port)
        if i % 2:
            return ("w", cl.post("/subjects/w%d/versions" % i, body=body_for(distinct_schema(i))))
        return ("r", cl.get("/schemas/ids/1"))

    for kind, r in run_threads(N, work):
        assert r.status == 200, r
        if kind == "r":
            assert r.json == {"schema": S1_TEXT}
    ids = sorted(c.version("w%d" % i, 1)["id"] for i in range(1, N, 2))
    assert ids == list(range(2, 2 + N // 2))
