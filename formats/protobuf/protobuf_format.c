/*
 * The PROTOBUF entry of the format table (format.h): thin adapters over
 * protobuf_format.h, plus the serialized rendering (?format=serialized: base64
 * of the schema's FileDescriptorProto, as Confluent's
 * ProtobufSchema.formattedString("serialized") returns it) and Confluent's
 * ?format=ignore_extensions.
 */
#include <stdlib.h>

#include "pb_internal.h"
#include "protobuf_format.h"

char *pb_fmt_serialized(const pb_schema *schema)
{
    if (!schema || !schema->file) return xstrdup("");
    size_t n;
    unsigned char *packed = pb_descriptor_pack(schema->file, &n);
    char *out = pb_base64_encode(packed, n);
    free(packed);
    return out;
}

static void *fmt_parse(const char *text, size_t len, const sr_dep *deps, size_t n_deps,
                       unsigned flags, sr_error *err)
{
    return pb_fmt_parse(text, len, deps, n_deps, flags, err);
}

static char *fmt_canonical(const void *schema)
{
    return pb_fmt_canonical(schema);
}

static char *fmt_normalized(const void *schema)
{
    return pb_fmt_normalized(schema);
}

static char *fmt_serialized(const void *schema)
{
    return pb_fmt_serialized(schema);
}

static char *fmt_ignore_extensions(const void *schema)
{
    return pb_fmt_ignore_extensions(schema);
}

static void fmt_free(void *schema)
{
    pb_fmt_schema_free(schema);
}

const sr_format protobuf_format = {
    .type = "PROTOBUF",
    .parse = fmt_parse,
    .canonical = fmt_canonical,
    .normalized = fmt_normalized,
    .formats = {{"serialized", fmt_serialized}, {"ignore_extensions", fmt_ignore_extensions}},
    .free = fmt_free,
};
