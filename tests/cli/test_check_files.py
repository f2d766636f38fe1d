"""`schemareg check` with one file (no config) and with a directory baseline;
where findings are located (line:col in the new file)."""

import json

import pytest

import scenario
from scenario import avro_record


def write(d, name, text):
    p = d / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text if isinstance(text, str) else json.dumps(text, indent=2) + "\n")
    return p


@pytest.fixture
def work(tmp_path):
    d = tmp_path / "work"
    d.mkdir()
    return d


def findings(run, d, *args):
    r = run(["check", "--format", "json"] + list(args), d)
    assert r.out.startswith("{"), r
    return r, json.loads(r.out)


# --- directory baselines -----------------------------------------------------------------


def test_directory_baseline(work, run):
    old = work / "main"
    write(old, "schemas/address.avsc", scenario.ADDRESS_V1)
    write(old, "schemas/user.avsc", scenario.USER_V2)
    write(old, "schemas/order.proto", scenario.ORDER_V2)
    write(old, "schemas/product.json", scenario.PRODUCT_V1)
    new = work / "pr"
    write(new, "schemareg.json", json.dumps(scenario.CONFIG))
    write(new, "schemas/address.avsc", scenario.ADDRESS_V1)
    write(new, "schemas/user.avsc", scenario.USER_WORK)
    write(new, "schemas/order.proto", scenario.ORDER_WORK)
    write(new, "schemas/product.json", scenario.PRODUCT_WORK)
    write(new, "schemas/payment.avsc", scenario.PAYMENT)
    for spec in ("dir:../main", "../main"):
        r, doc = findings(run, new, "--against", spec)
        assert r.rc == 1, r
        assert doc["against"] == "dir:../main"
        status = {s["subject"]: s["status"] for s in doc["subjects"]}
        # a directory holds one version: user.avsc is compared with v2 only
        assert status == {"address-value": "compatible", "users-value": "compatible",
                          "orders-value": "incompatible", "products-value": "compatible",
                          "payments-value": "new"}


def test_directory_baseline_reads_references_there(work, run):
    old, new = work / "old", work / "new"
    cfg = {"subjects": [
        {"subject": "users-value", "file": "user.avsc",
         "references": [{"name": "com.acme.Address", "file": "address.avsc"}]}]}
    write(new, "schemareg.json", json.dumps(cfg))
    write(new, "user.avsc", scenario.USER_V1)
    write(new, "address.avsc", scenario.ADDRESS_V1)
    write(old, "user.avsc", scenario.USER_V1)
    write(old, "address.avsc", avro_record("Address", [{"name": "street", "type": "string"}]))
    r, doc = findings(run, new, "--against", "dir:../old")
    assert r.rc == 1, r
    assert [v["path"] for v in doc["violations"]] == ["/fields/2/type/fields/1"]


def test_regular_file_is_not_a_directory_baseline(work, run):
    write(work, "schemareg.json", json.dumps({"subjects": [{"subject": "s", "file": "a.avsc"}]}))
    write(work, "a.avsc", scenario.ADDRESS_V1)
    assert run(["check", "--against", "dir:a.avsc"], work).rc == 4


# --- single file ------------------------------------------------------------------------


def test_single_file_type_from_the_extension_or_type(work, run):
    write(work, "old.txt", scenario.ORDER_V1)
    write(work, "new.txt", scenario.ORDER_WORK)
    r = run(["check", "new.txt", "--against", "old.txt", "--type", "protobuf"], work)
    assert r.rc == 1, r
    assert r.out.startswith("new.txt:6:3: FIELD_SCALAR_KIND_CHANGED")


def test_single_file_with_references(work, run):
    write(work, "address.avsc", scenario.ADDRESS_V1)
    write(work, "old.avsc", scenario.USER_V1)
    write(work, "new.avsc", scenario.USER_V2)
    r = run(["check", "new.avsc", "--against", "old.avsc", "--ref",
             "com.acme.Address=address.avsc", "--subject", "users-value"], work)
    assert r.rc == 0, r
    assert "1 subject checked against file:old.avsc: 1 compatible" in r.out
    # without the reference neither schema parses
    r = run(["check", "new.avsc", "--against", "old.avsc"], work)
    assert r.rc == 2, r


def test_single_file_in_another_directory(work, run, tmp_path):
    write(work, "a/old.avsc", scenario.ADDRESS_V1)
    write(work, "b/new.avsc", avro_record("Address", [{"name": "street", "type": "int"}]))
    r = run(["check", str(work / "b" / "new.avsc"), "--against", str(work / "a" / "old.avsc"),
             "--format", "json"], tmp_path)
    assert r.rc == 1, r
    (v,) = json.loads(r.out)["violations"]
    assert v["file"] == str(work / "b" / "new.avsc")
    sarif = json.loads(run(["check", str(work / "b" / "new.avsc"), "--against",
                            str(work / "a" / "old.avsc"), "--format", "sarif"], tmp_path).out)
    uri = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri["uri"] == "file://" + str(work / "b" / "new.avsc")


# --- locations ---------------------------------------------------------------------------


def test_forward_findings_are_located_by_field_name(work, run):
    # FORWARD paths are the old schema's: its field 0 is the new file's field 1.
    write(work, "old.avsc", avro_record("R", [{"name": "a", "type": "int"},
                                              {"name": "b", "type": "string"}]))
    write(work, "new.avsc", '{"type": "record", "name": "R", "namespace": "com.acme",\n'
                            ' "fields": [\n'
                            '   {"name": "b", "type": "string"},\n'
                            '   {"name": "a", "type": "string"}\n'
                            ' ]}\n')
    r, doc = findings(run, work, "new.avsc", "--against", "old.avsc", "--level", "FULL")
    assert r.rc == 1
    got = sorted((v["direction"], v["path"], v["line"], v["col"]) for v in doc["violations"])
    assert got == [("backward", "/fields/1/type", 4, 18), ("forward", "/fields/0/type", 4, 18)]


def test_removed_things_point_at_the_enclosing_declaration(work, run):
    write(work, "old.avsc", avro_record("R", [{"name": "a", "type": "int"},
                                              {"name": "b", "type": "string"}]))
    write(work, "new.avsc", avro_record("R", [{"name": "a", "type": "int"}]))
    r, doc = findings(run, work, "new.avsc", "--against", "old.avsc", "--level", "FORWARD")
    assert r.rc == 1
    (v,) = doc["violations"]
    # /fields/1 of the old schema has no counterpart: the "fields" member
    assert (v["path"], v["line"], v["col"]) == ("/fields/1", 5, 3)


def test_avro_union_and_enum_paths(work, run):
    write(work, "old.avsc", avro_record("R", [
        {"name": "u", "type": ["null", "string", "int"]},
        {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A", "B"]}}]))
    write(work, "new.avsc", avro_record("R", [
        {"name": "u", "type": ["null", "string"]},
        {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A"]}}]))
    r, doc = findings(run, work, "new.avsc", "--against", "old.avsc")
    assert r.rc == 1
    got = {v["rule"]: (v["path"], v["line"], v["col"]) for v in doc["violations"]}
    assert got["MISSING_UNION_BRANCH"][0] == "/fields/0/type/2"
    assert got["MISSING_UNION_BRANCH"][1:] == (8, 7)  # the union's "type": branch 2 is gone
    assert got["MISSING_ENUM_SYMBOLS"] == ("/fields/1/type/symbols", 18, 9)


PROTO_OLD = """syntax = "proto3";
package acme;

message Outer {
  message Inner {
    oneof choice {
      string a = 1;
      int32 b = 2;
    }
  }
  Inner inner = 1;
}
"""


def test_protobuf_positions_from_the_model(work, run):
    write(work, "old.proto", PROTO_OLD)
    write(work, "new.proto", PROTO_OLD.replace("int32 b = 2;", "string b = 2;"))
    r, doc = findings(run, work, "new.proto", "--against", "old.proto")
    assert r.rc == 1
    (v,) = doc["violations"]
    assert (v["path"], v["line"], v["col"]) == ("#/Outer/Inner/choice/2", 8, 7)


def test_json_schema_positions(work, run):
    write(work, "old.json", {"type": "object", "properties": {
        "a": {"type": "object", "properties": {"x": {"type": "string"}},
              "additionalProperties": False}}})
    write(work, "new.json", {"type": "object", "properties": {
        "a": {"type": "object", "properties": {"x": {"type": "number"}},
              "additionalProperties": False}}})
    r, doc = findings(run, work, "new.json", "--against", "old.json")
    assert r.rc == 1, r
    (v,) = doc["violations"]
    assert (v["rule"], v["path"], v["line"], v["col"]) == \
        ("TYPE_CHANGED", "#/properties/a/properties/x", 7, 9)


def test_columns_count_characters(work, run):
    write(work, "old.avsc", '{"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}]}\n')
    write(work, "new.avsc", '{"doc": "é€😀", "type": "record", "name": "R", "fields": '
                            '[{"name": "a", "type": "string"}]}\n')
    r, doc = findings(run, work, "new.avsc", "--against", "old.avsc")
    (v,) = doc["violations"]
    text = (work / "new.avsc").read_text()
    assert v["line"] == 1 and v["col"] == text.index('"type": "string"') + 1
