"""`--help` for every command, and the man page schemareg(1) against the code: it
must document every command of main.c's COMMANDS table, every option their usage
lines name, every exit code of cli.h, and the environment."""

import os
import re
import shutil
import subprocess

import pytest

from cli_support import ROOT, cli  # noqa: F401 (fixture)

MAIN_C = os.path.join(ROOT, "clients", "main.c")
CLI_H = os.path.join(ROOT, "clients", "cli.h")
MAN = os.path.join(ROOT, "docs", "schemareg.1")


def table_commands():
    """The command names of main.c's COMMANDS table, in order."""
    with open(MAIN_C) as f:
        text = f.read()
    table = text[text.index("COMMANDS[] = {"):]
    table = table[:table.index("\n};")]
    names = re.findall(r'\{\s*"([a-z][a-z-]*)",\s*cmd_\w+\s*,', table)
    assert len(names) >= 10, names
    return names


def exit_codes():
    """{name: value} of the exit-code enum in cli.h."""
    with open(CLI_H) as f:
        text = f.read()
    codes = dict((n, int(v)) for n, v in re.findall(r"\b(CLI_[A-Z_]+)\s*=\s*(\d+)", text))
    assert codes.get("CLI_OK") == 0 and len(codes) >= 5, codes
    return codes


def man_text():
    with open(MAN) as f:
        return f.read()


def roff_plain(text):
    """The man source with troff's escaped hyphens made plain."""
    return text.replace("\\-", "-").replace("\\e", "\\")


COMMANDS = table_commands()


@pytest.mark.parametrize("name", COMMANDS)
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_command_help(cli, name, flag):
    r = cli(name, flag)
    assert r.rc == 0, r
    assert r.err == "", r
    assert r.out.startswith("usage: schemareg %s" % name), r
    lines = r.out.split("\n\n", 1)
    assert len(lines) == 2 and len(lines[1].strip()) > 40, r  # an explanation follows


@pytest.mark.parametrize("name", COMMANDS)
def test_help_wins_over_other_arguments(cli, name):
    # even with arguments that would be wrong, --help only explains
    r = cli("--url", "http://127.0.0.1:1", name, "--bogus", "x", "--help")
    assert r.rc == 0 and r.out.startswith("usage: schemareg %s" % name), r


def test_global_help(cli):
    for flag in ("--help", "-h"):
        r = cli(flag)
        assert r.rc == 0 and r.err == "", r
        assert r.out.startswith("usage: schemareg [--url URL]"), r
        listed = [line.split()[0] for line in
                  r.out.split("Commands:\n", 1)[1].split("\n\n", 1)[0].splitlines()]
        assert set(listed) == set(COMMANDS), listed
        for env in ("SCHEMAREG_URL", "SCHEMAREG_USER"):
            assert env in r.out


def test_no_command_prints_usage_and_exits_3(cli):
    r = cli()
    assert r.rc == exit_codes()["CLI_USAGE"] == 3
    assert r.out == "" and r.err.startswith("usage: schemareg"), r


def test_man_page_documents_every_command():
    text = roff_plain(man_text())
    headings = re.findall(r"^\.SS (\S+)", text, re.M)
    for name in COMMANDS:
        assert name in headings, "schemareg(1) has no .SS section for '%s'" % name


def usage_lines(cli, name):
    r = cli(name, "--help")
    return r.out.split("\n\n", 1)[0]


@pytest.mark.parametrize("name", COMMANDS)
def test_man_page_documents_every_option(cli, name):
    text = roff_plain(man_text())
    options = set(re.findall(r"--[a-z][a-z-]*", usage_lines(cli, name)))
    missing = sorted(o for o in options if o not in text)
    assert not missing, "schemareg(1) does not mention %s (from `%s --help`)" % (missing, name)
    # the command's own section shows its synopsis with those options
    sections = re.findall(r"^\.SS (%s(?: .*)?)$" % re.escape(name), text, re.M)
    in_synopsis = set(re.findall(r"--[a-z][a-z-]*", " ".join(sections)))
    assert options <= in_synopsis, (name, sorted(options - in_synopsis))


def test_man_page_documents_global_options_and_environment():
    text = roff_plain(man_text())
    for opt in ("--url", "--user", "--output", "--help"):
        assert re.search(r"^\.(TP|BI|BR|B)\b.*\n?.*%s" % opt, text, re.M), opt
    env = text[text.index(".SH ENVIRONMENT"):]
    env = env[:env.index("\n.SH ", 1)]
    for var in ("SCHEMAREG_URL", "SCHEMAREG_USER"):
        assert var in env, var


def test_man_page_documents_every_exit_code():
    text = man_text()
    assert ".SH EXIT STATUS" in text
    section = text[text.index(".SH EXIT STATUS"):]
    section = section[:section.index("\n.SH ", 1)]
    documented = set(int(n) for n in re.findall(r"^\.TP\n\.B (\d+)$", section, re.M))
    for name, value in exit_codes().items():
        assert value in documented, "exit code %d (%s) is not in EXIT STATUS" % (value, name)
    assert 100 in documented  # check --violations-exit-code, buf's convention


def test_man_page_documents_the_export_format():
    text = roff_plain(man_text())
    section = text[text.index(".SS The export file"):]
    for key in ("format", "version", "config", "mode", "schemas", "subjects", "schemaType",
                "references", "metadata", "ruleSet", "deleted", "schemareg-export"):
        assert key in section, key


def test_man_page_renders_cleanly():
    groff = shutil.which("groff")
    if not groff:
        pytest.skip("groff is not installed")
    p = subprocess.run([groff, "-man", "-Tutf8", "-ww", "-z", MAN], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    assert p.returncode == 0 and p.stderr == b"", p.stderr.decode()
    p = subprocess.run([groff, "-man", "-Tutf8", MAN], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, env=dict(os.environ, LC_ALL="C.UTF-8"))
    out = re.sub(r".\x08", "", p.stdout.decode("utf-8", "replace"))
    for heading in ("NAME", "SYNOPSIS", "DESCRIPTION", "EXIT STATUS", "ENVIRONMENT",
                    "EXAMPLES"):
        assert re.search(r"^%s$" % heading, out, re.M), heading
