#include "settings.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

extern char **environ;

void settings_defaults(settings *s)
{
    memset(s, 0, sizeof *s);
    snprintf(s->host, sizeof s->host, "0.0.0.0");
    s->port = 8081;
    snprintf(s->db_path, sizeof s->db_path, "./schemareg.db");
    s->default_level = COMPAT_BACKWARD;
    s->mode_mutability = 1;
    s->max_body_bytes = 16u << 20;
    s->threads = 2;
    s->log_requests = 1;
}

static int parse_bool(const char *v, int *out)
{
    if (strcasecmp(v, "true") == 0 || strcmp(v, "1") == 0) *out = 1;
    else if (strcasecmp(v, "false") == 0 || strcmp(v, "0") == 0) *out = 0;
    else return -1;
    return 0;
}

/* "HOST:PORT", "http://HOST:PORT", or a comma list of those (the first is used). */
static int parse_listen(settings *s, const char *v)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", v);
    char *comma = strchr(buf, ',');
    if (comma) *comma = '\0';
    char *p = buf;
    if (strncmp(p, "http://", 7) == 0) p += 7;
    else if (strstr(p, "://")) return -1; /* https and others are not supported yet */
    char *colon = strrchr(p, ':');
    if (!colon) return -1;
    *colon = '\0';
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535) return -1;
    if (p[0] == '[') { /* [::1] */
        p++;
        size_t n = strlen(p);
        if (n && p[n - 1] == ']') p[n - 1] = '\0';
    }
    if (strlen(p) >= sizeof s->host) return -1;
    snprintf(s->host, sizeof s->host, "%.255s", *p ? p : "0.0.0.0");
    s->port = (int)port;
    return 0;
}

int settings_apply(settings *s, const char *key, const char *value, char *err, size_t errlen)
{
    int b;
    char *end;
    if (strcmp(key, "listeners") == 0 || strcmp(key, "listen") == 0) {
        if (parse_listen(s, value) == 0) return 0;
    } else if (strcmp(key, "db.path") == 0) {
        snprintf(s->db_path, sizeof s->db_path, "%s", value);
        return 0;
    } else if (strcmp(key, "schema.compatibility.level") == 0 ||
               strcmp(key, "avro.compatibility.level") == 0) {
        if (compat_level_parse(value, &s->default_level) == 0) return 0;
    } else if (strcmp(key, "mode.mutability") == 0) {
        if (parse_bool(value, &b) == 0) {
            s->mode_mutability = b;
            return 0;
        }
    } else if (strcmp(key, "request.max.bytes") == 0) {
        errno = 0;
        unsigned long long n = strtoull(value, &end, 10);
        if (!errno && !*end && n > 0 && value[0] != '-') {
            s->max_body_bytes = (size_t)n;
            return 0;
        }
    } else if (strcmp(key, "threads") == 0) {
        long n = strtol(value, &end, 10);
        if (!*end && n > 0 && n <= 256) {
            s->threads = (int)n;
            return 0;
        }
    } else if (strcmp(key, "log.requests") == 0) {
        if (parse_bool(value, &b) == 0) {
            s->log_requests = b;
            return 0;
        }
    } else {
        return 0; /* unknown keys are ignored, as Confluent ignores what it does not use */
    }
    snprintf(err, errlen, "invalid value for %s: '%s'", key, value);
    return -1;
}

static char *trim(char *p)
{
    while (isspace((unsigned char)*p)) p++;
    char *e = p + strlen(p);
    while (e > p && isspace((unsigned char)e[-1])) *--e = '\0';
    return p;
}

int settings_load_file(settings *s, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "cannot read config file %s: %s", path, strerror(errno));
        return -1;
    }
    char line[8192];
    int rc = 0, lineno = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        lineno++;
        char *p = trim(line);
        if (!*p || *p == '#' || *p == '!') continue;
        char *eq = strpbrk(p, "=:");
        if (!eq) {
            snprintf(err, errlen, "%s:%d: expected key=value", path, lineno);
            rc = -1;
            break;
        }
        *eq = '\0';
        rc = settings_apply(s, trim(p), trim(eq + 1), err, errlen);
    }
    fclose(f);
    return rc;
}

int settings_load_env(settings *s, char *err, size_t errlen)
{
    static const char prefix[] = "SCHEMA_REGISTRY_";
    for (char **e = environ; *e; e++) {
        if (strncmp(*e, prefix, sizeof prefix - 1) != 0) continue;
        const char *eq = strchr(*e, '=');
        if (!eq) continue;
        char key[256];
        size_t n = 0;
        for (const char *p = *e + sizeof prefix - 1; p < eq && n + 1 < sizeof key; p++)
            key[n++] = *p == '_' ? '.' : (char)tolower((unsigned char)*p);
        key[n] = '\0';
        if (settings_apply(s, key, eq + 1, err, errlen) < 0) return -1;
    }
    return 0;
}
