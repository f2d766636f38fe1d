/*
 * bare_server: the physical limit for a registry GET on this machine.
 *
 * A libmicrohttpd server that does nothing but answer every request with one
 * fixed, small JSON body from a single shared persistent response. It runs in
 * the fastest mode measured in reference/tooling.md section 4:
 * MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL with a thread pool of 2, and
 * the "2-call" handler pattern (mark the connection on the first call, queue
 * the response on a later one) that keeps HTTP/1.1 keep-alive working in MHD
 * 0.9.75. bench/run.py measures it with the same wrk settings as the real
 * server and reports the real server as a fraction of it.
 *
 * Usage: bare_server PORT        (listens on 127.0.0.1:PORT; SIGTERM/SIGINT stop it)
 *
 * Request bodies (POST/PUT) are read and discarded, so the same binary also
 * gives a bare baseline for small POSTs.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <microhttpd.h>

static const char BODY[] = "{\"schema\":\"\\\"string\\\"\"}";

static struct MHD_Response *g_resp;

/* Any non-NULL value works as the "first call seen" marker. */
static int g_marker;

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **con_cls)
{
    (void)cls;
    (void)url;
    (void)method;
    (void)version;
    (void)upload_data;
    if (*con_cls == NULL) {
        /* First call: queueing now would make MHD 0.9.75 close the connection. */
        *con_cls = &g_marker;
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        *upload_data_size = 0; /* discard the body */
        return MHD_YES;
    }
    return MHD_queue_response(conn, MHD_HTTP_OK, g_resp);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s PORT\n", argv[0]);
        return 2;
    }
    char *end = NULL;
    long port = strtol(argv[1], &end, 10);
    if (end == argv[1] || *end != '\0' || port <= 0 || port > 65535) {
        fprintf(stderr, "bare_server: bad port '%s'\n", argv[1]);
        return 2;
    }

    /* Block the stop signals in every thread (MHD's threads inherit the mask);
     * main waits for them with sigwait. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);

    g_resp = MHD_create_response_from_buffer(sizeof BODY - 1, (void *)BODY,
                                             MHD_RESPMEM_PERSISTENT);
    if (g_resp == NULL) {
        fprintf(stderr, "bare_server: cannot create the response\n");
        return 1;
    }
    MHD_add_response_header(g_resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                            "application/vnd.schemaregistry.v1+json");

    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, (unsigned short)port, NULL, NULL,
        handle, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)2, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned int)4096, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30, MHD_OPTION_END);
    if (d == NULL) {
        fprintf(stderr, "bare_server: cannot listen on 127.0.0.1:%ld (%s)\n", port,
                strerror(errno));
        MHD_destroy_response(g_resp);
        return 1;
    }
    fprintf(stderr, "bare_server: listening on 127.0.0.1:%ld\n", port);

    int sig = 0;
    sigwait(&stop, &sig);

    MHD_stop_daemon(d);
    MHD_destroy_response(g_resp);
    return 0;
}
