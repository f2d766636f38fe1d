"""/config and /config/{subject}: api.md §3.22-§3.27, §4.4-§4.5, §6.10; §10 items 4,
36-42."""

import pytest

from srapi import S1, S3, assert_error, assert_ok, body_for

LEVELS = ["NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL",
          "FULL_TRANSITIVE"]


def test_global_default(client):
    # §10.4
    assert_ok(client.get("/config"), {"compatibilityLevel": "BACKWARD"})
    assert_ok(client.get("/config?defaultToGlobal=true"), {"compatibilityLevel": "BACKWARD"})


def test_put_global(client):
    # §10.36
    assert_ok(client.put("/config", body={"compatibility": "FULL"}), {"compatibility": "FULL"})
    assert_ok(client.get("/config"), {"compatibilityLevel": "FULL"})


@pytest.mark.parametrize("level", LEVELS)
def test_every_level_accepted_globally(client, level):
    assert_ok(client.put("/config", body={"compatibility": level}), {"compatibility": level})
    assert_ok(client.get("/config"), {"compatibilityLevel": level})


@pytest.mark.parametrize("level", LEVELS)
def test_every_level_accepted_per_subject(client, level):
    assert_ok(client.put("/config/s", body={"compatibility": level}), {"compatibility": level})
    assert_ok(client.get("/config/s"), {"compatibilityLevel": level})
    assert_ok(client.get("/config"), {"compatibilityLevel": "BACKWARD"})


@pytest.mark.parametrize("given,stored", [("none", "NONE"), ("Full_Transitive", "FULL_TRANSITIVE"),
                                          ("forward", "FORWARD")])
def test_level_case_insensitive(client, given, stored):
    # §10.37
    r = client.put("/config", body={"compatibility": given})
    body = assert_ok(r)
    assert set(body) == {"compatibility"}
    assert body["compatibility"].upper() == stored
    assert_ok(client.get("/config"), {"compatibilityLevel": stored})
    r = client.put("/config/s", body={"compatibility": given})
    assert r.status == 200, r
    assert_ok(client.get("/config/s"), {"compatibilityLevel": stored})


@pytest.mark.parametrize("level", ["sideways", "", "BACKWARDS", "FULL TRANSITIVE", "NONEE"])
def test_invalid_level(client, level):
    # §10.37
    client.set_config("FORWARD")
    assert_error(client.put("/config", body={"compatibility": level}), 422, 42203)
    assert_ok(client.get("/config"), {"compatibilityLevel": "FORWARD"})
    assert_error(client.put("/config/s", body={"compatibility": level}), 422, 42203)
    assert_error(client.get("/config/s"), 404, 40408)


def test_compatibility_level_key_is_a_noop(client):
    # §3.23: {"compatibilityLevel": ...} is an unknown key in the update request
    r = client.put("/config", body={"compatibilityLevel": "FULL"})
    assert r.status == 200, r
    assert_ok(client.get("/config"), {"compatibilityLevel": "BACKWARD"})


def test_put_merges_fields(client):
    assert_ok(client.put("/config", body={"compatibility": "FULL"}), {"compatibility": "FULL"})
    # the PUT answer is the resulting config (CP 8) or the echoed request (CP 7):
    # both carry the fields that were sent
    assert assert_ok(client.put("/config", body={"normalize": True}))["normalize"] is True
    assert_ok(client.get("/config"), {"compatibilityLevel": "FULL", "normalize": True})
    assert assert_ok(client.put("/config", body={"compatibility": "NONE"}))["compatibility"] \
        == "NONE"
    assert_ok(client.get("/config"), {"compatibilityLevel": "NONE", "normalize": True})
    assert assert_ok(client.put("/config", body={"normalize": False}))["normalize"] is False
    assert_ok(client.get("/config"), {"compatibilityLevel": "NONE", "normalize": False})


def test_put_with_normalize(client):
    r = client.put("/config", body={"compatibility": "FULL", "normalize": True})
    assert_ok(r, {"compatibility": "FULL", "normalize": True})
    assert_ok(client.get("/config"), {"compatibilityLevel": "FULL", "normalize": True})


def test_delete_global(client):
    # §10.41
    client.set_config("FULL")
    assert_ok(client.delete("/config"), {"compatibilityLevel": "FULL"})
    assert_ok(client.get("/config"), {"compatibilityLevel": "BACKWARD"})
    # nothing set: returns the effective (default) config
    assert_ok(client.delete("/config"), {"compatibilityLevel": "BACKWARD"})
    assert_ok(client.get("/config"), {"compatibilityLevel": "BACKWARD"})


def test_delete_global_with_extra_fields(client):
    client.put("/config", body={"compatibility": "FULL", "normalize": True})
    assert_ok(client.delete("/config"), {"compatibilityLevel": "FULL", "normalize": True})
    assert_ok(client.get("/config"), {"compatibilityLevel": "BACKWARD"})


def test_delete_global_keeps_subject_configs(client):
    client.set_config("FULL")
    client.set_config("NONE", subject="s")
    client.delete("/config")
    assert_ok(client.get("/config/s"), {"compatibilityLevel": "NONE"})


# --- subject scope ---------------------------------------------------------------------------

def test_subject_config_not_set(client):
    # §10.38: independent of whether the subject has schemas
    client.register("t-value", S1)
    assert_error(client.get("/config/t-value"), 404, 40408)
    assert_error(client.get("/config/never-seen"), 404, 40408)
    assert_error(client.get("/config/t-value?defaultToGlobal=false"), 404, 40408)
    assert_ok(client.get("/config/t-value?defaultToGlobal=true"),
              {"compatibilityLevel": "BACKWARD"})
    client.set_config("FULL_TRANSITIVE")
    assert_ok(client.get("/config/t-value?defaultToGlobal=true"),
              {"compatibilityLevel": "FULL_TRANSITIVE"})
    assert_ok(client.get("/config/never-seen?defaultToGlobal=true"),
              {"compatibilityLevel": "FULL_TRANSITIVE"})


def test_subject_config_for_unknown_subject(client):
    # §10.39
    assert_ok(client.put("/config/unknown-subject", body={"compatibility": "NONE"}),
              {"compatibility": "NONE"})
    assert_ok(client.get("/config/unknown-subject"), {"compatibilityLevel": "NONE"})
    assert_ok(client.get("/config/unknown-subject?defaultToGlobal=true"),
              {"compatibilityLevel": "NONE"})
    # does not create the subject
    assert_ok(client.get("/subjects"), [])
    assert_ok(client.get("/config"), {"compatibilityLevel": "BACKWARD"})


def test_subject_config_delete(client):
    # §10.40
    client.set_config("NONE", subject="unknown-subject")
    assert_ok(client.delete("/config/unknown-subject"), {"compatibilityLevel": "NONE"})
    assert_error(client.delete("/config/unknown-subject"), 404, 40401)
    assert_error(client.get("/config/unknown-subject"), 404, 40408)
    assert_error(client.delete("/config/never-set"), 404, 40401)


def test_subject_config_overwrite(client):
    client.set_config("NONE", subject="s")
    assert_ok(client.put("/config/s", body={"compatibility": "FULL"}), {"compatibility": "FULL"})
    assert_ok(client.get("/config/s"), {"compatibilityLevel": "FULL"})


def test_subject_config_other_fields_only(client):
    # §3.25: no level set → compatibilityLevel filled with the server default
    assert assert_ok(client.put("/config/s", body={"normalize": True}))["normalize"] is True
    assert_ok(client.get("/config/s"), {"compatibilityLevel": "BACKWARD", "normalize": True})


def test_subject_config_default_to_global_merges(client):
    # §3.25: effective config = subject merged over global
    client.put("/config", body={"compatibility": "FULL", "normalize": True})
    client.set_config("NONE", subject="s")
    assert_ok(client.get("/config/s"), {"compatibilityLevel": "NONE"})
    assert_ok(client.get("/config/s?defaultToGlobal=true"),
              {"compatibilityLevel": "NONE", "normalize": True})


def test_subject_config_is_per_subject(client):
    client.set_config("NONE", subject="a")
    client.set_config("FULL", subject="b")
    assert_ok(client.get("/config/a"), {"compatibilityLevel": "NONE"})
    assert_ok(client.get("/config/b"), {"compatibilityLevel": "FULL"})
    assert_error(client.get("/config/c"), 404, 40408)
    client.delete("/config/a")
    assert_ok(client.get("/config/b"), {"compatibilityLevel": "FULL"})


def test_subject_config_applies_to_registration(client):
    # §10.42
    client.register("t-value", S1)
    client.set_config("NONE", subject="t-value")
    assert client.register("t-value", S3) == 2
    client.delete("/config/t-value")
    client.register("u-value", S1)
    r = client.post("/subjects/u-value/versions", body=body_for(S3))
    assert_error(r, 409, 409)


@pytest.mark.parametrize("raw_subject", ["a%0Ab", "%00", "__GLOBAL"])
def test_subject_config_invalid_subject(client, raw_subject):
    assert_error(client.put("/config/" + raw_subject, body={"compatibility": "NONE"}), 422, 42208)
    assert_ok(client.get("/config"), {"compatibilityLevel": "BACKWARD"})


# --- bad bodies ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/config", "/config/s"])
def test_config_bad_bodies(client, path):
    client.set_config("FULL")
    assert_error(client.put(path, data=b'{"compatibility":'), 400, 400)
    assert_error(client.put(path, data=b"{'compatibility':'NONE'}"), 400, 400)
    assert_error(client.put(path, body={"compatibility": {"x": 1}}), 400, 400)
    assert_error(client.put(path, body={"compatibility": ["NONE"]}), 400, 400)
    assert_error(client.put(path, body={"compatibility": "NONE", "normalize": "maybe"}), 400, 400)
    assert_error(client.put(path, body=["NONE"]), 400, 400)
    assert_error(client.put(path, data=b"", content_type=None), 422, 422)
    assert_error(client.put(path, data=b"null"), 422, 422)
    assert_ok(client.get("/config"), {"compatibilityLevel": "FULL"})
    assert_error(client.get("/config/s"), 404, 40408)
