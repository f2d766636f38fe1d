/* /, /contexts and /v1/metadata/{id,version} (api.md §3.1, §3.31, §3.33, §3.34) */
#include "server.h"

#define SCHEMAREG_VERSION "0.1.0"

void h_root(server *srv, const http_request *req, http_response *resp)
{
    (void)srv;
    (void)req;
    http_respond_json(resp, 200, json_object());
}

void h_contexts(server *srv, const http_request *req, http_response *resp)
{
    (void)srv;
    (void)req;
    http_respond_json(resp, 200, json_pack("[s]", "."));
}

void h_metadata_id(server *srv, const http_request *req, http_response *resp)
{
    (void)srv;
    (void)req;
    http_respond_json(resp, 200,
                      json_pack("{s:{s:[], s:{s:s, s:s}}}", "scope", "path", "clusters",
                                "kafka-cluster", "schemareg", "schema-registry-cluster",
                                "schema-registry"));
}

void h_metadata_version(server *srv, const http_request *req, http_response *resp)
{
    (void)srv;
    (void)req;
    /* The API level we implement (CP 7.x shapes), and our own version. */
    http_respond_json(resp, 200, json_pack("{s:s, s:s}", "version", "7.9.0", "commitId",
                                           "schemareg-" SCHEMAREG_VERSION));
}
