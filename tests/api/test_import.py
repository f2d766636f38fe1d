"""IMPORT mode: api.md §3.13 steps 4 and 9, §3.29, §6.7; §10 items 46-47."""

from srapi import (S1, S1_TEXT, S2, S2_TEXT, S3, S3_TEXT, assert_error, assert_ok, body_for,
                   compact, distinct_schema)


def reg(client, subject, schema, **extra):
    return client.post("/subjects/%s/versions" % subject, body=body_for(schema, **extra))


def test_enter_import_on_empty_registry_without_force(client):
    assert_ok(client.put("/mode", body={"mode": "IMPORT"}), {"mode": "IMPORT"})
    assert_ok(client.get("/mode"), {"mode": "IMPORT"})


def test_import_explicit_id_and_version(client):
    # §10.47
    client.set_mode("IMPORT")
    r = reg(client, "imp-value", S1, id=100, version=5)
    assert_ok(r, {"id": 100})
    assert_ok(client.get("/subjects/imp-value/versions"), [5])
    assert_ok(client.get("/subjects/imp-value/versions/5"),
              {"subject": "imp-value", "version": 5, "id": 100, "schema": S1_TEXT})
    assert_ok(client.get("/subjects/imp-value/versions/latest"),
              {"subject": "imp-value", "version": 5, "id": 100, "schema": S1_TEXT})
    assert_ok(client.get("/schemas/ids/100"), {"schema": S1_TEXT})
    assert_ok(client.get("/schemas/ids/100/versions"), [{"subject": "imp-value", "version": 5}])
    assert_error(client.get("/schemas/ids/1"), 404, 40403)


def test_import_id_conflict_with_different_content(client):
    # §10.47 / §3.13 step 9
    client.set_mode("IMPORT")
    assert_ok(reg(client, "imp-value", S1, id=100, version=5), {"id": 100})
    before = client.snapshot()
    assert_error(reg(client, "imp-value", S2, id=100, version=6), 422, 42205)
    assert_error(reg(client, "other-value", S3, id=100, version=1), 422, 42205)
    assert client.snapshot() == before
    assert_ok(client.get("/schemas/ids/100"), {"schema": S1_TEXT})


def test_import_same_content_same_id_elsewhere(client):
    client.set_mode("IMPORT")
    assert_ok(reg(client, "imp-value", S1, id=100, version=5), {"id": 100})
    assert_ok(reg(client, "copy-value", S1, id=100, version=1), {"id": 100})
    assert_ok(client.get("/subjects/copy-value/versions/1"),
              {"subject": "copy-value", "version": 1, "id": 100, "schema": S1_TEXT})
    subs = assert_ok(client.get("/schemas/ids/100/subjects"))
    assert sorted(subs) == ["copy-value", "imp-value"]


def test_import_without_id_is_refused(client):
    client.set_mode("IMPORT")
    assert_error(reg(client, "imp-value", S1), 422, 42205)
    assert_error(reg(client, "imp-value", S1, version=1), 422, 42205)
    assert_ok(client.get("/subjects"), [])


def test_id_outside_import_is_refused(client):
    # §10.47 and §3.13 step 4
    client.register("t-value", S1)
    before = client.snapshot()
    assert_error(reg(client, "t-value", S2, id=50), 422, 42205)
    assert_error(reg(client, "n-value", S2, id=50, version=1), 422, 42205)
    assert client.snapshot() == before
    assert_error(client.get("/schemas/ids/50"), 404, 40403)


def test_id_counter_advances_past_imported_ids(client):
    # §10.47: after READWRITE the next brand-new schema gets 101
    client.set_mode("IMPORT")
    assert_ok(reg(client, "imp-value", S1, id=100, version=5), {"id": 100})
    assert_ok(reg(client, "low-value", S2, id=7, version=1), {"id": 7})
    assert_ok(client.put("/mode", body={"mode": "READWRITE"}), {"mode": "READWRITE"})
    assert_error(reg(client, "new-value", S3, id=200), 422, 42205)
    assert_ok(reg(client, "new-value", S3), {"id": 101})
    assert_ok(reg(client, "new2-value", distinct_schema(1)), {"id": 102})
    # imported content keeps its imported id when registered normally elsewhere
    assert_ok(reg(client, "x-value", S1), {"id": 100})
    assert_ok(reg(client, "y-value", S2), {"id": 7})


def test_import_skips_compatibility(client):
    client.set_mode("IMPORT")
    assert_ok(reg(client, "imp-value", S1, id=1, version=1), {"id": 1})
    # S3 is BACKWARD-incompatible with S1
    assert_ok(reg(client, "imp-value", S3, id=3, version=2), {"id": 3})
    assert_ok(client.get("/subjects/imp-value/versions"), [1, 2])
    assert_ok(client.get("/schemas/ids/3"), {"schema": S3_TEXT})


def test_import_without_version_takes_next(client):
    client.set_mode("IMPORT")
    assert_ok(reg(client, "imp-value", S1, id=10, version=5), {"id": 10})
    assert_ok(reg(client, "imp-value", S2, id=11), {"id": 11})
    assert_ok(client.get("/subjects/imp-value/versions"), [5, 6])
    assert_ok(client.get("/subjects/imp-value/versions/6"),
              {"subject": "imp-value", "version": 6, "id": 11, "schema": S2_TEXT})


def test_import_preserves_ids_after_leaving_import(client):
    client.set_mode("IMPORT")
    reg(client, "imp-value", S1, id=42, version=3)
    client.set_mode("READWRITE")
    assert_ok(client.get("/subjects/imp-value/versions/3"),
              {"subject": "imp-value", "version": 3, "id": 42, "schema": S1_TEXT})
    # idempotent normal re-registration returns the imported id, no new version
    assert_ok(reg(client, "imp-value", S1), {"id": 42})
    assert_ok(client.get("/subjects/imp-value/versions"), [3])
    # and the next normal version follows the imported one
    assert_ok(reg(client, "imp-value", S2), {"id": 43})
    assert_ok(client.get("/subjects/imp-value/versions"), [3, 4])


def test_subject_level_import_mode(client):
    client.register("t-value", S1)                   # id 1
    assert_ok(client.put("/mode/imp-value", body={"mode": "IMPORT"}), {"mode": "IMPORT"})
    assert_ok(reg(client, "imp-value", S2, id=20, version=2), {"id": 20})
    assert_ok(client.get("/subjects/imp-value/versions"), [2])
    # other subjects are still READWRITE: explicit ids refused there
    assert_error(reg(client, "t-value", S2, id=21), 422, 42205)
    # and in the IMPORT subject an id is required
    assert_error(reg(client, "imp-value", S3), 422, 42205)
    assert_ok(reg(client, "t-value", S2), {"id": 20})


def test_import_mode_reads_work(client):
    client.set_mode("IMPORT")
    reg(client, "imp-value", S1, id=5, version=1)
    assert_ok(client.post("/subjects/imp-value", body=body_for(S1)),
              {"subject": "imp-value", "version": 1, "id": 5, "schema": S1_TEXT})
    assert_ok(client.get("/subjects"), ["imp-value"])
    assert_ok(client.get("/schemas/ids/5/subjects"), ["imp-value"])


def test_enter_import_purges_soft_deleted_subjects(client):
    # §3.29: without force, soft-deleted versions of the subjects are hard-deleted first,
    # and only live subjects block the switch
    client.register("gone-value", S1)
    client.delete_subject("gone-value")
    assert_ok(client.put("/mode", body={"mode": "IMPORT"}), {"mode": "IMPORT"})
    assert_ok(client.get("/subjects?deleted=true"), [])
    assert_error(client.get("/subjects/gone-value/versions?deleted=true"), 404, 40401)


def test_import_skips_normalization(client):
    # §6.1: normalisation is never applied in IMPORT mode
    spelled = {"type": "record", "name": "R", "fields": [{"name": "a", "type": "string"}],
               "x.b": "1", "x.a": "2"}
    client.put("/config", body={"compatibility": "BACKWARD", "normalize": True})
    client.set_mode("IMPORT")
    r = client.post("/subjects/imp-value/versions?normalize=true",
                    body=body_for(spelled, id=9, version=1))
    assert_ok(r, {"id": 9})
    assert_ok(client.get("/schemas/ids/9"), {"schema": compact(spelled)})


def test_import_skips_default_validation(client):
    # §6.7: IMPORT skips validation (an invalid default is stored as given)...
    bad_default = {"type": "record", "name": "R",
                   "fields": [{"name": "a", "type": "int", "default": "x"}]}
    client.set_mode("IMPORT")
    assert_ok(reg(client, "imp-value", bad_default, id=3, version=1), {"id": 3})
    assert_ok(client.get("/schemas/ids/3"), {"schema": compact(bad_default)})
    # ...but text that is not a schema at all is still refused
    assert_error(reg(client, "imp-value", '{"type":"nosuch"}', id=4, version=2), 422, 42201)
    assert_error(reg(client, "imp-value", "{oops", id=4, version=2), 422, 42201)
    assert_ok(client.get("/subjects/imp-value/versions"), [1])
