/*
 * The AVRO entry of the format table (format.h): thin adapters over
 * avro_format.h.
 */
#include "avro_format.h"

static void *fmt_parse(const char *text, size_t len, const sr_dep *deps, size_t n_deps,
                       unsigned flags, sr_error *err)
{
    return avro_fmt_parse(text, len, deps, n_deps, flags, err);
}

static char *fmt_canonical(const void *schema)
{
    return avro_fmt_canonical(schema);
}

static char *fmt_normalized(const void *schema)
{
    return avro_fmt_normalized(schema);
}

static char *fmt_resolved(const void *schema)
{
    return avro_fmt_resolved(schema);
}

static void fmt_free(void *schema)
{
    avro_fmt_schema_free(schema);
}

const sr_format avro_format = {
    .type = "AVRO",
    .parse = fmt_parse,
    .canonical = fmt_canonical,
    .normalized = fmt_normalized,
    .formats = {{"resolved", fmt_resolved}},
    .free = fmt_free,
};
