"""`schemareg check` against git baselines: blobs read from git objects, every
earlier committed version for *_TRANSITIVE levels, renames followed, references
read at the same commit, buf-style refs."""

import json

import pytest

import scenario
from scenario import avro_record

V1 = avro_record("User", [{"name": "id", "type": "long"}])
V2 = avro_record("User", [{"name": "id", "type": "long"},
                          {"name": "email", "type": "string", "default": ""}])
WORK = avro_record("User", [{"name": "id", "type": "long"},
                            {"name": "email", "type": "string"}])


def history(repo, path="user.avsc", level="BACKWARD"):
    repo.config({"subjects": [{"subject": "users-value", "file": path, "level": level}]})
    repo.write(path, V1)
    c1 = repo.commit("v1")
    repo.write("README", "unrelated change\n")
    repo.commit("docs")
    repo.write(path, V2)
    c2 = repo.commit("v2: email with a default")
    repo.write(path, WORK)
    return c1, c2


def check_json(run, repo, *args):
    r = run(["check", "--format", "json"] + list(args), repo.path)
    doc = json.loads(r.out) if r.out.startswith("{") else None
    return r, doc


def test_backward_passes_against_the_latest_commit(repo, run):
    history(repo)
    r, doc = check_json(run, repo, "--against", "git:main")
    assert r.rc == 0, r
    assert doc["subjects"][0]["against"][0]["version"] == 2


def test_backward_transitive_fails_against_an_older_commit(repo, run):
    c1, c2 = history(repo, level="BACKWARD_TRANSITIVE")
    r, doc = check_json(run, repo, "--against", "git:main")
    assert r.rc == 1, r
    # two versions: the docs commit did not change the file
    assert doc["subjects"][0]["against"] == [{"version": 1, "commit": c1[:7]},
                                             {"version": 2, "commit": c2[:7]}]
    (v,) = doc["violations"]
    assert (v["rule"], v["against_version"], v["against_commit"]) == \
        ("READER_FIELD_MISSING_DEFAULT_VALUE", 1, c1[:7])


@pytest.mark.parametrize("level, rc", [("FORWARD", 0), ("FORWARD_TRANSITIVE", 0), ("FULL", 0),
                                       ("FULL_TRANSITIVE", 1), ("NONE", 0)])
def test_other_levels(repo, run, level, rc):
    history(repo, level=level)
    r = run(["check", "--against", "git:main"], repo.path)
    assert r.rc == rc, r


def test_an_older_ref_sees_only_the_history_up_to_it(repo, run):
    c1, _ = history(repo, level="BACKWARD_TRANSITIVE")
    # at HEAD~1 (the docs commit) the file is still v1: v1 is all there is
    r, doc = check_json(run, repo, "--against", "git:HEAD~1")
    assert r.rc == 1
    assert doc["subjects"][0]["against"] == [{"version": 1, "commit": c1[:7]}]


@pytest.mark.parametrize("spec", [".git#branch=main", ".git#ref=main", ".git#tag=v2", "git:v2"])
def test_buf_style_refs(repo, run, spec):
    history(repo, level="BACKWARD_TRANSITIVE")
    repo.git("tag", "v2")
    r = run(["check", "--against", spec], repo.path)
    assert r.rc == 1, r
    assert "against v1" in r.out


def test_no_checkout_happens(repo, run):
    history(repo, level="BACKWARD_TRANSITIVE")
    before = (repo.path / "user.avsc").read_text()
    status = repo.git("status", "--porcelain")
    run(["check", "--against", "git:main"], repo.path)
    assert (repo.path / "user.avsc").read_text() == before
    assert repo.git("status", "--porcelain") == status


def test_history_follows_renames(repo, run):
    repo.config({"subjects": [{"subject": "users-value", "file": "schemas/user.avsc",
                               "level": "BACKWARD_TRANSITIVE"}]})
    repo.write("old/user.avsc", V1)
    c1 = repo.commit("v1 in old/")
    (repo.path / "schemas").mkdir()
    repo.git("mv", "old/user.avsc", "schemas/user.avsc")
    repo.commit("move")
    repo.write("schemas/user.avsc", V2)
    c3 = repo.commit("v2")
    repo.write("schemas/user.avsc", WORK)
    r, doc = check_json(run, repo, "--against", "git:main")
    assert r.rc == 1, r
    assert doc["subjects"][0]["against"] == [{"version": 1, "commit": c1[:7]},
                                             {"version": 2, "commit": c3[:7]}]


def test_reverted_content_counts_once_per_change(repo, run):
    repo.config({"subjects": [{"subject": "s", "file": "s.avsc", "level": "BACKWARD_TRANSITIVE"}]})
    repo.write("s.avsc", V1)
    repo.commit("v1")
    repo.write("s.avsc", V2)
    repo.commit("v2")
    repo.write("s.avsc", V1)
    c3 = repo.commit("back to v1")
    r, doc = check_json(run, repo, "--against", "git:main")
    assert [a["version"] for a in doc["subjects"][0]["against"]] == [1, 2, 3]
    assert doc["subjects"][0]["against"][2]["commit"] == c3[:7]


def test_a_file_deleted_at_the_ref_is_new(repo, run):
    repo.config({"subjects": [{"subject": "s", "file": "s.avsc"}]})
    repo.write("s.avsc", V1)
    repo.commit("v1")
    repo.git("rm", "-q", "s.avsc")
    repo.commit("gone")
    repo.write("s.avsc", WORK)
    r = run(["check", "--against", "git:main"], repo.path)
    assert r.rc == 0, r
    assert "s.avsc: note: s is new: not in git:main" in r.out


def test_a_baseline_version_that_does_not_parse(repo, run):
    repo.config({"subjects": [{"subject": "s", "file": "s.avsc", "level": "BACKWARD_TRANSITIVE"}]})
    repo.write("s.avsc", "{ not json")
    c1 = repo.commit("broken")
    repo.write("s.avsc", V1)
    repo.commit("v1")
    repo.write("s.avsc", V2)
    r, doc = check_json(run, repo, "--against", "git:main")
    assert r.rc == 2, r
    (e,) = doc["violations"]
    assert (e["rule"], e["kind"], e["against_version"], e["against_commit"]) == \
        ("BASELINE_PARSE_ERROR", "error", 1, c1[:7])
    # An allow-list entry can accept a broken commit in history.
    cfg = json.loads((repo.path / "schemareg.json").read_text())
    cfg["allow"] = [{"rule": "BASELINE_PARSE_ERROR", "subject": "s", "reason": "broken commit",
                     "expires": "2999-01-01"}]
    repo.config(cfg)
    r = run(["check", "--against", "git:main"], repo.path)
    assert r.rc == 0, r


def test_config_in_a_subdirectory(repo, run):
    repo.write("svc/schemareg.json", json.dumps(
        {"subjects": [{"subject": "users-value", "file": "schemas/user.avsc",
                       "level": "BACKWARD_TRANSITIVE"}]}))
    repo.write("svc/schemas/user.avsc", V1)
    repo.commit("v1")
    repo.write("svc/schemas/user.avsc", WORK)
    r = run(["check", "--config", "svc/schemareg.json", "--against", "git:main"], repo.path)
    assert r.rc == 1, r
    assert r.out.startswith("svc/schemas/user.avsc:10:5: READER_FIELD_MISSING_DEFAULT_VALUE")


def test_the_config_default_baseline_and_file_selection(repo, run):
    c1, c2 = scenario.build(repo)
    r = run(["check", "--config", "schemareg.json", "schemas/address.avsc",
             "schemas/payment.avsc"], repo.path)
    assert r.rc == 0, r
    assert "2 subjects checked against git:main" in r.out


def test_single_file_against_git(repo, run):
    history(repo, level="BACKWARD")
    r = run(["check", "user.avsc", "--against", "git:main", "--level", "BACKWARD_TRANSITIVE",
             "--subject", "users-value"], repo.path)
    assert r.rc == 1, r
    assert "[users-value, BACKWARD_TRANSITIVE, against v1 (" in r.out
    # an absolute path works as well
    r = run(["check", str(repo.path / "user.avsc"), "--against", "git:main", "--level",
             "BACKWARD_TRANSITIVE"], repo.path)
    assert r.rc == 1, r


# --- references ---------------------------------------------------------------------------


ADDRESS_BROKEN = avro_record("Address", [
    {"name": "street", "type": "string"},
    {"name": "city", "type": "string"},
    {"name": "zip", "type": "string"},
])


def test_references_are_resolved_from_files(repo, run):
    scenario.build(repo)
    # Only the referenced file changes: both subjects see it.
    repo.write("schemas/user.avsc", scenario.USER_V2)
    repo.write("schemas/address.avsc", ADDRESS_BROKEN)
    r, doc = check_json(run, repo, "--against", "git:main", "schemas/address.avsc",
                        "schemas/user.avsc", "--config", "schemareg.json")
    assert r.rc == 1, r
    found = {(v["subject"], v["rule"], v["path"], v["line"]) for v in doc["violations"]}
    assert ("address-value", "READER_FIELD_MISSING_DEFAULT_VALUE", "/fields/2", 14) in found
    # in users-value the path leads into the referenced type: located at the field's type
    assert ("users-value", "READER_FIELD_MISSING_DEFAULT_VALUE", "/fields/2/type/fields/2",
            16) in found


def test_references_of_references_come_from_their_entries(repo, run):
    c = avro_record("C", [{"name": "v", "type": "int"}])
    b = avro_record("B", [{"name": "c", "type": "com.acme.C"}])
    a = avro_record("A", [{"name": "b", "type": "com.acme.B"}])
    repo.config({"subjects": [
        {"subject": "a", "file": "a.avsc",
         "references": [{"name": "com.acme.B", "subject": "b"}]},
        {"subject": "b", "file": "b.avsc",
         "references": [{"name": "com.acme.C", "file": "c.avsc"}]},
        {"subject": "c", "file": "c.avsc"},
    ]})
    repo.write("a.avsc", a)
    repo.write("b.avsc", b)
    repo.write("c.avsc", c)
    repo.commit("v1")
    repo.write("c.avsc", avro_record("C", [{"name": "v", "type": "string"}]))
    r, doc = check_json(run, repo, "--against", "git:main")
    assert r.rc == 1, r
    assert {s["subject"]: s["status"] for s in doc["subjects"]} == \
        {"a": "incompatible", "b": "incompatible", "c": "incompatible"}
    paths = {v["subject"]: v["path"] for v in doc["violations"]}
    assert paths["a"] == "/fields/0/type/fields/0/type/fields/0/type"


def test_a_reference_cycle_is_an_input_error(repo, run):
    repo.config({"subjects": [
        {"subject": "a", "file": "a.avsc", "references": [{"name": "com.acme.B", "subject": "b"}]},
        {"subject": "b", "file": "b.avsc", "references": [{"name": "com.acme.A", "subject": "a"}]},
    ]})
    repo.write("a.avsc", V1)
    repo.write("b.avsc", V1)
    repo.commit("v1")
    r = run(["check", "--against", "git:main"], repo.path)
    assert r.rc == 2, r
    assert "reference cycle" in r.out


COMMON_V1 = """syntax = "proto3";
package acme.common;

message Money {
  string currency = 1;
  int64 units = 2;
}
"""

COMMON_WORK = """syntax = "proto3";
package acme.common;

message Money {
  string currency = 1;
  string units = 2;
}
"""

INVOICE = """syntax = "proto3";
package acme.billing;

import "acme/common.proto";

message Invoice {
  string id = 1;
  acme.common.Money total = 2;
}
"""


def test_protobuf_imports_resolve_from_files(repo, run):
    repo.config({"subjects": [
        {"subject": "common", "file": "protos/common.proto"},
        {"subject": "invoices-value", "file": "protos/invoice.proto",
         "references": [{"name": "acme/common.proto", "subject": "common"}]},
    ]})
    repo.write("protos/common.proto", COMMON_V1)
    repo.write("protos/invoice.proto", INVOICE)
    repo.commit("v1")
    r = run(["check", "--against", "git:main"], repo.path)
    assert r.rc == 0, r
    repo.write("protos/common.proto", COMMON_WORK)
    r, doc = check_json(run, repo, "--against", "git:main")
    assert r.rc == 1, r
    found = {(v["subject"], v["rule"], v["path"], v["line"], v["col"]) for v in doc["violations"]}
    assert ("common", "FIELD_SCALAR_KIND_CHANGED", "#/Money/2", 6, 3) in found
    # the invoice's field of the imported type is where the change shows
    assert any(s == "invoices-value" and rule == "FIELD_NAMED_TYPE_CHANGED" and line == 8
               for s, rule, _, line, _ in found), found


ORDER_V1 = """syntax = "proto3";
package acme;

message Order {
  string id = 1;
  message Line {
    string sku = 1;
    int32 qty = 2;
  }
  repeated Line lines = 2;
}
"""


def test_protobuf_history_and_nested_positions(repo, run):
    repo.config({"subjects": [{"subject": "orders", "file": "order.proto",
                               "level": "FULL_TRANSITIVE"}]})
    repo.write("order.proto", ORDER_V1)
    repo.commit("v1")
    repo.write("order.proto", ORDER_V1.replace("int32 qty = 2;", "int64 qty = 2;"))
    repo.commit("v2: int32 -> int64 is compatible")
    repo.write("order.proto", ORDER_V1.replace("int32 qty = 2;", "string qty = 2;"))
    r, doc = check_json(run, repo, "--against", "git:main")
    assert r.rc == 1, r
    v = doc["violations"][0]
    assert (v["rule"], v["path"], v["line"], v["col"], v["against_version"]) == \
        ("FIELD_SCALAR_KIND_CHANGED", "#/Order/Line/2", 8, 5, 2)


PRODUCT_V1 = {"type": "object", "properties": {"sku": {"type": "string"}}}
PRODUCT_V2 = {"type": "object", "properties": {"sku": {"type": "string"},
                                               "tags": {"type": "array",
                                                        "items": {"type": "string"}}}}
PRODUCT_WORK = {"type": "object", "properties": {"sku": {"type": "string"},
                                                 "tags": {"type": "array",
                                                          "items": {"type": "integer"}}}}


def test_json_schema_history(repo, run):
    repo.config({"subjects": [{"subject": "products", "file": "product.json",
                               "level": "FORWARD_TRANSITIVE"}]})
    repo.write("product.json", PRODUCT_V1)
    repo.commit("v1")
    repo.write("product.json", PRODUCT_V2)
    repo.commit("v2")
    repo.write("product.json", PRODUCT_WORK)
    r, doc = check_json(run, repo, "--against", "git:main")
    assert r.rc == 1, r
    v = doc["violations"][0]
    assert v["against_version"] == 2 and v["direction"] == "forward"
    assert v["path"].startswith("#/properties/tags/items"), v
    assert (v["line"], v["col"]) == (9, 7), v  # the "items" member


def test_json_schema_policy(repo, run):
    # A property added to an open content model: incompatible under STRICT,
    # compatible under LENIENT.
    repo.config({"subjects": [{"subject": "p", "file": "p.json"}]})
    repo.write("p.json", {"type": "object", "properties": {"a": {"type": "string"}}})
    repo.commit("v1")
    repo.write("p.json", {"type": "object", "properties": {"a": {"type": "string"},
                                                           "b": {"type": "string"}}})
    r = run(["check", "--against", "git:main"], repo.path)
    assert r.rc == 1, r
    assert "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL" in r.out
    repo.config({"subjects": [{"subject": "p", "file": "p.json", "policy": "LENIENT"}]})
    assert run(["check", "--against", "git:main"], repo.path).rc == 0
