"""Fixtures for the end-to-end API tests.

`server`  - a fresh schemareg-server on a free 127.0.0.1 port with an empty database
            (function scope: every test starts from an empty registry). On teardown it
            is stopped with SIGTERM and must exit 0 within 5 s.
`client`  - srapi.Client bound to `server`.
`start_server(**kw)` - factory for tests that need their own settings, restarts or
            several servers (kw: see srapi.ServerProcess). Every server it started is
            stopped (and checked for exit status 0) on teardown.
"""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import srapi  # noqa: E402


@pytest.fixture
def start_server(tmp_path):
    servers = []

    def start(**kw):
        workdir = kw.pop("workdir", None) or tmp_path / ("srv%d" % len(servers))
        s = srapi.ServerProcess(workdir, **kw)
        servers.append(s)
        s.start()
        return s

    yield start

    problems = []
    for s in servers:
        if not s.running():
            continue
        try:
            rc = s.stop()
        except AssertionError as e:
            problems.append(str(e))
            continue
        if rc != 0:
            problems.append("server exited with status %r after SIGTERM; output:\n%s"
                            % (rc, s.log()))
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.fixture
def server(start_server):
    return start_server()


@pytest.fixture
def client(server):
    return server.client()
