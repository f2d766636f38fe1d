#!/usr/bin/env node
// Interop test: the Protobuf workflows of @confluentinc/schemaregistry (1.10.1,
// unmodified): its client API with .proto text, and its ProtobufSerializer /
// ProtobufDeserializer, against a running schemareg server.
// Usage: node confluent_protobuf.js http://127.0.0.1:PORT
// Exits 0 when every step passed; otherwise prints the failing step, the error
// (HTTP status + error_code when the server answered) and exits 1.
//
// Message types: the serializer takes @bufbuild/protobuf (v2) descriptors. No code
// generator is needed: the .proto files under protos/ are compiled at run time with
// `protoc --include_imports --descriptor_set_out` (Debian protobuf-compiler, installed
// by `make deps`) and the FileDescriptorSet is turned into a registry with
// @bufbuild/protobuf's createFileRegistry (a dependency of @confluentinc/schemaregistry,
// pinned in package-lock.json). Messages are made with create(desc, init).
//
// Files: protos/shared/interop/common.proto (imports google/protobuf/timestamp.proto),
// protos/{v1,v2,breaking}/interop/order.proto (import interop/common.proto and the
// timestamp), protos/shared_v2/interop/common.proto (Address gains a field).
//
// Requests this client makes (observed with a logging mock; every request has
// `Content-Type: application/vnd.schemaregistry.v1+json`, `Accept: application/json,
// text/plain, */*`, `Confluent-Accept-Unknown-Properties: true` and
// `Confluent-Client-Version: javascript/1.10.1`; subjects go through encodeURIComponent,
// so "interop/common.proto" is sent as interop%2Fcommon.proto):
//   client.register(s, {schemaType:"PROTOBUF", schema:"<.proto text>", references}, normalize)
//                          POST /subjects/{s}/versions?normalize=false|true
//                               {"schemaType":"PROTOBUF","schema":"...","references":[{name,subject,version}]}
//                               (the object as given: no "references" key when none were given)
//   getBySubjectAndId      GET  /schemas/ids/{id}?subject={s}[&format=serialized]
//   getLatestSchemaMetadata GET /subjects/{s}/versions/latest[?format=serialized]
//   getSchemaMetadata      GET  /subjects/{s}/versions/{v}?deleted=false|true[&format=serialized]
//   getId / getVersion     POST /subjects/{s}?normalize=false|true  (getVersion adds &deleted=false)
//   testSubjectCompatibility POST /compatibility/subjects/{s}/versions/latest   reads "is_compatible"
//   testCompatibility      POST /compatibility/subjects/{s}/versions/{v}
//   getAllVersions         GET  /subjects/{s}/versions   (subject NOT percent-encoded by the
//                               client, so not used for subjects containing '/')
//   getAllSubjects         GET  /subjects
//   deleteSubject          DELETE /subjects/{s}?permanent=false|true
//   ProtobufSerializer.serialize(topic, msg), once per new message file (cached per file):
//     for every import that is not built in (google/protobuf/*, google/type/*, confluent/*
//     are skipped: never registered, never sent as references), depth first:
//       autoRegisterSchemas: POST /subjects/{import path}/versions?normalize=...
//                                 {"schema":"<base64 FileDescriptorProto>","schemaType":"PROTOBUF","references":[]}
//                            (references of the import's own non-built-in imports, here none)
//       otherwise:           POST /subjects/{import path}?normalize=...
//       then always:         POST /subjects/{import path}?normalize=...&deleted=false  (reads "version")
//     then, every serialize():
//       GET  /associations/resources/-/{topic}?resourceType=topic&associationType=value
//            -> must be a 404 so it falls back to TopicNameStrategy ({topic}-value)
//       autoRegisterSchemas: POST /subjects/{topic}-value/versions?normalize=...
//            {"schema":"<base64 FileDescriptorProto>","schemaType":"PROTOBUF",
//             "references":[{"name":"interop/common.proto","subject":"interop/common.proto","version":N}]}
//       useLatestVersion:    GET  /subjects/{topic}-value/versions/latest?format=serialized
//       useSchemaId: N:      GET  /schemas/ids/N?subject={topic}-value&format=serialized, then
//                            POST /subjects/{topic}-value?normalize=... with the schema and
//                            references exactly as the server returned them
//       neither (lookup):    POST /subjects/{topic}-value?normalize=...   same body
//     wire format: 0x00, int32 id, message indexes (zigzag varints: [0] is the single
//     byte 0x00, [1] is 0x02 0x02), protobuf bytes.
//   ProtobufDeserializer.deserialize(topic, bytes):
//       GET  /associations/resources/-/{topic}?...   (404 expected, as above)
//       GET  /schemas/ids/{id}?subject={topic}-value&format=serialized   (base64 descriptor)
//       for each reference: GET /subjects/{ref.subject}/versions/{ref.version}?deleted=true&format=serialized
//         (references of references are fetched WITHOUT format=serialized, a client
//         bug that breaks transitive imports, so the import chains here are one deep)
//       useLatestVersion:    GET  /subjects/{topic}-value/versions/latest?format=serialized
//     the well-known imports are taken from the client's own built-in descriptors.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const sr = require('@confluentinc/schemaregistry');
const { fromBinary, createFileRegistry, create, equals, toJson } = require('@bufbuild/protobuf');
const { FileDescriptorSetSchema, FileDescriptorProtoSchema, FieldDescriptorProtoSchema } = require('@bufbuild/protobuf/wkt');

const { SchemaRegistryClient, ProtobufSerializer, ProtobufDeserializer, SerdeType, RestError } = sr;

const url = process.argv[2];
if (!url) {
  console.error('usage: node confluent_protobuf.js <registry-url>');
  process.exit(2);
}

const PROTOS = path.join(__dirname, 'protos');
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'confluent-protobuf-'));
process.on('exit', () => fs.rmSync(TMP, { recursive: true, force: true }));

const COMMON_PATH = 'interop/common.proto';
const ORDER_PATH = 'interop/order.proto';
const readProto = (dir, file) => fs.readFileSync(path.join(PROTOS, dir, file), 'utf8');

// protoc -I dir... --include_imports: returns the FileDescriptorSet message.
let compileCount = 0;
function protoc(includeDirs, file) {
  const out = path.join(TMP, `set${compileCount++}.pb`);
  try {
    execFileSync('protoc', [...includeDirs.map((d) => `-I${d}`), '--include_imports',
      `--descriptor_set_out=${out}`, file], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    if (e.code === 'ENOENT') throw new Error('protoc not found on PATH: run `make deps` (Debian protobuf-compiler)');
    throw new Error(`protoc failed on ${file}: ${(e.stderr || '').toString()}${e.message}`);
  }
  return fromBinary(FileDescriptorSetSchema, fs.readFileSync(out));
}

// A registry of the message types of order.proto in `orderDir` with common.proto in `commonDir`.
function loadTypes(orderDir, commonDir) {
  const set = protoc([path.join(PROTOS, orderDir), path.join(PROTOS, commonDir)],
    path.join(PROTOS, orderDir, ORDER_PATH));
  const registry = createFileRegistry(set);
  const get = (name) => {
    const d = registry.getMessage(name);
    if (!d) throw new Error(`${name} not in the compiled descriptors`);
    return d;
  };
  return {
    registry,
    set,
    fileProto: (name) => set.file.find((f) => f.name === name),
    Order: get('interop.orders.Order'),
    Line: get('interop.orders.Order.Line'),
    Shipment: get('interop.orders.Shipment'),
    Address: get('interop.common.Address'),
    Money: get('interop.common.Money'),
    Timestamp: get('google.protobuf.Timestamp'),
  };
}

// Compile .proto text returned by the server ({virtual path: text}) with protoc and
// return the FileDescriptorProto of `main`.
let textDirCount = 0;
function compileServerText(files, main) {
  const dir = path.join(TMP, `text${textDirCount++}`);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  const set = protoc([dir], path.join(dir, main));
  return set.file.find((f) => f.name === main);
}

// The server's text must compile to exactly the descriptor protoc makes from our file.
function assertSameDescriptor(actual, expected, what) {
  if (!equals(FileDescriptorProtoSchema, actual, expected)) {
    assert.deepStrictEqual(toJson(FileDescriptorProtoSchema, actual), toJson(FileDescriptorProtoSchema, expected),
      `${what}: the server's .proto text does not compile to the same FileDescriptorProto as the registered file`);
    assert.fail(`${what}: descriptors differ`);
  }
}

// Summary of a FileDescriptorProto that does not depend on how type names are spelled
// (the deserializer fully qualifies relative type names itself).
function shape(fd) {
  const msg = (m) => ({
    name: m.name,
    fields: m.field.map((f) => [f.name, f.number, f.type, f.label,
      f.typeName ? f.typeName.split('.').pop() : '',
      toJson(FieldDescriptorProtoSchema, f).oneofIndex ?? null]),
    nested: m.nestedType.map(msg),
    enums: m.enumType.map((e) => [e.name, e.value.map((v) => [v.name, v.number])]),
    oneofs: m.oneofDecl.map((o) => o.name),
  });
  return {
    package: fd.package,
    syntax: fd.syntax === 'proto3' ? 'proto3' : 'proto2',
    deps: [...fd.dependency].sort(),
    messages: fd.messageType.map(msg),
    enums: fd.enumType.map((e) => [e.name, e.value.map((v) => [v.name, v.number])]),
  };
}

// Message types, compiled in main()'s first step.
let T1; // order.proto v1 + common.proto v1
let T2; // order.proto v2 + common.proto v1
let TBAD; // breaking order.proto + common.proto v1
let T3; // order.proto v2 + common.proto v2

const protoText = {
  common: readProto('shared', COMMON_PATH),
  orderV1: readProto('v1', ORDER_PATH),
  orderV2: readProto('v2', ORDER_PATH),
  orderBad: readProto('breaking', ORDER_PATH),
};
// The same file with comments dropped and whitespace changed: the same canonical text.
const reformat = (text) => text
  .split('\n')
  .map((l) => l.replace(/\/\/.*$/, '').trim())
  .filter((l) => l !== '')
  .join('\n\t')
  .replace(/ = /g, '=');

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
async function expectRestError(name, fn, status, codes, messageRe) {
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
    if (messageRe) {
      assert.match(e.message, messageRe,
        `${name}: the error message does not match ${messageRe}\n  message (${e.message.length} characters): ${e.message}`);
    }
    log(`${name} -> HTTP ${e.status} error_code ${e.errorCode}`);
    return e;
  }
  throw new Error(`${name}: expected HTTP ${status} error, but the call succeeded with ${JSON.stringify(res)}`);
}

// The 409 message (compat.md §1.6): the incompatibilities, then {oldSchemaVersion: N},
// {oldSchema: '<text>'} and, last, {validateFields: ..., compatibility: '<LEVEL>'}.
// RestError appends "; Error code: <code>".
const incompatibleMessage = (errorType, oldVersion) => new RegExp(
  `^Schema being registered is incompatible with an earlier schema for subject "[^"]+", details: \\[` +
  `\\{errorType:"${errorType}", description:"[^"]*"\\}.*, \\{oldSchemaVersion: ${oldVersion}\\}, ` +
  `\\{oldSchema: [\\s\\S]*'\\}, \\{validateFields: 'false', compatibility: 'BACKWARD'\\}\\]; Error code: \\d+$`);

// Values. 64-bit integers are bigint in @bufbuild/protobuf v2.
function makeOrder(T, extra = {}) {
  return create(T.Order, {
    id: 9007199254740993n, // > 2^53: survives only as a real int64
    customer: 'alice',
    shipTo: { street: 'Main St 1', city: 'Utrecht', verifiedAt: create(T.Timestamp, { seconds: 1700000000n, nanos: 1000 }) },
    createdAt: create(T.Timestamp, { seconds: 1700000123n, nanos: 456000000 }),
    lines: [
      { sku: 'A-1', quantity: 2, price: { currency: 1, units: 12n, nanos: 500000000 } },
      { sku: 'B-22', quantity: 1 },
    ],
    status: 2,
    tags: { channel: 'web', 'gift wrap': 'yes' },
    payment: { case: 'voucher', value: create(T.Money, { currency: 2, units: -5n }) },
    ...extra,
  });
}

function assertOrderEquals(T, actual, expected, what) {
  assert.equal(actual.$typeName, 'interop.orders.Order', `${what}: $typeName`);
  assert.equal(actual.id, expected.id, `${what}: int64 id`);
  assert.equal(actual.customer, expected.customer, `${what}: customer`);
  assert.equal(actual.createdAt?.seconds, expected.createdAt.seconds, `${what}: created_at (google.protobuf.Timestamp)`);
  assert.equal(actual.payment?.case, expected.payment.case, `${what}: oneof case`);
  assert.deepStrictEqual({ ...actual.tags }, { ...expected.tags }, `${what}: map field`);
  assert.ok(equals(T.Order, actual, expected),
    `${what}: decoded message differs:\n  got      ${JSON.stringify(toJson(T.Order, actual))}\n  expected ${JSON.stringify(toJson(T.Order, expected))}`);
}

async function main() {
  await step('compile protos/ with protoc into @bufbuild/protobuf registries', async () => {
    T1 = loadTypes('v1', 'shared');
    T2 = loadTypes('v2', 'shared');
    TBAD = loadTypes('breaking', 'shared');
    T3 = loadTypes('v2', 'shared_v2');
  });

  // ====================================================================================
  // A. Client API with .proto text (as a CI job registering schema files would do).
  // ====================================================================================
  const TEXT_COMMON = 'pb-text-common';
  const TEXT_TOPIC = 'pb-text-orders';
  const TEXT_SUBJECT = `${TEXT_TOPIC}-value`;
  const textRefs = [{ name: COMMON_PATH, subject: TEXT_COMMON, version: 1 }];
  const textInfo = (schema, references = textRefs) => ({ schemaType: 'PROTOBUF', schema, references });

  const textCommonId = await step('register common.proto text (imports google/protobuf/timestamp.proto, no references)', async () => {
    const id = await newClient().register(TEXT_COMMON, { schemaType: 'PROTOBUF', schema: protoText.common });
    assert.ok(Number.isInteger(id) && id > 0, `register returned id ${JSON.stringify(id)}`);
    return id;
  });

  const textId1 = await step('register order.proto v1 text with a reference {name: "interop/common.proto", subject, version: 1}', async () => {
    const id = await newClient().register(TEXT_SUBJECT, textInfo(protoText.orderV1));
    assert.ok(Number.isInteger(id) && id > 0 && id !== textCommonId, `register returned id ${id}`);
    return id;
  });

  await step('re-register order.proto v1 (fresh client) returns the same id', async () => {
    assert.equal(await newClient().register(TEXT_SUBJECT, textInfo(protoText.orderV1)), textId1);
  });

  await step('re-register order.proto v1 reformatted (no comments, other whitespace) returns the same id', async () => {
    const text = reformat(protoText.orderV1);
    assert.notEqual(text, protoText.orderV1);
    assert.equal(await newClient().register(TEXT_SUBJECT, textInfo(text)), textId1);
  });

  await expectRestError('register order.proto WITHOUT references (import unresolvable) -> 422 42201',
    () => newClient().register('pb-text-noref-value', { schemaType: 'PROTOBUF', schema: protoText.orderV1 }),
    422, [42201]);

  const serverText = await step('getBySubjectAndId: text form, schemaType PROTOBUF, references as registered', async () => {
    const got = await newClient().getBySubjectAndId(TEXT_SUBJECT, textId1);
    assert.equal(got.schemaType, 'PROTOBUF');
    assert.deepStrictEqual(got.references, textRefs);
    const common = await newClient().getBySubjectAndId(TEXT_COMMON, textCommonId);
    assert.equal(common.schemaType, 'PROTOBUF');
    assert.ok(common.references === undefined || (Array.isArray(common.references) && common.references.length === 0),
      `common.proto has no references, got ${JSON.stringify(common.references)}`);
    return { order: got.schema, common: common.schema };
  });

  await step('the server\'s text of both files compiles with protoc to the same descriptors as the originals', async () => {
    const files = { [COMMON_PATH]: serverText.common, [ORDER_PATH]: serverText.order };
    assertSameDescriptor(compileServerText(files, ORDER_PATH), T1.fileProto(ORDER_PATH), 'order.proto');
    assertSameDescriptor(compileServerText(files, COMMON_PATH), T1.fileProto(COMMON_PATH), 'common.proto');
  });

  await step('getBySubjectAndId(format=serialized): base64 FileDescriptorProto of the same file', async () => {
    const got = await newClient().getBySubjectAndId(TEXT_SUBJECT, textId1, 'serialized');
    assert.equal(got.schemaType, 'PROTOBUF');
    assert.deepStrictEqual(got.references, textRefs);
    let fd;
    try {
      fd = fromBinary(FileDescriptorProtoSchema, Buffer.from(got.schema, 'base64'));
    } catch (e) {
      throw new Error(`format=serialized schema is not a base64 FileDescriptorProto (${e.message}): ${got.schema.slice(0, 200)}`);
    }
    assert.deepStrictEqual(shape(fd), shape(T1.fileProto(ORDER_PATH)));
  });

  await step('getLatestSchemaMetadata and getSchemaMetadata(subject, 1)', async () => {
    for (const md of [await newClient().getLatestSchemaMetadata(TEXT_SUBJECT),
      await newClient().getSchemaMetadata(TEXT_SUBJECT, 1)]) {
      assert.equal(md.subject, TEXT_SUBJECT);
      assert.equal(md.version, 1);
      assert.equal(md.id, textId1);
      assert.equal(md.schemaType, 'PROTOBUF');
      assert.deepStrictEqual(md.references, textRefs);
      assert.equal(md.schema, serverText.order, 'same text as GET /schemas/ids/{id}');
    }
  });

  await step('lookup: getId and getVersion (POST /subjects/{s}) of the registered text', async () => {
    assert.equal(await newClient().getId(TEXT_SUBJECT, textInfo(protoText.orderV1)), textId1);
    assert.equal(await newClient().getVersion(TEXT_SUBJECT, textInfo(protoText.orderV1)), 1);
    assert.equal(await newClient().getId(TEXT_SUBJECT, textInfo(serverText.order)), textId1, 'lookup of the returned text');
  });

  await expectRestError('lookup of an unregistered schema (order.proto v2) -> 404 40403',
    () => newClient().getId(TEXT_SUBJECT, textInfo(protoText.orderV2)), 404, [40403]);

  await step('testSubjectCompatibility: v2 (field added) true, breaking (string -> int32) false', async () => {
    assert.equal(await newClient().testSubjectCompatibility(TEXT_SUBJECT, textInfo(protoText.orderV2)), true);
    assert.equal(await newClient().testSubjectCompatibility(TEXT_SUBJECT, textInfo(protoText.orderBad)), false);
    assert.equal(await newClient().testCompatibility(TEXT_SUBJECT, 1, textInfo(protoText.orderBad)), false);
  });

  await expectRestError('register breaking order.proto (customer string -> int32) -> 409 FIELD_SCALAR_KIND_CHANGED',
    () => newClient().register(TEXT_SUBJECT, textInfo(protoText.orderBad)), 409, [409, 40901],
    incompatibleMessage('FIELD_SCALAR_KIND_CHANGED', 1));

  const textId2 = await step('register order.proto v2 (compatible evolution) -> new id, version 2', async () => {
    const id = await newClient().register(TEXT_SUBJECT, textInfo(protoText.orderV2));
    assert.ok(Number.isInteger(id) && id !== textId1, `v2 id ${id} (v1 id ${textId1})`);
    const md = await newClient().getLatestSchemaMetadata(TEXT_SUBJECT);
    assert.equal(md.version, 2);
    assert.equal(md.id, id);
    assert.deepStrictEqual(await newClient().getAllVersions(TEXT_SUBJECT), [1, 2]);
    return id;
  });

  const order2 = makeOrder(T2, { note: 'leave at the door' });
  const textBytes = await step('ProtobufSerializer(useLatestVersion) on the text-registered subject', async () => {
    const ser = new ProtobufSerializer(newClient(), SerdeType.VALUE, { useLatestVersion: true, registry: T2.registry });
    const b = await ser.serialize(TEXT_TOPIC, order2);
    assert.equal(b[0], 0, 'magic byte');
    assert.equal(b.readInt32BE(1), textId2, 'wire id is the latest version\'s id');
    assert.equal(b[5], 0, 'message index [0] is the single byte 0');
    return b;
  });

  await step('ProtobufDeserializer reads it (descriptor from format=serialized + the reference)', async () => {
    const out = await new ProtobufDeserializer(newClient(), SerdeType.VALUE, {}).deserialize(TEXT_TOPIC, textBytes);
    assertOrderEquals(T2, out, order2, 'deserialized');
    assert.equal(out.note, 'leave at the door');
  });

  await step('ProtobufDeserializer(useLatestVersion) reads it too', async () => {
    const out = await new ProtobufDeserializer(newClient(), SerdeType.VALUE, { useLatestVersion: true })
      .deserialize(TEXT_TOPIC, textBytes);
    assertOrderEquals(T2, out, order2, 'deserialized');
  });

  // ====================================================================================
  // B. ProtobufSerializer with auto-registration: imports become reference subjects.
  // ====================================================================================
  const TOPIC = 'pb-orders';
  const SUBJECT = `${TOPIC}-value`;
  const REF_SUBJECT = COMMON_PATH; // the serializer's reference subject = the import path
  const ref = (version) => [{ name: COMMON_PATH, subject: REF_SUBJECT, version }];
  const autoSer = (T, extra = {}) => new ProtobufSerializer(newClient(), SerdeType.VALUE,
    { autoRegisterSchemas: true, registry: T.registry, ...extra });

  const order1 = makeOrder(T1);
  const bytes1 = await step('ProtobufSerializer(autoRegisterSchemas) serialize an Order (v1)', async () => {
    const b = await autoSer(T1).serialize(TOPIC, order1);
    assert.equal(b[0], 0, 'magic byte');
    assert.equal(b[5], 0, 'message index [0]');
    return b;
  });
  const id1 = bytes1.readInt32BE(1);

  const refId1 = await step('the import was registered first: subject "interop/common.proto" version 1, no references', async () => {
    const md = await newClient().getLatestSchemaMetadata(REF_SUBJECT);
    assert.equal(md.subject, REF_SUBJECT);
    assert.equal(md.version, 1);
    assert.equal(md.schemaType, 'PROTOBUF');
    assert.ok(md.references === undefined || md.references.length === 0,
      `google/protobuf/timestamp.proto must not be a reference, got ${JSON.stringify(md.references)}`);
    return md.id;
  });

  await step('the main schema is version 1 of pb-orders-value with references [{interop/common.proto, v1}]', async () => {
    const md = await newClient().getLatestSchemaMetadata(SUBJECT);
    assert.equal(md.version, 1);
    assert.equal(md.id, id1, 'wire id equals the registered id');
    assert.notEqual(md.id, refId1);
    assert.equal(md.schemaType, 'PROTOBUF');
    assert.deepStrictEqual(md.references, ref(1));
  });

  await step('no subject was registered for the well-known import', async () => {
    const subs = await newClient().getAllSubjects();
    assert.ok(subs.includes(SUBJECT) && subs.includes(REF_SUBJECT), `subjects ${JSON.stringify(subs)}`);
    assert.ok(!subs.some((s) => s.startsWith('google/')), `subjects ${JSON.stringify(subs)}`);
  });

  await step('the descriptor-registered schemas read back as text compile to the same descriptors', async () => {
    const order = await newClient().getBySubjectAndId(SUBJECT, id1);
    const common = await newClient().getBySubjectAndId(REF_SUBJECT, refId1);
    const files = { [COMMON_PATH]: common.schema, [ORDER_PATH]: order.schema };
    assertSameDescriptor(compileServerText(files, ORDER_PATH), T1.fileProto(ORDER_PATH), 'order.proto');
    assertSameDescriptor(compileServerText(files, COMMON_PATH), T1.fileProto(COMMON_PATH), 'common.proto');
  });

  await step('ProtobufDeserializer round trip (Timestamp, map, oneof, nested message, int64 > 2^53)', async () => {
    const out = await new ProtobufDeserializer(newClient(), SerdeType.VALUE, {}).deserialize(TOPIC, bytes1);
    assertOrderEquals(T1, out, order1, 'deserialized');
    assert.equal(out.shipTo.city, 'Utrecht');
    assert.equal(out.lines[0].price.units, 12n);
  });

  await step('second top-level message (Shipment, message index [1]): same schema id, round trip', async () => {
    const ship = create(T1.Shipment, { orderId: 42n, carrier: 'PostNL' });
    const b = await autoSer(T1).serialize(TOPIC, ship);
    assert.equal(b.readInt32BE(1), id1, 'same file, same schema id');
    assert.deepStrictEqual([...b.subarray(5, 7)], [2, 2], 'message indexes [1] as zigzag varints');
    const out = await new ProtobufDeserializer(newClient(), SerdeType.VALUE, {}).deserialize(TOPIC, b);
    assert.equal(out.$typeName, 'interop.orders.Shipment');
    assert.ok(equals(T1.Shipment, out, ship), `got ${JSON.stringify(toJson(T1.Shipment, out))}`);
  });

  await step('auto-register again (fresh client) is idempotent: same id, one version per subject', async () => {
    const b = await autoSer(T1).serialize(TOPIC, makeOrder(T1, { customer: 'bob' }));
    assert.equal(b.readInt32BE(1), id1);
    assert.deepStrictEqual(await newClient().getAllVersions(SUBJECT), [1]);
    assert.equal((await newClient().getLatestSchemaMetadata(REF_SUBJECT)).version, 1);
  });

  const id2 = await step('compatible evolution (Order gains field 10) auto-registered as version 2', async () => {
    const b = await autoSer(T2).serialize(TOPIC, order2);
    const id = b.readInt32BE(1);
    assert.notEqual(id, id1);
    const md = await newClient().getLatestSchemaMetadata(SUBJECT);
    assert.equal(md.version, 2);
    assert.equal(md.id, id);
    assert.deepStrictEqual(md.references, ref(1));
    assert.equal((await newClient().getLatestSchemaMetadata(REF_SUBJECT)).version, 1, 'import unchanged: no new version');
    const out = await new ProtobufDeserializer(newClient(), SerdeType.VALUE, {}).deserialize(TOPIC, b);
    assertOrderEquals(T2, out, order2, 'deserialized v2');
    return id;
  });

  await expectRestError('breaking change (customer string -> int32) auto-registered -> 409 FIELD_SCALAR_KIND_CHANGED',
    () => autoSer(TBAD).serialize(TOPIC, makeOrder(TBAD, { customer: 7 })), 409, [409, 40901],
    incompatibleMessage('FIELD_SCALAR_KIND_CHANGED', 2));

  await step('versions unchanged after the rejected registration', async () => {
    assert.deepStrictEqual(await newClient().getAllVersions(SUBJECT), [1, 2]);
    assert.equal((await newClient().getLatestSchemaMetadata(SUBJECT)).id, id2);
  });

  await step('ProtobufSerializer(useLatestVersion) writes with the latest id; deserializer(useLatestVersion) reads', async () => {
    const ser = new ProtobufSerializer(newClient(), SerdeType.VALUE, { useLatestVersion: true, registry: T1.registry });
    const b = await ser.serialize(TOPIC, order1);
    assert.equal(b.readInt32BE(1), id2);
    const out = await new ProtobufDeserializer(newClient(), SerdeType.VALUE, { useLatestVersion: true })
      .deserialize(TOPIC, b);
    assert.equal(out.customer, 'alice');
    assert.equal(out.id, order1.id);
    assert.equal(out.note, '', 'v2 field absent in v1 data');
  });

  await step('ProtobufSerializer lookup mode (no auto-register, no latest): finds v1 by its descriptor', async () => {
    const ser = new ProtobufSerializer(newClient(), SerdeType.VALUE, { registry: T1.registry });
    const b = await ser.serialize(TOPIC, order1);
    assert.equal(b.readInt32BE(1), id1);
  });

  await step('ProtobufSerializer(useSchemaId: v1 id): looks up the server\'s own serialized form of v1', async () => {
    const ser = new ProtobufSerializer(newClient(), SerdeType.VALUE, { useSchemaId: id1, registry: T1.registry });
    const b = await ser.serialize(TOPIC, order1);
    assert.equal(b.readInt32BE(1), id1);
    const out = await new ProtobufDeserializer(newClient(), SerdeType.VALUE, {}).deserialize(TOPIC, b);
    assertOrderEquals(T1, out, order1, 'deserialized');
  });

  await step('evolve the import (common.proto v2: Address gains a field): new versions of both subjects', async () => {
    const order3 = makeOrder(T3, { note: 'v3' });
    order3.shipTo.postalCode = '3511 AB';
    const b = await autoSer(T3).serialize(TOPIC, order3);
    const id3 = b.readInt32BE(1);
    assert.ok(![id1, id2].includes(id3), `same text as v2 but another reference version: a new id (${id3})`);
    assert.equal((await newClient().getLatestSchemaMetadata(REF_SUBJECT)).version, 2);
    const md = await newClient().getLatestSchemaMetadata(SUBJECT);
    assert.equal(md.version, 3);
    assert.equal(md.id, id3);
    assert.deepStrictEqual(md.references, ref(2));
    const out = await new ProtobufDeserializer(newClient(), SerdeType.VALUE, {}).deserialize(TOPIC, b);
    assert.equal(out.shipTo.postalCode, '3511 AB');
    assert.ok(equals(T3.Order, out, order3), `got ${JSON.stringify(toJson(T3.Order, out))}`);
  });

  await step('data written with v1 still deserializes', async () => {
    const out = await new ProtobufDeserializer(newClient(), SerdeType.VALUE, {}).deserialize(TOPIC, bytes1);
    assertOrderEquals(T1, out, order1, 'deserialized v1 bytes');
  });

  // ====================================================================================
  // C. Deleting: references protect the imported subject.
  // ====================================================================================
  await expectRestError('deleteSubject(interop/common.proto) while live schemas reference it -> 422 42206',
    () => newClient().deleteSubject(REF_SUBJECT), 422, [42206]);

  await step('soft-delete pb-orders-value, then the import subject (its referrers are soft-deleted now)', async () => {
    assert.deepStrictEqual(await newClient().deleteSubject(SUBJECT), [1, 2, 3]);
    assert.deepStrictEqual(await newClient().deleteSubject(REF_SUBJECT), [1, 2]);
  });

  await expectRestError('permanent delete of the import subject while soft-deleted schemas reference it -> 422 42206',
    () => newClient().deleteSubject(REF_SUBJECT, true), 422, [42206]);

  await step('permanent delete of pb-orders-value, then of interop/common.proto', async () => {
    assert.deepStrictEqual(await newClient().deleteSubject(SUBJECT, true), [1, 2, 3]);
    assert.deepStrictEqual(await newClient().deleteSubject(REF_SUBJECT, true), [1, 2]);
    const subs = await newClient().getAllSubjects();
    assert.ok(!subs.includes(SUBJECT) && !subs.includes(REF_SUBJECT), `subjects ${JSON.stringify(subs)}`);
  });

  // ====================================================================================
  // D. Schemas registered as normalized text; producers look them up by descriptor
  //    (auto.register.schemas=false, normalize.schemas=true).
  // ====================================================================================
  const NORM_TOPIC = 'pb-normalized';
  const NORM_SUBJECT = `${NORM_TOPIC}-value`;
  const normIds = await step('register common.proto and order.proto v1 as text with normalize=true', async () => {
    const c = await newClient().register(REF_SUBJECT, { schemaType: 'PROTOBUF', schema: protoText.common }, true);
    // The subject was deleted permanently, so the version number starts again (1).
    const { version } = await newClient().getLatestSchemaMetadata(REF_SUBJECT);
    const o = await newClient().register(NORM_SUBJECT,
      { schemaType: 'PROTOBUF', schema: protoText.orderV1, references: ref(version) }, true);
    assert.ok(Number.isInteger(c) && Number.isInteger(o) && c !== o);
    return { common: c, order: o };
  });

  await step('ProtobufSerializer(normalizeSchemas, lookup mode) finds both by descriptor (normalize=true)', async () => {
    const ser = new ProtobufSerializer(newClient(), SerdeType.VALUE, { normalizeSchemas: true, registry: T1.registry });
    const b = await ser.serialize(NORM_TOPIC, order1);
    assert.equal(b.readInt32BE(1), normIds.order, 'descriptor lookup finds the text-registered schema');
    const out = await new ProtobufDeserializer(newClient(), SerdeType.VALUE, {}).deserialize(NORM_TOPIC, b);
    assertOrderEquals(T1, out, order1, 'deserialized');
  });
}

main().then(
  () => {
    console.log('PASS confluent_protobuf.js (@confluentinc/schemaregistry, Protobuf)');
    process.exit(0);
  },
  (e) => {
    console.error(`FAIL confluent_protobuf.js at step: ${current}`);
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
