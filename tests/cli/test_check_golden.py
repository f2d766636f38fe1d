"""`schemareg check` on the golden scenario (scenario.py): every output format
against a golden file, SARIF 2.1.0 structure, JUnit XML parsed, determinism.

Set SCHEMAREG_UPDATE_GOLDEN=1 to rewrite the golden files (then review the diff).
"""

import json
import os
import xml.etree.ElementTree as ET

import pytest

import scenario
from conftest import GOLDEN

FORMATS = {
    "text": "scenario.txt",
    "json": "scenario.json",
    "github-actions": "scenario.github-actions.txt",
    "junit": "scenario.junit.xml",
    "sarif": "scenario.sarif.json",
    "markdown": "scenario.md",
}


def normalise(text, repo):
    return text.replace(str(repo.path), "<REPO>")


def check_golden(name, actual):
    path = os.path.join(GOLDEN, name)
    if os.environ.get("SCHEMAREG_UPDATE_GOLDEN") == "1":
        os.makedirs(GOLDEN, exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(actual)
    assert os.path.exists(path), "no golden file %s (run with SCHEMAREG_UPDATE_GOLDEN=1)" % path
    with open(path, encoding="utf-8") as f:
        expected = f.read()
    assert actual == expected, "output differs from golden/%s" % name


@pytest.fixture
def scen(repo):
    commits = scenario.build(repo)
    return repo, commits


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_format_matches_golden(scen, run, fmt):
    repo, _ = scen
    r = run(["check", "--format", fmt], repo.path)
    assert r.rc == 1, r
    check_golden(FORMATS[fmt], normalise(r.out, repo))


def test_commit_ids_are_reproducible(scen):
    # The golden files quote short commit ids: the repository must be built the
    # same way every time.
    repo, (c1, c2) = scen
    assert c1.startswith("77a67b2"), c1
    assert c2.startswith("b6d2229"), c2


def test_text_names_every_finding(scen, run):
    repo, (c1, c2) = scen
    r = run(["check"], repo.path)
    assert r.rc == 1
    lines = r.out.splitlines()
    # file:line:col: RULE: message [subject, LEVEL, against vN (commit)]
    assert ("schemas/user.avsc:18:5: READER_FIELD_MISSING_DEFAULT_VALUE: The field 'email' at "
            "path '/fields/3' in the new schema has no default value and is missing in the old "
            "schema [users-value, BACKWARD_TRANSITIVE, against v1 (%s)]" % c1[:7]) in lines
    assert any(l.startswith("schemas/order.proto:6:3: FIELD_SCALAR_KIND_CHANGED: ") and
               l.endswith("[orders-value, FULL, against v2 (%s)]" % c2[:7]) for l in lines)
    assert any(l.startswith("schemas/order.proto:7:3: ONEOF_FIELD_REMOVED: ") for l in lines)
    assert ("schemas/payment.avsc: note: payments-value is new: not in git:main (%s), nothing "
            "to compare" % c2[:7]) in lines
    assert any("allow[1] (FIELD_SCALAR_KIND_CHANGED, orders-value) expired on 2000-01-01" in l
               for l in lines)
    assert lines[-1] == ("5 subjects checked against git:main (%s): 2 compatible, 2 incompatible, "
                         "1 new, 0 failed; 4 violations, 0 errors, 1 suppressed" % c2[:7])


def test_json_document(scen, run):
    repo, (c1, c2) = scen
    r = run(["check", "--format", "json"], repo.path)
    assert r.rc == 1
    doc = json.loads(r.out)
    assert doc["summary"] == {"subjects": 5, "compatible": 2, "incompatible": 2, "new": 1,
                              "failed": 0, "violations": 4, "errors": 0, "suppressed": 1,
                              "exit_code": 1}
    status = {s["subject"]: s["status"] for s in doc["subjects"]}
    assert status == {"address-value": "compatible", "users-value": "incompatible",
                      "orders-value": "incompatible", "products-value": "compatible",
                      "payments-value": "new"}
    users = [s for s in doc["subjects"] if s["subject"] == "users-value"][0]
    assert users["against"] == [{"version": 1, "commit": c1[:7]}, {"version": 2, "commit": c2[:7]}]
    keys = {"rule", "kind", "subject", "level", "against_version", "against_commit", "direction",
            "file", "line", "col", "path", "message"}
    for v in doc["violations"]:
        assert keys <= set(v), v
    v = [v for v in doc["violations"] if v["subject"] == "users-value"][0]
    assert (v["rule"], v["against_version"], v["line"], v["col"], v["path"]) == \
        ("READER_FIELD_MISSING_DEFAULT_VALUE", 1, 18, 5, "/fields/3")
    (s,) = doc["suppressed"]
    assert (s["rule"], s["subject"], s["suppressed_by"], s["path"]) == \
        ("TYPE_CHANGED", "products-value", "allow-list", "#/properties/price")
    assert [a["status"] for a in doc["allow"]] == ["active", "expired"]


def test_sarif_has_the_required_fields_of_2_1_0(scen, run):
    repo, _ = scen
    r = run(["check", "--format", "sarif"], repo.path)
    assert r.rc == 1
    doc = json.loads(r.out)
    assert doc["version"] == "2.1.0"
    assert doc["$schema"].startswith("https://") and "sarif-2.1.0" in doc["$schema"]
    assert isinstance(doc["runs"], list) and len(doc["runs"]) == 1
    run0 = doc["runs"][0]
    driver = run0["tool"]["driver"]
    assert driver["name"] == "schemareg"
    assert isinstance(driver["version"], str) and driver["version"]
    assert "informationUri" not in driver  # optional in SARIF 2.1.0; we have no public URL
    rules = driver["rules"]
    ids = [rule["id"] for rule in rules]
    assert ids == sorted(set(ids))
    for rule in rules:
        assert isinstance(rule["shortDescription"]["text"], str) and rule["shortDescription"]["text"]
    results = run0["results"]
    assert len(results) == 5  # 4 violations + 1 suppressed
    for res in results:
        assert res["ruleId"] in ids
        assert ids[res["ruleIndex"]] == res["ruleId"]
        assert res["level"] in ("none", "note", "warning", "error")
        assert isinstance(res["message"]["text"], str) and res["message"]["text"]
        loc = res["locations"][0]["physicalLocation"]
        assert not os.path.isabs(loc["artifactLocation"]["uri"])
        assert (repo.path / loc["artifactLocation"]["uri"]).exists()
        assert loc["region"]["startLine"] >= 1 and loc["region"]["startColumn"] >= 1
    suppressed = [res for res in results if "suppressions" in res]
    assert len(suppressed) == 1
    (sup,) = suppressed[0]["suppressions"]
    assert sup["kind"] in ("inSource", "external") and sup["justification"]
    (inv,) = run0["invocations"]
    assert inv["executionSuccessful"] is True and inv["exitCode"] == 1
    notes = inv["toolExecutionNotifications"]
    assert [n["level"] for n in notes] == ["note", "warning"]
    assert notes[0]["message"]["text"].startswith("payments-value (schemas/payment.avsc) is new")
    # Fingerprints tell the results apart (code scanning tracks alerts by them).
    fps = [res["partialFingerprints"]["schemaregViolation/v1"] for res in results]
    assert len(set(fps)) == len(fps)


def test_junit_is_well_formed_and_counts_right(scen, run):
    repo, _ = scen
    r = run(["check", "--format", "junit"], repo.path)
    assert r.rc == 1
    root = ET.fromstring(r.out)
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["schemas/address.avsc", "schemas/order.proto",
                                               "schemas/payment.avsc", "schemas/product.json",
                                               "schemas/user.avsc"]
    total = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for s in suites:
        cases = s.findall("testcase")
        counts = {"tests": len(cases),
                  "failures": sum(len(c.findall("failure")) for c in cases),
                  "errors": sum(len(c.findall("error")) for c in cases),
                  "skipped": sum(len(c.findall("skipped")) for c in cases)}
        for k, v in counts.items():
            assert int(s.get(k)) == v, (s.get("name"), k)
            total[k] += v
    for k, v in total.items():
        assert int(root.get(k)) == v, k
    assert total == {"tests": 5, "failures": 4, "errors": 0, "skipped": 1}
    order = root.find("testsuite[@name='schemas/order.proto']/testcase")
    assert order.get("name") == "orders-value (FULL)"
    assert [f.get("type") for f in order.findall("failure")] == \
        ["FIELD_SCALAR_KIND_CHANGED", "FIELD_SCALAR_KIND_CHANGED", "ONEOF_FIELD_REMOVED"]
    product = root.find("testsuite[@name='schemas/product.json']/testcase")
    assert "suppressed by the allow-list" in product.find("system-out").text


def test_github_actions_annotations(scen, run):
    repo, _ = scen
    r = run(["check", "--format", "github-actions"], repo.path)
    assert r.rc == 1
    errors = [l for l in r.out.splitlines() if l.startswith("::error ")]
    assert len(errors) == 4
    assert ("::error file=schemas/user.avsc,line=18,col=5,title=READER_FIELD_MISSING_DEFAULT_VALUE"
            "::The field 'email'") in r.out
    assert "::notice file=schemas/product.json,line=8,col=5,title=TYPE_CHANGED::" in r.out
    assert "::warning file=schemareg.json,title=expired allow-list entry::" in r.out


def test_markdown_table(scen, run):
    repo, _ = scen
    r = run(["check", "--format", "markdown"], repo.path)
    assert r.rc == 1
    assert r.out.startswith("## schemareg check: ❌ 4 violations\n")
    rows = [l for l in r.out.splitlines() if l.startswith("| ❌ |")]
    assert len(rows) == 4
    assert all(l.count(" | ") == 6 and l.endswith(" |") for l in rows), rows
    assert "<details><summary>1 suppressed</summary>" in r.out


def test_two_runs_give_identical_output(scen, run):
    repo, _ = scen
    for fmt in FORMATS:
        a = run(["check", "--format", fmt], repo.path)
        b = run(["check", "--format", fmt], repo.path)
        assert a.out == b.out and a.rc == b.rc == 1, fmt


def test_report_files_match_stdout(scen, run, tmp_path):
    repo, _ = scen
    sarif, md = tmp_path / "out.sarif", tmp_path / "summary.md"
    r = run(["check", "--format", "github-actions", "--report", "sarif=%s" % sarif,
             "--report", "markdown=%s" % md], repo.path)
    assert r.rc == 1
    assert sarif.read_text() == run(["check", "--format", "sarif"], repo.path).out
    assert md.read_text() == run(["check", "--format", "markdown"], repo.path).out


def test_global_output_json_selects_json(scen, run):
    repo, _ = scen
    r = run(["--output", "json", "check"], repo.path)
    assert r.rc == 1
    assert json.loads(r.out)["summary"]["violations"] == 4


def test_violations_exit_code_100(scen, run):
    repo, _ = scen
    r = run(["check", "--violations-exit-code", "100"], repo.path)
    assert r.rc == 100, r
    doc = json.loads(run(["check", "--violations-exit-code", "100", "--format", "json"],
                         repo.path).out)
    assert doc["summary"]["exit_code"] == 100
