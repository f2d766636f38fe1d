#!/usr/bin/env node
// Interop test: the JSON Schema workflows of @confluentinc/schemaregistry (1.10.1,
// unmodified): its client API with schemaType "JSON", and its JsonSerializer /
// JsonDeserializer, against a running schemareg server.
// Usage: node confluent_json.js http://127.0.0.1:PORT
// Exits 0 when every step passed; otherwise prints the failing step, the error
// (HTTP status + error_code when the server answered) and exits 1.
//
// Requests this client makes (observed through a logging proxy; every request has
// `Content-Type: application/vnd.schemaregistry.v1+json`, `Accept: application/json,
// text/plain, */*` (axios default), `Confluent-Accept-Unknown-Properties: true` and
// `Confluent-Client-Version: javascript/1.10.1`; subjects go through encodeURIComponent
// except in getAllVersions and updateConfig):
//   register(s, info)        POST /subjects/{s}/versions?normalize=false
//                                 {"schemaType":"JSON","schema":"..."[,"references":[{name,subject,version}]]}
//                                 (the object as given; only "id" is read from the answer)
//   getBySubjectAndId        GET  /schemas/ids/{id}?subject={s}    reads schema, schemaType, references
//   getLatestSchemaMetadata  GET  /subjects/{s}/versions/latest
//   getSchemaMetadata        GET  /subjects/{s}/versions/{v}?deleted=false
//   getId / getIdFullResponse POST /subjects/{s}?normalize=false   (getVersion adds &deleted=false)
//   getAllVersions           GET  /subjects/{s}/versions
//   getAllSubjects           GET  /subjects
//   getDefaultCompatibility  GET  /config
//   testSubjectCompatibility POST /compatibility/subjects/{s}/versions/latest   reads "is_compatible"
//   testCompatibility        POST /compatibility/subjects/{s}/versions/{v}
//   updateConfig             PUT  /config/{s}  {"compatibilityPolicy":"LENIENT"}   returns the body
//   deleteSubject            DELETE /subjects/{s}?permanent=false|true
//   JsonSerializer.serialize(topic, doc), every call:
//     GET /associations/resources/-/{topic}?resourceType=topic&associationType=value, twice
//         -> must be a 404 so it falls back to TopicNameStrategy ({topic}-value)
//     useLatestVersion:    GET  /subjects/{topic}-value/versions/latest
//     autoRegisterSchemas: POST /subjects/{topic}-value/versions?normalize=false with a schema
//                          INFERRED from the document (e.g. {"type":"object","properties":
//                          {"name":{"type":"string"},"age":{"type":"integer"}}}, no $schema:
//                          an open content model)
//     useSchemaId: N:      GET  /schemas/ids/N?subject={topic}-value, then
//                          POST /subjects/{topic}-value?normalize=false with the text as returned
//     none of these:       POST /subjects/{topic}-value?normalize=false with the inferred schema
//     validate: true:      for each reference of the schema (transitively):
//                          GET /subjects/{ref.subject}/versions/{ref.version}?deleted=true
//                          then ajv (draft-07 via Ajv2019; 2020-12 by $schema) checks the
//                          document locally; the referenced schemas are added under ref.name.
//     wire format: 0x00, int32 id, the document as JSON text.
//   JsonDeserializer.deserialize(topic, bytes):
//     GET /associations/resources/-/{topic}?...   (404 expected, as above)
//     GET /schemas/ids/{id}?subject={topic}-value
//     useLatestVersion:    GET  /subjects/{topic}-value/versions/latest and
//                          POST /subjects/{topic}-value?normalize=false&deleted=true (the writer
//                          schema's version, to decide on migration rules; none here)
//     validate: true:      the reference fetches above, then ajv on the decoded document.
'use strict';

const assert = require('node:assert/strict');
const sr = require('@confluentinc/schemaregistry');

const { SchemaRegistryClient, JsonSerializer, JsonDeserializer, SerdeType, RestError, SerializationError } = sr;

const url = process.argv[2];
if (!url) {
  console.error('usage: node confluent_json.js <registry-url>');
  process.exit(2);
}

const DRAFT7 = 'http://json-schema.org/draft-07/schema#';

// --- schemas -------------------------------------------------------------------------------
// Closed content model (additionalProperties:false).
const TOPIC = 'cjson-users';
const SUBJECT = `${TOPIC}-value`;
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
// compat.md §4.8 J6: closed model + optional property = OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL,
// BACKWARD-compatible.
const V2 = { ...V1, properties: { ...V1.properties, email: { type: 'string' } } };
// J17: a property's type changes across kinds (integer -> string) = TYPE_CHANGED, never compatible.
const BAD = { ...V1, properties: { ...V1.properties, age: { type: 'string' } } };

// Open content model (no additionalProperties).
const OPEN_SUBJECT = 'cjson-open-value';
const OPEN_V1 = {
  $schema: DRAFT7,
  type: 'object',
  properties: { name: { type: 'string' }, city: { type: 'string' } },
};
// J1: open model + optional typed property = OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL:
// NOT backward-compatible under STRICT (the default policy), compatible under LENIENT.
const OPEN_ADD = { ...OPEN_V1, properties: { ...OPEN_V1.properties, nickname: { type: 'string' } } };
// J5: open model, a property removed = PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL, compatible.
const OPEN_REMOVE = { ...OPEN_V1, properties: { name: { type: 'string' } } };

// A schema in another subject, referenced through "references" (name = the $ref URI).
const ADDRESS_SUBJECT = 'cjson-address';
const ADDRESS_URL = 'https://example.com/schemas/address.json';
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
const ORDER_TOPIC = 'cjson-orders';
const ORDER_SUBJECT = `${ORDER_TOPIC}-value`;
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

const AUTO_TOPIC = 'cjson-auto';
const AUTO_SUBJECT = `${AUTO_TOPIC}-value`;

const info = (s, references) => (references
  ? { schemaType: 'JSON', schema: JSON.stringify(s), references }
  : { schemaType: 'JSON', schema: JSON.stringify(s) });
const newClient = () => new SchemaRegistryClient({ baseURLs: [url], maxRetries: 0 });

let current = '(start)';
const log = (msg) => console.log(`ok   ${msg}`);

async function step(name, fn) {
  current = name;
  const r = await fn();
  log(name);
  return r;
}

// Runs fn, which must fail with a RestError of the given HTTP status (and error_code in codes).
// messageRes: regexps the error message must match (for a 409: the Confluent difference
// type and the JSON pointer of the change, compat.md §4.9).
async function expectRestError(name, fn, status, codes, messageRes = []) {
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
    for (const re of messageRes) assert.match(e.message, re, `${name}: message`);
    log(`${name} -> HTTP ${e.status} error_code ${e.errorCode}`);
    return e;
  }
  throw new Error(`${name}: expected HTTP ${status} error, but the call succeeded with ${JSON.stringify(res)}`);
}

// Runs fn, which must fail with the serde's SerializationError (a local validation failure,
// not a request that failed).
async function expectInvalid(name, fn) {
  current = name;
  let res;
  try {
    res = await fn();
  } catch (e) {
    if (e instanceof RestError) {
      throw new Error(`${name}: expected a local validation error, but a request failed: HTTP ${e.status} `
        + `error_code ${e.errorCode}: ${e.message}`);
    }
    assert.ok(e instanceof SerializationError, `${name}: expected SerializationError, got ${e && e.name}: ${e && e.message}`);
    assert.match(e.message, /Invalid message/, `${name}: ${e.message}`);
    log(`${name} -> ${e.message.slice(0, 120)}`);
    return e;
  }
  throw new Error(`${name}: expected the document to be rejected, but it passed: ${JSON.stringify(res)}`);
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

function assertWire(bytes, id, doc, what) {
  assert.ok(Buffer.isBuffer(bytes) && bytes.length > 5, `${what}: serialized bytes`);
  assert.equal(bytes[0], 0, `${what}: magic byte`);
  assert.equal(bytes.readInt32BE(1), id, `${what}: schema id in the wire header`);
  assert.deepStrictEqual(JSON.parse(bytes.subarray(5).toString('utf8')), doc, `${what}: payload is the document as JSON`);
}

// A framed message written by hand: magic byte 0, big-endian schema id, JSON text.
function frame(id, doc) {
  const head = Buffer.alloc(5);
  head.writeInt32BE(id, 1);
  return Buffer.concat([head, Buffer.from(JSON.stringify(doc), 'utf8')]);
}

async function main() {
  const client = newClient();

  // --- registration, retrieval and lookup --------------------------------------------------
  const id1 = await step('register V1 (closed model, draft-07)', async () => {
    const id = await client.register(SUBJECT, info(V1));
    assert.ok(Number.isInteger(id) && id > 0, `register returned id ${JSON.stringify(id)}`);
    return id;
  });

  await step('re-register V1 (fresh client, no cache) returns the same id', async () => {
    assert.equal(await newClient().register(SUBJECT, info(V1)), id1);
  });

  await step('re-register V1 reformatted (whitespace) returns the same id', async () => {
    assert.equal(await newClient().register(SUBJECT, { schemaType: 'JSON', schema: JSON.stringify(V1, null, 4) }), id1);
  });

  await step('getBySubjectAndId: schemaType JSON, same schema', async () => {
    const got = await newClient().getBySubjectAndId(SUBJECT, id1);
    assert.equal(got.schemaType, 'JSON', `schemaType ${JSON.stringify(got.schemaType)}`);
    assertSchemaEquals(got.schema, V1, 'getBySubjectAndId');
  });

  await step('getLatestSchemaMetadata (v1)', async () => {
    const md = await newClient().getLatestSchemaMetadata(SUBJECT);
    assert.equal(md.id, id1);
    assert.equal(md.version, 1);
    assert.equal(md.subject, SUBJECT);
    assert.equal(md.schemaType, 'JSON', `schemaType ${JSON.stringify(md.schemaType)}`);
    assertSchemaEquals(md.schema, V1, 'getLatestSchemaMetadata');
  });

  await step('getSchemaMetadata(subject, 1)', async () => {
    const md = await newClient().getSchemaMetadata(SUBJECT, 1);
    assert.equal(md.id, id1);
    assert.equal(md.version, 1);
    assert.equal(md.schemaType, 'JSON');
  });

  await step('getId / getIdFullResponse / getVersion (lookup by schema)', async () => {
    assert.equal(await newClient().getId(SUBJECT, info(V1)), id1);
    const md = await newClient().getIdFullResponse(SUBJECT, info(V1));
    assert.equal(md.id, id1);
    assert.equal(md.version, 1);
    assert.equal(md.subject, SUBJECT);
    assert.equal(await newClient().getVersion(SUBJECT, info(V1)), 1);
  });

  await step('lookup of V1 reformatted (whitespace) finds it', async () => {
    assert.equal(await newClient().getId(SUBJECT, { schemaType: 'JSON', schema: JSON.stringify(V1, null, 2) }), id1);
  });

  await expectRestError('getId of a JSON schema not under the subject -> 404 40403',
    () => newClient().getId(SUBJECT, info(V2)), 404, [40403]);

  // --- serde: useLatestVersion + validate ----------------------------------------------------
  const doc1 = { name: 'alice', age: 42 };
  const bytes1 = await step('JsonSerializer(useLatestVersion, validate) serialize', async () => {
    const ser = new JsonSerializer(newClient(), SerdeType.VALUE, { useLatestVersion: true, validate: true });
    const b = await ser.serialize(TOPIC, doc1);
    assertWire(b, id1, doc1, 'serialize');
    return b;
  });

  await expectInvalid('JsonSerializer(validate) rejects a document with a wrong type (age "x")',
    () => new JsonSerializer(newClient(), SerdeType.VALUE, { useLatestVersion: true, validate: true })
      .serialize(TOPIC, { name: 'alice', age: 'x' }));
  await expectInvalid('JsonSerializer(validate) rejects a document missing a required property',
    () => new JsonSerializer(newClient(), SerdeType.VALUE, { useLatestVersion: true, validate: true })
      .serialize(TOPIC, { name: 'alice' }));
  await expectInvalid('JsonSerializer(validate) rejects an extra property (closed model)',
    () => new JsonSerializer(newClient(), SerdeType.VALUE, { useLatestVersion: true, validate: true })
      .serialize(TOPIC, { name: 'alice', age: 1, email: 'a' }));

  await step('JsonDeserializer(validate) deserialize (fresh client: fetches the schema by id)', async () => {
    const out = await new JsonDeserializer(newClient(), SerdeType.VALUE, { validate: true }).deserialize(TOPIC, bytes1);
    assert.deepStrictEqual(out, doc1);
  });

  await expectInvalid('JsonDeserializer(validate) rejects a framed document that breaks the schema',
    () => new JsonDeserializer(newClient(), SerdeType.VALUE, { validate: true })
      .deserialize(TOPIC, frame(id1, { name: '', age: -1 })));

  // Default config (neither autoRegisterSchemas nor useLatestVersion): the serializer infers
  // a schema from the document and looks it up under the subject; that inferred schema was
  // never registered there.
  await expectRestError('JsonSerializer(default: lookup of the inferred schema) -> 404 40403',
    () => new JsonSerializer(newClient(), SerdeType.VALUE, {}).serialize(TOPIC, doc1), 404, [40403]);

  // --- compatibility (BACKWARD, STRICT policy) -------------------------------------------------
  await step('getDefaultCompatibility is BACKWARD', async () => {
    assert.equal(await client.getDefaultCompatibility(), 'BACKWARD');
  });

  await step('testSubjectCompatibility(closed model + optional property) is true', async () => {
    assert.equal(await client.testSubjectCompatibility(SUBJECT, info(V2)), true);
  });

  await step('testSubjectCompatibility(property type integer -> string) is false', async () => {
    assert.equal(await client.testSubjectCompatibility(SUBJECT, info(BAD)), false);
  });

  await step('testCompatibility(version 1, ...) true for V2, false for the type change', async () => {
    assert.equal(await client.testCompatibility(SUBJECT, 1, info(V2)), true);
    assert.equal(await client.testCompatibility(SUBJECT, 1, info(BAD)), false);
  });

  await expectRestError('register a property type change (integer -> string) -> 409',
    () => newClient().register(SUBJECT, info(BAD)), 409, [409, 40901], [/TYPE_CHANGED/, /#\/properties\/age/]);

  await step('versions unchanged after the rejected registration', async () => {
    assert.deepStrictEqual(await newClient().getAllVersions(SUBJECT), [1]);
  });

  const id2 = await step('register V2 (closed model + optional property)', async () => {
    const id = await client.register(SUBJECT, info(V2));
    assert.ok(Number.isInteger(id) && id > 0 && id !== id1, `V2 id ${id} (V1 id ${id1})`);
    return id;
  });

  await step('getAllVersions is [1,2]; getLatestSchemaMetadata is V2', async () => {
    assert.deepStrictEqual(await client.getAllVersions(SUBJECT), [1, 2]);
    const md = await newClient().getLatestSchemaMetadata(SUBJECT);
    assert.equal(md.id, id2);
    assert.equal(md.version, 2);
    assert.equal(md.schemaType, 'JSON');
    assertSchemaEquals(md.schema, V2, 'latest after V2');
  });

  const doc2 = { name: 'bob', age: 7, email: 'bob@example.com' };
  const bytes2 = await step('JsonSerializer(useLatestVersion, validate) uses V2', async () => {
    const b = await new JsonSerializer(newClient(), SerdeType.VALUE, { useLatestVersion: true, validate: true })
      .serialize(TOPIC, doc2);
    assertWire(b, id2, doc2, 'serialize V2');
    return b;
  });

  await step('JsonDeserializer(useLatestVersion, validate) deserialize V2 data', async () => {
    const out = await new JsonDeserializer(newClient(), SerdeType.VALUE, { useLatestVersion: true, validate: true })
      .deserialize(TOPIC, bytes2);
    assert.deepStrictEqual(out, doc2);
  });

  // useSchemaId: the serializer fetches the schema by id, then looks it up under the subject
  // with the text exactly as the server returned it (POST /subjects/{s}).
  const doc3 = { name: 'carol', age: 30 };
  const bytes3 = await step('JsonSerializer(useSchemaId = V1 id, validate) serialize', async () => {
    const b = await new JsonSerializer(newClient(), SerdeType.VALUE, { useSchemaId: id1, validate: true })
      .serialize(TOPIC, doc3);
    assertWire(b, id1, doc3, 'serialize with useSchemaId');
    return b;
  });

  // The deserializer with useLatestVersion looks up the writer schema's version
  // (POST /subjects/{s}?normalize=false&deleted=true) to decide on migrations (none here).
  await step('JsonDeserializer(useLatestVersion) reads V1 data while V2 is latest', async () => {
    const out = await new JsonDeserializer(newClient(), SerdeType.VALUE, { useLatestVersion: true, validate: true })
      .deserialize(TOPIC, bytes3);
    assert.deepStrictEqual(out, doc3);
  });

  // --- open content model: STRICT vs LENIENT (compat.md §4.1, §4.8 J1/J5) ---------------------
  await step('register the open-model schema', async () => {
    const id = await newClient().register(OPEN_SUBJECT, info(OPEN_V1));
    assert.ok(Number.isInteger(id) && id > 0);
  });

  await step('open model + optional typed property: testSubjectCompatibility false (STRICT)', async () => {
    assert.equal(await client.testSubjectCompatibility(OPEN_SUBJECT, info(OPEN_ADD)), false);
  });

  await expectRestError('open model + optional typed property: register -> 409 (STRICT)',
    () => newClient().register(OPEN_SUBJECT, info(OPEN_ADD)), 409, [409, 40901],
    [/OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL/, /#\/properties\/nickname/]);

  await step('open model, a property removed: testSubjectCompatibility true', async () => {
    assert.equal(await client.testSubjectCompatibility(OPEN_SUBJECT, info(OPEN_REMOVE)), true);
  });

  await step('updateConfig(open subject, {compatibilityPolicy: LENIENT})', async () => {
    const res = await client.updateConfig(OPEN_SUBJECT, { compatibilityPolicy: 'LENIENT' });
    assert.equal(res.compatibilityPolicy, 'LENIENT', `PUT /config response ${JSON.stringify(res)}`);
  });

  await step('open model + optional typed property under LENIENT: compatible, registers as version 2', async () => {
    assert.equal(await client.testSubjectCompatibility(OPEN_SUBJECT, info(OPEN_ADD)), true);
    const c = newClient();
    const id = await c.register(OPEN_SUBJECT, info(OPEN_ADD));
    assert.ok(Number.isInteger(id) && id > 0);
    assert.deepStrictEqual(await c.getAllVersions(OPEN_SUBJECT), [1, 2]);
  });

  // --- references: $ref to a schema registered under another subject ------------------------
  const addrId = await step('register the referenced Address schema', async () => {
    const id = await client.register(ADDRESS_SUBJECT, info(ADDRESS));
    assert.ok(Number.isInteger(id) && id > 0);
    return id;
  });

  const refs = [{ name: ADDRESS_URL, subject: ADDRESS_SUBJECT, version: 1 }];
  const orderId = await step('register Order with $ref + references [{name: $ref URI, subject, version}]', async () => {
    const id = await client.register(ORDER_SUBJECT, info(ORDER, refs));
    assert.ok(Number.isInteger(id) && id > 0 && id !== addrId, `Order id ${id} (Address id ${addrId})`);
    return id;
  });

  await step('re-register Order with references (fresh client) returns the same id', async () => {
    assert.equal(await newClient().register(ORDER_SUBJECT, info(ORDER, refs)), orderId);
  });

  await step('getLatestSchemaMetadata(Order) carries the references', async () => {
    const md = await newClient().getLatestSchemaMetadata(ORDER_SUBJECT);
    assert.equal(md.id, orderId);
    assert.equal(md.schemaType, 'JSON');
    assertSchemaEquals(md.schema, ORDER, 'Order');
    assert.deepStrictEqual(md.references, refs, `references ${JSON.stringify(md.references)}`);
  });

  await step('getBySubjectAndId(Order) carries the references', async () => {
    const got = await newClient().getBySubjectAndId(ORDER_SUBJECT, orderId);
    assert.deepStrictEqual(got.references, refs, `references ${JSON.stringify(got.references)}`);
  });

  await step('getId(Order with references) (lookup)', async () => {
    assert.equal(await newClient().getId(ORDER_SUBJECT, info(ORDER, refs)), orderId);
  });

  const order = { id: 1001, shipTo: { street: '1 Main St', zip: '12345' } };
  const orderBytes = await step('JsonSerializer(useLatestVersion, validate) serialize an Order (resolves the reference)', async () => {
    const b = await new JsonSerializer(newClient(), SerdeType.VALUE, { useLatestVersion: true, validate: true })
      .serialize(ORDER_TOPIC, order);
    assertWire(b, orderId, order, 'serialize Order');
    return b;
  });

  await expectInvalid('JsonSerializer(validate) rejects an Order whose referenced Address is invalid (zip)',
    () => new JsonSerializer(newClient(), SerdeType.VALUE, { useLatestVersion: true, validate: true })
      .serialize(ORDER_TOPIC, { id: 1002, shipTo: { street: '1 Main St', zip: 'ABCDE' } }));

  await step('JsonDeserializer(validate) deserialize an Order (fresh client)', async () => {
    const out = await new JsonDeserializer(newClient(), SerdeType.VALUE, { validate: true })
      .deserialize(ORDER_TOPIC, orderBytes);
    assert.deepStrictEqual(out, order);
  });

  await expectInvalid('JsonDeserializer(validate) rejects a framed Order with an invalid Address',
    () => new JsonDeserializer(newClient(), SerdeType.VALUE, { validate: true })
      .deserialize(ORDER_TOPIC, frame(orderId, { id: 1, shipTo: { street: 'x' } })));

  await expectRestError('register with a reference to a missing subject -> 422 42201',
    () => newClient().register('cjson-dangling-value',
      info(ORDER, [{ name: ADDRESS_URL, subject: 'cjson-no-such-subject', version: 1 }])), 422, [42201]);

  // --- serde: autoRegisterSchemas (schema inferred from the document) -------------------------
  const rec = { name: 'dave', age: 5 };
  const inferred = JsonSerializer.messageToSchema(rec);
  const autoBytes = await step('JsonSerializer(autoRegisterSchemas) serialize (registers the inferred schema)', async () => {
    const b = await new JsonSerializer(newClient(), SerdeType.VALUE, { autoRegisterSchemas: true, validate: true })
      .serialize(AUTO_TOPIC, rec);
    assert.equal(b[0], 0, 'magic byte');
    assert.deepStrictEqual(JSON.parse(b.subarray(5).toString('utf8')), rec);
    return b;
  });
  const autoId = autoBytes.readInt32BE(1);

  await step('auto-registered schema is version 1 of the auto subject, the inferred schema', async () => {
    const md = await newClient().getLatestSchemaMetadata(AUTO_SUBJECT);
    assert.equal(md.version, 1);
    assert.equal(md.id, autoId, 'wire id equals the registered id');
    assert.equal(md.schemaType, 'JSON');
    assertSchemaEquals(md.schema, inferred, 'auto-registered');
  });

  await step('auto-registered: JsonDeserializer(validate) deserialize', async () => {
    const out = await new JsonDeserializer(newClient(), SerdeType.VALUE, { validate: true }).deserialize(AUTO_TOPIC, autoBytes);
    assert.deepStrictEqual(out, rec);
  });

  await step('auto-register the same shape again is idempotent (same id, one version)', async () => {
    const b = await new JsonSerializer(newClient(), SerdeType.VALUE, { autoRegisterSchemas: true })
      .serialize(AUTO_TOPIC, { name: 'erin', age: 9 });
    assert.equal(b.readInt32BE(1), autoId);
    assert.deepStrictEqual(await newClient().getAllVersions(AUTO_SUBJECT), [1]);
  });

  await step('JsonSerializer(default: lookup of the inferred schema) finds the auto-registered id', async () => {
    const b = await new JsonSerializer(newClient(), SerdeType.VALUE, {}).serialize(AUTO_TOPIC, { name: 'fay', age: 3 });
    assert.equal(b.readInt32BE(1), autoId);
  });

  // The inferred schema is an open model; a document with one more (string) property infers
  // an optional typed property added to it: J1, not BACKWARD-compatible under STRICT.
  await expectRestError('auto-register a document with a new property (open model) -> 409',
    () => new JsonSerializer(newClient(), SerdeType.VALUE, { autoRegisterSchemas: true })
      .serialize(AUTO_TOPIC, { name: 'gus', age: 4, nick: 'g' }), 409, [409, 40901],
    [/OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL/, /#\/properties\/nick/]);

  // --- clean up, as a producer team would ------------------------------------------------------
  await step('deleteSubject(auto subject) soft then permanent', async () => {
    assert.deepStrictEqual(await client.deleteSubject(AUTO_SUBJECT), [1]);
    assert.deepStrictEqual(await client.deleteSubject(AUTO_SUBJECT, true), [1]);
    assert.ok(!(await client.getAllSubjects()).includes(AUTO_SUBJECT));
  });
}

main().then(
  () => {
    console.log('PASS confluent_json.js (@confluentinc/schemaregistry, JSON Schema)');
    process.exit(0);
  },
  (e) => {
    console.error(`FAIL confluent_json.js at step: ${current}`);
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
