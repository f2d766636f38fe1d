"""Interop tests, JSON Schema: the JSON Schema workflows of real, unmodified third-party
Schema Registry clients against a real schemareg-server.

Run by `make interop` with the rest of tests/interop (see test_clients.py, whose
server fixture and client runner these tests share): every test starts its own
server on a free 127.0.0.1 port with an empty database, runs one client script with
the registry URL as its only argument and requires exit status 0. On failure the
script's output and the tail of the server's stderr (one line per request) are shown.

- confluent_json.js: @confluentinc/schemaregistry, its client API with schemaType
  "JSON" and its JsonSerializer/JsonDeserializer (useLatestVersion, useSchemaId,
  autoRegisterSchemas, lookup, validate), a $ref to another subject through
  "references", compatible and breaking evolutions (closed and open content models,
  STRICT and LENIENT policies), lookup and getLatestSchemaMetadata.
- kafkajs_json.js: @kafkajs/confluent-schema-registry with SchemaType.JSON: register
  (with and without references), getSchema, encode, decode, breaking changes rejected.

Both clients validate documents locally with ajv, which they depend on (pinned in
package-lock.json); no other npm package is needed.
"""

import os
import shutil

import pytest

from test_clients import HERE, run_client, server  # noqa: F401  (server is a fixture)

NPM_PACKAGES = {
    "confluent_json.js": ("@confluentinc/schemaregistry", "ajv"),
    "kafkajs_json.js": ("@kafkajs/confluent-schema-registry", "ajv"),
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


def test_confluent_schemaregistry_json_npm(server):  # noqa: F811
    """@confluentinc/schemaregistry: JSON client API, JsonSerializer/JsonDeserializer with
    validation, references, auto-register, useLatestVersion, useSchemaId, lookup,
    evolution (closed/open content model, STRICT/LENIENT), 409."""
    run_script(server, "confluent_json.js")


def test_kafkajs_confluent_schema_registry_json_npm(server):  # noqa: F811
    """@kafkajs/confluent-schema-registry: JSON register (with references), getSchema,
    encode, decode with validation, breaking changes rejected with 409."""
    run_script(server, "kafkajs_json.js")
