#!/usr/bin/python3
"""Interop test: Debian's python3-confluent-kafka 1.7.0 (unmodified) against a
running schemareg server.  Run with /usr/bin/python3 (the pyenv python3 on PATH
cannot see Debian's dist-packages):

    /usr/bin/python3 tests/interop/python_client.py http://127.0.0.1:PORT

Exits 0 when every step passed; otherwise prints the failing step and the
error (HTTP status + error_code when the server answered) and exits 1.

Requests these clients make (observed with a logging mock):

confluent_kafka.schema_registry.SchemaRegistryClient (requests.Session):
  GET requests send `Accept: application/vnd.schemaregistry.v1+json,
  application/vnd.schemaregistry+json, application/json`; requests with a body
  send `Content-Type: application/vnd.schemaregistry.v1+json` and requests'
  default `Accept: */*`.  Every non-2xx body must be JSON with error_code and
  message, otherwise the client reports error_code -1.
  register_schema     POST /subjects/{s}/versions  {"schema":"..."}  (no schemaType for AVRO
                      without references; only "id" is read)
  get_schema          GET  /schemas/ids/{id}       (reads "schema", optional "schemaType",
                      optional "references")
  get_latest_version  GET  /subjects/{s}/versions/latest  (needs id, schema, subject, version)
  get_version         GET  /subjects/{s}/versions/{v}
  lookup_schema       POST /subjects/{s}  {"schema":"..."}  (needs id, schema, subject, version)
  get_subjects        GET  /subjects
  get_versions        GET  /subjects/{s}/versions
  delete_version      DELETE /subjects/{s}/versions/{v}      (returns the bare int)
  delete_subject      DELETE /subjects/{s}; with permanent=True it then also sends
                      DELETE /subjects/{s}?permanent=true  (soft first, then hard)
  set_compatibility   PUT  /config/{s} or PUT /config  {"compatibility":"FULL"} (upper-cased;
                      returns the response body)
  get_compatibility   GET  /config/{s} or GET /config  (reads "compatibilityLevel"; no
                      defaultToGlobal, so an unset subject gives 404/40408)
  test_compatibility  POST /compatibility/subjects/{s}/versions/{v}  (subject NOT
                      percent-encoded by this client; reads "is_compatible")

confluent_kafka.avro legacy CachedSchemaRegistryClient + MessageSerializer:
  every request sends `Accept: application/vnd.schemaregistry.v1+json,
  application/vnd.schemaregistry+json, application/json`.
  encode_record_with_schema(topic, schema, rec):
      auto.register.schemas=True (default): POST /subjects/{topic}-value/versions
          {"schema": str(avro_schema)} -- python-avro's own JSON rendering, with a
          space after ':' and ',' and each field as {"type": ..., "name": ...} (keys in
          a different order than the registered text), so the server must dedupe on the
          parsed/canonical schema, not on the raw text.
      auto.register.schemas=False: POST /subjects/{topic}-value (lookup; reads "id").
  decode_message (cache miss): GET /schemas/ids/{id}; a 404 or any non-2xx makes it
      raise SerializerError("unable to fetch schema with id ...").
  get_latest_schema(s): GET /subjects/{s}/versions/latest (reads id, schema, version)
  test_compatibility(s, schema): POST /compatibility/subjects/{s}/versions/latest
"""
import json
import sys
import traceback

from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError
from confluent_kafka.avro import CachedSchemaRegistryClient, loads
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer

SUBJECT = 'py-users-value'
OTHER = 'py-other-value'
LEGACY_TOPIC = 'py-legacy'
LEGACY_SUBJECT = LEGACY_TOPIC + '-value'

V1 = {'type': 'record', 'name': 'User', 'namespace': 'com.example.py',
      'fields': [{'name': 'name', 'type': 'string'}, {'name': 'age', 'type': 'int'}]}
V2 = dict(V1, fields=V1['fields'] + [{'name': 'email', 'type': ['null', 'string'], 'default': None}])
BAD = dict(V1, fields=V1['fields'] + [{'name': 'country', 'type': 'string'}])


def avro(s):
    return Schema(json.dumps(s), schema_type='AVRO')


class StepFailed(Exception):
    pass


current = ['(start)']


def step(name):
    def deco(fn):
        current[0] = name
        result = fn()
        print('ok   ' + name, flush=True)
        return result
    return deco


def check(cond, msg):
    if not cond:
        raise StepFailed(msg)


def eq(actual, expected, what):
    check(actual == expected, '%s: expected %r, got %r' % (what, expected, actual))


def expect_sr_error(name, fn, status, codes):
    current[0] = name
    try:
        res = fn()
    except SchemaRegistryError as e:
        check(e.http_status_code == status,
              '%s: expected HTTP %d, got %s (error_code %s: %s)'
              % (name, status, e.http_status_code, e.error_code, e.error_message))
        check(e.error_code in codes,
              '%s: expected error_code in %r, got %r (%s)' % (name, codes, e.error_code, e.error_message))
        print('ok   %s -> HTTP %s error_code %s' % (name, e.http_status_code, e.error_code), flush=True)
        return e
    raise StepFailed('%s: expected HTTP %d error, but the call returned %r' % (name, status, res))


def main(url):
    def new():
        return SchemaRegistryClient({'url': url})

    sr = new()

    # --- new SchemaRegistryClient ---------------------------------------------------
    @step('register_schema V1')
    def id1():
        i = sr.register_schema(SUBJECT, avro(V1))
        check(isinstance(i, int) and i > 0, 'register_schema returned %r' % (i,))
        return i

    @step('register_schema V1 again (fresh client) returns the same id')
    def _():
        eq(new().register_schema(SUBJECT, avro(V1)), id1, 'id')

    @step('get_schema(id) (fresh client)')
    def _():
        s = new().get_schema(id1)
        eq(json.loads(s.schema_str), V1, 'schema text')
        eq(s.schema_type, 'AVRO', 'schema_type')

    @step('get_latest_version')
    def _():
        r = sr.get_latest_version(SUBJECT)
        eq(r.schema_id, id1, 'schema_id')
        eq(r.version, 1, 'version')
        eq(r.subject, SUBJECT, 'subject')
        eq(json.loads(r.schema.schema_str), V1, 'schema text')

    @step('get_version(subject, 1)')
    def _():
        r = sr.get_version(SUBJECT, 1)
        eq((r.schema_id, r.version, r.subject), (id1, 1, SUBJECT), '(id, version, subject)')

    @step('lookup_schema V1')
    def _():
        r = new().lookup_schema(SUBJECT, avro(V1))
        eq((r.schema_id, r.version, r.subject), (id1, 1, SUBJECT), '(id, version, subject)')
        eq(json.loads(r.schema.schema_str), V1, 'schema text')

    expect_sr_error('lookup_schema of an unregistered schema -> 404 40403',
                    lambda: new().lookup_schema(SUBJECT, avro(V2)), 404, (40403,))
    expect_sr_error('lookup_schema under a missing subject -> 404 40401',
                    lambda: new().lookup_schema('py-missing-value', avro(V1)), 404, (40401,))
    expect_sr_error('get_schema of an unknown id -> 404 40403',
                    lambda: new().get_schema(987654), 404, (40403,))
    expect_sr_error('get_version of a missing version -> 404 40402',
                    lambda: sr.get_version(SUBJECT, 99), 404, (40402,))
    expect_sr_error('get_versions of a missing subject -> 404 40401',
                    lambda: sr.get_versions('py-missing-value'), 404, (40401,))

    @step('test_compatibility(compatible V2) is True')
    def _():
        eq(sr.test_compatibility(SUBJECT, avro(V2)), True, 'is_compatible')

    @step('test_compatibility(breaking) is False')
    def _():
        eq(sr.test_compatibility(SUBJECT, avro(BAD)), False, 'is_compatible')

    @step('test_compatibility(version=1): compatible True, breaking False')
    def _():
        eq(sr.test_compatibility(SUBJECT, avro(V2), version=1), True, 'is_compatible V2')
        eq(sr.test_compatibility(SUBJECT, avro(BAD), version=1), False, 'is_compatible BAD')

    expect_sr_error('register_schema of a breaking change under BACKWARD -> 409',
                    lambda: new().register_schema(SUBJECT, avro(BAD)), 409, (409, 40901))

    # --- compatibility config ------------------------------------------------------
    @step('get_compatibility() (global) is BACKWARD')
    def _():
        eq(sr.get_compatibility(), 'BACKWARD', 'global level')

    expect_sr_error('get_compatibility(subject) without subject config -> 404 40408',
                    lambda: sr.get_compatibility(SUBJECT), 404, (40408,))

    @step('set_compatibility(subject, FULL)')
    def _():
        eq(sr.set_compatibility(SUBJECT, 'FULL'), {'compatibility': 'FULL'}, 'PUT /config/{s} response')
        eq(sr.get_compatibility(SUBJECT), 'FULL', 'subject level')
        eq(sr.get_compatibility(), 'BACKWARD', 'global level unchanged')

    @step('set_compatibility(subject, backward) (lower case is upper-cased by the client)')
    def _():
        eq(sr.set_compatibility(SUBJECT, 'backward'), {'compatibility': 'BACKWARD'}, 'PUT /config/{s} response')
        eq(sr.get_compatibility(SUBJECT), 'BACKWARD', 'subject level')

    @step('set_compatibility(level=FORWARD) global, then back to BACKWARD')
    def _():
        eq(sr.set_compatibility(level='FORWARD'), {'compatibility': 'FORWARD'}, 'PUT /config response')
        eq(sr.get_compatibility(), 'FORWARD', 'global level')
        eq(sr.set_compatibility(level='BACKWARD'), {'compatibility': 'BACKWARD'}, 'PUT /config response')
        eq(sr.get_compatibility(), 'BACKWARD', 'global level')

    # --- evolution ---------------------------------------------------------------------
    @step('register_schema compatible V2')
    def id2():
        i = sr.register_schema(SUBJECT, avro(V2))
        check(isinstance(i, int) and i > 0 and i != id1, 'V2 id %r (V1 id %r)' % (i, id1))
        return i

    @step('get_versions is [1, 2]; latest is V2')
    def _():
        eq(sr.get_versions(SUBJECT), [1, 2], 'versions')
        r = sr.get_latest_version(SUBJECT)
        eq((r.schema_id, r.version), (id2, 2), '(id, version)')

    @step('register V1 under a second subject reuses the id')
    def _():
        eq(sr.register_schema(OTHER, avro(V1)), id1, 'id under %s' % OTHER)

    @step('get_subjects lists both subjects')
    def _():
        subs = sr.get_subjects()
        check(isinstance(subs, list) and SUBJECT in subs and OTHER in subs, 'subjects %r' % (subs,))

    @step('subject with "/" and " " (percent-encoded by the client): register, get, lookup, delete')
    def _():
        subj = 'team/orders value'
        eq(sr.register_schema(subj, avro(V1)), id1, 'id')
        r = sr.get_latest_version(subj)
        eq((r.schema_id, r.version, r.subject), (id1, 1, subj), '(id, version, subject)')
        eq(new().lookup_schema(subj, avro(V1)).subject, subj, 'lookup subject')
        eq(sr.get_versions(subj), [1], 'versions')
        check(subj in sr.get_subjects(), 'subject listed by GET /subjects')
        eq(sr.delete_subject(subj, permanent=True), [1], 'deleted versions')
        check(subj not in sr.get_subjects(), 'subject gone from GET /subjects')

    # --- legacy confluent_kafka.avro ---------------------------------------------------
    legacy_rec = {'name': 'alice', 'age': 42}

    @step('legacy: register V1 under the legacy subject with the new client')
    def legacy_id():
        eq(sr.register_schema(LEGACY_SUBJECT, avro(V1)), id1, 'id')
        return id1

    @step('legacy MessageSerializer.encode_record_with_schema (auto-register, python-avro JSON) '
          'dedupes to the existing id')
    def legacy_bytes():
        ms = MessageSerializer(CachedSchemaRegistryClient({'url': url}))
        b = ms.encode_record_with_schema(LEGACY_TOPIC, loads(json.dumps(V1)), legacy_rec)
        check(isinstance(b, bytes) and len(b) > 5, 'encoded %r' % (b,))
        eq(b[0], 0, 'magic byte')
        eq(int.from_bytes(b[1:5], 'big'), legacy_id, 'schema id in the wire header')
        eq(sr.get_versions(LEGACY_SUBJECT), [1], 'versions of %s (no new version for the same schema)'
           % LEGACY_SUBJECT)
        return b

    @step('legacy MessageSerializer.decode_message (fresh client: GET /schemas/ids/{id})')
    def _():
        ms = MessageSerializer(CachedSchemaRegistryClient({'url': url}))
        eq(ms.decode_message(legacy_bytes), legacy_rec, 'decoded record')

    @step('legacy encode with auto.register.schemas=False (lookup) and decode')
    def _():
        client = CachedSchemaRegistryClient({'url': url, 'auto.register.schemas': False})
        ms = MessageSerializer(client)
        rec = {'name': 'bob', 'age': 7}
        b = ms.encode_record_with_schema(LEGACY_TOPIC, loads(json.dumps(V1)), rec)
        eq(int.from_bytes(b[1:5], 'big'), legacy_id, 'schema id in the wire header')
        eq(MessageSerializer(CachedSchemaRegistryClient({'url': url})).decode_message(b), rec, 'decoded record')

    @step('legacy encode V2 (new version) and decode')
    def _():
        ms = MessageSerializer(CachedSchemaRegistryClient({'url': url}))
        rec = {'name': 'carol', 'age': 9, 'email': 'carol@example.com'}
        b = ms.encode_record_with_schema(LEGACY_TOPIC, loads(json.dumps(V2)), rec)
        eq(int.from_bytes(b[1:5], 'big'), id2, 'schema id in the wire header (same schema as V2 elsewhere)')
        eq(MessageSerializer(CachedSchemaRegistryClient({'url': url})).decode_message(b), rec, 'decoded record')

    @step('legacy get_latest_schema')
    def _():
        sid, schema, version = CachedSchemaRegistryClient({'url': url}).get_latest_schema(LEGACY_SUBJECT)
        eq((sid, version), (id2, 2), '(id, version)')
        eq(schema.fullname, 'com.example.py.User', 'schema full name')

    @step('legacy test_compatibility: compatible True, breaking False')
    def _():
        c = CachedSchemaRegistryClient({'url': url})
        eq(c.test_compatibility(LEGACY_SUBJECT, loads(json.dumps(V2))), True, 'V2')
        eq(c.test_compatibility(LEGACY_SUBJECT, loads(json.dumps(BAD))), False, 'BAD')

    # --- deletes -----------------------------------------------------------------------
    @step('delete_version(subject, 2) (soft)')
    def _():
        eq(sr.delete_version(SUBJECT, 2), 2, 'deleted version')
        eq(sr.get_versions(SUBJECT), [1], 'versions after delete')
        eq(sr.get_latest_version(SUBJECT).version, 1, 'latest version after delete')

    expect_sr_error('get_version of the soft-deleted version -> 404 40402',
                    lambda: sr.get_version(SUBJECT, 2), 404, (40402,))
    expect_sr_error('delete_version of an already soft-deleted version -> 404 40406',
                    lambda: sr.delete_version(SUBJECT, 2), 404, (40406,))

    @step('get_schema of the soft-deleted version\'s id still works')
    def _():
        eq(json.loads(new().get_schema(id2).schema_str), V2, 'schema text')

    @step('delete_subject(subject) (soft)')
    def _():
        eq(sr.delete_subject(SUBJECT), [1], 'deleted versions')
        subs = sr.get_subjects()
        check(SUBJECT not in subs and OTHER in subs, 'subjects after soft delete %r' % (subs,))

    expect_sr_error('get_versions of a soft-deleted subject -> 404 40401',
                    lambda: sr.get_versions(SUBJECT), 404, (40401,))
    expect_sr_error('delete_subject of a soft-deleted subject -> 404 40404',
                    lambda: sr.delete_subject(SUBJECT), 404, (40404,))

    @step('delete_subject(other, permanent=True) (soft then hard)')
    def _():
        eq(sr.delete_subject(OTHER, permanent=True), [1], 'deleted versions')
        subs = sr.get_subjects()
        check(OTHER not in subs, 'subjects after permanent delete %r' % (subs,))

    expect_sr_error('get_versions of a permanently deleted subject -> 404 40401',
                    lambda: sr.get_versions(OTHER), 404, (40401,))
    expect_sr_error('delete_subject of a permanently deleted subject -> 404 40401',
                    lambda: sr.delete_subject(OTHER), 404, (40401,))

    @step('V1 is still served by id (legacy subject still uses it)')
    def _():
        eq(json.loads(new().get_schema(id1).schema_str), V1, 'schema text')
        subs = sr.get_subjects()
        check(LEGACY_SUBJECT in subs and SUBJECT not in subs and OTHER not in subs, 'subjects %r' % (subs,))


if __name__ == '__main__':
    if len(sys.argv) != 2:
        print('usage: /usr/bin/python3 python_client.py <registry-url>', file=sys.stderr)
        sys.exit(2)
    try:
        main(sys.argv[1])
    except SchemaRegistryError as e:
        print('FAIL python_client.py at step: %s' % current[0], file=sys.stderr)
        print('  server answered HTTP %s, error_code %s: %s'
              % (e.http_status_code, e.error_code, e.error_message), file=sys.stderr)
        traceback.print_exc()
        sys.exit(1)
    except Exception as e:  # noqa: BLE001 - report any failure with its step
        print('FAIL python_client.py at step: %s' % current[0], file=sys.stderr)
        print('  %s: %s' % (type(e).__name__, e), file=sys.stderr)
        traceback.print_exc()
        sys.exit(1)
    print('PASS python_client.py (python3-confluent-kafka %s)' % __import__('confluent_kafka').version()[0])
