"""api.md §1 transport conventions, §2 rows 1-2, 36, 38-39, §10 items 1, 29, 30, 57,
59, 60."""

import pytest

from srapi import (JDK_ACCEPT, JSON_MT, OCTET, S1, S1_TEXT, V0, V1, assert_error, assert_ok,
                   body_for, compact, q)


# --- §3.1 / §10.1 ---------------------------------------------------------------------

def test_get_root_is_empty_object(client):
    assert_ok(client.get("/"), {})


def test_post_root_is_empty_object(client):
    assert_ok(client.post("/"), {})
    assert_ok(client.post("/", body={}), {})


# --- §1.1 response content negotiation ---------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/subjects", "/config", "/mode", "/schemas/types",
                                  "/schemas", "/contexts"])
def test_default_response_content_type_is_v1(client, path):
    r = client.get(path)
    assert r.status == 200, r
    assert r.content_type == V1, r


@pytest.mark.parametrize("accept,expected", [
    (V1, V1),
    (JSON_MT, JSON_MT),
    (V0, V0),
    ("*/*", V1),
    (JDK_ACCEPT, V1),
    ("application/*", V1),
    ("application/json;q=0.5, application/vnd.schemaregistry.v1+json;q=0.9", V1),
    ("application/vnd.schemaregistry.v1+json;q=0.1, application/json", JSON_MT),
])
def test_accept_negotiation(client, accept, expected):
    r = client.get("/config", accept=accept)
    assert_ok(r, {"compatibilityLevel": "BACKWARD"}, content_type=expected)


def test_jdk_default_accept_never_406(client):
    # §1.1: the Java client's HttpURLConnection default Accept must resolve to v1.
    client.register("t-value", S1)
    for path in ["/subjects", "/subjects/t-value/versions", "/subjects/t-value/versions/1",
                 "/schemas/ids/1", "/config", "/mode", "/schemas/types"]:
        r = client.get(path, accept=JDK_ACCEPT)
        assert r.status == 200, r
        assert r.content_type == V1, r
    r = client.post("/subjects/t-value/versions", body=body_for(S1), accept=JDK_ACCEPT)
    assert_ok(r, {"id": 1})


def test_jdk_default_accept_on_error_response(client):
    r = client.get("/subjects/missing/versions", accept=JDK_ACCEPT)
    assert_error(r, 404, 40401, content_type=V1)


def test_error_responses_honour_accept_json(client):
    r = client.get("/subjects/missing/versions", accept=JSON_MT)
    assert_error(r, 404, 40401, content_type=JSON_MT)


def test_error_responses_default_to_v1(client):
    assert_error(client.get("/subjects/missing/versions"), 404, 40401, content_type=V1)
    assert_error(client.get("/nonexistent"), 404, 404, content_type=V1)


# --- §1.1 request content types ------------------------------------------------------------

@pytest.mark.parametrize("ctype", [V1, V0, JSON_MT, OCTET, "application/json; charset=utf-8",
                                   "application/vnd.schemaregistry.v1+json; charset=UTF-8"])
def test_accepted_request_content_types(client, ctype):
    r = client.post("/subjects/t-value/versions", body=body_for(S1), content_type=ctype)
    assert_ok(r, {"id": 1})
    assert client.versions("t-value") == [1]


def test_register_without_content_type(client):
    # §10.30: no Content-Type is treated as octet-stream and parsed as JSON.
    r = client.post("/subjects/t-value/versions", body=body_for(S1), content_type=None)
    assert_ok(r, {"id": 1})
    assert client.versions("t-value") == [1]


@pytest.mark.parametrize("ctype", ["text/plain", "application/xml",
                                   "application/x-www-form-urlencoded", "image/png"])
def test_unsupported_content_type_register(client, ctype):
    # §10.29
    before = client.snapshot()
    r = client.post("/subjects/t-value/versions", body=body_for(S1), content_type=ctype)
    assert_error(r, 415, 415)
    assert r.json["message"] == "HTTP 415 Unsupported Media Type"
    assert client.snapshot() == before


@pytest.mark.parametrize("method,path,body", [
    ("POST", "/subjects/t-value", body_for(S1)),
    ("POST", "/compatibility/subjects/t-value/versions/latest", body_for(S1)),
    ("POST", "/compatibility/subjects/t-value/versions", body_for(S1)),
    ("PUT", "/config", {"compatibility": "NONE"}),
    ("PUT", "/config/t-value", {"compatibility": "NONE"}),
    ("PUT", "/mode", {"mode": "READONLY"}),
    ("PUT", "/mode/t-value", {"mode": "READONLY"}),
])
def test_unsupported_content_type_other_endpoints(client, method, path, body):
    client.register("t-value", S1)
    before = client.snapshot()
    r = client.request(method, path, body=body, content_type="text/plain")
    assert_error(r, 415, 415)
    assert client.snapshot() == before
    assert client.get("/config/t-value").status == 404
    assert client.get("/mode/t-value").status == 404


# --- §1.2 framework errors --------------------------------------------------------------

@pytest.mark.parametrize("method,path", [
    ("GET", "/nonexistent"),
    ("GET", "/v1/subjects"),
    ("GET", "/subjects/t-value/nonexistent"),
    ("GET", "/schemas/ids/1/nonexistent"),
    ("GET", "/subjects/t-value/versions/1/nonexistent"),
    ("DELETE", "/nonexistent"),
    ("POST", "/nonexistent"),
    ("PUT", "/nonexistent/x/y"),
])
def test_unknown_path_is_404(client, method, path):
    # §10.60
    client.register("t-value", S1)
    r = client.request(method, path)
    assert_error(r, 404, 404)
    assert r.json["message"] == "HTTP 404 Not Found"


@pytest.mark.parametrize("method,path", [
    ("PUT", "/schemas/types"),
    ("POST", "/schemas/types"),
    ("DELETE", "/schemas/ids/1"),
    ("POST", "/schemas/ids/1"),
    ("POST", "/subjects"),
    ("DELETE", "/subjects"),
    ("PUT", "/subjects/t-value/versions"),
    ("PUT", "/subjects/t-value/versions/1"),
    ("POST", "/config"),
    ("POST", "/mode"),
    ("GET", "/compatibility/subjects/t-value/versions/latest"),
    ("GET", "/compatibility/subjects/t-value/versions"),
    ("DELETE", "/schemas"),
    ("PUT", "/"),
    ("DELETE", "/"),
    ("POST", "/contexts"),
    ("PATCH", "/subjects/t-value"),
])
def test_wrong_method_is_405(client, method, path):
    # §10.60
    client.register("t-value", S1)
    before = client.snapshot()
    r = client.request(method, path)
    assert_error(r, 405, 405)
    assert r.json["message"] == "HTTP 405 Method Not Allowed"
    assert client.snapshot() == before


# --- §1.1 unknown properties and client headers -----------------------------------------

def test_unknown_request_properties_ignored(client):
    body = body_for(S1, foo=1, bar={"x": [1, 2]}, schemaTagsToAdd=None)
    assert_ok(client.post("/subjects/t-value/versions", body=body), {"id": 1})
    assert_ok(client.put("/config", body={"compatibility": "FULL", "whatever": True}))
    assert client.get("/config").json == {"compatibilityLevel": "FULL"}
    assert_ok(client.put("/mode", body={"mode": "READWRITE", "x": 1}))


def test_java_client_headers_ignored(client):
    r = client.post("/subjects/t-value/versions", body=body_for(S1), headers={
        "Confluent-Accept-Unknown-Properties": "true",
        "Confluent-Client-Version": "java/7.9.0",
        "Accept": JDK_ACCEPT})
    assert_ok(r, {"id": 1})


# --- HTTP/1.1 behaviour real clients need --------------------------------------------------

def test_keep_alive_connection_reuse(client):
    conn = client.connection()
    try:
        r = client.post("/subjects/t-value/versions", body=body_for(S1), conn=conn)
        assert_ok(r, {"id": 1})
        for _ in range(5):
            assert_ok(client.get("/subjects", conn=conn), ["t-value"])
        assert_error(client.get("/subjects/nope/versions", conn=conn), 404, 40401)
        assert_ok(client.get("/schemas/ids/1", conn=conn), {"schema": S1_TEXT})
    finally:
        conn.close()


def test_chunked_request_body(client):
    payload = compact(body_for(S1)).encode()
    chunks = [payload[:10], payload[10:25], payload[25:]]
    # http.client uses chunked transfer encoding for an iterable body without length.
    r = client.post("/subjects/t-value/versions", data=iter(chunks), content_type=V1)
    assert_ok(r, {"id": 1})
    assert client.versions("t-value") == [1]


# --- §1.3 paths and parameters -----------------------------------------------------------

@pytest.mark.parametrize("path,expected", [
    ("/subjects/", ["t-value"]),
    ("/subjects/t-value/versions/", [1]),
    ("/subjects/t-value/versions/1/", {"subject": "t-value", "version": 1, "id": 1,
                                       "schema": S1_TEXT}),
    ("/schemas/ids/1/", {"schema": S1_TEXT}),
    ("/schemas/types/", None),
])
def test_trailing_slash_tolerated_on_get(client, path, expected):
    client.register("t-value", S1)
    r = client.get(path)
    assert r.status == 200, r
    if expected is not None:
        assert r.json == expected
    else:
        assert "AVRO" in r.json


def test_trailing_slash_tolerated_on_register(client):
    r = client.post("/subjects/t-value/versions/", body=body_for(S1))
    assert_ok(r, {"id": 1})
    assert client.versions("t-value") == [1]


def test_trailing_slash_tolerated_on_compatibility(client):
    # §1.3: the Java client itself posts to .../versions/ with a trailing slash.
    client.register("t-value", S1)
    r = client.post("/compatibility/subjects/t-value/versions/", body=body_for(S1))
    assert_ok(r, {"is_compatible": True})


def test_percent_encoded_slash_in_subject(client):
    # §10.57
    r = client.post("/subjects/a%2Fb/versions", body=body_for(S1))
    assert_ok(r, {"id": 1})
    assert client.subjects() == ["a/b"]
    assert client.versions("a/b") == [1]
    assert_ok(client.get("/subjects/a%2Fb/versions/1"),
              {"subject": "a/b", "version": 1, "id": 1, "schema": S1_TEXT})
    assert_ok(client.get("/schemas/ids/1/subjects"), ["a/b"])
    assert_ok(client.get("/schemas/ids/1/versions"), [{"subject": "a/b", "version": 1}])
    assert_ok(client.post("/subjects/a%2Fb", body=body_for(S1)),
              {"subject": "a/b", "version": 1, "id": 1, "schema": S1_TEXT})
    assert_ok(client.put("/config/a%2Fb", body={"compatibility": "NONE"}),
              {"compatibility": "NONE"})
    assert_ok(client.get("/config/a%2Fb"), {"compatibilityLevel": "NONE"})
    # a different subject: "a" with a version path "b/versions" must not be confused
    assert_error(client.get("/subjects/a/versions"), 404, 40401)
    assert_ok(client.get("/subjects?subjectPrefix=a%2F"), ["a/b"])
    assert_ok(client.delete("/subjects/a%2Fb"), [1])
    assert client.subjects() == []


def test_plus_in_path_is_literal(client):
    r = client.post("/subjects/a+b/versions", body=body_for(S1))
    assert_ok(r, {"id": 1})
    assert client.subjects() == ["a+b"]
    assert_error(client.get("/subjects/a%20b/versions"), 404, 40401)
    assert client.versions("a+b") == [1]


def test_percent_and_space_in_subject(client):
    client.register("a%b", S1)
    client.register("a b", S1)
    assert client.subjects() == ["a b", "a%b"]
    assert_ok(client.get("/subjects/a%25b/versions"), [1])
    assert_ok(client.get("/subjects/a%20b/versions"), [1])


def test_unicode_subject(client):
    subject = "\u00e9t\u00e9-\u65e5\u672c-value"
    r = client.post("/subjects/%s/versions" % q(subject), body=body_for(S1))
    assert_ok(r, {"id": 1})
    assert client.subjects() == [subject]
    assert client.version(subject, 1)["subject"] == subject


def test_colon_and_dot_unencoded_in_subject(client):
    # §1.3: ':' and '.' usually arrive unencoded.
    r = client.post("/subjects/com.acme.Order/versions", body=body_for(S1))
    assert_ok(r, {"id": 1})
    assert client.subjects() == ["com.acme.Order"]
    assert_ok(client.get("/subjects/com.acme.Order/versions"), [1])


@pytest.mark.parametrize("value", ["true", "TRUE", "True", "tRuE"])
def test_boolean_query_params_case_insensitive(client, value):
    client.register("t-value", S1)
    client.delete_version("t-value", 1)
    assert_ok(client.get("/subjects?deleted=" + value), ["t-value"])
    assert_ok(client.get("/subjects/t-value/versions?deleted=" + value), [1])


@pytest.mark.parametrize("value", ["false", "FALSE", "False"])
def test_boolean_query_params_false(client, value):
    client.register("t-value", S1)
    client.delete_version("t-value", 1)
    assert_ok(client.get("/subjects?deleted=" + value), [])


# --- §2 rows 36, 38, 39 / §10.59 ---------------------------------------------------------

def test_contexts(client):
    assert_ok(client.get("/contexts"), ["."])
    client.register("t-value", S1)
    assert_ok(client.get("/contexts"), ["."])


def test_metadata_id(client):
    body = assert_ok(client.get("/v1/metadata/id"))
    assert set(body) == {"scope"}, body
    scope = body["scope"]
    assert scope["path"] == []
    clusters = scope["clusters"]
    assert clusters["schema-registry-cluster"] == "schema-registry"
    assert isinstance(clusters["kafka-cluster"], str)
    assert set(clusters) == {"kafka-cluster", "schema-registry-cluster"}
    # stable
    assert client.get("/v1/metadata/id").json == body


def test_metadata_version(client):
    body = assert_ok(client.get("/v1/metadata/version"))
    assert set(body) == {"version", "commitId"}, body
    assert isinstance(body["version"], str) and body["version"]
    assert isinstance(body["commitId"], str)


def test_unknown_query_params_ignored(client):
    client.register("t-value", S1)
    assert_ok(client.get("/subjects?foo=bar&x"), ["t-value"])
    assert_ok(client.get("/schemas/ids/1?whatever=1"), {"schema": S1_TEXT})
    r = client.post("/subjects/t-value/versions?unknown=true", body=body_for(S1))
    assert_ok(r, {"id": 1})


def test_expect_100_continue(client):
    # curl and some Java stacks send Expect: 100-continue with larger bodies
    r = client.post("/subjects/t-value/versions", body=body_for(S1),
                    headers={"Expect": "100-continue"})
    assert_ok(r, {"id": 1})
    assert client.versions("t-value") == [1]


def test_response_tuple_unpacking(client):
    # the Client helper's (status, headers, parsed-json-or-raw) shape
    status, headers, data = client.get("/")
    assert (status, data) == (200, {})
    assert headers.get("Content-Type").split(";")[0] == V1
