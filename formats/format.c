#include "format.h"

#include <string.h>

static const sr_format *const all_formats[] = {
    &avro_format,
    &protobuf_format,
    &jsonschema_format,
};

const char *const format_types[] = {"AVRO", "PROTOBUF", "JSON", NULL};

const sr_format *format_lookup(const char *type)
{
    for (size_t i = 0; i < sizeof all_formats / sizeof all_formats[0]; i++)
        if (strcmp(all_formats[i]->type, type) == 0) return all_formats[i];
    return NULL;
}

sr_render_fn format_renderer(const sr_format *fmt, const char *name)
{
    if (!name) return NULL;
    for (size_t i = 0; i < sizeof fmt->formats / sizeof fmt->formats[0]; i++)
        if (fmt->formats[i].name && strcmp(fmt->formats[i].name, name) == 0)
            return fmt->formats[i].render;
    return NULL;
}
