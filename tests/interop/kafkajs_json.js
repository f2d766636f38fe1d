#!/usr/bin/env node
// Interop test: the JSON Schema workflows of @kafkajs/confluent-schema-registry (4.1.0,
// unmodified) with SchemaType.JSON against a running schemareg server.
// Usage: node kafkajs_json.js http://127.0.0.1:PORT
// Exits 0 when every step passed; otherwise prints the failing step, the error
// (HTTP status when the server answered) and exits 1.
//
// Requests this client makes (observed through a logging proxy). Every request has
// `Content-Type: application/vnd.schemaregistry.v1+json` (also on GETs), `User-Agent:
// @kafkajs/confluent-schema-registry` and NO `Accept` header; the client parses every
// response body as JSON whatever its Content-Type. Path parameters go through
// encodeURIComponent.
//   register({type: JSON, schema, references}, {subject}):
//     0. for each reference (transitively, before anything else):
//        GET /subjects/{ref.subject}/versions/{ref.version}?name={encoded ref.name}
//        (the reference's "name" leaks into the query string; the server must ignore it),
//        to compile the schema locally with ajv (referenced schemas are added by their $id)
//     1. GET  /config/{s}            404 => first registration; 200 => "compatibilityLevel" must
//                                    equal the requested level (default BACKWARD)
//     2. POST /subjects/{s}/versions {"schemaType":"JSON","schema":"...","references":[...]}
//                                    ("references" omitted when none); only "id" is read
//     3. PUT  /config/{s}            {"compatibility":"BACKWARD"}  on a first registration
//   getSchema / encode / decode (cache miss): GET /schemas/ids/{id}, reads "schema",
//                                    "schemaType" (must be "JSON": absent means Avro) and
//                                    "references", then step 0 for each reference.
//   getLatestSchemaId:               GET  /subjects/{s}/versions/latest    (reads "id")
//   getRegistryId(s, v):             GET  /subjects/{s}/versions/{v}       (reads "id")
//   getRegistryIdBySchema:           POST /subjects/{s} {"schemaType":"JSON","schema":"..."}
//                                    (a 404 becomes ConfluentSchemaRegistryError)
//   encode(id, doc):                 validates with ajv (draft-07), then 0x00, int32 id, JSON text;
//                                    an invalid document throws ConfluentSchemaRegistryValidationError
//   decode(bytes):                   JSON.parse, then validates the same way.
// With retry: {retries: 0} a failed request is not retried.
'use strict';

const assert = require('node:assert/strict');
const { SchemaRegistry, SchemaType } = require('@kafkajs/confluent-schema-registry');

const url = process.argv[2];
if (!url) {
  console.error('usage: node kafkajs_json.js <registry-url>');
  process.exit(2);
}

const DRAFT7 = 'http://json-schema.org/draft-07/schema#';

// Closed content model (additionalProperties:false).
const SUBJECT = 'kjs-json-users-value';
const V1 = {
  $schema: DRAFT7,
  title: 'User',
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1 },
    age: { type: 'integer', minimum: 0 },
  },
  required: ['name', 'age'],
  additionalProperties: false,
};
// compat.md §4.8 J6: closed model + optional property, BACKWARD-compatible.
const V2 = { ...V1, properties: { ...V1.properties, email: { type: 'string' } } };
// J17: a property's type changes across kinds (integer -> string): TYPE_CHANGED.
const BAD_TYPE = { ...V1, properties: { ...V1.properties, age: { type: 'string' } } };
// J7: closed model + required property without default: REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL.
const BAD_REQUIRED = {
  ...V1,
  properties: { ...V1.properties, country: { type: 'string' } },
  required: [...V1.required, 'country'],
};

// Open content model: adding an optional typed property is NOT backward-compatible under
// the default STRICT policy (J1).
const OPEN_SUBJECT = 'kjs-json-open-value';
const OPEN_V1 = { $schema: DRAFT7, type: 'object', properties: { name: { type: 'string' } } };
const OPEN_ADD = { ...OPEN_V1, properties: { ...OPEN_V1.properties, nickname: { type: 'string' } } };

// A schema in another subject, referenced through "references" (name = the $ref URI, which
// is also the referenced schema's $id: this client adds referenced schemas to ajv by $id).
const ADDRESS_SUBJECT = 'kjs-json-address';
const ADDRESS_URL = 'https://example.com/schemas/kjs-address.json';
const ADDRESS = {
  $schema: DRAFT7,
  $id: ADDRESS_URL,
  title: 'Address',
  type: 'object',
  properties: {
    street: { type: 'string' },
    zip: { type: 'string', pattern: '^[0-9]{5}$' },
  },
  required: ['street', 'zip'],
  additionalProperties: false,
};
const ORDER_SUBJECT = 'kjs-json-orders-value';
const ORDER = {
  $schema: DRAFT7,
  title: 'Order',
  type: 'object',
  properties: {
    id: { type: 'integer' },
    shipTo: { $ref: ADDRESS_URL },
  },
  required: ['id', 'shipTo'],
  additionalProperties: false,
};

const json = (s, references) => (references
  ? { type: SchemaType.JSON, schema: JSON.stringify(s), references }
  : { type: SchemaType.JSON, schema: JSON.stringify(s) });
const newRegistry = () => new SchemaRegistry({ host: url, retry: { retries: 0 } });

let current = '(start)';
const log = (msg) => console.log(`ok   ${msg}`);

async function step(name, fn) {
  current = name;
  const r = await fn();
  log(name);
  return r;
}

// fn must throw; returns the error.
async function expectThrow(name, fn, check) {
  current = name;
  let err = null;
  let res;
  try {
    res = await fn();
  } catch (e) {
    err = e;
  }
  assert.ok(err, `${name}: expected an error, but the call succeeded with ${JSON.stringify(res)}`);
  check(err);
  log(`${name} -> ${err.name}${err.status !== undefined ? ` HTTP ${err.status}` : ''}`);
  return err;
}

// A 409 from POST /subjects/{s}/versions surfaces as ResponseError with .status 409.
// messageRes: regexps the message must match (the Confluent difference type and the JSON
// pointer of the change, compat.md §4.9).
const expect409 = (name, fn, messageRes = []) => expectThrow(name, fn, (err) => {
  assert.equal(err.status, 409, `${name}: expected HTTP 409, got ${err.status}: ${err.name}: ${err.message}`);
  for (const re of messageRes) assert.match(err.message, re, `${name}: message`);
});

// Local JSON validation failures surface as ConfluentSchemaRegistryValidationError with the
// failing instance paths.
const expectInvalid = (name, fn, path) => expectThrow(name, fn, (err) => {
  assert.equal(err.name, 'ConfluentSchemaRegistryValidationError',
    `${name}: expected ConfluentSchemaRegistryValidationError, got ${err.name} (status ${err.status}): ${err.message}`);
  if (path !== undefined) {
    assert.ok(JSON.stringify(err.paths).includes(JSON.stringify(path)),
      `${name}: expected a failure at ${path}, got paths ${JSON.stringify(err.paths)}`);
  }
});

// A framed message written by hand: magic byte 0, big-endian schema id, JSON text.
function frame(id, doc) {
  const head = Buffer.alloc(5);
  head.writeInt32BE(id, 1);
  return Buffer.concat([head, Buffer.from(JSON.stringify(doc), 'utf8')]);
}

function assertWire(bytes, id, doc, what) {
  assert.ok(Buffer.isBuffer(bytes) && bytes.length > 5, `${what}: encoded bytes`);
  assert.equal(bytes[0], 0, `${what}: magic byte`);
  assert.equal(bytes.readInt32BE(1), id, `${what}: schema id in the wire header`);
  assert.deepStrictEqual(JSON.parse(bytes.subarray(5).toString('utf8')), doc, `${what}: payload is the document as JSON`);
}

async function main() {
  const registry = newRegistry();

  const id1 = await step('register V1 (first registration: GET config 404, POST with schemaType JSON, PUT config)', async () => {
    const res = await registry.register(json(V1), { subject: SUBJECT });
    assert.ok(res && Number.isInteger(res.id) && res.id > 0, `register returned ${JSON.stringify(res)}`);
    return res.id;
  });

  await step('register V1 again (fresh client: GET config 200 BACKWARD, POST) returns the same id', async () => {
    const res = await newRegistry().register(json(V1), { subject: SUBJECT });
    assert.equal(res.id, id1);
  });

  await step('getSchema(id) (fresh client: GET /schemas/ids/{id}, schemaType JSON) validates documents', async () => {
    const schema = await newRegistry().getSchema(id1);
    assert.equal(typeof schema.validate, 'function',
      `getSchema returned a ${schema && schema.constructor && schema.constructor.name}, not a JSON schema `
      + '(the server must answer schemaType "JSON", or the client falls back to Avro)');
    assert.equal(schema.validate({ name: 'alice', age: 42 }), true, 'valid document');
    assert.equal(schema.validate({ name: 'alice', age: -1 }), false, 'age below minimum');
    assert.equal(schema.validate({ name: 'alice', age: 1, x: 1 }), false, 'extra property in a closed model');
  });

  await step('getLatestSchemaId; getRegistryId(subject, 1) and (subject, "latest")', async () => {
    const r = newRegistry();
    assert.equal(await r.getLatestSchemaId(SUBJECT), id1);
    assert.equal(await r.getRegistryId(SUBJECT, 1), id1);
    assert.equal(await r.getRegistryId(SUBJECT, 'latest'), id1);
  });

  await step('getRegistryIdBySchema (lookup, schemaType JSON)', async () => {
    assert.equal(await newRegistry().getRegistryIdBySchema(SUBJECT, json(V1)), id1);
  });

  await step('getRegistryIdBySchema of V1 reformatted (whitespace) finds it', async () => {
    assert.equal(await newRegistry().getRegistryIdBySchema(SUBJECT,
      { type: SchemaType.JSON, schema: JSON.stringify(V1, null, 2) }), id1);
  });

  await expectThrow('getRegistryIdBySchema of an unregistered JSON schema rejects with 404',
    () => newRegistry().getRegistryIdBySchema(SUBJECT, json(V2)), (err) => {
      // The client converts an HTTP 404 (and only a 404) into ConfluentSchemaRegistryError.
      assert.equal(err.name, 'ConfluentSchemaRegistryError',
        `expected HTTP 404 -> ConfluentSchemaRegistryError, got ${err.name} (status ${err.status}): ${err.message}`);
    });

  const doc1 = { name: 'alice', age: 42 };
  const buf1 = await step('encode(id1) (fresh client: fetches the schema by id, validates, writes JSON)', async () => {
    const b = await newRegistry().encode(id1, doc1);
    assertWire(b, id1, doc1, 'encode');
    return b;
  });

  await step('decode (fresh client: fetches the schema by id, validates)', async () => {
    assert.deepStrictEqual(await newRegistry().decode(buf1), doc1);
  });

  await expectInvalid('encode of a document with a wrong type (age "x") is rejected',
    () => newRegistry().encode(id1, { name: 'alice', age: 'x' }), ['/age']);
  await expectInvalid('encode of a document missing a required property is rejected',
    () => newRegistry().encode(id1, { age: 3 }));
  await expectInvalid('decode of a framed document that breaks the schema is rejected',
    () => newRegistry().decode(frame(id1, { name: '', age: 5 })), ['/name']);

  await expect409('breaking change (property type integer -> string): register throws HTTP 409',
    () => newRegistry().register(json(BAD_TYPE), { subject: SUBJECT }), [/TYPE_CHANGED/, /#\/properties\/age/]);

  await expect409('breaking change (closed model + required property without default): HTTP 409',
    () => newRegistry().register(json(BAD_REQUIRED), { subject: SUBJECT }),
    [/REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL/, /#\/properties\/country/]);

  await step('versions unchanged after the rejected registrations (latest is still V1)', async () => {
    assert.equal(await newRegistry().getLatestSchemaId(SUBJECT), id1);
  });

  const id2 = await step('compatible evolution (closed model + optional property): register V2', async () => {
    const res = await newRegistry().register(json(V2), { subject: SUBJECT });
    assert.ok(Number.isInteger(res.id) && res.id > 0 && res.id !== id1, `V2 id ${res.id} (V1 id ${id1})`);
    return res.id;
  });

  await step('getLatestSchemaId is V2; getRegistryId(subject, 1|2)', async () => {
    const r = newRegistry();
    assert.equal(await r.getLatestSchemaId(SUBJECT), id2);
    assert.equal(await r.getRegistryId(SUBJECT, 2), id2);
    assert.equal(await r.getRegistryId(SUBJECT, 1), id1);
  });

  const doc2 = { name: 'bob', age: 7, email: 'bob@example.com' };
  await step('encode(id2)/decode round trip with the new property', async () => {
    const b = await newRegistry().encode(id2, doc2);
    assertWire(b, id2, doc2, 'encode V2');
    assert.deepStrictEqual(await newRegistry().decode(b), doc2);
  });

  await step('V1 data still decodes (fresh client)', async () => {
    assert.deepStrictEqual(await newRegistry().decode(buf1), doc1);
  });

  await expectInvalid('encode(id1) of a V2 document is rejected (V1 is closed)',
    () => newRegistry().encode(id1, doc2));

  // --- open content model under STRICT --------------------------------------------------------
  await step('register the open-model schema', async () => {
    const res = await newRegistry().register(json(OPEN_V1), { subject: OPEN_SUBJECT });
    assert.ok(Number.isInteger(res.id) && res.id > 0);
  });

  await expect409('open model + optional typed property: register throws HTTP 409 (STRICT)',
    () => newRegistry().register(json(OPEN_ADD), { subject: OPEN_SUBJECT }),
    [/OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL/, /#\/properties\/nickname/]);

  // --- references ------------------------------------------------------------------------------
  const addrId = await step('register the referenced Address schema', async () => {
    const res = await newRegistry().register(json(ADDRESS), { subject: ADDRESS_SUBJECT });
    assert.ok(Number.isInteger(res.id) && res.id > 0);
    return res.id;
  });

  const refs = [{ name: ADDRESS_URL, subject: ADDRESS_SUBJECT, version: 1 }];
  const orderId = await step('register Order with references (client fetches the referenced version first)', async () => {
    const res = await newRegistry().register(json(ORDER, refs), { subject: ORDER_SUBJECT });
    assert.ok(Number.isInteger(res.id) && res.id > 0 && res.id !== addrId, `Order id ${res.id} (Address id ${addrId})`);
    return res.id;
  });

  await step('register Order with references again returns the same id', async () => {
    const res = await newRegistry().register(json(ORDER, refs), { subject: ORDER_SUBJECT });
    assert.equal(res.id, orderId);
  });

  const order = { id: 1001, shipTo: { street: '1 Main St', zip: '12345' } };
  const orderBuf = await step('encode(Order id) (fresh client: GET /schemas/ids/{id} with references, then the referenced version)', async () => {
    const b = await newRegistry().encode(orderId, order);
    assertWire(b, orderId, order, 'encode Order');
    return b;
  });

  await step('decode Order (fresh client)', async () => {
    assert.deepStrictEqual(await newRegistry().decode(orderBuf), order);
  });

  await expectInvalid('encode of an Order whose referenced Address is invalid (zip) is rejected',
    () => newRegistry().encode(orderId, { id: 1002, shipTo: { street: '1 Main St', zip: 'ABCDE' } }), ['/shipTo/zip']);
}

main().then(
  () => {
    console.log('PASS kafkajs_json.js (@kafkajs/confluent-schema-registry, JSON Schema)');
    process.exit(0);
  },
  (e) => {
    console.error(`FAIL kafkajs_json.js at step: ${current}`);
    if (e && e.status !== undefined) {
      console.error(`  server answered HTTP ${e.status} to ${e.url || '?'}: ${e.message}`);
    }
    console.error(e && e.stack ? e.stack : e);
    process.exit(1);
  },
);
