"""The CLI against answers and inputs that are wrong on purpose (found in review):
a registry that breaks its contract must give a clear error, never a crash or a
success, and git baselines must not call a file "new" when git cannot tell."""

import http.server
import json
import subprocess
import threading

import pytest

from cli_support import cli  # noqa: F401  (fixture)


class FakeRegistry:
    """A loopback HTTP server answering from a table {(method, path): (status, body)};
    it records the paths it was asked for."""

    def __init__(self, answers):
        self.answers, self.seen = answers, []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                outer.seen.append((self.command, self.path))
                status, body = outer.answers.get((self.command, self.path), (404, '{"error_code":404,"message":"no"}'))
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = answer

            def log_message(self, *a):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def fake():
    made = []

    def make(answers):
        f = FakeRegistry(answers)
        made.append(f)
        return f

    yield make
    for f in made:
        f.close()


@pytest.mark.parametrize("body", ['{"id":1,"subject":"s","version":1}', "not json", "[1]"])
def test_get_with_an_answer_lacking_the_schema_fails_cleanly(cli, fake, body):
    f = fake({("GET", "/subjects/s/versions/latest"): (200, body),
              ("GET", "/schemas/ids/7"): (200, body)})
    for args in (["get", "s"], ["get-id", "7"]):
        r = cli("--url", f.url, *args)
        assert r.rc == 1, r
        assert "unexpected answer" in r.err, r


def test_register_without_an_id_in_the_answer_fails(cli, fake, tmp_path):
    (tmp_path / "s.avsc").write_text('"string"')
    f = fake({("POST", "/subjects/s/versions"): (200, "garbage")})
    r = cli("--url", f.url, "register", "s", tmp_path / "s.avsc")
    assert r.rc == 1, r


@pytest.mark.parametrize("subject,path", [(".", "/subjects/%2E"), ("..", "/subjects/%2E%2E")])
def test_dot_subjects_are_escaped_not_resolved(cli, fake, subject, path):
    f = fake({("DELETE", path): (200, "[1]")})
    r = cli("--url", f.url, "delete", subject)
    assert r.rc == 0, r
    assert f.seen == [("DELETE", path)]


def test_copy_refuses_impossible_versions(cli, fake, tmp_path):
    f = fake({("GET", "/subjects?deleted=true"): (200, '["s"]'),
              ("GET", "/subjects/s/versions?deletedAsNegative=true"):
                  (200, "[-9223372036854775808]")})
    r = cli("copy", "--from", f.url, "--to", tmp_path / "out.json")
    assert r.rc == 1, r
    assert "impossible version" in r.err, r


def git(cwd, *args):
    subprocess.run(["git", "-c", "user.email=t@t", "-c", "user.name=t"] + list(args), cwd=cwd,
                   check=True, capture_output=True)


def test_git_baseline_through_a_symlinked_directory(cli, tmp_path):
    repo = tmp_path / "repo"
    (repo / "sub").mkdir(parents=True)
    git(repo, "init", "-q", ".")
    old = {"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}]}
    new = {"type": "record", "name": "R", "fields": [{"name": "b", "type": "int"}]}
    (repo / "sub" / "x.avsc").write_text(json.dumps(old))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "v1")
    (repo / "sub" / "x.avsc").write_text(json.dumps(new))
    (repo / "lk").symlink_to("sub")
    for path in ("sub/x.avsc", "lk/x.avsc"):  # the same file, the same verdict
        r = cli("check", path, "--against", "git:HEAD", cwd=repo)
        assert r.rc == 1, (path, r)


def test_git_baseline_from_another_repository_is_unavailable_not_new(cli, tmp_path):
    repo, other = tmp_path / "repo", tmp_path / "other"
    repo.mkdir()
    other.mkdir()
    git(repo, "init", "-q", ".")
    (repo / "x.avsc").write_text('"string"')
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "v1")
    git(other, "init", "-q", ".")
    git(other, "commit", "-q", "--allow-empty", "-m", "x")
    r = cli("check", repo / "x.avsc", "--against", "git:HEAD", cwd=other)
    assert r.rc == 4, r
