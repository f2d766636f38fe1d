"""Differential test: our Avro checker against Debian's python3-avro.

python3-avro's avro.compatibility.ReaderWriterCompatibilityChecker is a port of
Avro-Java's SchemaCompatibility, the checker Confluent runs. avro_pairs.py
generates the pairs; tests/tools/avro_compat_tool (SCHEMAREG_TOOLS) checks them
all in one process; here python3-avro checks them in-process. Verdicts and the
sets of incompatibility types must agree; locations too where python3-avro
computes them the way Java does (see LOCATIONS below).

python3-avro 1.11.1 differs from Avro-Java (compat.md §2.2 is Java's behaviour,
and Confluent runs Java) in a few places. Each is handled explicitly, never by
skipping a pair:

  1. Named-type names. Java compares Schema.getName(), the simple name, so a
     type spelled {"name": "x.y.N"} is named "N". python3-avro compares the name
     attribute as written ("x.y.N"), so a dotted name never matches an
     undotted one. => For python3-avro only, dotted names are rewritten into the
     equivalent {"name": "N", "namespace": "x.y"} (same full name, same meaning).
  2. Named-type aliases. Java resolves a relative alias against the type's
     namespace ("Old" in namespace "a" is "a.Old") before comparing it with the
     writer's full name (spec, "Aliases"); python3-avro compares the alias string
     as written. => For python3-avro only, aliases are written fully qualified.
  3. "error" types. Java treats {"type": "error"} as a RECORD; python3-avro keeps
     the type "error" and then fails with "Unknown schema type" or a spurious
     type mismatch. => For python3-avro only, "error" becomes "record".
  4. A reader field whose name and aliases match two writer fields: Java's
     lookupWriterField throws, which Confluent reports as one "Unexpected
     exception during compatibility check" message (incompatible); python3-avro
     silently takes the first match. => Those pairs (tagged "ambiguous" by the
     generator) are asserted against Java's behaviour, not python3-avro's.
"""

import copy
import json
import os
import subprocess
import warnings

import avro_pairs
import pytest

import avro.compatibility
import avro.schema

TOOL = os.path.join(os.environ.get("SCHEMAREG_TOOLS", "build/tools"), "avro_compat_tool")

# LOCATIONS: python3-avro builds locations differently from Java in two ways,
# so they are only compared for pairs without unions:
#  - a writer union read by a non-union reader: Java reports each branch at
#    ".../<index>", python3-avro restarts the location at "/";
#  - python3-avro merges every compatible sub-result's default location "/" into
#    an incompatible result's set, so "/" appears spuriously.
# Without unions neither the branch probes nor the writer-union walk happen, and
# after ignoring a spurious "/" the sets must be equal.


def _named_space(s, enclosing):
    name = s["name"]
    if "." in name:
        return name.rsplit(".", 1)
    space = s.get("namespace", enclosing)
    return (space or None), name


def for_python(schema):
    """An equivalent spelling of schema that python3-avro reads as Java does
    (items 1-3 of the module docstring)."""
    schema = copy.deepcopy(schema)

    def walk(t, ns):
        if isinstance(t, list):
            for b in t:
                walk(b, ns)
            return
        if not isinstance(t, dict):
            return
        kind = t.get("type")
        if kind in ("record", "error", "enum", "fixed"):
            space, simple = _named_space(t, ns)
            t["name"] = simple
            if space:
                t["namespace"] = space
            if "aliases" in t:
                t["aliases"] = [a if "." in a or not space else f"{space}.{a}" for a in t["aliases"]]
            if kind == "error":
                t["type"] = "record"
            ns = space
            for f in t.get("fields", []):
                walk(f["type"], ns)
        elif kind == "array":
            walk(t["items"], ns)
        elif kind == "map":
            walk(t["values"], ns)

    walk(schema, None)
    return schema


def python_check(pair):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = avro.schema.parse(json.dumps(for_python(pair["reader"])))
        w = avro.schema.parse(json.dumps(for_python(pair["writer"])))
        res = avro.compatibility.ReaderWriterCompatibilityChecker().get_compatibility(r, w)
    compatible = res.compatibility is avro.compatibility.SchemaCompatibilityType.compatible
    return {
        "compatible": compatible,
        "types": sorted({t.name.upper() for t in res.incompatibilities}),
        "locations": sorted(res.locations) if not compatible else [],
    }


def run_tool(pairs):
    if not os.access(TOOL, os.X_OK):
        pytest.fail(f"{TOOL} not built (make build/tools/avro_compat_tool)")
    lines = "".join(json.dumps({"reader": p["reader"], "writer": p["writer"]}) + "\n" for p in pairs)
    out = subprocess.run([TOOL], input=lines, capture_output=True, text=True, timeout=120, check=True)
    results = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(results) == len(pairs), out.stderr
    return results


def has_union(t):
    if isinstance(t, list):
        return True
    if isinstance(t, dict):
        k = t.get("type")
        if k in ("record", "error"):
            return any(has_union(f["type"]) for f in t["fields"])
        if k == "array":
            return has_union(t["items"])
        if k == "map":
            return has_union(t["values"])
    return False


def describe(pair, ours, theirs):
    return (f"{pair['case']}\n  reader: {json.dumps(pair['reader'])}\n  writer: {json.dumps(pair['writer'])}\n"
            f"  ours:        {json.dumps({k: ours.get(k) for k in ('compatible', 'types', 'locations', 'error')})}\n"
            f"  python3-avro: {json.dumps(theirs)}")


@pytest.fixture(scope="module")
def pairs():
    return avro_pairs.generate()


def test_generator_is_deterministic_and_large(pairs):
    again = avro_pairs.generate()
    assert [json.dumps(p, sort_keys=True) for p in again] == [json.dumps(p, sort_keys=True) for p in pairs]
    assert len(pairs) >= 1000


def test_for_python_is_only_a_respelling():
    s = {"type": "record", "name": "x.y.R", "aliases": ["Old"], "fields": [
        {"name": "e", "type": {"type": "enum", "name": "E", "aliases": ["F", "q.G"], "symbols": ["A"]}},
        {"name": "r", "type": {"type": "error", "name": "Err", "namespace": "n", "fields": []}}]}
    got = for_python(s)
    assert got["name"] == "R" and got["namespace"] == "x.y" and got["aliases"] == ["x.y.Old"]
    assert got["fields"][0]["type"]["aliases"] == ["x.y.F", "q.G"]
    assert got["fields"][1]["type"]["type"] == "record"
    assert avro.schema.parse(json.dumps(got)).fullname == "x.y.R"


def test_avro_checker_agrees_with_python3_avro(pairs, capsys):
    ours_all = run_tool(pairs)
    failures = []
    stats = {"compared": 0, "compatible": 0, "incompatible": 0, "locations_compared": 0, "ambiguous": 0}
    for pair, ours in zip(pairs, ours_all):
        if "error" in ours:
            failures.append("our parser rejected a valid schema: " + describe(pair, ours, None))
            continue
        if pair.get("ambiguous"):
            # Java throws; Confluent reports the exception (item 4 of the docstring).
            stats["ambiguous"] += 1
            if ours["types"] != ["UNEXPECTED_EXCEPTION"] or ours["compatible"]:
                failures.append("expected Java's exception: " + describe(pair, ours, None))
            continue
        theirs = python_check(pair)
        stats["compared"] += 1
        stats["compatible" if theirs["compatible"] else "incompatible"] += 1
        if ours["compatible"] != theirs["compatible"] or ours["types"] != theirs["types"]:
            failures.append(describe(pair, ours, theirs))
            continue
        if not theirs["compatible"] and not has_union(pair["reader"]) and not has_union(pair["writer"]):
            stats["locations_compared"] += 1
            mine, py = set(ours["locations"]), set(theirs["locations"])
            if not (mine <= py and py - mine <= {"/"}):
                failures.append("locations differ: " + describe(pair, ours, theirs))
    with capsys.disabled():
        print(f"\navro oracle: {len(pairs)} pairs; {stats['compared']} compared with python3-avro "
              f"({stats['compatible']} compatible, {stats['incompatible']} incompatible, locations "
              f"compared on {stats['locations_compared']}); {stats['ambiguous']} ambiguous-alias pairs "
              f"checked against Java's behaviour; {len(failures)} disagreements")
    assert not failures, f"{len(failures)} disagreements:\n" + "\n".join(failures[:15])
