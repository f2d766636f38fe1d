"""metadata, ruleSet and normalize: api.md §3.10, §3.13, §4.12, §6.1, §6.11.

Project decision (brief): metadata and ruleSet are accepted, stored and returned as
given, and are part of a schema's identity (api.md §6.11 says the OSS server drops
ruleSets; we keep them)."""

from srapi import S1, S1_TEXT, assert_error, assert_ok, body_for, compact, rec

META_BOB = {"properties": {"owner": "bob"}}
META_ALICE = {"properties": {"owner": "alice", "team": "x"},
              "tags": {"R.a": ["PII"]}, "sensitive": ["secretKey"]}
RULESET = {"domainRules": [{"name": "checkA", "kind": "CONDITION", "mode": "WRITE",
                            "type": "CEL", "expr": "message.a != ''", "onFailure": "ERROR",
                            "disabled": False}]}


def reg(client, subject, schema, query="", **extra):
    return client.post("/subjects/%s/versions%s" % (subject, query),
                       body=body_for(schema, **extra))


def test_metadata_stored_and_returned(client):
    assert_ok(reg(client, "m-value", S1, metadata=META_ALICE), {"id": 1})
    assert_ok(client.get("/subjects/m-value/versions/1"),
              {"subject": "m-value", "version": 1, "id": 1, "schema": S1_TEXT,
               "metadata": META_ALICE})
    assert_ok(client.get("/schemas/ids/1"), {"schema": S1_TEXT, "metadata": META_ALICE})


def test_ruleset_stored_and_returned(client):
    assert_ok(reg(client, "r-value", S1, ruleSet=RULESET), {"id": 1})
    assert_ok(client.get("/subjects/r-value/versions/1"),
              {"subject": "r-value", "version": 1, "id": 1, "schema": S1_TEXT,
               "ruleSet": RULESET})
    assert_ok(client.get("/schemas/ids/1"), {"schema": S1_TEXT, "ruleSet": RULESET})


def test_metadata_is_part_of_identity(client):
    # same schema text, different metadata → new id (and new version in one subject)
    assert client.register("m-value", S1) == 1
    assert_ok(reg(client, "m-value", S1, metadata=META_BOB), {"id": 2})
    assert_ok(client.get("/subjects/m-value/versions"), [1, 2])
    assert_ok(reg(client, "m-value", S1, metadata=META_ALICE), {"id": 3})
    assert_ok(client.get("/subjects/m-value/versions"), [1, 2, 3])
    # identical metadata → same identity: idempotent, and shared across subjects
    assert_ok(reg(client, "m-value", S1, metadata=META_BOB), {"id": 2})
    assert_ok(client.get("/subjects/m-value/versions"), [1, 2, 3])
    assert_ok(reg(client, "other-value", S1, metadata=META_BOB), {"id": 2})
    assert_ok(client.get("/subjects/m-value/versions/2"),
              {"subject": "m-value", "version": 2, "id": 2, "schema": S1_TEXT,
               "metadata": META_BOB})
    assert_ok(client.get("/subjects/m-value/versions/1"),
              {"subject": "m-value", "version": 1, "id": 1, "schema": S1_TEXT})


def test_ruleset_is_part_of_identity(client):
    assert client.register("r-value", S1) == 1
    assert_ok(reg(client, "r-value", S1, ruleSet=RULESET), {"id": 2})
    assert_ok(client.get("/subjects/r-value/versions"), [1, 2])
    assert_ok(reg(client, "x-value", S1, ruleSet=RULESET), {"id": 2})


def test_lookup_with_metadata(client):
    assert client.register("m-value", S1) == 1
    assert_ok(reg(client, "m-value", S1, metadata=META_BOB), {"id": 2})
    assert_ok(client.post("/subjects/m-value", body=body_for(S1, metadata=META_BOB)),
              {"subject": "m-value", "version": 2, "id": 2, "schema": S1_TEXT,
               "metadata": META_BOB})


def test_metadata_wrong_json_type(client):
    client.register("m-value", S1)
    before = client.snapshot()
    for field, bad in (("metadata", "owner=bob"), ("metadata", 5), ("metadata", ["x"]),
                       ("metadata", {"properties": "x"}), ("metadata", {"tags": ["x"]}),
                       ("metadata", {"sensitive": "x"}), ("ruleSet", "rules"),
                       ("ruleSet", {"domainRules": "x"})):
        r = reg(client, "m-value", S1, **{field: bad})
        assert r.status == 400, (field, bad, r)
        assert_error(r, 400, 400)
    assert client.snapshot() == before


# --- normalize (§6.1) ---------------------------------------------------------------------------

# Two spellings of one schema whose compact Schema.toString() texts differ (custom
# properties keep their order) but whose normalised forms are equal (properties sorted).
# Within one subject they are "equivalent" anyway (compat.md §1.4 step 5: Avro object
# equality ignores property order), so identity is observed across two subjects, where
# only the content hash (of the canonical or the normalised text) can match.
SPELL_A = rec("R", ("a", "string"), **{"x.b": "1", "x.a": "2"})
SPELL_B = rec("R", ("a", "string"), **{"x.a": "2", "x.b": "1"})
# Confluent's AvroSchemaUtils.toNormalizedString of SPELL_A / SPELL_B
NORMALIZED_AB = ('{"name":"R","type":"record","fields":[{"name":"a","type":"string",'
                 '"order":"ASCENDING"}],"x.a":"2","x.b":"1"}')


def test_without_normalize_prop_order_is_significant(client):
    assert_ok(reg(client, "n1-value", SPELL_A), {"id": 1})
    assert_ok(client.get("/schemas/ids/1"), {"schema": compact(SPELL_A)})
    assert_ok(reg(client, "n2-value", SPELL_B), {"id": 2})
    assert_ok(client.get("/schemas/ids/2"), {"schema": compact(SPELL_B)})


def test_equivalent_spelling_same_subject_is_idempotent(client):
    # compat.md §1.4 step 5: an equivalent live version is returned, no new version
    assert_ok(reg(client, "n-value", SPELL_A), {"id": 1})
    assert_ok(reg(client, "n-value", SPELL_B), {"id": 1})
    assert_ok(client.get("/subjects/n-value/versions"), [1])


def test_normalize_query_dedupes_equivalent_schemas(client):
    assert_ok(reg(client, "n1-value", SPELL_A, query="?normalize=true"), {"id": 1})
    assert_ok(client.get("/schemas/ids/1"), {"schema": NORMALIZED_AB})
    assert_ok(reg(client, "n2-value", SPELL_B, query="?normalize=true"), {"id": 1})
    assert_ok(client.get("/subjects/n2-value/versions"), [1])
    assert_ok(client.post("/subjects/n1-value?normalize=true", body=body_for(SPELL_B)),
              {"subject": "n1-value", "version": 1, "id": 1, "schema": NORMALIZED_AB})


def test_normalize_config_applies(client):
    client.put("/config", body={"compatibility": "BACKWARD", "normalize": True})
    assert_ok(reg(client, "n1-value", SPELL_A), {"id": 1})
    assert_ok(reg(client, "n2-value", SPELL_B), {"id": 1})
    assert_ok(client.get("/schemas/ids/1"), {"schema": NORMALIZED_AB})


def test_normalize_subject_config_applies(client):
    client.put("/config/n2-value", body={"compatibility": "BACKWARD", "normalize": True})
    assert_ok(reg(client, "n1-value", SPELL_A, query="?normalize=true"), {"id": 1})
    assert_ok(reg(client, "n2-value", SPELL_B), {"id": 1})
    # no normalisation configured for n3-value: plain canonical text, new id
    assert_ok(reg(client, "n3-value", SPELL_B), {"id": 2})


def test_normalize_false_accepted(client):
    assert_ok(reg(client, "n-value", S1, query="?normalize=false"), {"id": 1})
    assert_ok(client.get("/schemas/ids/1"), {"schema": S1_TEXT})


def test_normalize_true_plain_schema(client):
    assert_ok(reg(client, "n-value", S1, query="?normalize=true"), {"id": 1})
    assert_ok(client.get("/schemas/ids/1"), {"schema": (
        '{"name":"R","type":"record","fields":[{"name":"a","type":"string",'
        '"order":"ASCENDING"}]}')})
