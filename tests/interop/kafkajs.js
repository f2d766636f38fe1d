#!/usr/bin/env node
// Interop test: @kafkajs/confluent-schema-registry (4.1.0, unmodified) against a
// running schemareg server.  Usage: node kafkajs.js http://127.0.0.1:PORT
// Exits 0 when every step passed; otherwise prints the failing step, the error
// (HTTP status when the server answered) and exits 1.
//
// Requests this client makes (observed with a logging mock). Every request has
// `Content-Type: application/vnd.schemaregistry.v1+json` (also on GETs), a
// `User-Agent` header and NO `Accept` header; the client parses every response
// body as JSON whatever its Content-Type:
//   register(schema, {subject}):
//     1. GET  /config/{s}            404 (any error_code; 40408 in Confluent) => "first registration";
//                                    200 => its "compatibilityLevel" must equal the requested level
//                                    (default BACKWARD) or the client throws without registering;
//                                    any other error => register() throws.
//     2. POST /subjects/{s}/versions {"schema":"..."}   (no schemaType for AVRO; "references" omitted)
//                                    only "id" is read from the response.
//     3. PUT  /config/{s}            {"compatibility":"BACKWARD"}  only on a first registration;
//                                    must succeed or register() throws (the version stays registered).
//   register(schema) without subject: subject = "<namespace>.<name>" of the Avro record.
//   getSchema / decode (cache miss):  GET  /schemas/ids/{id}     (reads "schema", optional "schemaType")
//   getLatestSchemaId:                GET  /subjects/{s}/versions/latest   (reads "id")
//   getRegistryId(s, v):              GET  /subjects/{s}/versions/{v}      (reads "id")
//   getRegistryIdBySchema:            POST /subjects/{s}  {"schema":"..."} (reads "id")
//   encode(id, payload):              GET  /schemas/ids/{id} on a cache miss, then local avsc encoding.
// With retry: {retries: 0} a failed request is not retried.
// Path parameters (subjects) are encoded with encodeURIComponent ('/' -> %2F).
// Note: 4.1.0 declares engines.node >= 22; it works on the machine's node 20 (npm only warns).
'use strict';

const assert = require('node:assert/strict');
const { SchemaRegistry, SchemaType } = require('@kafkajs/confluent-schema-registry');

const url = process.argv[2];
if (!url) {
  console.error('usage: node kafkajs.js <registry-url>');
  process.exit(2);
}

const SUBJECT = 'kjs-users-value';
const V1 = {
  type: 'record', name: 'User', namespace: 'com.example.kjs',
  fields: [{ name: 'name', type: 'string' }, { name: 'age', type: 'int' }],
};
const V2 = {
  ...V1,
  fields: [...V1.fields, { name: 'email', type: ['null', 'string'], default: null }],
};
const BAD = {
  ...V1,
  fields: [...V1.fields, { name: 'country', type: 'string' }],
};
const ORDER = {
  type: 'record', name: 'Order', namespace: 'com.example.kjs',
  fields: [{ name: 'id', type: 'long' }, { name: 'amount', type: 'double' }],
};
const avro = (s) => ({ type: SchemaType.AVRO, schema: JSON.stringify(s) });
const newRegistry = () => new SchemaRegistry({ host: url, retry: { retries: 0 } });

let current = '(start)';
const log = (msg) => console.log(`ok   ${msg}`);

async function step(name, fn) {
  current = name;
  const r = await fn();
  log(name);
  return r;
}

function fieldNames(avscType) {
  return avscType.fields.map((f) => f.name);
}

async function main() {
  const registry = newRegistry();

  const id1 = await step('register V1 (first registration: GET config 404, POST, PUT config)', async () => {
    const res = await registry.register(avro(V1), { subject: SUBJECT });
    assert.ok(res && Number.isInteger(res.id) && res.id > 0, `register returned ${JSON.stringify(res)}`);
    return res.id;
  });

  await step('register V1 again (fresh client: GET config 200 BACKWARD, POST) returns same id', async () => {
    const res = await newRegistry().register(avro(V1), { subject: SUBJECT });
    assert.equal(res.id, id1);
  });

  await step('getSchema(id) (fresh client: GET /schemas/ids/{id})', async () => {
    const type = await newRegistry().getSchema(id1);
    assert.equal(type.name, 'com.example.kjs.User');
    assert.deepStrictEqual(fieldNames(type), ['name', 'age']);
  });

  await step('getLatestSchemaId', async () => {
    assert.equal(await newRegistry().getLatestSchemaId(SUBJECT), id1);
  });

  await step('getRegistryId(subject, 1) and (subject, "latest")', async () => {
    const r = newRegistry();
    assert.equal(await r.getRegistryId(SUBJECT, 1), id1);
    assert.equal(await r.getRegistryId(SUBJECT, 'latest'), id1);
  });

  await step('getRegistryIdBySchema (lookup)', async () => {
    assert.equal(await newRegistry().getRegistryIdBySchema(SUBJECT, avro(V1)), id1);
  });

  await step('getRegistryIdBySchema of an unregistered schema rejects with 404', async () => {
    let err = null;
    try {
      await newRegistry().getRegistryIdBySchema(SUBJECT, avro(V2));
    } catch (e) {
      err = e;
    }
    assert.ok(err, 'lookup of a schema that was never registered should fail');
    // The client converts an HTTP 404 (and only a 404) into ConfluentSchemaRegistryError;
    // any other status is rethrown as ResponseError with .status.
    assert.equal(err.name, 'ConfluentSchemaRegistryError',
      `expected HTTP 404 -> ConfluentSchemaRegistryError, got ${err.name} (status ${err.status}): ${err.message}`);
  });

  const rec1 = { name: 'alice', age: 42 };
  const buf1 = await step('encode(id1) (fresh client: fetches the schema by id)', async () => {
    const b = await newRegistry().encode(id1, rec1);
    assert.equal(b[0], 0, 'magic byte');
    assert.equal(b.readInt32BE(1), id1, 'schema id in the wire header');
    return b;
  });

  await step('decode (fresh client: fetches the schema by id)', async () => {
    assert.deepStrictEqual({ ...(await newRegistry().decode(buf1)) }, rec1);
  });

  await step('breaking change under BACKWARD: register throws with HTTP 409', async () => {
    let err = null;
    try {
      await newRegistry().register(avro(BAD), { subject: SUBJECT });
    } catch (e) {
      err = e;
    }
    assert.ok(err, 'register of an incompatible schema must throw');
    assert.equal(err.status, 409, `expected HTTP 409, got ${err.status}: ${err.name}: ${err.message}`);
  });

  await step('versions unchanged after the rejected registration (latest is still V1)', async () => {
    assert.equal(await newRegistry().getLatestSchemaId(SUBJECT), id1);
  });

  const id2 = await step('compatible evolution: register V2', async () => {
    const res = await newRegistry().register(avro(V2), { subject: SUBJECT });
    assert.ok(Number.isInteger(res.id) && res.id > 0 && res.id !== id1, `V2 id ${res.id} (V1 id ${id1})`);
    return res.id;
  });

  await step('getLatestSchemaId is V2; getRegistryId(subject, 2) is V2', async () => {
    const r = newRegistry();
    assert.equal(await r.getLatestSchemaId(SUBJECT), id2);
    assert.equal(await r.getRegistryId(SUBJECT, 2), id2);
    assert.equal(await r.getRegistryId(SUBJECT, 1), id1);
  });

  const rec2 = { name: 'bob', age: 7, email: 'bob@example.com' };
  await step('encode(id2)/decode round trip', async () => {
    const b = await newRegistry().encode(id2, rec2);
    assert.equal(b.readInt32BE(1), id2);
    assert.deepStrictEqual({ ...(await newRegistry().decode(b)) }, rec2);
  });

  await step('decode V1 data with the V2 reader schema', async () => {
    const out = await newRegistry().decode(buf1, { [SchemaType.AVRO]: { readerSchema: V2 } });
    assert.deepStrictEqual({ ...out }, { ...rec1, email: null });
  });

  await step('register with a different expected compatibility is refused (server reports BACKWARD)', async () => {
    let err = null;
    try {
      await newRegistry().register(avro(V2), { subject: SUBJECT, compatibility: 'FULL' });
    } catch (e) {
      err = e;
    }
    assert.ok(err, 'expected a compatibility mismatch error');
    assert.equal(err.name, 'ConfluentSchemaRegistryCompatibilityError', `${err.name}: ${err.message}`);
    assert.match(err.message, /FULL != BACKWARD/);
  });

  await step('subject with "/" and " " (path params encoded with encodeURIComponent)', async () => {
    const subj = 'team/kjs orders';
    const res = await newRegistry().register(avro(V1), { subject: subj });
    assert.equal(res.id, id1);
    const r = newRegistry();
    assert.equal(await r.getLatestSchemaId(subj), id1);
    assert.equal(await r.getRegistryId(subj, 1), id1);
    assert.equal(await r.getRegistryIdBySchema(subj, avro(V1)), id1);
  });

  const orderId = await step('register without subject (subject = record full name)', async () => {
    const res = await newRegistry().register(avro(ORDER));
    assert.ok(Number.isInteger(res.id) && res.id > 0);
    assert.equal(await newRegistry().getLatestSchemaId('com.example.kjs.Order'), res.id);
    return res.id;
  });

  await step('encode/decode with long and double fields', async () => {
    const rec = { id: 1234567890123, amount: 12.5 };
    const b = await newRegistry().encode(orderId, rec);
    assert.deepStrictEqual({ ...(await newRegistry().decode(b)) }, rec);
  });
}

main().then(
  () => {
    console.log('PASS kafkajs.js (@kafkajs/confluent-schema-registry)');
    process.exit(0);
  },
  (e) => {
    console.error(`FAIL kafkajs.js at step: ${current}`);
    if (e && e.status !== undefined) {
      console.error(`  server answered HTTP ${e.status} to ${e.url || '?'}: ${e.message}`);
    }
    console.error(e && e.stack ? e.stack : e);
    process.exit(1);
  },
);
