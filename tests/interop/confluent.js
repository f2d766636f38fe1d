#!/usr/bin/env node
// Interop test: @confluentinc/schemaregistry (1.10.1, unmodified) against a
// running schemareg server.  Usage: node confluent.js http://127.0.0.1:PORT
// Exits 0 when every step passed; otherwise prints the failing step, the
// error (HTTP status + error_code when the server answered) and exits 1.
//
// Requests this client makes (observed with a logging mock; every request has
// `Content-Type: application/vnd.schemaregistry.v1+json`, `Accept:
// application/json, text/plain, */*` (axios default) and
// `Confluent-Accept-Unknown-Properties: true`):
//   register                 POST /subjects/{s}/versions?normalize=false   {"schemaType":"AVRO","schema":"..."}
//                            (the register response is used as-is: only "id" is read)
//   getBySubjectAndId        GET  /schemas/ids/{id}?subject={s}
//   getLatestSchemaMetadata  GET  /subjects/{s}/versions/latest
//   getSchemaMetadata        GET  /subjects/{s}/versions/{v}?deleted=false
//   getId / getVersion       POST /subjects/{s}?normalize=false   (getVersion adds &deleted=false)
//   getAllVersions           GET  /subjects/{s}/versions            (subject NOT percent-encoded by the client)
//   getAllSubjects           GET  /subjects
//   testSubjectCompatibility POST /compatibility/subjects/{s}/versions/latest
//   testCompatibility        POST /compatibility/subjects/{s}/versions/{v}
//   getDefaultCompatibility  GET  /config                 reads "compatibilityLevel"
//   getConfig/getCompatibility GET /config/{s}            (no defaultToGlobal: 404/40408 when unset)
//   updateConfig             PUT  /config/{s}  {"compatibility":"FULL"}   returns the response body
//   updateCompatibility      PUT  /config/{s}  {"compatibility":"BACKWARD"} reads "compatibility"
//   deleteSubjectVersion     DELETE /subjects/{s}/versions/{v}?permanent=false|true   -> bare int
//   deleteSubject            DELETE /subjects/{s}?permanent=false|true             -> [int]
//   AvroSerializer/AvroDeserializer, once per serialize()/deserialize():
//                            GET /associations/resources/-/{topic}?resourceType=topic&associationType=value
//                            -> must be a 404 (any error_code) so it falls back to TopicNameStrategy;
//                            any other error aborts serialization.
//     useLatestVersion:      GET /subjects/{topic}-value/versions/latest (cached)
//     autoRegisterSchemas:   POST /subjects/{topic}-value/versions?normalize=false with a schema
//                            INFERRED from the message by avsc (record named "Record1").
//     useSchemaId: N:        GET /schemas/ids/N?subject={topic}-value, then
//                            POST /subjects/{topic}-value?normalize=false with the schema text
//                            exactly as the server returned it, and no schemaType when the
//                            server omitted it (lookup must match the stored text).
//     deserialize:           GET /schemas/ids/{id}?subject={topic}-value
//     deserialize with useLatestVersion: also GET /subjects/{topic}-value/versions/latest and
//                            POST /subjects/{topic}-value?normalize=false&deleted=true (writer
//                            schema -> version, to decide on migrations); a failure there aborts
//                            deserialization.
// Subjects are sent through encodeURIComponent ('/' -> %2F, ' ' -> %20), except by
// getAllVersions and updateConfig, which put the subject in the path as-is.
'use strict';

const assert = require('node:assert/strict');
const sr = require('@confluentinc/schemaregistry');
const { SchemaRegistryClient, AvroSerializer, AvroDeserializer, SerdeType, RestError } = sr;

const url = process.argv[2];
if (!url) {
  console.error('usage: node confluent.js <registry-url>');
  process.exit(2);
}

const TOPIC = 'cflt-users';
const SUBJECT = `${TOPIC}-value`;
const AUTO_TOPIC = 'cflt-auto';
const AUTO_SUBJECT = `${AUTO_TOPIC}-value`;

const V1 = {
  type: 'record', name: 'User', namespace: 'com.example.interop',
  fields: [{ name: 'name', type: 'string' }, { name: 'age', type: 'int' }],
};
// BACKWARD- and FORWARD-compatible evolution: new optional field with a default.
const V2 = {
  ...V1,
  fields: [...V1.fields, { name: 'email', type: ['null', 'string'], default: null }],
};
// BACKWARD-incompatible: new field without a default (new reader cannot read old data).
const BAD = {
  ...V1,
  fields: [...V1.fields, { name: 'country', type: 'string' }],
};
const info = (s) => ({ schemaType: 'AVRO', schema: JSON.stringify(s) });
const newClient = () => new SchemaRegistryClient({ baseURLs: [url], maxRetries: 0 });

let current = '(start)';
const log = (msg) => console.log(`ok   ${msg}`);

async function step(name, fn) {
  current = name;
  const r = await fn();
  log(name);
  return r;
}

// Expect fn() to reject with a RestError with the given HTTP status (and error_code when given).
async function expectRestError(name, fn, status, codes) {
  current = name;
  let res;
  try {
    res = await fn();
  } catch (e) {
    if (!(e instanceof RestError)) throw e;
    assert.equal(e.status, status, `${name}: expected HTTP ${status}, got ${e.status} (${e.message})`);
    if (codes) {
      assert.ok(codes.includes(e.errorCode),
        `${name}: expected error_code in ${JSON.stringify(codes)}, got ${e.errorCode} (${e.message})`);
    }
    log(`${name} -> HTTP ${e.status} error_code ${e.errorCode}`);
    return e;
  }
  throw new Error(`${name}: expected HTTP ${status} error, but the call succeeded with ${JSON.stringify(res)}`);
}

function assertSchemaEquals(actualText, expected, what) {
  let parsed;
  try {
    parsed = JSON.parse(actualText);
  } catch (e) {
    throw new Error(`${what}: schema returned by server is not JSON: ${actualText}`);
  }
  assert.deepStrictEqual(parsed, expected, `${what}: schema text differs from what was registered`);
}

async function main() {
  const client = newClient();

  // --- registration and retrieval -------------------------------------------------
  const id1 = await step('register V1', async () => {
    const id = await client.register(SUBJECT, info(V1));
    assert.ok(Number.isInteger(id) && id > 0, `register returned id ${JSON.stringify(id)}`);
    return id;
  });

  await step('re-register V1 (fresh client, no cache) returns the same id', async () => {
    assert.equal(await newClient().register(SUBJECT, info(V1)), id1);
  });

  await step('re-register V1 reformatted (whitespace) returns the same id', async () => {
    assert.equal(await newClient().register(SUBJECT, { schemaType: 'AVRO', schema: JSON.stringify(V1, null, 4) }), id1);
  });

  await step('getBySubjectAndId', async () => {
    const got = await newClient().getBySubjectAndId(SUBJECT, id1);
    assertSchemaEquals(got.schema, V1, 'getBySubjectAndId');
    assert.ok(got.schemaType === undefined || got.schemaType === 'AVRO', `schemaType ${got.schemaType}`);
  });

  await step('getLatestSchemaMetadata (v1)', async () => {
    const md = await newClient().getLatestSchemaMetadata(SUBJECT);
    assert.equal(md.id, id1);
    assert.equal(md.version, 1);
    assert.equal(md.subject, SUBJECT);
    assertSchemaEquals(md.schema, V1, 'getLatestSchemaMetadata');
  });

  await step('getSchemaMetadata(subject, 1)', async () => {
    const md = await newClient().getSchemaMetadata(SUBJECT, 1);
    assert.equal(md.id, id1);
    assert.equal(md.version, 1);
    assert.equal(md.subject, SUBJECT);
  });

  await step('getId (lookup by schema)', async () => {
    assert.equal(await newClient().getId(SUBJECT, info(V1)), id1);
  });

  await step('getIdFullResponse (lookup by schema)', async () => {
    const md = await newClient().getIdFullResponse(SUBJECT, info(V1));
    assert.equal(md.id, id1);
    assert.equal(md.version, 1);
    assert.equal(md.subject, SUBJECT);
  });

  await step('getVersion (lookup by schema)', async () => {
    assert.equal(await newClient().getVersion(SUBJECT, info(V1)), 1);
  });

  await expectRestError('getId of a schema not under the subject -> 404 40403',
    () => newClient().getId(SUBJECT, info(V2)), 404, [40403]);
  await expectRestError('getId under a missing subject -> 404 40401',
    () => newClient().getId('cflt-missing-value', info(V1)), 404, [40401]);
  await expectRestError('getBySubjectAndId of an unknown id -> 404 40403',
    () => newClient().getBySubjectAndId(SUBJECT, 987654), 404, [40403]);

  // --- compatibility ---------------------------------------------------------------
  await step('getDefaultCompatibility is BACKWARD', async () => {
    assert.equal(await client.getDefaultCompatibility(), 'BACKWARD');
  });

  await step('testSubjectCompatibility(compatible V2) is true', async () => {
    assert.equal(await client.testSubjectCompatibility(SUBJECT, info(V2)), true);
  });

  await step('testSubjectCompatibility(breaking) is false', async () => {
    assert.equal(await client.testSubjectCompatibility(SUBJECT, info(BAD)), false);
  });

  await step('testCompatibility(version 1, compatible V2) is true', async () => {
    assert.equal(await client.testCompatibility(SUBJECT, 1, info(V2)), true);
  });

  await step('testCompatibility(version 1, breaking) is false', async () => {
    assert.equal(await client.testCompatibility(SUBJECT, 1, info(BAD)), false);
  });

  await expectRestError('register breaking change under BACKWARD -> 409',
    () => newClient().register(SUBJECT, info(BAD)), 409, [409, 40901]);

  // --- config ------------------------------------------------------------------------
  await expectRestError('getConfig of a subject without config -> 404 40408',
    () => client.getConfig(SUBJECT), 404, [40408]);

  await step('updateConfig(subject, FULL)', async () => {
    const res = await client.updateConfig(SUBJECT, { compatibility: 'FULL' });
    assert.equal(res.compatibility, 'FULL', `PUT /config response ${JSON.stringify(res)}`);
  });

  await step('getConfig(subject) is FULL', async () => {
    const cfg = await client.getConfig(SUBJECT);
    assert.equal(cfg.compatibilityLevel, 'FULL', `GET /config response ${JSON.stringify(cfg)}`);
  });

  await step('getCompatibility(subject) is FULL', async () => {
    assert.equal(await client.getCompatibility(SUBJECT), 'FULL');
  });

  await step('getDefaultCompatibility still BACKWARD', async () => {
    assert.equal(await client.getDefaultCompatibility(), 'BACKWARD');
  });

  await step('updateCompatibility(subject, BACKWARD)', async () => {
    assert.equal(await client.updateCompatibility(SUBJECT, 'BACKWARD'), 'BACKWARD');
    assert.equal(await client.getCompatibility(SUBJECT), 'BACKWARD');
  });

  // --- evolution -----------------------------------------------------------------------
  const id2 = await step('register compatible V2', async () => {
    const id = await client.register(SUBJECT, info(V2));
    assert.ok(Number.isInteger(id) && id > 0 && id !== id1, `V2 id ${id} (V1 id ${id1})`);
    return id;
  });

  await step('getAllVersions is [1,2]', async () => {
    assert.deepStrictEqual(await client.getAllVersions(SUBJECT), [1, 2]);
  });

  await step('getLatestSchemaMetadata (v2)', async () => {
    const md = await newClient().getLatestSchemaMetadata(SUBJECT);
    assert.equal(md.id, id2);
    assert.equal(md.version, 2);
    assertSchemaEquals(md.schema, V2, 'latest after V2');
  });

  // --- serde: useLatestVersion --------------------------------------------------------
  const rec = { name: 'alice', age: 42, email: 'alice@example.com' };
  const bytes = await step('AvroSerializer(useLatestVersion) serialize', async () => {
    const ser = new AvroSerializer(newClient(), SerdeType.VALUE, { useLatestVersion: true });
    const b = await ser.serialize(TOPIC, rec);
    assert.ok(Buffer.isBuffer(b) && b.length > 5, 'serialized bytes');
    assert.equal(b[0], 0, 'magic byte');
    assert.equal(b.readInt32BE(1), id2, 'schema id in the wire header is the latest (V2) id');
    return b;
  });

  await step('AvroDeserializer deserialize (fresh client: fetches schema by id)', async () => {
    const out = await new AvroDeserializer(newClient(), SerdeType.VALUE, {}).deserialize(TOPIC, bytes);
    assert.deepStrictEqual({ ...out }, rec);
  });

  await step('AvroDeserializer(useLatestVersion) deserialize', async () => {
    const out = await new AvroDeserializer(newClient(), SerdeType.VALUE, { useLatestVersion: true })
      .deserialize(TOPIC, bytes);
    assert.deepStrictEqual({ ...out }, rec);
  });

  // Old (V1) data read with the latest (V2) schema: the deserializer looks up the writer
  // schema's version (POST /subjects/{s}?normalize=false&deleted=true) and resolves V1 -> V2.
  const v1rec = { name: 'dave', age: 30 };
  const v1bytes = await step('AvroSerializer(useSchemaId = V1 id) serialize', async () => {
    const ser = new AvroSerializer(newClient(), SerdeType.VALUE, { useSchemaId: id1 });
    const b = await ser.serialize(TOPIC, v1rec);
    assert.equal(b[0], 0, 'magic byte');
    assert.equal(b.readInt32BE(1), id1, 'schema id in the wire header is the V1 id');
    return b;
  });

  await step('AvroDeserializer(useLatestVersion) resolves V1 data to V2', async () => {
    const out = await new AvroDeserializer(newClient(), SerdeType.VALUE, { useLatestVersion: true })
      .deserialize(TOPIC, v1bytes);
    assert.deepStrictEqual({ ...out }, { ...v1rec, email: null });
  });

  // --- serde: autoRegisterSchemas ------------------------------------------------------
  const rec2 = { name: 'bob', age: 7 };
  const autoBytes = await step('AvroSerializer(autoRegisterSchemas) serialize', async () => {
    const ser = new AvroSerializer(newClient(), SerdeType.VALUE, { autoRegisterSchemas: true });
    const b = await ser.serialize(AUTO_TOPIC, rec2);
    assert.equal(b[0], 0, 'magic byte');
    return b;
  });

  await step('auto-registered schema is the latest version of the auto subject', async () => {
    const md = await newClient().getLatestSchemaMetadata(AUTO_SUBJECT);
    assert.equal(md.version, 1);
    assert.equal(md.id, autoBytes.readInt32BE(1), 'wire id equals the registered id');
    const parsed = JSON.parse(md.schema);
    assert.equal(parsed.type, 'record');
    assert.deepStrictEqual(parsed.fields.map((f) => f.name), ['name', 'age']);
  });

  await step('auto-registered: deserialize', async () => {
    const out = await new AvroDeserializer(newClient(), SerdeType.VALUE, {}).deserialize(AUTO_TOPIC, autoBytes);
    assert.deepStrictEqual({ ...out }, rec2);
  });

  await step('auto-register again is idempotent (same id)', async () => {
    const ser = new AvroSerializer(newClient(), SerdeType.VALUE, { autoRegisterSchemas: true });
    const b = await ser.serialize(AUTO_TOPIC, { name: 'carol', age: 9 });
    assert.equal(b.readInt32BE(1), autoBytes.readInt32BE(1));
    assert.deepStrictEqual(await newClient().getAllVersions(AUTO_SUBJECT), [1]);
  });

  await step('getAllSubjects lists both subjects', async () => {
    const subs = await client.getAllSubjects();
    assert.ok(Array.isArray(subs), `subjects ${JSON.stringify(subs)}`);
    assert.ok(subs.includes(SUBJECT) && subs.includes(AUTO_SUBJECT), `subjects ${JSON.stringify(subs)}`);
  });

  // Subject names are percent-encoded by the client (encodeURIComponent): '/' arrives as %2F.
  const SLASH_SUBJECT = 'team/orders value';
  await step('subject with "/" and " " (sent as %2F and %20): register, latest, lookup, delete', async () => {
    const c = newClient();
    assert.equal(await c.register(SLASH_SUBJECT, info(V1)), id1);
    const md = await newClient().getLatestSchemaMetadata(SLASH_SUBJECT);
    assert.equal(md.subject, SLASH_SUBJECT);
    assert.equal(md.id, id1);
    assert.equal(await newClient().getId(SLASH_SUBJECT, info(V1)), id1);
    assert.ok((await c.getAllSubjects()).includes(SLASH_SUBJECT), 'listed by GET /subjects');
    assert.deepStrictEqual(await c.deleteSubject(SLASH_SUBJECT), [1]);
    assert.deepStrictEqual(await c.deleteSubject(SLASH_SUBJECT, true), [1]);
  });

  // --- deletes ---------------------------------------------------------------------------
  await step('deleteSubjectVersion(subject, 2) soft', async () => {
    assert.equal(await client.deleteSubjectVersion(SUBJECT, 2), 2);
    assert.deepStrictEqual(await client.getAllVersions(SUBJECT), [1]);
    const md = await newClient().getLatestSchemaMetadata(SUBJECT);
    assert.equal(md.version, 1, 'latest after soft-deleting v2');
  });

  await step('getSchemaMetadata(subject, 2, deleted=true) still visible', async () => {
    const md = await newClient().getSchemaMetadata(SUBJECT, 2, true);
    assert.equal(md.id, id2);
    assert.equal(md.version, 2);
  });

  await expectRestError('getSchemaMetadata(subject, 2) after soft delete -> 404 40402',
    () => newClient().getSchemaMetadata(SUBJECT, 2), 404, [40402]);

  await step('deleteSubjectVersion(subject, 2, permanent)', async () => {
    assert.equal(await client.deleteSubjectVersion(SUBJECT, 2, true), 2);
  });

  await expectRestError('getSchemaMetadata(subject, 2, deleted=true) after permanent delete -> 404 40402',
    () => newClient().getSchemaMetadata(SUBJECT, 2, true), 404, [40402]);

  await step('deleteSubject(auto subject) soft', async () => {
    assert.deepStrictEqual(await client.deleteSubject(AUTO_SUBJECT), [1]);
    const subs = await client.getAllSubjects();
    assert.ok(!subs.includes(AUTO_SUBJECT) && subs.includes(SUBJECT), `subjects ${JSON.stringify(subs)}`);
  });

  await step('deleteSubject(auto subject) permanent', async () => {
    assert.deepStrictEqual(await client.deleteSubject(AUTO_SUBJECT, true), [1]);
  });

  await step('deleteSubject(subject) soft, then permanent', async () => {
    assert.deepStrictEqual(await client.deleteSubject(SUBJECT), [1]);
    assert.deepStrictEqual(await client.deleteSubject(SUBJECT, true), [1]);
  });

  await step('getAllSubjects no longer lists the deleted subjects', async () => {
    const subs = await client.getAllSubjects();
    assert.ok(!subs.includes(SUBJECT) && !subs.includes(AUTO_SUBJECT), `subjects ${JSON.stringify(subs)}`);
  });

  await expectRestError('getAllVersions of the deleted subject -> 404 40401',
    () => client.getAllVersions(SUBJECT), 404, [40401]);
}

main().then(
  () => {
    console.log('PASS confluent.js (@confluentinc/schemaregistry)');
    process.exit(0);
  },
  (e) => {
    console.error(`FAIL confluent.js at step: ${current}`);
    if (e instanceof RestError) {
      console.error(`  server answered HTTP ${e.status}, error_code ${e.errorCode}: ${e.message}`);
    } else if (e && e.isAxiosError) {
      console.error(`  transport error: ${e.code || ''} ${e.message}`);
      if (e.config) console.error(`  request: ${String(e.config.method).toUpperCase()} ${e.config.url}`);
    }
    console.error(e && e.stack ? e.stack : e);
    process.exit(1);
  },
);
