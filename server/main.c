/* schemareg-server: configuration, start, wait for SIGINT/SIGTERM, clean stop. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "server.h"

/* Enough for the ids a busy deployment serves, small enough for a 64 MiB
 * resident budget with 100,000 schemas (make bench, figure e). */
#define ID_CACHE_SLOTS 65536
#define ID_CACHE_BYTES (16u << 20)
#define LOOKUP_CACHE_SLOTS 4096
#define LOOKUP_CACHE_BYTES (4u << 20)

static void usage(FILE *out)
{
    fputs("usage: schemareg-server [--listen HOST:PORT] [--db PATH] [--config FILE]\n"
          "  --listen   address to listen on (default 0.0.0.0:8081; property 'listeners')\n"
          "  --db       SQLite database file (default ./schemareg.db; property 'db.path')\n"
          "  --config   properties file (key=value): listeners, db.path,\n"
          "             schema.compatibility.level, mode.mutability, request.max.bytes,\n"
          "             threads, log.requests\n"
          "Environment: SCHEMA_REGISTRY_<KEY> (upper case, '.' -> '_') sets any key.\n"
          "Precedence: flags > environment > config file > defaults.\n",
          out);
}

/* Settings from file, then environment, then flags. Returns 0, 1 (exit 0), -1. */
static int configure(int argc, char **argv, settings *cfg)
{
    char err[512];
    const char *config = NULL, *listen = NULL, *db = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 1;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "schemareg-server: %s needs a value\n", a);
            return -1;
        }
        if (strcmp(a, "--config") == 0) config = argv[++i];
        else if (strcmp(a, "--listen") == 0) listen = argv[++i];
        else if (strcmp(a, "--db") == 0) db = argv[++i];
        else {
            fprintf(stderr, "schemareg-server: unknown option %s\n", a);
            usage(stderr);
            return -1;
        }
    }
    settings_defaults(cfg);
    if ((config && settings_load_file(cfg, config, err, sizeof err) < 0) ||
        settings_load_env(cfg, err, sizeof err) < 0 ||
        (listen && settings_apply(cfg, "listeners", listen, err, sizeof err) < 0) ||
        (db && settings_apply(cfg, "db.path", db, err, sizeof err) < 0)) {
        fprintf(stderr, "schemareg-server: %s\n", err);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    server srv = {0};
    int rc = configure(argc, argv, &srv.cfg);
    if (rc) return rc > 0 ? 0 : 2;

    /* Block the stop signals in every thread; the main thread waits for them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    sr_error err;
    srv.st = store_open(srv.cfg.db_path, &err);
    if (!srv.st) {
        fprintf(stderr, "schemareg-server: %s\n", err.msg);
        return 1;
    }
    srv.ids = body_cache_new(ID_CACHE_SLOTS, ID_CACHE_BYTES);
    srv.lookups = body_cache_new(LOOKUP_CACHE_SLOTS, LOOKUP_CACHE_BYTES);
    log_start();
    char msg[512];
    http_daemon *d = http_start(&srv, msg, sizeof msg);
    if (!d) {
        fprintf(stderr, "schemareg-server: %s\n", msg);
        log_stop();
        body_cache_free(srv.ids);
        body_cache_free(srv.lookups);
        store_close(srv.st);
        return 1;
    }
    fprintf(stderr, "schemareg-server listening on %s:%d, database %s\n", srv.cfg.host,
            srv.cfg.port, srv.cfg.db_path);
    fflush(stderr);

    int sig;
    sigwait(&stop, &sig);
    fprintf(stderr, "schemareg-server: %s, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    http_stop(d);
    log_stop();
    body_cache_free(srv.ids);
    body_cache_free(srv.lookups);
    store_close(srv.st);
    return 0;
}
