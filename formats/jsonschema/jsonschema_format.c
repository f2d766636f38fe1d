/*
 * The JSON entry of the format table (format.h): thin adapters over
 * jsonschema_format.h.
 */
#include "jsonschema_format.h"

static void *fmt_parse(const char *text, size_t len, const sr_dep *deps, size_t n_deps,
                       unsigned flags, sr_error *err)
{
    return js_fmt_parse(text, len, deps, n_deps, flags, err);
}

static char *fmt_canonical(const void *schema)
{
    return js_fmt_canonical(schema);
}

static char *fmt_normalized(const void *schema)
{
    return js_fmt_normalized(schema);
}

static void fmt_free(void *schema)
{
    js_fmt_schema_free(schema);
}

const sr_format jsonschema_format = {
    .type = "JSON",
    .parse = fmt_parse,
    .canonical = fmt_canonical,
    .normalized = fmt_normalized,
    .free = fmt_free,
};
