/*
 * The well-known .proto files shipped with the registry (the google/protobuf/
 * files, confluent/meta.proto, confluent/type/decimal.proto), looked up by import path
 * in the table that formats/protobuf/embed.py generates at build time.
 */
#include <stddef.h>
#include <string.h>

#include "pb_internal.h"

extern const struct pb_bundled_file {
    const char *path;
    const char *text;
} pb_bundled_files[];

const char *pb_bundled_file(const char *path)
{
    if (!path) return NULL;
    for (const struct pb_bundled_file *f = pb_bundled_files; f->path; f++)
        if (strcmp(f->path, path) == 0) return f->text;
    return NULL;
}
