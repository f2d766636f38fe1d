"""Schemas and the repository history the `schemareg check` tests share.

The golden scenario: a repository with two commits of schemas in all three
formats, then uncommitted breaking changes in the working tree:

  address.avsc  AVRO      unchanged                                   compatible
  user.avsc     AVRO      references Address; v1 {id, name, address},
                          v2 adds email with a default, the working copy
                          drops the default: fine against v2, breaks v1
                          (BACKWARD_TRANSITIVE)                       incompatible
  order.proto   PROTOBUF  amount int64 -> string, a oneof member removed
                          (FULL; an expired allow-list entry)         incompatible
  product.json  JSON      price number -> string (an active allow-list
                          entry suppresses it)                        compatible
  payment.avsc  AVRO      not committed yet                           new
"""

import json


def avro_record(name, fields, namespace="com.acme"):
    return json.dumps({"type": "record", "name": name, "namespace": namespace,
                       "fields": fields}, indent=2) + "\n"


ADDRESS_V1 = avro_record("Address", [
    {"name": "street", "type": "string"},
    {"name": "city", "type": "string"},
])

USER_V1 = avro_record("User", [
    {"name": "id", "type": "long"},
    {"name": "name", "type": "string"},
    {"name": "address", "type": "com.acme.Address"},
])

USER_V2 = avro_record("User", [
    {"name": "id", "type": "long"},
    {"name": "name", "type": "string"},
    {"name": "address", "type": "com.acme.Address"},
    {"name": "email", "type": "string", "default": ""},
])

USER_WORK = avro_record("User", [
    {"name": "id", "type": "long"},
    {"name": "name", "type": "string"},
    {"name": "address", "type": "com.acme.Address"},
    {"name": "email", "type": "string"},
])

ORDER_V1 = """syntax = "proto3";
package acme.orders;

message Order {
  string id = 1;
  int64 amount = 2;
  oneof payment {
    string card = 3;
    string iban = 4;
  }
}
"""

ORDER_V2 = """syntax = "proto3";
package acme.orders;

message Order {
  string id = 1;
  int64 amount = 2;
  oneof payment {
    string card = 3;
    string iban = 4;
  }
  string currency = 5;
}
"""

ORDER_WORK = """syntax = "proto3";
package acme.orders;

message Order {
  string id = 1;
  string amount = 2;
  oneof payment {
    string card = 3;
  }
  string currency = 5;
}
"""

PRODUCT_V1 = json.dumps({
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "properties": {
        "sku": {"type": "string"},
        "price": {"type": "number"},
    },
    "additionalProperties": False,
}, indent=2) + "\n"

PRODUCT_WORK = json.dumps({
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "properties": {
        "sku": {"type": "string"},
        "price": {"type": "string"},
    },
    "additionalProperties": False,
}, indent=2) + "\n"

PAYMENT = avro_record("Payment", [
    {"name": "id", "type": "string"},
    {"name": "amount", "type": "long"},
])

CONFIG = {
    "against": "git:main",
    "subjects": [
        {"subject": "address-value", "file": "schemas/address.avsc"},
        {"subject": "users-value", "file": "schemas/user.avsc", "level": "BACKWARD_TRANSITIVE",
         "references": [{"name": "com.acme.Address", "subject": "address-value",
                         "file": "schemas/address.avsc"}]},
        {"subject": "orders-value", "file": "schemas/order.proto", "level": "FULL"},
        {"subject": "products-value", "file": "schemas/product.json"},
        {"subject": "payments-value", "file": "schemas/payment.avsc"},
    ],
    "allow": [
        {"rule": "TYPE_CHANGED", "subject": "products-value", "path": "#/properties/price",
         "reason": "prices become decimal strings (API v2)", "expires": "2999-12-31"},
        {"rule": "FIELD_SCALAR_KIND_CHANGED", "subject": "orders-value",
         "reason": "amount migration", "expires": "2000-01-01"},
    ],
}


def build(repo):
    """The golden scenario in `repo`; returns the two commit ids."""
    repo.config(CONFIG)
    repo.write("schemas/address.avsc", ADDRESS_V1)
    repo.write("schemas/user.avsc", USER_V1)
    repo.write("schemas/order.proto", ORDER_V1)
    repo.write("schemas/product.json", PRODUCT_V1)
    c1 = repo.commit("v1 of every schema")
    repo.write("schemas/user.avsc", USER_V2)
    repo.write("schemas/order.proto", ORDER_V2)
    c2 = repo.commit("compatible changes")
    repo.write("schemas/user.avsc", USER_WORK)
    repo.write("schemas/order.proto", ORDER_WORK)
    repo.write("schemas/product.json", PRODUCT_WORK)
    repo.write("schemas/payment.avsc", PAYMENT)
    return c1, c2
