/*
 * The PROTOBUF entry of the format table (format.h): thin adapters over
 * protobuf_format.h, plus the serialized rendering (?format=serialized: base64
 * of the schema's FileDescriptorProto, as Confluent's
 * ProtobufSchema.formattedString("serialized") returns it) and Confluent's
 * ?format=ignore_extensions.
 */
#include <stdint.h>
#include <stdlib.h>

#include "pb_internal.h"
#include "protobuf_format.h"

/* pb_print.c: the canonical text without custom options (but confluent.*),
 * extension ranges and extend blocks. */
char *pb_fmt_ignore_extensions(const pb_schema *schema);

/* RFC 4648 base64 with padding, as java.util.Base64.getEncoder() writes it. */
static char *base64(const unsigned char *p, size_t n)
{
    static const char tab[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *out = xmalloc((n + 2) / 3 * 4 + 1), *o = out;
    size_t i = 0;
    for (; i + 2 < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
        *o++ = tab[v >> 18];
        *o++ = tab[(v >> 12) & 63];
        *o++ = tab[(v >> 6) & 63];
        *o++ = tab[v & 63];
    }
    if (i < n) {
        uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0);
        *o++ = tab[v >> 18];
        *o++ = tab[(v >> 12) & 63];
        *o++ = i + 1 < n ? tab[(v >> 6) & 63] : '=';
        *o++ = '=';
    }
    *o = '\0';
    return out;
}

char *pb_fmt_serialized(const pb_schema *schema)
{
    if (!schema || !schema->file) return xstrdup("");
    pb_arena *a = pb_arena_new();
    Google__Protobuf__FileDescriptorProto *fd = pb_to_descriptor(schema->file, a);
    char *out;
    if (!fd) {
        out = xstrdup("");
    } else {
        size_t n = google__protobuf__file_descriptor_proto__get_packed_size(fd);
        unsigned char *buf = xmalloc(n ? n : 1);
        google__protobuf__file_descriptor_proto__pack(fd, buf);
        out = base64(buf, n);
        free(buf);
    }
    pb_arena_free(a);
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
