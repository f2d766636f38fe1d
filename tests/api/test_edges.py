"""Edge cases found in review: limits of ids and versions, READONLY_OVERRIDE,
invalid UTF-8 subjects, the id cache against permanent deletes, and requests in
flight when the server is told to stop."""

import json
import signal
import socket
import threading
import time

from srapi import HOST, S1, assert_error, assert_ok, body_for


def test_subject_that_is_not_utf8_is_invalid(client):
    # Every response carries subjects as JSON strings, so such a subject could
    # never be listed; it is refused up front and nothing is stored.
    assert_error(client.post("/subjects/%FF%FE/versions", body=body_for(S1)), 422, 42208)
    assert_ok(client.get("/subjects?deleted=true"), [])


def test_version_numbers_end_at_int32_max(client):
    assert_ok(client.put("/mode/imp", body={"mode": "IMPORT"}), {"mode": "IMPORT"})
    assert_ok(client.post("/subjects/imp/versions",
                          body=dict(body_for(S1), id=500, version=2147483647)), {"id": 500})
    assert_ok(client.put("/mode/imp", body={"mode": "READWRITE"}), {"mode": "READWRITE"})
    assert_ok(client.put("/config/imp", body={"compatibility": "NONE"}),
              {"compatibility": "NONE"})
    assert_error(client.post("/subjects/imp/versions", body={"schema": '"int"'}), 422, 42205)
    assert_ok(client.get("/subjects/imp/versions"), [2147483647])


def test_schema_ids_end_at_int32_max(client):
    assert_ok(client.put("/mode", body={"mode": "IMPORT"}), {"mode": "IMPORT"})
    assert_ok(client.post("/subjects/a/versions", body=dict(body_for(S1), id=2147483647)),
              {"id": 2147483647})
    assert_ok(client.put("/mode", body={"mode": "READWRITE"}), {"mode": "READWRITE"})
    assert_error(client.post("/subjects/b/versions", body={"schema": '"int"'}), 422, 42205)
    assert_ok(client.get("/subjects"), ["a"])


def test_readonly_override_wins_over_subject_modes(client):
    assert_ok(client.put("/mode/ovr", body={"mode": "READWRITE"}), {"mode": "READWRITE"})
    assert_ok(client.put("/mode", body={"mode": "READONLY_OVERRIDE"}),
              {"mode": "READONLY_OVERRIDE"})
    assert_error(client.post("/subjects/ovr/versions", body=body_for(S1)), 422, 42205)
    assert_error(client.post("/subjects/other/versions", body=body_for(S1)), 422, 42205)
    # the subject's own setting is still what GET /mode/{s} shows
    assert_ok(client.get("/mode/ovr"), {"mode": "READWRITE"})
    assert_ok(client.get("/subjects?deleted=true"), [])


def test_id_not_served_after_permanent_delete_under_concurrent_reads(server):
    # Readers on the other worker thread must not put a deleted schema back in
    # the id cache: every iteration ends with 404 for the deleted id.
    client = server.client()
    stale = []
    for i in range(30):
        subject = "race-%d" % i
        sid = client.register(subject, {"type": "record", "name": "R%d" % i,
                                        "fields": [{"name": "a", "type": "string"}]})
        assert_ok(client.delete("/subjects/%s" % subject), [1])
        stop = threading.Event()

        def reader():
            c = server.client()
            while not stop.is_set():
                c.get("/schemas/ids/%d" % sid)

        threads = [threading.Thread(target=reader) for _ in range(3)]
        for t in threads:
            t.start()
        assert_ok(client.delete("/subjects/%s?permanent=true" % subject), [1])
        time.sleep(0.01)
        stop.set()
        for t in threads:
            t.join()
        if client.get("/schemas/ids/%d" % sid).status != 404:
            stale.append(sid)
    assert stale == []


def test_request_being_uploaded_at_sigterm_still_completes(start_server):
    s = start_server()
    body = json.dumps(body_for(S1)).encode()
    head = ("POST /subjects/late/versions HTTP/1.1\r\nHost: %s\r\n"
            "Content-Type: application/vnd.schemaregistry.v1+json\r\n"
            "Content-Length: %d\r\n\r\n" % (HOST, len(body))).encode()
    conn = socket.create_connection((HOST, s.port), timeout=10)
    conn.sendall(head + body[:10])
    time.sleep(0.2)
    s.proc.send_signal(signal.SIGTERM)
    time.sleep(0.2)
    conn.sendall(body[10:])
    reply = b""
    while b"\r\n\r\n" not in reply or not reply.rstrip().endswith(b"}"):
        chunk = conn.recv(4096)
        if not chunk:
            break
        reply += chunk
    conn.close()
    assert reply.startswith(b"HTTP/1.1 200"), reply
    assert reply.rstrip().endswith(b'{"id":1}'), reply
    assert s.proc.wait(timeout=15) == 0


def test_plus_in_a_query_value_is_a_space(client):
    # Query strings are form-encoded: '+' is a space, '%2B' a plus sign.
    client.register("a b", S1)
    client.register("a+b", {"type": "record", "name": "P", "fields": []})
    assert_ok(client.get("/subjects?subjectPrefix=a+b"), ["a b"])
    assert_ok(client.get("/subjects?subjectPrefix=a%2Bb"), ["a+b"])
