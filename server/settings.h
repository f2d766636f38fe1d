/*
 * settings: the server's configuration, from (lowest to highest precedence)
 * built-in defaults, a properties file (--config FILE), environment variables
 * SCHEMA_REGISTRY_<KEY> (key upper-cased, '.' -> '_'), and command-line flags.
 * Keys use Confluent's names where they exist (listeners,
 * schema.compatibility.level, mode.mutability).
 */
#ifndef SR_SETTINGS_H
#define SR_SETTINGS_H

#include <stddef.h>

#include "../compat/compat.h"

typedef struct settings {
    char host[256];
    int port;
    char db_path[4096];
    compat_level default_level;
    int mode_mutability;
    size_t max_body_bytes;
    int threads;
    int log_requests;
} settings;

void settings_defaults(settings *s);
/* Apply one key=value setting. Returns 0, or -1 with a message in err. */
int settings_apply(settings *s, const char *key, const char *value, char *err, size_t errlen);
/* Apply a properties file. */
int settings_load_file(settings *s, const char *path, char *err, size_t errlen);
/* Apply SCHEMA_REGISTRY_* variables from the environment. */
int settings_load_env(settings *s, char *err, size_t errlen);

#endif
