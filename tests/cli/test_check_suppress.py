"""The allow-list (active and expired entries) and the baseline file of accepted
violations (--write-baseline / --baseline-file)."""

import json
import xml.etree.ElementTree as ET

import pytest

from scenario import avro_record

V1 = avro_record("User", [{"name": "id", "type": "long"}, {"name": "name", "type": "string"}])
WORK = avro_record("User", [{"name": "id", "type": "string"}, {"name": "name", "type": "string"},
                            {"name": "email", "type": "string"}])
# WORK breaks two things: id's type (TYPE_MISMATCH at /fields/0/type) and the new
# field without a default (READER_FIELD_MISSING_DEFAULT_VALUE at /fields/2).


def make_repo(repo, allow=None):
    cfg = {"against": "git:main", "subjects": [{"subject": "users", "file": "user.avsc"}]}
    if allow is not None:
        cfg["allow"] = allow
    repo.config(cfg)
    repo.write("user.avsc", V1)
    repo.commit("v1")
    repo.write("user.avsc", WORK)


def allow(rule, path=None, expires="2999-12-31", subject="users"):
    a = {"rule": rule, "subject": subject, "reason": "planned migration", "expires": expires}
    if path is not None:
        a["path"] = path
    return a


def doc(run, repo, *args):
    r = run(["check", "--format", "json"] + list(args), repo.path)
    return r, json.loads(r.out)


def test_without_suppressions_both_fail(repo, run):
    make_repo(repo)
    r, d = doc(run, repo)
    assert r.rc == 1
    assert sorted(v["rule"] for v in d["violations"]) == ["READER_FIELD_MISSING_DEFAULT_VALUE",
                                                         "TYPE_MISMATCH"]


def test_active_entries_suppress(repo, run):
    make_repo(repo, [allow("TYPE_MISMATCH", "/fields/0/type"),
                 allow("READER_FIELD_MISSING_DEFAULT_VALUE")])
    r, d = doc(run, repo)
    assert r.rc == 0, r
    assert d["violations"] == []
    assert {(s["rule"], s["suppressed_by"], s["reason"]) for s in d["suppressed"]} == {
        ("TYPE_MISMATCH", "allow-list", "planned migration"),
        ("READER_FIELD_MISSING_DEFAULT_VALUE", "allow-list", "planned migration")}
    assert d["summary"]["suppressed"] == 2 and d["summary"]["compatible"] == 1
    assert [a["suppressed"] for a in d["allow"]] == [1, 1]


def test_an_entry_matches_only_its_rule_subject_and_path(repo, run):
    make_repo(repo, [allow("TYPE_MISMATCH", "/fields/1/type"),     # wrong path
                 allow("TYPE_MISMATCH", subject="others"),      # wrong subject
                 allow("NAME_MISMATCH"),                        # wrong rule
                 allow("READER_FIELD_MISSING_DEFAULT_VALUE", "#/fields/2")])  # '#' is optional
    r, d = doc(run, repo)
    assert r.rc == 1
    assert [v["rule"] for v in d["violations"]] == ["TYPE_MISMATCH"]
    assert [s["rule"] for s in d["suppressed"]] == ["READER_FIELD_MISSING_DEFAULT_VALUE"]
    text = run(["check"], repo.path).out
    assert "schemareg.json: note: allow[0] (TYPE_MISMATCH, users, /fields/1/type) matched nothing" \
        in text


def test_expired_entries_stop_suppressing_and_are_reported(repo, run):
    make_repo(repo, [allow("TYPE_MISMATCH", expires="2001-02-03"),
                 allow("READER_FIELD_MISSING_DEFAULT_VALUE")])
    r, d = doc(run, repo)
    assert r.rc == 1, r
    assert [v["rule"] for v in d["violations"]] == ["TYPE_MISMATCH"]
    assert [a["status"] for a in d["allow"]] == ["expired", "active"]
    text = run(["check"], repo.path)
    assert text.rc == 1
    assert ("schemareg.json: warning: allow[0] (TYPE_MISMATCH, users) expired on 2001-02-03: it "
            "no longer suppresses anything") in text.out
    gh = run(["check", "--format", "github-actions"], repo.path).out
    assert "::warning file=schemareg.json,title=expired allow-list entry::allow[0]" in gh
    md = run(["check", "--format", "markdown"], repo.path).out
    assert "Expired allow-list entry" in md


def test_parse_errors_cannot_be_allowed(repo, run):
    make_repo(repo, [allow("SCHEMA_PARSE_ERROR")])
    repo.write("user.avsc", "{")
    r, d = doc(run, repo)
    assert r.rc == 2
    assert [v["rule"] for v in d["violations"]] == ["SCHEMA_PARSE_ERROR"]


@pytest.mark.parametrize("fmt, marker", [
    ("text", "(suppressed by the allow-list until 2999-12-31: planned migration)"),
    ("github-actions", "::notice file=user.avsc,line=8,col=7,title=TYPE_MISMATCH::"),
    ("markdown", "<details><summary>1 suppressed</summary>"),
    ("junit", "suppressed by the allow-list"),
    ("sarif", '"justification": "suppressed by the allow-list until 2999-12-31: planned'),
    ("json", '"suppressed_by": "allow-list"'),
])
def test_suppressed_findings_show_in_every_format(repo, run, fmt, marker):
    make_repo(repo, [allow("TYPE_MISMATCH")])
    r = run(["check", "--format", fmt], repo.path)
    assert r.rc == 1  # the other violation still fails
    assert marker in r.out, r.out


def test_baseline_file(repo, run, tmp_path):
    make_repo(repo)
    accepted = tmp_path / "accepted.json"
    # Writing the baseline accepts what is there now.
    r = run(["check", "--write-baseline", str(accepted)], repo.path)
    assert r.rc == 0, r
    written = json.loads(accepted.read_text())
    assert written["schemareg_baseline"] == 1
    assert sorted((v["rule"], v["subject"], v["path"]) for v in written["violations"]) == [
        ("READER_FIELD_MISSING_DEFAULT_VALUE", "users", "/fields/2"),
        ("TYPE_MISMATCH", "users", "/fields/0/type")]
    # Only new breaks fail.
    r, d = doc(run, repo, "--baseline-file", str(accepted))
    assert r.rc == 0, r
    assert {s["suppressed_by"] for s in d["suppressed"]} == {"baseline-file"}
    repo.write("user.avsc", WORK.replace('"name": "name",\n      "type": "string"',
                                         '"name": "name",\n      "type": "int"'))
    r, d = doc(run, repo, "--baseline-file", str(accepted))
    assert r.rc == 1, r
    assert [(v["rule"], v["path"]) for v in d["violations"]] == [("TYPE_MISMATCH",
                                                                  "/fields/1/type")]
    assert len(d["suppressed"]) == 2
    text = run(["check", "--baseline-file", str(accepted)], repo.path).out
    assert "(suppressed by the baseline file)" in text


def test_baseline_file_and_allow_list_together(repo, run, tmp_path):
    make_repo(repo, [allow("TYPE_MISMATCH")])
    accepted = tmp_path / "accepted.json"
    assert run(["check", "--write-baseline", str(accepted)], repo.path).rc == 0
    # allow-listed violations are not written: the allow-list already covers them
    assert [v["rule"] for v in json.loads(accepted.read_text())["violations"]] == \
        ["READER_FIELD_MISSING_DEFAULT_VALUE"]
    r = run(["check", "--baseline-file", str(accepted), "--format", "junit"], repo.path)
    assert r.rc == 0, r
    case = ET.fromstring(r.out).find("testsuite/testcase")
    assert case.findall("failure") == []
    assert case.find("system-out").text.count("suppressed") == 2


@pytest.mark.parametrize("content", ['{"violations": {}}', "[]", "{",
                                     '{"violations": [{"rule": "X"}]}'])
def test_bad_baseline_file(repo, run, tmp_path, content):
    make_repo(repo)
    f = tmp_path / "bad.json"
    f.write_text(content)
    r = run(["check", "--baseline-file", str(f)], repo.path)
    assert r.rc == 3, r
