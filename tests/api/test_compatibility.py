"""Compatibility through HTTP: api.md §3.13 step 8, §3.20, §3.21, §6.6; compat.md §1.2-§1.6,
§2.3; §10 items 16-20, 42."""

import pytest

from srapi import S1, S2, S2_TEXT, S3, assert_error, assert_ok, body_for, rec

PREFIX = 'Schema being registered is incompatible with an earlier schema for subject "%s", details: ['


def setup_t(client):
    assert client.register("t-value", S1) == 1
    assert client.register("t-value", S2) == 2


def reg(client, subject, schema, query=""):
    return client.post("/subjects/%s/versions%s" % (subject, query), body=body_for(schema))


def check(client, subject, version, schema, verbose=False):
    path = "/compatibility/subjects/%s/versions" % subject
    if version is not None:
        path += "/%s" % version
    if verbose:
        path += "?verbose=true"
    return client.post(path, body=body_for(schema))


def assert_incompatible(r, subject, error_type=None):
    assert_error(r, 409, 409)
    msg = r.json["message"]
    assert msg.startswith(PREFIX % subject), msg
    assert msg.endswith("]"), msg
    if error_type is not None:
        assert "{errorType:'%s'" % error_type in msg, msg
    return msg


# --- registration (§10.16, §10.42) ----------------------------------------------------------

def test_register_incompatible_is_409(client):
    # §10.16
    setup_t(client)
    before = client.snapshot()
    r = reg(client, "t-value", S3)
    assert_incompatible(r, "t-value", "READER_FIELD_MISSING_DEFAULT_VALUE")
    assert client.versions("t-value") == [1, 2]
    assert client.snapshot() == before
    # nothing was allocated: the next new schema gets the next id
    assert client.register("x-value", S3) == 3


def test_incompatible_message_details(client):
    # compat.md §1.6: per-version entries then the level entry
    setup_t(client)
    msg = assert_incompatible(reg(client, "t-value", S3), "t-value",
                              "READER_FIELD_MISSING_DEFAULT_VALUE")
    assert "{oldSchemaVersion: 2}" in msg, msg
    assert "{oldSchema: '%s'}" % S2_TEXT in msg, msg
    assert msg.endswith("{validateFields: 'false', compatibility: 'BACKWARD'}]"), msg


def test_subject_level_none_allows_incompatible(client):
    # §10.42
    setup_t(client)
    assert_ok(client.put("/config/t-value", body={"compatibility": "NONE"}),
              {"compatibility": "NONE"})
    assert_ok(reg(client, "t-value", S3), {"id": 3})
    assert client.versions("t-value") == [1, 2, 3]
    assert client.version("t-value", 3)["id"] == 3


def test_global_none_allows_incompatible(client):
    setup_t(client)
    client.set_config("NONE")
    assert_ok(reg(client, "t-value", S3), {"id": 3})


def test_subject_level_overrides_global(client):
    setup_t(client)
    client.set_config("NONE")
    client.set_config("BACKWARD", subject="t-value")
    assert_incompatible(reg(client, "t-value", S3), "t-value")
    # and the other way round
    client.set_config("FULL")
    client.set_config("NONE", subject="u-value")
    client.register("u-value", S1)
    assert_ok(reg(client, "u-value", S3), {"id": 3})


def test_first_version_is_never_checked(client):
    client.set_config("FULL_TRANSITIVE")
    assert_ok(reg(client, "t-value", S3), {"id": 1})


def test_soft_deleted_versions_are_not_checked(client):
    # §6.3 / compat.md §1.3
    client.register("t-value", S1)
    client.delete_version("t-value", 1)
    assert_ok(reg(client, "t-value", S3), {"id": 2})
    assert client.versions("t-value") == [2]
    assert client.versions("t-value", "?deleted=true") == [1, 2]


def test_backward_checks_latest_only(client):
    # v1 {a}, v2 {a, b default}; v3 {a, b no default} reads v2 data but not v1 data.
    v3 = rec("R", ("a", "string"), ("b", "int"))
    setup_t(client)
    assert_ok(reg(client, "t-value", v3), {"id": 3})


def test_backward_transitive_checks_all(client):
    v3 = rec("R", ("a", "string"), ("b", "int"))
    setup_t(client)
    client.set_config("BACKWARD_TRANSITIVE", subject="t-value")
    msg = assert_incompatible(reg(client, "t-value", v3), "t-value",
                              "READER_FIELD_MISSING_DEFAULT_VALUE")
    assert "{oldSchemaVersion: 1}" in msg
    assert "compatibility: 'BACKWARD_TRANSITIVE'" in msg
    assert client.versions("t-value") == [1, 2]


def test_backward_transitive_ignores_soft_deleted(client):
    v3 = rec("R", ("a", "string"), ("b", "int"))
    setup_t(client)
    client.set_config("BACKWARD_TRANSITIVE", subject="t-value")
    client.delete_version("t-value", 1)
    assert_ok(reg(client, "t-value", v3), {"id": 3})


FWD_V1 = rec("R", ("a", "string"), ("b", "int"))
FWD_V2 = rec("R", ("a", "string"), {"name": "b", "type": "int", "default": 0})
FWD_V3 = rec("R", ("a", "string"))


def test_forward_rejects_removing_field_without_default(client):
    client.set_config("FORWARD")
    client.register("t-value", S3)
    r = reg(client, "t-value", S1)
    assert_incompatible(r, "t-value", "READER_FIELD_MISSING_DEFAULT_VALUE")
    assert "compatibility: 'FORWARD'" in r.json["message"]
    # adding a field without default is fine going forward
    assert client.register("f2-value", S1) == 2
    assert_ok(reg(client, "f2-value", S3), {"id": 1})
    assert client.versions("f2-value") == [1, 2]


def test_backward_allows_removing_field(client):
    client.register("t-value", S3)
    assert_ok(reg(client, "t-value", S1), {"id": 2})


def test_forward_vs_forward_transitive(client):
    client.set_config("FORWARD", subject="f")
    client.set_config("FORWARD_TRANSITIVE", subject="ft")
    for s in ("f", "ft"):
        assert client.register(s, FWD_V1) == 1
        assert client.register(s, FWD_V2) == 2
    assert_ok(reg(client, "f", FWD_V3), {"id": 3})
    assert_incompatible(reg(client, "ft", FWD_V3), "ft", "READER_FIELD_MISSING_DEFAULT_VALUE")
    assert client.versions("ft") == [1, 2]


def test_full_rejects_field_added_without_default(client):
    client.set_config("FULL")
    client.register("t-value", S1)
    assert_incompatible(reg(client, "t-value", S3), "t-value",
                        "READER_FIELD_MISSING_DEFAULT_VALUE")
    assert_ok(reg(client, "t-value", S2), {"id": 2})
    # FULL also forbids removing a field without default
    client.register("u-value", S3)
    assert_incompatible(reg(client, "u-value", S1), "u-value",
                        "READER_FIELD_MISSING_DEFAULT_VALUE")


def test_full_vs_full_transitive(client):
    v3 = rec("R", ("a", "string"), ("b", "int"))
    client.set_config("FULL", subject="f")
    client.set_config("FULL_TRANSITIVE", subject="ft")
    for s in ("f", "ft"):
        assert client.register(s, S1) == 1
        assert client.register(s, S2) == 2
    assert_ok(reg(client, "f", v3), {"id": 3})
    msg = assert_incompatible(reg(client, "ft", v3), "ft", "READER_FIELD_MISSING_DEFAULT_VALUE")
    assert "compatibility: 'FULL_TRANSITIVE'" in msg


def test_type_change_is_type_mismatch(client):
    client.register("t-value", rec("R", ("a", "string")))
    assert_incompatible(reg(client, "t-value", rec("R", ("a", "int"))), "t-value",
                        "TYPE_MISMATCH")


def test_idempotent_reregister_skips_compat(client):
    # compat.md §1.4 step 4: an existing live version is returned without any check
    client.set_config("NONE", subject="t-value")
    client.register("t-value", S1)
    client.register("t-value", S3)
    client.set_config("FULL_TRANSITIVE", subject="t-value")
    assert_ok(reg(client, "t-value", S1), {"id": 1})
    assert_ok(reg(client, "t-value", S3), {"id": 2})
    assert client.versions("t-value") == [1, 2]


# --- compat.md §2.3 table through the test endpoint -------------------------------------

def f(name, type_, **kw):
    d = {"name": name, "type": type_}
    d.update(kw)
    return d


ENUM_AB = {"type": "enum", "name": "E", "symbols": ["A", "B"]}
ENUM_ABC = {"type": "enum", "name": "E", "symbols": ["A", "B", "C"]}

# (id, old, new, backward error type or None, forward error type or None)
TABLE = [
    ("A1-add-with-default", rec("R", f("a", "string")),
     rec("R", f("a", "string"), f("b", "int", default=1)), None, None),
    ("A2-add-without-default", rec("R", f("a", "string")),
     rec("R", f("a", "string"), f("b", "int")), "READER_FIELD_MISSING_DEFAULT_VALUE", None),
    ("A4-remove-without-default", rec("R", f("a", "string"), f("b", "int")),
     rec("R", f("a", "string")), None, "READER_FIELD_MISSING_DEFAULT_VALUE"),
    ("A9-widen-int-long", rec("R", f("n", "int")), rec("R", f("n", "long")),
     None, "TYPE_MISMATCH"),
    ("A10-narrow-long-int", rec("R", f("n", "long")), rec("R", f("n", "int")),
     "TYPE_MISMATCH", None),
    ("A11-string-bytes", rec("R", f("n", "string")), rec("R", f("n", "bytes")), None, None),
    ("A12-int-string", rec("R", f("n", "int")), rec("R", f("n", "string")),
     "TYPE_MISMATCH", "TYPE_MISMATCH"),
    ("A15-add-union-branch", rec("R", f("u", ["null", "string"])),
     rec("R", f("u", ["null", "string", "int"])), None, "MISSING_UNION_BRANCH"),
    ("A16-remove-union-branch", rec("R", f("u", ["null", "string", "int"])),
     rec("R", f("u", ["null", "string"])), "MISSING_UNION_BRANCH", None),
    ("A18-enum-add-symbol", rec("R", f("e", ENUM_AB)), rec("R", f("e", ENUM_ABC)),
     None, "MISSING_ENUM_SYMBOLS"),
    ("A19-enum-remove-symbol", rec("R", f("e", ENUM_ABC)), rec("R", f("e", ENUM_AB)),
     "MISSING_ENUM_SYMBOLS", None),
    ("A21-rename-record", rec("R", f("a", "string")), rec("Q", f("a", "string")),
     "NAME_MISMATCH", "NAME_MISMATCH"),
    ("A24-fixed-size", rec("R", f("x", {"type": "fixed", "name": "F", "size": 4})),
     rec("R", f("x", {"type": "fixed", "name": "F", "size": 8})),
     "FIXED_SIZE_MISMATCH", "FIXED_SIZE_MISMATCH"),
    ("A26-doc-change", rec("R", f("a", "string")), rec("R", f("a", "string", doc="x")),
     None, None),
]


@pytest.mark.parametrize("level", ["BACKWARD", "FORWARD", "FULL"])
@pytest.mark.parametrize("name,old,new,berr,ferr", TABLE, ids=[t[0] for t in TABLE])
def test_rules_table(client, level, name, old, new, berr, ferr):
    client.set_config(level, subject="s")
    assert client.register("s", old) == 1
    expected_errs = {"BACKWARD": [berr], "FORWARD": [ferr], "FULL": [ferr, berr]}[level]
    expected_errs = [e for e in expected_errs if e is not None]
    r = check(client, "s", "latest", new, verbose=True)
    body = assert_ok(r)
    assert set(body) == {"is_compatible", "messages"}
    assert body["is_compatible"] is (not expected_errs), body
    if expected_errs:
        joined = "\n".join(body["messages"])
        for e in expected_errs:
            assert "{errorType:'%s'" % e in joined, body
    else:
        assert body["messages"] == []
    # registration agrees with the check
    r = reg(client, "s", new)
    if expected_errs:
        assert_incompatible(r, "s", expected_errs[0])
        assert client.versions("s") == [1]
    else:
        assert_ok(r, {"id": 2})
        assert client.versions("s") == [1, 2]


def test_none_allows_everything(client):
    client.set_config("NONE", subject="s")
    client.register("s", rec("R", f("a", "string")))
    assert_ok(reg(client, "s", '"int"'), {"id": 2})
    assert_ok(reg(client, "s", rec("Other", f("z", "bytes"))), {"id": 3})
    assert client.versions("s") == [1, 2, 3]


# --- POST /compatibility/subjects/{s}/versions/{v} (§3.20) ------------------------------

def test_check_latest_incompatible(client):
    # §10.17
    setup_t(client)
    assert_ok(check(client, "t-value", "latest", S3), {"is_compatible": False})
    body = assert_ok(check(client, "t-value", "latest", S3, verbose=True))
    assert set(body) == {"is_compatible", "messages"}
    assert body["is_compatible"] is False
    assert isinstance(body["messages"], list) and body["messages"]
    assert all(isinstance(m, str) for m in body["messages"])
    assert any("READER_FIELD_MISSING_DEFAULT_VALUE" in m for m in body["messages"]), body


def test_check_latest_compatible(client):
    # §10.18
    setup_t(client)
    assert_ok(check(client, "t-value", "latest", S2), {"is_compatible": True})
    assert_ok(check(client, "t-value", "latest", S2, verbose=True),
              {"is_compatible": True, "messages": []})
    assert_ok(check(client, "t-value", "-1", S2), {"is_compatible": True})
    assert_ok(check(client, "t-value", "2", S2), {"is_compatible": True})


def test_check_does_not_store(client):
    setup_t(client)
    before = client.snapshot()
    s4 = rec("R", f("a", "string"), f("b", "int", default=0), f("d", "long", default=5))
    assert_ok(check(client, "t-value", "latest", s4), {"is_compatible": True})
    assert_ok(check(client, "t-value", None, s4), {"is_compatible": True})
    assert_ok(check(client, "new-value", "latest", s4), {"is_compatible": True})
    assert client.snapshot() == before
    assert client.register("x-value", s4) == 3


def test_check_specific_version(client):
    # v1 {a}; v2 {a,b default}; X = {a, b no default}: ok against v2, not against v1
    x = rec("R", f("a", "string"), f("b", "int"))
    setup_t(client)
    assert_ok(check(client, "t-value", "2", x), {"is_compatible": True})
    assert_ok(check(client, "t-value", "1", x), {"is_compatible": False})


def test_check_single_version_ignores_transitivity(client):
    # §3.20: only the named version is checked even for *_TRANSITIVE
    x = rec("R", f("a", "string"), f("b", "int"))
    setup_t(client)
    client.set_config("BACKWARD_TRANSITIVE", subject="t-value")
    assert_ok(check(client, "t-value", "latest", x), {"is_compatible": True})
    assert_ok(check(client, "t-value", "1", x), {"is_compatible": False})
    # §3.21: the all-versions endpoint honours transitivity
    assert_ok(check(client, "t-value", None, x), {"is_compatible": False})


def test_check_unknown_subject(client):
    # §10.20
    setup_t(client)
    assert_ok(check(client, "nope", "latest", S1), {"is_compatible": True})
    assert_ok(check(client, "nope", "latest", S1, verbose=True),
              {"is_compatible": True, "messages": []})
    assert_error(check(client, "nope", "7", S1), 404, 40402)


def test_check_missing_or_soft_deleted_version(client):
    setup_t(client)
    assert_error(check(client, "t-value", "3", S1), 404, 40402)
    client.delete_version("t-value", 2)
    assert_error(check(client, "t-value", "2", S1), 404, 40402)
    # latest is now v1: S3 is incompatible with it, and x {a, b no default} too
    assert_ok(check(client, "t-value", "latest", S3), {"is_compatible": False})


def test_check_latest_with_all_versions_soft_deleted(client):
    setup_t(client)
    client.delete_subject("t-value")
    assert_ok(check(client, "t-value", "latest", S3), {"is_compatible": True})
    assert_ok(check(client, "t-value", None, S3), {"is_compatible": True})


@pytest.mark.parametrize("v", ["0", "-2", "abc", "2147483648"])
def test_check_invalid_version(client, v):
    setup_t(client)
    assert_error(check(client, "t-value", v, S1), 422, 42202)


def test_check_invalid_schema(client):
    setup_t(client)
    bad = '{"type":"record","name":"R","fields":[{"name":"a","type":"nosuch"}]}'
    for version in ("latest", None):
        assert_error(check(client, "t-value", version, bad), 422, 42201)
        body = assert_ok(check(client, "t-value", version, bad, verbose=True))
        assert set(body) == {"is_compatible", "messages"}
        assert body["is_compatible"] is False
        assert len(body["messages"]) == 1 and isinstance(body["messages"][0], str)
    assert_error(check(client, "t-value", "latest", "{oops"), 422, 42201)


def test_check_unknown_schema_type(client):
    setup_t(client)
    r = client.post("/compatibility/subjects/t-value/versions/latest",
                    body=body_for(S1, schemaType="XML"))
    assert_error(r, 422, 42201)


def test_check_uses_subject_level(client):
    setup_t(client)
    client.set_config("NONE", subject="t-value")
    assert_ok(check(client, "t-value", "latest", S3), {"is_compatible": True})
    client.set_config("FORWARD", subject="t-value")
    # FORWARD: old reader v2 {a, b default} reads S3 {a, c} data fine
    assert_ok(check(client, "t-value", "latest", S3), {"is_compatible": True})
    assert_ok(check(client, "t-value", "latest", rec("R", f("b", "int"))),
              {"is_compatible": False})


def test_check_normalize_param_accepted(client):
    setup_t(client)
    assert_ok(client.post("/compatibility/subjects/t-value/versions/latest?normalize=true",
                          body=body_for(S2)), {"is_compatible": True})
    assert_ok(client.post("/compatibility/subjects/t-value/versions?normalize=true&verbose=true",
                          body=body_for(S2)), {"is_compatible": True, "messages": []})


def test_check_malformed_and_missing_body(client):
    setup_t(client)
    for path in ("/compatibility/subjects/t-value/versions/latest",
                 "/compatibility/subjects/t-value/versions"):
        assert_error(client.post(path, data=b'{"schema":'), 400, 400)
        assert_error(client.post(path, data=b"", content_type=None), 422, 422)


# --- POST /compatibility/subjects/{s}/versions (§3.21) -----------------------------------

def test_check_all_versions(client):
    setup_t(client)
    assert_ok(check(client, "t-value", None, S2), {"is_compatible": True})
    assert_ok(check(client, "t-value", None, S3), {"is_compatible": False})
    body = assert_ok(check(client, "t-value", None, S3, verbose=True))
    assert body["is_compatible"] is False and body["messages"]
    assert any("READER_FIELD_MISSING_DEFAULT_VALUE" in m for m in body["messages"])


def test_check_all_versions_unknown_subject(client):
    assert_ok(check(client, "nope", None, S3), {"is_compatible": True})
    assert_ok(check(client, "nope", None, S3, verbose=True),
              {"is_compatible": True, "messages": []})


def test_check_global_level_change(client):
    setup_t(client)
    client.set_config("NONE")
    assert_ok(check(client, "t-value", None, S3), {"is_compatible": True})
    client.set_config("BACKWARD")
    assert_ok(check(client, "t-value", None, S3), {"is_compatible": False})


def test_check_compatible_message_for_primitive(client):
    client.register("p-value", '"int"')
    assert_ok(check(client, "p-value", "latest", '"long"'), {"is_compatible": True})
    assert_ok(check(client, "p-value", "latest", '"string"'), {"is_compatible": False})
