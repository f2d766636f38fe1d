/*
 * server: what every handler gets, and the route table (routes.c).
 *
 * A handler is thin: read the request, call formats/compat/store (through
 * registry.c for anything that parses schemas), fill the response.
 */
#ifndef SR_SERVER_H
#define SR_SERVER_H

#include "../store/store.h"
#include "http.h"
#include "body_cache.h"
#include "settings.h"

typedef struct server {
    store *st;
    settings cfg;
    body_cache *ids;     /* GET /schemas/ids/{id} bodies */
    body_cache *lookups; /* POST /subjects/{s} answers, valid for one write generation */
} server;

typedef void (*http_handler)(server *srv, const http_request *req, http_response *resp);

/* Route a request: fills resp (404/405 when nothing matches). */
void routes_dispatch(server *srv, const http_request *req, http_response *resp);

/* Permanently remove every (soft-deleted) version row of a subject with its
 * config and mode; 42206 if another subject references one. Removed versions
 * are appended to `out` when not NULL. Call inside a write transaction. */
int subjects_purge(server *srv, const char *subject, json_t *out, sr_error *err);

/* Handlers, one file per resource. */
void h_root(server *, const http_request *, http_response *);
void h_schema_types(server *, const http_request *, http_response *);
void h_schemas_list(server *, const http_request *, http_response *);
void h_schema_by_id(server *, const http_request *, http_response *);
void h_schema_by_id_raw(server *, const http_request *, http_response *);
void h_schema_id_subjects(server *, const http_request *, http_response *);
void h_schema_id_versions(server *, const http_request *, http_response *);

void h_subjects_list(server *, const http_request *, http_response *);
void h_subject_lookup(server *, const http_request *, http_response *);
void h_subject_delete(server *, const http_request *, http_response *);
void h_versions_list(server *, const http_request *, http_response *);
void h_version_register(server *, const http_request *, http_response *);
void h_version_get(server *, const http_request *, http_response *);
void h_version_get_raw(server *, const http_request *, http_response *);
void h_version_referenced_by(server *, const http_request *, http_response *);
void h_version_delete(server *, const http_request *, http_response *);

void h_compat_version(server *, const http_request *, http_response *);
void h_compat_versions(server *, const http_request *, http_response *);

void h_config_get(server *, const http_request *, http_response *);
void h_config_put(server *, const http_request *, http_response *);
void h_config_delete(server *, const http_request *, http_response *);
void h_mode_get(server *, const http_request *, http_response *);
void h_mode_put(server *, const http_request *, http_response *);
void h_mode_delete(server *, const http_request *, http_response *);

void h_contexts(server *, const http_request *, http_response *);
void h_metadata_id(server *, const http_request *, http_response *);
void h_metadata_version(server *, const http_request *, http_response *);

#endif
