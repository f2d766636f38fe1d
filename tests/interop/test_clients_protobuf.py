"""Interop tests, Protobuf: the Protobuf workflows of real, unmodified third-party
Schema Registry clients against a real schemareg-server.

Run by `make interop` with the rest of tests/interop (see test_clients.py, whose
server fixture and client runner these tests share): every test starts its own
server on a free 127.0.0.1 port with an empty database, runs one client script with
the registry URL as its only argument and requires exit status 0. On failure the
script's output and the tail of the server's stderr (one line per request) are shown.

- confluent_protobuf.js: @confluentinc/schemaregistry, its client API with .proto
  text and its ProtobufSerializer/ProtobufDeserializer (imports registered as
  reference subjects). It compiles protos/ at run time with `protoc` (Debian
  protobuf-compiler) and builds the message types with @bufbuild/protobuf.
- kafkajs_protobuf.js: @kafkajs/confluent-schema-registry with SchemaType.PROTOBUF
  (register with and without references, getSchema, encode, decode), which parses
  .proto text with protobufjs.
"""

import os
import shutil

import pytest

from test_clients import HERE, run_client, server  # noqa: F401  (server is a fixture)

NPM_PACKAGES = {
    "confluent_protobuf.js": ("@confluentinc/schemaregistry", "@bufbuild/protobuf"),
    "kafkajs_protobuf.js": ("@kafkajs/confluent-schema-registry", "protobufjs"),
}


def require_tools(script):
    missing = [pkg for pkg in NPM_PACKAGES[script]
               if not os.path.isfile(os.path.join(HERE, "node_modules", pkg, "package.json"))]
    if missing:
        pytest.fail("tests/interop/node_modules is missing %s: run `make deps` "
                    "(it runs `npm ci` in tests/interop)" % ", ".join(missing), pytrace=False)
    if shutil.which("node") is None:
        pytest.fail("`node` is not on PATH: run `make deps` (installs nodejs)", pytrace=False)


def run_script(server, script):
    require_tools(script)
    run_client(server, ["node", os.path.join(HERE, script)], script)


def test_confluent_schemaregistry_protobuf_npm(server):  # noqa: F811
    """@confluentinc/schemaregistry: PROTOBUF client API, ProtobufSerializer/ProtobufDeserializer
    with references, auto-register, useLatestVersion, lookup, evolution, 409, deletes."""
    if shutil.which("protoc") is None:
        pytest.fail("`protoc` is not on PATH: run `make deps` (Debian protobuf-compiler); "
                    "confluent_protobuf.js compiles tests/interop/protos with it", pytrace=False)
    run_script(server, "confluent_protobuf.js")


def test_kafkajs_confluent_schema_registry_protobuf_npm(server):  # noqa: F811
    """@kafkajs/confluent-schema-registry: PROTOBUF register (with transitive references),
    getSchema, encode, decode, breaking changes rejected."""
    run_script(server, "kafkajs_protobuf.js")
