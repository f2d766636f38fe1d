"""Bad input on the write path: api.md §1.2, §3.13 steps 1 and 5, §5; DESIGN.md "every
input from the network has a bound". Every case also checks that the store is unchanged
and that no id was consumed."""

import json

import pytest

from srapi import S1, S1_TEXT, S2, S3, V1, assert_error, assert_ok, body_for, compact

PATH = "/subjects/t-value/versions"


@pytest.fixture
def base(client):
    """t-value: v1 S1 (id 1), v2 S2 (id 2); returns (client, snapshot)."""
    assert client.register("t-value", S1) == 1
    assert client.register("t-value", S2) == 2
    return client, client.snapshot()


def assert_unchanged(client, before):
    assert client.snapshot() == before
    # nothing was allocated: the next brand-new schema gets id 3
    assert client.register("probe-value", S3) == 3


# --- malformed JSON (400/400) -------------------------------------------------------------

MALFORMED = [
    b"{",
    b'{"schema":',
    b'{"schema": "x",}',
    b"{'schema': 'x'}",
    b'{"schema": "\\x"}',
    b"garbage",
    b'{"schema": NaN}',
    b'{"schema" "x"}',
    b'{"schema": "unterminated}',
    b"{,}",
]


@pytest.mark.parametrize("data", MALFORMED, ids=range(len(MALFORMED)))
def test_malformed_json(base, data):
    client, before = base
    assert_error(client.post(PATH, data=data), 400, 400)
    assert_unchanged(client, before)


# --- well-formed JSON of the wrong shape (400/400, §1.2) ----------------------------------

WRONG_TYPES = [
    {"schema": {}},
    {"schema": {"type": "string"}},
    {"schema": ["x"]},
    {"schema": S1_TEXT, "schemaType": 5},
    {"schema": S1_TEXT, "schemaType": {}},
    {"schema": S1_TEXT, "schemaType": ["AVRO"]},
    {"schema": S1_TEXT, "references": "x"},
    {"schema": S1_TEXT, "references": {}},
    {"schema": S1_TEXT, "references": [5]},
    {"schema": S1_TEXT, "version": "x"},
    {"schema": S1_TEXT, "version": {}},
    {"schema": S1_TEXT, "version": 2147483648},
    {"schema": S1_TEXT, "id": "x"},
    {"schema": S1_TEXT, "id": [1]},
    {"schema": S1_TEXT, "id": 2147483648},
    [],
    [body_for(S1)],
    "schema",
    5,
    True,
]


@pytest.mark.parametrize("body", WRONG_TYPES, ids=[compact(b)[:40] for b in WRONG_TYPES])
def test_wrong_json_types(base, body):
    client, before = base
    assert_error(client.post(PATH, body=body), 400, 400)
    assert_unchanged(client, before)


@pytest.mark.parametrize("endpoint", ["/subjects/t-value",
                                      "/compatibility/subjects/t-value/versions/latest",
                                      "/compatibility/subjects/t-value/versions"])
def test_wrong_json_types_other_endpoints(base, endpoint):
    client, before = base
    for body in ({"schema": {}}, {"schema": S1_TEXT, "references": "x"}, []):
        assert_error(client.post(endpoint, body=body), 400, 400)
    assert_error(client.post(endpoint, data=b"{"), 400, 400)
    assert_unchanged(client, before)


# --- missing body (422/422, §1.2) ----------------------------------------------------------

@pytest.mark.parametrize("data,ctype", [(b"", None), (b"", V1), (b"null", V1), (b" null ", V1)])
def test_missing_body(base, data, ctype):
    client, before = base
    assert_error(client.post(PATH, data=data, content_type=ctype), 422, 422)
    assert_unchanged(client, before)


def test_missing_schema_field_new_subject(base):
    # body present, `schema` missing and no previous version → 42201 "Empty schema" (§3.13)
    client, before = base
    assert_error(client.post("/subjects/new-value/versions", body={}), 422, 42201)
    assert_error(client.post("/subjects/new-value/versions", body={"references": []}), 422,
                 42201)
    assert_unchanged(client, before)


# --- body size limit --------------------------------------------------------------------

def padded_body(size):
    """A valid register body of exactly `size` bytes."""
    prefix = b'{"schema":' + json.dumps(S1_TEXT).encode() + b',"pad":"'
    suffix = b'"}'
    n = size - len(prefix) - len(suffix)
    assert n >= 0
    data = prefix + b"a" * n + suffix
    assert len(data) == size
    json.loads(data)
    return data


def test_body_at_configured_limit_is_accepted(start_server):
    c = start_server(config={"request.max.bytes": "1024"}).client()
    assert_ok(c.post(PATH, data=padded_body(1024)), {"id": 1})


def test_body_over_configured_limit_is_413(start_server):
    c = start_server(config={"request.max.bytes": "1024"}).client()
    c.register("t-value", S1)
    before = c.snapshot()
    r = c.post(PATH, data=padded_body(1025), tolerate_send_error=True)
    assert_error(r, 413, 413)
    r = c.post("/subjects/other-value/versions", data=padded_body(4096), tolerate_send_error=True)
    assert_error(r, 413, 413)
    assert c.snapshot() == before
    # the limit applies to every body-carrying endpoint
    big = b'{"compatibility":"NONE","pad":"' + b"a" * 2000 + b'"}'
    assert_error(c.put("/config", data=big, tolerate_send_error=True), 413, 413)
    assert_ok(c.get("/config"), {"compatibilityLevel": "BACKWARD"})
    assert c.register("x-value", S2) == 2


def test_chunked_body_over_limit_is_413(start_server):
    c = start_server(config={"request.max.bytes": "1024"}).client()
    data = padded_body(3000)
    chunks = [data[i:i + 500] for i in range(0, len(data), 500)]
    r = c.post(PATH, data=iter(chunks), content_type=V1, tolerate_send_error=True)
    assert_error(r, 413, 413)
    assert_ok(c.get("/subjects"), [])


def test_body_limit_from_env(start_server):
    c = start_server(env={"SCHEMA_REGISTRY_REQUEST_MAX_BYTES": "1024"}).client()
    assert_error(c.post(PATH, data=padded_body(1025), tolerate_send_error=True), 413, 413)
    assert_ok(c.post(PATH, data=padded_body(1024)), {"id": 1})


def test_body_over_default_limit_is_413(base):
    # default request.max.bytes = 16777216
    client, before = base
    r = client.post(PATH, data=padded_body(16777216 + 1), tolerate_send_error=True)
    assert_error(r, 413, 413)
    assert_unchanged(client, before)


# --- nesting and encoding -------------------------------------------------------------------

def test_deeply_nested_body_unclosed(base):
    client, before = base
    assert_error(client.post(PATH, data=b"[" * 100000), 400, 400)
    assert_unchanged(client, before)


def test_deeply_nested_body_closed(base):
    client, before = base
    data = b'{"schema":' + json.dumps(S1_TEXT).encode() + b',"x":' + b"[" * 100000 + \
        b"]" * 100000 + b"}"
    assert_error(client.post(PATH, data=data), 400, 400)
    assert_error(client.post(PATH, data=b"[" * 100000 + b"]" * 100000), 400, 400)
    assert_error(client.post(PATH, data=b'{"a":' * 50000 + b"1" + b"}" * 50000), 400, 400)
    assert_unchanged(client, before)


def test_deeply_nested_schema_string(base):
    client, before = base
    deep = "[" * 100000 + "]" * 100000
    assert_error(client.post(PATH, body={"schema": deep}), 422, 42201)
    arrays = '{"type":"array","items":' * 20000 + '"int"' + "}" * 20000
    assert_error(client.post(PATH, body={"schema": arrays}), 422, 42201)
    assert_unchanged(client, before)


@pytest.mark.parametrize("data", [
    b'{"schema":"\xff\xfe"}',
    b'{"schema":"\xc0\xaf"}',
    b'{"schema":"{\\"type\\":\\"record\\",\\"name\\":\\"R\\",\\"doc\\":\\"\xe9\\",'
    b'\\"fields\\":[]}"}',
    b'\xff{"schema":"x"}',
], ids=["ff-fe", "overlong", "latin1-in-doc", "leading-ff"])
def test_invalid_utf8(base, data):
    client, before = base
    assert_error(client.post(PATH, data=data), 400, 400)
    assert_unchanged(client, before)


# --- invalid schema text (422/42201) --------------------------------------------------------

def R(*fields, **kw):
    d = {"type": "record", "name": kw.get("name", "R")}
    d["fields"] = list(fields)
    return compact(d)


INVALID_SCHEMAS = [
    ("not-json", "{not json"),
    ("truncated", '{"type":"record","name":"R"'),
    ("number", "5"),
    ("unknown-type", '{"type":"nosuch"}'),
    ("undefined-named-type", R({"name": "a", "type": "Nope"})),
    ("misspelled-primitive", R({"name": "a", "type": "strin"})),
    ("duplicate-field", R({"name": "a", "type": "string"}, {"name": "a", "type": "int"})),
    ("bad-default-int", R({"name": "a", "type": "int", "default": "x"})),
    ("bad-default-string", R({"name": "a", "type": "string", "default": 1})),
    ("bad-default-record", R({"name": "a", "type": {"type": "record", "name": "S", "fields": [
        {"name": "x", "type": "int"}]}, "default": 5})),
    ("enum-default-not-a-symbol", '{"type":"enum","name":"E","symbols":["A"],"default":"B"}'),
    ("record-name-digit", R({"name": "a", "type": "string"}, name="1R")),
    ("record-name-dash", R({"name": "a", "type": "string"}, name="a-b")),
    ("record-name-empty", R({"name": "a", "type": "string"}, name="")),
    ("field-name-dash", R({"name": "my-field", "type": "string"})),
    ("record-no-fields", '{"type":"record","name":"R"}'),
    ("record-fields-object", '{"type":"record","name":"R","fields":{}}'),
    ("record-no-name", '{"type":"record","fields":[]}'),
    ("field-no-type", R({"name": "a"})),
    ("enum-duplicate-symbol", '{"type":"enum","name":"E","symbols":["A","A"]}'),
    ("enum-bad-symbol", '{"type":"enum","name":"E","symbols":["1A"]}'),
    ("fixed-no-size", '{"type":"fixed","name":"F"}'),
    ("array-no-items", '{"type":"array"}'),
    ("map-no-values", '{"type":"map"}'),
    ("union-duplicate", '["string","string"]'),
    ("union-nested", '["null",["string"]]'),
    ("redefined-name", R({"name": "a", "type": {"type": "fixed", "name": "X", "size": 1}},
                         {"name": "b", "type": {"type": "fixed", "name": "X", "size": 2}})),
    ("type-is-number", '{"type":5}'),
]


@pytest.mark.parametrize("name,text", INVALID_SCHEMAS, ids=[c[0] for c in INVALID_SCHEMAS])
def test_invalid_avro_schema(base, name, text):
    client, before = base
    assert_error(client.post(PATH, body={"schema": text}), 422, 42201)
    assert_error(client.post("/subjects/new-value/versions", body={"schema": text}), 422, 42201)
    assert_error(client.post(PATH, body={"schema": text, "schemaType": "AVRO"}), 422, 42201)
    assert_unchanged(client, before)


def test_invalid_schema_in_none_level_subject(base):
    # validity does not depend on the compatibility level
    client, before = base
    client.set_config("NONE", subject="t-value")
    before = client.snapshot()
    assert_error(client.post(PATH, body={"schema": '{"type":"nosuch"}'}), 422, 42201)
    assert_unchanged(client, before)


# --- long but legal input ----------------------------------------------------------------

def test_long_subject_name(client):
    subject = "s" * 250
    assert client.register(subject, S1) == 1
    assert_ok(client.get("/subjects"), [subject])


def test_huge_url_is_client_error(base):
    client, before = base
    r = client.get("/subjects/" + "x" * 100000 + "/versions", tolerate_send_error=True)
    assert 400 <= r.status < 500, r
    assert_ok(client.get("/"), {})
    assert_unchanged(client, before)


def test_large_valid_schema(client):
    fields = [{"name": "f%d" % i, "type": "string", "doc": "d" * 50} for i in range(2000)]
    schema = {"type": "record", "name": "Big", "fields": fields}
    assert client.register("big-value", schema) == 1
    assert_ok(client.get("/schemas/ids/1"), {"schema": compact(schema)})
