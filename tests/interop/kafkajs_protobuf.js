#!/usr/bin/env node
// Interop test: the Protobuf workflow of @kafkajs/confluent-schema-registry (4.1.0,
// unmodified) against a running schemareg server.
// Usage: node kafkajs_protobuf.js http://127.0.0.1:PORT
// Exits 0 when every step passed; otherwise prints the failing step, the error
// (HTTP status when the server answered) and exits 1.
//
// Schemas: protos/kafkajs/{v1,v2,breaking}/kjs/*.proto, sent as .proto text.
//
// How the client handles Protobuf (read from its source): it parses the schema text
// with protobufjs (`protobuf.parse`), parses every referenced schema's text into the
// same root, and uses the FIRST type of the file (or `messageName`) as the message.
// So every registered file must contain a message (an enum-only file throws
// client-side), and imports of google/protobuf/*.proto cannot be used (protobufjs'
// parse() does not know the well-known types; the client would need them registered
// as references). encode() writes magic byte + id + protobuf bytes WITHOUT Confluent's
// message-index bytes, and decode() strips leading zero bytes of the payload, so its
// Protobuf wire format is its own (not exchanged with the Confluent serializer here).
// register() without a subject throws "not implemented yet" for Protobuf.
//
// Requests this client makes (observed with a logging mock). Every request has
// `Content-Type: application/vnd.schemaregistry.v1+json`, a `User-Agent` header and
// no `Accept` header; every response body is parsed as JSON:
//   register({type: PROTOBUF, schema, references}, {subject}):
//     0. for each reference, recursively (depth first, each once):
//        GET  /subjects/{ref.subject}/versions/{ref.version}?name={ref.name}
//             (the whole reference object is the mappersmith params, so `name` lands in
//             the query string); reads "schema" and "references" of the answer
//     1. GET  /config/{s}      404 => first registration; 200 => "compatibilityLevel" must
//                              equal the requested level (default BACKWARD)
//     2. POST /subjects/{s}/versions  {"schemaType":"PROTOBUF","schema":"<text>","references":[...]}
//                              ("references" omitted when the caller gave none); reads "id"
//     3. PUT  /config/{s}      {"compatibility":"BACKWARD"}  on a first registration only
//   getSchema(id) / encode(id) / decode (cache miss):
//        GET  /schemas/ids/{id}   reads "schema", "schemaType" (must be "PROTOBUF") and
//                                 "references", then step 0 for those references
//   getLatestSchemaId:       GET  /subjects/{s}/versions/latest        reads "id"
//   getRegistryId(s, v):     GET  /subjects/{s}/versions/{v}           reads "id"
//   getRegistryIdBySchema:   POST /subjects/{s}  {"schemaType":"PROTOBUF","schema":"<text>"}
//                            (never sends references, so only import-free files can be
//                            looked up); a 404 becomes ConfluentSchemaRegistryError
// Subjects are encoded with encodeURIComponent ('/' -> %2F).
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { SchemaRegistry, SchemaType } = require('@kafkajs/confluent-schema-registry');

const url = process.argv[2];
if (!url) {
  console.error('usage: node kafkajs_protobuf.js <registry-url>');
  process.exit(2);
}

const PROTOS = path.join(__dirname, 'protos', 'kafkajs');
const readProto = (rel) => fs.readFileSync(path.join(PROTOS, rel), 'utf8');

const USER_V1 = readProto('v1/kjs/user.proto');
const USER_V2 = readProto('v2/kjs/user.proto');
const USER_BAD = readProto('breaking/kjs/user.proto');
const CURRENCY = readProto('v1/kjs/currency.proto');
const MONEY = readProto('v1/kjs/money.proto');
const PAYMENT = readProto('v1/kjs/payment.proto');
const PAYMENT_BAD = readProto('breaking/kjs/payment.proto');

// The same file with comments dropped and whitespace changed: same canonical text.
const reformat = (text) => text
  .split('\n')
  .map((l) => l.replace(/\/\/.*$/, '').trim())
  .filter((l) => l !== '')
  .join('\n    ')
  .replace(/ = /g, '=');

const USERS = 'kjs-pb-users-value';
const PAYMENTS = 'kjs-pb-payments-value';
const CURRENCY_SUBJECT = 'kjs/currency.proto';
const MONEY_SUBJECT = 'kjs/money.proto';
const CURRENCY_REF = { name: 'kjs/currency.proto', subject: CURRENCY_SUBJECT, version: 1 };
const MONEY_REF = { name: 'kjs/money.proto', subject: MONEY_SUBJECT, version: 1 };

const proto = (schema, references) => (references
  ? { type: SchemaType.PROTOBUF, schema, references }
  : { type: SchemaType.PROTOBUF, schema });
const newRegistry = () => new SchemaRegistry({ host: url, retry: { retries: 0 } });

let current = '(start)';
const log = (msg) => console.log(`ok   ${msg}`);

async function step(name, fn) {
  current = name;
  const r = await fn();
  log(name);
  return r;
}

// Expect fn() to reject with an HTTP error of the given status (and message).
// The client puts the server's "message" into the error message.
async function expectStatus(name, fn, status, messageRe) {
  current = name;
  let res;
  try {
    res = await fn();
  } catch (e) {
    assert.equal(e.status, status,
      `${name}: expected HTTP ${status}, got ${e.status === undefined ? 'no HTTP status' : e.status}: ${e.name}: ${e.message}`);
    if (messageRe) {
      assert.match(e.message, messageRe,
        `${name}: the error message does not match ${messageRe}\n  message (${e.message.length} characters): ${e.message}`);
    }
    log(`${name} -> HTTP ${e.status}`);
    return e;
  }
  throw new Error(`${name}: expected HTTP ${status}, but the call succeeded with ${JSON.stringify(res)}`);
}

// A decoded protobufjs message as a plain object (64-bit integers as strings).
const plain = (msg) => msg.$type.toObject(msg, { longs: String });

async function main() {
  // --- a file without imports ---------------------------------------------------------
  const id1 = await step('register user.proto v1 (first registration: GET config 404, POST, PUT config)', async () => {
    const res = await newRegistry().register(proto(USER_V1), { subject: USERS });
    assert.ok(res && Number.isInteger(res.id) && res.id > 0, `register returned ${JSON.stringify(res)}`);
    return res.id;
  });

  await step('register user.proto v1 again (fresh client: GET config 200 BACKWARD, POST) returns the same id', async () => {
    assert.equal((await newRegistry().register(proto(USER_V1), { subject: USERS })).id, id1);
  });

  await step('register user.proto v1 reformatted (no comments, other whitespace) returns the same id', async () => {
    const text = reformat(USER_V1);
    assert.notEqual(text, USER_V1);
    assert.equal((await newRegistry().register(proto(text), { subject: USERS })).id, id1);
  });

  await step('getSchema(id) (fresh client: GET /schemas/ids/{id}; protobufjs parses the returned text)', async () => {
    const schema = await newRegistry().getSchema(id1);
    assert.equal(schema.message.fullName, '.kjs.User');
    assert.deepStrictEqual(Object.keys(schema.message.fields), ['name', 'age', 'emails', 'role']);
    assert.equal(schema.message.fields.emails.repeated, true, 'emails is repeated');
    assert.equal(schema.message.fields.age.type, 'int32');
    assert.deepStrictEqual({ ...schema.message.nested.Role.values }, { ROLE_UNSPECIFIED: 0, ADMIN: 1 });
  });

  await step('getLatestSchemaId, getRegistryId(subject, 1) and (subject, "latest")', async () => {
    const r = newRegistry();
    assert.equal(await r.getLatestSchemaId(USERS), id1);
    assert.equal(await r.getRegistryId(USERS, 1), id1);
    assert.equal(await r.getRegistryId(USERS, 'latest'), id1);
  });

  await step('getRegistryIdBySchema (lookup with schemaType PROTOBUF)', async () => {
    assert.equal(await newRegistry().getRegistryIdBySchema(USERS, proto(USER_V1)), id1);
  });

  await step('getRegistryIdBySchema of an unregistered schema rejects with 404', async () => {
    let err = null;
    try {
      await newRegistry().getRegistryIdBySchema(USERS, proto(USER_V2));
    } catch (e) {
      err = e;
    }
    assert.ok(err, 'lookup of a schema that was never registered should fail');
    assert.equal(err.name, 'ConfluentSchemaRegistryError',
      `expected HTTP 404 -> ConfluentSchemaRegistryError, got ${err.name} (status ${err.status}): ${err.message}`);
  });

  const user1 = { name: 'alice', age: 42, emails: ['a@example.com', 'alice@example.org'], role: 1 };
  const buf1 = await step('encode(id1) (fresh client: fetches the schema by id)', async () => {
    const b = await newRegistry().encode(id1, user1);
    assert.equal(b[0], 0, 'magic byte');
    assert.equal(b.readInt32BE(1), id1, 'schema id in the wire header');
    return b;
  });

  await step('decode (fresh client: fetches the schema by id)', async () => {
    assert.deepStrictEqual(plain(await newRegistry().decode(buf1)), user1);
  });

  await expectStatus('breaking change (User.name string -> int32) under BACKWARD: register throws',
    () => newRegistry().register(proto(USER_BAD), { subject: USERS }), 409, /FIELD_SCALAR_KIND_CHANGED/);

  await step('versions unchanged after the rejected registration (latest is still v1)', async () => {
    assert.equal(await newRegistry().getLatestSchemaId(USERS), id1);
  });

  const id2 = await step('compatible evolution (User gains field 5): register user.proto v2', async () => {
    const res = await newRegistry().register(proto(USER_V2), { subject: USERS });
    assert.ok(Number.isInteger(res.id) && res.id > 0 && res.id !== id1, `v2 id ${res.id} (v1 id ${id1})`);
    return res.id;
  });

  await step('getLatestSchemaId is v2; getRegistryId(subject, 2) is v2, (subject, 1) still v1', async () => {
    const r = newRegistry();
    assert.equal(await r.getLatestSchemaId(USERS), id2);
    assert.equal(await r.getRegistryId(USERS, 2), id2);
    assert.equal(await r.getRegistryId(USERS, 1), id1);
  });

  await step('encode(id2)/decode round trip with the new field', async () => {
    const user2 = { ...user1, name: 'bob', country: 'NL' };
    const b = await newRegistry().encode(id2, user2);
    assert.equal(b.readInt32BE(1), id2);
    assert.deepStrictEqual(plain(await newRegistry().decode(b)), user2);
  });

  await step('data written with v1 still decodes (by its own id)', async () => {
    assert.deepStrictEqual(plain(await newRegistry().decode(buf1)), user1);
  });

  // --- references: payment.proto -> money.proto -> currency.proto -------------------------
  const currencyId = await step('register kjs/currency.proto (subject "kjs/currency.proto", sent as kjs%2Fcurrency.proto)', async () => {
    const res = await newRegistry().register(proto(CURRENCY), { subject: CURRENCY_SUBJECT });
    assert.ok(Number.isInteger(res.id) && res.id > 0);
    return res.id;
  });

  const moneyId = await step('register kjs/money.proto with a reference to kjs/currency.proto version 1', async () => {
    const res = await newRegistry().register(proto(MONEY, [CURRENCY_REF]), { subject: MONEY_SUBJECT });
    assert.ok(Number.isInteger(res.id) && res.id > 0 && res.id !== currencyId);
    return res.id;
  });

  const payId = await step('register payment.proto referencing only money.proto (currency.proto resolved transitively)', async () => {
    const res = await newRegistry().register(proto(PAYMENT, [MONEY_REF]), { subject: PAYMENTS });
    assert.ok(Number.isInteger(res.id) && res.id > 0 && ![currencyId, moneyId].includes(res.id));
    return res.id;
  });

  await step('register payment.proto again (fresh client) returns the same id', async () => {
    assert.equal((await newRegistry().register(proto(PAYMENT, [MONEY_REF]), { subject: PAYMENTS })).id, payId);
  });

  await step('getRegistryId of the reference subjects and of the payment subject', async () => {
    const r = newRegistry();
    assert.equal(await r.getRegistryId(CURRENCY_SUBJECT, 1), currencyId);
    assert.equal(await r.getRegistryId(MONEY_SUBJECT, 'latest'), moneyId);
    assert.equal(await r.getLatestSchemaId(PAYMENTS), payId);
  });

  await step('getSchema(payment id) (fresh client: GET /schemas/ids/{id} must carry "references")', async () => {
    const schema = await newRegistry().getSchema(payId);
    assert.equal(schema.message.fullName, '.kjs.Payment');
    assert.deepStrictEqual(Object.keys(schema.message.fields), ['id', 'amount', 'payer']);
    schema.message.root.resolveAll();
    assert.equal(schema.message.fields.amount.resolvedType.fullName, '.kjs.Money');
    assert.equal(schema.message.fields.amount.resolvedType.fields.currency.resolvedType.fullName, '.kjs.Currency');
  });

  const payment = { id: 'p-1', amount: { currency: { code: 'EUR', decimals: 2 }, units: 1250 }, payer: 'carol' };
  await step('encode/decode a Payment (nested Money and Currency from the referenced files)', async () => {
    const b = await newRegistry().encode(payId, payment);
    assert.equal(b.readInt32BE(1), payId);
    assert.deepStrictEqual(plain(await newRegistry().decode(b)),
      { ...payment, amount: { ...payment.amount, units: '1250' } }); // int64 decoded as a string
  });

  await expectStatus('breaking change (Payment.amount Money -> int64) under BACKWARD: register throws',
    () => newRegistry().register(proto(PAYMENT_BAD, [MONEY_REF]), { subject: PAYMENTS }), 409, /FIELD_KIND_CHANGED/);

  await expectStatus('register payment.proto WITHOUT its reference (import unresolvable) is rejected',
    () => newRegistry().register(proto(PAYMENT), { subject: 'kjs-pb-noref-value' }), 422);

  await step('latest payment schema unchanged after the rejected registrations', async () => {
    assert.equal(await newRegistry().getLatestSchemaId(PAYMENTS), payId);
  });
}

main().then(
  () => {
    console.log('PASS kafkajs_protobuf.js (@kafkajs/confluent-schema-registry, Protobuf)');
    process.exit(0);
  },
  (e) => {
    console.error(`FAIL kafkajs_protobuf.js at step: ${current}`);
    if (e && e.status !== undefined) {
      console.error(`  server answered HTTP ${e.status} to ${e.url || '?'}: ${e.message}`);
    }
    console.error(e && e.stack ? e.stack : e);
    process.exit(1);
  },
);
