"""Fixtures for the `schemareg check` tests.

`run(args, cwd)`  - runs the CLI (SCHEMAREG_CLI, default build/schemareg) with a
                    clean, deterministic environment; returns Result(rc, out, err).
`repo`            - a git repository in a fresh temp dir (branch main), with
                    deterministic commits (fixed author, committer and dates), so
                    commit ids, and the golden files that quote them, never change.
`start_registry`  - starts the real schemareg-server (SCHEMAREG_SERVER) on a free
                    127.0.0.1 port with a database in the test's temp dir; every
                    server is stopped with SIGTERM at the end and must exit 0.
"""

import json
import os
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_support import Server, cli_binary  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
GOLDEN = os.path.join(HERE, "golden")


def clean_env(home):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SCHEMAREG_URL", "SCHEMAREG_USER", "GIT_"))}
    env.update({
        "HOME": str(home),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "LC_ALL": "C",
        "TZ": "UTC",
    })
    return env


class Result:
    def __init__(self, rc, out, err):
        self.rc, self.out, self.err = rc, out, err

    def __repr__(self):
        return "Result(rc=%r)\n--- stdout\n%s\n--- stderr\n%s" % (self.rc, self.out, self.err)


@pytest.fixture
def run(tmp_path):
    binary = cli_binary()
    if not os.path.exists(binary):
        pytest.fail("CLI binary %s does not exist (set SCHEMAREG_CLI or run make)" % binary)
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)

    def run_cli(args, cwd, extra_env=None, timeout=120):
        env = clean_env(home)
        env.update(extra_env or {})
        p = subprocess.run([binary] + list(args), cwd=str(cwd), env=env, timeout=timeout,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = p.stdout.decode("utf-8"), p.stderr.decode("utf-8")
        # Sanitizer reports must never pass unnoticed.
        assert "AddressSanitizer" not in err and "runtime error:" not in err, err
        return Result(p.returncode, out, err)

    return run_cli


class Repo:
    """A git repository whose commits are reproducible byte for byte."""

    def __init__(self, path, home):
        self.path = path
        self.env = clean_env(home)
        self.n_commits = 0
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", "Schema Author")
        self.git("config", "user.email", "author@example.com")
        self.git("config", "commit.gpgsign", "false")

    def git(self, *args):
        p = subprocess.run(["git"] + list(args), cwd=str(self.path), env=self.env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert p.returncode == 0, (args, p.stderr.decode())
        return p.stdout.decode().strip()

    def write(self, rel, text):
        f = self.path / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(text if isinstance(text, str) else json.dumps(text, indent=2) + "\n")
        return f

    def config(self, cfg):
        return self.write("schemareg.json", json.dumps(cfg, indent=2) + "\n")

    def commit(self, message):
        self.n_commits += 1
        date = "2024-01-%02dT12:00:00+0000" % self.n_commits
        env = dict(self.env, GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
        self.git("add", "-A")
        p = subprocess.run(["git", "commit", "-q", "-m", message], cwd=str(self.path), env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert p.returncode == 0, p.stderr.decode()
        return self.git("rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path):
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return Repo(tmp_path / "repo", home)


class Registry(Server):
    """The real server on a free loopback port (cli_support.Server), with the
    request() name the check tests use."""

    def request(self, method, path, body=None):
        return self.call(method, path, body)


@pytest.fixture
def start_registry(tmp_path):
    servers = []

    def start():
        r = Registry(tmp_path / ("registry%d" % len(servers)))
        servers.append(r)
        return r.start()

    yield start
    problems = []
    for r in servers:
        rc = r.stop()
        if rc not in (0, None):
            problems.append("server exited with %r after SIGTERM:\n%s" % (rc, r.log()))
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


