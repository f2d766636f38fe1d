"""`schemareg check` exit codes: 0 compatible, 1 incompatible, 2 input errors,
3 usage and config errors (strict config validation), 4 baseline unavailable."""

import json

import pytest

import scenario
from cli_support import free_port

OLD = scenario.avro_record("User", [{"name": "id", "type": "long"}])
COMPATIBLE = scenario.avro_record("User", [
    {"name": "id", "type": "long"},
    {"name": "email", "type": "string", "default": ""},
])
INCOMPATIBLE = scenario.avro_record("User", [
    {"name": "id", "type": "long"},
    {"name": "email", "type": "string"},
])


@pytest.fixture
def files(tmp_path):
    d = tmp_path / "w"
    d.mkdir()
    (d / "old.avsc").write_text(OLD)
    (d / "ok.avsc").write_text(COMPATIBLE)
    (d / "bad.avsc").write_text(INCOMPATIBLE)
    return d


# --- 0 and 1 -----------------------------------------------------------------------


def test_0_when_compatible(files, run):
    r = run(["check", "ok.avsc", "--against", "old.avsc"], files)
    assert r.rc == 0, r
    assert r.out.splitlines()[-1] == ("1 subject checked against file:old.avsc: 1 compatible, "
                                      "0 incompatible, 0 new, 0 failed; 0 violations, 0 errors, "
                                      "0 suppressed")


def test_1_when_incompatible(files, run):
    r = run(["check", "bad.avsc", "--against", "old.avsc"], files)
    assert r.rc == 1, r
    assert r.out.startswith("bad.avsc:10:5: READER_FIELD_MISSING_DEFAULT_VALUE: The field 'email' "
                            "at path '/fields/1' in the new schema has no default value and is "
                            "missing in the old schema [bad.avsc, BACKWARD, against v1]\n")


@pytest.mark.parametrize("fmt", ["text", "json", "github-actions", "junit", "sarif", "markdown"])
def test_never_0_on_an_incompatible_result(files, run, fmt):
    r = run(["check", "bad.avsc", "--against", "old.avsc", "--format", fmt], files)
    assert r.rc == 1, r


def test_violations_exit_code(files, run):
    assert run(["check", "bad.avsc", "--against", "old.avsc", "--violations-exit-code", "100"],
               files).rc == 100
    assert run(["check", "ok.avsc", "--against", "old.avsc", "--violations-exit-code", "100"],
               files).rc == 0


def test_level_none_compares_nothing(files, run):
    assert run(["check", "bad.avsc", "--against", "old.avsc", "--level", "NONE"], files).rc == 0


def test_level_is_case_insensitive_and_forward_passes(files, run):
    # Adding a field without a default is FORWARD compatible.
    assert run(["check", "bad.avsc", "--against", "old.avsc", "--level", "forward"], files).rc == 0
    assert run(["check", "bad.avsc", "--against", "old.avsc", "--level", "full"], files).rc == 1


# --- 2 ---------------------------------------------------------------------------------


def test_2_when_the_schema_does_not_parse(files, run):
    (files / "broken.avsc").write_text('{"type": "record",\n "name": "User",\n "fields": [\n')
    r = run(["check", "broken.avsc", "--against", "old.avsc"], files)
    assert r.rc == 2, r
    assert r.out.startswith("broken.avsc:4:1: SCHEMA_PARSE_ERROR: ")


def test_2_when_a_type_is_undefined(files, run):
    (files / "undef.avsc").write_text(scenario.avro_record("User", [
        {"name": "id", "type": "long"}, {"name": "a", "type": "com.acme.Missing"}]))
    r = run(["check", "undef.avsc", "--against", "old.avsc"], files)
    assert r.rc == 2, r
    # located at the field the parser names
    assert r.out.startswith("undef.avsc:10:5: SCHEMA_PARSE_ERROR: "), r.out


def test_2_when_a_reference_does_not_resolve(files, run):
    (files / "user.avsc").write_text(scenario.USER_V1)
    r = run(["check", "user.avsc", "--against", "old.avsc", "--ref",
             "com.acme.Address=missing.avsc"], files)
    assert r.rc == 2, r
    assert r.out.startswith('user.avsc:16:16: REFERENCE_NOT_FOUND: reference "com.acme.Address": '
                            'cannot read missing.avsc'), r.out


def test_2_when_the_file_is_missing(files, run):
    r = run(["check", "nope.avsc", "--against", "old.avsc"], files)
    assert r.rc == 2, r
    assert "FILE_NOT_FOUND" in r.out


def test_2_when_a_protobuf_schema_does_not_parse(files, run):
    (files / "old.proto").write_text('syntax = "proto3";\nmessage A { string a = 1; }\n')
    (files / "new.proto").write_text('syntax = "proto3";\nmessage A {\n  strin a = 1;\n}\n')
    r = run(["check", "new.proto", "--against", "old.proto"], files)
    assert r.rc == 2, r
    assert r.out.startswith("new.proto:3:3: SCHEMA_PARSE_ERROR: "), r.out


def test_2_json_schema_errors_are_located_by_their_pointer(files, run):
    (files / "old.json").write_text('{"type": "object"}\n')
    (files / "new.json").write_text('{"type": "object",\n "properties": {\n   "a": {"type": '
                                    '"strin"}\n }}\n')
    r = run(["check", "new.json", "--against", "old.json"], files)
    assert r.rc == 2, r
    assert r.out.startswith('new.json:3:10: SCHEMA_PARSE_ERROR: Invalid schema: '
                            '#/properties/a/type: unknown type "strin"'), r.out


def test_2_wins_over_1(tmp_path, repo, run):
    repo.config({"subjects": [{"subject": "a", "file": "a.avsc"},
                              {"subject": "b", "file": "b.avsc"}]})
    repo.write("a.avsc", OLD)
    repo.write("b.avsc", OLD)
    repo.commit("v1")
    repo.write("a.avsc", INCOMPATIBLE)
    repo.write("b.avsc", "{")
    r = run(["check", "--against", "git:main", "--format", "json"], repo.path)
    assert r.rc == 2, r
    s = json.loads(r.out)["summary"]
    assert (s["violations"], s["errors"], s["exit_code"]) == (1, 1, 2)


# --- 3 ----------------------------------------------------------------------------------


@pytest.mark.parametrize("args, message", [
    (["--frobnicate", "x"], "unknown option --frobnicate"),
    (["ok.avsc", "--against"], "--against needs a value"),
    (["ok.avsc", "--against", "old.avsc", "--format", "xml"], "--format must be"),
    (["ok.avsc", "--against", "old.avsc", "--level", "SIDEWAYS"], "--level"),
    (["ok.avsc", "--against", "old.avsc", "--type", "XML"], "must be AVRO, PROTOBUF or JSON"),
    (["ok.avsc", "--against", "old.avsc", "--policy", "LAX"], "must be STRICT or LENIENT"),
    (["ok.avsc", "--against", "old.avsc", "--violations-exit-code", "0"], "1..255"),
    (["ok.avsc", "--against", "old.avsc", "--ref", "noequals"], "NAME=FILE"),
    (["ok.avsc", "--against", "old.avsc", "--report", "pdf=x"], "--report wants FORMAT=FILE"),
    (["ok.avsc", "old.avsc", "--against", "old.avsc"], "one too many"),
    (["ok.avsc"], "no baseline"),
    (["notype.txt", "--against", "old.avsc"], "use --type"),
    (["ok.avsc", "--against", "old.avsc", "--baseline-file", "missing.json"],
     "cannot read the baseline file"),
])
def test_3_usage(files, run, args, message):
    (files / "notype.txt").write_text(OLD)
    r = run(["check"] + args, files)
    assert r.rc == 3, r
    assert message in r.err, r.err
    assert r.out == ""


def test_3_without_a_config(files, run):
    r = run(["check", "--against", "old.avsc"], files)
    assert r.rc == 3, r
    assert "schemareg.json" in r.err


def config_error(tmp_path, run, cfg):
    d = tmp_path / "cfg"
    d.mkdir(exist_ok=True)
    (d / "a.avsc").write_text(OLD)
    text = cfg if isinstance(cfg, str) else json.dumps(cfg)
    (d / "schemareg.json").write_text(text)
    r = run(["check", "--against", "dir:."], d)
    assert r.rc == 3, r
    assert r.out == ""
    return r.err


ENTRY = {"subject": "a", "file": "a.avsc"}


@pytest.mark.parametrize("cfg, message", [
    ({"subjects": [ENTRY], "extra": 1}, "schemareg.json: extra: unknown key"),
    ({"subjects": [dict(ENTRY, levle="FULL")]}, "schemareg.json: subjects[0].levle: unknown key"),
    ({"subjects": [dict(ENTRY, references=[{"name": "x", "file": "b.avsc", "version": 1}])]},
     "subjects[0].references[0].version: unknown key"),
    ({"subjects": {"a": ENTRY}}, "subjects: must be an array"),
    ({}, "subjects: missing (required)"),
    ([ENTRY], "the config must be a JSON object"),
    ({"subjects": [{"file": "a.avsc"}]}, "subjects[0].subject: missing (required)"),
    ({"subjects": [{"subject": "a"}]}, "subjects[0].file: missing (required)"),
    ({"subjects": [dict(ENTRY, subject=7)]}, "subjects[0].subject: must be a string"),
    ({"subjects": [dict(ENTRY, subject="")]}, "subjects[0].subject: must not be empty"),
    ({"subjects": [dict(ENTRY, level="SOMETIMES")]}, "subjects[0].level: must be one of NONE"),
    ({"subjects": [dict(ENTRY, type="XML")]}, "subjects[0].type: must be AVRO, PROTOBUF or JSON"),
    ({"subjects": [dict(ENTRY, policy="LAX")]}, "subjects[0].policy: must be STRICT or LENIENT"),
    ({"subjects": [{"subject": "a", "file": "a.txt"}]}, 'add "type"'),
    ({"subjects": [ENTRY, ENTRY]}, 'subjects[1].subject: duplicate subject "a"'),
    ({"subjects": [dict(ENTRY, references={})]}, "subjects[0].references: must be an array"),
    ({"subjects": [dict(ENTRY, references=[{"file": "b.avsc"}])]},
     "subjects[0].references[0].name: missing (required)"),
    ({"subjects": [dict(ENTRY, references=[{"name": "x"}])]},
     'subjects[0].references[0]: needs a "file"'),
    ({"subjects": [dict(ENTRY, references=[{"name": "x", "subject": "nobody"}])]},
     'no entry has subject "nobody"'),
    ({"subjects": [ENTRY], "allow": {}}, "allow: must be an array"),
    ({"subjects": [ENTRY], "allow": [{"rule": "X", "subject": "a", "reason": "r"}]},
     "allow[0].expires: missing (required)"),
    ({"subjects": [ENTRY], "allow": [{"rule": "X", "subject": "a", "reason": "r",
                                      "expires": "2024-02-30"}]},
     'allow[0].expires: must be a date YYYY-MM-DD, not "2024-02-30"'),
    ({"subjects": [ENTRY], "allow": [{"rule": "X", "subject": "a", "expires": "2030-01-01"}]},
     "allow[0].reason: missing (required)"),
    ({"subjects": [ENTRY], "allow": [{"rule": "X", "subject": "a", "reason": "r",
                                      "expires": "2030-01-01", "until": "x"}]},
     "allow[0].until: unknown key"),
    ({"subjects": [ENTRY], "against": 5}, "against: must be a string"),
    ('{"subjects": [], "subjects": []}', "duplicate object key"),
    ('{"subjects": [\n', "schemareg.json:2:"),
])
def test_3_config_errors_name_the_key(tmp_path, run, cfg, message):
    err = config_error(tmp_path, run, cfg)
    assert message in err, err


def test_3_single_file_options_with_a_config(tmp_path, run):
    d = tmp_path / "c"
    d.mkdir()
    (d / "schemareg.json").write_text(json.dumps({"subjects": [ENTRY]}))
    r = run(["check", "--against", "dir:.", "--level", "FULL"], d)
    assert r.rc == 3 and "for a single FILE" in r.err, r


def test_3_file_not_in_the_config(tmp_path, run):
    d = tmp_path / "c"
    d.mkdir()
    (d / "a.avsc").write_text(OLD)
    (d / "schemareg.json").write_text(json.dumps({"subjects": [ENTRY]}))
    r = run(["check", "--config", "schemareg.json", "--against", "dir:.", "b.avsc"], d)
    assert r.rc == 3 and "b.avsc is not in schemareg.json" in r.err, r


def test_3_file_baseline_with_a_config(tmp_path, run):
    d = tmp_path / "c"
    d.mkdir()
    (d / "a.avsc").write_text(OLD)
    (d / "schemareg.json").write_text(json.dumps({"subjects": [ENTRY]}))
    r = run(["check", "--against", "a.avsc"], d)
    assert r.rc == 3, r


def test_3_registry_baseline_needs_a_subject_in_single_file_mode(files, run, start_registry):
    reg = start_registry()
    r = run(["check", "ok.avsc", "--against", reg.url], files)
    assert r.rc == 3 and "needs --subject" in r.err, r


# --- 4 -----------------------------------------------------------------------------------


def test_4_bad_git_ref(repo, run):
    repo.config({"subjects": [ENTRY]})
    repo.write("a.avsc", OLD)
    repo.commit("v1")
    r = run(["check", "--against", "git:no-such-branch"], repo.path)
    assert r.rc == 4, r
    assert "no commit 'no-such-branch'" in r.err
    r = run(["check", "--against", ".git#branch=nope"], repo.path)
    assert r.rc == 4, r


def test_4_not_a_git_repository(files, run):
    r = run(["check", "ok.avsc", "--against", "git:main"], files)
    assert r.rc == 4, r
    assert "not in a git repository" in r.err


def test_4_missing_directory_or_file(files, run):
    assert run(["check", "ok.avsc", "--against", "dir:nowhere"], files).rc == 4
    assert run(["check", "ok.avsc", "--against", "nowhere"], files).rc == 4
    assert run(["check", "ok.avsc", "--against", "file:nowhere.avsc"], files).rc == 4


def test_4_unreadable_directory(files, run):
    import os
    if os.geteuid() == 0:
        pytest.skip("root reads every directory")
    d = files / "locked"
    d.mkdir()
    d.chmod(0)
    try:
        assert run(["check", "ok.avsc", "--against", "dir:locked"], files).rc == 4
    finally:
        d.chmod(0o755)


def test_4_registry_unreachable(files, run):
    url = "http://127.0.0.1:%d" % free_port()
    r = run(["check", "ok.avsc", "--subject", "s", "--against", url], files)
    assert r.rc == 4, r
    assert "cannot reach the registry at %s" % url in r.err


def test_4_not_a_registry_database(files, run):
    (files / "x.db").write_text("not sqlite")
    r = run(["check", "ok.avsc", "--subject", "s", "--against", "sqlite:x.db"], files)
    assert r.rc == 4, r
    r = run(["check", "ok.avsc", "--subject", "s", "--against", "sqlite:missing.db"], files)
    assert r.rc == 4, r


def test_help(run, tmp_path):
    r = run(["check", "--help"], tmp_path)
    assert r.rc == 0
    for word in ("git:REF", "--against", "--violations-exit-code", "sarif", "--baseline-file",
                 "--write-baseline", "allow", "Exit codes"):
        assert word in r.out, word
