"""`schemareg check` against a registry: the REST API of a real server started by
the test (read-only: GET only), and the server's SQLite file opened read-only."""

import hashlib
import json
import os

import pytest

import scenario


def fill(reg):
    """The golden scenario's committed history, registered."""
    reg.register("address-value", scenario.ADDRESS_V1)
    ref = [{"name": "com.acme.Address", "subject": "address-value", "version": 1}]
    reg.register("users-value", scenario.USER_V1, references=ref)
    reg.register("users-value", scenario.USER_V2, references=ref)
    reg.register("orders-value", scenario.ORDER_V1, "PROTOBUF")
    reg.register("orders-value", scenario.ORDER_V2, "PROTOBUF")
    reg.register("products-value", scenario.PRODUCT_V1, "JSON")


def findings(doc):
    return sorted((v["subject"], v["rule"], v["against_version"], v["line"], v["col"])
                  for v in doc["violations"] + doc["suppressed"])


@pytest.fixture
def work(repo):
    scenario.build(repo)
    return repo


def test_registry_url_baseline(work, run, start_registry):
    reg = start_registry()
    fill(reg)
    r = run(["check", "--against", reg.url, "--format", "json"], work.path)
    assert r.rc == 1, r
    doc = json.loads(r.out)
    assert doc["against"] == reg.url
    status = {s["subject"]: (s["status"], [a["version"] for a in s["against"]])
              for s in doc["subjects"]}
    assert status == {"address-value": ("compatible", [1]),
                      "users-value": ("incompatible", [1, 2]),
                      "orders-value": ("incompatible", [2]),
                      "products-value": ("compatible", [1]),
                      "payments-value": ("new", [])}
    # the same findings as against the git history the registry mirrors
    git = json.loads(run(["check", "--against", "git:main", "--format", "json"], work.path).out)
    assert findings(doc) == findings(git)
    for v in doc["violations"]:
        assert v["against_commit"] is None


def test_registry_is_only_read(work, run, start_registry):
    reg = start_registry()
    fill(reg)
    _, before = reg.request("GET", "/subjects")
    run(["check", "--against", reg.url], work.path)
    _, after = reg.request("GET", "/subjects")
    assert before == after
    assert reg.stop() == 0
    methods = [l.split()[0] for l in reg.log().splitlines() if "/subjects" in l and l.split()]
    assert methods.count("POST") == 6  # fill()'s registrations
    assert "PUT" not in methods and "DELETE" not in methods


def test_transitive_against_registry_versions_skips_soft_deleted(work, run, start_registry):
    reg = start_registry()
    fill(reg)
    r = run(["check", "--against", reg.url, "--config", "schemareg.json", "schemas/user.avsc"],
            work.path)
    assert r.rc == 1 and "[users-value, BACKWARD_TRANSITIVE, against v1]" in r.out, r
    status, _ = reg.request("DELETE", "/subjects/users-value/versions/1")
    assert status == 200
    r = run(["check", "--against", reg.url, "--config", "schemareg.json", "schemas/user.avsc"],
            work.path)
    assert r.rc == 0, r


def test_references_are_resolved_through_the_registry(work, run, start_registry):
    # The registry's Address v1 lacks `city`: the old users-value must be read with
    # the registry's Address, the new one with the local file, or nothing breaks.
    reg = start_registry()
    reg.register("address-value", scenario.avro_record("Address", [
        {"name": "street", "type": "string"},
    ]))
    ref = [{"name": "com.acme.Address", "subject": "address-value", "version": 1}]
    reg.register("users-value", scenario.USER_V2, references=ref)
    work.write("schemas/user.avsc", scenario.USER_V2)
    r = run(["check", "--against", reg.url, "--format", "json", "--config", "schemareg.json",
             "schemas/user.avsc", "schemas/address.avsc"], work.path)
    doc = json.loads(r.out)
    assert r.rc == 1, r
    assert {s["subject"]: s["status"] for s in doc["subjects"]} == \
        {"address-value": "incompatible", "users-value": "incompatible"}, doc
    paths = sorted((v["subject"], v["path"]) for v in doc["violations"])
    assert paths == [("address-value", "/fields/1"), ("users-value", "/fields/2/type/fields/1")]


def test_different_schema_type(work, run, start_registry):
    reg = start_registry()
    reg.register("products-value", scenario.avro_record("Product", [{"name": "sku",
                                                                     "type": "string"}]))
    r = run(["check", "--against", reg.url, "--config", "schemareg.json", "schemas/product.json",
             "--format", "json"], work.path)
    assert r.rc == 1, r
    (v,) = json.loads(r.out)["violations"]
    assert v["rule"] == "DIFFERENT_SCHEMA_TYPE"
    assert v["message"] == ("Incompatible because of different schema type: the baseline version "
                            "is AVRO, the file is JSON")


def test_single_file_against_a_registry(work, run, start_registry):
    reg = start_registry()
    fill(reg)
    r = run(["check", "schemas/user.avsc", "--subject", "users-value", "--against", reg.url,
             "--ref", "com.acme.Address=schemas/address.avsc"], work.path)
    assert r.rc == 0, r  # BACKWARD against v2
    r = run(["check", "schemas/user.avsc", "--subject", "users-value", "--against", reg.url,
             "--ref", "com.acme.Address=schemas/address.avsc", "--level",
             "BACKWARD_TRANSITIVE"], work.path)
    assert r.rc == 1, r


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def test_sqlite_baseline_while_the_server_runs(work, run, start_registry):
    reg = start_registry()
    fill(reg)
    url = json.loads(run(["check", "--against", reg.url, "--format", "json"], work.path).out)
    for spec in ("sqlite:" + reg.db, reg.db):
        r = run(["check", "--against", spec, "--format", "json"], work.path)
        assert r.rc == 1, r
        doc = json.loads(r.out)
        assert doc["against"] == "sqlite:" + reg.db
        assert findings(doc) == findings(url)
        assert doc["subjects"] == url["subjects"]


def test_sqlite_baseline_is_opened_read_only(work, run, start_registry):
    reg = start_registry()
    fill(reg)
    assert reg.stop() == 0
    d = os.path.dirname(reg.db)
    files_before = sorted(os.listdir(d))
    digest = sha(reg.db)
    os.chmod(reg.db, 0o444)
    try:
        r = run(["check", "--against", "sqlite:" + reg.db, "--format", "json"], work.path)
    finally:
        os.chmod(reg.db, 0o644)
    assert r.rc == 1, r
    assert json.loads(r.out)["summary"]["violations"] == 4
    assert sha(reg.db) == digest
    assert sorted(os.listdir(d)) == files_before
